/* Ring helpers the C tests share: queueing NOPs, a full NOP round trip,
 * a monotonic clock, and counters of this process's fds and mappings. */
#ifndef CTESTS_HELPERS_H
#define CTESTS_HELPERS_H

#include <dirent.h>
#include <unistd.h>
#include <time.h>
#include <liburing.h>
#include "harness.h"

/* Queues `n` NOPs tagged first, first + 1, ...; fails if the SQ fills. */
static inline void queue_nops(struct io_uring *ring, unsigned n, __u64 first)
{
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			FAIL("SQ full after %u of %u NOPs", i, n);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, first + i);
	}
}

/* Submits one NOP tagged `data`, waits for its CQE, checks and consumes it,
 * and checks the CQ is then empty. Under SQPOLL, submit counts every SQE
 * the poller has not yet consumed, and the poller may post a CQE before it
 * moves the SQ head past that SQE: so the previous NOP can still count. */
static inline void nop_roundtrip(struct io_uring *ring, __u64 data)
{
	struct io_uring_cqe *cqe = NULL;

	queue_nops(ring, 1, data);
	int submitted = io_uring_submit(ring);
	if (ring->flags & IORING_SETUP_SQPOLL)
		CHECK(submitted == 1 || submitted == 2);
	else
		CHECK_EQ(submitted, 1);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK(cqe != NULL);
	CHECK_EQ(cqe->user_data, data);
	CHECK_EQ(cqe->res, 0);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(io_uring_cq_ready(ring), 0);
}

/* CLOCK_MONOTONIC in nanoseconds. */
static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Open fds of this process (the count includes the directory's own fd,
 * the same on every call). */
static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Lines of /proc/<pid>/maps containing `needle` (every line when NULL). */
static inline int count_maps_of(const char *pid, const char *needle)
{
	char path[64], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	CHECK(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (!needle || strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

static inline int count_maps(void)
{
	return count_maps_of("self", NULL);
}

#endif
