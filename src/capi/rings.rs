//! Reshaping the ring and how it waits: resizing, memory regions and
//! registered waits, the wait clock.

use super::{live, ret};
use crate::register::wait;
use crate::ring::io_uring;
use crate::ring::resize;
use crate::sys::{Errno, io_uring_clock_register, io_uring_mem_region_reg, io_uring_params, io_uring_reg_wait};
use core::ffi::c_int;

/// Resizes the ring's SQ and CQ to `p->sq_entries` and `p->cq_entries`
/// (`p->flags` may hold IORING_SETUP_CQSIZE and IORING_SETUP_CLAMP; other
/// fields zero). Pending SQEs and unreaped CQEs move to the new rings, and
/// `ring` is updated to use them; SQEs prepared but not yet submitted are
/// lost, so submit first. The kernel needs IORING_SETUP_DEFER_TASKRUN.
/// `p->flags` is cleared afterwards. Returns 0 or -errno (-EINVAL for rings
/// set up with IORING_SETUP_NO_MMAP).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `p` must be NULL or
/// point to a `struct io_uring_params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_resize_rings(ring: *mut io_uring, p: *mut io_uring_params) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    let ring = unsafe { live(ring) };
    // SAFETY: the caller passes NULL or a valid, unaliased pointer.
    let p = unsafe { p.as_mut() }.ok_or(Errno::EFAULT);
    ret(ring.and_then(|mut r| resize::resize(&mut r, p?)))
}

/// Registers wait descriptors the old way. liburing 2.15 always refuses
/// this with -EINVAL: register a region with IORING_MEM_REGION_REG_WAIT_ARG
/// through io_uring_register_region instead.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_wait_reg(
    ring: *mut io_uring,
    reg: *mut io_uring_reg_wait,
    nr: c_int,
) -> c_int {
    let _ = (reg, nr);
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| wait::wait_reg(&r)))
}

/// Registers a memory region with the ring. With
/// IORING_MEM_REGION_REG_WAIT_ARG in `reg->flags`, the region holds
/// `struct io_uring_reg_wait` descriptors that io_uring_submit_and_wait_reg
/// selects by index (the ring must still be disabled,
/// IORING_SETUP_R_DISABLED). Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `reg` must point to
/// a `struct io_uring_mem_region_reg` whose region descriptor is valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_region(ring: *mut io_uring, reg: *mut io_uring_mem_region_reg) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `reg` is what wait::region asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { wait::region(&r, reg) }))
}

/// Sets the clock (CLOCK_MONOTONIC or CLOCK_BOOTTIME) that wait timeouts on
/// this ring are measured against. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `arg` must point to
/// a `struct io_uring_clock_register`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_clock(ring: *mut io_uring, arg: *mut io_uring_clock_register) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `arg` is what wait::clock asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { wait::clock(&r, arg) }))
}
