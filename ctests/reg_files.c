/* Registered files: a table (whole or sparse) of direct descriptors used
 * through IOSQE_FIXED_FILE, its updates and tags, the allocation range for
 * IORING_FILE_INDEX_ALLOC, and the RLIMIT_NOFILE retry on -EMFILE. */
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "helpers.h"
#include "reg_helpers.h"
#include "kernel.h"

/* Writes `msg` through direct descriptor `slot`. */
static int write_fixed_file(struct io_uring *ring, int slot, const char *msg)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_WRITE, slot, msg, strlen(msg), 0, 1);

	sqe->flags |= IOSQE_FIXED_FILE;
	return submit_reap(ring, 1);
}

/* Reads up to `len` bytes through direct descriptor `slot`. */
static int read_fixed_file(struct io_uring *ring, int slot, char *buf, unsigned len)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_READ, slot, buf, len, 0, 2);

	sqe->flags |= IOSQE_FIXED_FILE;
	return submit_reap(ring, 2);
}

static void whole_table(struct io_uring *ring)
{
	int p[2], files[2];
	char buf[16] = { 0 };

	CHECK_EQ(pipe(p), 0);
	files[0] = p[0];
	files[1] = p[1];
	CHECK_EQ(io_uring_register_files(ring, files, 2), 0);
	CHECK_EQ(io_uring_register_files(ring, files, 2), -EBUSY);

	/* Slot 1 is the pipe's write end even once the fd is closed. */
	close(p[1]);
	CHECK_EQ(write_fixed_file(ring, 1, "fixed"), 5);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 5);
	CHECK(!memcmp(buf, "fixed", 5));

	/* -1 empties a slot, IORING_REGISTER_FILES_SKIP leaves one alone. */
	files[0] = IORING_REGISTER_FILES_SKIP;
	files[1] = -1;
	CHECK_EQ(io_uring_register_files_update(ring, 0, files, 2), 2);
	CHECK_EQ(write_fixed_file(ring, 1, "gone"), -EBADF);
	CHECK_EQ(write_fixed_file(ring, 0, "x"), -EBADF);	/* read end */

	CHECK_EQ(io_uring_unregister_files(ring), 0);
	CHECK_EQ(io_uring_unregister_files(ring), -ENXIO);
	CHECK_EQ(write_fixed_file(ring, 0, "x"), -EBADF);
	close(p[0]);
}

static void sparse_and_tags(struct io_uring *ring)
{
	int p[2], files[2];
	__u64 tags[2] = { 100, 0 }, tag200 = 200;
	char buf[16] = { 0 };
	struct io_uring_cqe cqe;

	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(io_uring_register_files_sparse(ring, 8), 0);
	CHECK_EQ(write_fixed_file(ring, 4, "x"), -EBADF);

	/* Fill slots 3 and 4, then move data through both. */
	CHECK_EQ(io_uring_register_files_update(ring, 3, p, 2), 2);
	CHECK_EQ(write_fixed_file(ring, 4, "sparse"), 6);
	CHECK_EQ(read_fixed_file(ring, 3, buf, sizeof(buf)), 6);
	CHECK(!memcmp(buf, "sparse", 6));
	CHECK_EQ(io_uring_unregister_files(ring), 0);

	/* Tagged table: replacing slot 0 posts tag 100 ... */
	CHECK_EQ(io_uring_register_files_tags(ring, p, tags, 2), 0);
	files[0] = -1;
	CHECK_EQ(io_uring_register_files_update_tag(ring, 0, files, NULL, 1), 1);
	cqe = reap(ring);
	CHECK_EQ(cqe.user_data, 100);
	CHECK_EQ(cqe.res, 0);
	/* ... slot 1 had tag 0: nothing; re-filled with tag 200, unregistering
	 * the table posts 200. */
	files[0] = p[1];
	CHECK_EQ(io_uring_register_files_update_tag(ring, 1, files, &tag200, 1), 1);
	CHECK(no_cqe_within(ring, 20));
	CHECK_EQ(write_fixed_file(ring, 1, "t"), 1);
	CHECK_EQ(io_uring_unregister_files(ring), 0);
	if (UNREGISTER_POSTS_TAGS(true)) {
		cqe = reap(ring);
		CHECK_EQ(cqe.user_data, 200);
	}
	CHECK(no_cqe_within(ring, 20));
	close(p[0]);
	close(p[1]);
}

