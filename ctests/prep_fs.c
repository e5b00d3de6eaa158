/* Path and descriptor-table preparers, each checked by the state of the
 * file system or of the direct descriptor table afterwards. */
#include <sys/stat.h>
#include <linux/openat2.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;
static int dfd;

static int exists(const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void make_file(const char *name, const char *content)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, content, strlen(content)), (ssize_t) strlen(content));
	close(fd);
}

/* Reads a fixed (direct) descriptor's first bytes through the ring. */
static int read_direct(int slot, char *buf, unsigned len)
{
	struct io_uring_sqe *sqe = sqe_of(&ring);

	io_uring_prep_read(sqe, slot, buf, len, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	return run1(&ring);
}

static void open_close(void)
{
	char buf[16] = { 0 };
	struct stat st;
	int fd;

	io_uring_prep_openat(sqe_of(&ring), dfd, "new", O_RDWR | O_CREAT | O_EXCL, 0640);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0640 & ~0022 & 0777);
	CHECK(S_ISREG(st.st_mode));
	io_uring_prep_openat(sqe_of(&ring), dfd, "new", O_RDWR | O_CREAT | O_EXCL, 0640);
	CHECK_EQ(run1(&ring), -EEXIST);

	io_uring_prep_close(sqe_of(&ring), fd);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fcntl(fd, F_GETFD), -1);
	CHECK_EQ(errno, EBADF);

	/* open: relative to the working directory, which is the scratch dir. */
	make_file("data", "0123456789");
	io_uring_prep_open(sqe_of(&ring), "data", O_RDONLY, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 10);
	CHECK(memcmp(buf, "0123456789", 10) == 0);
	close(fd);
}

static void openat2_ops(void)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS };
	int fd;

	CHECK_EQ(symlinkat("data", dfd, "via-link"), 0);
	io_uring_prep_openat2(sqe_of(&ring), dfd, "via-link", &how);
	CHECK_EQ(run1(&ring), -ELOOP);
	how.resolve = 0;
	io_uring_prep_openat2(sqe_of(&ring), dfd, "via-link", &how);
	fd = run1(&ring);
	CHECK(fd >= 0);
	close(fd);
}

