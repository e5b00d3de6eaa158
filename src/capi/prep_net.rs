//! Socket lifecycle preparers.

use super::sqe::with_sqe;
use crate::prep::net;
use crate::sys::io_uring_sqe;
use core::ffi::{c_int, c_uint};
use libc::{sockaddr, socklen_t};

/// Prepares a socket(2); `flags` is currently unused and should be 0.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_socket(
    sqe: *mut io_uring_sqe,
    domain: c_int,
    r#type: c_int,
    protocol: c_int,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| net::socket(s, domain, r#type, protocol, flags)) }
}

/// As io_uring_prep_socket, creating the socket in direct slot
/// `file_index` (IORING_FILE_INDEX_ALLOC: any free slot).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_socket_direct(
    sqe: *mut io_uring_sqe,
    domain: c_int,
    r#type: c_int,
    protocol: c_int,
    file_index: c_uint,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| net::socket_direct(s, domain, r#type, protocol, file_index, flags)) }
}

/// As io_uring_prep_socket, in a direct slot the kernel picks and returns
/// in the CQE.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_socket_direct_alloc(
    sqe: *mut io_uring_sqe,
    domain: c_int,
    r#type: c_int,
    protocol: c_int,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| net::socket_direct_alloc(s, domain, r#type, protocol, flags)) }
}

/// Prepares a bind(2) of `fd` to `addr`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `addr` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_bind(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *const sockaddr,
    addrlen: socklen_t,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| net::bind(s, fd, addr, addrlen)) }
}

/// Prepares a listen(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_listen(sqe: *mut io_uring_sqe, fd: c_int, backlog: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| net::listen(s, fd, backlog)) }
}

/// Prepares a connect(2) of `fd` to `addr`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `addr` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_connect(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *const sockaddr,
    addrlen: socklen_t,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| net::connect(s, fd, addr, addrlen)) }
}

/// Prepares an accept4(2) on listening socket `fd`; the peer's address
/// goes to `addr`/`addrlen` if they are not NULL.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `addr` and `addrlen` must stay
/// valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_accept(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` and `addrlen` are only stored, not read.
    unsafe { with_sqe(sqe, |s| net::accept(s, fd, addr, addrlen, flags)) }
}

/// As io_uring_prep_accept, into direct slot `file_index`
/// (IORING_FILE_INDEX_ALLOC: any free slot, returned in the CQE).
///
/// # Safety
/// As for io_uring_prep_accept.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_accept_direct(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: c_int,
    file_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` and `addrlen` are only stored, not read.
    unsafe { with_sqe(sqe, |s| net::accept_direct(s, fd, addr, addrlen, flags, file_index)) }
}

/// Prepares an accept that stays armed: one CQE (with IORING_CQE_F_MORE)
/// per incoming connection.
///
/// # Safety
/// As for io_uring_prep_accept.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_multishot_accept(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` and `addrlen` are only stored, not read.
    unsafe { with_sqe(sqe, |s| net::multishot_accept(s, fd, addr, addrlen, flags)) }
}

/// As io_uring_prep_multishot_accept, each connection into a free direct
/// slot.
///
/// # Safety
/// As for io_uring_prep_accept.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_multishot_accept_direct(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    addr: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` and `addrlen` are only stored, not read.
    unsafe { with_sqe(sqe, |s| net::multishot_accept_direct(s, fd, addr, addrlen, flags)) }
}

/// Prepares a shutdown(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_shutdown(sqe: *mut io_uring_sqe, fd: c_int, how: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| net::shutdown(s, fd, how)) }
}
