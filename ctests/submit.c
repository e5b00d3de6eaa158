/* The submission side: get_sqe (and what it clears), sq_ready,
 * sq_space_left, submit, submit_and_wait, submit_and_get_events,
 * get_events, and sqring_wait on a ring without SQPOLL. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

/* get_sqe hands out every slot once, then NULL, and each SQE has the
 * fields preparers rely on cleared. */
static void get_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqes[8];

	CHECK_EQ(io_uring_sq_ready(ring), 0);
	CHECK_EQ(io_uring_sq_space_left(ring), 8);
	/* Dirty every slot first. */
	memset(ring->sq.sqes, 0xff, 8 * sizeof(struct io_uring_sqe));
	for (int i = 0; i < 8; i++) {
		sqes[i] = io_uring_get_sqe(ring);
		CHECK(sqes[i] != NULL);
		CHECK_EQ(sqes[i]->flags, 0);
		CHECK_EQ(sqes[i]->ioprio, 0);
		CHECK_EQ(sqes[i]->rw_flags, 0);
		CHECK_EQ(sqes[i]->buf_index, 0);
		CHECK_EQ(sqes[i]->personality, 0);
		CHECK_EQ(sqes[i]->file_index, 0);
		CHECK_EQ(sqes[i]->addr3, 0);
		CHECK_EQ(sqes[i]->__pad2[0], 0);
		for (int j = 0; j < i; j++)
			CHECK(sqes[j] != sqes[i]);
		CHECK_EQ(io_uring_sq_ready(ring), i + 1);
		CHECK_EQ(io_uring_sq_space_left(ring), 7 - i);
		io_uring_prep_nop(sqes[i]);
		io_uring_sqe_set_data64(sqes[i], 10 + i);
	}
	CHECK(io_uring_get_sqe(ring) == NULL);
	CHECK(io_uring_get_sqe(ring) == NULL);
	CHECK_EQ(io_uring_sq_ready(ring), 8);
	CHECK_EQ(io_uring_submit(ring), 8);
	CHECK_EQ(io_uring_sq_ready(ring), 0);
	CHECK_EQ(io_uring_sq_space_left(ring), 8);
	CHECK_EQ(io_uring_cq_ready(ring), 8);
	for (int i = 0; i < 8; i++) {
		struct io_uring_cqe *cqe;

		CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, 10 + i);
		io_uring_cqe_seen(ring, cqe);
	}
}

/* SQE flags reach the kernel: IOSQE_CQE_SKIP_SUCCESS hides a CQE. */
static void sqe_flags(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;

	if (!HAVE_FEATURE(IORING_FEAT_CQE_SKIP))
		return;
	queue_nops(ring, 3, 20);
	sqe = &ring->sq.sqes[(ring->sq.sqe_tail - 2) & ring->sq.ring_mask];
	io_uring_sqe_set_flags(sqe, IOSQE_CQE_SKIP_SUCCESS);
	CHECK_EQ(sqe->flags, IOSQE_CQE_SKIP_SUCCESS);
	CHECK_EQ(io_uring_submit_and_wait(ring, 2), 3);
	CHECK_EQ(io_uring_cq_ready(ring), 2);
	io_uring_cq_advance(ring, 2);
	/* The next get_sqe clears the flags again. */
	queue_nops(ring, 8, 30);
	CHECK_EQ(io_uring_submit_and_wait(ring, 8), 8);
	CHECK_EQ(io_uring_cq_ready(ring), 8);
	io_uring_cq_advance(ring, 8);
}

static void submit_variants(struct io_uring *ring)
{
	/* Nothing queued. */
	CHECK_EQ(io_uring_submit(ring), 0);
	CHECK_EQ(io_uring_submit_and_get_events(ring), 0);
	CHECK_EQ(io_uring_get_events(ring), 0);

	queue_nops(ring, 4, 40);
	CHECK_EQ(io_uring_submit_and_wait(ring, 4), 4);
	CHECK_EQ(io_uring_cq_ready(ring), 4);
	io_uring_cq_advance(ring, 4);

	queue_nops(ring, 3, 50);
	CHECK_EQ(io_uring_submit_and_get_events(ring), 3);
	CHECK_EQ(io_uring_cq_ready(ring), 3);
	io_uring_cq_advance(ring, 3);

	/* Queued in two steps, submitted once. */
	queue_nops(ring, 2, 60);
	queue_nops(ring, 2, 62);
	CHECK_EQ(io_uring_sq_ready(ring), 4);
	CHECK_EQ(io_uring_submit(ring), 4);
	CHECK_EQ(io_uring_submit(ring), 0);
	CHECK_EQ(io_uring_cq_ready(ring), 4);
	io_uring_cq_advance(ring, 4);
}

/* Without SQPOLL there is no poller to wait for. */
static void sqring_wait(struct io_uring *ring)
{
	CHECK_EQ(io_uring_sqring_wait(ring), 0);
	queue_nops(ring, 8, 70);
	CHECK_EQ(io_uring_sq_space_left(ring), 0);
	CHECK_EQ(io_uring_sqring_wait(ring), 0);
	CHECK_EQ(io_uring_submit(ring), 8);
	io_uring_cq_advance(ring, io_uring_cq_ready(ring));
}

int main(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	for (int i = 0; i < 5; i++) {	/* several times round the SQ */
		get_sqe(&ring);
		sqe_flags(&ring);
		submit_variants(&ring);
		sqring_wait(&ring);
	}
	io_uring_queue_exit(&ring);
	return 0;
}
