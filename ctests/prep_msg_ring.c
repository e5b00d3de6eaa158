/* Ring-to-ring messages: CQEs posted on another ring with chosen res,
 * user_data and flags, and direct descriptors passed between rings. */
#include "prep_util.h"
#include "kernel.h"

static struct io_uring a, b;

/* The next CQE on `ring`, failing if none arrives within a second. */
static struct io_uring_cqe cqe_on(struct io_uring *ring)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_cqe *cqe, copy;

	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), 0);
	copy = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return copy;
}

static void data_messages(void)
{
	struct io_uring_cqe cqe, *none;

	io_uring_prep_msg_ring(sqe_of(&a), b.ring_fd, 0x55, 0xcafe, 0);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, 0);
	cqe = cqe_on(&b);
	CHECK_EQ(cqe.user_data, 0xcafe);
	CHECK_EQ(cqe.res, 0x55);
	CHECK_EQ(cqe.flags, 0);

	/* An unknown flag is refused: the flags reach the kernel. */
	io_uring_prep_msg_ring(sqe_of(&a), b.ring_fd, 7, 0xbeef, 1u << 7);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, -EINVAL);
	CHECK_EQ(io_uring_peek_cqe(&b, &none), -EAGAIN);

	/* The target CQE's flags are ours to choose, where a hand-built
	 * IORING_MSG_RING_FLAGS_PASS to a raw ring works. */
	struct io_uring_params rp = { 0 };
	int raw = raw_setup(1, &rp);
	CHECK(raw >= 0);
	struct io_uring_sqe pass = { .opcode = IORING_OP_MSG_RING, .fd = raw, .addr = IORING_MSG_DATA,
				     .msg_ring_flags = IORING_MSG_RING_FLAGS_PASS, .file_index = 0x00ab0000 };
	int kernel = kernel_sqe(&pass);
	close(raw);
	if (kernel) {
		lacks_case("IORING_MSG_RING_FLAGS_PASS");
		goto not_a_ring;
	}
	io_uring_prep_msg_ring_cqe_flags(sqe_of(&a), b.ring_fd, 9, 0xf00d, 0, 0x00ab0000);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, 0);
	cqe = cqe_on(&b);
	CHECK(cqe.user_data == 0xf00d && cqe.res == 9);
	CHECK_EQ(cqe.flags, 0x00ab0000);

not_a_ring:
	/* Not a ring: refused. */
	io_uring_prep_msg_ring(sqe_of(&a), 0, 1, 1, 0);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, -EBADFD);
}

/* Reads through direct descriptor `slot` of `ring`. */
static int read_direct(struct io_uring *ring, int slot, char *buf, unsigned len)
{
	struct io_uring_sqe *sqe = sqe_of(ring);

	io_uring_prep_read(sqe, slot, buf, len, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	submit_n(ring, 1);
	return cqe_on(ring).res;
}

static void fd_messages(void)
{
	char path[128], buf[8] = { 0 };
	struct io_uring_cqe cqe;
	int fd, slot;

	snprintf(path, sizeof(path), "%s/data", scratch_dir());
	fd = open(path, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "passed", 6), 6);
	register_sparse_files(&a, 4);
	register_sparse_files(&b, 4);
	io_uring_prep_files_update(sqe_of(&a), &fd, 1, 0);
	CHECK_EQ(run1(&a), 1);

	/* A's slot 0 becomes B's slot 2. */
	io_uring_prep_msg_ring_fd(sqe_of(&a), b.ring_fd, 0, 2, 0x77, 0);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, 0);
	cqe = cqe_on(&b);
	CHECK(cqe.user_data == 0x77 && cqe.res == 0);
	CHECK_EQ(read_direct(&b, 2, buf, 6), 6);
	CHECK(memcmp(buf, "passed", 6) == 0);

	/* Into any free slot of B: both CQEs carry the slot. */
	io_uring_prep_msg_ring_fd_alloc(sqe_of(&a), b.ring_fd, 0, 0x78, 0);
	submit_n(&a, 1);
	slot = cqe_on(&a).res;
	CHECK(slot >= 0 && slot < 4 && slot != 2);
	cqe = cqe_on(&b);
	CHECK(cqe.user_data == 0x78 && cqe.res == slot);
	CHECK_EQ(read_direct(&b, slot, buf, 3), 3);

	/* CQE_SKIP: the descriptor arrives without a CQE on the target. */
	io_uring_prep_msg_ring_fd(sqe_of(&a), b.ring_fd, 0, 1, 0x7a, IORING_MSG_RING_CQE_SKIP);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, 0);
	CHECK_EQ(read_direct(&b, 1, buf, 2), 2);
	CHECK(memcmp(buf, "pa", 2) == 0);
	CHECK_EQ(io_uring_cq_ready(&b), 0);

	/* An empty source slot is refused. */
	io_uring_prep_msg_ring_fd(sqe_of(&a), b.ring_fd, 3, 3, 0x79, 0);
	submit_n(&a, 1);
	CHECK_EQ(cqe_on(&a).res, -EBADF);
	close(fd);
}

int main(void)
{
	RING_INIT(&a, 8, 0);
	RING_INIT(&b, 8, 0);
	NEED_OP(IORING_OP_MSG_RING);

	data_messages();
	fd_messages();

	io_uring_queue_exit(&a);
	io_uring_queue_exit(&b);
	return 0;
}
