/* A request waiting on an fd the program closes never runs on the file
 * that takes the fd's number next (README: a waiting request holds the
 * fd's number, not the file). A RECV waits on one socket; the program
 * closes it and a new socket gets the same number; a RECV on the new one
 * takes the first byte written to it, and the old RECV neither takes the
 * second nor completes: it is still there to cancel. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include "harness.h"

static void recv_one(struct io_uring *ring, int fd, char *buf, unsigned long long tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_recv(sqe, fd, buf, 1, 0);
	io_uring_sqe_set_data64(sqe, tag);
	CHECK_EQ(io_uring_submit(ring), 1);
}

static struct io_uring_cqe *next_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	return cqe;
}

int main(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char old_buf = 0, new_buf = 0;
	int a[2], b[2];

	setenv("URING_RS_EMULATE", "always", 0);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	if (!io_uring_rs_is_emulated(&ring))
		SKIP("the ring is not emulated (URING_RS_EMULATE=%s)", getenv("URING_RS_EMULATE"));

	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a), 0);
	recv_one(&ring, a[0], &old_buf, 1);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	CHECK_EQ(close(a[0]), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b), 0);
	CHECK_EQ(b[0], a[0]);

	recv_one(&ring, b[0], &new_buf, 2);
	CHECK_EQ(write(b[1], "xy", 2), 2);
	cqe = next_cqe(&ring);
	CHECK_EQ(cqe->user_data, 2);
	CHECK_EQ(cqe->res, 1);
	CHECK_EQ(new_buf, 'x');
	io_uring_cqe_seen(&ring, cqe);

	/* The second byte stays in the new socket, for its own reader. */
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	io_uring_prep_cancel64(sqe, 1, 0);
	io_uring_sqe_set_data64(sqe, 3);
	CHECK_EQ(io_uring_submit(&ring), 1);
	for (int i = 0; i < 2; i++) {
		cqe = next_cqe(&ring);
		CHECK(cqe->user_data == 1 || cqe->user_data == 3);
		CHECK_EQ(cqe->res, cqe->user_data == 1 ? -ECANCELED : 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(old_buf, 0);
	CHECK_EQ(read(b[0], &new_buf, 1), 1);
	CHECK_EQ(new_buf, 'y');
	io_uring_queue_exit(&ring);
	return 0;
}
