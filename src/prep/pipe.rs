//! Pipes: creating them, and moving data with splice and tee.

use super::{addr, install_slot, rw_op_flags};
use crate::sys::{io_uring_sqe, op};

/// IORING_OP_SPLICE: `nbytes` from `fd_in` at `off_in` to `fd_out` at
/// `off_out` (-1: the file position; must be -1 for a pipe). `fd_in`
/// travels in `splice_fd_in`, `off_in` in `splice_off_in`.
#[inline]
pub fn splice(
    sqe: &mut io_uring_sqe,
    fd_in: i32,
    off_in: i64,
    fd_out: i32,
    off_out: i64,
    nbytes: u32,
    splice_flags: u32,
) {
    rw_op_flags(sqe, op::SPLICE, fd_out, off_in as u64, nbytes, off_out as u64, splice_flags);
    sqe.file_index = fd_in as u32;
}

/// IORING_OP_TEE: duplicates `nbytes` from pipe `fd_in` into pipe `fd_out`.
#[inline]
pub fn tee(sqe: &mut io_uring_sqe, fd_in: i32, fd_out: i32, nbytes: u32, splice_flags: u32) {
    rw_op_flags(sqe, op::TEE, fd_out, 0, nbytes, 0, splice_flags);
    sqe.file_index = fd_in as u32;
}

/// IORING_OP_PIPE: creates a pipe, its two fds written to `fds`.
#[inline]
pub fn pipe(sqe: &mut io_uring_sqe, fds: *mut i32, pipe_flags: i32) {
    rw_op_flags(sqe, op::PIPE, 0, addr(fds), 0, 0, pipe_flags as u32);
}

/// IORING_OP_PIPE into direct slots from `file_index` (or
/// IORING_FILE_INDEX_ALLOC).
#[inline]
pub fn pipe_direct(sqe: &mut io_uring_sqe, fds: *mut i32, pipe_flags: i32, file_index: u32) {
    pipe(sqe, fds, pipe_flags);
    sqe.file_index = install_slot(file_index);
}
