/* io_uring_set_iowait: 0 when the kernel has IORING_FEAT_NO_IOWAIT (and the
 * choice rides on every wait as IORING_ENTER_NO_IOWAIT, as the kernel sees
 * the enter calls), -EOPNOTSUPP when it does not. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"
#include "syscall_spy.h"

/* Waits still work with the current setting; every waiting enter they
 * make carries IORING_ENTER_NO_IOWAIT exactly when `no_iowait`. */
static void waits(struct io_uring *ring, bool no_iowait)
{
	struct __kernel_timespec ts = { .tv_nsec = 5000000 };
	struct io_uring_cqe *cqe;
	const struct spy_call *c;
	unsigned i = spy_mark(), waiting = 0;

	nop_roundtrip(ring, 1);
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), -ETIME);
	queue_nops(ring, 2, 2);
	CHECK_EQ(io_uring_submit_and_wait(ring, 2), 2);
	io_uring_cq_advance(ring, 2);
	while ((c = spy_next(&i, __NR_io_uring_enter))) {
		if (!(c->args[3] & IORING_ENTER_GETEVENTS))
			continue;
		waiting++;
		CHECK_EQ(!!(c->args[3] & IORING_ENTER_NO_IOWAIT), no_iowait);
	}
	CHECK(waiting >= 2);
}

int main(void)
{
	struct io_uring ring;
	unsigned features;

	spy_start();
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	features = ring.features;
	CHECK_EQ(features, kernel_features());
	waits(&ring, false);
	if (HAVE_FEATURE(IORING_FEAT_NO_IOWAIT)) {
		CHECK_EQ(io_uring_set_iowait(&ring, false), 0);
		waits(&ring, true);
		CHECK_EQ(io_uring_set_iowait(&ring, true), 0);
		waits(&ring, false);
	} else {
		CHECK_EQ(io_uring_set_iowait(&ring, false), -EOPNOTSUPP);
		waits(&ring, false);
	}
	/* Whatever the kernel, the answer follows ring.features. */
	ring.features = features & ~IORING_FEAT_NO_IOWAIT;
	CHECK_EQ(io_uring_set_iowait(&ring, false), -EOPNOTSUPP);
	CHECK_EQ(io_uring_set_iowait(&ring, true), -EOPNOTSUPP);
	ring.features = features;
	waits(&ring, false);
	io_uring_queue_exit(&ring);
	return 0;
}
