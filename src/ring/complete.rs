//! The completion side: peeking, waiting (with timeouts, signal masks and
//! registered wait regions), and handing CQ slots back to the kernel.

use super::int_flags;
use super::setup::cqe_shift;
use super::shared;
use super::submit::{self, cq_needs_enter, cq_needs_flush, flush_sq, sq_needs_enter};
use super::types::io_uring;
use super::{Live, LiveRing};
use crate::sys::{
    self, __kernel_timespec, Errno, Result, cqe_flags, enter, feat, io_uring_cqe, io_uring_getevents_arg,
    io_uring_reg_wait, setup,
};
use core::ffi::c_void;
use core::ptr;

/// user_data of the internal timeout SQE that kernels without EXT_ARG need.
pub const UDATA_TIMEOUT: u64 = u64::MAX;
/// Size of the kernel's sigset: _NSIG / 8.
const SIGSET_SIZE: usize = 65 / 8;

/// CQEs the kernel has posted that we have not yet consumed.
#[inline(always)]
pub fn cq_ready(ring: &LiveRing) -> u32 {
    // SAFETY: ktail and khead map the live CQ header. Acquire on the tail
    // makes the CQEs it covers visible; khead is ours.
    unsafe { shared::load_acquire(ring.cq.ktail).wrapping_sub(shared::load_relaxed(ring.cq.khead)) }
}

/// Hands `nr` CQ slots back to the kernel.
#[inline(always)]
pub fn cq_advance(ring: &mut Live<'_>, nr: u32) {
    if nr != 0 {
        // SAFETY: khead maps the live CQ header. Release: our reads of the
        // CQEs must finish before the kernel may overwrite their slots.
        unsafe {
            let head = shared::load_relaxed(ring.cq.khead);
            shared::store_release(ring.cq.khead, head.wrapping_add(nr));
        }
    }
}

/// Slots a CQE occupies: two for a 32-byte CQE on a mixed ring.
#[inline(always)]
pub fn cqe_nr(cqe: &io_uring_cqe) -> u32 {
    1 << ((cqe.flags & cqe_flags::F_32 != 0) as u32)
}

/// True when the ring overflowed and the kernel holds CQEs back.
#[inline(always)]
pub fn cq_has_overflow(ring: &LiveRing) -> bool {
    submit::sq_kflags(ring) & sys::sq_flags::CQ_OVERFLOW != 0
}

/// Consumes a CQE the application must not see (a ring-padding skip entry,
/// or liburing's internal timeout on kernels without EXT_ARG). Returns true
/// when the CQE was consumed and peeking should go on.
#[inline(always)]
fn skip_cqe(ring: &mut Live<'_>, cqe: &io_uring_cqe, err: &mut i32) -> bool {
    if cqe.flags & cqe_flags::SKIP == 0 {
        if ring.features & feat::EXT_ARG != 0 || cqe.user_data != UDATA_TIMEOUT {
            return false;
        }
        if cqe.res < 0 {
            *err = cqe.res;
        }
    }
    cq_advance(ring, cqe_nr(cqe));
    *err == 0
}

/// __io_uring_peek_cqe: the first CQE the application should see, if any,
/// and how many CQ entries are ready. An internal timeout's error is
/// returned as `Err`.
#[inline]
pub fn peek(ring: &mut Live<'_>) -> (Result<()>, *mut io_uring_cqe, u32) {
    let mask = ring.cq.ring_mask;
    let shift = cqe_shift(ring.flags);
    loop {
        // SAFETY: live CQ header; the acquire pairs with the kernel's tail
        // store and covers every CQE in [head, tail).
        let tail = unsafe { shared::load_acquire(ring.cq.ktail) };
        // SAFETY: as above; only we write the head.
        let head = unsafe { shared::load_relaxed(ring.cq.khead) };
        let available = tail.wrapping_sub(head);
        if available == 0 {
            return (Ok(()), ptr::null_mut(), 0);
        }
        // SAFETY: the index is masked into the live CQE array.
        let cqe = unsafe { ring.cq.cqes.add(((head & mask) << shift) as usize) };
        let mut err = 0;
        // SAFETY: the acquire above made this CQE's contents visible.
        if !skip_cqe(ring, unsafe { &*cqe }, &mut err) {
            return if err != 0 { (Err(Errno(-err)), ptr::null_mut(), available) } else { (Ok(()), cqe, available) };
        }
    }
}

/// What a wait asks of io_uring_enter.
struct Wait {
    submit: u32,
    wait_nr: u32,
    get_flags: u32,
    arg: *const c_void,
    sz: usize,
    has_ts: bool,
}

