/* Timed waits: wait_cqe_timeout, wait_cqes, submit_and_wait_timeout, the
 * min_timeout variants, and a prep_timeout SQE. Timing is checked from
 * below only (a wait may not return early); the upper bounds are loose. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"
#include "syscall_spy.h"

#define MS 1000000LL
#define SLACK_MS 5
/* Far above any timeout here, far below "hung". */
#define LATE_MS 4000

static void check_took(long long start, long long at_least_ms)
{
	long long ms = (now_ns() - start) / MS;

	if (ms < at_least_ms - SLACK_MS)
		FAIL("returned after %lld ms, before the %lld ms timeout", ms, at_least_ms);
	if (ms > LATE_MS)
		FAIL("returned after %lld ms, expected about %lld ms", ms, at_least_ms);
}

static void check_quick(long long start)
{
	long long ms = (now_ns() - start) / MS;

	if (ms > LATE_MS)
		FAIL("took %lld ms where nothing should wait", ms);
}

static struct __kernel_timespec ms_ts(long long ms)
{
	return (struct __kernel_timespec) { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * MS };
}

/* The last waiting io_uring_enter the kernel saw since `mark`. */
static const struct spy_call *last_wait(unsigned mark)
{
	const struct spy_call *c, *last = NULL;

	while ((c = spy_next(&mark, __NR_io_uring_enter)))
		if (c->args[3] & IORING_ENTER_GETEVENTS)
			last = c;
	CHECK(last != NULL);
	return last;
}

/* The kernel got `ms` and `min_usec` through IORING_ENTER_EXT_ARG, to wait
 * for `nr` CQEs. */
static void check_ext_arg(unsigned mark, unsigned nr, long long ms, unsigned min_usec)
{
	const struct spy_call *c = last_wait(mark);

	CHECK(c->args[3] & IORING_ENTER_EXT_ARG);
	CHECK_EQ(c->args[2], nr);
	CHECK_EQ(c->args[5], sizeof(struct io_uring_getevents_arg));
	CHECK(c->ext.ts != 0);
	CHECK_EQ(c->ts.tv_sec * 1000 + c->ts.tv_nsec / MS, ms);
	CHECK_EQ(c->ext.min_wait_usec, min_usec);
}

static void wait_cqe_timeout(struct io_uring *ring)
{
	struct __kernel_timespec ts = ms_ts(100);
	struct io_uring_cqe *cqe = (void *) 1;
	unsigned mark = spy_mark();
	long long start = now_ns();

	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), -ETIME);
	check_took(start, 100);
	CHECK(cqe == NULL);
	if (HAVE_FEATURE(IORING_FEAT_EXT_ARG))
		check_ext_arg(mark, 1, 100, 0);

	/* A ready CQE returns at once. */
	queue_nops(ring, 1, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	ts = ms_ts(3000);
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), 0);
	check_quick(start);
	CHECK_EQ(cqe->user_data, 1);
	io_uring_cqe_seen(ring, cqe);

	/* NULL timeout: wait without limit (the CQE is ready). */
	queue_nops(ring, 1, 2);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, NULL), 0);
	CHECK_EQ(cqe->user_data, 2);
	io_uring_cqe_seen(ring, cqe);
}

static void wait_cqes(struct io_uring *ring)
{
	struct __kernel_timespec ts = ms_ts(60);
	struct io_uring_cqe *cqe;
	sigset_t none;
	long long start;

	sigemptyset(&none);
	/* Nothing at all: -ETIME, with and without a signal mask. */
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqes(ring, &cqe, 1, &ts, NULL), -ETIME);
	check_took(start, 60);
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqes(ring, &cqe, 1, &ts, &none), -ETIME);
	check_took(start, 60);

	/* One of two: the kernel waits out the timeout, then hands back the
	 * one it has. */
	queue_nops(ring, 1, 3);
	CHECK_EQ(io_uring_submit(ring), 1);
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqes(ring, &cqe, 2, &ts, NULL), 0);
	check_took(start, 60);
	CHECK_EQ(cqe->user_data, 3);
	io_uring_cqe_seen(ring, cqe);

	/* Two of two: at once. */
	queue_nops(ring, 2, 4);
	CHECK_EQ(io_uring_submit(ring), 2);
	ts = ms_ts(3000);
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqes(ring, &cqe, 2, &ts, &none), 0);
	check_quick(start);
	CHECK_EQ(io_uring_cq_ready(ring), 2);
	io_uring_cq_advance(ring, 2);

	/* No timeout: a plain wait. */
	queue_nops(ring, 1, 6);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqes(ring, &cqe, 1, NULL, NULL), 0);
	CHECK_EQ(cqe->user_data, 6);
	io_uring_cqe_seen(ring, cqe);
}

