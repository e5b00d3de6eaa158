/* epoll_ctl/epoll_wait, pipe creation (normal and direct), splice and
 * tee, checked by the events reported and the bytes that move. */
#include <sys/epoll.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;

static void epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1234 }, out[4];
	int ep = epoll_create1(0), p[2];
	char c;

	CHECK(ep >= 0);
	CHECK_EQ(pipe(p), 0);
	io_uring_prep_epoll_ctl(sqe_of(&ring), ep, p[0], EPOLL_CTL_ADD, &ev);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_epoll_ctl(sqe_of(&ring), ep, p[0], EPOLL_CTL_ADD, &ev);
	CHECK_EQ(run1(&ring), -EEXIST);

	/* Ready once the pipe has data; the event carries our data. */
	CHECK_EQ(write(p[1], "e", 1), 1);
	io_uring_prep_epoll_wait(sqe_of(&ring), ep, out, 4, 0);
	CHECK_EQ(run1(&ring), 1);
	CHECK_EQ(out[0].data.u64, 0x1234);
	CHECK(out[0].events & EPOLLIN);

	/* MOD changes the data, DEL removes the fd. */
	ev.data.u64 = 0x5678;
	io_uring_prep_epoll_ctl(sqe_of(&ring), ep, p[0], EPOLL_CTL_MOD, &ev);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_epoll_wait(sqe_of(&ring), ep, out, 4, 0);
	CHECK_EQ(run1(&ring), 1);
	CHECK_EQ(out[0].data.u64, 0x5678);
	io_uring_prep_epoll_ctl(sqe_of(&ring), ep, p[0], EPOLL_CTL_DEL, NULL);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* epoll_wait waits: it completes when an event arrives. */
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
	io_uring_prep_epoll_wait(sqe_of(&ring), ep, out, 4, 0);
	submit_n(&ring, 1);
	usleep(20000);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(write(p[1], "f", 1), 1);
	CHECK_EQ(next_cqe(&ring).res, 1);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void pipes(void)
{
	struct io_uring_sqe *sqe;
	char buf[8] = { 0 };
	int fds[2] = { -1, -1 };

	io_uring_prep_pipe(sqe_of(&ring), fds, O_CLOEXEC);
	CHECK_EQ(run1(&ring), 0);
	CHECK(fds[0] >= 0 && fds[1] >= 0);
	CHECK(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	CHECK_EQ(write(fds[1], "pipe", 4), 4);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "pipe", 4) == 0);
	close(fds[0]);
	close(fds[1]);

	/* Direct: the ends land in slots 2 and 3, returned in fds. */
	register_sparse_files(&ring, 8);
	io_uring_prep_pipe_direct(sqe_of(&ring), fds, 0, 2);
	CHECK_EQ(run1(&ring), 0);
	CHECK(fds[0] == 2 && fds[1] == 3);
	sqe = sqe_of(&ring);
	io_uring_prep_write(sqe, fds[1], "slot", 4, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	CHECK_EQ(run1(&ring), 4);
	sqe = sqe_of(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	CHECK_EQ(run1(&ring), 4);
	CHECK(memcmp(buf, "slot", 4) == 0);

	io_uring_prep_pipe_direct(sqe_of(&ring), fds, 0, IORING_FILE_INDEX_ALLOC);
	CHECK_EQ(run1(&ring), 0);
	CHECK(fds[0] >= 0 && fds[0] < 8 && fds[1] >= 0 && fds[1] < 8);
	CHECK(fds[0] != 2 && fds[0] != 3 && fds[0] != fds[1]);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
}

static void splice_tee(void)
{
	char path[128], buf[16] = { 0 };
	int fd, p[2], q[2];

	snprintf(path, sizeof(path), "%s/data", scratch_dir());
	fd = open(path, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "splice-data", 11), 11);
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(pipe(q), 0);

	/* File (at offset 7) to pipe. */
	io_uring_prep_splice(sqe_of(&ring), fd, 7, p[1], -1, 4, 0);
	CHECK_EQ(run1(&ring), 4);

	/* tee: q gets a copy, p keeps its data. */
	io_uring_prep_tee(sqe_of(&ring), p[0], q[1], 4, 0);
	CHECK_EQ(run1(&ring), 4);
	CHECK_EQ(read(q[0], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "data", 4) == 0);

	/* Pipe to file at offset 100; the pipe is drained. */
	io_uring_prep_splice(sqe_of(&ring), p[0], -1, fd, 100, 4, 0);
	CHECK_EQ(run1(&ring), 4);
	CHECK_EQ(pread(fd, buf, 4, 100), 4);
	CHECK(memcmp(buf, "data", 4) == 0);

	/* Neither end a pipe: refused. */
	io_uring_prep_splice(sqe_of(&ring), fd, 0, fd, 200, 4, 0);
	CHECK_EQ(run1(&ring), -EINVAL);
	/* tee needs pipes on both ends. */
	io_uring_prep_tee(sqe_of(&ring), fd, q[1], 4, 0);
	CHECK_EQ(run1(&ring), -EINVAL);

	/* SPLICE_F_FD_IN_FIXED: fd_in is a direct descriptor. */
	register_sparse_files(&ring, 2);
	io_uring_prep_files_update(sqe_of(&ring), &fd, 1, 1);
	CHECK_EQ(run1(&ring), 1);
	io_uring_prep_splice(sqe_of(&ring), 1, 0, p[1], -1, 6, SPLICE_F_FD_IN_FIXED);
	CHECK_EQ(run1(&ring), 6);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "splice", 6) == 0);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
	close(fd);
}

int main(void)
{
	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_EPOLL_CTL);
	NEED_OP(IORING_OP_EPOLL_WAIT);
	NEED_OP(IORING_OP_PIPE);
	NEED_OP(IORING_OP_TEE);

	epoll();
	pipes();
	splice_tee();

	io_uring_queue_exit(&ring);
	return 0;
}
