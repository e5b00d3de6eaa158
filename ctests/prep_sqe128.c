/* The 128-byte preparers on a ring with mixed SQE sizes: nop128 and
 * uring_cmd128 (a socket SIOCINQ) each take a double slot from
 * io_uring_get_sqe128 and complete like their 64-byte twins, interleaved
 * with ordinary SQEs. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;


static struct io_uring_sqe *sqe128(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe128(&ring);

	if (!sqe)
		FAIL("io_uring_get_sqe128 returned NULL");
	return sqe;
}

int main(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	unsigned seen = 0;
	int c, s;

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_NOP128);
	NEED_OP(IORING_OP_URING_CMD128);
	io_uring_queue_exit(&ring);
	RING_INIT(&ring, 16, IORING_SETUP_SQE_MIXED);

	/* nop128 and nop, alternately. */
	for (int i = 0; i < 3; i++) {
		sqe = sqe128();
		io_uring_prep_nop128(sqe);
		io_uring_sqe_set_data64(sqe, i);
		sqe = sqe_of(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 3 + i);
	}
	CHECK(io_uring_submit(&ring) > 0);
	for (int i = 0; i < 6; i++) {
		cqe = next_cqe(&ring);
		CHECK_EQ(cqe.res, 0);
		CHECK(cqe.user_data < 6);
		seen |= 1u << cqe.user_data;
	}
	CHECK_EQ(seen, 0x3f);

	/* uring_cmd128: a socket command in a 128-byte SQE. */
	tcp_pair(&c, &s);
	CHECK_EQ(send(c, "abcdef", 6, 0), 6);
	usleep(10000);
	sqe = sqe128();
	io_uring_prep_uring_cmd128(sqe, SOCKET_URING_OP_SIOCINQ, s);
	io_uring_sqe_set_data64(sqe, 7);
	submit_n(&ring, 1);
	cqe = next_cqe(&ring);
	CHECK_EQ(cqe.user_data, 7);
	CHECK_EQ(cqe.res, 6);

	close(c);
	close(s);
	io_uring_queue_exit(&ring);
	return 0;
}
