//! SQE preparers and SQE helpers.

use crate::prep;
use crate::sys::{__kernel_timespec, __u64, io_uring_sqe};
use core::ffi::{c_uint, c_void};

/// Prepares a no-op.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_nop(sqe: *mut io_uring_sqe) {
    // SAFETY: the caller passes NULL or a valid SQE.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        prep::nop(sqe);
    }
}

/// Prepares a timeout that completes after `ts`, or once `count` other
/// completions have arrived (0: only the time counts).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `ts` must stay valid until the
/// SQE is submitted.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_timeout(sqe: *mut io_uring_sqe, ts: *const __kernel_timespec, count: c_uint, flags: c_uint) {
    // SAFETY: the caller passes NULL or a valid SQE.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        prep::timeout(sqe, ts, count, flags);
    }
}

/// Sets the SQE's user_data from a pointer.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_data(sqe: *mut io_uring_sqe, data: *mut c_void) {
    // SAFETY: the caller passes NULL or a valid SQE.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        sqe.user_data = data as usize as u64;
    }
}

/// Sets the SQE's user_data.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_data64(sqe: *mut io_uring_sqe, data: __u64) {
    // SAFETY: the caller passes NULL or a valid SQE.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        sqe.user_data = data;
    }
}

/// Sets the SQE's IOSQE_* flags.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_flags(sqe: *mut io_uring_sqe, flags: c_uint) {
    // SAFETY: the caller passes NULL or a valid SQE.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        sqe.flags = flags as u8;
    }
}