static void direct(void)
{
	struct open_how how = { .flags = O_RDONLY };
	char buf[16] = { 0 };
	int slot, fd, fds[1];

	register_sparse_files(&ring, 8);

	io_uring_prep_openat_direct(sqe_of(&ring), dfd, "data", O_RDONLY, 0, 2);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(read_direct(2, buf, 4), 4);
	CHECK(memcmp(buf, "0123", 4) == 0);

	io_uring_prep_open_direct(sqe_of(&ring), "data", O_RDONLY, 0, 3);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(read_direct(3, buf, 2), 2);

	/* ALLOC: the kernel picks a free slot and returns it. */
	io_uring_prep_openat_direct(sqe_of(&ring), dfd, "data", O_RDONLY, 0, IORING_FILE_INDEX_ALLOC);
	slot = run1(&ring);
	CHECK(slot >= 0 && slot < 8 && slot != 2 && slot != 3);
	CHECK_EQ(read_direct(slot, buf, 1), 1);

	io_uring_prep_openat2_direct(sqe_of(&ring), dfd, "data", &how, 5);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(read_direct(5, buf, 3), 3);

	/* close_direct empties the slot. */
	io_uring_prep_close_direct(sqe_of(&ring), 5);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(read_direct(5, buf, 3), -EBADF);
	io_uring_prep_close_direct(sqe_of(&ring), 5);
	CHECK_EQ(run1(&ring), -EBADF);

	/* fixed_fd_install turns slot 2 into a normal fd. */
	io_uring_prep_fixed_fd_install(sqe_of(&ring), 2, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK_EQ(pread(fd, buf, 3, 7), 3);
	CHECK(memcmp(buf, "789", 3) == 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	io_uring_prep_fixed_fd_install(sqe_of(&ring), 2, IORING_FIXED_FD_NO_CLOEXEC);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK(!(fcntl(fd, F_GETFD) & FD_CLOEXEC));

	/* files_update puts that fd into slot 6... */
	fds[0] = fd;
	io_uring_prep_files_update(sqe_of(&ring), fds, 1, 6);
	CHECK_EQ(run1(&ring), 1);
	CHECK_EQ(read_direct(6, buf, 2), 2);
	CHECK(memcmp(buf, "01", 2) == 0);
	/* ...and -1 clears it again. */
	fds[0] = -1;
	io_uring_prep_files_update(sqe_of(&ring), fds, 1, 6);
	CHECK_EQ(run1(&ring), 1);
	CHECK_EQ(read_direct(6, buf, 2), -EBADF);
	/* With IORING_FILE_INDEX_ALLOC the chosen slot is written back. */
	fds[0] = fd;
	io_uring_prep_files_update(sqe_of(&ring), fds, 1, (int) IORING_FILE_INDEX_ALLOC);
	CHECK_EQ(run1(&ring), 1);
	CHECK(fds[0] >= 0 && fds[0] < 8 && fds[0] != fd);
	CHECK_EQ(read_direct(fds[0], buf, 1), 1);
	close(fd);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
}

static void statx_op(void)
{
	struct statx stx;

	memset(&stx, 0, sizeof(stx));
	io_uring_prep_statx(sqe_of(&ring), dfd, "data", 0, STATX_SIZE | STATX_TYPE, &stx);
	CHECK_EQ(run1(&ring), 0);
	CHECK(stx.stx_mask & STATX_SIZE);
	CHECK_EQ(stx.stx_size, 10);
	CHECK(S_ISREG(stx.stx_mode));

	/* AT_SYMLINK_NOFOLLOW: the link itself. */
	io_uring_prep_statx(sqe_of(&ring), dfd, "via-link", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx);
	CHECK_EQ(run1(&ring), 0);
	CHECK(S_ISLNK(stx.stx_mode));

	io_uring_prep_statx(sqe_of(&ring), dfd, "missing", 0, STATX_SIZE, &stx);
	CHECK_EQ(run1(&ring), -ENOENT);
}

static void names(void)
{
	char target[32] = { 0 };
	struct stat a, b;

	io_uring_prep_mkdirat(sqe_of(&ring), dfd, "dir", 0750);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstatat(dfd, "dir", &a, 0), 0);
	CHECK(S_ISDIR(a.st_mode));
	CHECK_EQ(a.st_mode & 0777, 0750 & ~0022 & 0777);
	io_uring_prep_mkdir(sqe_of(&ring), "dir2", 0700);
	CHECK_EQ(run1(&ring), 0);
	CHECK(exists("dir2"));
	io_uring_prep_mkdir(sqe_of(&ring), "dir2", 0700);
	CHECK_EQ(run1(&ring), -EEXIST);

	make_file("one", "1");
	make_file("two", "2");
	io_uring_prep_renameat(sqe_of(&ring), dfd, "one", dfd, "two", RENAME_NOREPLACE);
	CHECK_EQ(run1(&ring), -EEXIST);
	io_uring_prep_renameat(sqe_of(&ring), dfd, "one", dfd, "dir/one", 0);
	CHECK_EQ(run1(&ring), 0);
	CHECK(!exists("one") && exists("dir/one"));
	io_uring_prep_rename(sqe_of(&ring), "two", "three");
	CHECK_EQ(run1(&ring), 0);
	CHECK(!exists("two") && exists("three"));

	io_uring_prep_symlinkat(sqe_of(&ring), "three", dfd, "sym");
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(readlinkat(dfd, "sym", target, sizeof(target)), 5);
	CHECK(strcmp(target, "three") == 0);
	io_uring_prep_symlink(sqe_of(&ring), "dir", "sym2");
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstatat(dfd, "sym2/one", &a, 0), 0);

	io_uring_prep_linkat(sqe_of(&ring), dfd, "three", dfd, "hard", 0);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstatat(dfd, "three", &a, 0), 0);
	CHECK_EQ(fstatat(dfd, "hard", &b, 0), 0);
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(a.st_nlink, 2);
	/* AT_SYMLINK_FOLLOW: a link to the symlink's target, not the link. */
	io_uring_prep_link(sqe_of(&ring), "sym", "hard2", AT_SYMLINK_FOLLOW);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstatat(dfd, "hard2", &b, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(a.st_ino, b.st_ino);

	io_uring_prep_unlinkat(sqe_of(&ring), dfd, "dir2", 0);
	CHECK_EQ(run1(&ring), -EISDIR);
	io_uring_prep_unlinkat(sqe_of(&ring), dfd, "dir2", AT_REMOVEDIR);
	CHECK_EQ(run1(&ring), 0);
	CHECK(!exists("dir2"));
	io_uring_prep_unlink(sqe_of(&ring), "hard", 0);
	CHECK_EQ(run1(&ring), 0);
	CHECK(!exists("hard") && exists("three"));
	io_uring_prep_unlink(sqe_of(&ring), "hard", 0);
	CHECK_EQ(run1(&ring), -ENOENT);
}

int main(void)
{
	const char *dir;

	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_OPENAT2);
	NEED_OP(IORING_OP_LINKAT);
	NEED_OP(IORING_OP_FIXED_FD_INSTALL);
	dir = scratch_dir();
	dfd = open(dir, O_DIRECTORY | O_RDONLY);
	CHECK(dfd >= 0);
	CHECK_EQ(chdir(dir), 0);
	umask(0022);

	open_close();
	openat2_ops();
	direct();
	statx_op();
	names();

	close(dfd);
	io_uring_queue_exit(&ring);
	return 0;
}
