/* Futex preparers: a wait in one thread's ring woken by a wake from
 * another thread's ring (and by the plain syscall), value mismatches,
 * wake counts and bitset masks, and futex_waitv's index. */
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include "prep_util.h"
#include "kernel.h"

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE 128
#endif
#define F2 (FUTEX2_SIZE_U32 | FUTEX2_PRIVATE)

static struct io_uring waiter;
static uint32_t word, other;
static int armed;

/* Wakes `word` from a second thread through that thread's own ring,
 * once the main thread's wait is armed, and returns the wake count. */
static void *waker(void *arg)
{
	struct io_uring ring;
	int woken = 0;

	(void) arg;
	RING_INIT(&ring, 4, 0);
	while (!__atomic_load_n(&armed, __ATOMIC_ACQUIRE))
		usleep(1000);
	/* Retry until the waiter is queued: the count says when. */
	for (int i = 0; i < 2000 && woken == 0; i++) {
		io_uring_prep_futex_wake(sqe_of(&ring), &word, 1, FUTEX_BITSET_MATCH_ANY, F2, 0);
		woken = run1(&ring);
		if (woken == 0)
			usleep(1000);
	}
	io_uring_queue_exit(&ring);
	return (void *) (intptr_t) woken;
}

static void cross_thread(void)
{
	pthread_t t;
	void *woken;

	/* The thread exists before the wait is armed: on 6.18, a futex wait
	 * queued while the process is single-threaded is not found by wakes
	 * after the first thread is created (the kernel then switches the
	 * process to a private futex hash). */
	CHECK_EQ(pthread_create(&t, NULL, waker, NULL), 0);
	io_uring_prep_futex_wait(sqe_of(&waiter), &word, 0, FUTEX_BITSET_MATCH_ANY, F2, 0);
	submit_n(&waiter, 1);
	__atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
	CHECK_EQ(next_cqe(&waiter).res, 0);
	CHECK_EQ(pthread_join(t, &woken), 0);
	CHECK_EQ((intptr_t) woken, 1);
}

static void semantics(void)
{
	struct io_uring_cqe *none;

	/* The value is compared: a mismatch returns at once. */
	io_uring_prep_futex_wait(sqe_of(&waiter), &word, 5, FUTEX_BITSET_MATCH_ANY, F2, 0);
	CHECK_EQ(run1(&waiter), -EAGAIN);

	/* Nobody waits: zero woken. */
	io_uring_prep_futex_wake(sqe_of(&waiter), &word, 1, FUTEX_BITSET_MATCH_ANY, F2, 0);
	CHECK_EQ(run1(&waiter), 0);

	/* Masks: a wake with a disjoint bitset leaves the waiter alone. */
	io_uring_prep_futex_wait(sqe_of(&waiter), &word, 0, 0x1, F2, 0);
	submit_n(&waiter, 1);
	io_uring_prep_futex_wake(sqe_of(&waiter), &word, 1, 0x2, F2, 0);
	CHECK_EQ(run1(&waiter), 0);
	CHECK_EQ(io_uring_peek_cqe(&waiter, &none), -EAGAIN);

	/* The plain futex syscall wakes it too (same key, any bit). */
	CHECK_EQ(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 1);
	CHECK_EQ(next_cqe(&waiter).res, 0);

	/* Unknown flags are refused. */
	io_uring_prep_futex_wait(sqe_of(&waiter), &word, 0, FUTEX_BITSET_MATCH_ANY, F2, 1);
	CHECK_EQ(run1(&waiter), -EINVAL);
}

static void waitv(void)
{
	struct futex_waitv v[2] = {
		{ .val = 0, .uaddr = (uintptr_t) &word, .flags = F2 },
		{ .val = 0, .uaddr = (uintptr_t) &other, .flags = F2 },
	};

	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int index = -1, woken = 0;

	/* Waking the second futex completes the wait with its index. */
	sqe = sqe_of(&waiter);
	io_uring_prep_futex_waitv(sqe, v, 2, 0);
	io_uring_sqe_set_data64(sqe, 100);
	submit_n(&waiter, 1);
	sqe = sqe_of(&waiter);
	io_uring_prep_futex_wake(sqe, &other, 1, FUTEX_BITSET_MATCH_ANY, F2, 0);
	io_uring_sqe_set_data64(sqe, 200);
	submit_n(&waiter, 1);
	for (int i = 0; i < 2; i++) {
		cqe = next_cqe(&waiter);
		if (cqe.user_data == 100)
			index = cqe.res;
		else
			woken = cqe.res;
	}
	CHECK_EQ(woken, 1);
	CHECK_EQ(index, 1);

	/* A value mismatch in any entry fails the whole wait. */
	v[0].val = 3;
	io_uring_prep_futex_waitv(sqe_of(&waiter), v, 2, 0);
	CHECK_EQ(run1(&waiter), -EAGAIN);
}

int main(void)
{
	skip_under_valgrind("the waker thread must run while the waiter sleeps in the kernel");
	RING_INIT(&waiter, 8, 0);
	NEED_OP(IORING_OP_FUTEX_WAIT);
	NEED_OP(IORING_OP_FUTEX_WAKE);
	NEED_OP(IORING_OP_FUTEX_WAITV);

	cross_thread();
	semantics();
	waitv();

	io_uring_queue_exit(&waiter);
	return 0;
}
