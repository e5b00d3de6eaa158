//! Provided-buffer rings.

use super::{live, ret};
use crate::register::buf_ring;
use crate::ring::io_uring;
use crate::sys::{Errno, io_uring_buf_reg, io_uring_buf_ring};
use core::ffi::{c_int, c_uint};
use core::ptr;

/// Registers the buffer ring `reg` describes (its address, entry count and
/// group id) with `flags` OR'd into `reg->flags` (IOU_PBUF_RING_INC: a
/// buffer may be consumed across several completions). Requests with
/// IOSQE_BUFFER_SELECT and that group then take buffers from it. Returns
/// 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `reg` must be NULL
/// or point to a `struct io_uring_buf_reg` whose ring stays mapped while
/// registered (unless IOU_PBUF_RING_MMAP has the kernel allocate it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_buf_ring(
    ring: *mut io_uring,
    reg: *mut io_uring_buf_reg,
    flags: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    let ring = unsafe { live(ring) };
    // SAFETY: `reg` is NULL or a buf_reg the C caller does not touch during the call.
    let reg = unsafe { reg.as_mut() }.ok_or(Errno::EFAULT);
    // SAFETY: the ring `reg` names stays mapped while registered, per # Safety above.
    ret(ring.and_then(|r| unsafe { buf_ring::register_ring(&r, reg?, flags) }))
}

/// Unregisters buffer group `bgid`. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_buf_ring(ring: *mut io_uring, bgid: c_int) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| buf_ring::unregister(&r, bgid)))
}

/// Stores in `*head` the kernel's head of buffer group `buf_group`: the
/// index of the next buffer it will take (buffers before it are consumed).
/// Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `head` must be
/// NULL or point to a `uint16_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_buf_ring_head(ring: *mut io_uring, buf_group: c_int, head: *mut u16) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    let ring = unsafe { live(ring) };
    // SAFETY: the caller passes NULL or a valid, unaliased pointer.
    let head = unsafe { head.as_mut() }.ok_or(Errno::EFAULT);
    ret(ring.and_then(|r| buf_ring::head(&r, buf_group, head?)))
}

/// Allocates a ring of `nentries` buffer slots (a power of two), registers
/// it as group `bgid` with `flags` and returns it, empty. Returns NULL on
/// failure; `*err` (when `err` is not NULL) gets 0 or -errno. Release it
/// with io_uring_free_buf_ring.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `err` must be NULL
/// or point to an int.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_setup_buf_ring(
    ring: *mut io_uring,
    nentries: c_uint,
    bgid: c_int,
    flags: c_uint,
    err: *mut c_int,
) -> *mut io_uring_buf_ring {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    let res = unsafe { live(ring) }.and_then(|r| buf_ring::setup(&r, nentries, bgid, flags));
    // SAFETY: the caller passes NULL or a valid pointer.
    if let Some(err) = unsafe { err.as_mut() } {
        *err = res.map_or_else(Errno::to_neg, |_| 0);
    }
    res.unwrap_or(ptr::null_mut())
}

/// Unregisters buffer group `bgid` and frees `br`, a ring of `nentries`
/// from io_uring_setup_buf_ring. Returns 0 or -errno (then `br` is kept;
/// a NULL `br` gives -EFAULT and leaves the group registered).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `br` must be NULL
/// or come from io_uring_setup_buf_ring with `nentries` and not be used
/// after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_free_buf_ring(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    nentries: c_uint,
    bgid: c_int,
) -> c_int {
    // Unmapping "NULL" would unmap the first pages of the address space.
    if br.is_null() {
        return Errno::EFAULT.to_neg();
    }
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `br` is what buf_ring::free asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { buf_ring::free(&r, br, nentries, bgid) }))
}
