//! What a ring may do and as whom: personalities (saved credentials SQEs
//! can run under), restrictions on a disabled ring and enabling it, and
//! BPF request filters.

use super::{register, register_ringless};
use crate::ring::Live;
use crate::sys::{Result, io_uring_bpf, io_uring_restriction, reg};
use core::ffi::c_int;
use core::ptr;

/// io_uring_register_personality: saves the caller's credentials and
/// returns their id, for `sqe->personality`.
pub fn register_personality(ring: &Live<'_>) -> Result<u32> {
    // SAFETY: the opcode takes no argument.
    unsafe { register(ring, reg::REGISTER_PERSONALITY, ptr::null(), 0) }
}

/// io_uring_unregister_personality: drops credentials id `id`.
pub fn unregister_personality(ring: &Live<'_>, id: c_int) -> Result<u32> {
    // SAFETY: the id travels in nr_args; no argument is read.
    unsafe { register(ring, reg::UNREGISTER_PERSONALITY, ptr::null(), id as u32) }
}

/// io_uring_register_restrictions: limits a ring set up with
/// IORING_SETUP_R_DISABLED to the `nr` rules in `res`.
///
/// # Safety
/// `res` must point to `nr` restrictions.
pub unsafe fn restrict(ring: &Live<'_>, res: *const io_uring_restriction, nr: u32) -> Result<u32> {
    // SAFETY: `res` holds `nr` restrictions (# Safety), what the kernel reads.
    unsafe { register(ring, reg::REGISTER_RESTRICTIONS, res.cast(), nr) }
}

/// io_uring_enable_rings: starts a ring set up disabled.
pub fn enable_rings(ring: &Live<'_>) -> Result<u32> {
    // SAFETY: the opcode takes no argument.
    unsafe { register(ring, reg::REGISTER_ENABLE_RINGS, ptr::null(), 0) }
}

/// io_uring_register_bpf_filter (on `ring`) and
/// io_uring_register_bpf_filter_task (on the calling task, `ring` None).
///
/// # Safety
/// `bpf` must point to an io_uring_bpf whose filter program is valid.
pub unsafe fn bpf_filter(ring: Option<&Live<'_>>, bpf: *const io_uring_bpf) -> Result<u32> {
    // SAFETY: `bpf` is an io_uring_bpf with a valid filter program (# Safety).
    unsafe {
        match ring {
            Some(ring) => register(ring, reg::REGISTER_BPF_FILTER, bpf.cast(), 1),
            None => register_ringless(reg::REGISTER_BPF_FILTER, bpf.cast(), 1),
        }
    }
}
