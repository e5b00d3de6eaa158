/* Socket commands through IORING_OP_URING_CMD on loopback TCP: SIOCINQ
 * and SIOCOUTQ with the plain command preparer, get/setsockopt with
 * io_uring_prep_cmd_sock, checked against the ordinary syscalls. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include "prep_util.h"
#include "kernel.h"


int main(void)
{
	struct io_uring ring;
	int c, s, one = 1, val = 0, ret;
	socklen_t len = sizeof(val);

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_URING_CMD);
	tcp_pair(&c, &s);

	CHECK_EQ(send(c, "12345", 5, 0), 5);
	usleep(10000);
	struct io_uring_sqe raw = { .opcode = IORING_OP_URING_CMD, .fd = s, .cmd_op = SOCKET_URING_OP_SIOCINQ };
	if (kernel_sqe(&raw))
		SKIP_LACKS("SOCKET_URING_OP_SIOCINQ");
	io_uring_prep_uring_cmd(sqe_of(&ring), SOCKET_URING_OP_SIOCINQ, s);
	ret = run1(&ring);
	CHECK_EQ(ret, 5);
	io_uring_prep_uring_cmd(sqe_of(&ring), SOCKET_URING_OP_SIOCOUTQ, c);
	CHECK(run1(&ring) >= 0);

	/* setsockopt through the ring, read back with getsockopt(2). */
	CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &val, &len), 0);
	CHECK_EQ(val, 0);
	io_uring_prep_cmd_sock(sqe_of(&ring), SOCKET_URING_OP_SETSOCKOPT, c, SOL_SOCKET,
			       SO_KEEPALIVE, &one, sizeof(one));
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &val, &len), 0);
	CHECK_EQ(val, 1);
	io_uring_prep_cmd_sock(sqe_of(&ring), SOCKET_URING_OP_SETSOCKOPT, c, IPPROTO_TCP,
			       TCP_NODELAY, &one, sizeof(one));
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &val, &len), 0);
	CHECK_EQ(val, 1);

	/* getsockopt through the ring: the value lands in optval. */
	val = -1;
	io_uring_prep_cmd_sock(sqe_of(&ring), SOCKET_URING_OP_GETSOCKOPT, s, SOL_SOCKET,
			       SO_TYPE, &val, sizeof(val));
	CHECK(run1(&ring) >= 0);
	CHECK_EQ(val, SOCK_STREAM);
	val = -1;
	io_uring_prep_cmd_sock(sqe_of(&ring), SOCKET_URING_OP_GETSOCKOPT, c, SOL_SOCKET,
			       SO_KEEPALIVE, &val, sizeof(val));
	CHECK(run1(&ring) >= 0);
	CHECK_EQ(val, 1);

	/* An unknown option is refused. */
	io_uring_prep_cmd_sock(sqe_of(&ring), SOCKET_URING_OP_SETSOCKOPT, c, SOL_SOCKET,
			       0x7fff, &one, sizeof(one));
	CHECK_EQ(run1(&ring), -ENOPROTOOPT);

	close(c);
	close(s);
	io_uring_queue_exit(&ring);
	return 0;
}
