/* Socket setup operations on their own: socket (plain and direct), bind,
 * listen, connect (refused, and one that waits), accept (direct into a
 * slot and an allocated one, DONTWAIT, POLL_FIRST, SOCK_NONEMPTY) and its
 * cancellation by fd, shutdown, the getsockname command, a connect that
 * waits and is cancelled; checked by the sockets and connections that
 * result. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <liburing/rs.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;

/* A loopback TCP socket listening through the ring; its address in `sa`. */
static int ring_listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd;

	io_uring_prep_socket(sqe_of(&ring), AF_INET, SOCK_STREAM, 0, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	io_uring_prep_bind(sqe_of(&ring), fd, (struct sockaddr *) sa, sizeof(*sa));
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_listen(sqe_of(&ring), fd, 4);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(getsockname(fd, (struct sockaddr *) sa, &len), 0);
	return fd;
}

static int connected(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK_EQ(connect(fd, (const struct sockaddr *) sa, sizeof(*sa)), 0);
	return fd;
}

/* Whether the kernel takes ACCEPT's DONTWAIT flag (a raw ring's answer
 * to a DONTWAIT accept with nothing queued: -EAGAIN, or -EINVAL). */
static bool kernel_accept_dontwait(int lfd)
{
	struct io_uring_sqe raw = { .opcode = IORING_OP_ACCEPT, .fd = lfd, .ioprio = IORING_ACCEPT_DONTWAIT };

	return kernel_sqe(&raw) == -EAGAIN || lacks_case("IORING_ACCEPT_DONTWAIT");
}

