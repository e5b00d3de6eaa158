/* Path operations on an emulated ring run on the engine's workers, as the
 * kernel runs them in io-wq, so a slow file system does not hold up
 * io_uring_submit; what they point at is copied when they are submitted,
 * as the kernel copies it at prep, so the program may reuse that memory
 * once submit returns.
 *   - With the pool cut to one worker, kept busy by an IOSQE_ASYNC open of
 *     a FIFO that waits for a writer, path operations (one chain among
 *     them) queue behind it; the program then overwrites every path, the
 *     open_how and the xattr value it passed, and lets the FIFO go. Each
 *     operation must have used what it was given at submit.
 *   - An open of a FIFO does not block submit, as in the kernel, whose
 *     first try opens O_NONBLOCK: for reading it succeeds at once (and the
 *     fd does not stay non-blocking), for writing without a reader it
 *     fails with -ENXIO. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "harness.h"

static char dir[] = "/tmp/uring-rs-path-ops-XXXXXX";
static char fifo[64];

/* Program memory the operations point at, overwritten after submit. */
struct args {
	char mkdir_path[64], open_path[64], open2_path[64], statx_path[64];
	char rename_from[64], rename_to[64], link_to[64], symlink_target[64], symlink_path[64];
	char unlink_path[64], xattr_name[64], xattr_value[16];
	struct open_how how;
	struct statx stx;
};

static void *writer(void *unused)
{
	int fd;

	(void) unused;
	fd = open(fifo, O_WRONLY);
	CHECK(fd >= 0);
	close(fd);
	return NULL;
}

static void path(char *to, const char *name)
{
	snprintf(to, 64, "%s/%s", dir, name);
}

static struct io_uring_sqe *sqe_for(struct io_uring *ring, unsigned long user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	CHECK(sqe != NULL);
	sqe->user_data = user_data;
	return sqe;
}

static int exists(const char *name, mode_t type)
{
	char p[64];
	struct stat st;

	path(p, name);
	return lstat(p, &st) == 0 && (st.st_mode & S_IFMT) == type;
}

static void copied_at_submit(struct io_uring *ring)
{
	struct args *a = calloc(1, sizeof(*a));
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned limits[2] = { 1, 1 };
	int res[16] = { 0 }, fd;
	pthread_t t;
	char p[64];

	CHECK(a != NULL);
	CHECK_EQ(io_uring_register_iowq_max_workers(ring, limits), 0);
	path(p, "old");
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	path(p, "gone");
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);

	/* The one worker waits in this open until the writer comes. */
	sqe = sqe_for(ring, 1);
	io_uring_prep_openat(sqe, AT_FDCWD, fifo, O_RDONLY | O_CLOEXEC, 0);
	sqe->flags |= IOSQE_ASYNC;

	path(a->mkdir_path, "dir");
	io_uring_prep_mkdirat(sqe_for(ring, 2), AT_FDCWD, a->mkdir_path, 0700);
	path(a->open_path, "created");
	io_uring_prep_openat(sqe_for(ring, 3), AT_FDCWD, a->open_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	path(a->open2_path, "created2");
	a->how.flags = O_CREAT | O_RDWR | O_CLOEXEC;
	a->how.mode = 0640;
	io_uring_prep_openat2(sqe_for(ring, 4), AT_FDCWD, a->open2_path, &a->how);
	path(a->statx_path, "old");
	io_uring_prep_statx(sqe_for(ring, 5), AT_FDCWD, a->statx_path, 0, STATX_TYPE, &a->stx);
	path(a->unlink_path, "gone");
	io_uring_prep_unlinkat(sqe_for(ring, 6), AT_FDCWD, a->unlink_path, 0);
	path(a->symlink_path, "symlink");
	strcpy(a->symlink_target, "target");
	io_uring_prep_symlinkat(sqe_for(ring, 7), a->symlink_target, AT_FDCWD, a->symlink_path);
	/* A chain: its second member is issued only once the first is done. */
	path(a->rename_from, "old");
	path(a->rename_to, "renamed");
	sqe = sqe_for(ring, 8);
	io_uring_prep_renameat(sqe, AT_FDCWD, a->rename_from, AT_FDCWD, a->rename_to, 0);
	sqe->flags |= IOSQE_IO_LINK;
	path(a->link_to, "hardlink");
	io_uring_prep_linkat(sqe_for(ring, 9), AT_FDCWD, a->rename_to, AT_FDCWD, a->link_to, 0);
	strcpy(a->xattr_name, "user.uring-rs");
	strcpy(a->xattr_value, "value");
	io_uring_prep_setxattr(sqe_for(ring, 10), a->xattr_name, a->xattr_value, a->rename_to, 0, 6);
	CHECK_EQ(io_uring_submit(ring), 10);

	/* Everything the operations were given, gone. */
	memset(a, 'x', offsetof(struct args, stx));
	memset(&a->how, 0xff, sizeof(a->how));
	CHECK_EQ(pthread_create(&t, NULL, writer, NULL), 0);
	for (int i = 0; i < 10; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK(cqe->user_data >= 1 && cqe->user_data <= 10);
		res[cqe->user_data] = cqe->res;
		if (cqe->res >= 0 && (cqe->user_data == 1 || cqe->user_data == 3 || cqe->user_data == 4))
			close(cqe->res);
		io_uring_cqe_seen(ring, cqe);
	}
	pthread_join(t, NULL);
	/* SETXATTR's (10) is checked with the file's xattr below. */
	for (int i = 1; i < 10; i++) {
		if (i != 1 && i != 3 && i != 4)
			CHECK_EQ(res[i], 0);
		else
			CHECK(res[i] >= 0);
	}
	CHECK(res[10] == 0 || res[10] == -EOPNOTSUPP);
	CHECK(exists("dir", S_IFDIR));
	CHECK(exists("created", S_IFREG));
	CHECK(exists("created2", S_IFREG));
	CHECK_EQ(a->stx.stx_mode & S_IFMT, S_IFREG);
	CHECK(!exists("gone", S_IFREG));
	CHECK(exists("symlink", S_IFLNK));
	CHECK(exists("renamed", S_IFREG));
	CHECK(exists("hardlink", S_IFREG));
	path(p, "symlink");
	{
		char target[16] = "";

		CHECK_EQ(readlink(p, target, sizeof(target) - 1), 6);
		CHECK(strcmp(target, "target") == 0);
	}
	path(p, "renamed");
	{
		char value[16] = "";
		ssize_t n = getxattr(p, "user.uring-rs", value, sizeof(value));

		/* tmpfs before 6.6 takes no user xattrs: the op failed as the
		 * syscall would, with the path it was given. */
		if (res[10] == -EOPNOTSUPP)
			CHECK(n < 0 && errno == EOPNOTSUPP);
		else
			CHECK(n == 6 && strcmp(value, "value") == 0);
	}
	free(a);
}

