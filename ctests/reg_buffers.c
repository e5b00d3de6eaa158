/* Registered buffers: READ_FIXED/WRITE_FIXED really use the registered
 * memory, sparse tables are filled by tagged updates, tags post CQEs when
 * the kernel lets go of a buffer, and cloning makes one ring's buffers
 * usable on another. */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"

#define BUF 4096

static char *bufs;		/* four page-sized buffers */
static struct iovec iov[4];

static int scratch_file(void)
{
	char path[] = "/tmp/reg_buffers.XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	unlink(path);
	return fd;
}

/* READ_FIXED of `len` bytes at file offset 0 into `dst`, which must lie in
 * registered buffer `idx`. */
static int read_fixed(struct io_uring *ring, int fd, void *dst, unsigned len, int idx)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_READ_FIXED, fd, dst, len, 0, 0x7ead);

	sqe->buf_index = idx;
	return submit_reap(ring, 0x7ead);
}

static int write_fixed(struct io_uring *ring, int fd, const void *src, unsigned len, int idx)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_WRITE_FIXED, fd, src, len, 0, 0x3717e);

	sqe->buf_index = idx;
	return submit_reap(ring, 0x3717e);
}

/* Reads the file back through registered slot `slot`, whose memory is
 * iov[mem], and checks that every byte is `byte`. */
static void check_slot(struct io_uring *ring, int fd, int slot, int mem, char byte)
{
	char *p = iov[mem].iov_base;

	memset(p, 0, BUF);
	CHECK_EQ(read_fixed(ring, fd, p, BUF, slot), BUF);
	for (int i = 0; i < BUF; i++)
		if (p[i] != byte)
			FAIL("byte %d read through slot %d is %d, expected %d", i, slot, p[i], byte);
}

/* The same, for slot `idx` registered with iov[idx]. */
static void check_read(struct io_uring *ring, int fd, int idx, char byte)
{
	check_slot(ring, fd, idx, idx, byte);
}

static void whole_table(struct io_uring *ring, int fd)
{
	CHECK_EQ(io_uring_register_buffers(ring, iov, 2), 0);
	CHECK_EQ(io_uring_register_buffers(ring, iov, 2), -EBUSY);

	/* Data written from buffer 0 comes back through buffer 1. */
	memset(iov[0].iov_base, 'a', BUF);
	CHECK_EQ(write_fixed(ring, fd, iov[0].iov_base, BUF, 0), BUF);
	check_read(ring, fd, 1, 'a');

	/* The kernel checks the address against the registered range. */
	CHECK_EQ(read_fixed(ring, fd, iov[2].iov_base, BUF, 1), -EFAULT);
	CHECK_EQ(read_fixed(ring, fd, iov[0].iov_base, BUF, 7), -EFAULT);

	CHECK_EQ(io_uring_unregister_buffers(ring), 0);
	CHECK_EQ(read_fixed(ring, fd, iov[0].iov_base, BUF, 0), -EFAULT);
	CHECK_EQ(io_uring_unregister_buffers(ring), -ENXIO);
}

static void sparse_and_tags(struct io_uring *ring, int fd)
{
	__u64 tag77 = 77, tag0 = 0, tags[2] = { 11, 0 };
	struct io_uring_cqe cqe;

	CHECK_EQ(io_uring_register_buffers_sparse(ring, 4), 0);
	CHECK_EQ(read_fixed(ring, fd, iov[1].iov_base, BUF, 1), -EFAULT);

	/* Fill slot 1, tagged 77: it is now usable. */
	CHECK_EQ(io_uring_register_buffers_update_tag(ring, 1, &iov[1], &tag77, 1), 1);
	memset(iov[0].iov_base, 'b', BUF);
	CHECK_EQ(write(fd, iov[0].iov_base, BUF), BUF);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	check_read(ring, fd, 1, 'b');
	CHECK_EQ(io_uring_cq_ready(ring), 0);

	/* Replacing it releases the old buffer: its tag comes back as a CQE. */
	CHECK_EQ(io_uring_register_buffers_update_tag(ring, 1, &iov[3], &tag0, 1), 1);
	cqe = reap(ring);
	CHECK_EQ(cqe.user_data, 77);
	CHECK_EQ(cqe.res, 0);
	check_slot(ring, fd, 1, 3, 'b');	/* iov[3] now sits in slot 1 */
	CHECK(no_cqe_within(ring, 20));
	CHECK_EQ(io_uring_unregister_buffers(ring), 0);
	CHECK(no_cqe_within(ring, 20));		/* tag 0: no CQE */

	/* A tagged table: unregistering posts the non-zero tags only. */
	CHECK_EQ(io_uring_register_buffers_tags(ring, iov, tags, 2), 0);
	check_read(ring, fd, 0, 'b');
	CHECK_EQ(io_uring_unregister_buffers(ring), 0);
	if (UNREGISTER_POSTS_TAGS(false)) {
		cqe = reap(ring);
		CHECK_EQ(cqe.user_data, 11);
	}
	CHECK(no_cqe_within(ring, 20));
}

