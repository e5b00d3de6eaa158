/* io_uring_get_sqe128: NULL on a ring with 64-byte SQEs only; any slot on
 * an SQE128 ring; on an IORING_SETUP_SQE_MIXED ring two adjacent slots,
 * with a CQE-less NOP padding the SQ's last slot when a big SQE would
 * straddle the end. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

static void plain_and_sqe128(void)
{
	struct io_uring ring;
	struct io_uring_sqe *a, *b;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK(io_uring_get_sqe128(&ring) == NULL);
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	io_uring_queue_exit(&ring);

	RING_INIT(&ring, 4, IORING_SETUP_SQE128);
	for (int i = 0; i < 4; i++) {
		a = io_uring_get_sqe128(&ring);
		CHECK(a == &ring.sq.sqes[2 * i]);
		io_uring_prep_nop(a);
		io_uring_sqe_set_data64(a, i);
	}
	CHECK(io_uring_get_sqe128(&ring) == NULL);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 4), 4);
	CHECK_EQ(io_uring_cq_ready(&ring), 4);
	io_uring_cq_advance(&ring, 4);
	a = io_uring_get_sqe(&ring);
	b = io_uring_get_sqe128(&ring);
	CHECK_EQ((char *) b - (char *) a, 128);
	io_uring_prep_nop(a);
	io_uring_prep_nop(b);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 2);
	io_uring_cq_advance(&ring, 2);
	io_uring_queue_exit(&ring);
}

/* Queues a 128-byte NOP tagged `tag`. */
static struct io_uring_sqe *nop128(struct io_uring *ring, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe128(ring);

	if (sqe) {
		io_uring_prep_nop(sqe);
		sqe->opcode = IORING_OP_NOP128;
		io_uring_sqe_set_data64(sqe, tag);
	}
	return sqe;
}

static void reap(struct io_uring *ring, unsigned n, __u64 first)
{
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;

		CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, first + i);
		CHECK_EQ(cqe->res, 0);
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK_EQ(io_uring_cq_ready(ring), 0);
}

int main(void)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;

	plain_and_sqe128();

	RING_INIT(&ring, 8, IORING_SETUP_SQE_MIXED);

	/* Big SQEs take two slots. */
	sqe = nop128(&ring, 1);
	CHECK(sqe == &ring.sq.sqes[0]);
	CHECK_EQ(io_uring_sq_ready(&ring), 2);
	queue_nops(&ring, 1, 2);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 3);
	reap(&ring, 2, 1);

	/* The tail is now at slot 3; fill to slot 7 so the next big SQE
	 * would straddle the end. */
	queue_nops(&ring, 4, 3);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 4), 4);
	reap(&ring, 4, 3);
	CHECK_EQ(ring.sq.sqe_tail & ring.sq.ring_mask, 7);
	sqe = nop128(&ring, 7);
	CHECK(sqe == &ring.sq.sqes[0]);	/* slot 7 holds the padding NOP */
	CHECK_EQ(io_uring_sq_ready(&ring), 3);
	CHECK(ring.sq.sqes[7].flags & IOSQE_CQE_SKIP_SUCCESS);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 3);
	reap(&ring, 1, 7);	/* the padding posts no CQE */

	/* A full SQ refuses a big SQE that would not fit. */
	queue_nops(&ring, 7, 10);
	CHECK(io_uring_get_sqe128(&ring) == NULL);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 7), 7);
	reap(&ring, 7, 10);
	io_uring_queue_exit(&ring);
	return 0;
}
