//! Helpers reading the buffers filled by multishot recvmsg.

use crate::recvmsg_out;
use crate::sys::io_uring_recvmsg_out;
use core::ffi::{c_int, c_uint, c_void};
use core::ptr;
use libc::{cmsghdr, msghdr};

/// Checks that a buffer of `buf_len` bytes (the CQE's `res`) holds the
/// header and the name and control areas `msgh` reserves; returns the
/// header, or NULL if it does not.
///
/// # Safety
/// `msgh` must be NULL or point to the msghdr the request used.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_recvmsg_validate(
    buf: *mut c_void,
    buf_len: c_int,
    msgh: *mut msghdr,
) -> *mut io_uring_recvmsg_out {
    // SAFETY: `msgh` is NULL or the request's msghdr (# Safety), only read.
    unsafe { msgh.as_ref() }.map_or(ptr::null_mut(), |m| recvmsg_out::validate(buf, buf_len, m))
}

/// The source address the kernel stored after the header (`o->namelen`
/// bytes of it are valid).
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_recvmsg_name(o: *mut io_uring_recvmsg_out) -> *mut c_void {
    if o.is_null() { ptr::null_mut() } else { recvmsg_out::name(o) }
}

/// The first control message, or NULL if there is none.
///
/// # Safety
/// `o` must be NULL or a validated header; `msgh` NULL or the request's
/// msghdr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_recvmsg_cmsg_firsthdr(
    o: *mut io_uring_recvmsg_out,
    msgh: *mut msghdr,
) -> *mut cmsghdr {
    // SAFETY: `msgh` is NULL or the request's msghdr (# Safety), only read.
    match unsafe { msgh.as_ref() } {
        // SAFETY: `o` is non-NULL and, by the caller's contract, a header.
        Some(m) if !o.is_null() => unsafe { recvmsg_out::cmsg_firsthdr(o, m) },
        _ => ptr::null_mut(),
    }
}

/// The control message after `cmsg`, or NULL after the last one.
///
/// # Safety
/// As for io_uring_recvmsg_cmsg_firsthdr; `cmsg` must be NULL or a
/// control message of `o`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_recvmsg_cmsg_nexthdr(
    o: *mut io_uring_recvmsg_out,
    msgh: *mut msghdr,
    cmsg: *mut cmsghdr,
) -> *mut cmsghdr {
    // SAFETY: `msgh` is NULL or the request's msghdr (# Safety), only read.
    match unsafe { msgh.as_ref() } {
        // SAFETY: both are non-NULL and, by the caller's contract, valid.
        Some(m) if !o.is_null() && !cmsg.is_null() => unsafe { recvmsg_out::cmsg_nexthdr(o, m, cmsg) },
        _ => ptr::null_mut(),
    }
}

/// The received data, after the name and control areas.
///
/// # Safety
/// `msgh` must be NULL or point to the request's msghdr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_recvmsg_payload(o: *mut io_uring_recvmsg_out, msgh: *mut msghdr) -> *mut c_void {
    // SAFETY: `msgh` is NULL or the request's msghdr (# Safety), only read.
    match unsafe { msgh.as_ref() } {
        Some(m) if !o.is_null() => recvmsg_out::payload(o, m),
        _ => ptr::null_mut(),
    }
}

/// Bytes of received data in a buffer of `buf_len` bytes (the CQE's
/// `res`).
///
/// # Safety
/// `msgh` must be NULL or point to the request's msghdr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_recvmsg_payload_length(
    o: *mut io_uring_recvmsg_out,
    buf_len: c_int,
    msgh: *mut msghdr,
) -> c_uint {
    // SAFETY: `msgh` is NULL or the request's msghdr (# Safety), only read.
    match unsafe { msgh.as_ref() } {
        Some(m) if !o.is_null() => recvmsg_out::payload_length(buf_len, m),
        _ => 0,
    }
}