/// liburing's get-CQE loop: peek, enter when the request needs it, and
/// peek again once. Returns liburing's result: the count the first enter
/// returned, 0, or the error. `out` gets the CQE at the head, or null; it
/// can be there with an error too (an enter that failed after it was
/// found), and C callers see both, as with liburing.
///
/// Every get-CQE call below has this shape: `out` starts null, the result
/// is returned. (A returned pair would travel through memory; this keeps
/// the reap path as short as the C-style code it replaced.)
fn get_cqe(ring: &mut Live<'_>, w: &mut Wait, out: &mut *mut io_uring_cqe) -> Result<u32> {
    let mut looped = false;
    // liburing keeps the first error, or the first enter's count.
    let mut res = Ok(0);
    let mut cqe;
    loop {
        let mut need_enter = false;
        let mut flags = int_flags::enter_flags(ring.int_flags);
        let (peeked, found, available) = peek(ring);
        cqe = found;
        if let Err(e) = peeked {
            if res == Ok(0) {
                res = Err(e);
            }
            break;
        }
        if cqe.is_null() && w.wait_nr == 0 && w.submit == 0 {
            // Nothing to submit or wait for: one enter to flush at most.
            if looped || !cq_needs_enter(ring) {
                if res == Ok(0) {
                    res = Err(Errno::EAGAIN);
                }
                break;
            }
            need_enter = true;
        }
        if w.wait_nr > available || need_enter {
            flags |= enter::GETEVENTS | w.get_flags;
            need_enter = true;
        }
        if sq_needs_enter(ring, w.submit, &mut flags) {
            need_enter = true;
        }
        if !need_enter {
            break;
        }
        if looped && w.has_ts {
            // The kernel enforced the timeout on the first enter.
            let timed = if w.get_flags & enter::EXT_ARG_REG != 0 {
                true
            } else {
                // SAFETY: without EXT_ARG_REG, a timed wait's arg is a getevents arg.
                unsafe { (*w.arg.cast::<io_uring_getevents_arg>()).ts != 0 }
            };
            if cqe.is_null() && timed && res == Ok(0) {
                res = Err(Errno::ETIME);
            }
            break;
        }
        // SAFETY: `arg` and `sz` were built to match `flags` by the caller.
        let ret = unsafe { submit::enter_ring(ring, w.submit, w.wait_nr, flags, w.arg, w.sz) };
        let n = match Errno::check(ret as isize) {
            Ok(n) => n as u32,
            Err(e) => {
                if res == Ok(0) {
                    res = Err(e);
                }
                break;
            }
        };
        w.submit -= n;
        if !cqe.is_null() {
            break;
        }
        if !looped {
            looped = true;
            res = Ok(n);
        }
    }
    *out = cqe;
    res
}

/// __io_uring_get_cqe: submit `submit`, wait for `wait_nr`, with a sigmask.
pub fn get_cqe_sigmask(
    ring: &mut Live<'_>,
    submit: u32,
    wait_nr: u32,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    let mut w = Wait { submit, wait_nr, get_flags: 0, arg: sigmask.cast(), sz: SIGSET_SIZE, has_ts: false };
    get_cqe(ring, &mut w, out)
}

/// Waits with an EXT_ARG timeout (and min-wait), submitting `submit` first.
fn get_cqe_ext(
    ring: &mut Live<'_>,
    submit: u32,
    wait_nr: u32,
    ts: *const __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    let arg = io_uring_getevents_arg {
        sigmask: sigmask as u64,
        sigmask_sz: SIGSET_SIZE as u32,
        min_wait_usec,
        ts: ts as u64,
    };
    let mut w = Wait {
        submit,
        wait_nr,
        get_flags: enter::EXT_ARG,
        arg: (&raw const arg).cast(),
        sz: size_of::<io_uring_getevents_arg>(),
        has_ts: !ts.is_null(),
    };
    get_cqe(ring, &mut w, out)
}

/// For kernels without EXT_ARG: queues a timeout SQE tagged UDATA_TIMEOUT
/// and flushes, returning the count to submit.
fn submit_timeout(ring: &mut Live<'_>, wait_nr: u32, ts: *const __kernel_timespec) -> Result<u32> {
    let sqe = match submit::get_sqe(ring).map(ptr::from_mut) {
        Some(sqe) => sqe,
        None => {
            // The SQ is full: submit what is there to make room.
            submit::submit_and_wait(ring, 0)?;
            submit::get_sqe(ring).map(ptr::from_mut).ok_or(Errno::EAGAIN)?
        }
    };
    // SAFETY: the slot get_sqe just handed out; nothing else refers to it.
    let sqe = unsafe { &mut *sqe };
    crate::prep::timeout(sqe, ts, wait_nr, 0);
    sqe.user_data = UDATA_TIMEOUT;
    Ok(flush_sq(ring))
}

