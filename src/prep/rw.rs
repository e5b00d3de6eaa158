//! Reads and writes: plain, vectored, into registered buffers, and
//! multishot reads into provided buffers.

use super::{addr, rw, rw_op_flags};
use crate::sys::{io_uring_sqe, op, sqe_flags};
use core::ffi::c_void;
use libc::iovec;

/// IORING_OP_READ of `nbytes` at `offset` (-1: the file position).
#[inline]
pub fn read(sqe: &mut io_uring_sqe, fd: i32, buf: *mut c_void, nbytes: u32, offset: u64) {
    rw(sqe, op::READ, fd, addr(buf), nbytes, offset);
}

/// IORING_OP_WRITE.
#[inline]
pub fn write(sqe: &mut io_uring_sqe, fd: i32, buf: *const c_void, nbytes: u32, offset: u64) {
    rw(sqe, op::WRITE, fd, addr(buf), nbytes, offset);
}

/// IORING_OP_READV, leaving the flags word alone.
#[inline]
pub fn readv(sqe: &mut io_uring_sqe, fd: i32, iovecs: *const iovec, nr_vecs: u32, offset: u64) {
    rw(sqe, op::READV, fd, addr(iovecs), nr_vecs, offset);
}

/// IORING_OP_WRITEV, leaving the flags word alone.
#[inline]
pub fn writev(sqe: &mut io_uring_sqe, fd: i32, iovecs: *const iovec, nr_vecs: u32, offset: u64) {
    rw(sqe, op::WRITEV, fd, addr(iovecs), nr_vecs, offset);
}

/// IORING_OP_READV with RWF_* `flags`.
#[inline]
pub fn readv2(sqe: &mut io_uring_sqe, fd: i32, iovecs: *const iovec, nr_vecs: u32, offset: u64, flags: i32) {
    rw_op_flags(sqe, op::READV, fd, addr(iovecs), nr_vecs, offset, flags as u32);
}

/// IORING_OP_WRITEV with RWF_* `flags`.
#[inline]
pub fn writev2(sqe: &mut io_uring_sqe, fd: i32, iovecs: *const iovec, nr_vecs: u32, offset: u64, flags: i32) {
    rw_op_flags(sqe, op::WRITEV, fd, addr(iovecs), nr_vecs, offset, flags as u32);
}

/// IORING_OP_READ_FIXED from registered buffer `buf_index`.
#[inline]
pub fn read_fixed(sqe: &mut io_uring_sqe, fd: i32, buf: *mut c_void, nbytes: u32, offset: u64, buf_index: i32) {
    rw(sqe, op::READ_FIXED, fd, addr(buf), nbytes, offset);
    sqe.buf_index = buf_index as u16;
}

/// IORING_OP_WRITE_FIXED from registered buffer `buf_index`.
#[inline]
pub fn write_fixed(sqe: &mut io_uring_sqe, fd: i32, buf: *const c_void, nbytes: u32, offset: u64, buf_index: i32) {
    rw(sqe, op::WRITE_FIXED, fd, addr(buf), nbytes, offset);
    sqe.buf_index = buf_index as u16;
}

/// IORING_OP_READV_FIXED: iovecs within registered buffer `buf_index`.
#[inline]
pub fn readv_fixed(
    sqe: &mut io_uring_sqe,
    fd: i32,
    iovecs: *const iovec,
    nr_vecs: u32,
    offset: u64,
    flags: i32,
    buf_index: i32,
) {
    rw_op_flags(sqe, op::READV_FIXED, fd, addr(iovecs), nr_vecs, offset, flags as u32);
    sqe.buf_index = buf_index as u16;
}

/// IORING_OP_WRITEV_FIXED: iovecs within registered buffer `buf_index`.
#[inline]
pub fn writev_fixed(
    sqe: &mut io_uring_sqe,
    fd: i32,
    iovecs: *const iovec,
    nr_vecs: u32,
    offset: u64,
    flags: i32,
    buf_index: i32,
) {
    rw_op_flags(sqe, op::WRITEV_FIXED, fd, addr(iovecs), nr_vecs, offset, flags as u32);
    sqe.buf_index = buf_index as u16;
}

/// IORING_OP_READ_MULTISHOT: keeps reading into buffers from group
/// `buf_group`. Sets the SQE's flags to exactly IOSQE_BUFFER_SELECT.
#[inline]
pub fn read_multishot(sqe: &mut io_uring_sqe, fd: i32, nbytes: u32, offset: u64, buf_group: i32) {
    rw(sqe, op::READ_MULTISHOT, fd, 0, nbytes, offset);
    sqe.buf_index = buf_group as u16;
    sqe.flags = sqe_flags::BUFFER_SELECT;
}
