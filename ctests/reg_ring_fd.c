/* The registered ring fd: once registered, io_uring_enter and
 * io_uring_register go through the index (int_flags and enter_ring_fd
 * switch exactly as liburing's do), which keeps working after the plain fd
 * is closed; unregistering switches back. */
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"
#include "syscall_spy.h"

/* liburing's private int_flags bits (src/int_flags.h). */
#define INT_FLAG_REG_RING	IORING_ENTER_REGISTERED_RING
#define INT_FLAG_REG_REG_RING	1

static void nop_round(struct io_uring *ring, __u64 ud)
{
	sqe_nop(ring, ud);
	CHECK_EQ(submit_reap(ring, ud), 0);
}

/* Every io_uring_enter since `mark` went to `fd`, with
 * IORING_ENTER_REGISTERED_RING exactly when `registered`; so did every
 * io_uring_register (flagged IORING_REGISTER_USE_REGISTERED_RING) when
 * `reg_too`. At least one enter was made. */
static void kernel_saw(unsigned mark, int fd, bool registered, bool reg_too)
{
	const struct spy_call *c;
	unsigned i = mark, enters = 0;

	while ((c = spy_next(&i, __NR_io_uring_enter))) {
		enters++;
		CHECK_EQ((int) c->args[0], fd);
		CHECK_EQ(!!(c->args[3] & IORING_ENTER_REGISTERED_RING), registered);
	}
	CHECK(enters > 0);
	for (i = mark; reg_too && (c = spy_next(&i, __NR_io_uring_register));) {
		CHECK_EQ((int) c->args[0], fd);
		CHECK_EQ(!!(c->args[1] & IORING_REGISTER_USE_REGISTERED_RING), registered);
	}
}

static void register_and_close(void)
{
	struct io_uring ring;
	int fd, efd, reg_reg;
	uint64_t v;

	unsigned mark;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	fd = ring.ring_fd;
	reg_reg = !!(kernel_features() & IORING_FEAT_REG_REG_RING);
	CHECK_EQ(ring.int_flags, 0);
	CHECK_EQ(ring.enter_ring_fd, fd);

	CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
	CHECK_EQ(ring.int_flags, INT_FLAG_REG_RING | (reg_reg ? INT_FLAG_REG_REG_RING : 0));
	CHECK(ring.enter_ring_fd >= 0 && ring.enter_ring_fd < 16);
	CHECK_EQ(ring.ring_fd, fd);
	CHECK_EQ(io_uring_register_ring_fd(&ring), -EEXIST);

	/* The index is a real registered ring: a raw enter through it works. */
	CHECK_EQ(io_uring_enter(ring.enter_ring_fd, 0, 0,
				IORING_ENTER_REGISTERED_RING | IORING_ENTER_GETEVENTS, NULL), 0);
	mark = spy_mark();
	nop_round(&ring, 1);
	kernel_saw(mark, ring.enter_ring_fd, true, false);

	if (!reg_reg) {
		CHECK_EQ(io_uring_close_ring_fd(&ring), -EOPNOTSUPP);
		io_uring_queue_exit(&ring);
		return;
	}
	/* Close the plain fd: only the index reaches the ring now. */
	CHECK_EQ(io_uring_close_ring_fd(&ring), 1);
	CHECK_EQ(ring.ring_fd, -1);
	CHECK_EQ(fcntl(fd, F_GETFD), -1);
	CHECK_EQ(io_uring_close_ring_fd(&ring), -EBADF);
	mark = spy_mark();
	nop_round(&ring, 2);

	/* Registrations use the index too. */
	efd = eventfd(0, EFD_NONBLOCK);
	CHECK(efd >= 0);
	CHECK_EQ(io_uring_register_eventfd(&ring, efd), 0);
	nop_round(&ring, 3);
	CHECK_EQ(read(efd, &v, sizeof(v)), (ssize_t) sizeof(v));
	CHECK(v >= 1);
	CHECK_EQ(io_uring_unregister_eventfd(&ring), 0);
	CHECK_EQ(io_uring_register_files_sparse(&ring, 4), 0);
	close(efd);

	/* Waiting with a timeout also enters through the index. */
	CHECK(no_cqe_within(&ring, 10));
	kernel_saw(mark, ring.enter_ring_fd, true, true);
	io_uring_queue_exit(&ring);
}

static void register_and_unregister(void)
{
	struct io_uring ring;
	unsigned mark;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_unregister_ring_fd(&ring), -EINVAL);
	CHECK_EQ(io_uring_close_ring_fd(&ring), (ring.features & IORING_FEAT_REG_REG_RING) ? -EINVAL : -EOPNOTSUPP);

	CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
	mark = spy_mark();
	nop_round(&ring, 4);
	kernel_saw(mark, ring.enter_ring_fd, true, false);
	CHECK_EQ(io_uring_unregister_ring_fd(&ring), 1);
	CHECK_EQ(ring.int_flags, 0);
	CHECK_EQ(ring.enter_ring_fd, ring.ring_fd);
	CHECK_EQ(io_uring_unregister_ring_fd(&ring), -EINVAL);
	mark = spy_mark();
	nop_round(&ring, 5);
	kernel_saw(mark, ring.ring_fd, false, true);

	/* Registering again works (a slot was freed). */
	CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
	nop_round(&ring, 6);
	io_uring_queue_exit(&ring);

	CHECK_EQ(io_uring_register_ring_fd(NULL), -EFAULT);
	CHECK_EQ(io_uring_unregister_ring_fd(NULL), -EFAULT);
	CHECK_EQ(io_uring_close_ring_fd(NULL), -EFAULT);
}

/* Exiting a ring whose fd is registered frees its slot: many rings in a
 * row never run out of the 16 slots. */
static void exit_frees_slot(void)
{
	for (int i = 0; i < 40; i++) {
		struct io_uring ring;

		CHECK_EQ(io_uring_queue_init(2, &ring, 0), 0);
		CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
		io_uring_queue_exit(&ring);
	}
}

int main(void)
{
	NEED_RING_FDS();
	spy_start();
	register_and_close();
	register_and_unregister();
	exit_frees_slot();
	return 0;
}
