/* Socket preparers over loopback TCP, UDP and a Unix socket pair:
 * socket, bind, listen, connect, accept (plain, direct, multishot),
 * send/recv, sendto, sendmsg/recvmsg and shutdown, checked by the data
 * and addresses that arrive. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/un.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;

static struct sockaddr_in loopback(in_port_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = port };

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

static int sockopt(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	CHECK_EQ(getsockopt(fd, SOL_SOCKET, name, &v, &len), 0);
	return v;
}

static in_port_t local_port(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	CHECK_EQ(getsockname(fd, (struct sockaddr *) &sa, &len), 0);
	return sa.sin_port;
}

/* A listening TCP socket made entirely through the ring. */
static int ring_listener(struct sockaddr_in *where)
{
	int fd;

	io_uring_prep_socket(sqe_of(&ring), AF_INET, SOCK_STREAM, 0, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK_EQ(sockopt(fd, SO_TYPE), SOCK_STREAM);
	CHECK_EQ(sockopt(fd, SO_DOMAIN), AF_INET);

	*where = loopback(0);
	io_uring_prep_bind(sqe_of(&ring), fd, (struct sockaddr *) where, sizeof(*where));
	CHECK_EQ(run1(&ring), 0);
	where->sin_port = local_port(fd);
	CHECK(where->sin_port != 0);

	CHECK_EQ(sockopt(fd, SO_ACCEPTCONN), 0);
	io_uring_prep_listen(sqe_of(&ring), fd, 8);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(sockopt(fd, SO_ACCEPTCONN), 1);
	return fd;
}

static void tcp(void)
{
	struct sockaddr_in where, peer;
	socklen_t peer_len = sizeof(peer);
	char buf[16] = { 0 };
	int lfd, cfd, sfd;

	lfd = ring_listener(&where);
	io_uring_prep_socket(sqe_of(&ring), AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP, 0);
	cfd = run1(&ring);
	CHECK(cfd >= 0);
	CHECK(fcntl(cfd, F_GETFD) & FD_CLOEXEC);
	io_uring_prep_connect(sqe_of(&ring), cfd, (struct sockaddr *) &where, sizeof(where));
	CHECK_EQ(run1(&ring), 0);

	io_uring_prep_accept(sqe_of(&ring), lfd, (struct sockaddr *) &peer, &peer_len, SOCK_NONBLOCK);
	sfd = run1(&ring);
	CHECK(sfd >= 0);
	CHECK_EQ(peer_len, sizeof(peer));
	CHECK_EQ(peer.sin_port, local_port(cfd));
	CHECK(fcntl(sfd, F_GETFL) & O_NONBLOCK);

	io_uring_prep_send(sqe_of(&ring), cfd, "ping", 4, 0);
	CHECK_EQ(run1(&ring), 4);
	io_uring_prep_recv(sqe_of(&ring), sfd, buf, sizeof(buf), 0);
	CHECK_EQ(run1(&ring), 4);
	CHECK(memcmp(buf, "ping", 4) == 0);

	/* MSG_PEEK reaches the kernel: the data stays queued. */
	io_uring_prep_send(sqe_of(&ring), sfd, "pong", 4, 0);
	CHECK_EQ(run1(&ring), 4);
	io_uring_prep_recv(sqe_of(&ring), cfd, buf, 2, MSG_PEEK);
	CHECK_EQ(run1(&ring), 2);
	io_uring_prep_recv(sqe_of(&ring), cfd, buf, sizeof(buf), 0);
	CHECK_EQ(run1(&ring), 4);
	CHECK(memcmp(buf, "pong", 4) == 0);

	/* shutdown(SHUT_WR) on the client: the server reads end of file. */
	io_uring_prep_shutdown(sqe_of(&ring), cfd, SHUT_WR);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_recv(sqe_of(&ring), sfd, buf, sizeof(buf), 0);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_shutdown(sqe_of(&ring), lfd, 77);
	CHECK_EQ(run1(&ring), -EINVAL);

	close(sfd);
	close(cfd);
	close(lfd);
}

static int plain_connect(const struct sockaddr_in *where)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	CHECK_EQ(connect(fd, (const struct sockaddr *) where, sizeof(*where)), 0);
	return fd;
}

