//! Peeking, waiting and consuming completions.

use super::{live, live_ref, ret};
use crate::ring::{Live, complete, hooks, io_uring, io_uring_cqe_iter};
use crate::sys::{__kernel_timespec, __u64, Errno, Result, io_uring_cqe};
use core::ffi::{c_int, c_uint, c_void};
use core::ptr;

/// Runs a CQE-producing call on a live ring and stores its CQE (NULL on
/// failure) through `cqe_ptr`, as liburing does.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring` not otherwise
/// borrowed during the call; `cqe_ptr` must be NULL or writable.
#[inline(always)]
unsafe fn with_cqe(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    f: impl FnOnce(&mut Live<'_>, &mut *mut io_uring_cqe) -> Result<u32>,
) -> c_int {
    // SAFETY: `cqe_ptr` is NULL or writable, per this function's contract.
    let Some(out) = (unsafe { cqe_ptr.as_mut() }) else {
        return Errno::EFAULT.to_neg();
    };
    *out = ptr::null_mut();
    // SAFETY: `ring` is NULL or an unborrowed io_uring, per this function's contract.
    let res = unsafe { live(ring) }.and_then(|mut r| {
        let res = f(&mut r, out);
        // SAFETY: every get-CQE call leaves NULL or the CQE it found between
        // the ring's head and the tail it acquired, as reaped asks.
        unsafe { hooks::reaped(&r, *out) };
        res
    });
    ret(res)
}

/// Waits for one completion. Returns 0 with `*cqe_ptr` set, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `cqe_ptr` must be
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_wait_cqe(ring: *mut io_uring, cqe_ptr: *mut *mut io_uring_cqe) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, complete::wait_cqe) }
}

/// Waits until `wait_nr` completions are ready; `*cqe_ptr` gets the first.
/// Returns 0 or -errno.
///
/// # Safety
/// As for io_uring_wait_cqe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_wait_cqe_nr(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, |r, out| complete::get_cqe_sigmask(r, 0, wait_nr, ptr::null(), out)) }
}

/// Returns a ready completion without waiting: 0 with `*cqe_ptr` set, or
/// -EAGAIN when there is none.
///
/// # Safety
/// As for io_uring_wait_cqe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_peek_cqe(ring: *mut io_uring, cqe_ptr: *mut *mut io_uring_cqe) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, complete::peek_cqe) }
}

/// Waits for one completion for at most `ts` (NULL: forever). Returns 0,
/// -ETIME on timeout, or -errno.
///
/// # Safety
/// As for io_uring_wait_cqe; `ts` must be NULL or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_wait_cqe_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    ts: *mut __kernel_timespec,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, |r, out| complete::wait_cqes(r, 1, ts, ptr::null(), out)) }
}

/// Waits for `wait_nr` completions for at most `ts`, with `sigmask`
/// applied while waiting. Returns 0, -ETIME, or -errno.
///
/// # Safety
/// As for io_uring_wait_cqe; `ts` and `sigmask` must be NULL or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_wait_cqes(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, |r, out| complete::wait_cqes(r, wait_nr, ts, sigmask, out)) }
}

/// As io_uring_wait_cqes, returning early once `min_wait_usec` has passed
/// with at least one completion. -EINVAL without kernel support.
///
/// # Safety
/// As for io_uring_wait_cqes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_wait_cqes_min_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    min_wait_usec: c_uint,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe {
        with_cqe(ring, cqe_ptr, |r, out| complete::wait_cqes_min_timeout(r, wait_nr, ts, min_wait_usec, sigmask, out))
    }
}

/// Submits, then waits for `wait_nr` completions for at most `ts`.
/// Returns the number submitted, -ETIME, or -errno.
///
/// # Safety
/// As for io_uring_wait_cqes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_submit_and_wait_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, |r, out| complete::submit_and_wait_timeout(r, wait_nr, ts, sigmask, out)) }
}

