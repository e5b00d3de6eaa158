/* Threads: 16 threads, each with its own ring, each doing 200k NOPs and 20k
 * 4 KiB file reads whose data is checked; then one ring shared the way
 * liburing allows, one thread submitting and another reaping. Nothing may be
 * lost or duplicated. */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <liburing.h>
#include "harness.h"

#define THREADS 16
#define NOPS 200000
#define READS 20000
#define BATCH 32
#define BLOCK 4096
#define BLOCKS 64

static int data_fd;

/* Block b of the data file holds the byte (b * 7 + 1) everywhere. */
static void make_data_file(void)
{
	char path[] = "/tmp/uring-rs-threads-XXXXXX", buf[BLOCK];
	data_fd = mkstemp(path);
	CHECK(data_fd >= 0);
	unlink(path);
	for (int b = 0; b < BLOCKS; b++) {
		memset(buf, b * 7 + 1, sizeof(buf));
		CHECK_EQ(write(data_fd, buf, sizeof(buf)), BLOCK);
	}
}

static void *own_ring(void *arg)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	static __thread char bufs[BATCH][BLOCK];
	unsigned seed = (unsigned) (uintptr_t) arg;

	CHECK_EQ(io_uring_queue_init(BATCH, &ring, 0), 0);
	for (unsigned long done = 0; done < quick(NOPS); done += BATCH) {
		for (unsigned i = 0; i < BATCH; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			CHECK(sqe);
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, done + i);
		}
		CHECK_EQ(io_uring_submit_and_wait(&ring, BATCH), BATCH);
		unsigned long long seen = 0;
		for (unsigned i = 0; i < BATCH; i++) {
			CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
			CHECK(cqe->user_data >= done && cqe->user_data < done + BATCH);
			seen |= 1ULL << (cqe->user_data - done);
			io_uring_cqe_seen(&ring, cqe);
		}
		CHECK_EQ(seen, (1ULL << BATCH) - 1);
	}
	for (unsigned done = 0; done < quick(READS); done += BATCH) {
		for (unsigned i = 0; i < BATCH; i++) {
			unsigned block = (seed = seed * 1103515245 + 12345) % BLOCKS;
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_read(sqe, data_fd, bufs[i], BLOCK, (__u64) block * BLOCK);
			io_uring_sqe_set_data64(sqe, (__u64) i << 32 | block);
		}
		CHECK_EQ(io_uring_submit_and_wait(&ring, BATCH), BATCH);
		for (unsigned i = 0; i < BATCH; i++) {
			CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
			CHECK_EQ(cqe->res, BLOCK);
			unsigned slot = cqe->user_data >> 32, block = (unsigned) cqe->user_data;
			for (int j = 0; j < BLOCK; j += 512)
				CHECK_EQ((unsigned char) bufs[slot][j], (unsigned char) (block * 7 + 1));
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

/* The shared ring: this thread only reaps, main only submits. */
#define SHARED_OPS 200000
static struct io_uring shared;
static unsigned char seen_ops[SHARED_OPS];

static void *reaper(void *arg)
{
	struct io_uring_cqe *cqe;
	(void) arg;
	for (unsigned n = 0; n < quick(SHARED_OPS); n++) {
		CHECK_EQ(io_uring_wait_cqe(&shared, &cqe), 0);
		CHECK(cqe->user_data < SHARED_OPS);
		CHECK_EQ(seen_ops[cqe->user_data]++, 0);
		io_uring_cqe_seen(&shared, cqe);
	}
	return NULL;
}

static void shared_ring(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4096 };
	pthread_t t;

	CHECK_EQ(io_uring_queue_init_params(64, &shared, &p), 0);
	CHECK_EQ(pthread_create(&t, NULL, reaper, NULL), 0);
	for (unsigned n = 0; n < quick(SHARED_OPS);) {
		struct io_uring_sqe *sqe = NULL;
		/* Never more in flight than the CQ holds, so nothing overflows
		 * while the reaper catches up. */
		if (n - __atomic_load_n(shared.cq.khead, __ATOMIC_ACQUIRE) < 4096 - 64)
			sqe = io_uring_get_sqe(&shared);
		if (!sqe) {
			if (io_uring_sq_ready(&shared))
				CHECK(io_uring_submit(&shared) >= 0);
			sched_yield();
			continue;
		}
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, n++);
	}
	CHECK(io_uring_submit(&shared) >= 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	for (unsigned n = 0; n < quick(SHARED_OPS); n++)
		CHECK_EQ(seen_ops[n], 1);
	io_uring_queue_exit(&shared);
}

int main(void)
{
	pthread_t t[THREADS];

	make_data_file();
	for (uintptr_t i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, own_ring, (void *) (i + 1)), 0);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	/* valgrind 3.19 holds its scheduler lock across io_uring_enter, so a
	 * thread blocked waiting for a completion another thread must submit
	 * deadlocks there: the shared ring only runs natively. */
	if (!getenv("CTEST_VALGRIND"))
		shared_ring();
	return 0;
}
