//! Readiness: poll add/remove/update, and epoll through the ring.

use super::{addr, poll_mask, rw, rw_op_flags};
use crate::sys::{io_uring_sqe, op, opflags};
use libc::epoll_event;

/// IORING_OP_POLL_ADD: one CQE when `fd` is ready for `mask` (POLL*).
#[inline]
pub fn poll_add(sqe: &mut io_uring_sqe, fd: i32, mask: u32) {
    rw_op_flags(sqe, op::POLL_ADD, fd, 0, 0, 0, poll_mask(mask));
}

/// IORING_OP_POLL_ADD that stays armed, posting a CQE on each event.
#[inline]
pub fn poll_multishot(sqe: &mut io_uring_sqe, fd: i32, mask: u32) {
    poll_add(sqe, fd, mask);
    sqe.len = opflags::POLL_ADD_MULTI;
}

/// IORING_OP_POLL_REMOVE of the poll whose user_data is `user_data`.
#[inline]
pub fn poll_remove(sqe: &mut io_uring_sqe, user_data: u64) {
    rw(sqe, op::POLL_REMOVE, -1, user_data, 0, 0);
}

/// IORING_OP_POLL_REMOVE in update mode: `flags` (IORING_POLL_UPDATE_*)
/// say whether the mask and/or the user_data change.
#[inline]
pub fn poll_update(sqe: &mut io_uring_sqe, old_user_data: u64, new_user_data: u64, mask: u32, flags: u32) {
    rw_op_flags(sqe, op::POLL_REMOVE, -1, old_user_data, flags, new_user_data, poll_mask(mask));
}

/// IORING_OP_EPOLL_CTL: the epoll op travels in `len`, the target fd in
/// `off`.
#[inline]
pub fn epoll_ctl(sqe: &mut io_uring_sqe, epfd: i32, fd: i32, epoll_op: i32, ev: *const epoll_event) {
    rw(sqe, op::EPOLL_CTL, epfd, addr(ev), epoll_op as u32, fd as u32 as u64);
}

/// IORING_OP_EPOLL_WAIT for up to `maxevents` events.
#[inline]
pub fn epoll_wait(sqe: &mut io_uring_sqe, fd: i32, events: *mut epoll_event, maxevents: i32, flags: u32) {
    rw_op_flags(sqe, op::EPOLL_WAIT, fd, addr(events), maxevents as u32, 0, flags);
}
