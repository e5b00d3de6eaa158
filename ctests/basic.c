/* The end-to-end path every liburing program takes: init, get_sqe, prep,
 * submit_and_wait, for_each_cqe, cq_advance, exit. */
#include <liburing.h>
#include "harness.h"

int main(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0, mask = 0;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(ring.sq.ring_entries, 8);
	CHECK_EQ(ring.cq.ring_entries, 16);
	CHECK(ring.ring_fd >= 0);
	CHECK_EQ(io_uring_sq_space_left(&ring), 8);

	for (int i = 0; i < 4; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		CHECK(sqe != NULL);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 100 + i);
	}
	CHECK_EQ(io_uring_sq_ready(&ring), 4);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 4), 4);
	CHECK_EQ(io_uring_cq_ready(&ring), 4);

	io_uring_for_each_cqe(&ring, head, cqe) {
		CHECK_EQ(cqe->res, 0);
		CHECK(cqe->user_data >= 100 && cqe->user_data < 104);
		mask |= 1u << (cqe->user_data - 100);
		seen++;
	}
	CHECK_EQ(seen, 4);
	CHECK_EQ(mask, 0xf);
	io_uring_cq_advance(&ring, seen);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	CHECK(cqe == NULL);

	/* wait_cqe / cqe_seen / get_data round trip. */
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data(sqe, &ring);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK(io_uring_cqe_get_data(cqe) == &ring);
	io_uring_cqe_seen(&ring, cqe);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);

	io_uring_queue_exit(&ring);
	return 0;
}
