/* io_uring_cq_eventfd_enabled / _toggle: with an eventfd registered (raw
 * IORING_REGISTER_EVENTFD), completions signal it only while enabled. */
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
