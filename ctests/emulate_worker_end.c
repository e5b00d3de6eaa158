/* A request the engine runs on a worker is ended by that worker, as io-wq
 * ends its work: its CQE, the rest of its chain, its LINK_TIMEOUT. The
 * request blocks for as long as the test wants: an IOSQE_ASYNC open of a
 * FIFO for reading waits on the worker until a writer opens it.
 *   - a chain goes on after the worker's request, in order;
 *   - a LINK_TIMEOUT that fires while the worker runs the request cannot
 *     stop it, as io-wq cannot: the timeout ends with -ENOENT (what the
 *     kernel's cancel finds), the open with the file once a writer comes;
 *   - io_uring_queue_exit while the worker still runs a chain waits for it
 *     to end the chain. */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"

static char dir[] = "/tmp/uring-rs-worker-end-XXXXXX";
static char fifo[64];

/* Opens the FIFO for writing after `ms` milliseconds, which lets a reader
 * blocked in open go on, and keeps it open a moment. */
static void *writer(void *ms)
{
	int fd;

	usleep((long) ms * 1000);
	fd = open(fifo, O_WRONLY);
	CHECK(fd >= 0);
	usleep(20000);
	close(fd);
	return NULL;
}

static pthread_t writer_after(long ms)
{
	pthread_t t;

	CHECK_EQ(pthread_create(&t, NULL, writer, (void *) ms), 0);
	return t;
}

/* The FIFO's open for reading on a worker, linked to what follows. */
static void prep_blocking_open(struct io_uring *ring, unsigned long user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_openat(sqe, AT_FDCWD, fifo, O_RDONLY | O_CLOEXEC, 0);
	sqe->flags |= IOSQE_ASYNC | IOSQE_IO_LINK;
	sqe->user_data = user_data;
}

static struct io_uring_cqe *next_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	return cqe;
}

/* The next CQE is the blocking open's (user_data 1): it opened the FIFO. */
static void expect_opened(struct io_uring *ring)
{
	struct io_uring_cqe *cqe = next_cqe(ring);

	CHECK_EQ(cqe->user_data, 1);
	CHECK(cqe->res >= 0);
	close(cqe->res);
	io_uring_cqe_seen(ring, cqe);
}

static void chain_goes_on(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	pthread_t t;

	prep_blocking_open(ring, 1);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 2;
	CHECK_EQ(io_uring_submit(ring), 2);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
	t = writer_after(50);
	expect_opened(ring);
	cqe = next_cqe(ring);
	CHECK_EQ(cqe->user_data, 2);
	CHECK_EQ(cqe->res, 0);
	io_uring_cqe_seen(ring, cqe);
	pthread_join(t, NULL);
}

static void timeout_cannot_stop_it(struct io_uring *ring)
{
	struct __kernel_timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	pthread_t t;

	prep_blocking_open(ring, 1);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &ts, 0);
	sqe->user_data = 2;
	CHECK_EQ(io_uring_submit(ring), 2);
	/* The timeout fires while nothing opened the FIFO for writing. */
	cqe = next_cqe(ring);
	CHECK_EQ(cqe->user_data, 2);
	CHECK_EQ(cqe->res, -ENOENT);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
	t = writer_after(0);
	expect_opened(ring);
	pthread_join(t, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* When a writer that found the FIFO open for reading tried (0: none did,
 * trying every millisecond from 50 ms to two seconds on). */
static double opened_at;

static void *late_writer(void *unused)
{
	(void) unused;
	usleep(50000);
	for (int i = 0; i < 2000 && !opened_at; i++) {
		double tried = now();
		int fd = open(fifo, O_WRONLY | O_NONBLOCK);

		if (fd >= 0) {
			opened_at = tried;
			close(fd);
		}
		usleep(1000);
	}
	return NULL;
}

static void exit_waits_for_worker(void)
{
	struct io_uring ring;
	pthread_t t;
	double exited;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	prep_blocking_open(&ring, 1);
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	CHECK_EQ(io_uring_submit(&ring), 2);
	/* Time for a worker to take the open (a request still queued is
	 * dropped instead, as the kernel cancels queued work). */
	usleep(20000);
	CHECK_EQ(pthread_create(&t, NULL, late_writer, NULL), 0);
	io_uring_queue_exit(&ring);
	exited = now();
	pthread_join(t, NULL);
	/* Not before the worker's open returned, which the writer let go. */
	if (opened_at)
		CHECK(exited >= opened_at);
}

int main(void)
{
	struct io_uring ring;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK_EQ(mkfifo(fifo, 0600), 0);
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	chain_goes_on(&ring);
	timeout_cannot_stop_it(&ring);
	io_uring_queue_exit(&ring);
	exit_waits_for_worker();
	unlink(fifo);
	rmdir(dir);
	return 0;
}
