//! liburing-rs's own extensions (declared in include/liburing/rs.h).

use super::live_ref;
use crate::ring::{int_flags, io_uring};
use crate::sys::Errno;
use crate::trace::{io_uring_rs_stats, stats_snapshot};
use core::ffi::c_int;

/// Copies the first `size` bytes of the ring's statistics into `stats`
/// (pass sizeof(struct io_uring_rs_stats); older callers pass less). The
/// counters exist while URING_RS_STATS is set. Returns 0, -EOPNOTSUPP when
/// statistics are off, or -EFAULT / -EBADF for a bad argument or ring.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `stats` must be
/// NULL or have room for `size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_rs_get_stats(
    ring: *const io_uring,
    stats: *mut io_uring_rs_stats,
    size: usize,
) -> c_int {
    if stats.is_null() {
        return Errno::EFAULT.to_neg();
    }
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    let snap = match unsafe { live_ref(ring) }.and_then(stats_snapshot) {
        Ok(s) => s,
        Err(e) => return e.to_neg(),
    };
    let n = size.min(size_of::<io_uring_rs_stats>());
    // SAFETY: the caller guarantees `size` writable bytes at `stats`; `snap`
    // is a local of at least `n` bytes.
    unsafe { core::ptr::copy_nonoverlapping((&raw const snap).cast::<u8>(), stats.cast::<u8>(), n) };
    0
}

/// Whether the ring is served by the userspace engine (URING_RS_EMULATE)
/// rather than the kernel: 1 or 0, or -EFAULT / -EBADF for a NULL or not
/// set-up ring.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_rs_is_emulated(ring: *const io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    match unsafe { live_ref(ring) } {
        Ok(r) => (r.int_flags & int_flags::EMULATED != 0) as c_int,
        Err(e) => e.to_neg(),
    }
}
