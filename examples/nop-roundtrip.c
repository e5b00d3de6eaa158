/* The smallest complete liburing program: queue a few no-ops, submit them,
 * wait, walk the completions, hand the slots back. */
#include <stdio.h>
#include <liburing.h>

int main(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned head, count = 0;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "queue_init: %d\n", ret);
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, i);
	}
	ret = io_uring_submit_and_wait(&ring, 3);
	if (ret != 3) {
		fprintf(stderr, "submit_and_wait: %d\n", ret);
		return 1;
	}
	io_uring_for_each_cqe(&ring, head, cqe) {
		printf("nop %llu completed with %d\n", (unsigned long long) cqe->user_data, cqe->res);
		count++;
	}
	io_uring_cq_advance(&ring, count);
	io_uring_queue_exit(&ring);
	return count == 3 ? 0 : 1;
}
