/* IORING_SETUP_CQE_MIXED: 16- and 32-byte CQEs share one CQ. A 32-byte CQE
 * (IORING_CQE_F_32) takes two slots, and when one would straddle the end
 * of the ring the kernel pads the last slot with an IORING_CQE_F_SKIP
 * entry. The library's peek, wait and batch calls must hide the padding
 * and advance by slots, so every CQE comes back once, intact. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

/* NOPs tagged from `first`; those whose tag is a multiple of 3 ask for a
 * 32-byte CQE echoing the tag in its extra words. */
static void queue_mixed(struct io_uring *ring, unsigned n, __u64 first)
{
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		__u64 tag = first + i;

		CHECK(sqe != NULL);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, tag);
		if (tag % 3 == 0) {
			sqe->nop_flags = IORING_NOP_CQE32;
			sqe->off = tag * 7;
			sqe->addr = ~tag;
		}
	}
}

static void check_cqe(const struct io_uring_cqe *cqe, __u64 want)
{
	CHECK(!(cqe->flags & IORING_CQE_F_SKIP));
	CHECK_EQ(cqe->user_data, want);
	CHECK_EQ(cqe->res, 0);
	if (want % 3 == 0) {
		CHECK(cqe->flags & IORING_CQE_F_32);
		CHECK_EQ(io_uring_cqe_nr(cqe), 2);
		CHECK_EQ(cqe->big_cqe[0], want * 7);
		CHECK_EQ(cqe->big_cqe[1], ~want);
	} else {
		CHECK(!(cqe->flags & IORING_CQE_F_32));
		CHECK_EQ(io_uring_cqe_nr(cqe), 1);
	}
}

/* The reapers return how many CQEs they took, starting at tag `next`. */
static unsigned by_peek(struct io_uring *ring, __u64 next)
{
	struct io_uring_cqe *cqe;
	unsigned n = 0;

	while (io_uring_peek_cqe(ring, &cqe) == 0) {
		check_cqe(cqe, next + n++);
		io_uring_cqe_seen(ring, cqe);
	}
	return n;
}

static unsigned by_wait(struct io_uring *ring, __u64 next)
{
	struct io_uring_cqe *cqe;
	unsigned n = 0;

	while (io_uring_cq_ready(ring)) {
		if (io_uring_wait_cqe(ring, &cqe) != 0)
			FAIL("wait_cqe failed with %u slots ready", io_uring_cq_ready(ring));
		check_cqe(cqe, next + n++);
		io_uring_cqe_seen(ring, cqe);
	}
	return n;
}

static unsigned by_batch(struct io_uring *ring, __u64 next)
{
	struct io_uring_cqe *cqes[3];
	unsigned got, n = 0;

	while ((got = io_uring_peek_batch_cqe(ring, cqes, 3)) != 0) {
		unsigned slots = 0;

		for (unsigned i = 0; i < got; i++) {
			check_cqe(cqes[i], next + n++);
			slots += io_uring_cqe_nr(cqes[i]);
		}
		io_uring_cq_advance(ring, slots);
	}
	return n;
}

/* The iterator shows padding as it is; the caller skips it. */
static unsigned by_iter(struct io_uring *ring, __u64 next)
{
	struct io_uring_cqe_iter it = io_uring_cqe_iter_init(ring);
	struct io_uring_cqe *cqe;
	unsigned slots = 0, n = 0;

	while (io_uring_cqe_iter_next(&it, &cqe)) {
		slots += io_uring_cqe_nr(cqe);
		if (cqe->flags & IORING_CQE_F_SKIP)
			continue;
		check_cqe(cqe, next + n++);
	}
	io_uring_cq_advance(ring, slots);
	return n;
}

/* So does the macro. */
static unsigned by_for_each(struct io_uring *ring, __u64 next)
{
	struct io_uring_cqe *cqe;
	unsigned head, slots = 0, n = 0;

	io_uring_for_each_cqe(ring, head, cqe) {
		slots += io_uring_cqe_nr(cqe);
		if (!(cqe->flags & IORING_CQE_F_SKIP))
			check_cqe(cqe, next + n++);
	}
	io_uring_cq_advance(ring, slots);
	return n;
}

/* A 32-byte CQE that does not fit before the ring's end: the kernel pads
 * the last slot, and peek_cqe steps over the padding. */
static void padding(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	unsigned entries = ring->cq.ring_entries, head;
	__u64 tag = 1;

	/* Move the CQ head to the last slot with 16-byte CQEs. */
	while ((*ring->cq.khead & ring->cq.ring_mask) != entries - 1) {
		if (tag % 3 == 0)
			tag++;
		queue_mixed(ring, 1, tag);
		CHECK_EQ(io_uring_submit_and_wait(ring, 1), 1);
		CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
		check_cqe(cqe, tag);
		io_uring_cqe_seen(ring, cqe);
		tag++;
	}
	head = *ring->cq.khead;
	queue_mixed(ring, 1, 3000);
	CHECK_EQ(io_uring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(io_uring_cq_ready(ring), 3);	/* padding + two slots */
	CHECK(ring->cq.cqes[head & ring->cq.ring_mask].flags & IORING_CQE_F_SKIP);
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
	CHECK(cqe == &ring->cq.cqes[0]);
	check_cqe(cqe, 3000);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(*ring->cq.khead, head + 3);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
}

int main(void)
{
	unsigned (*reapers[])(struct io_uring *, __u64) = { by_peek, by_wait, by_batch, by_iter, by_for_each };
	struct io_uring ring;
	__u64 next = 0;

	RING_INIT(&ring, 8, IORING_SETUP_CQE_MIXED);
	CHECK_EQ(ring.cq.ring_entries, 16);
	padding(&ring);
	/* Batches of 1..5 CQEs (up to 10 slots) wrap the 16-slot CQ at every
	 * possible offset, each batch size with each reaper. */
	for (unsigned round = 0; round < 250; round++) {
		unsigned n = 1 + round % 5, got;

		queue_mixed(&ring, n, next);
		CHECK_EQ(io_uring_submit_and_wait(&ring, n), n);
		got = reapers[(round / 5) % 5](&ring, next);
		if (got != n)
			FAIL("round %u: reaped %u of %u", round, got, n);
		CHECK_EQ(io_uring_cq_ready(&ring), 0);
		next += n;
	}
	CHECK(!io_uring_cq_has_overflow(&ring));
	io_uring_queue_exit(&ring);
	return 0;
}
