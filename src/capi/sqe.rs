//! Setters for the SQE fields that are not the operation's own: user_data,
//! IOSQE_* flags, buffer group.

use crate::sys::{__u64, io_uring_sqe};
use core::ffi::{c_int, c_uint, c_void};

/// Runs a preparer on the SQE a C caller passed; NULL does nothing. The
/// preparers only write the SQE's fields: pointers they are given (paths,
/// buffers, iovecs) are stored as addresses for the kernel, never read, so
/// the SQE is all a caller must vouch for.
///
/// # Safety
/// `sqe` must be NULL or point to a writable SQE not otherwise borrowed
/// during the call (each preparer's C caller promises this, as liburing's
/// do).
#[inline(always)]
pub(super) unsafe fn with_sqe(sqe: *mut io_uring_sqe, prep: impl FnOnce(&mut io_uring_sqe)) {
    // SAFETY: `sqe` is NULL (then nothing happens) or an SQE borrowed by
    // nothing else, per this function's contract.
    if let Some(sqe) = unsafe { sqe.as_mut() } {
        prep(sqe);
    }
}

/// Sets the SQE's user_data from a pointer.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_data(sqe: *mut io_uring_sqe, data: *mut c_void) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `data` is only stored, not read.
    unsafe { with_sqe(sqe, |s| s.user_data = data as usize as u64) }
}

/// Sets the SQE's user_data.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_data64(sqe: *mut io_uring_sqe, data: __u64) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| s.user_data = data) }
}

/// Sets the SQE's IOSQE_* flags, replacing any already set.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_flags(sqe: *mut io_uring_sqe, flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| s.flags = flags as u8) }
}

/// Sets the provided-buffer group an IOSQE_BUFFER_SELECT request (or a
/// send bundle) takes its buffers from.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqe_set_buf_group(sqe: *mut io_uring_sqe, bgid: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| s.buf_index = bgid as u16) }
}
