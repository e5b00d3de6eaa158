//! Messages to another ring: a CQE with chosen contents, or a direct
//! descriptor passed across.

use super::{install_slot, rw_op_flags};
use crate::sys::{io_uring_sqe, op, opflags};

/// IORING_OP_MSG_RING: posts a CQE with `res` = `len` and user_data
/// `data` on the ring whose fd is `fd`.
#[inline]
pub fn msg_ring(sqe: &mut io_uring_sqe, fd: i32, len: u32, data: u64, flags: u32) {
    rw_op_flags(sqe, op::MSG_RING, fd, opflags::MSG_DATA, len, data, flags);
}

/// As [`msg_ring`], also setting the target CQE's flags to `cqe_flags`.
#[inline]
pub fn msg_ring_cqe_flags(sqe: &mut io_uring_sqe, fd: i32, len: u32, data: u64, flags: u32, cqe_flags: u32) {
    msg_ring(sqe, fd, len, data, opflags::MSG_RING_FLAGS_PASS | flags);
    sqe.file_index = cqe_flags;
}

/// IORING_OP_MSG_RING sending our direct descriptor `source_fd` into the
/// target ring's slot `target_fd` (or IORING_FILE_INDEX_ALLOC).
#[inline]
pub fn msg_ring_fd(sqe: &mut io_uring_sqe, fd: i32, source_fd: i32, target_fd: i32, data: u64, flags: u32) {
    rw_op_flags(sqe, op::MSG_RING, fd, opflags::MSG_SEND_FD, 0, data, flags);
    sqe.addr3 = source_fd as u64;
    sqe.file_index = install_slot(target_fd as u32);
}

/// As [`msg_ring_fd`], into a slot the target ring picks.
#[inline]
pub fn msg_ring_fd_alloc(sqe: &mut io_uring_sqe, fd: i32, source_fd: i32, data: u64, flags: u32) {
    msg_ring_fd(sqe, fd, source_fd, opflags::FILE_INDEX_ALLOC as i32, data, flags);
}
