/*
 * A small liburing program written against upstream's API and built
 * against the system's <liburing.h> with -luring. ctests/preload.sh runs it
 * on upstream liburing and again with liburing-rs preloaded: the inline
 * helpers of upstream's header then work on a ring set up by liburing-rs,
 * and the library calls bind to it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <liburing.h>

static int checks;

#define CHECK_EQ(a, b) do { \
	long long a_ = (long long) (a), b_ = (long long) (b); \
	checks++; \
	if (a_ != b_) { \
		fprintf(stderr, "preload_app: line %d: %s == %lld, expected %lld\n", \
			__LINE__, #a, a_, b_); \
		exit(1); \
	} \
} while (0)

static void queue_nops(struct io_uring *ring, unsigned n, __u64 first)
{
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		CHECK_EQ(sqe != NULL, 1);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, first + i);
	}
}

int main(void)
{
	struct __kernel_timespec short_ts = { .tv_nsec = 20000000 };
	struct __kernel_timespec long_ts = { .tv_sec = 5 };
	struct io_uring_cqe *cqe, *cqes[8];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	unsigned head, n, mask;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(ring.sq.ring_entries, 8);
	CHECK_EQ(ring.cq.ring_entries, 16);

	/* Several rounds, so the rings wrap. */
	for (int round = 0; round < 12; round++) {
		/* submit_and_wait, then the for_each macro and cq_advance. */
		queue_nops(&ring, 4, 100);
		CHECK_EQ(io_uring_submit_and_wait(&ring, 4), 4);
		n = 0;
		mask = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			CHECK_EQ(cqe->res, 0);
			mask |= 1u << (cqe->user_data - 100);
			n++;
		}
		CHECK_EQ(n, 4);
		CHECK_EQ(mask, 0xf);
		io_uring_cq_advance(&ring, n);
		CHECK_EQ(io_uring_cq_ready(&ring), 0);

		/* An empty CQ: peek says -EAGAIN, a timed wait -ETIME. */
		CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
		CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &short_ts), -ETIME);

		/* A timeout SQE expires with -ETIME; wait_cqe reaps it. */
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_timeout(sqe, &short_ts, 0, 0);
		io_uring_sqe_set_data64(sqe, 7);
		CHECK_EQ(io_uring_submit(&ring), 1);
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, 7);
		CHECK_EQ(cqe->res, -ETIME);
		io_uring_cqe_seen(&ring, cqe);

		/* peek_batch_cqe after submit_and_wait_timeout. */
		queue_nops(&ring, 6, 200);
		CHECK_EQ(io_uring_submit_and_wait_timeout(&ring, &cqe, 6, &long_ts, NULL), 6);
		CHECK_EQ(cqe->user_data, 200);
		CHECK_EQ(io_uring_peek_batch_cqe(&ring, cqes, 8), 6);
		for (int i = 0; i < 6; i++)
			CHECK_EQ(cqes[i]->user_data, 200 + i);
		io_uring_cq_advance(&ring, 6);

		/* A NOP reaped by a timed wait. */
		queue_nops(&ring, 1, 300);
		CHECK_EQ(io_uring_submit(&ring), 1);
		CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &long_ts), 0);
		CHECK_EQ(cqe->user_data, 300);
		io_uring_cqe_seen(&ring, cqe);
		CHECK_EQ(io_uring_cq_ready(&ring), 0);
	}
	io_uring_queue_exit(&ring);
	printf("preload_app: all %d checks passed\n", checks);
	return 0;
}
