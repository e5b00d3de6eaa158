//! The operations that wait on something other than I/O: POLL_ADD and its
//! removal, TIMEOUT and its removal or update, and ASYNC_CANCEL. Those that
//! wait go to the reactor; the others find what they act on there.

use super::ctrl::Ctrl;
use super::ops::{self, Done, Outcome};
use super::reactor;
use super::wait::{clock_ns, ts_ns};
use crate::sys::{self, __kernel_timespec, Errno, Result, io_uring_sqe, op, opflags};

fn done(r: Result<u32>) -> Done {
    Done::result(r)
}

fn err(e: i32) -> Outcome {
    Outcome::Done(Done::of(-(e as isize)))
}

/// POLL_ADD: the events of `poll32_events` that `fd` reports now, or once
/// it reports one. -EINVAL for multishot and update flags (not yet
/// emulated), -EBADF for a bad fd.
pub fn poll_add(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    if sqe.len != 0 {
        return err(libc::EINVAL);
    }
    // The kernel swaps the halves on big-endian machines, as liburing's
    // io_uring_prep_poll_add stores them.
    let events = if cfg!(target_endian = "big") { sqe.op_flags.rotate_left(16) } else { sqe.op_flags };
    let mask = events & 0xffff;
    match ops::revents(fd, mask) {
        r if r & libc::POLLNVAL as u32 != 0 => err(libc::EBADF),
        0 => Outcome::Ready { fd, events: mask },
        r => Outcome::Done(Done::of((r & (mask | (libc::POLLERR | libc::POLLHUP) as u32)) as isize)),
    }
}

/// POLL_REMOVE: cancels the POLL_ADD whose user_data is `addr` (0, or
/// -ENOENT). -EINVAL for update flags (not yet emulated).
pub fn poll_remove(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    if sqe.len != 0 {
        return Done::of(-(libc::EINVAL as isize));
    }
    let found = reactor::cancel(c, &|r| r.sqe.opcode == op::POLL_ADD && r.sqe.user_data == sqe.addr, false);
    done(if found > 0 { Ok(0) } else { Err(Errno(libc::ENOENT)) })
}

const CLOCKS: u32 = opflags::TIMEOUT_BOOTTIME | opflags::TIMEOUT_REALTIME;

/// The CLOCK_MONOTONIC deadline of the timespec at `addr` under TIMEOUT
/// `flags` (absolute on the chosen clock with TIMEOUT_ABS). -EFAULT for
/// NULL, -EINVAL for a bad timespec or both clocks.
fn deadline(addr: u64, flags: u32) -> Result<i64> {
    if flags & CLOCKS == CLOCKS {
        return Err(Errno::EINVAL);
    }
    let p = addr as usize as *const __kernel_timespec;
    if p.is_null() {
        return Err(Errno::EFAULT);
    }
    // SAFETY: the program's timespec, as the kernel would read it; a bad
    // pointer is the program's fault, as with every buffer it passes.
    let ns = ts_ns(&unsafe { p.read_unaligned() })?;
    let mono = clock_ns(libc::CLOCK_MONOTONIC);
    if flags & opflags::TIMEOUT_ABS == 0 {
        return Ok(mono.saturating_add(ns));
    }
    let clock = match flags & CLOCKS {
        opflags::TIMEOUT_BOOTTIME => libc::CLOCK_BOOTTIME,
        opflags::TIMEOUT_REALTIME => libc::CLOCK_REALTIME,
        _ => libc::CLOCK_MONOTONIC,
    };
    Ok(mono.saturating_add(ns.saturating_sub(clock_ns(clock))))
}

