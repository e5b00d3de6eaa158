/* The SQ and CQ protocols under a producer and a consumer on two threads,
 * litmus-style: every SQE carries a sequence number and a tag derived from
 * it, and the consumer checks that each comes back exactly once with its
 * tag. A missing release on the SQ tail lets the kernel read a stale SQE
 * (an earlier number, seen twice); a missing acquire on the CQ tail, or a
 * CQ head released before the CQE is read, hands the consumer a stale or
 * overwritten CQE (a number seen twice, or never). A small SQ and CQ keep
 * both rings wrapping and the CQ overflowing. Run with and without SQPOLL,
 * whose kernel thread consumes the SQ concurrently. On x86 (and under TCG)
 * this mostly checks the protocol; on a weakly ordered machine (arm64) it
 * checks the barriers too (docs/memory-ordering.md). */
#include <pthread.h>
#include "kernel.h"

#define SQ_ENTRIES 8
#define CQ_ENTRIES 16
#define BATCH 4

struct run {
	struct io_uring ring;
	unsigned ops;
};

static unsigned tag(unsigned seq)
{
	return seq * 2654435761u ^ 0x5bd1e995u;
}

static void *producer(void *arg)
{
	struct run *r = arg;

	for (unsigned seq = 0; seq < r->ops; seq++) {
		struct io_uring_sqe *sqe;

		/* Under SQPOLL the SQ fills while the kernel thread lags. */
		while (!(sqe = io_uring_get_sqe(&r->ring))) {
			CHECK(io_uring_submit(&r->ring) >= 0);
			CHECK(io_uring_sqring_wait(&r->ring) >= 0);
		}
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, (__u64) tag(seq) << 32 | seq);
		if (seq % BATCH == BATCH - 1 || seq == r->ops - 1)
			CHECK(io_uring_submit(&r->ring) >= 0);
	}
	return NULL;
}

static void consume(struct run *r)
{
	unsigned char *seen = calloc(r->ops, 1);
	unsigned done = 0;

	CHECK(seen);
	while (done < r->ops) {
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		CHECK_EQ(io_uring_wait_cqe(&r->ring, &cqe), 0);
		io_uring_for_each_cqe(&r->ring, head, cqe) {
			unsigned seq = (unsigned) cqe->user_data;

			CHECK_EQ(cqe->res, 0);
			CHECK(seq < r->ops);
			CHECK_EQ(cqe->user_data >> 32, tag(seq));
			if (seen[seq])
				FAIL("sequence %u completed twice", seq);
			seen[seq] = 1;
			n++;
		}
		io_uring_cq_advance(&r->ring, n);
		done += n;
	}
	free(seen);
}

static void run(unsigned flags, unsigned ops)
{
	struct io_uring_params p = { .flags = flags | IORING_SETUP_CQSIZE, .cq_entries = CQ_ENTRIES };
	struct run r = { .ops = ops };
	pthread_t t;

	CHECK_EQ(io_uring_queue_init_params(SQ_ENTRIES, &r.ring, &p), 0);
	CHECK_EQ(pthread_create(&t, NULL, producer, &r), 0);
	consume(&r);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(io_uring_cq_ready(&r.ring), 0);
	io_uring_queue_exit(&r.ring);
}

int main(void)
{
	skip_under_valgrind("the producer and consumer spin against each other");
	run(0, quick(200000));
	if (HAVE_SETUP_FLAGS(IORING_SETUP_SQPOLL))
		run(IORING_SETUP_SQPOLL, quick(200000));
	return 0;
}
