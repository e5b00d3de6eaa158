/*
 * CQ overflow as on a kernel without IORING_FEAT_NODROP (before 5.5): the
 * bit is cleared from ring.features after setup. liburing reads it nowhere,
 * so nothing may change: a kernel that has NODROP keeps the CQEs that did
 * not fit and flushes them when entered (the library enters when the SQ
 * flags say CQ_OVERFLOW); an old kernel drops them and counts them in
 * *cq.koverflow. Either way every NOP is accounted for and nothing hangs.
 * ctests/run-old_nodrop.sh compares the printed steps with Debian's
 * liburing (see old_kernel.h).
 */
#include "old_kernel.h"

static struct io_uring ring;
static unsigned queued;

/* Submits three batches of four NOPs into a CQ of eight entries. */
static void overflow(void)
{
	for (int batch = 0; batch < 3; batch++) {
		queue_nops(&ring, 4, 100 + queued);
		queued += 4;
		printf("submit 4 nops: ret=%d\n", io_uring_submit(&ring));
	}
	printf("  cq_ready=%u overflow flag=%d koverflow=%u\n", io_uring_cq_ready(&ring),
	       !!(*ring.sq.kflags & IORING_SQ_CQ_OVERFLOW), *ring.cq.koverflow);
}

static unsigned reap_batches(void)
{
	struct io_uring_cqe *cqes[16];
	unsigned n, total = 0;

	while ((n = io_uring_peek_batch_cqe(&ring, cqes, 16)) != 0) {
		printf("peek_batch_cqe: %u, first %llu\n", n, (unsigned long long) cqes[0]->user_data);
		io_uring_cq_advance(&ring, n);
		total += n;
	}
	return total;
}

static unsigned reap_one_by_one(void)
{
	struct io_uring_cqe *cqe;
	unsigned total = 0;
	int ret;

	while ((ret = io_uring_peek_cqe(&ring, &cqe)) == 0) {
		io_uring_cqe_seen(&ring, cqe);
		total++;
	}
	printf("peek_cqe: %u, then ret=%d\n", total, ret);
	return total;
}

int main(void)
{
	unsigned reaped = 0;
	int ret;

	kernel_features();
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(ring.cq.ring_entries, 8);
	ring.features &= ~IORING_FEAT_NODROP;

	overflow();
	reaped += reap_batches();
	overflow();
	reaped += reap_one_by_one();

	/* A submit while CQEs wait in the kernel's overflow list. */
	overflow();
	queue_nops(&ring, 1, 100 + queued++);
	ret = io_uring_submit(&ring);
	printf("submit 1 nop with the CQ overflowed: ret=%d\n", ret);
	if (ret < 0) {
		/* Refused (-EBUSY on some kernels): the NOP is still queued. */
		reaped += reap_batches();
		printf("submit again: ret=%d\n", io_uring_submit(&ring));
	}
	reaped += reap_batches();

	printf("nops=%u reaped=%u koverflow=%u\n", queued, reaped, *ring.cq.koverflow);
	CHECK_EQ(reaped + *ring.cq.koverflow, queued);
	io_uring_queue_exit(&ring);
	return 0;
}