/// TIMEOUT: -ETIME at the deadline, or 0 once `off` more completions have
/// been posted; with TIMEOUT_MULTISHOT, -ETIME (with IORING_CQE_F_MORE but
/// for the last) every period, `off` times (0: until cancelled). -EINVAL
/// for a `len` other than 1, MULTISHOT with ABS, or IMMEDIATE_ARG (not
/// emulated).
pub fn timeout(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Outcome {
    let flags = sqe.op_flags;
    let multishot = flags & opflags::TIMEOUT_MULTISHOT != 0;
    let known = opflags::TIMEOUT_ABS | CLOCKS | opflags::TIMEOUT_ETIME_SUCCESS | opflags::TIMEOUT_MULTISHOT;
    if sqe.len != 1 || flags & !known != 0 || (multishot && flags & opflags::TIMEOUT_ABS != 0) {
        return err(libc::EINVAL);
    }
    match deadline(sqe.addr, flags) {
        Ok(d) if multishot => {
            let interval = (d - clock_ns(libc::CLOCK_MONOTONIC)).max(1000);
            Outcome::Timer { deadline: d, count: 0, interval, repeats: sqe.off as u32 }
        }
        Ok(d) => Outcome::Timer { deadline: d, count: sqe.off as u32, interval: 0, repeats: 0 },
        Err(e) => err(e.0),
    }
}

/// TIMEOUT_REMOVE: cancels the TIMEOUT whose user_data is `addr`, or with
/// TIMEOUT_UPDATE (LINK_TIMEOUT_UPDATE) gives it (the LINK_TIMEOUT) the
/// deadline of the timespec at `off`. 0, or -ENOENT when it is not pending.
pub fn timeout_remove(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let flags = sqe.op_flags;
    let update = flags & (opflags::TIMEOUT_UPDATE | opflags::LINK_TIMEOUT_UPDATE);
    if update != 0 {
        let link = update & opflags::LINK_TIMEOUT_UPDATE != 0;
        if flags & !(update | opflags::TIMEOUT_ABS | CLOCKS) != 0 {
            return Done::of(-(libc::EINVAL as isize));
        }
        let d = deadline(sqe.off, flags & !update);
        return done(d.and_then(|d| reactor::update_timeout(c, link, sqe.addr, d)).map(|_| 0));
    }
    if flags != 0 {
        return Done::of(-(libc::EINVAL as isize));
    }
    let found = reactor::cancel(c, &|r| r.sqe.opcode == op::TIMEOUT && r.sqe.user_data == sqe.addr, false);
    done(if found > 0 { Ok(0) } else { Err(Errno(libc::ENOENT)) })
}

/// A LINK_TIMEOUT's deadline. -EINVAL for a `len` other than 1 or flags
/// other than TIMEOUT_ABS and the clocks, -EFAULT for a NULL timespec.
pub fn link_deadline(sqe: &io_uring_sqe) -> Result<i64> {
    if sqe.len != 1 || sqe.op_flags & !(opflags::TIMEOUT_ABS | CLOCKS) != 0 {
        return Err(Errno::EINVAL);
    }
    deadline(sqe.addr, sqe.op_flags)
}

/// LINK_TIMEOUT runs with the request before it (see chain.rs); alone, it
/// is a malformed chain.
pub fn link_timeout(_: &Ctrl, _: &io_uring_sqe, _: i32) -> Done {
    Done::of(-(libc::EINVAL as isize))
}

/// ASYNC_CANCEL: cancels the pending request whose user_data is `addr`, or
/// with ASYNC_CANCEL_FD those on fd `fd`, with ANY any, with ALL every
/// match. 0 (ALL and ANY: the count), or -ENOENT when none was pending.
pub fn cancel(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    done(cancel_matching(c, sqe.op_flags, sqe.addr, sqe.fd))
}

/// Cancels what ASYNC_CANCEL `flags` with `user_data` and `fd` choose, as
/// [`cancel`] and IORING_REGISTER_SYNC_CANCEL do: 0 or a count, -ENOENT,
/// or -EINVAL for flags not emulated.
pub fn cancel_matching(c: &Ctrl, flags: u32, user_data: u64, fd: i32) -> Result<u32> {
    use opflags::{ASYNC_CANCEL_ALL as ALL, ASYNC_CANCEL_ANY as ANY, ASYNC_CANCEL_FD as FD};
    let fixed = opflags::ASYNC_CANCEL_FD_FIXED;
    if flags & !(ALL | ANY | FD | fixed | opflags::ASYNC_CANCEL_USERDATA) != 0
        || (flags & fixed != 0 && flags & FD == 0)
    {
        return Err(Errno::EINVAL);
    }
    // With FD_FIXED, `fd` is a fixed slot: it matches requests on that slot.
    let same_fd =
        |r: &super::req::Req| r.sqe.fd == fd && (r.sqe.flags & sys::sqe_flags::FIXED_FILE != 0) == (flags & fixed != 0);
    // The kernel answers 1, not 0, for one futex wait or WAITID cancelled.
    let counted = core::cell::Cell::new(false);
    let pick = |r: &super::req::Req| {
        let hit = flags & ANY != 0 || if flags & FD != 0 { same_fd(r) } else { r.sqe.user_data == user_data };
        if hit {
            counted.set(matches!(r.sqe.opcode, op::FUTEX_WAIT | op::FUTEX_WAITV | op::WAITID));
        }
        hit
    };
    let n = reactor::cancel(c, &pick, flags & (ALL | ANY) != 0);
    match flags & (ALL | ANY) {
        0 if n == 0 => Err(Errno(libc::ENOENT)),
        0 => Ok(counted.get() as u32),
        _ => Ok(n),
    }
}
