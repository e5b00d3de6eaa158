/* CQ overflow on an emulated ring shared across fork(), the PostgreSQL
 * pattern: a child overflows the CQ by four times its size and exits
 * without reaping, the parent overflows it further, and the parent gets
 * every CQE, in order, once it makes room, as from a kernel ring. The
 * engine keeps overflowed CQEs in a queue mapped at setup, which every
 * process sharing the ring flushes: four per CQ entry, the child's here;
 * newer ones wait in the heap of the process that posted them, the
 * parent's here (README). */
#include <liburing.h>
#include <liburing/rs.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

#define EXTRA 4 /* times the CQ's size past it, from the child */
#define MINE 5 /* and then from the parent */

/* Queues NOPs with user_data `from` to `to`, submitting as the SQ fills. */
static void nops(struct io_uring *ring, unsigned from, unsigned to)
{
	for (unsigned i = from; i <= to; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe) {
			CHECK(io_uring_submit(ring) > 0);
			sqe = io_uring_get_sqe(ring);
		}
		io_uring_prep_nop(sqe);
		sqe->user_data = i;
	}
	CHECK(io_uring_submit(ring) > 0);
}

int main(void)
{
	/* In shared memory, as PostgreSQL keeps it: the SQ's local head and
	 * tail must be the same in both processes. */
	struct io_uring *ring = mmap(NULL, sizeof(*ring), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct __kernel_timespec ts = { .tv_sec = 5 };
	struct io_uring_cqe *cqe;
	unsigned cq, next = 1;
	int status;
	pid_t child;

	CHECK(ring != MAP_FAILED);
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(4, ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(ring), 1);
	cq = ring->cq.ring_entries;
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		nops(ring, 1, cq + EXTRA * cq);
		exit(0);
	}
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW);
	CHECK_EQ(io_uring_cq_ready(ring), cq);
	nops(ring, cq + EXTRA * cq + 1, cq + EXTRA * cq + MINE);
	while (next <= cq + EXTRA * cq + MINE) {
		/* Each wait flushes what the child left once there is room. */
		CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), 0);
		CHECK_EQ(cqe->user_data, next);
		CHECK_EQ(cqe->res, 0);
		io_uring_cqe_seen(ring, cqe);
		next++;
	}
	CHECK_EQ(io_uring_cq_ready(ring), 0);
	CHECK(!(IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW));
	CHECK_EQ(*ring->cq.koverflow, 0);
	io_uring_queue_exit(ring);
	return 0;
}
