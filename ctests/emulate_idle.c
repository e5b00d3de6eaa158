/* An idle server on an emulated ring uses no CPU (issue 15: the reactor
 * never spins): with a RECV armed on each of up to 10k sockets and nothing
 * arriving, the engine's threads (every thread but this one) gain at most
 * one clock tick of user + system time over a second. A reactor that
 * polled, or scanned its 10k requests on every loop, would spend most of
 * that second. The receives then still answer: a byte written to some of
 * the peers completes theirs. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "tasks.h"

#define MAX_PAIRS 10000

static int peer[MAX_PAIRS];
static char byte[MAX_PAIRS];

static long task_ticks(const char *tid, void *arg)
{
	unsigned long utime, stime;
	char line[512], *p;

	(void) arg;
	if (atoi(tid) == getpid() || !task_line(tid, "stat", line, sizeof(line)))
		return 0; /* the caller, or a thread that just ended */
	/* Fields after the command's closing parenthesis: state is the 3rd
	 * field of the line, utime and stime the 14th and 15th. */
	CHECK((p = strrchr(line, ')')) != NULL);
	CHECK_EQ(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime), 2);
	return utime + stime;
}

/* User + system ticks of this process's threads other than the calling one. */
static long engine_ticks(void)
{
	return each_task(task_ticks, NULL);
}

/* As many socket pairs as the file limit allows, up to MAX_PAIRS. */
static int pairs_allowed(void)
{
	struct rlimit lim;

	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
	/* With CAP_SYS_RESOURCE (root in the kernel matrix's VMs, whose
	 * limit is 1024) the hard limit may rise too; without, it stays. */
	if (lim.rlim_max < 2 * MAX_PAIRS + 64) {
		struct rlimit more = { 2 * MAX_PAIRS + 64, 2 * MAX_PAIRS + 64 };

		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			lim = more;
	}
	lim.rlim_cur = lim.rlim_max;
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
	return lim.rlim_cur < 2 * MAX_PAIRS + 64 ? (int)(lim.rlim_cur - 64) / 2 : MAX_PAIRS;
}

int main(void)
{
	int n = quick(pairs_allowed()), done = 0;
	struct timespec second = { 1, 0 }, settle = { 0, 200000000 };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	long before, spent;

	setenv("URING_RS_EMULATE", "always", 0);
	CHECK(n >= 256);
	CHECK_EQ(io_uring_queue_init(1024, &ring, 0), 0);
	if (!io_uring_rs_is_emulated(&ring))
		SKIP("the ring is not emulated (URING_RS_EMULATE=%s)", getenv("URING_RS_EMULATE"));
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		int sv[2];

		CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
		peer[i] = sv[1];
		io_uring_prep_recv(sqe, sv[0], &byte[i], 1, 0);
		io_uring_sqe_set_data64(sqe, i);
		if (io_uring_sq_space_left(&ring) == 0)
			CHECK_EQ(io_uring_submit(&ring), 1024);
	}
	CHECK(io_uring_submit(&ring) >= 0);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);

	nanosleep(&settle, NULL);
	before = engine_ticks();
	nanosleep(&second, NULL);
	spent = engine_ticks() - before;
	if (spent > 1)
		FAIL("the engine's threads used %ld ticks in an idle second, %d receives armed", spent, n);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);

	/* Every 64th receive gets its byte, and only those complete. */
	for (int i = 0; i < n; i += 64)
		CHECK_EQ(write(peer[i], "x", 1), 1);
	for (int i = 0; i < n; i += 64, done++) {
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		CHECK_EQ(cqe->res, 1);
		CHECK_EQ(cqe->user_data % 64, 0);
		CHECK_EQ(byte[cqe->user_data], 'x');
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	io_uring_queue_exit(&ring);
	printf("%d receives armed, %ld ticks used idle, %d answered\n", n, spent, done);
	return 0;
}