/// Waits for `wait_nr` CQEs, with a timeout when `ts` is not null, after
/// flushing the SQ if `flush`. Kernels without EXT_ARG get liburing's
/// internal timeout SQE, flushed with the rest.
#[inline(always)]
fn wait_timed(
    ring: &mut Live<'_>,
    flush: bool,
    wait_nr: u32,
    ts: *const __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    let ext_arg = !ts.is_null() && ring.features & feat::EXT_ARG != 0;
    let submit = if !ts.is_null() && !ext_arg {
        submit_timeout(ring, wait_nr, ts)?
    } else if flush {
        flush_sq(ring)
    } else {
        0
    };
    if ext_arg {
        get_cqe_ext(ring, submit, wait_nr, ts, min_wait_usec, sigmask, out)
    } else {
        get_cqe_sigmask(ring, submit, wait_nr, sigmask, out)
    }
}

/// -EINVAL for a min-timeout wait the kernel cannot do.
fn min_timeout_supported(ring: &io_uring) -> Result<()> {
    if ring.features & feat::MIN_TIMEOUT == 0 { Err(Errno::EINVAL) } else { Ok(()) }
}

/// io_uring_wait_cqes.
pub fn wait_cqes(
    ring: &mut Live<'_>,
    wait_nr: u32,
    ts: *const __kernel_timespec,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    wait_timed(ring, false, wait_nr, ts, 0, sigmask, out)
}

/// io_uring_wait_cqes_min_timeout.
pub fn wait_cqes_min_timeout(
    ring: &mut Live<'_>,
    wait_nr: u32,
    ts: *const __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    min_timeout_supported(ring)?;
    get_cqe_ext(ring, 0, wait_nr, ts, min_wait_usec, sigmask, out)
}

/// io_uring_submit_and_wait_timeout.
pub fn submit_and_wait_timeout(
    ring: &mut Live<'_>,
    wait_nr: u32,
    ts: *const __kernel_timespec,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    wait_timed(ring, true, wait_nr, ts, 0, sigmask, out)
}

/// io_uring_submit_and_wait_min_timeout: -EINVAL without kernel support.
pub fn submit_and_wait_min_timeout(
    ring: &mut Live<'_>,
    wait_nr: u32,
    ts: *const __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *const libc::sigset_t,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    min_timeout_supported(ring)?;
    wait_timed(ring, true, wait_nr, ts, min_wait_usec, sigmask, out)
}

/// io_uring_submit_and_wait_reg: submit, then wait as registered wait
/// descriptor `reg_index` of the ring's wait region says.
pub fn submit_and_wait_reg(
    ring: &mut Live<'_>,
    wait_nr: u32,
    reg_index: i32,
    out: &mut *mut io_uring_cqe,
) -> Result<u32> {
    if ring.features & feat::EXT_ARG == 0 {
        return Err(Errno::EINVAL);
    }
    let offset = (reg_index as isize as usize).wrapping_mul(size_of::<io_uring_reg_wait>());
    let mut w = Wait {
        submit: flush_sq(ring),
        wait_nr,
        get_flags: enter::EXT_ARG | enter::EXT_ARG_REG,
        arg: offset as *const c_void,
        sz: size_of::<io_uring_reg_wait>(),
        has_ts: true,
    };
    get_cqe(ring, &mut w, out)
}

/// io_uring_peek_cqe: a ready CQE, entering only when the kernel may have
/// completions to flush (IOPOLL, overflow, task work).
#[inline]
pub fn peek_cqe(ring: &mut Live<'_>, out: &mut *mut io_uring_cqe) -> Result<u32> {
    let (res, cqe, _) = peek(ring);
    if res.is_ok() {
        if !cqe.is_null() {
            *out = cqe;
            return Ok(0);
        }
        if ring.flags & setup::IOPOLL == 0 && !cq_needs_flush(ring) {
            return Err(Errno::EAGAIN);
        }
    }
    get_cqe_sigmask(ring, 0, 0, ptr::null(), out)
}

/// io_uring_wait_cqe: a CQE, waiting for one if none is ready.
#[inline]
pub fn wait_cqe(ring: &mut Live<'_>, out: &mut *mut io_uring_cqe) -> Result<u32> {
    let (res, cqe, _) = peek(ring);
    if res.is_ok() && !cqe.is_null() {
        *out = cqe;
        return Ok(0);
    }
    get_cqe_sigmask(ring, 0, 1, ptr::null(), out)
}

