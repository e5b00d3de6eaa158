//! Classic provided-buffer preparers.

use super::sqe::with_sqe;
use crate::prep::buffers;
use crate::sys::io_uring_sqe;
use core::ffi::{c_int, c_void};

/// Prepares handing `nr` buffers of `len` bytes, contiguous from `addr`,
/// to buffer group `bgid` with IDs `bid`, `bid` + 1, ...
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; the buffers must stay valid
/// while the group holds them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_provide_buffers(
    sqe: *mut io_uring_sqe,
    addr: *mut c_void,
    len: c_int,
    nr: c_int,
    bgid: c_int,
    bid: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| buffers::provide_buffers(s, addr, len, nr, bgid, bid)) }
}

/// Prepares taking up to `nr` unused buffers back from group `bgid`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_remove_buffers(sqe: *mut io_uring_sqe, nr: c_int, bgid: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| buffers::remove_buffers(s, nr, bgid)) }
}
