//! io_uring_enter(2) on an emulated ring.

use super::ctrl::Ctrl;
use super::{cq, submit, wait};
use crate::sys::{Errno, enter, setup};
use core::ffi::c_void;
use core::sync::atomic::Ordering::Acquire;

/// The enter flags the engine knows.
const KNOWN: u32 = enter::GETEVENTS
    | enter::SQ_WAKEUP
    | enter::SQ_WAIT
    | enter::EXT_ARG
    | enter::REGISTERED_RING
    | enter::ABS_TIMER
    | enter::NO_IOWAIT;

/// io_uring_enter on the emulated ring at `rings`: consumes and runs up to
/// `to_submit` SQEs, then with GETEVENTS waits for `min_complete` CQEs.
/// Returns the count submitted, or when that is 0 the wait's result: 0,
/// -ETIME or -EINTR. -EINVAL for unknown flags or a bad wait argument,
/// -EFAULT for a NULL one, -EBADFD while the ring is disabled.
///
/// # Safety
/// `rings` must be a live emulated ring's; `arg` and `sz` must match
/// `flags` as io_uring_enter(2) documents.
pub unsafe fn enter(
    rings: *mut c_void,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: *const c_void,
    sz: usize,
) -> i32 {
    // SAFETY: a live emulated ring (contract).
    let c = unsafe { Ctrl::of(rings) };
    if flags & !KNOWN != 0 {
        return Errno::EINVAL.to_neg();
    }
    if c.disabled.load(Acquire) != 0 {
        return -libc::EBADFD;
    }
    // SINGLE_ISSUER binds submitting (unless an SQPOLL thread submits for
    // everyone) and, with DEFER_TASKRUN, waiting.
    let submits_here = to_submit != 0 && c.flags & setup::SQPOLL == 0;
    let waits_here = flags & enter::GETEVENTS != 0 && c.flags & setup::DEFER_TASKRUN != 0;
    if (submits_here || waits_here)
        && let Err(e) = c.check_issuer()
    {
        return e.to_neg();
    }
    let w = match flags & enter::GETEVENTS {
        0 => None,
        // SAFETY: `arg` and `sz` match `flags` (contract).
        _ => match unsafe { wait::parse(flags, arg, sz) } {
            Ok(w) => Some(w),
            Err(e) => return e.to_neg(),
        },
    };
    // SQPOLL: entering wakes the poller when asked, and consumes what is
    // published as the poller would (it may be asleep, or in another
    // process), reporting `to_submit` as the kernel does.
    let sqpoll = c.flags & setup::SQPOLL != 0;
    if sqpoll && flags & enter::SQ_WAKEUP != 0 {
        super::sqpoll::wake(c);
    }
    let submitted = match to_submit {
        _ if sqpoll => {
            submit::submit(c, u32::MAX);
            to_submit
        }
        0 => 0,
        n => submit::submit(c, n),
    };
    // Deferred CQEs wait for a wait, as the kernel runs local task work
    // only for GETEVENTS.
    if w.is_some() || c.flags & setup::DEFER_TASKRUN == 0 {
        cq::flush(c);
    }
    match w {
        Some(w) if submitted == to_submit => match wait::wait(c, min_complete, &w) {
            Err(e) if submitted == 0 => e.to_neg(),
            _ => submitted as i32,
        },
        _ => submitted as i32,
    }
}