/// As io_uring_submit_and_wait_timeout with a minimum wait of
/// `min_wait_usec`. -EINVAL without kernel support.
///
/// # Safety
/// As for io_uring_wait_cqes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_submit_and_wait_min_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    min_wait_usec: c_uint,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe {
        with_cqe(ring, cqe_ptr, |r, out| {
            complete::submit_and_wait_min_timeout(r, wait_nr, ts, min_wait_usec, sigmask, out)
        })
    }
}

/// Submits, then waits as registered wait descriptor `reg_index` says.
/// Returns the number submitted, -ETIME, or -errno.
///
/// # Safety
/// As for io_uring_wait_cqe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_submit_and_wait_reg(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    reg_index: c_int,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, |r, out| complete::submit_and_wait_reg(r, wait_nr, reg_index, out)) }
}

/// The engine behind the peek and wait calls: submits `submit` SQEs and
/// waits for `wait_nr` completions with `sigmask` applied.
///
/// # Safety
/// As for io_uring_wait_cqes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __io_uring_get_cqe(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    submit: c_uint,
    wait_nr: c_uint,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    unsafe { with_cqe(ring, cqe_ptr, |r, out| complete::get_cqe_sigmask(r, submit, wait_nr, sigmask, out)) }
}

/// Looks at the CQ without entering the kernel: `*cqe_ptr` gets the first
/// CQE or NULL, `*nr_available` (if not NULL) the number ready. Returns 0,
/// or the error of an internal timeout CQE it consumed.
///
/// # Safety
/// As for io_uring_wait_cqe; `nr_available` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __io_uring_peek_cqe(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    nr_available: *mut c_uint,
) -> c_int {
    let mut avail = 0;
    // SAFETY: `ring` and `cqe_ptr` are what with_cqe asks, per # Safety.
    let res = unsafe {
        with_cqe(ring, cqe_ptr, |r, out| {
            let (res, cqe, n) = complete::peek(r);
            avail = n;
            *out = cqe;
            res.map(|()| 0)
        })
    };
    // SAFETY: the caller passes NULL or a writable pointer.
    if let Some(out) = unsafe { nr_available.as_mut() } {
        *out = avail;
    }
    res
}

/// Fills `cqes` with up to `count` ready completions without waiting.
/// Returns how many it filled.
///
/// # Safety
/// `ring` as for io_uring_wait_cqe; `cqes` must be NULL or have room for
/// `count` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_peek_batch_cqe(
    ring: *mut io_uring,
    cqes: *mut *mut io_uring_cqe,
    count: c_uint,
) -> c_uint {
    if cqes.is_null() {
        return 0;
    }
    // SAFETY: the caller guarantees room for `count` pointers.
    let out = unsafe { core::slice::from_raw_parts_mut(cqes, count as usize) };
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    unsafe { live(ring) }.map_or(0, |mut r| {
        let n = complete::peek_batch(&mut r, out);
        for &cqe in &out[..n] {
            // SAFETY: peek_batch filled these with CQEs from head onwards.
            unsafe { hooks::reaped(&r, cqe) };
        }
        n as c_uint
    })
}

/// Marks `nr` completions consumed, handing their slots back to the kernel.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cq_advance(ring: *mut io_uring, nr: c_uint) {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    if let Ok(mut r) = unsafe { live(ring) } {
        complete::cq_advance(&mut r, nr);
    }
}

/// Marks one completion, obtained by peek or wait, consumed.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `cqe` must be NULL
/// or a CQE of that ring.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cqe_seen(ring: *mut io_uring, cqe: *mut io_uring_cqe) {
    // SAFETY: the caller passes NULL or one of the ring's CQEs.
    let Some(cqe) = (unsafe { cqe.as_ref() }) else { return };
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    if let Ok(mut r) = unsafe { live(ring) } {
        complete::cq_advance(&mut r, complete::cqe_nr(cqe));
    }
}

/// Number of completions ready to be consumed.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cq_ready(ring: *const io_uring) -> c_uint {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    unsafe { live_ref(ring) }.map_or(0, complete::cq_ready)
}