static void accept_variants(void)
{
	struct sockaddr_in where;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	char buf[8];
	int lfd, c[3], seen = 0;

	lfd = ring_listener(&where);
	register_sparse_files(&ring, 8);

	/* Multishot accept: one CQE per connection, all flagged MORE. */
	sqe = sqe_of(&ring);
	io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, 0);
	io_uring_sqe_set_data64(sqe, 1);
	submit_n(&ring, 1);
	for (int i = 0; i < 3; i++)
		c[i] = plain_connect(&where);
	for (int i = 0; i < 3; i++) {
		cqe = next_cqe(&ring);
		CHECK_EQ(cqe.user_data, 1);
		CHECK(cqe.res >= 0);
		CHECK(cqe.flags & IORING_CQE_F_MORE);
		close(cqe.res);
		seen++;
	}
	CHECK_EQ(seen, 3);
	sqe = sqe_of(&ring);
	io_uring_prep_cancel64(sqe, 1, 0);
	io_uring_sqe_set_data64(sqe, 100);
	submit_n(&ring, 1);
	for (int i = 0; i < 2; i++) {
		cqe = next_cqe(&ring);
		if (cqe.user_data == 1)
			CHECK(cqe.res == -ECANCELED && !(cqe.flags & IORING_CQE_F_MORE));
		else
			CHECK_EQ(cqe.res, 0);
	}
	for (int i = 0; i < 3; i++)
		close(c[i]);

	/* accept_direct into slot 4, then recv through the fixed file. */
	io_uring_prep_accept_direct(sqe_of(&ring), lfd, NULL, NULL, 0, 4);
	submit_n(&ring, 1);
	c[0] = plain_connect(&where);
	CHECK_EQ(next_cqe(&ring).res, 0);
	CHECK_EQ(write(c[0], "direct", 6), 6);
	sqe = sqe_of(&ring);
	io_uring_prep_recv(sqe, 4, buf, sizeof(buf), 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	CHECK_EQ(run1(&ring), 6);
	CHECK(memcmp(buf, "direct", 6) == 0);

	/* With IORING_FILE_INDEX_ALLOC the CQE carries the chosen slot. */
	io_uring_prep_accept_direct(sqe_of(&ring), lfd, NULL, NULL, 0, IORING_FILE_INDEX_ALLOC);
	submit_n(&ring, 1);
	c[1] = plain_connect(&where);
	cqe = next_cqe(&ring);
	CHECK(cqe.res >= 0 && cqe.res < 8 && cqe.res != 4);

	/* Multishot direct: each connection into a free slot. */
	sqe = sqe_of(&ring);
	io_uring_prep_multishot_accept_direct(sqe, lfd, NULL, NULL, 0);
	io_uring_sqe_set_data64(sqe, 2);
	submit_n(&ring, 1);
	c[2] = plain_connect(&where);
	cqe = next_cqe(&ring);
	CHECK_EQ(cqe.user_data, 2);
	CHECK(cqe.res >= 0 && cqe.res < 8);
	CHECK(cqe.flags & IORING_CQE_F_MORE);
	CHECK_EQ(write(c[2], "md", 2), 2);
	sqe = sqe_of(&ring);
	io_uring_prep_recv(sqe, cqe.res, buf, sizeof(buf), 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	CHECK_EQ(run1(&ring), 2);

	io_uring_prep_cancel64(sqe_of(&ring), 2, 0);
	submit_n(&ring, 1);
	next_cqe(&ring);
	next_cqe(&ring);
	for (int i = 0; i < 3; i++)
		close(c[i]);
	close(lfd);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
}

static void socket_direct(void)
{
	int slot, fd;

	register_sparse_files(&ring, 4);
	io_uring_prep_socket_direct(sqe_of(&ring), AF_INET, SOCK_DGRAM, 0, 1, 0);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_fixed_fd_install(sqe_of(&ring), 1, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK_EQ(sockopt(fd, SO_TYPE), SOCK_DGRAM);
	close(fd);

	io_uring_prep_socket_direct(sqe_of(&ring), AF_UNIX, SOCK_STREAM, 0, IORING_FILE_INDEX_ALLOC, 0);
	slot = run1(&ring);
	CHECK(slot >= 0 && slot < 4 && slot != 1);

	io_uring_prep_socket_direct_alloc(sqe_of(&ring), AF_UNIX, SOCK_DGRAM, 0, 0);
	slot = run1(&ring);
	CHECK(slot >= 0 && slot < 4 && slot != 1);
	io_uring_prep_fixed_fd_install(sqe_of(&ring), slot, 0);
	fd = run1(&ring);
	CHECK(fd >= 0);
	CHECK_EQ(sockopt(fd, SO_DOMAIN), AF_UNIX);
	CHECK_EQ(sockopt(fd, SO_TYPE), SOCK_DGRAM);
	close(fd);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_FILES, NULL, 0), 0);
}

