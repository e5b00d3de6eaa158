/* The worker registrations on an emulated ring, as on a kernel ring:
 * IORING_REGISTER_IOWQ_MAX_WORKERS reports the limits and sets those
 * given, and IORING_REGISTER_IOWQ_AFF moves the engine's workers (the
 * threads that run IOSQE_ASYNC file reads) onto the CPUs registered. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "harness.h"
#include "tasks.h"

/* Reads a byte of `fd` on a worker (IOSQE_ASYNC). */
static void async_read(struct io_uring *ring, int fd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	char c;

	io_uring_prep_read(sqe, fd, &c, 1, 0);
	sqe->flags |= IOSQE_ASYNC;
	CHECK_EQ(io_uring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->res, 1);
	io_uring_cqe_seen(ring, cqe);
}

static long pinned_to(const char *tid, void *arg)
{
	int cpu = *(int *) arg;
	cpu_set_t set;

	if (sched_getaffinity(atoi(tid), sizeof(set), &set))
		return 0;
	return CPU_COUNT(&set) == 1 && CPU_ISSET(cpu, &set);
}

/* How many of this process's threads may run on `cpu` alone. */
static int threads_on(int cpu)
{
	return each_task(pinned_to, &cpu);
}

int main(void)
{
	char tmpl[] = "/tmp/uring-rs-workers-XXXXXX";
	unsigned limits[2] = { 0, 0 };
	struct io_uring ring;
	cpu_set_t mine, one;
	int fd = mkstemp(tmpl), cpu = -1;

	CHECK(fd >= 0);
	unlink(tmpl);
	CHECK_EQ(write(fd, "x", 1), 1);
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);

	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, limits), 0);
	CHECK(limits[0] > 0 && limits[1] > 0);
	limits[0] = 2;
	limits[1] = 0;
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, limits), 0);
	CHECK(limits[0] > 2 && limits[1] > 0);
	limits[0] = limits[1] = 0;
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, limits), 0);
	CHECK_EQ(limits[0], 2);
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, NULL), -EINVAL);

	CHECK_EQ(io_uring_register_iowq_aff(&ring, 0, NULL), -EINVAL);
	CHECK_EQ(sched_getaffinity(0, sizeof(mine), &mine), 0);
	if (CPU_COUNT(&mine) < 2)
		SKIP("one CPU to run on: no worker affinity to tell apart");
	for (int i = CPU_SETSIZE - 1; i >= 0 && cpu < 0; i--)
		if (CPU_ISSET(i, &mine))
			cpu = i;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK_EQ(threads_on(cpu), 0);
	CHECK_EQ(io_uring_register_iowq_aff(&ring, sizeof(one), &one), 0);
	async_read(&ring, fd);
	CHECK(threads_on(cpu) >= 1);
	CHECK_EQ(io_uring_unregister_iowq_aff(&ring), 0);
	async_read(&ring, fd);
	async_read(&ring, fd);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}