/* Whether the kernel has openat2(2) with RESOLVE_CACHED (5.12), which the
 * engine's first try of an open needs: asked with a raw openat2 of "/". */
static int has_resolve_cached(void)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_CACHED };
	long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));

	if (fd < 0)
		return errno != EINVAL && errno != ENOSYS;
	close(fd);
	return 1;
}

static void fifo_open_does_not_block(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int flags;

	if (!has_resolve_cached()) {
		SKIP_CASE("kernel lacks openat2 with RESOLVE_CACHED: every open goes to a worker");
		return;
	}

	io_uring_prep_openat(sqe_for(ring, 1), AT_FDCWD, fifo, O_RDONLY | O_CLOEXEC, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK(cqe->res >= 0);
	flags = fcntl(cqe->res, F_GETFL);
	CHECK(flags >= 0 && !(flags & O_NONBLOCK));
	close(cqe->res);
	io_uring_cqe_seen(ring, cqe);

	io_uring_prep_openat(sqe_for(ring, 2), AT_FDCWD, fifo, O_WRONLY | O_CLOEXEC, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->res, -ENXIO);
	io_uring_cqe_seen(ring, cqe);
}

/* Removes what the test made in `dir`. */
static void clean(void)
{
	const char *names[] = { "dir", "created", "created2", "renamed", "hardlink", "symlink", "fifo" };
	char p[64];

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path(p, names[i]);
		if (unlink(p))
			rmdir(p);
	}
	rmdir(dir);
}

int main(void)
{
	struct io_uring ring;

	{
		struct open_how how = { .flags = O_PATH | O_CLOEXEC };
		long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));

		if (fd < 0 && errno == ENOSYS)
			skip_under_valgrind("it does not run openat2(2), which OPENAT2 needs");
		if (fd >= 0)
			close(fd);
	}
	CHECK(mkdtemp(dir) != NULL);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK_EQ(mkfifo(fifo, 0600), 0);
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(16, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	copied_at_submit(&ring);
	fifo_open_does_not_block(&ring);
	io_uring_queue_exit(&ring);
	clean();
	return 0;
}
