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

/// CMSG_ALIGN: control messages are padded to the size of a `size_t`;
/// None when the padded length does not fit in a `usize`.
#[inline(always)]
fn cmsg_align(len: usize) -> Option<usize> {
    Some(len.checked_add(size_of::<usize>() - 1)? & !(size_of::<usize>() - 1))
}

/// True when `len` bytes from offset `at` lie within an area of `area` bytes.
#[inline(always)]
fn within(at: usize, len: usize, area: usize) -> bool {
    at.checked_add(len).is_some_and(|end| end <= area)
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
    // SAFETY: the caller guarantees `o` points to a header.
    let first = unsafe { cmsg_firsthdr(o, msgh) };
    // Offsets into the control area, never raw addresses: a huge cmsg_len
    // must not wrap a pointer around, as it can on a 32-bit target.
    let step = (cmsg as usize).checked_sub(first as usize).zip(cmsg_align(len));
    let Some(at) = step.and_then(|(at, step)| at.checked_add(step)) else { return ptr::null_mut() };
    if first.is_null() || !within(at, CMSG_HDR, controllen) {
        return ptr::null_mut();
    }
    let next = first.wrapping_byte_add(at);
    // SAFETY: the whole header of `next` lies inside the control area the
    // kernel wrote, which the caller guarantees is readable.
    let next_len = unsafe { (*next).cmsg_len } as usize;
    match cmsg_align(next_len) {
        Some(n) if within(at, n, controllen) => next,
        _ => ptr::null_mut(),
    }
}

/// The payload, after the reserved name and control areas.
#[inline]
pub fn payload(o: *mut io_uring_recvmsg_out, msgh: &msghdr) -> *mut c_void {
    let skip = (msgh.msg_namelen as usize).wrapping_add(msgh.msg_controllen as usize);
    name(o).wrapping_byte_add(skip)
}

/// Bytes of payload in a buffer of `buf_len` bytes (0 if none fit).
#[inline]
pub fn payload_length(buf_len: i32, msgh: &msghdr) -> u32 {
    let Ok(len) = usize::try_from(buf_len) else { return 0 };
    // Counted in lengths, not addresses, so that no reserved size can wrap.
    let skip = HDR.checked_add(msgh.msg_namelen as usize).and_then(|n| n.checked_add(msgh.msg_controllen as usize));
    match skip {
        Some(skip) if skip < len => (len - skip) as u32,
        _ => 0,
    }
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
        assert_eq!(payload_length(100, &m), 100 - 72);
        assert_eq!(payload_length(72, &m), 0);
        assert_eq!(payload_length(-5, &m), 0);
    }

    #[test]
    fn walks_control_messages() {
        // Header, 16-byte name, then two cmsgs of 20 bytes, each padded to
        // 24 on a 64-bit target and to 20 on a 32-bit one.
        let mut buf = [0u64; 32];
        let o = buf.as_mut_ptr().cast::<io_uring_recvmsg_out>();
        let m = msgh(16, 64);
        // SAFETY: every pointer below stays inside `buf`.
        unsafe {
            (*o).controllen = 48;
            let first = cmsg_firsthdr(o, &m);
            assert_eq!(first as usize, o as usize + 32);
            (*first).cmsg_len = 20;
            let second = first.byte_add(cmsg_align(20).unwrap());
            (*second).cmsg_len = 20;
            assert_eq!(cmsg_nexthdr(o, &m, first), second);
            assert!(cmsg_nexthdr(o, &m, second).is_null());
            (*first).cmsg_len = 4;
            assert!(cmsg_nexthdr(o, &m, first).is_null());
            // Lengths that would carry a pointer past the end of the
            // address space, or far past the control area.
            (*first).cmsg_len = usize::MAX as _;
            assert!(cmsg_nexthdr(o, &m, first).is_null());
            (*first).cmsg_len = 1 << 30;
            assert!(cmsg_nexthdr(o, &m, first).is_null());
            (*o).controllen = 8;
            assert!(cmsg_firsthdr(o, &m).is_null());
        }
    }
}
