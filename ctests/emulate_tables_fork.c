/* Fixed file and buffer tables, and provided buffers, of an emulated ring
 * shared across fork(). A table registered after fork() is the
 * registering process's (a fixed file is one of its descriptors, the
 * table a mapping made after fork): the other process gets what a ring
 * without that table gives, -EBADF for the fixed file, -EFAULT for the
 * fixed buffer and -ENOBUFS for a group of provided buffers, rather than
 * whatever lies at the table's address in its own memory. A process
 * forked after the registration has them all, and uses them; one that
 * tears the ring down leaves them registered for the other. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

static char buf[64], pool[4][8];

/* A READ of fixed file 0 and a READ_FIXED of buffer 0 on `fd`: their
 * results must be `want_file` and `want_buf`. */
static void reads(struct io_uring *ring, int fd, int want_file, int want_buf)
{
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int res[2] = { 0, 0 };

	io_uring_prep_read(sqe, 0, buf, 8, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = 0;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, iov.iov_base, 8, 0, 0);
	sqe->user_data = 1;
	CHECK_EQ(io_uring_submit_and_wait(ring, 2), 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
		res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK_EQ(res[0], want_file);
	CHECK_EQ(res[1], want_buf);
}

/* A READ of `fd` into a buffer of group 1 (PROVIDE_BUFFERS): its result
 * must be `want`. */
static void read_selected(struct io_uring *ring, int fd, int want)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;

	io_uring_prep_read(sqe, fd, NULL, 8, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	CHECK_EQ(io_uring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->res, want);
	io_uring_cqe_seen(ring, cqe);
}

static void child_exits_ok(pid_t pid)
{
	int status;

	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	/* In shared memory, as PostgreSQL keeps it: both processes submit. */
	struct io_uring *ring = mmap(NULL, sizeof(*ring), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2], fd = open("/dev/zero", O_RDONLY), efd = eventfd(0, EFD_NONBLOCK);
	struct io_uring_cqe *cqe;
	eventfd_t count;
	pid_t early, late;
	char c;

	CHECK(ring != MAP_FAILED && fd >= 0);
	CHECK_EQ(pipe(go), 0);
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(8, ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(ring), 1);
	early = fork();
	CHECK(early >= 0);
	if (early == 0) {
		CHECK_EQ(read(go[0], &c, 1), 1);
		reads(ring, fd, -EBADF, -EFAULT);
		read_selected(ring, fd, -ENOBUFS);
		exit(0);
	}
	CHECK_EQ(io_uring_register_files(ring, &fd, 1), 0);
	CHECK_EQ(io_uring_register_buffers(ring, &iov, 1), 0);
	io_uring_prep_provide_buffers(io_uring_get_sqe(ring), pool, 8, 4, 1, 0);
	CHECK_EQ(io_uring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->res, 0);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(write(go[1], "g", 1), 1);
	child_exits_ok(early);
	reads(ring, fd, 8, 8);
	late = fork();
	CHECK(late >= 0);
	if (late == 0) {
		reads(ring, fd, 8, 8);
		read_selected(ring, fd, 8);
		exit(0);
	}
	child_exits_ok(late);
	/* A child that tears its copy of the ring down leaves the ring, its
	 * tables and its eventfd to the parent, as closing an inherited ring
	 * fd leaves a kernel ring. */
	CHECK(efd >= 0);
	CHECK_EQ(io_uring_register_eventfd(ring, efd), 0);
	late = fork();
	CHECK(late >= 0);
	if (late == 0) {
		io_uring_queue_exit(ring);
		exit(0);
	}
	child_exits_ok(late);
	reads(ring, fd, 8, 8);
	read_selected(ring, fd, 8);
	CHECK_EQ(eventfd_read(efd, &count), 0);
	CHECK(count >= 1);
	io_uring_queue_exit(ring);
	return 0;
}
