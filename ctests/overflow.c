/* CQ overflow: NOPs flood an 8-entry CQ without being reaped, the kernel
 * parks the excess (IORING_FEAT_NODROP) and flags IORING_SQ_CQ_OVERFLOW,
 * and every completion must come back, exactly once, through each of the
 * library's reaping paths. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

enum { N = 120, BATCH = 4 };

static unsigned char seen[N];
static unsigned got;

static void note(const struct io_uring_cqe *cqe)
{
	if (cqe->user_data >= N || seen[cqe->user_data])
		FAIL("unexpected or repeated user_data %llu", (unsigned long long) cqe->user_data);
	CHECK_EQ(cqe->res, 0);
	seen[cqe->user_data] = 1;
	got++;
}

/* Submits N NOPs in batches without reaping and checks the overflow. */
static void flood(struct io_uring *ring)
{
	memset(seen, 0, sizeof(seen));
	got = 0;
	for (unsigned i = 0; i < N; i += BATCH) {
		queue_nops(ring, BATCH, i);
		CHECK_EQ(io_uring_submit(ring), BATCH);
	}
	CHECK(io_uring_cq_has_overflow(ring));
	CHECK_EQ(io_uring_cq_ready(ring), 8);
	CHECK_EQ(*ring->cq.koverflow, 0);	/* parked, not dropped */
}

static void by_wait_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	while (got < N) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		note(cqe);
		io_uring_cqe_seen(ring, cqe);
	}
}

/* peek_cqe must enter the kernel to flush once the CQ runs dry. */
static void by_peek_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	while (got < N) {
		int ret = io_uring_peek_cqe(ring, &cqe);

		if (ret == -EAGAIN)
			FAIL("peek_cqe found nothing after %u of %u", got, N);
		CHECK_EQ(ret, 0);
		note(cqe);
		io_uring_cqe_seen(ring, cqe);
	}
}

static void by_peek_batch(struct io_uring *ring)
{
	struct io_uring_cqe *cqes[5];

	while (got < N) {
		unsigned n = io_uring_peek_batch_cqe(ring, cqes, 5);

		if (n == 0)
			FAIL("peek_batch_cqe found nothing after %u of %u", got, N);
		for (unsigned i = 0; i < n; i++)
			note(cqes[i]);
		io_uring_cq_advance(ring, n);
	}
}

/* get_events flushes; the macro only walks what is in the CQ. */
static void by_get_events(struct io_uring *ring)
{
	while (got < N) {
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		CHECK(io_uring_get_events(ring) >= 0);
		io_uring_for_each_cqe(ring, head, cqe) {
			note(cqe);
			n++;
		}
		if (n == 0)
			FAIL("get_events flushed nothing after %u of %u", got, N);
		io_uring_cq_advance(ring, n);
	}
}

/* wait_cqe_nr(8) then __io_uring_peek_cqe walking the ready ones. */
static void by_wait_nr(struct io_uring *ring)
{
	while (got < N) {
		struct io_uring_cqe *cqe;
		unsigned avail = 0;

		CHECK_EQ(io_uring_wait_cqe_nr(ring, &cqe, N - got < 8 ? N - got : 8), 0);
		while (__io_uring_peek_cqe(ring, &cqe, &avail) == 0 && cqe) {
			CHECK(avail >= 1);
			note(cqe);
			io_uring_cqe_seen(ring, cqe);
		}
	}
}

int main(void)
{
	void (*reapers[])(struct io_uring *) = { by_wait_cqe, by_peek_cqe, by_peek_batch, by_get_events, by_wait_nr };
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 8 };

	NEED_FEATURE(IORING_FEAT_NODROP);
	ring_init_params(&ring, 4, &p, "IORING_SETUP_CQSIZE");
	CHECK_EQ(ring.sq.ring_entries, 4);
	CHECK_EQ(ring.cq.ring_entries, 8);
	for (unsigned r = 0; r < sizeof(reapers) / sizeof(*reapers); r++) {
		flood(&ring);
		reapers[r](&ring);
		CHECK_EQ(got, N);
		CHECK(!io_uring_cq_has_overflow(&ring));
		CHECK_EQ(io_uring_cq_ready(&ring), 0);
		nop_roundtrip(&ring, 0);
	}
	io_uring_queue_exit(&ring);
	return 0;
}
