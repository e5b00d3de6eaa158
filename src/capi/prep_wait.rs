//! Futex and waitid preparers.

use super::sqe::with_sqe;
use crate::prep::wait;
use crate::sys::{futex_waitv, io_uring_sqe};
use core::ffi::{c_int, c_uint};
use libc::{id_t, idtype_t, siginfo_t};

/// Prepares a futex wait: sleeps while `*futex` equals `val`, until woken
/// through a matching `mask` bit. `futex_flags` are FUTEX2_* flags;
/// `flags` must be 0.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `futex` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_futex_wait(
    sqe: *mut io_uring_sqe,
    futex: *const u32,
    val: u64,
    mask: u64,
    futex_flags: u32,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `futex` is only stored, not read.
    unsafe { with_sqe(sqe, |s| wait::futex_wait(s, futex, val, mask, futex_flags, flags)) }
}

/// Prepares a futex wake of up to `val` waiters whose mask shares a bit
/// with `mask`.
///
/// # Safety
/// As for io_uring_prep_futex_wait.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_futex_wake(
    sqe: *mut io_uring_sqe,
    futex: *const u32,
    val: u64,
    mask: u64,
    futex_flags: u32,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `futex` is only stored, not read.
    unsafe { with_sqe(sqe, |s| wait::futex_wake(s, futex, val, mask, futex_flags, flags)) }
}

/// Prepares a wait on the `nr_futex` futexes in `futex`; the CQE's `res`
/// is the index of the one that woke.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `futex` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_futex_waitv(
    sqe: *mut io_uring_sqe,
    futex: *const futex_waitv,
    nr_futex: u32,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `futex` is only stored, not read.
    unsafe { with_sqe(sqe, |s| wait::futex_waitv(s, futex, nr_futex, flags)) }
}

/// Prepares a waitid(2); `flags` must be 0.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `infop` must be NULL or stay
/// valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_waitid(
    sqe: *mut io_uring_sqe,
    idtype: idtype_t,
    id: id_t,
    infop: *mut siginfo_t,
    options: c_int,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `infop` is only stored, not read.
    unsafe { with_sqe(sqe, |s| wait::waitid(s, idtype, id, infop, options, flags)) }
}