static void cloning(struct io_uring *src, int fd)
{
	struct io_uring dst;
	int ret;

	CHECK_EQ(io_uring_queue_init(8, &dst, 0), 0);
	CHECK_EQ(io_uring_register_buffers(src, iov, 2), 0);
	/* Cloned raw into a throwaway raw ring first. */
	if (kernel_clone(src->ring_fd, 0))
		SKIP_LACKS("IORING_REGISTER_CLONE_BUFFERS");
	ret = io_uring_clone_buffers(&dst, src);
	CHECK_EQ(ret, 0);
	/* The clone is usable on the second ring with the same memory. */
	check_slot(&dst, fd, 0, 0, 'b');
	check_slot(&dst, fd, 1, 1, 'b');

	/* The target already has buffers: only DST_REPLACE may overwrite. */
	CHECK_EQ(io_uring_clone_buffers(&dst, src), -EBUSY);
	/* DST_REPLACE came with ranges: asked raw with a range. */
	if (kernel_clone(src->ring_fd, 1)) {
		lacks_case("IORING_REGISTER_CLONE_BUFFERS with ranges and IORING_REGISTER_DST_REPLACE");
		io_uring_queue_exit(&dst);
		return;
	}
	CHECK_EQ(__io_uring_clone_buffers(&dst, src, IORING_REGISTER_DST_REPLACE), 0);

	/* Source slot 1 into destination slot 2 (the table grows). */
	CHECK_EQ(io_uring_clone_buffers_offset(&dst, src, 2, 1, 1, IORING_REGISTER_DST_REPLACE), 0);
	check_slot(&dst, fd, 2, 1, 'b');
	CHECK_EQ(read_fixed(&dst, fd, iov[0].iov_base, BUF, 2), -EFAULT);

	/* With the source's fd registered and its plain fd closed, only the
	 * registered index reaches it: the SRC_REGISTERED variants work, the
	 * plain one uses the (closed) fd. */
	CHECK_EQ(io_uring_register_ring_fd(src), 1);
	if (io_uring_close_ring_fd(src) == 1) {
		CHECK_EQ(src->ring_fd, -1);
		CHECK_EQ(io_uring_unregister_buffers(&dst), 0);
		CHECK_EQ(io_uring_clone_buffers(&dst, src), 0);
		check_slot(&dst, fd, 1, 1, 'b');
		CHECK_EQ(io_uring_clone_buffers_offset(&dst, src, 0, 0, 1, IORING_REGISTER_DST_REPLACE), 0);
		CHECK_EQ(__io_uring_clone_buffers(&dst, src, IORING_REGISTER_DST_REPLACE), -EBADF);
		CHECK_EQ(__io_uring_clone_buffers_offset(&dst, src, 0, 0, 0,
				IORING_REGISTER_DST_REPLACE | IORING_REGISTER_SRC_REGISTERED), 0);
	}

	CHECK_EQ(io_uring_clone_buffers(NULL, src), -EFAULT);
	CHECK_EQ(io_uring_clone_buffers(&dst, NULL), -EFAULT);
	io_uring_queue_exit(&dst);
}

int main(void)
{
	struct io_uring ring;
	int fd = scratch_file();

	bufs = mmap(NULL, 4 * BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(bufs != MAP_FAILED);
	for (int i = 0; i < 4; i++) {
		iov[i].iov_base = bufs + i * BUF;
		iov[i].iov_len = BUF;
	}
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);

	CHECK_EQ(io_uring_register_buffers(NULL, iov, 1), -EFAULT);
	CHECK_EQ(io_uring_unregister_buffers(NULL), -EFAULT);

	whole_table(&ring, fd);
	if (HAVE_SPARSE(IORING_REGISTER_BUFFERS2))
		sparse_and_tags(&ring, fd);
	cloning(&ring, fd);

	io_uring_queue_exit(&ring);
	CHECK_EQ(io_uring_register_buffers(&ring, iov, 1), -EBADF);
	close(fd);
	return 0;
}
