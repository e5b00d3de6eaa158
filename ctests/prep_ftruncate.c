/* io_uring_prep_ftruncate: the file's size after the operation. */
#include <sys/stat.h>
#include "prep_util.h"
#include "kernel.h"

int main(void)
{
	struct io_uring ring;
	struct stat st;
	char path[128];
	int fd;

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_FTRUNCATE);
	snprintf(path, sizeof(path), "%s/data", scratch_dir());
	fd = open(path, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);

	/* Grows, beyond 4 GiB (the length is 64-bit), then shrinks. */
	io_uring_prep_ftruncate(sqe_of(&ring), fd, 0x100001000ll);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 0x100001000ll);

	io_uring_prep_ftruncate(sqe_of(&ring), fd, 10);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 10);

	io_uring_prep_ftruncate(sqe_of(&ring), fd, -1);
	CHECK_EQ(run1(&ring), -EINVAL);

	close(fd);
	io_uring_queue_exit(&ring);
	return 0;
}