static void submit_and_wait_timeout(struct io_uring *ring)
{
	struct __kernel_timespec ts = ms_ts(3000);
	struct io_uring_cqe *cqe;
	long long start;

	/* Returns the number submitted, with the first CQE. */
	queue_nops(ring, 3, 10);
	start = now_ns();
	CHECK_EQ(io_uring_submit_and_wait_timeout(ring, &cqe, 3, &ts, NULL), 3);
	check_quick(start);
	CHECK(cqe != NULL);
	CHECK_EQ(cqe->user_data, 10);
	CHECK_EQ(io_uring_cq_ready(ring), 3);
	io_uring_cq_advance(ring, 3);

	/* Nothing to submit and nothing arrives: -ETIME. */
	ts = ms_ts(50);
	start = now_ns();
	CHECK_EQ(io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, NULL), -ETIME);
	check_took(start, 50);
	CHECK(cqe == NULL);

	/* NULL timeout: submit and wait. */
	queue_nops(ring, 2, 13);
	CHECK_EQ(io_uring_submit_and_wait_timeout(ring, &cqe, 2, NULL, NULL), 2);
	CHECK_EQ(io_uring_cq_ready(ring), 2);
	io_uring_cq_advance(ring, 2);
}

/* min_timeout: with fewer than wait_nr CQEs, return once the minimum wait
 * has passed and at least one is there, long before the full timeout. */
static void min_timeout(struct io_uring *ring)
{
	struct __kernel_timespec ts = ms_ts(10000);
	struct io_uring_cqe *cqe;
	long long start;
	int ret;

	unsigned mark;

	if (!HAVE_FEATURE(IORING_FEAT_MIN_TIMEOUT))
		return;
	queue_nops(ring, 1, 20);
	CHECK_EQ(io_uring_submit(ring), 1);
	start = now_ns();
	mark = spy_mark();
	ret = io_uring_wait_cqes_min_timeout(ring, &cqe, 4, &ts, 50000, NULL);
	CHECK_EQ(ret, 0);
	check_took(start, 50);
	check_ext_arg(mark, 4, 10000, 50000);
	CHECK_EQ(cqe->user_data, 20);
	io_uring_cqe_seen(ring, cqe);

	queue_nops(ring, 1, 21);
	start = now_ns();
	CHECK_EQ(io_uring_submit_and_wait_min_timeout(ring, &cqe, 4, &ts, 50000, NULL), 1);
	check_took(start, 50);
	CHECK(cqe != NULL);
	CHECK_EQ(cqe->user_data, 21);
	io_uring_cqe_seen(ring, cqe);

	/* Nothing arrives: the full (short) timeout applies. */
	ts = ms_ts(80);
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqes_min_timeout(ring, &cqe, 1, &ts, 20000, NULL), -ETIME);
	check_took(start, 80);
}

/* A timeout SQE: expires with -ETIME, or completes with 0 once `count`
 * other completions arrived. */
static void timeout_sqe(struct io_uring *ring)
{
	struct __kernel_timespec ts = ms_ts(40), wait = ms_ts(3000);
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	long long start = now_ns();

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	io_uring_sqe_set_data64(sqe, 30);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &wait), 0);
	check_took(start, 40);
	CHECK_EQ(cqe->user_data, 30);
	CHECK_EQ(cqe->res, -ETIME);
	io_uring_cqe_seen(ring, cqe);

	ts = ms_ts(10000);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 2, 0);
	io_uring_sqe_set_data64(sqe, 31);
	CHECK_EQ(io_uring_submit(ring), 1);
	queue_nops(ring, 2, 32);
	start = now_ns();
	CHECK_EQ(io_uring_submit_and_wait(ring, 3), 2);
	check_quick(start);
	CHECK_EQ(io_uring_cq_ready(ring), 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(io_uring_peek_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->res, 0);
		CHECK(cqe->user_data >= 31 && cqe->user_data <= 33);
		io_uring_cqe_seen(ring, cqe);
	}
}

/* Kernels without IORING_FEAT_EXT_ARG get the timeout as an internal
 * timeout SQE (user_data LIBURING_UDATA_TIMEOUT), whose CQE the library
 * must consume itself. Clearing the feature bit forces that path. */
static void legacy_timeout_path(void)
{
	struct io_uring ring;
	struct __kernel_timespec ts = ms_ts(50);
	struct io_uring_cqe *cqe = (void *) 1;
	long long start;
	unsigned mark;
	int ret;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	ring.features &= ~IORING_FEAT_EXT_ARG;

	/* Nothing arrives. liburing reports the internal timeout's expiry as
	 * -ETIME, or as the 1 SQE it submitted for it; never as a CQE. */
	start = now_ns();
	mark = spy_mark();
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	check_took(start, 50);
	/* The kernel got no EXT_ARG, the timeout went as an SQE. */
	CHECK(!(last_wait(mark)->args[3] & IORING_ENTER_EXT_ARG));
	CHECK(last_wait(mark)->args[1] >= 1);
	if (ret != -ETIME && ret != 1)
		FAIL("legacy timed wait returned %d", ret);
	CHECK(cqe == NULL);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);

	/* A NOP arrives: the wait returns it, never the internal CQE. */
	queue_nops(&ring, 1, 40);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), 0);
	CHECK_EQ(cqe->user_data, 40);
	io_uring_cqe_seen(&ring, cqe);
	/* The internal timeout still pending from that wait expires later;
	 * the library eats its CQE. */
	sleep_ms(80);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	nop_roundtrip(&ring, 41);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	struct io_uring ring;

	spy_start();
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	wait_cqe_timeout(&ring);
	wait_cqes(&ring);
	submit_and_wait_timeout(&ring);
	min_timeout(&ring);
	timeout_sqe(&ring);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	io_uring_queue_exit(&ring);
	legacy_timeout_path();
	return 0;
}
