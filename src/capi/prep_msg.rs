//! Ring-to-ring message preparers.

use super::sqe::with_sqe;
use crate::prep::msg;
use crate::sys::{__u64, io_uring_sqe};
use core::ffi::{c_int, c_uint};

/// Prepares a message to the ring whose fd is `fd`: it gets a CQE with
/// `res` = `len` and user_data = `data` (IORING_MSG_RING_CQE_SKIP in
/// `flags`: no CQE on the sending ring).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_msg_ring(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    len: c_uint,
    data: __u64,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| msg::msg_ring(s, fd, len, data, flags)) }
}

/// As io_uring_prep_msg_ring, also setting the target CQE's flags to
/// `cqe_flags`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_msg_ring_cqe_flags(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    len: c_uint,
    data: __u64,
    flags: c_uint,
    cqe_flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| msg::msg_ring_cqe_flags(s, fd, len, data, flags, cqe_flags)) }
}

/// Prepares sending our direct descriptor `source_fd` to the ring whose
/// fd is `fd`, into its direct slot `target_fd` (IORING_FILE_INDEX_ALLOC:
/// any free one); that ring gets a CQE with user_data `data`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_msg_ring_fd(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    source_fd: c_int,
    target_fd: c_int,
    data: __u64,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| msg::msg_ring_fd(s, fd, source_fd, target_fd, data, flags)) }
}

/// As io_uring_prep_msg_ring_fd, into a free slot of the target ring.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_msg_ring_fd_alloc(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    source_fd: c_int,
    data: __u64,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| msg::msg_ring_fd_alloc(s, fd, source_fd, data, flags)) }
}
