/* Signal masks passed to the waits apply while waiting: with SIGUSR1
 * blocked, a wait given a mask that unblocks it is interrupted (-EINTR)
 * by a SIGUSR1 from another thread; a wait without one is not. */
#include <pthread.h>
#include <liburing.h>
#include "helpers.h"

static volatile sig_atomic_t caught;
static pthread_t waiter;

static void on_usr1(int sig)
{
	(void) sig;
	caught = 1;
}

static void *send_later(void *arg)
{
	(void) arg;
	sleep_ms(50);
	CHECK_EQ(pthread_kill(waiter, SIGUSR1), 0);
	return NULL;
}

enum how { WAIT_CQES, GET_CQE, SUBMIT_AND_WAIT_TIMEOUT };

/* Waits one way with `mask` while another thread signals; returns what
 * the wait returned. */
static int wait_signalled(struct io_uring *ring, enum how how, sigset_t *mask)
{
	struct __kernel_timespec ts = { .tv_nsec = 300000000 };
	struct io_uring_cqe *cqe;
	pthread_t t;
	int ret = 0;

	caught = 0;
	CHECK_EQ(pthread_create(&t, NULL, send_later, NULL), 0);
	switch (how) {
	case WAIT_CQES:
		ret = io_uring_wait_cqes(ring, &cqe, 1, &ts, mask);
		break;
	case GET_CQE:
		ret = __io_uring_get_cqe(ring, &cqe, 0, 1, mask);
		break;
	case SUBMIT_AND_WAIT_TIMEOUT:
		ret = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, mask);
		break;
	}
	CHECK_EQ(pthread_join(t, NULL), 0);
	return ret;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct io_uring ring;

	skip_under_valgrind("valgrind delivers signals at its own points, not inside the wait");
	sigset_t usr1, open_mask, pending;
	int sig;

	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	CHECK_EQ(pthread_sigmask(SIG_BLOCK, &usr1, NULL), 0);
	sigemptyset(&open_mask);
	waiter = pthread_self();
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);

	CHECK_EQ(wait_signalled(&ring, WAIT_CQES, &open_mask), -EINTR);
	CHECK(caught);
	CHECK_EQ(wait_signalled(&ring, GET_CQE, &open_mask), -EINTR);
	CHECK(caught);
	CHECK_EQ(wait_signalled(&ring, SUBMIT_AND_WAIT_TIMEOUT, &open_mask), -EINTR);
	CHECK(caught);

	/* Without a mask the signal stays blocked: the wait times out and
	 * the signal is left pending. */
	CHECK_EQ(wait_signalled(&ring, WAIT_CQES, NULL), -ETIME);
	CHECK(!caught);
	CHECK_EQ(sigpending(&pending), 0);
	CHECK(sigismember(&pending, SIGUSR1));
	CHECK_EQ(sigwait(&usr1, &sig), 0);

	nop_roundtrip(&ring, 1);
	io_uring_queue_exit(&ring);
	return 0;
}
