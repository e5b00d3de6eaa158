//! The generic preparers: the raw builder every other one is made of, and
//! the no-ops.

use super::sqe::with_sqe;
use crate::prep;
use crate::sys::{__u64, io_uring_sqe};
use core::ffi::{c_int, c_uint, c_void};

/// Fills the fields every request has: opcode `op`, `fd`, `addr`, `len`
/// and `offset`. Other fields are left as they are.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_rw(
    op: c_int,
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *const c_void,
    len: c_uint,
    offset: __u64,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| prep::rw(s, op as u8, fd, prep::addr(addr), len, offset)) }
}

/// Prepares a no-op.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_nop(sqe: *mut io_uring_sqe) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, prep::nop) }
}

/// Prepares a no-op in a 128-byte SQE (from io_uring_get_sqe128).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_nop128(sqe: *mut io_uring_sqe) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, prep::nop128) }
}
