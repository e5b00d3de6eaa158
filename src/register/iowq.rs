//! The io-wq worker pool behind a ring: its CPU affinity and its size.

use super::register;
use crate::ring::Live;
use crate::sys::{Errno, Result, reg};
use core::ptr;

/// io_uring_register_iowq_aff: pins the ring's workers to the `cpusz`-byte
/// CPU set `mask`.
///
/// # Safety
/// `mask` must point to `cpusz` bytes.
pub unsafe fn set_affinity(ring: &Live<'_>, cpusz: usize, mask: *const libc::cpu_set_t) -> Result<u32> {
    // The size travels in nr_args, which the kernel reads as an int.
    let len = u32::try_from(cpusz).ok().filter(|&n| n < 1 << 31).ok_or(Errno::EINVAL)?;
    // SAFETY: `mask` holds `cpusz` bytes (# Safety), the length passed with it.
    unsafe { register(ring, reg::REGISTER_IOWQ_AFF, mask.cast(), len) }
}

/// io_uring_unregister_iowq_aff: workers may run on any CPU again.
pub fn clear_affinity(ring: &Live<'_>) -> Result<u32> {
    // SAFETY: the opcode takes no argument.
    unsafe { register(ring, reg::UNREGISTER_IOWQ_AFF, ptr::null(), 0) }
}

/// io_uring_register_iowq_max_workers: `val[0]` bounded and `val[1]`
/// unbounded workers at most (0 leaves a limit as it is); the previous
/// limits come back in `val`.
///
/// # Safety
/// `val` must point to two writable unsigned ints.
pub unsafe fn max_workers(ring: &Live<'_>, val: *mut u32) -> Result<u32> {
    // SAFETY: `val` holds two writable u32s (# Safety), which the kernel reads and writes.
    unsafe { register(ring, reg::REGISTER_IOWQ_MAX_WORKERS, val.cast_const().cast(), 2) }
}
