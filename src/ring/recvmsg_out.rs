//! Reading the buffers multishot recvmsg fills: a `struct
//! io_uring_recvmsg_out` header, then the source address (`msg_namelen`
//! bytes reserved), the control messages (`msg_controllen` bytes
//! reserved), then the payload. The msghdr is the one the SQE was
//! prepared with; it gives the reserved sizes.
// `cmsg_len` and `msg_controllen` are size_t in glibc but 32-bit in other
// libcs; the casts to usize are only no-ops here.
#![allow(clippy::unnecessary_cast)]

use crate::sys::io_uring_recvmsg_out;
use core::ffi::c_void;
use core::ptr;
use libc::{cmsghdr, msghdr};

const HDR: usize = size_of::<io_uring_recvmsg_out>();
const CMSG_HDR: usize = size_of::<cmsghdr>();

/// CMSG_ALIGN: control messages are padded to the size of a `size_t`.
#[inline(always)]
fn cmsg_align(len: usize) -> usize {
    len.wrapping_add(size_of::<usize>() - 1) & !(size_of::<usize>() - 1)
}

/// `buf` as a header if `buf_len` bytes hold the header and the reserved
/// name and control areas, else NULL.
#[inline]
pub fn validate(buf: *mut c_void, buf_len: i32, msgh: &msghdr) -> *mut io_uring_recvmsg_out {
    let Ok(len) = usize::try_from(buf_len) else { return ptr::null_mut() };
    let namelen = msgh.msg_namelen as usize;
    let controllen = msgh.msg_controllen as usize;
    // One subtraction at a time, so nothing can overflow.
    let fits = len >= HDR && namelen <= len - HDR && controllen <= len - HDR - namelen;
    if fits { buf.cast() } else { ptr::null_mut() }
}

/// The source address area, right after the header.
#[inline]
pub fn name(o: *mut io_uring_recvmsg_out) -> *mut c_void {
    o.wrapping_add(1).cast()
}

/// The first control message, or NULL if the kernel wrote less than one
/// header's worth.
///
/// # Safety
/// `o` must point to a header.
#[inline]
pub unsafe fn cmsg_firsthdr(o: *mut io_uring_recvmsg_out, msgh: &msghdr) -> *mut cmsghdr {
    // SAFETY: the caller guarantees `o` is readable.
    if (unsafe { (*o).controllen } as usize) < CMSG_HDR {
        return ptr::null_mut();
    }
    name(o).wrapping_byte_add(msgh.msg_namelen as usize).cast()
}

/// The control message after `cmsg`, or NULL when `cmsg` is the last one
/// the kernel wrote (or is malformed).
///
/// # Safety
/// `o` must point to a header and `cmsg` to a control message within it.
#[inline]
pub unsafe fn cmsg_nexthdr(o: *mut io_uring_recvmsg_out, msgh: &msghdr, cmsg: *mut cmsghdr) -> *mut cmsghdr {
    // SAFETY: the caller guarantees both are readable.
    let (len, controllen) = unsafe { ((*cmsg).cmsg_len as usize, (*o).controllen as usize) };
    if len < CMSG_HDR {
        return ptr::null_mut();
    }
    // SAFETY: forwarded from the caller's contract.
    let end = (unsafe { cmsg_firsthdr(o, msgh) } as usize).wrapping_add(controllen);
    let next = cmsg.wrapping_byte_add(cmsg_align(len));
    if (next as usize).wrapping_add(CMSG_HDR) > end {
        return ptr::null_mut();
    }
    // SAFETY: the whole header of `next` lies before `end`, inside the
    // control area the kernel wrote.
    let next_len = unsafe { (*next).cmsg_len } as usize;
    if (next as usize).wrapping_add(cmsg_align(next_len)) > end {
        return ptr::null_mut();
    }
    next
}

/// The payload, after the reserved name and control areas.
#[inline]
pub fn payload(o: *mut io_uring_recvmsg_out, msgh: &msghdr) -> *mut c_void {
    let skip = (msgh.msg_namelen as usize).wrapping_add(msgh.msg_controllen as usize);
    name(o).wrapping_byte_add(skip)
}

/// Bytes of payload in a buffer of `buf_len` bytes (0 if none fit).
#[inline]
pub fn payload_length(o: *mut io_uring_recvmsg_out, buf_len: i32, msgh: &msghdr) -> u32 {
    let Ok(len) = usize::try_from(buf_len) else { return 0 };
    let start = payload(o, msgh) as usize;
    let end = (o as usize).wrapping_add(len);
    if start >= end { 0 } else { (end - start) as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msgh(namelen: u32, controllen: usize) -> msghdr {
        // SAFETY: msghdr is plain data; all-zero is a valid value.
        let mut m: msghdr = unsafe { core::mem::zeroed() };
        m.msg_namelen = namelen;
        m.msg_controllen = controllen as _;
        m
    }

    #[test]
    fn validate_checks_each_area() {
        let mut buf = [0u64; 16];
        let p = buf.as_mut_ptr().cast::<c_void>();
        assert_eq!(validate(p, 16, &msgh(0, 0)), p.cast());
        assert!(validate(p, 15, &msgh(0, 0)).is_null());
        assert!(validate(p, -1, &msgh(0, 0)).is_null());
        assert_eq!(validate(p, 48, &msgh(16, 16)), p.cast());
        assert!(validate(p, 47, &msgh(16, 16)).is_null());
        assert!(validate(p, 48, &msgh(u32::MAX, 0)).is_null());
        assert!(validate(p, 48, &msgh(16, usize::MAX)).is_null());
    }

    #[test]
    fn areas_follow_the_header() {
        let mut buf = [0u64; 32];
        let o = buf.as_mut_ptr().cast::<io_uring_recvmsg_out>();
        let m = msgh(16, 40);
        assert_eq!(name(o) as usize, o as usize + 16);
        assert_eq!(payload(o, &m) as usize, o as usize + 16 + 16 + 40);
        assert_eq!(payload_length(o, 100, &m), 100 - 72);
        assert_eq!(payload_length(o, 72, &m), 0);
        assert_eq!(payload_length(o, -5, &m), 0);
    }

    #[test]
    fn walks_control_messages() {
        // Header, 16-byte name, then two cmsgs of 20 (aligned 24) bytes.
        let mut buf = [0u64; 32];
        let o = buf.as_mut_ptr().cast::<io_uring_recvmsg_out>();
        let m = msgh(16, 64);
        // SAFETY: every pointer below stays inside `buf`.
        unsafe {
            (*o).controllen = 48;
            let first = cmsg_firsthdr(o, &m);
            assert_eq!(first as usize, o as usize + 32);
            (*first).cmsg_len = 20;
            let second = first.byte_add(24);
            (*second).cmsg_len = 20;
            assert_eq!(cmsg_nexthdr(o, &m, first), second);
            assert!(cmsg_nexthdr(o, &m, second).is_null());
            (*first).cmsg_len = 4;
            assert!(cmsg_nexthdr(o, &m, first).is_null());
            (*o).controllen = 8;
            assert!(cmsg_firsthdr(o, &m).is_null());
        }
    }
}
