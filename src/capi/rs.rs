//! liburing-rs's own extensions (declared in include/liburing/rs.h).

use super::live_ref;
use crate::ring::io_uring;
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