static void udp(void)
{
	struct sockaddr_in a = loopback(0), b = loopback(0), from;
	char buf[16] = { 0 };
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };
	struct iovec out[2] = { { "msg-", 4 }, { "two", 3 } };
	struct msghdr smsg = { .msg_name = &b, .msg_namelen = sizeof(b), .msg_iov = out, .msg_iovlen = 2 };
	int sa = socket(AF_INET, SOCK_DGRAM, 0), sb = socket(AF_INET, SOCK_DGRAM, 0);
	struct io_uring_sqe *sqe;

	CHECK(sa >= 0 && sb >= 0);
	CHECK_EQ(bind(sa, (struct sockaddr *) &a, sizeof(a)), 0);
	CHECK_EQ(bind(sb, (struct sockaddr *) &b, sizeof(b)), 0);
	a.sin_port = local_port(sa);
	b.sin_port = local_port(sb);

	/* sendto: the datagram goes to the address given. */
	io_uring_prep_sendto(sqe_of(&ring), sa, "dgram", 5, 0, (struct sockaddr *) &b, sizeof(b));
	CHECK_EQ(run1(&ring), 5);
	io_uring_prep_recvmsg(sqe_of(&ring), sb, &msg, 0);
	CHECK_EQ(run1(&ring), 5);
	CHECK(memcmp(buf, "dgram", 5) == 0);
	CHECK_EQ(msg.msg_namelen, sizeof(from));
	CHECK_EQ(from.sin_port, a.sin_port);

	/* send + send_set_addr is the same thing in two steps. */
	sqe = sqe_of(&ring);
	io_uring_prep_send(sqe, sa, "again", 5, 0);
	io_uring_prep_send_set_addr(sqe, (struct sockaddr *) &b, sizeof(b));
	CHECK_EQ(run1(&ring), 5);
	CHECK_EQ(recv(sb, buf, sizeof(buf), 0), 5);
	CHECK(memcmp(buf, "again", 5) == 0);

	/* sendmsg gathers both iovecs into one datagram. */
	io_uring_prep_sendmsg(sqe_of(&ring), sa, &smsg, 0);
	CHECK_EQ(run1(&ring), 7);
	CHECK_EQ(recv(sb, buf, sizeof(buf), 0), 7);
	CHECK(memcmp(buf, "msg-two", 7) == 0);

	/* recvmsg with MSG_TRUNC reports the datagram's full length. */
	CHECK_EQ(sendto(sa, "0123456789", 10, 0, (struct sockaddr *) &b, sizeof(b)), 10);
	iov.iov_len = 4;
	msg.msg_namelen = sizeof(from);
	io_uring_prep_recvmsg(sqe_of(&ring), sb, &msg, MSG_TRUNC);
	CHECK_EQ(run1(&ring), 10);
	CHECK(msg.msg_flags & MSG_TRUNC);
	close(sa);
	close(sb);
}

static void unix_pair(void)
{
	char buf[8] = { 0 };
	int sv[2];

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	io_uring_prep_send(sqe_of(&ring), sv[0], "unix", 4, MSG_EOR);
	CHECK_EQ(run1(&ring), 4);
	io_uring_prep_recv(sqe_of(&ring), sv[1], buf, sizeof(buf), 0);
	CHECK_EQ(run1(&ring), 4);
	CHECK(memcmp(buf, "unix", 4) == 0);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	RING_INIT(&ring, 16, 0);
	NEED_OP(IORING_OP_SOCKET);
	NEED_OP(IORING_OP_BIND);
	NEED_OP(IORING_OP_LISTEN);
	NEED_OP(IORING_OP_FIXED_FD_INSTALL);

	tcp();
	accept_variants();
	socket_direct();
	udp();
	unix_pair();

	io_uring_queue_exit(&ring);
	return 0;
}
