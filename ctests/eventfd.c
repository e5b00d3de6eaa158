/* io_uring_cq_eventfd_enabled / _toggle: with an eventfd registered (raw
 * IORING_REGISTER_EVENTFD), completions signal it only while enabled. A
 * submission that posts nothing signals neither it nor the ring fd. */
#include <poll.h>
#include <sys/eventfd.h>
#include <liburing.h>
#include "helpers.h"

/* Reads and clears the eventfd's counter; 0 when it was not signalled. */
static eventfd_t drain(int efd)
{
	eventfd_t v = 0;

	if (eventfd_read(efd, &v) != 0) {
		CHECK_EQ(errno, EAGAIN);
		return 0;
	}
	return v;
}

/* A read that waits for an empty pipe posts nothing when submitted: no
 * wake-up either. Its CQE, once the pipe has data, signals the eventfd
 * (the userspace engine's reactor may signal it just after the CQE
 * shows). */
static void pending_read(struct io_uring *ring, int efd)
{
	struct pollfd ring_fd = { .fd = ring->ring_fd, .events = POLLIN };
	struct pollfd signalled = { .fd = efd, .events = POLLIN };
	struct io_uring_cqe *cqe;
	int fds[2];
	char c;

	CHECK_EQ(pipe(fds), 0);
	io_uring_prep_read(io_uring_get_sqe(ring), fds[0], &c, 1, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(drain(efd), 0);
	CHECK_EQ(poll(&ring_fd, 1, 0), 0);
	CHECK_EQ(write(fds[1], "x", 1), 1);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->res, 1);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(poll(&signalled, 1, 1000), 1);
	CHECK(drain(efd) >= 1);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	struct io_uring ring;
	unsigned *kflags;
	int efd;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(efd >= 0);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_REGISTER_EVENTFD, &efd, 1), 0);
	CHECK(ring.cq.kflags != NULL);
	pending_read(&ring, efd);

	CHECK(io_uring_cq_eventfd_enabled(&ring));
	nop_roundtrip(&ring, 1);
	CHECK(drain(efd) >= 1);

	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, false), 0);
	CHECK(!io_uring_cq_eventfd_enabled(&ring));
	CHECK(*ring.cq.kflags & IORING_CQ_EVENTFD_DISABLED);
	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, false), 0);	/* already off */
	for (int i = 0; i < 3; i++)
		nop_roundtrip(&ring, 10 + i);
	CHECK_EQ(drain(efd), 0);

	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, true), 0);
	CHECK(io_uring_cq_eventfd_enabled(&ring));
	CHECK(!(*ring.cq.kflags & IORING_CQ_EVENTFD_DISABLED));
	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, true), 0);
	nop_roundtrip(&ring, 20);
	CHECK(drain(efd) >= 1);

	/* A kernel without the CQ flags word: always enabled, cannot switch. */
	kflags = ring.cq.kflags;
	ring.cq.kflags = NULL;
	CHECK(io_uring_cq_eventfd_enabled(&ring));
	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, true), 0);
	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, false), -EOPNOTSUPP);
	ring.cq.kflags = kflags;

	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_EVENTFD, NULL, 0), 0);
	nop_roundtrip(&ring, 30);
	CHECK_EQ(drain(efd), 0);
	close(efd);
	io_uring_queue_exit(&ring);
	return 0;
}
