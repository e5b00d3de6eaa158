/* SPDX-License-Identifier: MIT */
/*
 * Compatibility definitions needed by liburing.h (liburing-rs).
 *
 * Upstream liburing generates this file at configure time from probes of
 * the build machine's headers.  liburing-rs ships a single static header
 * instead, so each probe is replaced by a preprocessor check:
 *
 *   __kernel_rwf_t      <linux/fs.h>, kernel headers >= 4.14
 *   __kernel_timespec   <linux/time_types.h>, kernel headers >= 5.1
 *   struct open_how     <linux/openat2.h>, kernel headers >= 5.6
 *   struct futex_waitv  <linux/futex.h>, kernel headers >= 5.16
 *   BLOCK_URING_CMD_*   <linux/blkdev.h>, recent kernel headers
 *
 * A fallback definition is only made when the system headers do not
 * provide the item, so including the system header as well is harmless.
 * __has_include is given "quoted" names, which older GCC releases handle
 * more reliably than the <angle> form.
 */
#ifndef LIBURING_COMPAT_H
#define LIBURING_COMPAT_H

#include <stdint.h>

/*
 * Kernel uapi headers version, used where no feature macro exists.  If the
 * header cannot be found the system headers are assumed to be recent.
 */
#ifndef LINUX_VERSION_CODE
# if defined(__has_include)
#  if __has_include("linux/version.h")
#   include <linux/version.h>
#  endif
# else
#  include <linux/version.h>
# endif
#endif

#ifdef LINUX_VERSION_CODE
# define LIBURING_COMPAT_UAPI_BEFORE(a, b) \
	(LINUX_VERSION_CODE < (((a) << 16) + ((b) << 8)))
#else
# define LIBURING_COMPAT_UAPI_BEFORE(a, b) 0
#endif

/* ---- __kernel_rwf_t (type of sqe->rw_flags) ---- */
#if LIBURING_COMPAT_UAPI_BEFORE(4, 14)
typedef int __kernel_rwf_t;
#endif

/* ---- struct __kernel_timespec ----
 *
 * Whichever branch is taken, struct __kernel_timespec is available once
 * this block is done, so liburing/io_uring.h is told not to include
 * <linux/time_types.h> a second time.
 */
#if defined(__has_include)
# if __has_include("linux/time_types.h")
#  include <linux/time_types.h>
# else
struct __kernel_timespec {
	int64_t		tv_sec;
	long long	tv_nsec;
};
# endif
#else
# include <linux/time_types.h>
#endif
#ifndef UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H
# define UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H 1
#endif

/* ---- struct open_how (openat2) ---- */
#if defined(__has_include)
# if __has_include("linux/openat2.h")
#  include <linux/openat2.h>
#  define LIBURING_COMPAT_HAVE_OPENAT2_H 1
# endif
#else
# include <linux/openat2.h>
# define LIBURING_COMPAT_HAVE_OPENAT2_H 1
#endif
#ifndef LIBURING_COMPAT_HAVE_OPENAT2_H
struct open_how {
	uint64_t	flags;
	uint64_t	mode;
	uint64_t	resolve;
};
#endif
#undef LIBURING_COMPAT_HAVE_OPENAT2_H

/* ---- struct futex_waitv (FUTEX_WAITV) ----
 *
 * Only needed when the kernel headers predate futex_waitv; otherwise
 * <linux/futex.h> has it and liburing.h itself only needs the tag.
 */
#if LIBURING_COMPAT_UAPI_BEFORE(5, 16)
# ifndef FUTEX_32
#  define FUTEX_32		2
# endif
# ifndef FUTEX_WAITV_MAX
#  define FUTEX_WAITV_MAX	128
# endif
struct futex_waitv {
	uint64_t	val;
	uint64_t	uaddr;
	uint32_t	flags;
	uint32_t	__reserved;
};
#endif

#undef LIBURING_COMPAT_UAPI_BEFORE

/* ---- block device uring_cmd opcodes ---- */
#if defined(__has_include)
# if __has_include("linux/blkdev.h")
#  include <linux/blkdev.h>
# endif
#endif
#if !defined(BLOCK_URING_CMD_DISCARD) || !defined(BLOCK_URING_CMD_ZONE_RESET_ALL)
# include <linux/ioctl.h>
# ifndef BLOCK_URING_CMD_DISCARD
#  define BLOCK_URING_CMD_DISCARD		_IO(0x12, 0)
# endif
# ifndef BLOCK_URING_CMD_ZONE_RESET_ALL
#  define BLOCK_URING_CMD_ZONE_RESET_ALL	_IO(0x12, 1)
# endif
#endif

#endif /* LIBURING_COMPAT_H */
