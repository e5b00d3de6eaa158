/* A registered eventfd is signalled by completions (all of them, or with
 * the _async variant only those posted by io-wq workers), and stops being
 * signalled once unregistered. */
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <sys/socket.h>
#include "reg_helpers.h"

/* The eventfd's counter, reset to 0; 0 when it was not signalled. */
static uint64_t drain(int efd)
{
	uint64_t v = 0;

	if (read(efd, &v, sizeof(v)) != sizeof(v)) {
		CHECK_EQ(errno, EAGAIN);
		return 0;
	}
	return v;
}

/* The eventfd's counter once it is signalled, waiting up to 2 s: an io-wq
 * worker publishes its CQE a moment before it signals the eventfd, and the
 * program may reap the CQE in between. */
static uint64_t signalled(int efd)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };

	CHECK(poll(&pfd, 1, 2000) >= 0);
	return drain(efd);
}

static void nop_round(struct io_uring *ring)
{
	sqe_nop(ring, 9);
	CHECK_EQ(submit_reap(ring, 9), 0);
}

int main(void)
{
	struct io_uring ring;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int p[2];
	char c;

	CHECK(efd >= 0);
	/* A socket: polled (not punted to io-wq) on every kernel. */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, p), 0);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_register_eventfd(NULL, efd), -EFAULT);

	/* Nothing registered: completions leave the eventfd alone. */
	nop_round(&ring);
	CHECK_EQ(drain(efd), 0);
	CHECK_EQ(io_uring_unregister_eventfd(&ring), -ENXIO);

	CHECK_EQ(io_uring_register_eventfd(&ring, efd), 0);
	CHECK_EQ(io_uring_register_eventfd(&ring, efd), -EBUSY);
	nop_round(&ring);
	CHECK(signalled(efd) >= 1);
	nop_round(&ring);
	CHECK(signalled(efd) >= 1);

	CHECK_EQ(io_uring_unregister_eventfd(&ring), 0);
	nop_round(&ring);
	CHECK_EQ(drain(efd), 0);
	CHECK_EQ(io_uring_register_eventfd(&ring, -1), -EBADF);

	/* Async only: an inline NOP does not signal, nor does a socket read
	 * completed by poll-driven task work; work done by an io-wq worker
	 * (IOSQE_ASYNC) does. */
	CHECK_EQ(io_uring_register_eventfd_async(&ring, efd), 0);
	nop_round(&ring);
	CHECK_EQ(drain(efd), 0);
	sqe_op(&ring, IORING_OP_READ, p[0], &c, 1, 0, 5);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK(no_cqe_within(&ring, 20));
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(reap(&ring).res, 1);
	CHECK_EQ(c, 'z');
	CHECK_EQ(drain(efd), 0);
	sqe_nop(&ring, 9)->flags |= IOSQE_ASYNC;
	CHECK_EQ(submit_reap(&ring, 9), 0);
	CHECK(signalled(efd) >= 1);
	CHECK_EQ(io_uring_unregister_eventfd(&ring), 0);

	io_uring_queue_exit(&ring);
	close(efd);
	return 0;
}
