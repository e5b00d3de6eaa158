//! Provided-buffer ring helpers: filling and publishing buffers.

use super::{live, ret};
use crate::ring::{buf_ring, complete, io_uring};
use crate::sys::{__u32, Errno, io_uring_buf_ring};
use core::ffi::{c_int, c_uint, c_ushort, c_void};

/// The mask to pass to io_uring_buf_ring_add for a ring of
/// `ring_entries` entries.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_buf_ring_mask(ring_entries: __u32) -> c_int {
    buf_ring::mask(ring_entries)
}

/// Resets a buffer ring's tail, before registering it.
///
/// # Safety
/// `br` must be NULL or point to a buffer ring.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_buf_ring_init(br: *mut io_uring_buf_ring) {
    if !br.is_null() {
        // SAFETY: non-NULL, and the caller guarantees it is a buffer ring.
        unsafe { buf_ring::init(br) }
    }
}

/// Fills the entry `buf_offset` places past the ring's tail with buffer
/// `addr` of `len` bytes and ID `bid`. The kernel sees it only after
/// io_uring_buf_ring_advance.
///
/// # Safety
/// `br` must be NULL or point to a buffer ring of `mask` + 1 entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_buf_ring_add(
    br: *mut io_uring_buf_ring,
    addr: *mut c_void,
    len: c_uint,
    bid: c_ushort,
    mask: c_int,
    buf_offset: c_int,
) {
    if !br.is_null() {
        // SAFETY: non-NULL; the caller guarantees its size matches `mask`.
        unsafe { buf_ring::add(br, addr, len, bid, mask, buf_offset) }
    }
}

/// Makes the `count` entries added since the last advance visible to the
/// kernel.
///
/// # Safety
/// `br` must be NULL or point to a buffer ring.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_buf_ring_advance(br: *mut io_uring_buf_ring, count: c_int) {
    if !br.is_null() {
        // SAFETY: non-NULL, and the caller guarantees it is a buffer ring.
        unsafe { buf_ring::advance(br, count) }
    }
}

/// Publishes `buf_count` added buffers and marks `cq_count` CQEs seen, in
/// one go.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `br` must be NULL
/// or point to a buffer ring.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __io_uring_buf_ring_cq_advance(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    cq_count: c_int,
    buf_count: c_int,
) {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    match (unsafe { live(ring) }, br.is_null()) {
        // SAFETY: `br` is non-NULL and, by the caller's contract, a ring.
        (Ok(mut r), false) => unsafe { buf_ring::cq_advance(&mut r, br, cq_count, buf_count) },
        // SAFETY: as above.
        (Err(_), false) => unsafe { buf_ring::advance(br, buf_count) },
        (Ok(mut r), true) => complete::cq_advance(&mut r, cq_count as u32),
        (Err(_), true) => {}
    }
}

/// Publishes `count` added buffers and marks `count` CQEs seen: the
/// common case of returning each buffer as its CQE is processed.
///
/// # Safety
/// As for __io_uring_buf_ring_cq_advance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_buf_ring_cq_advance(ring: *mut io_uring, br: *mut io_uring_buf_ring, count: c_int) {
    // SAFETY: `ring` and `br` as __io_uring_buf_ring_cq_advance asks, which this
    // function's # Safety repeats.
    unsafe { __io_uring_buf_ring_cq_advance(ring, br, count, count) }
}

/// Number of buffers in ring `br` (registered as group `bgid`) the kernel
/// has not consumed yet, or -errno (-EINVAL before kernel 6.8).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `br` must be NULL
/// or point to a buffer ring.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_buf_ring_available(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    bgid: c_ushort,
) -> c_int {
    if br.is_null() {
        return Errno::EFAULT.to_neg();
    }
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `br` is what buf_ring::available asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { crate::register::buf_ring::available(&r, br, bgid) }))
}