static void accepts(void)
{
	struct sockaddr_in sa;
	struct io_uring_sqe *sqe;
	char c;
	int lfd = ring_listener(&sa), cfd[3], slot;

	register_sparse_files(&ring, 4);
	/* Into slot 2: the CQE says 0, the slot holds the connection. */
	io_uring_prep_accept_direct(sqe_of(&ring), lfd, NULL, NULL, 0, 2);
	submit_n(&ring, 1);
	cfd[0] = connected(&sa);
	CHECK_EQ(next_cqe(&ring).res, 0);
	CHECK_EQ(write(cfd[0], "a", 1), 1);
	sqe = sqe_of(&ring);
	io_uring_prep_read(sqe, 2, &c, 1, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_EQ(run1(&ring), 1);
	CHECK_EQ(c, 'a');
	/* A free slot, named in the CQE; close-on-exec is refused there. */
	cfd[1] = connected(&sa);
	io_uring_prep_accept_direct(sqe_of(&ring), lfd, NULL, NULL, 0, IORING_FILE_INDEX_ALLOC);
	slot = run1(&ring);
	CHECK(slot >= 0 && slot < 4 && slot != 2);
	io_uring_prep_accept_direct(sqe_of(&ring), lfd, NULL, NULL, SOCK_CLOEXEC, 1);
	CHECK_EQ(run1(&ring), -EINVAL);

	/* Cancelled by its fd. */
	sqe = sqe_of(&ring);
	io_uring_prep_accept(sqe, lfd, NULL, NULL, 0);
	sqe->user_data = 7;
	submit_n(&ring, 1);
	sqe = sqe_of(&ring);
	io_uring_prep_cancel_fd(sqe, lfd, 0);
	sqe->user_data = 8;
	submit_n(&ring, 1);
	for (int i = 0; i < 2; i++) {
		struct io_uring_cqe cqe = next_cqe(&ring);

		CHECK_EQ(cqe.res, cqe.user_data == 7 ? -ECANCELED : 0);
	}

	if (kernel_accept_dontwait(lfd)) {
		sqe = sqe_of(&ring);
		io_uring_prep_accept(sqe, lfd, NULL, NULL, 0);
		sqe->ioprio |= IORING_ACCEPT_DONTWAIT;
		CHECK_EQ(run1(&ring), -EAGAIN);
		/* POLL_FIRST waits first, then accepts. */
		sqe = sqe_of(&ring);
		io_uring_prep_accept(sqe, lfd, NULL, NULL, SOCK_NONBLOCK);
		sqe->ioprio |= IORING_ACCEPT_POLL_FIRST;
		submit_n(&ring, 1);
		cfd[2] = connected(&sa);
		slot = next_cqe(&ring).res;
		CHECK(slot >= 0);
		CHECK(fcntl(slot, F_GETFL) & O_NONBLOCK);
		close(slot);
		close(cfd[2]);
		/* Of two queued connections, the first accept says more wait (the
		 * same kernels as DONTWAIT have it). */
		cfd[2] = connected(&sa);
		slot = connected(&sa);
		for (int i = 0; i < 2; i++) {
			struct io_uring_cqe cqe;

			io_uring_prep_accept(sqe_of(&ring), lfd, NULL, NULL, 0);
			submit_n(&ring, 1);
			cqe = next_cqe(&ring);
			CHECK(cqe.res >= 0);
			CHECK_EQ(!!(cqe.flags & IORING_CQE_F_SOCK_NONEMPTY), i == 0);
			close(cqe.res);
		}
		close(slot);
		close(cfd[2]);
	}
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
	close(cfd[0]);
	close(cfd[1]);
	close(lfd);
}

/* SOCKET_URING_OP_GETSOCKNAME, where the ring's server has it: the
 * engine, or a kernel that runs the hand-built command. */
static void getsockname_cmd(int fd, int peer, const struct sockaddr_in *want)
{
	struct sockaddr_in got = { 0 };
	socklen_t len = sizeof(got);
	struct io_uring_sqe raw = { .opcode = IORING_OP_URING_CMD, .fd = fd, .cmd_op = SOCKET_URING_OP_GETSOCKNAME,
				    .addr = (__u64) (uintptr_t) &got, .addr3 = (__u64) (uintptr_t) &len };

	if (!io_uring_rs_is_emulated(&ring) && kernel_sqe(&raw) && !lacks_case("SOCKET_URING_OP_GETSOCKNAME"))
		return;
	io_uring_prep_cmd_getsockname(sqe_of(&ring), fd, (struct sockaddr *) &got, &len, peer);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(len, sizeof(got));
	CHECK(got.sin_port == want->sin_port && got.sin_addr.s_addr == want->sin_addr.s_addr);
	io_uring_prep_cmd_getsockname(sqe_of(&ring), fd, (struct sockaddr *) &got, &len, 2);
	CHECK_EQ(run1(&ring), -EINVAL);
}

static void connects_and_shutdown(void)
{
	struct sockaddr_in sa;
	int lfd = ring_listener(&sa), fd, sfd, p[2];
	char c;

	/* A blocking socket: the ring connects it without blocking anyone. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	io_uring_prep_connect(sqe_of(&ring), fd, (struct sockaddr *) &sa, sizeof(sa));
	CHECK_EQ(run1(&ring), 0);
	CHECK(!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	io_uring_prep_connect(sqe_of(&ring), fd, (struct sockaddr *) &sa, sizeof(sa));
	CHECK_EQ(run1(&ring), -EISCONN);
	sfd = accept(lfd, NULL, NULL);
	CHECK(sfd >= 0);
	getsockname_cmd(fd, 1, &sa);
	getsockname_cmd(lfd, 0, &sa);
	/* A pipe has no commands: refused as by any file without them. */
	CHECK_EQ(pipe(p), 0);
	io_uring_prep_cmd_getsockname(sqe_of(&ring), p[0], (struct sockaddr *) &sa, NULL, 0);
	CHECK_EQ(run1(&ring), -EOPNOTSUPP);
	close(p[0]);
	close(p[1]);

	/* shutdown(SHUT_WR): the peer reads end of file; a bad `how` fails. */
	io_uring_prep_shutdown(sqe_of(&ring), fd, SHUT_WR);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(read(sfd, &c, 1), 0);
	io_uring_prep_shutdown(sqe_of(&ring), fd, 77);
	CHECK_EQ(run1(&ring), -EINVAL);
	close(sfd);
	close(fd);

	/* Nobody listens any more: refused. */
	close(lfd);
	if (have_refused_connect(&sa)) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		io_uring_prep_connect(sqe_of(&ring), fd, (struct sockaddr *) &sa, sizeof(sa));
		CHECK_EQ(run1(&ring), -ECONNREFUSED);
		close(fd);
	}
	/* Not a socket. */
	CHECK_EQ(pipe(p), 0);
	io_uring_prep_listen(sqe_of(&ring), p[0], 1);
	CHECK_EQ(run1(&ring), -ENOTSOCK);
	close(p[0]);
	close(p[1]);
}

