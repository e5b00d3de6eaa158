/* SPDX-License-Identifier: MIT */
/*
 * liburing-rs's own extensions, outside liburing's API. Include after
 * <liburing.h>.
 */
#ifndef LIBURING_RS_H
#define LIBURING_RS_H

#include <stddef.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct io_uring;

/* A ring's statistics, as URING_RS_STATS prints them at exit. Fields are
 * only ever added at the end: pass sizeof() of the struct you know. */
struct io_uring_rs_stats {
	__u64 sqes;			/* SQEs submitted through the library */
	__u64 sqes_by_opcode[256];
	__u64 enters;			/* io_uring_enter calls */
	__u64 submitted;		/* SQEs the kernel consumed in them */
	__u64 submit_batches;		/* enters that submitted something */
	__u64 max_batch;		/* most SQEs consumed by one enter */
	__u64 waits;			/* enters that waited for completions */
	__u64 waited;			/* completions those waits asked for */
	__u64 wait_ns;			/* time spent in them */
	__u64 cq_overflows;		/* enters made while the CQ had overflowed */
	__u64 cqes;			/* completions consumed */
	__u64 cqes_ok;			/* ... handed out by the library, res >= 0 */
	__u64 cqes_err;			/* ... handed out by the library, res < 0 */
	__u64 cqes_by_errno[135];	/* those by -res; the last slot: larger */
	__u64 cqes_inline;		/* ... consumed by the program's inline code */
};

/* Copies the first `size` bytes of the ring's statistics to `stats`.
 * Returns 0; -EOPNOTSUPP unless URING_RS_STATS is set; -EFAULT or -EBADF
 * for a NULL pointer or a ring that is not set up. */
int io_uring_rs_get_stats(const struct io_uring *ring,
			  struct io_uring_rs_stats *stats, size_t size);

/* Whether the ring is served by liburing-rs's userspace engine (see
 * URING_RS_EMULATE in the README) rather than the kernel. Returns 1 or 0;
 * -EFAULT or -EBADF for a NULL pointer or a ring that is not set up. */
int io_uring_rs_is_emulated(const struct io_uring *ring);

#ifdef __cplusplus
}
#endif

#endif
