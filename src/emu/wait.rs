//! Waiting for completions, as io_uring_enter(IORING_ENTER_GETEVENTS) does:
//! until `min_complete` CQEs are ready, the timeout passes or a signal
//! arrives, with the caller's signal mask in force meanwhile; with a
//! min_wait_usec (IORING_FEAT_MIN_TIMEOUT), for fewer once that passed.

use super::cq;
use super::ctrl::{Ctrl, off};
use crate::sys::{self, __kernel_timespec, Errno, Result, enter, io_uring_getevents_arg};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    Ordering::{Relaxed, SeqCst},
    fence,
};

/// The wait an io_uring_enter asks for.
pub struct Wait {
    /// The signal mask for the wait (NULL: the thread's own).
    sigmask: *const libc::sigset_t,
    /// The deadline in CLOCK_MONOTONIC nanoseconds, if any.
    deadline: Option<i64>,
    /// The extended argument's min_wait_usec, in nanoseconds (0: none).
    min_wait: i64,
}

const NSEC: i64 = 1_000_000_000;

/// Reads the wait arguments of io_uring_enter: a sigset of `sz` bytes, or
/// with EXT_ARG an `io_uring_getevents_arg`. -EINVAL for a wrong size or
/// timespec, -EFAULT for a NULL extended argument.
///
/// # Safety
/// `arg` must be NULL or valid for `sz` bytes, and the pointers inside an
/// extended argument NULL or valid for what they name.
pub unsafe fn parse(flags: u32, arg: *const c_void, sz: usize) -> Result<Wait> {
    let sigset_size = 8; // the kernel's sigset_t, _NSIG / 8
    if flags & enter::EXT_ARG_REG != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & enter::EXT_ARG == 0 {
        if !arg.is_null() && sz != sigset_size {
            return Err(Errno::EINVAL);
        }
        return Ok(Wait { sigmask: arg.cast(), deadline: None, min_wait: 0 });
    }
    if sz != size_of::<io_uring_getevents_arg>() {
        return Err(Errno::EINVAL);
    }
    if arg.is_null() {
        return Err(Errno::EFAULT);
    }
    // SAFETY: non-null and `sz` bytes, an io_uring_getevents_arg (contract).
    let a = unsafe { arg.cast::<io_uring_getevents_arg>().read_unaligned() };
    if a.sigmask != 0 && a.sigmask_sz as usize != sigset_size {
        return Err(Errno::EINVAL);
    }
    let deadline = match a.ts as usize as *const __kernel_timespec {
        p if p.is_null() => None,
        // SAFETY: a non-null timespec pointer of the argument (contract).
        p => Some(deadline(unsafe { p.read_unaligned() }, flags & enter::ABS_TIMER != 0)?),
    };
    let min_wait = i64::from(a.min_wait_usec) * 1000;
    Ok(Wait { sigmask: a.sigmask as usize as *const libc::sigset_t, deadline, min_wait })
}

/// Clock `id` in nanoseconds.
// time_t and long are 32 bits on i686: the casts are not always no-ops.
#[allow(clippy::unnecessary_cast)]
pub fn clock_ns(id: libc::clockid_t) -> i64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: writes one timespec into a local; the clocks used always exist.
    unsafe { libc::clock_gettime(id, &mut t) };
    (t.tv_sec as i64).saturating_mul(NSEC).saturating_add(t.tv_nsec as i64)
}

