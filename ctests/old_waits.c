/*
 * Timed waits as on a kernel without IORING_FEAT_EXT_ARG (before 5.11): the
 * bit is cleared from ring.features after setup, so the library queues an
 * internal IORING_OP_TIMEOUT SQE (user_data LIBURING_UDATA_TIMEOUT) for
 * every timed wait and peeking skips its CQE. ctests/run-old_waits.sh
 * compares the printed steps with Debian's liburing (see old_kernel.h).
 *
 * liburing 2.3 and 2.15 agree on every call made here: the get-CQE loop,
 * the internal timeout, io_uring_wait_cqes, io_uring_submit_and_wait_timeout
 * and io_uring_peek_batch_cqe differ only on rings this test does not make
 * (registered waits, mixed CQE sizes). The min-timeout calls are 2.8's, so
 * old_min_timeout tests them against our header alone.
 */
#include "old_kernel.h"

/* A wait that must end by its timeout gets `expiring`. One that returns at
 * once gets `lasting`, which outlives any delay before the step prints; its
 * internal timeout (count: the wait's wait_nr, 1) is then completed by
 * settle()'s NOP. */
static struct __kernel_timespec expiring = { .tv_nsec = TIMEOUT_MS * 1000000L };
static struct __kernel_timespec lasting = { .tv_sec = 10 };
static struct io_uring ring;
static sigset_t sigmask;

static void nop(struct io_uring *r, __u64 data)
{
	queue_nops(r, 1, data);
}

/* Ends a step: submits a NOP (99), which completes a pending internal
 * timeout of count 1, then prints and consumes every CQE left
 * (io_uring_peek_batch_cqe hands out internal timeouts' CQEs too). */
static void settle(struct io_uring *r)
{
	struct io_uring_cqe *cqes[64];
	unsigned n;

	printf("  settled: sq_ready=%u", io_uring_sq_ready(r));
	nop(r, 99);
	printf(" submit=%d cqes", io_uring_submit(r));
	n = io_uring_peek_batch_cqe(r, cqes, 64);
	for (unsigned i = 0; i < n; i++)
		print_cqe(cqes[i]);
	printf("\n");
	fflush(stdout);
	io_uring_cq_advance(r, n);
}

/* A NOP that has completed before the wait starts. */
static void done_nop(__u64 data)
{
	unsigned ready = io_uring_cq_ready(&ring);

	nop(&ring, data);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(io_uring_cq_ready(&ring), ready + 1);
}

static void wait_timeout_steps(void)
{
	struct io_uring_cqe *cqe;
	int ret;

	/* The CQE is there already: the timeout SQE is still submitted. */
	done_nop(1);
	cqe = NULL;
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &lasting);
	show(&ring, "wait_cqe_timeout, nop done", ret, cqe);
	settle(&ring);

	cqe = NULL;
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &expiring);
	show(&ring, "wait_cqe_timeout, nothing to wait for", ret, cqe);
	settle(&ring);

	/* The pending NOP is submitted with the timeout. */
	nop(&ring, 3);
	cqe = NULL;
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &lasting);
	show(&ring, "wait_cqe_timeout, nop queued", ret, cqe);
	settle(&ring);
}

static void wait_cqes_steps(void)
{
	struct io_uring_cqe *cqe;
	int ret;

	done_nop(4);
	cqe = NULL;
	ret = io_uring_wait_cqes(&ring, &cqe, 1, &lasting, &sigmask);
	show(&ring, "wait_cqes 1, timeout, sigmask, nop done", ret, cqe);
	settle(&ring);

	cqe = NULL;
	ret = io_uring_wait_cqes(&ring, &cqe, 1, &expiring, &sigmask);
	show(&ring, "wait_cqes 1, timeout, sigmask, nothing", ret, cqe);
	settle(&ring);

	/* One of two arrives: the wait ends when the timeout does. */
	done_nop(6);
	cqe = NULL;
	ret = io_uring_wait_cqes(&ring, &cqe, 2, &expiring, &sigmask);
	show(&ring, "wait_cqes 2, timeout, sigmask, one nop done", ret, cqe);
	settle(&ring);

	nop(&ring, 7);
	CHECK_EQ(io_uring_submit(&ring), 1);
	cqe = NULL;
	ret = io_uring_wait_cqes(&ring, &cqe, 1, NULL, &sigmask);
	show(&ring, "wait_cqes 1, no timeout, sigmask", ret, cqe);
	settle(&ring);
}

static void submit_and_wait_steps(void)
{
	struct io_uring_cqe *cqe;
	int ret;

	nop(&ring, 8);
	nop(&ring, 9);
	cqe = NULL;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 2, &lasting, NULL);
	show(&ring, "submit_and_wait_timeout 2, two nops", ret, cqe);
	settle(&ring);

	/* The NOP and the expired timeout make the two CQEs waited for. (The
	 * kernel counts the timeout's own CQE: waiting for more than one CQE
	 * beyond those that can arrive never returns, in liburing too.) */
	nop(&ring, 10);
	cqe = NULL;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 2, &expiring, &sigmask);
	show(&ring, "submit_and_wait_timeout 2, one nop, sigmask", ret, cqe);
	settle(&ring);

	nop(&ring, 11);
	cqe = NULL;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, NULL, NULL);
	show(&ring, "submit_and_wait_timeout 1, no timeout", ret, cqe);
	settle(&ring);

	cqe = NULL;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &expiring, NULL);
	show(&ring, "submit_and_wait_timeout 1, nothing", ret, cqe);
	settle(&ring);
}

/* An internal timeout's CQE at the head: one that expired is consumed and
 * reported as its error, one that completed (res 0) is skipped. The
 * application makes them itself here, tagged LIBURING_UDATA_TIMEOUT. */
