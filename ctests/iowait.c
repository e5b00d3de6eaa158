/* io_uring_set_iowait: 0 when the kernel has IORING_FEAT_NO_IOWAIT (and the
 * choice rides on every wait as IORING_ENTER_NO_IOWAIT), -EOPNOTSUPP when
 * it does not. */
#include <liburing.h>
#include "helpers.h"

/* Waits still work with the current setting. */
static void waits(struct io_uring *ring)
{
	struct __kernel_timespec ts = { .tv_nsec = 5000000 };
	struct io_uring_cqe *cqe;

	nop_roundtrip(ring, 1);
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), -ETIME);
	queue_nops(ring, 2, 2);
	CHECK_EQ(io_uring_submit_and_wait(ring, 2), 2);
	io_uring_cq_advance(ring, 2);
}

int main(void)
{
	struct io_uring ring;
	unsigned features;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	features = ring.features;
	if (features & IORING_FEAT_NO_IOWAIT) {
		CHECK_EQ(io_uring_set_iowait(&ring, false), 0);
		CHECK(ring.int_flags & IORING_ENTER_NO_IOWAIT);
		waits(&ring);
		CHECK_EQ(io_uring_set_iowait(&ring, true), 0);
		CHECK(!(ring.int_flags & IORING_ENTER_NO_IOWAIT));
		waits(&ring);
	} else {
		CHECK_EQ(io_uring_set_iowait(&ring, false), -EOPNOTSUPP);
		fprintf(stderr, "note: kernel lacks IORING_FEAT_NO_IOWAIT\n");
	}
	/* Whatever the kernel, the answer follows ring.features. */
	ring.features = features & ~IORING_FEAT_NO_IOWAIT;
	CHECK_EQ(io_uring_set_iowait(&ring, false), -EOPNOTSUPP);
	CHECK_EQ(io_uring_set_iowait(&ring, true), -EOPNOTSUPP);
	ring.features = features;
	waits(&ring);
	io_uring_queue_exit(&ring);
	return 0;
}