/// True when completions overflowed the CQ and wait in the kernel.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cq_has_overflow(ring: *const io_uring) -> bool {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    unsafe { live_ref(ring) }.is_ok_and(complete::cq_has_overflow)
}

/// True when eventfd notifications are enabled for this ring.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cq_eventfd_enabled(ring: *const io_uring) -> bool {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    unsafe { live_ref(ring) }.is_ok_and(complete::eventfd_enabled)
}

/// Turns eventfd notifications on or off. Returns 0, or -EOPNOTSUPP when
/// the kernel cannot switch them.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cq_eventfd_toggle(ring: *mut io_uring, enabled: bool) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| complete::eventfd_toggle(&mut r, enabled).map(|()| 0)))
}

/// Chooses whether the kernel counts this ring's waits as iowait. Returns
/// 0, or -EOPNOTSUPP on kernels without IORING_FEAT_NO_IOWAIT.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_set_iowait(ring: *mut io_uring, enable_iowait: bool) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| complete::set_iowait(&mut r, enable_iowait).map(|()| 0)))
}

/// Number of CQ slots `cqe` occupies: 2 for a 32-byte CQE on a mixed ring.
///
/// # Safety
/// `cqe` must be NULL or point to a CQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cqe_nr(cqe: *const io_uring_cqe) -> c_uint {
    // SAFETY: the caller passes NULL or a valid CQE.
    unsafe { cqe.as_ref() }.map_or(1, complete::cqe_nr)
}

/// The user_data of `cqe`, as a pointer.
///
/// # Safety
/// `cqe` must be NULL or point to a CQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cqe_get_data(cqe: *const io_uring_cqe) -> *mut c_void {
    // SAFETY: the caller passes NULL or a valid CQE.
    unsafe { cqe.as_ref() }.map_or(ptr::null_mut(), |c| c.user_data as usize as *mut c_void)
}

/// The user_data of `cqe`.
///
/// # Safety
/// `cqe` must be NULL or point to a CQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cqe_get_data64(cqe: *const io_uring_cqe) -> __u64 {
    // SAFETY: the caller passes NULL or a valid CQE.
    unsafe { cqe.as_ref() }.map_or(0, |c| c.user_data)
}

/// Starts a walk over the completions ready now; see io_uring_cqe_iter_next.
/// A ring that is not set up gives an empty walk.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cqe_iter_init(ring: *const io_uring) -> io_uring_cqe_iter {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    match unsafe { live_ref(ring) } {
        Ok(r) => {
            let it = complete::iter_init(r);
            // The hooks see the walk's CQEs now: the iterator knows no ring.
            let mut walk = it;
            while hooks::on()
                // SAFETY: a walk iter_init just made on the live ring `r`.
                && let Some(cqe) = unsafe { complete::iter_next(&mut walk) }
            {
                // SAFETY: a CQE between the ring's head and the tail iter_init acquired.
                unsafe { hooks::reaped(r, cqe) };
            }
            it
        }
        Err(_) => io_uring_cqe_iter { cqes: ptr::null_mut(), mask: 0, shift: 0, head: 0, tail: 0 },
    }
}

/// Stores the walk's next CQE in `*cqe` and returns true, or returns false
/// at the end. Consumes nothing: call io_uring_cq_advance after.
///
/// # Safety
/// `iter` must be NULL or come from io_uring_cqe_iter_init on a ring that
/// is still set up, its CQEs not yet advanced past; `cqe` must be NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_cqe_iter_next(iter: *mut io_uring_cqe_iter, cqe: *mut *mut io_uring_cqe) -> bool {
    // SAFETY: `iter` and `cqe` are NULL or valid for writing (# Safety).
    let (Some(it), Some(out)) = (unsafe { iter.as_mut() }, unsafe { cqe.as_mut() }) else { return false };
    // SAFETY: the walk comes from io_uring_cqe_iter_init on a ring still set up (# Safety).
    match unsafe { complete::iter_next(it) } {
        Some(c) => {
            *out = c;
            true
        }
        None => false,
    }
}
