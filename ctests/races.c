/* Timeouts and cancellations racing completions, many times over with
 * random timing: a pipe read that a writer thread satisfies at a random
 * moment, against (a) a linked timeout, (b) a cancel by user_data, pointer
 * or fd, (c) a synchronous cancel through io_uring_register, and a timeout
 * against (d) its removal or update. Whichever side wins, every CQE
 * arrives exactly once and the two results agree about who won. Every wait
 * is bounded. CTEST_QUICK shrinks the iteration counts. */
#include <pthread.h>
#include <stdint.h>
#include "helpers.h"
#include "kernel.h"

#define MAX_DELAY_US 1500

static unsigned seed;

static unsigned rnd(unsigned below)
{
	return (unsigned) rand_r(&seed) % below;
}

static void sleep_us(unsigned us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long) us * 1000 };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* A pipe and a thread that writes one byte into it after `delay_us`. */
struct writer {
	int fds[2];
	unsigned delay_us;
	pthread_t thread;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	sleep_us(w->delay_us);
	if (write(w->fds[1], "x", 1) != 1)
		abort();
	return NULL;
}

static void writer_start(struct writer *w, unsigned delay_us)
{
	CHECK_EQ(pipe(w->fds), 0);
	w->delay_us = delay_us;
	CHECK_EQ(pthread_create(&w->thread, NULL, writer_main, w), 0);
}

static void writer_finish(struct writer *w)
{
	CHECK_EQ(pthread_join(w->thread, NULL), 0);
	close(w->fds[0]);
	close(w->fds[1]);
}

/* Reaps exactly `n` CQEs tagged tags[0..n-1], each once, storing their
 * results in res[]; fails on a hang (10 s per CQE: an emulated VM can be
 * slow), an unknown or repeated tag, or a CQE beyond the n. */
static void reap(struct io_uring *ring, unsigned n, const __u64 *tags, int *res)
{
	struct __kernel_timespec ts = { .tv_sec = 10 };

	for (unsigned i = 0; i < n; i++)
		res[i] = INT32_MIN;
	for (unsigned seen = 0; seen < n; seen++) {
		struct io_uring_cqe *cqe;
		unsigned k;
		int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

		if (ret == -ETIME)
			FAIL("hang: %u of %u CQEs after 10 s (seed %u)", seen, n, seed);
		CHECK_EQ(ret, 0);
		for (k = 0; k < n && tags[k] != cqe->user_data; k++)
			;
		if (k == n)
			FAIL("unexpected CQE tagged %llu (res %d)",
			     (unsigned long long) cqe->user_data, cqe->res);
		if (res[k] != INT32_MIN)
			FAIL("CQE tagged %llu arrived twice", (unsigned long long) tags[k]);
		res[k] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK_EQ(io_uring_cq_ready(ring), 0);
}

static const __u64 tags12[2] = { 1, 2 };

static void prep_read_tagged(struct io_uring *ring, int fd, char *buf, __u64 tag, unsigned flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	CHECK(sqe != NULL);
	io_uring_prep_read(sqe, fd, buf, 1, 0);
	io_uring_sqe_set_data64(sqe, tag);
	io_uring_sqe_set_flags(sqe, flags);
}

/* Outcome tallies, printed at the end to show both sides won sometimes. */
static unsigned won[4][2];

/* (a) read linked to a timeout of random length. */
static void linked_timeout(struct io_uring *ring, unsigned iter)
{
	struct writer w;
	struct __kernel_timespec ts = { .tv_nsec = (long) rnd(MAX_DELAY_US) * 1000 };
	struct io_uring_sqe *sqe;
	char buf;
	int res[2];

	writer_start(&w, rnd(MAX_DELAY_US));
	prep_read_tagged(ring, w.fds[0], &buf, 1, IOSQE_IO_LINK);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &ts, 0);
	io_uring_sqe_set_data64(sqe, 2);
	CHECK_EQ(io_uring_submit(ring), 2);
	reap(ring, 2, tags12, res);
	if (res[0] == 1) {
		/* The read won: the timeout was cancelled (-ECANCELED), or it
		 * fired but found the read running (-EALREADY) or already
		 * done (-ENOENT). If the timer fires while the read is
		 * completing, the kernel no longer holds the read and the
		 * timeout reports plain expiry (-ETIME). */
		if (res[1] != -ECANCELED && res[1] != -EALREADY && res[1] != -ENOENT &&
		    res[1] != -ETIME)
			FAIL("iter %u: read done, timeout res %d", iter, res[1]);
		won[0][0]++;
	} else {
		/* The timeout won and cancelled the read. 6.1 can also report
		 * -ENOENT or -EALREADY for a timeout whose cancel raced the
		 * read's poll wakeup, which then ended the read as cancelled. */
		if (res[0] != -ECANCELED && res[0] != -EINTR)
			FAIL("iter %u: read res %d, timeout res %d", iter, res[0], res[1]);
		if (res[1] != -ETIME && res[1] != -ENOENT && res[1] != -EALREADY)
			FAIL("iter %u: read cancelled, timeout res %d", iter, res[1]);
		won[0][1]++;
	}
	writer_finish(&w);
}

