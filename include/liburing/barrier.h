/* SPDX-License-Identifier: MIT */
/*
 * Memory ordering helpers shared between liburing.h and the ring code
 * (liburing-rs).
 *
 *   io_uring_smp_store_release(p, v)  store v to *p with release ordering
 *   io_uring_smp_load_acquire(p)      load *p with acquire ordering
 *   io_uring_smp_mb()                 full (sequentially consistent) fence
 *   IO_URING_WRITE_ONCE(var, val)     single, untorn (relaxed) store
 *   IO_URING_READ_ONCE(var)           single, untorn (relaxed) load
 *
 * C uses <stdatomic.h>; C++ uses <atomic> through function templates.
 */
#ifndef LIBURING_BARRIER_H
#define LIBURING_BARRIER_H

/*
 * liburing.h normally defines _LOCAL_INLINE before including this file;
 * provide the same definition when the header is used on its own.
 */
#ifndef _LOCAL_INLINE
# if defined(__cplusplus) && __cplusplus >= 202002L
#  define _LOCAL_INLINE inline
# else
#  define _LOCAL_INLINE static inline
# endif
#endif

#ifdef __cplusplus

#include <atomic>

#ifndef LIBURING_NOEXCEPT
# define LIBURING_NOEXCEPT noexcept
#endif

/* templates need C++ linkage even if we are included inside extern "C" */
extern "C++" {

template <typename T>
_LOCAL_INLINE void IO_URING_WRITE_ONCE(T &var, T val) LIBURING_NOEXCEPT
{
	std::atomic_store_explicit(reinterpret_cast<std::atomic<T> *>(&var),
				   val, std::memory_order_relaxed);
}

template <typename T>
_LOCAL_INLINE T IO_URING_READ_ONCE(const T &var) LIBURING_NOEXCEPT
{
	return std::atomic_load_explicit(
			reinterpret_cast<const std::atomic<T> *>(&var),
			std::memory_order_relaxed);
}

template <typename T>
_LOCAL_INLINE void io_uring_smp_store_release(T *p, T v) LIBURING_NOEXCEPT
{
	std::atomic_store_explicit(reinterpret_cast<std::atomic<T> *>(p),
				   v, std::memory_order_release);
}

template <typename T>
_LOCAL_INLINE T io_uring_smp_load_acquire(const T *p) LIBURING_NOEXCEPT
{
	return std::atomic_load_explicit(
			reinterpret_cast<const std::atomic<T> *>(p),
			std::memory_order_acquire);
}

_LOCAL_INLINE void io_uring_smp_mb() LIBURING_NOEXCEPT
{
	std::atomic_thread_fence(std::memory_order_seq_cst);
}

} /* extern "C++" */

#else /* !__cplusplus */

#include <stdatomic.h>

/*
 * The plain object is accessed through an _Atomic-qualified lvalue of the
 * same type; for the naturally aligned 8/16/32/64-bit ring indices this
 * compiles to ordinary loads/stores plus the required ordering.
 */
#define IO_URING_WRITE_ONCE(var, val)					\
	atomic_store_explicit((_Atomic __typeof__(var) *)&(var),	\
			      (val), memory_order_relaxed)

#define IO_URING_READ_ONCE(var)						\
	atomic_load_explicit((_Atomic __typeof__(var) *)&(var),	\
			     memory_order_relaxed)

#define io_uring_smp_store_release(p, v)				\
	atomic_store_explicit((_Atomic __typeof__(*(p)) *)(p),		\
			      (v), memory_order_release)

#define io_uring_smp_load_acquire(p)					\
	atomic_load_explicit((_Atomic __typeof__(*(p)) *)(p),		\
			     memory_order_acquire)

#define io_uring_smp_mb()						\
	atomic_thread_fence(memory_order_seq_cst)

#endif /* __cplusplus */

#endif /* LIBURING_BARRIER_H */
