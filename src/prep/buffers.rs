//! Classic provided buffers: handing buffers to a group and taking them
//! back. (Buffer rings are in crate::ring::buf_ring.)

use super::{addr, rw};
use crate::sys::{io_uring_sqe, op};
use core::ffi::c_void;

/// IORING_OP_PROVIDE_BUFFERS: `nr` buffers of `len` bytes from `mem`, IDs
/// from `bid` on, into group `bgid`. The count travels in `fd`.
#[inline]
pub fn provide_buffers(sqe: &mut io_uring_sqe, mem: *mut c_void, len: i32, nr: i32, bgid: i32, bid: i32) {
    rw(sqe, op::PROVIDE_BUFFERS, nr, addr(mem), len as u32, bid as u64);
    sqe.buf_index = bgid as u16;
}

/// IORING_OP_REMOVE_BUFFERS: takes up to `nr` buffers out of group `bgid`.
#[inline]
pub fn remove_buffers(sqe: &mut io_uring_sqe, nr: i32, bgid: i32) {
    rw(sqe, op::REMOVE_BUFFERS, nr, 0, 0, 0);
    sqe.buf_index = bgid as u16;
}
