/* A program compiled against upstream liburing's own header (Debian's
 * liburing-dev, whose get_sqe, peek and cqe_seen are inline) keeps working
 * on our library while its ring fd is registered and its plain fd closed.
 * The inline code reads struct io_uring directly, so this ties our state
 * to upstream's layout and conventions. */
#if __has_include("/usr/include/liburing.h")
#include "/usr/include/liburing.h"
#include <sys/syscall.h>
#include <unistd.h>
#include "harness.h"

/* Newer than liburing 2.3's header; part of our library. */
int io_uring_close_ring_fd(struct io_uring *ring);
#ifndef IORING_FEAT_REG_REG_RING
#define IORING_FEAT_REG_REG_RING	(1U << 13)
#endif

static void round_trip(struct io_uring *ring, int n)
{
	struct io_uring_cqe *cqe;

	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		CHECK(sqe != NULL);
		io_uring_prep_nop(sqe);
		sqe->user_data = 100 + i;
	}
	CHECK_EQ(io_uring_submit(ring), n);
	for (int i = 0; i < n; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, 100 + i);
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), -EAGAIN);
}

/* The kernel's own answer, raw (kernel.h needs our header, not upstream's):
 * the features of a raw ring that registers its fd; 0 when it cannot. */
static unsigned raw_ring_fds_features(void)
{
	struct io_uring_params p = { 0 };
	struct io_uring_rsrc_update up = { .offset = -1U };
	int fd = syscall(__NR_io_uring_setup, 1, &p), ret;

	CHECK(fd >= 0);
	up.data = fd;
	ret = syscall(__NR_io_uring_register, fd, IORING_REGISTER_RING_FDS, &up, 1);
	close(fd);
	return ret == 1 ? p.features | 1u << 31 : 0;
}

int main(void)
{
	struct io_uring ring;
	unsigned features = raw_ring_fds_features();

	if (!features)
		SKIP("kernel lacks IORING_REGISTER_RING_FDS");
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	round_trip(&ring, 3);
	CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
	CHECK(ring.int_flags & IORING_ENTER_REGISTERED_RING);
	round_trip(&ring, 8);
	if (features & IORING_FEAT_REG_REG_RING) {
		CHECK_EQ(io_uring_close_ring_fd(&ring), 1);
		CHECK_EQ(ring.ring_fd, -1);
		for (int i = 0; i < 4; i++)
			round_trip(&ring, 5);
	}
	io_uring_queue_exit(&ring);
	return 0;
}
#else
#include "harness.h"
int main(void)
{
	SKIP("no upstream liburing header at /usr/include/liburing.h (install liburing-dev)");
}
#endif
