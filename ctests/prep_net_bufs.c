/* Provided-buffer networking: classic provide/remove_buffers with a
 * multishot recv, multishot recvmsg into a buffer ring parsed with the
 * io_uring_recvmsg_* helpers, and send bundles. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;


static void classic_buffers(void)
{
	static char mem[4][16];
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int c, s, bid;

	tcp_pair(&c, &s);
	io_uring_prep_provide_buffers(sqe_of(&ring), mem, 16, 4, 7, 10);
	CHECK_EQ(run1(&ring), 0);

	sqe = sqe_of(&ring);
	io_uring_prep_recv_multishot(sqe, s, NULL, 0, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	io_uring_sqe_set_buf_group(sqe, 7);
	io_uring_sqe_set_data64(sqe, 42);
	submit_n(&ring, 1);

	/* Each send lands in its own buffer from group 7 (IDs 10..13). */
	for (int i = 0; i < 2; i++) {
		char msg[5] = "msg0";

		msg[3] = '0' + i;
		CHECK_EQ(send(c, msg, 4, 0), 4);
		cqe = next_cqe(&ring);
		CHECK_EQ(cqe.user_data, 42);
		CHECK_EQ(cqe.res, 4);
		CHECK(cqe.flags & IORING_CQE_F_MORE);
		CHECK(cqe.flags & IORING_CQE_F_BUFFER);
		bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
		CHECK(bid >= 10 && bid < 14);
		CHECK(memcmp(mem[bid - 10], msg, 4) == 0);
	}

	/* Two of the four buffers are left; remove_buffers says so. */
	io_uring_prep_cancel64(sqe_of(&ring), 42, 0);
	submit_n(&ring, 1);
	next_cqe(&ring);
	next_cqe(&ring);
	io_uring_prep_remove_buffers(sqe_of(&ring), 10, 7);
	CHECK_EQ(run1(&ring), 2);
	io_uring_prep_remove_buffers(sqe_of(&ring), 1, 7);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_remove_buffers(sqe_of(&ring), 1, 99);
	CHECK_EQ(run1(&ring), -ENOENT);
	close(c);
	close(s);
}

