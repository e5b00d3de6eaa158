//! Timeouts (standalone and linked) and cancellation.

use super::{addr, rw_op_flags};
use crate::sys::{__kernel_timespec, io_uring_sqe, op, opflags};
use core::ffi::c_void;

/// IORING_OP_TIMEOUT: completes after `ts` or after `count` completions.
#[inline]
pub fn timeout(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, count: u32, flags: u32) {
    rw_op_flags(sqe, op::TIMEOUT, -1, addr(ts), 1, count as u64, flags);
}

/// IORING_OP_TIMEOUT_REMOVE of the timeout whose user_data is `user_data`.
#[inline]
pub fn timeout_remove(sqe: &mut io_uring_sqe, user_data: u64, flags: u32) {
    rw_op_flags(sqe, op::TIMEOUT_REMOVE, -1, user_data, 0, 0, flags);
}

/// IORING_OP_TIMEOUT_REMOVE in update mode: re-arms that timeout with `ts`.
#[inline]
pub fn timeout_update(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, user_data: u64, flags: u32) {
    rw_op_flags(sqe, op::TIMEOUT_REMOVE, -1, user_data, 0, addr(ts), flags | opflags::TIMEOUT_UPDATE);
}

/// IORING_OP_LINK_TIMEOUT: cancels the previous linked SQE after `ts`.
#[inline]
pub fn link_timeout(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, flags: u32) {
    rw_op_flags(sqe, op::LINK_TIMEOUT, -1, addr(ts), 1, 0, flags);
}

/// IORING_OP_ASYNC_CANCEL by user_data (IORING_ASYNC_CANCEL_* `flags`).
#[inline]
pub fn cancel64(sqe: &mut io_uring_sqe, user_data: u64, flags: i32) {
    rw_op_flags(sqe, op::ASYNC_CANCEL, -1, user_data, 0, 0, flags as u32);
}

/// IORING_OP_ASYNC_CANCEL by a pointer user_data.
#[inline]
pub fn cancel(sqe: &mut io_uring_sqe, user_data: *const c_void, flags: i32) {
    cancel64(sqe, addr(user_data), flags);
}

/// IORING_OP_ASYNC_CANCEL of requests on `fd`.
#[inline]
pub fn cancel_fd(sqe: &mut io_uring_sqe, fd: i32, flags: u32) {
    rw_op_flags(sqe, op::ASYNC_CANCEL, fd, 0, 0, 0, flags | opflags::ASYNC_CANCEL_FD);
}
