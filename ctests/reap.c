/* Reaping completions: peek_batch_cqe, the CQE iterator and the
 * io_uring_for_each_cqe macro (also on a CQE32 ring, whose CQEs are twice
 * as wide), __io_uring_peek_cqe, __io_uring_get_cqe, wait_cqe_nr,
 * cqe_seen, cq_advance and cq_ready, across many wraps of the CQ. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

/* Queues `n` NOPs; on a CQE32 ring each asks for a 32-byte CQE whose
 * extra words echo the tag. */
static void queue_tagged(struct io_uring *ring, unsigned n, __u64 first)
{
	queue_nops(ring, n, first);
	if (!(ring->flags & IORING_SETUP_CQE32))
		return;
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = &ring->sq.sqes[(ring->sq.sqe_tail - n + i) & ring->sq.ring_mask];

		sqe->nop_flags = IORING_NOP_CQE32;
		sqe->off = first + i;
		sqe->addr = ~(first + i);
	}
}

static void check_cqe(const struct io_uring *ring, const struct io_uring_cqe *cqe, __u64 want)
{
	CHECK_EQ(cqe->user_data, want);
	CHECK_EQ(cqe->res, 0);
	if (ring->flags & IORING_SETUP_CQE32) {
		CHECK_EQ(cqe->big_cqe[0], want);
		CHECK_EQ(cqe->big_cqe[1], ~want);
	}
}

/* The CQE at ring position `pos`, computed independently of the library. */
static struct io_uring_cqe *slot(const struct io_uring *ring, unsigned pos)
{
	size_t size = ring->flags & IORING_SETUP_CQE32 ? 32 : 16;

	return (void *) ((char *) ring->cq.cqes + (pos & ring->cq.ring_mask) * size);
}

static void for_each(struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0, start = *ring->cq.khead;

	queue_tagged(ring, 5, tag);
	CHECK_EQ(io_uring_submit_and_wait(ring, 5), 5);
	io_uring_for_each_cqe(ring, head, cqe) {
		CHECK(cqe == slot(ring, start + n));
		check_cqe(ring, cqe, tag + n);
		n++;
	}
	CHECK_EQ(n, 5);
	CHECK_EQ(io_uring_cq_ready(ring), 5);	/* the walk consumed nothing */
	io_uring_cq_advance(ring, n);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
	CHECK_EQ(*ring->cq.khead, start + 5);
}

static void iter(struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe_iter it;
	struct io_uring_cqe *cqe;
	unsigned n = 0, start = *ring->cq.khead;

	queue_tagged(ring, 3, tag);
	CHECK_EQ(io_uring_submit_and_wait(ring, 3), 3);
	it = io_uring_cqe_iter_init(ring);
	while (io_uring_cqe_iter_next(&it, &cqe)) {
		CHECK(cqe == slot(ring, start + n));
		check_cqe(ring, cqe, tag + n);
		n++;
	}
	CHECK_EQ(n, 3);
	CHECK(!io_uring_cqe_iter_next(&it, &cqe));
	CHECK_EQ(io_uring_cq_ready(ring), 3);
	io_uring_cq_advance(ring, 3);
	/* An iterator over an empty CQ yields nothing. */
	it = io_uring_cqe_iter_init(ring);
	CHECK(!io_uring_cqe_iter_next(&it, &cqe));
}

static void peek_batch(struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe *cqes[8];
	unsigned start = *ring->cq.khead;

	CHECK_EQ(io_uring_peek_batch_cqe(ring, cqes, 8), 0);
	queue_tagged(ring, 6, tag);
	CHECK_EQ(io_uring_submit_and_wait(ring, 6), 6);
	CHECK_EQ(io_uring_peek_batch_cqe(ring, cqes, 0), 0);
	CHECK_EQ(io_uring_peek_batch_cqe(ring, cqes, 4), 4);
	for (unsigned i = 0; i < 4; i++) {
		CHECK(cqes[i] == slot(ring, start + i));
		check_cqe(ring, cqes[i], tag + i);
	}
	/* Peeking again without advancing returns the same CQEs. */
	CHECK_EQ(io_uring_peek_batch_cqe(ring, cqes, 1), 1);
	check_cqe(ring, cqes[0], tag);
	io_uring_cq_advance(ring, 4);
	CHECK_EQ(io_uring_peek_batch_cqe(ring, cqes, 8), 2);
	check_cqe(ring, cqes[0], tag + 4);
	check_cqe(ring, cqes[1], tag + 5);
	io_uring_cq_advance(ring, 2);
	CHECK_EQ(io_uring_peek_batch_cqe(ring, cqes, 8), 0);
}

static void peek_and_get(struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe *cqe = (void *) 1;
	unsigned avail = 99;

	CHECK_EQ(__io_uring_peek_cqe(ring, &cqe, &avail), 0);
	CHECK(cqe == NULL);
	CHECK_EQ(avail, 0);
	CHECK_EQ(__io_uring_get_cqe(ring, &cqe, 0, 0, NULL), -EAGAIN);
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), -EAGAIN);

	queue_tagged(ring, 3, tag);
	CHECK_EQ(io_uring_submit(ring), 3);
	CHECK_EQ(io_uring_wait_cqe_nr(ring, &cqe, 3), 0);
	CHECK_EQ(io_uring_cq_ready(ring), 3);
	CHECK_EQ(__io_uring_peek_cqe(ring, &cqe, &avail), 0);
	CHECK_EQ(avail, 3);
	check_cqe(ring, cqe, tag);
	CHECK_EQ(__io_uring_peek_cqe(ring, &cqe, NULL), 0);
	check_cqe(ring, cqe, tag);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(__io_uring_get_cqe(ring, &cqe, 0, 1, NULL), 0);
	check_cqe(ring, cqe, tag + 1);
	CHECK_EQ(io_uring_cqe_get_data64(cqe), tag + 1);
	CHECK(io_uring_cqe_get_data(cqe) == (void *) (uintptr_t) (tag + 1));
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
	check_cqe(ring, cqe, tag + 2);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
	/* Advancing by zero is a no-op. */
	io_uring_cq_advance(ring, 0);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
}

static void run(unsigned flags)
{
	struct io_uring ring;
	__u64 tag = 1000;

	struct io_uring_sqe nop = { .opcode = IORING_OP_NOP, .nop_flags = IORING_NOP_CQE32 };

	if (flags && !ring_try_flags(&ring, 8, flags, "IORING_SETUP_CQE32"))
		return;
	/* The CQE32 rounds fill the big CQEs with NOPs. */
	if (flags && kernel_sqe_on(IORING_SETUP_CQE32, &nop)) {
		io_uring_queue_exit(&ring);
		lacks_case("IORING_NOP_CQE32");
		return;
	}
	if (!flags)
		CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(ring.cq.ring_entries, 16);
	/* 40 rounds of 17 CQEs wrap the 16-entry CQ many times. */
	for (int round = 0; round < 40; round++) {
		for_each(&ring, tag);
		iter(&ring, tag + 10);
		peek_batch(&ring, tag + 20);
		peek_and_get(&ring, tag + 30);
		tag += 100;
	}
	io_uring_queue_exit(&ring);
}

int main(void)
{
	run(0);
	run(IORING_SETUP_CQE32);
	return 0;
}
