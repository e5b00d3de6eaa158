//! Send and receive preparers.

use super::sqe::with_sqe;
use crate::prep::sendrecv;
use crate::sys::{__u16, io_uring_sqe};
use core::ffi::{c_int, c_uint, c_void};
use libc::{msghdr, sockaddr, socklen_t};

/// Prepares a send(2) of `len` bytes from `buf`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `buf` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_send(
    sqe: *mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::send(s, sockfd, buf, len, flags)) }
}

/// Prepares a send of as many buffers from the SQE's buffer group as fit
/// in `len` bytes (0: all available), in one go.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_send_bundle(sqe: *mut io_uring_sqe, sockfd: c_int, len: usize, flags: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| sendrecv::send_bundle(s, sockfd, len, flags)) }
}

/// Gives a prepared send or send_zc a destination address, as sendto(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `dest_addr` must stay valid
/// until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_send_set_addr(
    sqe: *mut io_uring_sqe,
    dest_addr: *const sockaddr,
    addr_len: __u16,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `dest_addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::send_set_addr(s, dest_addr, addr_len)) }
}

/// Prepares a sendto(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `buf` and `addr` must stay
/// valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_sendto(
    sqe: *mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
    addr: *const sockaddr,
    addrlen: socklen_t,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` and `addr` are only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::sendto(s, sockfd, buf, len, flags, addr, addrlen)) }
}

/// Prepares a zero-copy send. Two CQEs arrive: the result (with
/// IORING_CQE_F_MORE), then a notification (IORING_CQE_F_NOTIF) once
/// `buf` may be reused. `zc_flags` takes IORING_RECVSEND_* and
/// IORING_SEND_ZC_* flags.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `buf` must stay valid until
/// the notification.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_send_zc(
    sqe: *mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
    zc_flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::send_zc(s, sockfd, buf, len, flags, zc_flags)) }
}

/// As io_uring_prep_send_zc, from registered buffer `buf_index`.
///
/// # Safety
/// As for io_uring_prep_send_zc.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_send_zc_fixed(
    sqe: *mut io_uring_sqe,
    sockfd: c_int,
    buf: *const c_void,
    len: usize,
    flags: c_int,
    zc_flags: c_uint,
    buf_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::send_zc_fixed(s, sockfd, buf, len, flags, zc_flags, buf_index)) }
}

/// Prepares a sendmsg(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `msg` and what it points to
/// must stay valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_sendmsg(sqe: *mut io_uring_sqe, fd: c_int, msg: *const msghdr, flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `msg` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::sendmsg(s, fd, msg, flags)) }
}

/// Prepares a zero-copy sendmsg; completes like io_uring_prep_send_zc.
///
/// # Safety
/// As for io_uring_prep_sendmsg, until the notification.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_sendmsg_zc(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    msg: *const msghdr,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `msg` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::sendmsg_zc(s, fd, msg, flags)) }
}

/// As io_uring_prep_sendmsg_zc, with the iovecs in registered buffer
/// `buf_index`.
///
/// # Safety
/// As for io_uring_prep_sendmsg_zc.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_sendmsg_zc_fixed(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    msg: *const msghdr,
    flags: c_uint,
    buf_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `msg` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::sendmsg_zc_fixed(s, fd, msg, flags, buf_index)) }
}

/// Prepares a recv(2) of up to `len` bytes into `buf` (or, with
/// IOSQE_BUFFER_SELECT, into a provided buffer).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `buf` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_recv(
    sqe: *mut io_uring_sqe,
    sockfd: c_int,
    buf: *mut c_void,
    len: usize,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::recv(s, sockfd, buf, len, flags)) }
}

/// Prepares a recv that stays armed, one CQE (with IORING_CQE_F_MORE) per
/// provided buffer filled. Needs IOSQE_BUFFER_SELECT and a buffer group.
///
/// # Safety
/// As for io_uring_prep_recv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_recv_multishot(
    sqe: *mut io_uring_sqe,
    sockfd: c_int,
    buf: *mut c_void,
    len: usize,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::recv_multishot(s, sockfd, buf, len, flags)) }
}

/// Prepares a recvmsg(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `msg` and what it points to
/// must stay valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_recvmsg(sqe: *mut io_uring_sqe, fd: c_int, msg: *mut msghdr, flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `msg` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::recvmsg(s, fd, msg, flags)) }
}

/// Prepares a recvmsg that stays armed, filling provided buffers laid out
/// as the io_uring_recvmsg_* helpers read them; `msg` gives the sizes
/// reserved for the name and control data.
///
/// # Safety
/// As for io_uring_prep_recvmsg.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_recvmsg_multishot(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    msg: *mut msghdr,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `msg` is only stored, not read.
    unsafe { with_sqe(sqe, |s| sendrecv::recvmsg_multishot(s, fd, msg, flags)) }
}
