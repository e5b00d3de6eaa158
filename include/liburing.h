/* SPDX-License-Identifier: MIT */
/*
 * liburing-rs: the public header. Source-compatible with liburing 2.15's
 * <liburing.h>: the same types, constants, macros and functions.
 *
 *   liburing/io_uring.h   the kernel ABI (structs, opcodes, flags)
 *   liburing/decls.h      liburing's ring structs and every function,
 *                         generated from the Rust sources by cbindgen
 *   this file             macros and the few helpers cbindgen cannot emit
 */
#ifndef LIB_URING_H
#define LIB_URING_H

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/filter.h>
#include <linux/swab.h>
#include "liburing/compat.h"
#include "liburing/io_uring.h"
#include "liburing/io_uring/query.h"
#include "liburing/io_uring/bpf_filter.h"
#include "liburing/io_uring_version.h"

#ifndef uring_unlikely
#define uring_unlikely(cond) __builtin_expect(!!(cond), 0)
#endif
#ifndef uring_likely
#define uring_likely(cond) __builtin_expect(!!(cond), 1)
#endif

/* How liburing's header marks its inline helpers; kept for programs that
 * use the same names. */
#ifndef IOURINGINLINE
#if defined(__cplusplus) && __cplusplus >= 202002L
#define IOURINGINLINE inline
#else
#define IOURINGINLINE static inline
#endif
#endif
#ifndef _LOCAL_INLINE
#if defined(__cplusplus) && __cplusplus >= 202002L
#define _LOCAL_INLINE inline
#else
#define _LOCAL_INLINE static inline
#endif
#endif

#ifdef __cplusplus
#define LIBURING_NOEXCEPT noexcept
#else
#define LIBURING_NOEXCEPT
#endif

#include "liburing/barrier.h"

/* System call numbers, for libcs that predate io_uring. Alpha and MIPS
 * number them differently; every other architecture uses 425..427. */
#ifndef __NR_io_uring_setup
#if defined(__alpha__)
#define __NR_io_uring_setup 535
#define __NR_io_uring_enter 536
#define __NR_io_uring_register 537
#elif defined(__mips__)
#define __NR_io_uring_setup (__NR_Linux + 425)
#define __NR_io_uring_enter (__NR_Linux + 426)
#define __NR_io_uring_register (__NR_Linux + 427)
#else
#define __NR_io_uring_setup 425
#define __NR_io_uring_enter 426
#define __NR_io_uring_register 427
#endif
#endif

/* Structs some prototypes take by pointer, which the includes above may
 * not define (depending on feature macros and header versions). */
struct epoll_event;
struct futex_waitv;
struct statx;

/* A zero-copy receive refill queue as the application sees it, after
 * mapping the region IORING_REGISTER_ZCRX_IFQ describes: the kernel's head
 * and tail words, our private tail, and the entries. liburing declares it
 * for programs to fill in; no library function takes it. */
struct io_uring_zcrx_rq {
	__u32 *khead;
	__u32 *ktail;
	__u32 rq_tail;
	unsigned ring_entries;
	struct io_uring_zcrx_rqe *rqes;
	void *ring_ptr;
};

#include "liburing/decls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* user_data of the internal timeout SQE on kernels without EXT_ARG. */
#define LIBURING_UDATA_TIMEOUT ((__u64) -1)

/* The 64-bit user_data helpers exist. */
#define LIBURING_HAVE_DATA64

/* True when this header is OLDER than major.minor (compile-time twin of
 * io_uring_check_version()). */
#define IO_URING_CHECK_VERSION(major, minor) \
	((major) > IO_URING_VERSION_MAJOR || \
	 ((major) == IO_URING_VERSION_MAJOR && (minor) > IO_URING_VERSION_MINOR))

_LOCAL_INLINE __u64 uring_ptr_to_u64(const void *ptr) LIBURING_NOEXCEPT
{
	return (__u64) (uintptr_t) ptr;
}

