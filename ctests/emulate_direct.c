/* O_DIRECT on an emulated ring: a read waits for the device even with
 * RWF_NOWAIT, so the engine must hand it to a worker rather than run it in
 * the submitting thread. Submit then returns before the CQE is posted,
 * as with the kernel's io_uring; run inline, the CQE would always be
 * there already. A large read makes the worker's copy outlast the
 * hand-off, and several tries make a lucky fast one harmless. The data
 * read must be the file's. Once the program closes the O_DIRECT fd and a
 * pipe takes its number, a read of the empty pipe waits in the reactor,
 * where a cancel ends it, not in a worker blocked on the pipe. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "harness.h"

#define SIZE (8u << 20)
#define TRIES 5

/* A disk's file system where there is one (the kernel matrix's VMs have
 * only their initramfs's /tmp). */
static char on_disk[] = "/var/tmp/uring-rs-direct-XXXXXX";
static char in_tmp[] = "/tmp/uring-rs-direct-XXXXXX";

/* Reads the file's first SIZE bytes on `ring`; whether the CQE was already
 * posted when submit returned. */
static int read_posted_at_submit(struct io_uring *ring, int fd, char *buf)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int posted;

	memset(buf, 0, SIZE);
	io_uring_prep_read(sqe, fd, buf, SIZE, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	posted = io_uring_cq_ready(ring) != 0;
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->res, SIZE);
	io_uring_cqe_seen(ring, cqe);
	for (unsigned i = 0; i < SIZE; i += 4096)
		CHECK_EQ(buf[i], (char) (i >> 12));
	return posted;
}

/* Closes `fd` and reads a pipe that takes its number: the read waits, and
 * cancelling it posts -ECANCELED for it and 0 for the cancel. */
static void reused_as_pipe(struct io_uring *ring, int fd)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int p[2];
	char c;

	CHECK_EQ(close(fd), 0);
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(p[0], fd);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, p[0], &c, 1, 0);
	io_uring_sqe_set_data64(sqe, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel64(sqe, 1, 0);
	io_uring_sqe_set_data64(sqe, 2);
	CHECK_EQ(io_uring_submit(ring), 1);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->res, cqe->user_data == 1 ? -ECANCELED : 0);
		io_uring_cqe_seen(ring, cqe);
	}
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	struct io_uring ring;
	char *buf;
	char *path = on_disk;
	int fd = mkstemp(path), direct, waited = 0;

	if (fd < 0)
		fd = mkstemp(path = in_tmp);
	CHECK(fd >= 0);
	CHECK_EQ(posix_memalign((void **) &buf, 4096, SIZE), 0);
	for (unsigned i = 0; i < SIZE; i += 4096)
		memset(buf + i, (char) (i >> 12), 4096);
	CHECK_EQ(pwrite(fd, buf, SIZE, 0), SIZE);
	CHECK_EQ(fsync(fd), 0);
	direct = open(path, O_RDONLY | O_DIRECT);
	unlink(path);
	if (direct < 0)
		SKIP("this file system refuses O_DIRECT (%s)", strerror(errno));
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	for (int i = 0; i < TRIES && !waited; i++)
		waited = !read_posted_at_submit(&ring, direct, buf);
	CHECK(waited);
	reused_as_pipe(&ring, direct);
	io_uring_queue_exit(&ring);
	close(fd);
	free(buf);
	return 0;
}
