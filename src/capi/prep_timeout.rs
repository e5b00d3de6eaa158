//! Timeout and cancellation preparers.

use super::sqe::with_sqe;
use crate::prep::timeout;
use crate::sys::{__kernel_timespec, __u64, io_uring_sqe};
use core::ffi::{c_int, c_uint, c_void};

/// Prepares a timeout that completes with -ETIME after `ts`, or with 0
/// once `count` other completions have arrived (0: only the time counts).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `ts` must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_timeout(
    sqe: *mut io_uring_sqe,
    ts: *const __kernel_timespec,
    count: c_uint,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `ts` is only stored, not read.
    unsafe { with_sqe(sqe, |s| timeout::timeout(s, ts, count, flags)) }
}

/// Prepares the removal of the timeout submitted with `user_data`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_timeout_remove(sqe: *mut io_uring_sqe, user_data: __u64, flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| timeout::timeout_remove(s, user_data, flags)) }
}

/// Prepares a change of the timeout submitted with `user_data` to expire
/// after `ts` (IORING_LINK_TIMEOUT_UPDATE in `flags` for a linked one).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `ts` must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_timeout_update(
    sqe: *mut io_uring_sqe,
    ts: *const __kernel_timespec,
    user_data: __u64,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `ts` is only stored, not read.
    unsafe { with_sqe(sqe, |s| timeout::timeout_update(s, ts, user_data, flags)) }
}

/// Prepares a linked timeout: placed after an SQE with IOSQE_IO_LINK, it
/// cancels that request if it has not completed after `ts`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `ts` must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_link_timeout(
    sqe: *mut io_uring_sqe,
    ts: *const __kernel_timespec,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `ts` is only stored, not read.
    unsafe { with_sqe(sqe, |s| timeout::link_timeout(s, ts, flags)) }
}

/// Prepares the cancellation of requests submitted with `user_data`
/// (IORING_ASYNC_CANCEL_* in `flags` widen the match).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cancel64(sqe: *mut io_uring_sqe, user_data: __u64, flags: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| timeout::cancel64(s, user_data, flags)) }
}

/// As io_uring_prep_cancel64, with the user_data given as a pointer.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cancel(sqe: *mut io_uring_sqe, user_data: *const c_void, flags: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `user_data` is only stored, not read.
    unsafe { with_sqe(sqe, |s| timeout::cancel(s, user_data, flags)) }
}

/// Prepares the cancellation of requests on `fd` (IORING_ASYNC_CANCEL_ALL
/// in `flags`: all of them, not just the first).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cancel_fd(sqe: *mut io_uring_sqe, fd: c_int, flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| timeout::cancel_fd(s, fd, flags)) }
}
