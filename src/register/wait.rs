//! How the ring waits: its clock, and memory regions (among them the
//! registered wait descriptors io_uring_submit_and_wait_reg selects).

use super::register;
use crate::ring::Live;
use crate::sys::{Errno, Result, io_uring_clock_register, io_uring_mem_region_reg, reg};

/// io_uring_register_clock: the clock wait timeouts are measured on.
///
/// # Safety
/// `arg` must point to a clock_register.
pub unsafe fn clock(ring: &Live<'_>, arg: *const io_uring_clock_register) -> Result<u32> {
    // SAFETY: `arg` is a clock_register (# Safety), what REGISTER_CLOCK reads.
    unsafe { register(ring, reg::REGISTER_CLOCK, arg.cast(), 0) }
}

/// io_uring_register_region: a memory region shared with the kernel; with
/// IORING_MEM_REGION_REG_WAIT_ARG it holds the registered wait descriptors.
///
/// # Safety
/// `arg` must point to a writable mem_region_reg whose descriptor is valid.
pub unsafe fn region(ring: &Live<'_>, arg: *mut io_uring_mem_region_reg) -> Result<u32> {
    // SAFETY: `arg` is a writable mem_region_reg with a valid descriptor (# Safety),
    // what REGISTER_MEM_REGION reads and writes back.
    unsafe { register(ring, reg::REGISTER_MEM_REGION, arg.cast_const().cast(), 1) }
}

/// io_uring_register_wait_reg: the kernel interface it was written for was
/// replaced by memory regions before release, so liburing 2.15 refuses it
/// with EINVAL; [`region`] is the way to register wait descriptors.
pub fn wait_reg(_ring: &Live<'_>) -> Result<u32> {
    Err(Errno::EINVAL)
}
