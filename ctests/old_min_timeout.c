/*
 * The min-timeout waits (liburing 2.8) with IORING_FEAT_EXT_ARG cleared from
 * ring.features, as liburing 2.15 behaves (Debian's 2.3 has no such calls,
 * so unlike old_waits there is nothing to compare with):
 * - io_uring_wait_cqes_min_timeout asks only for FEAT_MIN_TIMEOUT and then
 *   waits through EXT_ARG whatever the bit says: no internal timeout SQE;
 * - io_uring_submit_and_wait_min_timeout asks for FEAT_MIN_TIMEOUT, then
 *   takes io_uring_submit_and_wait_timeout's path: without EXT_ARG, an
 *   internal timeout SQE, the minimum wait ignored;
 * - without FEAT_MIN_TIMEOUT both return -EINVAL and touch nothing.
 */
#include "old_kernel.h"

static struct __kernel_timespec ts = { .tv_nsec = TIMEOUT_MS * 1000000L };
static struct io_uring ring;

/* Consumes the CQE a call returned. */
static void seen(struct io_uring_cqe *cqe, __u64 data)
{
	CHECK(cqe != NULL);
	CHECK_EQ(cqe->user_data, data);
	io_uring_cqe_seen(&ring, cqe);
}

/* After every timeout has expired: the CQEs left, the internal timeout's
 * first. Returns how many; `timeout_res` gets its res (1 if none). */
static unsigned leftover(int *timeout_res)
{
	struct io_uring_cqe *cqes[8];
	unsigned n;

	sleep_ms(SETTLE_MS);
	n = io_uring_peek_batch_cqe(&ring, cqes, 8);
	*timeout_res = 1;
	if (n && cqes[0]->user_data == LIBURING_UDATA_TIMEOUT)
		*timeout_res = cqes[0]->res;
	io_uring_cq_advance(&ring, n);
	return n;
}

static void with_min_timeout(void)
{
	struct io_uring_cqe *cqe = NULL;
	int res;

	/* wait_cqes_min_timeout: an EXT_ARG wait, nothing queued. */
	CHECK_EQ(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts, 5000, NULL), -ETIME);
	CHECK(cqe == NULL);
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	CHECK_EQ(leftover(&res), 0);

	queue_nops(&ring, 1, 1);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts, 5000, NULL), 0);
	seen(cqe, 1);
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	CHECK_EQ(leftover(&res), 0);

	/* submit_and_wait_min_timeout: the NOP and an internal timeout are
	 * submitted; the timeout ends later, by expiring or by counting the
	 * NOP's completion (kernels differ in whether it counts). */
	queue_nops(&ring, 1, 2);
	CHECK_EQ(io_uring_submit_and_wait_min_timeout(&ring, &cqe, 1, &ts, 5000, NULL), 2);
	seen(cqe, 2);
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	CHECK_EQ(leftover(&res), 1);
	CHECK(res == 0 || res == -ETIME);

	/* Nothing to wait for: the internal timeout's CQE is consumed, and the
	 * call returns what it submitted, as io_uring_submit_and_wait_timeout
	 * does (old_waits compares that one with liburing). */
	CHECK_EQ(io_uring_submit_and_wait_min_timeout(&ring, &cqe, 1, &ts, 5000, NULL), 1);
	CHECK(cqe == NULL);
	CHECK_EQ(leftover(&res), 0);
}

static void without_min_timeout(void)
{
	struct io_uring_cqe *cqe = NULL;
	int res;

	ring.features &= ~IORING_FEAT_MIN_TIMEOUT;
	queue_nops(&ring, 1, 3);
	CHECK_EQ(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts, 5000, NULL), -EINVAL);
	CHECK_EQ(io_uring_submit_and_wait_min_timeout(&ring, &cqe, 1, &ts, 5000, NULL), -EINVAL);
	CHECK(cqe == NULL);
	CHECK_EQ(io_uring_sq_ready(&ring), 1);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(leftover(&res), 1);
	CHECK_EQ(res, 1);
}

int main(void)
{
	unsigned features = kernel_features();

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	ring.features &= ~IORING_FEAT_EXT_ARG;
	if (features & IORING_FEAT_MIN_TIMEOUT)
		with_min_timeout();
	without_min_timeout();
	io_uring_queue_exit(&ring);
	if (!(features & IORING_FEAT_MIN_TIMEOUT))
		SKIP("no IORING_FEAT_MIN_TIMEOUT: only its absence was tested");
	return 0;
}
