//! Opcode probes and kernel queries. A probe is allocated with libc's
//! malloc, because C programs release it with plain free().

use super::register;
use crate::ring::Live;
use crate::ring::{io_uring, setup};
use crate::sys::{Result, io_uring_params, io_uring_probe, io_uring_probe_op, reg};
use core::ptr;

/// Room for every possible opcode.
const PROBE_OPS: usize = 256;

/// io_uring_register_probe.
///
/// # Safety
/// `probe` must have room for `nr_ops` ops.
pub unsafe fn register_probe(ring: &Live<'_>, probe: *mut io_uring_probe, nr_ops: u32) -> Result<u32> {
    // SAFETY: `probe` has room for `nr_ops` ops (# Safety), which the kernel fills.
    unsafe { register(ring, reg::REGISTER_PROBE, probe.cast(), nr_ops) }
}

/// io_uring_get_probe_ring: a malloc'd probe of `ring`, or null.
pub fn get_probe_ring(ring: &Live<'_>) -> *mut io_uring_probe {
    let len = size_of::<io_uring_probe>() + PROBE_OPS * size_of::<io_uring_probe_op>();
    // SAFETY: calloc has no preconditions; a null result is handled.
    let probe = unsafe { libc::calloc(1, len) }.cast::<io_uring_probe>();
    if probe.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: the allocation has room for PROBE_OPS ops.
    if unsafe { register_probe(ring, probe, PROBE_OPS as u32) }.is_ok() {
        return probe;
    }
    // SAFETY: allocated above and not handed out.
    unsafe { libc::free(probe.cast()) };
    ptr::null_mut()
}

/// io_uring_get_probe: probes through a short-lived ring.
pub fn get_probe() -> *mut io_uring_probe {
    let mut ring = io_uring::EMPTY;
    let mut p = io_uring_params::default();
    if setup::init(2, &mut ring, &mut p, ptr::null_mut(), 0).is_err() {
        return ptr::null_mut();
    }
    let probe = Live::from_mut(&mut ring).map_or(ptr::null_mut(), |live| get_probe_ring(&live));
    setup::exit(&mut ring);
    probe
}

/// io_uring_opcode_supported: whether `op` is in the probe and usable.
pub fn opcode_supported(probe: &io_uring_probe, op: i32) -> bool {
    const IO_URING_OP_SUPPORTED: u16 = 1 << 0;
    if op < 0 || op > probe.last_op as i32 || op >= probe.ops_len as i32 {
        return false;
    }
    // SAFETY: `op` < ops_len, the number of entries the kernel filled in.
    let entry = unsafe { &*probe.ops.as_ptr().add(op as usize) };
    entry.flags & IO_URING_OP_SUPPORTED != 0
}

/// io_uring_register_query: asks the kernel the questions chained from
/// `query`; each header's `result` receives its answer's status.
///
/// # Safety
/// `query` must point to a chain of valid query headers.
pub unsafe fn query(query: *mut crate::sys::io_uring_query_hdr) -> Result<u32> {
    // SAFETY: `query` is a query header chain the kernel may read and write (# Safety).
    unsafe { super::register_ringless(reg::REGISTER_QUERY, query.cast_const().cast(), 0) }
}
