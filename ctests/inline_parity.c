/* The header's inline fast paths against the exported functions of the same
 * name (called as (name)(...), which bypasses the macro): same bytes in
 * every SQE, same results from every ring query, on the same ring state. */
#include <liburing.h>
#include "harness.h"
#include "kernel.h"

/* Two SQEs that start out as the same garbage. */
static void garbage(struct io_uring_sqe *a, struct io_uring_sqe *b, int seed)
{
	for (size_t i = 0; i < sizeof(*a); i++)
		((unsigned char *) a)[i] = ((unsigned char *) b)[i] = (unsigned char) (seed * 31 + i * 7);
}

#define SAME(a, b) CHECK(memcmp((a), (b), sizeof(*(a))) == 0)

static void check_preparers(void)
{
	struct io_uring_sqe a, b;
	struct iovec iov = { 0 };
	char buf[8];

	garbage(&a, &b, 1); io_uring_prep_nop(&a); (io_uring_prep_nop)(&b); SAME(&a, &b);
	garbage(&a, &b, 2); io_uring_prep_rw(77, &a, 5, buf, 9, 1ULL << 40);
	(io_uring_prep_rw)(77, &b, 5, buf, 9, 1ULL << 40); SAME(&a, &b);
	garbage(&a, &b, 3); io_uring_prep_read(&a, 3, buf, 8, 4096);
	(io_uring_prep_read)(&b, 3, buf, 8, 4096); SAME(&a, &b);
	garbage(&a, &b, 4); io_uring_prep_write(&a, 3, buf, 8, -1);
	(io_uring_prep_write)(&b, 3, buf, 8, -1); SAME(&a, &b);
	garbage(&a, &b, 5); io_uring_prep_readv(&a, 3, &iov, 1, 7);
	(io_uring_prep_readv)(&b, 3, &iov, 1, 7); SAME(&a, &b);
	garbage(&a, &b, 6); io_uring_prep_writev(&a, 3, &iov, 1, 7);
	(io_uring_prep_writev)(&b, 3, &iov, 1, 7); SAME(&a, &b);
	garbage(&a, &b, 7); io_uring_prep_read_fixed(&a, 3, buf, 8, 0, 70000);
	(io_uring_prep_read_fixed)(&b, 3, buf, 8, 0, 70000); SAME(&a, &b);
	garbage(&a, &b, 8); io_uring_prep_write_fixed(&a, 3, buf, 8, 0, 2);
	(io_uring_prep_write_fixed)(&b, 3, buf, 8, 0, 2); SAME(&a, &b);
	garbage(&a, &b, 9); io_uring_prep_send(&a, 3, buf, (size_t) (1ull << 33), MSG_NOSIGNAL);
	(io_uring_prep_send)(&b, 3, buf, (size_t) (1ull << 33), MSG_NOSIGNAL); SAME(&a, &b);
	garbage(&a, &b, 10); io_uring_prep_recv(&a, 3, buf, 8, MSG_WAITALL);
	(io_uring_prep_recv)(&b, 3, buf, 8, MSG_WAITALL); SAME(&a, &b);
	garbage(&a, &b, 11); io_uring_sqe_set_data(&a, buf); (io_uring_sqe_set_data)(&b, buf); SAME(&a, &b);
	garbage(&a, &b, 12); io_uring_sqe_set_data64(&a, ~0ULL); (io_uring_sqe_set_data64)(&b, ~0ULL); SAME(&a, &b);
	garbage(&a, &b, 13); io_uring_sqe_set_flags(&a, 0x1ff); (io_uring_sqe_set_flags)(&b, 0x1ff); SAME(&a, &b);
	/* NULL SQEs are ignored by both. */
	io_uring_prep_nop(NULL); (io_uring_prep_nop)(NULL);
	io_uring_sqe_set_data64(NULL, 1); (io_uring_sqe_set_data64)(NULL, 1);
}

/* get_sqe from each path, alternately, on a ring whose slots hold garbage:
 * both must clear the same fields and hand out consecutive slots. */
static void check_get_sqe(unsigned flags)
{
	struct io_uring ring;
	unsigned entries = 8;

	if (!ring_try_flags(&ring, entries, flags, flags ? "IORING_SETUP_SQE128" : "io_uring_setup"))
		return;
	size_t sqe_size = (flags & IORING_SETUP_SQE128) ? 128 : 64;
	memset(ring.sq.sqes, 0x5a, entries * sqe_size);
	for (unsigned i = 0; i < entries; i += 2) {
		struct io_uring_sqe *a = io_uring_get_sqe(&ring);
		struct io_uring_sqe *b = (io_uring_get_sqe)(&ring);
		CHECK(a && b);
		CHECK_EQ((char *) b - (char *) a, (long) sqe_size);
		SAME(a, b);
		CHECK_EQ(io_uring_sq_ready(&ring), (io_uring_sq_ready)(&ring));
		CHECK_EQ(io_uring_sq_space_left(&ring), (io_uring_sq_space_left)(&ring));
	}
	CHECK(io_uring_get_sqe(&ring) == NULL);
	CHECK((io_uring_get_sqe)(&ring) == NULL);
	io_uring_queue_exit(&ring);
}

/* Reaping: the inline and exported peek/wait/seen agree CQE by CQE. */
static void check_reap(unsigned flags)
{
	struct io_uring ring;
	struct io_uring_cqe *a, *b;

	if (!ring_try_flags(&ring, 8, flags, flags ? "IORING_SETUP_CQE32" : "io_uring_setup"))
		return;
	for (int i = 0; i < 6; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, i);
	}
	CHECK_EQ(io_uring_submit_and_wait(&ring, 6), 6);
	for (int i = 0; i < 6; i++) {
		CHECK_EQ(io_uring_cq_ready(&ring), (io_uring_cq_ready)(&ring));
		CHECK_EQ(io_uring_cq_ready(&ring), 6 - i);
		CHECK_EQ(io_uring_peek_cqe(&ring, &a), 0);
		CHECK_EQ((io_uring_peek_cqe)(&ring, &b), 0);
		CHECK(a == b);
		CHECK_EQ(io_uring_wait_cqe(&ring, &a), 0);
		CHECK_EQ((io_uring_wait_cqe)(&ring, &b), 0);
		CHECK(a == b);
		CHECK_EQ(io_uring_cqe_get_data64(a), (io_uring_cqe_get_data64)(b));
		CHECK(io_uring_cqe_get_data(a) == (io_uring_cqe_get_data)(b));
		if (i & 1)
			io_uring_cqe_seen(&ring, a);
		else
			(io_uring_cqe_seen)(&ring, b);
	}
	CHECK_EQ(io_uring_peek_cqe(&ring, &a), -EAGAIN);
	CHECK_EQ((io_uring_peek_cqe)(&ring, &b), -EAGAIN);
	CHECK(a == NULL && b == NULL);
	io_uring_queue_exit(&ring);
	/* Not set up: both paths refuse the same way. */
	CHECK(io_uring_get_sqe(&ring) == NULL);
	CHECK_EQ(io_uring_peek_cqe(&ring, &a), (io_uring_peek_cqe)(&ring, &b));
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	io_uring_cq_advance(&ring, 1);
}

int main(void)
{
	check_preparers();
	check_get_sqe(0);
	check_get_sqe(IORING_SETUP_SQE128);
	check_reap(0);
	check_reap(IORING_SETUP_CQE32);
	return 0;
}
