/* io_uring_prep_waitid against real children: the exit status, the pid
 * filter, WNOHANG, and a wait that only completes when the child exits. */
#include <signal.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;

static pid_t child(int status, int wait_fd)
{
	pid_t pid = fork();
	char c;

	CHECK(pid >= 0);
	if (pid == 0) {
		if (wait_fd >= 0 && read(wait_fd, &c, 1) < 0)
			_exit(99);
		_exit(status);
	}
	return pid;
}

int main(void)
{
	siginfo_t info;
	pid_t a, b;
	int p[2];

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_WAITID);
	CHECK_EQ(pipe(p), 0);

	/* An exited child: its pid, CLD_EXITED and the status. */
	a = child(42, -1);
	memset(&info, 0, sizeof(info));
	io_uring_prep_waitid(sqe_of(&ring), P_PID, a, &info, WEXITED, 0);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(info.si_pid, a);
	CHECK_EQ(info.si_code, CLD_EXITED);
	CHECK_EQ(info.si_status, 42);
	/* Reaped: a second wait finds no such child. */
	io_uring_prep_waitid(sqe_of(&ring), P_PID, a, &info, WEXITED, 0);
	CHECK_EQ(run1(&ring), -ECHILD);

	/* A running child: WNOHANG returns at once with no pid... */
	b = child(7, p[0]);
	memset(&info, 0, sizeof(info));
	io_uring_prep_waitid(sqe_of(&ring), P_PID, b, &info, WEXITED | WNOHANG, 0);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(info.si_pid, 0);

	/* ...and a blocking wait completes only once it exits. */
	io_uring_prep_waitid(sqe_of(&ring), P_ALL, 0, &info, WEXITED, 0);
	submit_n(&ring, 1);
	usleep(20000);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(write(p[1], "go", 1), 1);
	CHECK_EQ(next_cqe(&ring).res, 0);
	CHECK_EQ(info.si_pid, b);
	CHECK_EQ(info.si_status, 7);

	/* Bad options are refused: they reach the kernel. */
	io_uring_prep_waitid(sqe_of(&ring), P_ALL, 0, &info, 0, 0);
	CHECK_EQ(run1(&ring), -EINVAL);

	io_uring_queue_exit(&ring);
	return 0;
}
