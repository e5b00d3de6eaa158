/* Ring fd registration: io_uring_register_ring_fd, _unregister_ring_fd and
 * io_uring_close_ring_fd, and that every path (submit, wait, timed wait,
 * register) keeps working through the registered index. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

/* Submits, reaps with and without a timeout, and registers a probe. */
static void exercise(struct io_uring *ring, __u64 tag)
{
	/* `wait` only bounds a wait that ends when its CQEs are in, so it can
	 * be long (an SQPOLL thread on a loaded machine); `expire` must run out. */
	struct __kernel_timespec wait = { .tv_sec = 10 }, expire = { .tv_nsec = 20000000 };
	struct io_uring_cqe *cqe;
	struct io_uring_probe *probe;

	nop_roundtrip(ring, tag);
	queue_nops(ring, 2, tag + 1);
	/* It returns what the kernel had yet to consume when we published the
	 * SQEs: under SQPOLL the poller may already have taken some. */
	int submitted = io_uring_submit_and_wait_timeout(ring, &cqe, 2, &wait, NULL);
	if (ring->flags & IORING_SETUP_SQPOLL)
		CHECK(submitted >= 0 && submitted <= 2);
	else
		CHECK_EQ(submitted, 2);
	CHECK_EQ(io_uring_cq_ready(ring), 2);
	io_uring_cq_advance(ring, 2);
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &expire), -ETIME);
	CHECK(io_uring_get_events(ring) >= 0);
	probe = io_uring_get_probe_ring(ring);
	CHECK(probe != NULL);
	CHECK(io_uring_opcode_supported(probe, IORING_OP_NOP));
	io_uring_free_probe(probe);
}

static void register_and_close(void)
{
	struct io_uring ring;
	int fds, fd;

	NEED_FEATURE(IORING_FEAT_REG_REG_RING);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	fd = ring.ring_fd;
	CHECK_EQ(ring.enter_ring_fd, fd);
	CHECK(!(ring.int_flags & IORING_ENTER_REGISTERED_RING));

	CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
	CHECK(ring.int_flags & IORING_ENTER_REGISTERED_RING);
	CHECK(ring.enter_ring_fd != fd);
	CHECK(ring.enter_ring_fd >= 0);
	CHECK_EQ(ring.ring_fd, fd);
	exercise(&ring, 10);
	CHECK_EQ(io_uring_register_ring_fd(&ring), -EEXIST);

	/* Drop the plain fd: only the registered index reaches the ring. */
	fds = count_fds();
	CHECK_EQ(io_uring_close_ring_fd(&ring), 1);
	CHECK_EQ(ring.ring_fd, -1);
	CHECK_EQ(count_fds(), fds - 1);
	CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF);
	exercise(&ring, 20);
	CHECK_EQ(io_uring_close_ring_fd(&ring), -EBADF);
	io_uring_queue_exit(&ring);
	CHECK_EQ(count_fds(), fds - 1);
}

static void register_and_unregister(void)
{
	struct io_uring a, b;

	CHECK_EQ(io_uring_queue_init(8, &a, 0), 0);
	CHECK_EQ(io_uring_queue_init(8, &b, 0), 0);
	CHECK_EQ(io_uring_unregister_ring_fd(&a), -EINVAL);
	/* Not registered; without IORING_FEAT_REG_REG_RING never possible. */
	CHECK_EQ(io_uring_close_ring_fd(&a), (kernel_features() & IORING_FEAT_REG_REG_RING) ? -EINVAL : -EOPNOTSUPP);

	CHECK_EQ(io_uring_register_ring_fd(&a), 1);
	CHECK_EQ(io_uring_register_ring_fd(&b), 1);
	CHECK(a.enter_ring_fd != b.enter_ring_fd);
	exercise(&a, 30);
	exercise(&b, 40);

	CHECK_EQ(io_uring_unregister_ring_fd(&a), 1);
	CHECK_EQ(a.enter_ring_fd, a.ring_fd);
	CHECK(!(a.int_flags & IORING_ENTER_REGISTERED_RING));
	CHECK_EQ(io_uring_unregister_ring_fd(&a), -EINVAL);
	exercise(&a, 50);
	exercise(&b, 60);

	/* Registering again works and hands out an index. */
	CHECK_EQ(io_uring_register_ring_fd(&a), 1);
	CHECK(a.enter_ring_fd >= 0 && a.enter_ring_fd != a.ring_fd);
	exercise(&a, 70);
	io_uring_queue_exit(&a);
	io_uring_queue_exit(&b);
}

/* A registered SQPOLL ring still wakes its poller. */
static void sqpoll_registered(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 5 };

	ring_init_params(&ring, 8, &p, "IORING_SETUP_SQPOLL");
	CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
	for (int i = 0; i < 3; i++) {
		long long end = now_ns() + 2000000000LL;

		while (!(io_uring_smp_load_acquire(ring.sq.kflags) & IORING_SQ_NEED_WAKEUP)) {
			if (now_ns() > end)
				FAIL("SQPOLL thread never went idle");
			sleep_ms(1);
		}
		exercise(&ring, 80 + 10 * i);
	}
	io_uring_queue_exit(&ring);
}

int main(void)
{
	NEED_RING_FDS();
	register_and_unregister();
	sqpoll_registered();
	register_and_close();
	return 0;
}
