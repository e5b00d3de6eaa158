/* Floods: 100k NOPs against a 64-entry CQ without reaping, every completion
 * then recovered exactly once through the overflow path; and an SQPOLL ring
 * that idles, sleeps and is woken again and again. */
#include <time.h>
#include <liburing.h>
#include "harness.h"
#include "kernel.h"

#define FLOOD 100000

static unsigned char seen[FLOOD];

static void overflow_flood(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 64 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned n = 0;

	NEED_FEATURE(IORING_FEAT_NODROP);
	CHECK_EQ(io_uring_queue_init_params(64, &ring, &p), 0);
	CHECK_EQ(ring.cq.ring_entries, 64);
	while (n < FLOOD) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		if (!sqe) {
			int ret = io_uring_submit(&ring);
			CHECK(ret > 0 || ret == -EBUSY);
			continue;
		}
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, n++);
	}
	CHECK(io_uring_submit(&ring) >= 0);
	CHECK(io_uring_cq_has_overflow(&ring));
	for (unsigned got = 0; got < FLOOD; got++) {
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		CHECK(cqe->user_data < FLOOD);
		CHECK_EQ(seen[cqe->user_data]++, 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	CHECK(!io_uring_cq_has_overflow(&ring));
	io_uring_queue_exit(&ring);
}

/* The SQPOLL thread sleeps after `sq_thread_idle` ms without work; every
 * submission after that must wake it (IORING_ENTER_SQ_WAKEUP). Each round
 * costs a few ms of idling, so `make test` does 300 and `make check-all`
 * (FLOOD_WAKEUPS=10000) the full count. */
static void sqpoll_wakeups(int rounds)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 1 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned slept = 0;

	ring_init_params(&ring, 8, &p, "IORING_SETUP_SQPOLL");
	for (int i = 0; i < rounds; i++) {
		/* Let it go to sleep (idle is 1 ms). */
		for (int spin = 0; spin < 200 && !(IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_NEED_WAKEUP); spin++) {
			struct timespec ts = { 0, 100000 };
			nanosleep(&ts, NULL);
		}
		slept += !!(IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_NEED_WAKEUP);
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		CHECK(sqe);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, i);
		CHECK_EQ(io_uring_submit(&ring), 1);
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, i);
		io_uring_cqe_seen(&ring, cqe);
	}
	/* Most rounds must really have found the thread asleep. */
	CHECK(slept > (unsigned) rounds / 2);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	overflow_flood();
	sqpoll_wakeups(getenv("FLOOD_WAKEUPS") ? atoi(getenv("FLOOD_WAKEUPS")) : 300);
	return 0;
}
