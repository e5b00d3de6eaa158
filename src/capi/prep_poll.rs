//! Poll and epoll preparers.

use super::sqe::with_sqe;
use crate::prep::poll;
use crate::sys::{__u64, io_uring_sqe};
use core::ffi::{c_int, c_uint};
use libc::epoll_event;

/// Prepares a one-shot poll: one CQE, with the ready events in `res`,
/// once `fd` is ready for `poll_mask` (POLLIN, POLLOUT, ...).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_poll_add(sqe: *mut io_uring_sqe, fd: c_int, poll_mask: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| poll::poll_add(s, fd, poll_mask)) }
}

/// Prepares a poll that stays armed: a CQE with IORING_CQE_F_MORE on each
/// event, until cancelled or it fails.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_poll_multishot(sqe: *mut io_uring_sqe, fd: c_int, poll_mask: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| poll::poll_multishot(s, fd, poll_mask)) }
}

/// Prepares the removal of the poll submitted with `user_data`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_poll_remove(sqe: *mut io_uring_sqe, user_data: __u64) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| poll::poll_remove(s, user_data)) }
}

/// Prepares an update of the poll submitted with `old_user_data`:
/// IORING_POLL_UPDATE_EVENTS in `flags` replaces its mask with
/// `poll_mask`, IORING_POLL_UPDATE_USER_DATA its user_data with
/// `new_user_data`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_poll_update(
    sqe: *mut io_uring_sqe,
    old_user_data: __u64,
    new_user_data: __u64,
    poll_mask: c_uint,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| poll::poll_update(s, old_user_data, new_user_data, poll_mask, flags)) }
}

/// Prepares an epoll_ctl(2) on epoll instance `epfd`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `ev` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_epoll_ctl(
    sqe: *mut io_uring_sqe,
    epfd: c_int,
    fd: c_int,
    op: c_int,
    ev: *const epoll_event,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `ev` is only stored, not read.
    unsafe { with_sqe(sqe, |s| poll::epoll_ctl(s, epfd, fd, op, ev)) }
}

/// Prepares an epoll_wait(2) for up to `maxevents` events into `events`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `events` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_epoll_wait(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    events: *mut epoll_event,
    maxevents: c_int,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `events` is only stored, not read.
    unsafe { with_sqe(sqe, |s| poll::epoll_wait(s, fd, events, maxevents, flags)) }
}
