//! Operations on an open file's data and on memory: sync, allocate,
//! truncate, and access-pattern advice.

use super::{addr, rw, rw_op_flags};
use crate::sys::{io_uring_sqe, op};
use core::ffi::c_void;

/// IORING_OP_FSYNC (IORING_FSYNC_DATASYNC in `fsync_flags` for fdatasync).
#[inline]
pub fn fsync(sqe: &mut io_uring_sqe, fd: i32, fsync_flags: u32) {
    rw_op_flags(sqe, op::FSYNC, fd, 0, 0, 0, fsync_flags);
}

/// IORING_OP_SYNC_FILE_RANGE.
#[inline]
pub fn sync_file_range(sqe: &mut io_uring_sqe, fd: i32, len: u32, offset: u64, flags: i32) {
    rw_op_flags(sqe, op::SYNC_FILE_RANGE, fd, 0, len, offset, flags as u32);
}

/// IORING_OP_FALLOCATE: the mode travels in `len`, the length in `addr`.
#[inline]
pub fn fallocate(sqe: &mut io_uring_sqe, fd: i32, mode: i32, offset: u64, len: u64) {
    rw(sqe, op::FALLOCATE, fd, len, mode as u32, offset);
}

/// IORING_OP_FTRUNCATE.
#[inline]
pub fn ftruncate(sqe: &mut io_uring_sqe, fd: i32, len: libc::loff_t) {
    rw(sqe, op::FTRUNCATE, fd, 0, 0, len as u64);
}

/// IORING_OP_FADVISE with a 32-bit length.
#[inline]
pub fn fadvise(sqe: &mut io_uring_sqe, fd: i32, offset: u64, len: u32, advice: i32) {
    rw_op_flags(sqe, op::FADVISE, fd, 0, len, offset, advice as u32);
}

/// IORING_OP_FADVISE with a 64-bit length, which travels in `addr`.
#[inline]
pub fn fadvise64(sqe: &mut io_uring_sqe, fd: i32, offset: u64, len: crate::sys::off_t, advice: i32) {
    rw_op_flags(sqe, op::FADVISE, fd, len as u64, 0, offset, advice as u32);
}

/// IORING_OP_MADVISE with a 32-bit length.
#[inline]
pub fn madvise(sqe: &mut io_uring_sqe, mem: *mut c_void, length: u32, advice: i32) {
    rw_op_flags(sqe, op::MADVISE, -1, addr(mem), length, 0, advice as u32);
}

/// IORING_OP_MADVISE with a 64-bit length, which travels in `off`.
#[inline]
pub fn madvise64(sqe: &mut io_uring_sqe, mem: *mut c_void, length: crate::sys::off_t, advice: i32) {
    rw_op_flags(sqe, op::MADVISE, -1, addr(mem), 0, length as u64, advice as u32);
}