/* A connect that cannot complete (the listener's queue is full, so its
 * SYNs are dropped) ends by its linked timeout or by a cancel on its fd. */
static void pending_connect(void)
{
	struct __kernel_timespec ms20 = { .tv_nsec = 20 * 1000 * 1000 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct io_uring_sqe *sqe;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), first, fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_EQ(bind(lfd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	CHECK_EQ(listen(lfd, 0), 0);
	CHECK_EQ(getsockname(lfd, (struct sockaddr *) &sa, &len), 0);
	first = connected(&sa);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	sqe = sqe_of(&ring);
	io_uring_prep_connect(sqe, fd, (struct sockaddr *) &sa, sizeof(sa));
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 1;
	sqe = sqe_of(&ring);
	io_uring_prep_link_timeout(sqe, &ms20, 0);
	sqe->user_data = 2;
	submit_n(&ring, 2);
	for (int i = 0; i < 2; i++) {
		struct io_uring_cqe cqe = next_cqe(&ring);

		CHECK_EQ(cqe.res, cqe.user_data == 1 ? -ECANCELED : -ETIME);
	}
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	sqe = sqe_of(&ring);
	io_uring_prep_connect(sqe, fd, (struct sockaddr *) &sa, sizeof(sa));
	sqe->user_data = 3;
	submit_n(&ring, 1);
	usleep(20000);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	sqe = sqe_of(&ring);
	io_uring_prep_cancel_fd(sqe, fd, 0);
	sqe->user_data = 4;
	submit_n(&ring, 1);
	for (int i = 0; i < 2; i++) {
		struct io_uring_cqe cqe = next_cqe(&ring);

		CHECK_EQ(cqe.res, cqe.user_data == 3 ? -ECANCELED : 0);
	}
	close(fd);
	close(first);
	close(lfd);
}

static void sockets(void)
{
	int fd, slot;

	io_uring_prep_socket(sqe_of(&ring), AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	io_uring_prep_socket(sqe_of(&ring), AF_INET, SOCK_STREAM | 0x40000000, 0, 0);
	CHECK_EQ(run1(&ring), -EINVAL);
	io_uring_prep_socket(sqe_of(&ring), 4242, SOCK_STREAM, 0, 0);
	CHECK_EQ(run1(&ring), -EAFNOSUPPORT);

	register_sparse_files(&ring, 2);
	io_uring_prep_socket_direct(sqe_of(&ring), AF_UNIX, SOCK_STREAM, 0, 1, 0);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_socket_direct_alloc(sqe_of(&ring), AF_UNIX, SOCK_STREAM, 0, 0);
	slot = run1(&ring);
	CHECK_EQ(slot, 0);
	io_uring_prep_socket_direct_alloc(sqe_of(&ring), AF_UNIX, SOCK_STREAM, 0, 0);
	CHECK_EQ(run1(&ring), -ENFILE);
	io_uring_prep_socket_direct(sqe_of(&ring), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, 1, 0);
	CHECK_EQ(run1(&ring), -EINVAL);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
}

int main(void)
{
	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_SOCKET);
	NEED_OP(IORING_OP_BIND);
	NEED_OP(IORING_OP_LISTEN);

	sockets();
	accepts();
	connects_and_shutdown();
	pending_connect();

	io_uring_queue_exit(&ring);
	return 0;
}
