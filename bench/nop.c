/* NOP round trips: queue `batch` no-ops, submit and wait for all, reap them.
 * Prints ns per NOP. Usage: nop <batch> <total-nops> */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <liburing.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned batch = argc > 1 ? atoi(argv[1]) : 32;
	unsigned long total = argc > 2 ? atol(argv[2]) : 1000000;
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	if (io_uring_queue_init(batch < 8 ? 8 : batch, &ring, 0) < 0)
		return 1;
	double start = now_ns();
	for (unsigned long done = 0; done < total; done += batch) {
		for (unsigned i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, i);
		}
		if (io_uring_submit_and_wait(&ring, batch) != (int) batch)
			return 1;
		for (unsigned i = 0; i < batch; i++) {
			if (io_uring_peek_cqe(&ring, &cqe) || cqe->res != 0)
				return 1;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	double ns = now_ns() - start;
	printf("%.2f\n", ns / total);
	io_uring_queue_exit(&ring);
	return 0;
}
