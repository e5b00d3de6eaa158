/* io_uring_prep_readv_fixed / writev_fixed: vectored I/O whose iovecs lie
 * in a registered buffer, checked by the file's content. */
#include "prep_util.h"
#include "kernel.h"

int main(void)
{
	static char mem[4096];
	struct iovec reg = { mem, sizeof(mem) };
	struct iovec out[2] = { { mem, 3 }, { mem + 100, 4 } };
	struct iovec in[2] = { { mem + 1000, 4 }, { mem + 2000, 3 } };
	struct io_uring ring;
	char path[128], buf[8] = { 0 };
	int fd;

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_READV_FIXED);
	NEED_OP(IORING_OP_WRITEV_FIXED);
	snprintf(path, sizeof(path), "%s/data", scratch_dir());
	fd = open(path, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	if (!register_buffers(&ring, &reg, 1))
		return 0;

	memcpy(mem, "abc", 3);
	memcpy(mem + 100, "defg", 4);
	io_uring_prep_writev_fixed(sqe_of(&ring), fd, out, 2, 10, 0, 0);
	CHECK_EQ(run1(&ring), 7);
	CHECK_EQ(pread(fd, buf, 7, 10), 7);
	CHECK(memcmp(buf, "abcdefg", 7) == 0);

	io_uring_prep_readv_fixed(sqe_of(&ring), fd, in, 2, 11, 0, 0);
	CHECK_EQ(run1(&ring), 6);
	CHECK(memcmp(mem + 1000, "bcde", 4) == 0);
	CHECK(memcmp(mem + 2000, "fg", 2) == 0);

	/* An iovec outside the registered buffer is refused. */
	in[0].iov_base = buf;
	io_uring_prep_readv_fixed(sqe_of(&ring), fd, in, 1, 0, 0, 0);
	CHECK_EQ(run1(&ring), -EFAULT);

	/* The RWF flags reach the kernel. */
	io_uring_prep_writev_fixed(sqe_of(&ring), fd, out, 1, 0, 1 << 30, 0);
	CHECK_EQ(run1(&ring), -EOPNOTSUPP);

	close(fd);
	io_uring_queue_exit(&ring);
	return 0;
}