static void recvmsg_ring(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, b = a;
	socklen_t len = sizeof(b);
	struct msghdr msg = { 0 };
	struct pbuf_ring pr;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring_recvmsg_out *out;
	struct cmsghdr *cm;
	struct sockaddr_in *from;
	int ua = socket(AF_INET, SOCK_DGRAM, 0), ub = socket(AF_INET, SOCK_DGRAM, 0), on = 1;
	int seen_pktinfo = 0, seen_ttl = 0, ncmsg = 0;
	char *buf;

	a.sin_addr.s_addr = b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_EQ(bind(ua, (struct sockaddr *) &a, sizeof(a)), 0);
	CHECK_EQ(bind(ub, (struct sockaddr *) &b, sizeof(b)), 0);
	CHECK_EQ(getsockname(ub, (struct sockaddr *) &b, &len), 0);
	len = sizeof(a);
	CHECK_EQ(getsockname(ua, (struct sockaddr *) &a, &len), 0);
	CHECK_EQ(setsockopt(ub, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)), 0);
	CHECK_EQ(setsockopt(ub, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)), 0);

	pbuf_ring_setup(&ring, &pr, 3, 8, 256);
	msg.msg_namelen = sizeof(struct sockaddr_in);
	msg.msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(int));
	sqe = sqe_of(&ring);
	io_uring_prep_recvmsg_multishot(sqe, ub, &msg, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	io_uring_sqe_set_buf_group(sqe, 3);
	submit_n(&ring, 1);

	CHECK_EQ(sendto(ua, "datagram", 8, 0, (struct sockaddr *) &b, sizeof(b)), 8);
	cqe = next_cqe(&ring);
	CHECK(cqe.res > 0);
	CHECK(cqe.flags & IORING_CQE_F_MORE);
	CHECK(cqe.flags & IORING_CQE_F_BUFFER);
	buf = pr.mem + (cqe.flags >> IORING_CQE_BUFFER_SHIFT) * pr.size;

	out = io_uring_recvmsg_validate(buf, cqe.res, &msg);
	CHECK(out == (void *) buf);
	CHECK(io_uring_recvmsg_validate(buf, 15, &msg) == NULL);
	CHECK(io_uring_recvmsg_validate(buf, cqe.res, NULL) == NULL);
	CHECK_EQ(out->payloadlen, 8);
	CHECK_EQ(out->namelen, sizeof(struct sockaddr_in));

	from = io_uring_recvmsg_name(out);
	CHECK((char *) from == buf + sizeof(*out));
	CHECK_EQ(from->sin_port, a.sin_port);

	for (cm = io_uring_recvmsg_cmsg_firsthdr(out, &msg); cm;
	     cm = io_uring_recvmsg_cmsg_nexthdr(out, &msg, cm)) {
		CHECK_EQ(cm->cmsg_level, IPPROTO_IP);
		if (cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo *pi = (struct in_pktinfo *) CMSG_DATA(cm);

			CHECK_EQ(pi->ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
			seen_pktinfo++;
		} else if (cm->cmsg_type == IP_TTL) {
			seen_ttl++;
		}
		ncmsg++;
	}
	CHECK_EQ(ncmsg, 2);
	CHECK(seen_pktinfo == 1 && seen_ttl == 1);

	CHECK((char *) io_uring_recvmsg_payload(out, &msg) ==
	      buf + sizeof(*out) + msg.msg_namelen + msg.msg_controllen);
	CHECK(memcmp(io_uring_recvmsg_payload(out, &msg), "datagram", 8) == 0);
	CHECK_EQ(io_uring_recvmsg_payload_length(out, cqe.res, &msg), 8);
	CHECK_EQ(io_uring_recvmsg_payload_length(out, -1, &msg), 0);
	CHECK(io_uring_recvmsg_payload(NULL, &msg) == NULL);
	CHECK(io_uring_recvmsg_name(NULL) == NULL);
	CHECK(io_uring_recvmsg_cmsg_firsthdr(out, NULL) == NULL);

	/* Cancel the still-armed multishot: its final CQE and the cancel's. */
	io_uring_prep_cancel_fd(sqe_of(&ring), ub, 0);
	submit_n(&ring, 1);
	int got = 0;
	for (int i = 0; i < 2; i++) {
		cqe = next_cqe(&ring);
		CHECK(cqe.res == 0 || cqe.res == -ECANCELED);
		got |= cqe.res ? 1 : 2;
	}
	CHECK_EQ(got, 3);	/* exactly one of each */
	close(ua);
	close(ub);
	pbuf_ring_free(&pr);
}

/* Run last: kernels before 6.10 lack bundles, and the test then skips. */
static void send_bundle(void)
{
	struct pbuf_ring pr;
	struct io_uring_sqe *sqe;
	char got[32];
	int c, s, ret;

	NEED_FEATURE(IORING_FEAT_RECVSEND_BUNDLE);
	tcp_pair(&c, &s);
	pbuf_ring_setup(&ring, &pr, 5, 4, 8);
	for (int i = 0; i < 4; i++)
		memset(pr.mem + i * 8, 'A' + i, 8);

	/* One send takes every published buffer, in ring order. */
	sqe = sqe_of(&ring);
	io_uring_prep_send_bundle(sqe, c, 0, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	io_uring_sqe_set_buf_group(sqe, 5);
	ret = run1(&ring);
	CHECK_EQ(ret, 32);
	CHECK_EQ(recv(s, got, sizeof(got), MSG_WAITALL), 32);
	for (int i = 0; i < 32; i++)
		CHECK_EQ(got[i], 'A' + i / 8);
	close(c);
	close(s);
	pbuf_ring_free(&pr);
}

int main(void)
{
	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_PROVIDE_BUFFERS);
	NEED_OP(IORING_OP_RECVMSG);
	NEED_RECV_MULTISHOT();

	classic_buffers();
	recvmsg_ring();
	send_bundle();

	io_uring_queue_exit(&ring);
	return 0;
}
