/* Extended-attribute preparers on a scratch file: values set through the
 * ring are seen by getxattr(2) and the other way round; create/replace
 * flags are honoured. Skips if the file system refuses user xattrs. */
#include <sys/xattr.h>
#include "prep_util.h"
#include "kernel.h"

int main(void)
{
	struct io_uring ring;
	char path[128], value[32];
	int fd;

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_SETXATTR);
	NEED_OP(IORING_OP_FGETXATTR);
	snprintf(path, sizeof(path), "%s/file", scratch_dir());
	fd = open(path, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	if (setxattr(path, "user.probe", "x", 1, 0) != 0)
		SKIP("file system refuses user xattrs on /tmp: %s", strerror(errno));

	/* By path. */
	io_uring_prep_setxattr(sqe_of(&ring), "user.ring", "value-1", path, XATTR_CREATE, 7);
	CHECK_EQ(run1(&ring), 0);
	memset(value, 0, sizeof(value));
	CHECK_EQ(getxattr(path, "user.ring", value, sizeof(value)), 7);
	CHECK(memcmp(value, "value-1", 7) == 0);
	io_uring_prep_setxattr(sqe_of(&ring), "user.ring", "v2", path, XATTR_CREATE, 2);
	CHECK_EQ(run1(&ring), -EEXIST);
	io_uring_prep_setxattr(sqe_of(&ring), "user.ring", "v2", path, XATTR_REPLACE, 2);
	CHECK_EQ(run1(&ring), 0);
	memset(value, 0, sizeof(value));
	io_uring_prep_getxattr(sqe_of(&ring), "user.ring", value, path, sizeof(value));
	CHECK_EQ(run1(&ring), 2);
	CHECK(memcmp(value, "v2", 2) == 0);
	io_uring_prep_getxattr(sqe_of(&ring), "user.none", value, path, sizeof(value));
	CHECK_EQ(run1(&ring), -ENODATA);
	/* Too small a buffer. */
	io_uring_prep_getxattr(sqe_of(&ring), "user.ring", value, path, 1);
	CHECK_EQ(run1(&ring), -ERANGE);

	/* By descriptor. */
	io_uring_prep_fsetxattr(sqe_of(&ring), fd, "user.fd", "by-fd", XATTR_CREATE, 5);
	CHECK_EQ(run1(&ring), 0);
	memset(value, 0, sizeof(value));
	CHECK_EQ(fgetxattr(fd, "user.fd", value, sizeof(value)), 5);
	CHECK(memcmp(value, "by-fd", 5) == 0);
	io_uring_prep_fsetxattr(sqe_of(&ring), fd, "user.new", "x", XATTR_REPLACE, 1);
	CHECK_EQ(run1(&ring), -ENODATA);
	CHECK_EQ(fsetxattr(fd, "user.plain", "syscall", 7, 0), 0);
	memset(value, 0, sizeof(value));
	io_uring_prep_fgetxattr(sqe_of(&ring), fd, "user.plain", value, sizeof(value));
	CHECK_EQ(run1(&ring), 7);
	CHECK(memcmp(value, "syscall", 7) == 0);

	close(fd);
	io_uring_queue_exit(&ring);
	return 0;
}
