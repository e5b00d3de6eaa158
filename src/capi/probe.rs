//! Opcode probes.

use super::{live, ret};
use crate::register::probe;
use crate::ring::io_uring;
use crate::sys::io_uring_probe;
use core::ffi::{c_int, c_uint};
use core::ptr;

/// Probes the opcodes the running kernel supports, through a short-lived
/// ring. Returns a probe to release with io_uring_free_probe (or free), or
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_get_probe() -> *mut io_uring_probe {
    probe::get_probe()
}

/// As io_uring_get_probe, through an existing ring.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_get_probe_ring(ring: *mut io_uring) -> *mut io_uring_probe {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    unsafe { live(ring) }.map_or(ptr::null_mut(), |r| probe::get_probe_ring(&r))
}

/// Releases a probe. NULL is ignored.
///
/// # Safety
/// `probe` must be NULL or a probe from io_uring_get_probe(_ring).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_free_probe(probe: *mut io_uring_probe) {
    // SAFETY: probes come from libc's allocator; free(NULL) is a no-op.
    unsafe { libc::free(probe.cast()) }
}

/// Returns 1 when `probe` says opcode `op` is supported, else 0.
///
/// # Safety
/// `probe` must be NULL or point to a filled-in probe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_opcode_supported(probe: *const io_uring_probe, op: c_int) -> c_int {
    // SAFETY: the caller passes NULL or a valid probe.
    unsafe { probe.as_ref() }.is_some_and(|p| probe::opcode_supported(p, op)) as c_int
}

/// Fills `p`, which has room for `nr` ops, with the kernel's probe.
/// Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `p` must have room
/// for `nr` ops.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_probe(ring: *mut io_uring, p: *mut io_uring_probe, nr: c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `p` is what probe::register_probe asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { probe::register_probe(&r, p, nr) }))
}