/*
 * Header-only helpers liburing's header also offers (no library symbol).
 */

/* log2 of the CQE size in 16-byte units: 1 on CQE32 rings. */
_LOCAL_INLINE unsigned io_uring_cqe_shift_from_flags(unsigned flags) LIBURING_NOEXCEPT
{
	return (flags & IORING_SETUP_CQE32) ? 1 : 0;
}

_LOCAL_INLINE unsigned io_uring_cqe_shift(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return io_uring_cqe_shift_from_flags(ring->flags);
}

/* Slot of CQ index `ptr` in the CQE array, in 16-byte CQE units. */
_LOCAL_INLINE unsigned io_uring_cqe_index(const struct io_uring *ring, unsigned ptr, unsigned mask) LIBURING_NOEXCEPT
{
	return (ptr & mask) << io_uring_cqe_shift(ring);
}

/* log2 of the SQE size in 64-byte units: 1 on SQE128 rings. */
_LOCAL_INLINE unsigned io_uring_sqe_shift_from_flags(unsigned flags) LIBURING_NOEXCEPT
{
	return (flags & IORING_SETUP_SQE128) ? 1 : 0;
}

_LOCAL_INLINE unsigned io_uring_sqe_shift(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return io_uring_sqe_shift_from_flags(ring->flags);
}

/* The kernel's SQ head; acquired under SQPOLL, where the kernel thread
 * frees slots concurrently. */
_LOCAL_INLINE unsigned io_uring_load_sq_head(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	if (ring->flags & IORING_SETUP_SQPOLL)
		return io_uring_smp_load_acquire(ring->sq.khead);
	return IO_URING_READ_ONCE(*ring->sq.khead);
}

/* Clears the SQE fields a preparer may leave alone, as io_uring_get_sqe does. */
_LOCAL_INLINE void io_uring_initialize_sqe(struct io_uring_sqe *sqe) LIBURING_NOEXCEPT
{
	sqe->flags = 0;
	sqe->ioprio = 0;
	sqe->rw_flags = 0;
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
}

/* Direct-descriptor slots are stored one-based; 0 means "no slot". */
_LOCAL_INLINE void __io_uring_set_target_fixed_file(struct io_uring_sqe *sqe,
						    unsigned int file_index) LIBURING_NOEXCEPT
{
	sqe->file_index = file_index + 1;
}

/* Poll masks are 32-bit; big-endian kernels read them half-word swapped. */
_LOCAL_INLINE unsigned __io_uring_prep_poll_mask(unsigned poll_mask) LIBURING_NOEXCEPT
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	poll_mask = (poll_mask << 16) | (poll_mask >> 16);
#endif
	return poll_mask;
}

/* The common part of the uring_cmd preparers. */
_LOCAL_INLINE void __io_uring_prep_uring_cmd(struct io_uring_sqe *sqe, int op,
					     __u32 cmd_op, int fd) LIBURING_NOEXCEPT
{
	sqe->opcode = (__u8) op;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	sqe->__pad1 = 0;
	sqe->addr = 0;
	sqe->len = 0;
}

/* liburing's name for the body of io_uring_get_sqe. */
#define _io_uring_get_sqe(ring) io_uring_get_sqe(ring)

/*
 * Walks the CQEs ready when the loop starts, without consuming them: `head`
 * is an unsigned the loop keeps at the current position, `cqe` gets each
 * entry in turn. Follow the loop with io_uring_cq_advance(ring, count).
 */
#define io_uring_for_each_cqe(ring, head, cqe)                                  \
	for (struct io_uring_cqe_iter __uring_rs_it = io_uring_cqe_iter_init(ring); \
	     (head) = __uring_rs_it.head,                                        \
	     io_uring_cqe_iter_next(&__uring_rs_it, &(cqe));                   \
	     (void) (head) /* read, so `head` never counts as unused */)

#ifdef __cplusplus
}
#endif

#include "liburing/inline.h"

#endif /* LIB_URING_H */
