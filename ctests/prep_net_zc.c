/* Zero-copy send preparers over loopback TCP and UDP: each send yields a
 * result CQE flagged IORING_CQE_F_MORE and then a notification CQE
 * flagged IORING_CQE_F_NOTIF; the data must arrive intact. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;
static int cfd, sfd;


/* Submits the prepared zero-copy send; checks its two CQEs and returns
 * the notification's res (usage bits, with REPORT_USAGE). */
static int zc_complete(int expect_res)
{
	struct io_uring_cqe cqe;

	submit_n(&ring, 1);
	cqe = next_cqe(&ring);
	CHECK_EQ(cqe.res, expect_res);
	CHECK(cqe.flags & IORING_CQE_F_MORE);
	CHECK(!(cqe.flags & IORING_CQE_F_NOTIF));
	cqe = next_cqe(&ring);
	CHECK(cqe.flags & IORING_CQE_F_NOTIF);
	CHECK(!(cqe.flags & IORING_CQE_F_MORE));
	return cqe.res;
}

static void expect_received(int fd, const char *want, size_t len)
{
	char buf[64];

	CHECK(len <= sizeof(buf));
	CHECK_EQ(recv(fd, buf, len, MSG_WAITALL), (ssize_t) len);
	CHECK(memcmp(buf, want, len) == 0);
}

static void send_zc(void)
{
	static char mem[4096];
	struct iovec reg = { mem, sizeof(mem) };
	struct io_uring_cqe cqe;
	int usage;

	io_uring_prep_send_zc(sqe_of(&ring), cfd, "zero-copy", 9, 0, 0);
	zc_complete(9);
	expect_received(sfd, "zero-copy", 9);

	/* REPORT_USAGE travels in ioprio; loopback has to copy, and says so. */
	io_uring_prep_send_zc(sqe_of(&ring), cfd, "usage", 5, 0, IORING_SEND_ZC_REPORT_USAGE);
	usage = zc_complete(5);
	CHECK(usage & IORING_NOTIF_USAGE_ZC_COPIED);
	expect_received(sfd, "usage", 5);

	if (!register_buffers(&ring, &reg, 1))
		return;
	memcpy(mem + 100, "from-fixed", 10);
	io_uring_prep_send_zc_fixed(sqe_of(&ring), cfd, mem + 100, 10, 0, 0, 0);
	zc_complete(10);
	expect_received(sfd, "from-fixed", 10);

	/* A buffer outside registered buffer 0 is refused. */
	io_uring_prep_send_zc_fixed(sqe_of(&ring), cfd, "x", 1, 0, 0, 0);
	submit_n(&ring, 1);
	cqe = next_cqe(&ring);
	CHECK_EQ(cqe.res, -EFAULT);
	if (cqe.flags & IORING_CQE_F_MORE)
		CHECK(next_cqe(&ring).flags & IORING_CQE_F_NOTIF);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_BUFFERS, NULL, 0), 0);
}

static void sendmsg_zc(void)
{
	struct iovec out[2] = { { "msg", 3 }, { "-zc", 3 } };
	struct msghdr msg = { .msg_iov = out, .msg_iovlen = 2 };

	io_uring_prep_sendmsg_zc(sqe_of(&ring), cfd, &msg, 0);
	zc_complete(6);
	expect_received(sfd, "msg-zc", 6);
}

/* Run last: kernels before 6.15 refuse it, and the test then skips. */
static void sendmsg_zc_fixed(void)
{
	static char mem[4096];
	struct iovec reg = { mem, sizeof(mem) };
	struct iovec out[2] = { { mem, 3 }, { mem + 2000, 5 } };
	struct msghdr msg = { .msg_iov = out, .msg_iovlen = 2 };
	struct io_uring_cqe cqe;

	/* The iovecs are ranges of registered buffer 0. */
	if (!register_buffers(&ring, &reg, 1))
		return;
	memcpy(mem, "vec", 3);
	memcpy(mem + 2000, "tored", 5);
	/* Hand-built, on a raw ring with the same buffer, into a socket pair
	 * of its own. */
	int sv[2];
	tcp_pair(&sv[0], &sv[1]);
	struct io_uring_sqe raw = { .opcode = IORING_OP_SENDMSG_ZC, .fd = sv[0], .addr = (__u64) (uintptr_t) &msg,
				    .len = 1, .ioprio = IORING_RECVSEND_FIXED_BUF };
	int kernel = kernel_sqe_buf(&raw, &reg);
	close(sv[0]);
	close(sv[1]);
	if (kernel < 0)
		SKIP_LACKS("IORING_RECVSEND_FIXED_BUF on IORING_OP_SENDMSG_ZC");
	io_uring_prep_sendmsg_zc_fixed(sqe_of(&ring), cfd, &msg, 0, 0);
	submit_n(&ring, 1);
	cqe = next_cqe(&ring);
	CHECK_EQ(cqe.res, 8);
	CHECK(cqe.flags & IORING_CQE_F_MORE);
	CHECK(next_cqe(&ring).flags & IORING_CQE_F_NOTIF);
	expect_received(sfd, "vectored", 8);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_BUFFERS, NULL, 0), 0);
}

static void udp_set_addr(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, b = a;
	socklen_t len = sizeof(b);
	struct io_uring_sqe *sqe;
	int ua = socket(AF_INET, SOCK_DGRAM, 0), ub = socket(AF_INET, SOCK_DGRAM, 0);

	a.sin_addr.s_addr = b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_EQ(bind(ua, (struct sockaddr *) &a, sizeof(a)), 0);
	CHECK_EQ(bind(ub, (struct sockaddr *) &b, sizeof(b)), 0);
	CHECK_EQ(getsockname(ub, (struct sockaddr *) &b, &len), 0);

	sqe = sqe_of(&ring);
	io_uring_prep_send_zc(sqe, ua, "to-addr", 7, 0, 0);
	io_uring_prep_send_set_addr(sqe, (struct sockaddr *) &b, sizeof(b));
	zc_complete(7);
	expect_received(ub, "to-addr", 7);
	close(ua);
	close(ub);
}

int main(void)
{
	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_SEND_ZC);
	NEED_OP(IORING_OP_SENDMSG_ZC);
	tcp_pair(&cfd, &sfd);

	send_zc();
	sendmsg_zc();
	udp_set_addr();
	sendmsg_zc_fixed();

	close(cfd);
	close(sfd);
	io_uring_queue_exit(&ring);
	return 0;
}
