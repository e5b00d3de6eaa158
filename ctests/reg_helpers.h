/* Helpers the reg_* tests share. SQEs are filled in by hand, field by
 * field, so these tests depend on no preparer. */
#ifndef CTESTS_REG_HELPERS_H
#define CTESTS_REG_HELPERS_H

#include <liburing.h>
#include <stdint.h>
#include <time.h>
#include "harness.h"

/* Takes an SQE and sets the fields every request uses; get_sqe has already
 * cleared flags, ioprio, op flags, buf_index, personality and file_index. */
static inline struct io_uring_sqe *sqe_op(struct io_uring *ring, int op, int fd,
					  const void *addr, unsigned len,
					  __u64 off, __u64 user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		FAIL("io_uring_get_sqe: SQ full");
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (__u64) (uintptr_t) addr;
	sqe->len = len;
	sqe->off = off;
	sqe->user_data = user_data;
	return sqe;
}

/* Queues a NOP tagged `user_data`. */
static inline struct io_uring_sqe *sqe_nop(struct io_uring *ring, __u64 user_data)
{
	return sqe_op(ring, IORING_OP_NOP, -1, NULL, 0, 0, user_data);
}

/* Waits up to `ms` milliseconds for a CQE; returns a copy and marks it
 * seen. Fails the test on timeout, naming the caller's line. */
static inline struct io_uring_cqe reap_at(struct io_uring *ring, int ms, int line)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	struct io_uring_cqe *cqe, copy;
	int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (ret)
		FAIL("waiting for a CQE (line %d): %s", line, strerror(-ret));
	copy = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return copy;
}
#define reap_ms(ring, ms) reap_at(ring, ms, __LINE__)
/* Waits for one CQE (failing after five seconds: some kernels post a
 * resource tag's CQE from work delayed by a second, and emulated VMs are
 * slow). */
#define reap(ring) reap_at(ring, 5000, __LINE__)

/* Submits what is queued and reaps one CQE, checking its user_data. */
static inline int submit_reap(struct io_uring *ring, __u64 user_data)
{
	struct io_uring_cqe cqe;

	CHECK(io_uring_submit(ring) >= 1);
	cqe = reap(ring);
	CHECK_EQ(cqe.user_data, user_data);
	return cqe.res;
}

/* True when no CQE shows up within `ms` milliseconds. */
static inline int no_cqe_within(struct io_uring *ring, int ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	struct io_uring_cqe *cqe;

	return io_uring_wait_cqe_timeout(ring, &cqe, &ts) == -ETIME;
}

/* Milliseconds on the monotonic clock. */
static inline long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

#endif