static void internal_cqe_steps(void)
{
	struct __kernel_timespec short_ts = { .tv_nsec = 1000000 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret;

	for (int round = 0; round < 3; round++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_timeout(sqe, &short_ts, 0, 0);
		io_uring_sqe_set_data64(sqe, LIBURING_UDATA_TIMEOUT);
		CHECK_EQ(io_uring_submit(&ring), 1);
		sleep_ms(SETTLE_MS);
		done_nop(20 + round);
		CHECK_EQ(io_uring_cq_ready(&ring), 2);
		cqe = NULL;
		if (round == 0)
			ret = io_uring_wait_cqes(&ring, &cqe, 1, NULL, NULL);
		else if (round == 1)
			ret = io_uring_wait_cqe_nr(&ring, &cqe, 2);
		else
			ret = io_uring_peek_cqe(&ring, &cqe);
		show(&ring, round == 0 ? "expired internal timeout, wait_cqes" :
		     round == 1 ? "expired internal timeout, wait_cqe_nr 2" :
		     "expired internal timeout, peek_cqe", ret, cqe);
		cqe = NULL;
		ret = io_uring_peek_cqe(&ring, &cqe);
		show(&ring, "  then peek_cqe", ret, cqe);
		settle(&ring);
	}

	nop(&ring, LIBURING_UDATA_TIMEOUT);
	nop(&ring, 23);
	CHECK_EQ(io_uring_submit(&ring), 2);
	cqe = NULL;
	ret = io_uring_wait_cqes(&ring, &cqe, 1, NULL, NULL);
	show(&ring, "completed internal timeout, wait_cqes", ret, cqe);
	settle(&ring);
}

/* The same waits entering through the registered ring fd (kernels without
 * ring fd registration refuse it, and the waits use the plain fd). */
static void registered_fd_steps(void)
{
	struct io_uring_cqe *cqe;
	int ret;

	printf("register_ring_fd: ret=%d\n", io_uring_register_ring_fd(&ring));
	done_nop(50);
	cqe = NULL;
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &lasting);
	show(&ring, "registered fd, wait_cqe_timeout, nop done", ret, cqe);
	settle(&ring);

	nop(&ring, 51);
	cqe = NULL;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 2, &expiring, &sigmask);
	show(&ring, "registered fd, submit_and_wait_timeout 2, one nop", ret, cqe);
	settle(&ring);
	printf("unregister_ring_fd: ret=%d\n", io_uring_unregister_ring_fd(&ring));
}

/* A full SQ is submitted to make room for the timeout SQE. */
static void full_sq_step(void)
{
	struct io_uring small;
	struct io_uring_cqe *cqe = NULL;
	int ret;

	CHECK_EQ(io_uring_queue_init(4, &small, 0), 0);
	small.features &= ~IORING_FEAT_EXT_ARG;
	queue_nops(&small, 4, 30);
	ret = io_uring_wait_cqe_timeout(&small, &cqe, &lasting);
	show(&small, "wait_cqe_timeout, SQ full", ret, cqe);
	settle(&small);
	io_uring_queue_exit(&small);
}

/* The SQPOLL thread of a disabled ring, on kernels that start it at setup,
 * sets NEED_WAKEUP once, as soon as it runs, and then sleeps until woken.
 * Waits for that (or SETTLE_MS) and clears the flag, so that whether a
 * submit enters does not depend on when the thread ran. */
static void quiet_sq_thread(struct io_uring *r)
{
	for (int ms = 0; ms < SETTLE_MS && !(*r->sq.kflags & IORING_SQ_NEED_WAKEUP); ms++)
		sleep_ms(1);
	__atomic_fetch_and(r->sq.kflags, ~IORING_SQ_NEED_WAKEUP, __ATOMIC_SEQ_CST);
}

/* A ring whose SQ stays full: with SQPOLL on a disabled ring, submitting
 * enters nothing and frees no slot, so there is no room for the timeout
 * (-EAGAIN). Without SQPOLL, entering a disabled ring fails (-EBADFD). */
static void disabled_ring_step(unsigned flags, const char *step)
{
	struct io_uring_params p;
	struct io_uring r;
	struct io_uring_cqe *cqe = NULL;
	int fd, ret;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	fd = raw_setup(4, &p);
	if (fd < 0) {
		printf("%s: skipped, the kernel refuses setup flags %#x\n", step, flags);
		return;
	}
	close(fd);
	CHECK_EQ(io_uring_queue_init(4, &r, flags), 0);
	r.features &= ~IORING_FEAT_EXT_ARG;
	if (flags & IORING_SETUP_SQPOLL)
		quiet_sq_thread(&r);
	queue_nops(&r, 4, 40);
	ret = io_uring_wait_cqe_timeout(&r, &cqe, &expiring);
	show(&r, step, ret, cqe);
	io_uring_queue_exit(&r);
}

int main(void)
{
	kernel_features();
	sigemptyset(&sigmask);
	sigaddset(&sigmask, SIGUSR1);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	ring.features &= ~IORING_FEAT_EXT_ARG;

	wait_timeout_steps();
	wait_cqes_steps();
	submit_and_wait_steps();
	internal_cqe_steps();
	registered_fd_steps();
	full_sq_step();
	disabled_ring_step(IORING_SETUP_SQPOLL | IORING_SETUP_R_DISABLED, "wait_cqe_timeout, SQPOLL ring disabled");
	disabled_ring_step(IORING_SETUP_R_DISABLED, "wait_cqe_timeout, ring disabled");

	io_uring_queue_exit(&ring);
	return 0;
}
