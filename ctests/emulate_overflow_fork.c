/* CQ overflow on an emulated ring shared across fork(), the PostgreSQL
 * pattern: a child overflows the CQ and exits without reaping, and the
 * parent gets every CQE, in order, once it makes room, as from a kernel
 * ring. The engine keeps the first CQEs to overflow in the ring's shared
 * mapping, where any process that shares the ring flushes them (later ones
 * wait in the memory of the process that posted them: README). */
#include <liburing.h>
#include <liburing/rs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

#define EXTRA 4 /* CQEs past the CQ's size */

int main(void)
{
	struct io_uring ring;
	struct __kernel_timespec ts = { .tv_sec = 5 };
	struct io_uring_cqe *cqe;
	unsigned cq, next = 1;
	int status;
	pid_t child;

	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	cq = ring.cq.ring_entries;
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		for (unsigned i = 1; i <= cq + EXTRA; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			if (!sqe) {
				CHECK(io_uring_submit(&ring) > 0);
				sqe = io_uring_get_sqe(&ring);
			}
			io_uring_prep_nop(sqe);
			sqe->user_data = i;
		}
		CHECK(io_uring_submit(&ring) > 0);
		exit(0);
	}
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_CQ_OVERFLOW);
	CHECK_EQ(io_uring_cq_ready(&ring), cq);
	while (next <= cq + EXTRA) {
		/* Each wait flushes what the child left once there is room. */
		CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), 0);
		CHECK_EQ(cqe->user_data, next);
		CHECK_EQ(cqe->res, 0);
		io_uring_cqe_seen(&ring, cqe);
		next++;
	}
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK(!(IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_CQ_OVERFLOW));
	CHECK_EQ(*ring.cq.koverflow, 0);
	io_uring_queue_exit(&ring);
	return 0;
}