/// A timeout's timespec in nanoseconds (saturating): -EINVAL for a
/// negative or unnormalised one.
pub fn ts_ns(ts: &__kernel_timespec) -> Result<i64> {
    if ts.tv_sec < 0 || !(0..NSEC).contains(&ts.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    Ok(ts.tv_sec.saturating_mul(NSEC).saturating_add(ts.tv_nsec))
}

/// CLOCK_MONOTONIC in nanoseconds.
pub fn now() -> i64 {
    clock_ns(libc::CLOCK_MONOTONIC)
}

/// The deadline of a timeout `ts` (already absolute with `abs`), in
/// CLOCK_MONOTONIC nanoseconds.
fn deadline(ts: __kernel_timespec, abs: bool) -> Result<i64> {
    // Unchecked, as the kernel takes a wait's timespec: a negative one has
    // already expired.
    let ns = ts.tv_sec.saturating_mul(NSEC).saturating_add(ts.tv_nsec);
    Ok(if abs { ns } else { now().saturating_add(ns) })
}

/// What is left until deadline `d`, or None once it passed.
fn remaining(d: i64) -> Option<libc::timespec> {
    let left = d - now();
    (left > 0).then_some(libc::timespec { tv_sec: (left / NSEC) as _, tv_nsec: (left % NSEC) as _ })
}

/// Waits as the kernel's io_cqring_wait does: until `want` CQEs are ready
/// (capped at the CQ size, as the kernel caps it), or the deadline passes,
/// or a signal arrives. With a min_wait, the wait lasts at least that long
/// unless the CQEs come; then, if a later deadline was given and no CQE was
/// posted meanwhile, it goes on until one is (or the deadline). Whatever
/// ended it, a wait that leaves CQEs in the CQ succeeds. 0, or -ETIME,
/// -EINTR, -EFAULT for a bad signal mask.
pub fn wait(c: &Ctrl, want: u32, w: &Wait) -> Result<()> {
    let r = if w.min_wait == 0 {
        wait_for(c, want, w.deadline, w.sigmask)
    } else {
        // Relaxed, as the kernel's READ_ONCE: only compared, to see whether
        // a CQE was posted meanwhile; the CQEs are read after an Acquire.
        let start = c.word(off::CQ_TAIL).load(Relaxed);
        let min_end = now().saturating_add(w.min_wait);
        match w.deadline {
            Some(d) if d > min_end => match wait_for(c, want, Some(min_end), w.sigmask) {
                // Nothing posted meanwhile: wait on, for one CQE.
                Err(Errno::ETIME) if c.word(off::CQ_TAIL).load(Relaxed) == start => wait_for(c, 1, Some(d), w.sigmask),
                r => r,
            },
            // The kernel's one timer is then the min_wait's: it ends the
            // wait, even past an earlier deadline.
            _ => wait_for(c, want, Some(min_end), w.sigmask),
        }
    };
    if r.is_err() && cq::ready(c) > 0 { Ok(()) } else { r }
}

/// Waits until `want` CQEs are ready: 0, or -ETIME once `deadline` passes,
/// -EINTR on a signal, -EFAULT for a bad signal mask.
fn wait_for(c: &Ctrl, want: u32, deadline: Option<i64>, sigmask: *const libc::sigset_t) -> Result<()> {
    let want = want.min(c.cq_entries);
    loop {
        cq::flush(c);
        if cq::ready(c) >= want {
            return Ok(());
        }
        // Drain the fd, then clear `armed`, before the second look: a CQE
        // posted after it writes the fd again (cq::notify's pairing).
        // Draining after the clear could eat that write and leave `armed`
        // set, and then no later CQE would wake us. The second look takes
        // in CQEs deferred for the issuer (DEFER_TASKRUN) too: one deferred
        // before the clear signalled the fd the drain just emptied.
        sys::syscall::eventfd_drain(c.efd);
        c.armed.store(0, SeqCst);
        fence(SeqCst);
        cq::flush(c);
        if cq::ready(c) >= want {
            return Ok(());
        }
        let left = match deadline {
            Some(d) => Some(remaining(d).ok_or(Errno::ETIME)?),
            None => None,
        };
        let mut pfd = libc::pollfd { fd: c.efd, events: libc::POLLIN, revents: 0 };
        let tp = left.as_ref().map_or(ptr::null(), ptr::from_ref);
        // SAFETY: one pollfd, a timespec or NULL, a sigset or NULL, all
        // valid for the call.
        let r = sys::syscall::without_errno(|| unsafe { libc::ppoll(&mut pfd, 1, tp, sigmask) } as isize);
        if r < 0 {
            return Err(Errno(-r as i32));
        }
    }
}