/* (b) read against a cancel by user_data, by pointer, or by fd. */
static void cancel_race(struct io_uring *ring, unsigned iter)
{
	static int anchor;
	struct writer w;
	struct io_uring_sqe *sqe;
	__u64 tag = iter % 3 == 1 ? (__u64) (uintptr_t) &anchor : 1;
	char buf;
	int res[2];

	__u64 tags[2] = { tag, 2 };

	writer_start(&w, rnd(MAX_DELAY_US));
	prep_read_tagged(ring, w.fds[0], &buf, tag, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	sleep_us(rnd(MAX_DELAY_US));
	sqe = io_uring_get_sqe(ring);
	switch (iter % 3) {
	case 0: io_uring_prep_cancel64(sqe, 1, 0); break;
	case 1: io_uring_prep_cancel(sqe, &anchor, 0); break;
	default: io_uring_prep_cancel_fd(sqe, w.fds[0], 0); break;
	}
	io_uring_sqe_set_data64(sqe, 2);
	CHECK_EQ(io_uring_submit(ring), 1);
	reap(ring, 2, tags, res);
	if (res[1] == 0 || res[1] == 1) {
		/* Found and cancelled (cancel_fd counts one). */
		if (res[0] != -ECANCELED && res[0] != -EINTR)
			FAIL("iter %u: cancel %d but read %d", iter, res[1], res[0]);
		won[1][1]++;
	} else if (res[1] == -ENOENT) {
		CHECK_EQ(res[0], 1);
		won[1][0]++;
	} else if (res[1] == -EALREADY) {
		/* Found already running: the kernel tried to interrupt it, which
		 * may or may not land before the byte arrives (seen on 6.1). */
		if (res[0] != 1 && res[0] != -ECANCELED && res[0] != -EINTR)
			FAIL("iter %u: cancel -EALREADY but read %d", iter, res[0]);
		won[1][res[0] != 1]++;
	} else {
		FAIL("iter %u: cancel res %d, read %d", iter, res[1], res[0]);
	}
	writer_finish(&w);
}

/* (c) read against io_uring_register_sync_cancel. */
static void sync_cancel_race(struct io_uring *ring, unsigned iter)
{
	struct writer w;
	struct io_uring_sync_cancel_reg reg = { .addr = 1, .timeout = { .tv_sec = 1 } };
	char buf;
	int res[1], ret;

	writer_start(&w, rnd(MAX_DELAY_US));
	prep_read_tagged(ring, w.fds[0], &buf, 1, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	sleep_us(rnd(MAX_DELAY_US));
	ret = io_uring_register_sync_cancel(ring, &reg);
	reap(ring, 1, tags12, res);
	if (ret == 0) {
		/* 1: the kernel (6.1) found the read after its poll had fired
		 * and still let it complete. */
		if (res[0] != -ECANCELED && res[0] != -EINTR && res[0] != 1)
			FAIL("iter %u: sync cancel 0 but read %d", iter, res[0]);
		won[2][1]++;
	} else if (ret == -ENOENT) {
		CHECK_EQ(res[0], 1);
		won[2][0]++;
	} else if (ret == -ETIME) {
		/* The cancel's own 1 s ran out while the read it found was still
		 * running (a slow machine: 6.1 under TCG); the read then ends
		 * either way. */
		if (res[0] != -ECANCELED && res[0] != -EINTR && res[0] != 1)
			FAIL("iter %u: sync cancel -ETIME but read %d", iter, res[0]);
		won[2][res[0] != 1]++;
	} else {
		FAIL("iter %u: sync cancel %d, read %d", iter, ret, res[0]);
	}
	writer_finish(&w);
}

/* (d) a timeout against its removal or an update to 1 ms from now. */
static void timeout_race(struct io_uring *ring, unsigned iter)
{
	struct __kernel_timespec ts = { .tv_nsec = (long) rnd(MAX_DELAY_US) * 1000 };
	struct __kernel_timespec soon = { .tv_nsec = 1000000 };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	int update = iter & 1, res[2];

	io_uring_prep_timeout(sqe, &ts, 0, 0);
	io_uring_sqe_set_data64(sqe, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	sleep_us(rnd(MAX_DELAY_US));
	sqe = io_uring_get_sqe(ring);
	if (update)
		io_uring_prep_timeout_update(sqe, &soon, 1, 0);
	else
		io_uring_prep_timeout_remove(sqe, 1, 0);
	io_uring_sqe_set_data64(sqe, 2);
	CHECK_EQ(io_uring_submit(ring), 1);
	reap(ring, 2, tags12, res);
	if (res[1] == 0) {
		/* Caught in time: removed, or moved and then expired. */
		CHECK_EQ(res[0], update ? -ETIME : -ECANCELED);
		won[3][1]++;
	} else if (res[1] == -ENOENT || res[1] == -EALREADY) {
		CHECK_EQ(res[0], -ETIME);
		won[3][0]++;
	} else {
		FAIL("iter %u: %s res %d, timeout %d", iter, update ? "update" : "remove",
		     res[1], res[0]);
	}
}

int main(void)
{
	struct {
		const char *name;
		void (*fn)(struct io_uring *, unsigned);
		bool have;	/* what the kernel needs, asked raw */
	} races[] = {
		{ "linked timeout vs read", linked_timeout, true },
		{ "cancel vs read", cancel_race, kernel_cancel_fd() || lacks_case("IORING_ASYNC_CANCEL_FD") },
		{ "sync cancel vs read", sync_cancel_race,
		  kernel_sync_cancel() || lacks_case("IORING_REGISTER_SYNC_CANCEL") },
		{ "timeout remove/update vs expiry", timeout_race,
		  kernel_timeout_update(0) || lacks_case("IORING_TIMEOUT_UPDATE") },
	};
	unsigned iters = quick(300);
	struct io_uring ring;
	const char *env = getenv("RACES_SEED");

	seed = env ? (unsigned) strtoul(env, NULL, 0) : (unsigned) now_ns();
	fprintf(stderr, "races: seed %u (RACES_SEED reruns it), %u iterations each\n", seed, iters);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	for (unsigned r = 0; r < 4; r++) {
		if (!races[r].have)
			continue;
		for (unsigned i = 0; i < iters; i++)
			races[r].fn(&ring, i);
		fprintf(stderr, "%s: completion first %u, cancel/timeout first %u\n",
			races[r].name, won[r][0], won[r][1]);
	}
	io_uring_queue_exit(&ring);
	return 0;
}