/* OPENAT of /dev/null into a direct slot picked by the kernel. */
static int open_alloc(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_OPENAT, AT_FDCWD, "/dev/null", 0, 0, 3);

	sqe->open_flags = O_RDONLY;
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	return submit_reap(ring, 3);
}

static void alloc_range(struct io_uring *ring)
{
	int ret;

	CHECK_EQ(io_uring_register_files_sparse(ring, 16), 0);
	/* The same range set raw first (setting it twice is harmless). */
	struct io_uring_file_index_range range = { .off = 8, .len = 4 };
	if (raw_register(ring->ring_fd, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0) < 0)
		SKIP_LACKS("IORING_REGISTER_FILE_ALLOC_RANGE");
	ret = io_uring_register_file_alloc_range(ring, 8, 4);
	CHECK_EQ(ret, 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(open_alloc(ring), 8 + i);
	CHECK_EQ(open_alloc(ring), -ENFILE);
	/* Beyond the table. */
	CHECK_EQ(io_uring_register_file_alloc_range(ring, 14, 4), -EINVAL);
	CHECK_EQ(io_uring_unregister_files(ring), 0);
}

static rlim_t soft_nofile(void)
{
	struct rlimit rl;

	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	return rl.rlim_cur;
}

static void set_soft_nofile(rlim_t cur)
{
	struct rlimit rl;

	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max < 2048)
		SKIP("RLIMIT_NOFILE hard limit %lu too low", (unsigned long) rl.rlim_max);
	rl.rlim_cur = cur;
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* The kernel refuses tables larger than RLIMIT_NOFILE with -EMFILE; the
 * library then raises the soft limit to the table size plus the fds open
 * and tries again (ctests/rlimits.c checks it against the hard limit). */
static void emfile_retry(struct io_uring *ring)
{
	int files[300];
	/* count_fds() counts its own directory fd too. */
	rlim_t open_now = count_fds() - 1;

	for (int i = 0; i < 300; i++)
		files[i] = -1;

	set_soft_nofile(100);
	CHECK_EQ(io_uring_register_files_sparse(ring, 1000), 0);
	CHECK_EQ(soft_nofile(), 1000 + open_now);
	CHECK_EQ(io_uring_unregister_files(ring), 0);

	set_soft_nofile(100);
	CHECK_EQ(io_uring_register_files(ring, files, 300), 0);
	CHECK_EQ(soft_nofile(), 300 + open_now);
	CHECK_EQ(io_uring_unregister_files(ring), 0);

	set_soft_nofile(100);
	CHECK_EQ(io_uring_register_files_tags(ring, files, NULL, 300), 0);
	CHECK_EQ(soft_nofile(), 300 + open_now);
	CHECK_EQ(io_uring_unregister_files(ring), 0);

	/* Within the limit nothing changes. */
	CHECK_EQ(io_uring_register_files_sparse(ring, 200), 0);
	CHECK_EQ(soft_nofile(), 300 + open_now);
	CHECK_EQ(io_uring_unregister_files(ring), 0);

	/* No room to raise it: the kernel's -EMFILE comes back. */
	struct rlimit rl = { .rlim_cur = 100, .rlim_max = 150 };
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
	CHECK_EQ(io_uring_register_files_sparse(ring, 200), -EMFILE);
	CHECK_EQ(soft_nofile(), 100);
}

int main(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_register_files(NULL, NULL, 0), -EFAULT);
	CHECK_EQ(io_uring_register_files_sparse(NULL, 1), -EFAULT);

	whole_table(&ring);
	if (!HAVE_SPARSE(IORING_REGISTER_FILES2))
		goto out;
	sparse_and_tags(&ring);
	alloc_range(&ring);
	/* valgrind keeps its own view of RLIMIT_NOFILE (it reserves fds
	 * above the limit), so the limit arithmetic only holds natively. */
	if (!getenv("CTEST_VALGRIND"))
		emfile_retry(&ring);
out:

	io_uring_queue_exit(&ring);
	CHECK_EQ(io_uring_unregister_files(&ring), -EBADF);
	return 0;
}