/// Fills `out` with up to its length of ready CQEs; returns how many.
fn peek_batch_once(ring: &mut Live<'_>, out: &mut [*mut io_uring_cqe]) -> usize {
    let ready = cq_ready(ring);
    if ready == 0 {
        return 0;
    }
    // SAFETY: live CQ header; only we write the head.
    let mut head = unsafe { shared::load_relaxed(ring.cq.khead) };
    let mask = ring.cq.ring_mask;
    if ring.flags & setup::CQE_MIXED == 0 {
        let shift = cqe_shift(ring.flags);
        let count = out.len().min(ready as usize);
        for slot in &mut out[..count] {
            // SAFETY: the index is masked into the live CQE array.
            *slot = unsafe { ring.cq.cqes.add(((head & mask) << shift) as usize) };
            head = head.wrapping_add(1);
        }
        return count;
    }
    // Mixed rings: CQEs take one or two slots, and skip entries pad the end.
    let last = head.wrapping_add(ready);
    let mut n = 0;
    while head != last && n < out.len() {
        // SAFETY: the index is masked into the live CQE array; cq_ready's
        // acquire made it visible.
        let cqe = unsafe { ring.cq.cqes.add((head & mask) as usize) };
        // SAFETY: as above.
        let c = unsafe { &*cqe };
        if c.flags & cqe_flags::SKIP != 0 {
            // A skip entry can only be consumed at the head.
            if n != 0 {
                break;
            }
            cq_advance(ring, 1);
            head = head.wrapping_add(1);
            continue;
        }
        head = head.wrapping_add(cqe_nr(c));
        out[n] = cqe;
        n += 1;
    }
    n
}

/// io_uring_peek_batch_cqe.
pub fn peek_batch(ring: &mut Live<'_>, out: &mut [*mut io_uring_cqe]) -> usize {
    let n = peek_batch_once(ring, out);
    if n != 0 || !cq_needs_flush(ring) {
        return n;
    }
    let _ = submit::get_events(ring);
    peek_batch_once(ring, out)
}

/// io_uring_set_iowait: whether the kernel counts our waits as iowait.
pub fn set_iowait(ring: &mut Live<'_>, enable: bool) -> Result<()> {
    if ring.features & feat::NO_IOWAIT == 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    if enable {
        ring.int_flags &= !int_flags::NO_IOWAIT;
    } else {
        ring.int_flags |= int_flags::NO_IOWAIT;
    }
    Ok(())
}

/// Whether eventfd notifications are on (always, when the kernel has no CQ
/// flags word to switch them).
pub fn eventfd_enabled(ring: &LiveRing) -> bool {
    if ring.cq.kflags.is_null() {
        return true;
    }
    // SAFETY: kflags maps the live CQ header; only we write it.
    let flags = unsafe { shared::load_relaxed(ring.cq.kflags) };
    flags & sys::cq_flags::EVENTFD_DISABLED == 0
}

/// io_uring_cq_eventfd_toggle.
pub fn eventfd_toggle(ring: &mut Live<'_>, enable: bool) -> Result<()> {
    if enable == eventfd_enabled(ring) {
        return Ok(());
    }
    if ring.cq.kflags.is_null() {
        return Err(Errno::EOPNOTSUPP);
    }
    // SAFETY: kflags maps the live CQ header; the kernel only reads it, so a
    // relaxed read-modify-write by its one writer is enough.
    unsafe {
        let flags = shared::load_relaxed(ring.cq.kflags);
        let flags =
            if enable { flags & !sys::cq_flags::EVENTFD_DISABLED } else { flags | sys::cq_flags::EVENTFD_DISABLED };
        shared::store_relaxed(ring.cq.kflags, flags);
    }
    Ok(())
}

/// io_uring_cqe_iter_init: captures head and tail (acquired, so the CQEs
/// before it are visible) for a walk that consumes nothing.
pub fn iter_init(ring: &LiveRing) -> super::io_uring_cqe_iter {
    super::io_uring_cqe_iter {
        cqes: ring.cq.cqes,
        mask: ring.cq.ring_mask,
        shift: cqe_shift(ring.flags),
        // SAFETY: live CQ header; only we write the head.
        head: unsafe { shared::load_relaxed(ring.cq.khead) },
        // SAFETY: as above; acquire pairs with the kernel's tail store.
        tail: unsafe { shared::load_acquire(ring.cq.ktail) },
    }
}

/// io_uring_cqe_iter_next: the next CQE of the snapshot, if any.
///
/// # Safety
/// `it` must come from [`iter_init`] (or be empty: head == tail), on a
/// ring still set up, with the CQEs it covers not yet handed back.
pub unsafe fn iter_next(it: &mut super::io_uring_cqe_iter) -> Option<*mut io_uring_cqe> {
    if it.head == it.tail {
        return None;
    }
    // SAFETY: the index is masked into the CQE array the iterator came from.
    let cqe = unsafe { it.cqes.add(((it.head & it.mask) << it.shift) as usize) };
    // SAFETY: the CQE lies in [head, tail), made visible by iter_init.
    it.head = it.head.wrapping_add(cqe_nr(unsafe { &*cqe }));
    Some(cqe)
}
