/* io_uring_prep_cmd_getsockname: the local and (peer != 0) remote
 * addresses of a loopback TCP connection, compared with getsockname(2)
 * and getpeername(2). */
#include <netinet/in.h>
#include <arpa/inet.h>
#include "prep_util.h"
#include "kernel.h"

int main(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET }, got, want;
	socklen_t len = sizeof(sa), got_len;
	struct io_uring ring;
	int lfd, cfd, ret;

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_URING_CMD);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(bind(lfd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	CHECK_EQ(listen(lfd, 1), 0);
	CHECK_EQ(getsockname(lfd, (struct sockaddr *) &sa, &len), 0);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(connect(cfd, (struct sockaddr *) &sa, sizeof(sa)), 0);

	/* The kernel's answer to a hand-built command decides the skip. */
	struct io_uring_sqe raw = { .opcode = IORING_OP_URING_CMD, .fd = cfd, .cmd_op = SOCKET_URING_OP_GETSOCKNAME,
				    .addr = (__u64) (uintptr_t) &got, .addr3 = (__u64) (uintptr_t) &got_len };
	got_len = sizeof(got);
	if (kernel_sqe(&raw))
		SKIP_LACKS("SOCKET_URING_OP_GETSOCKNAME");

	memset(&got, 0, sizeof(got));
	got_len = sizeof(got);
	io_uring_prep_cmd_getsockname(sqe_of(&ring), cfd, (struct sockaddr *) &got, &got_len, 0);
	ret = run1(&ring);
	CHECK_EQ(ret, 0);
	len = sizeof(want);
	CHECK_EQ(getsockname(cfd, (struct sockaddr *) &want, &len), 0);
	CHECK_EQ(got_len, len);
	CHECK(got.sin_port == want.sin_port && got.sin_addr.s_addr == want.sin_addr.s_addr);

	/* peer = 1: the remote end, the listener's address. */
	memset(&got, 0, sizeof(got));
	got_len = sizeof(got);
	io_uring_prep_cmd_getsockname(sqe_of(&ring), cfd, (struct sockaddr *) &got, &got_len, 1);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(got.sin_port, sa.sin_port);
	CHECK(got.sin_port != want.sin_port);

	close(cfd);
	close(lfd);
	io_uring_queue_exit(&ring);
	return 0;
}
