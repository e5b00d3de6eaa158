//! The operations that wait on something other than I/O: POLL_ADD and its
//! removal, TIMEOUT and its removal or update, and ASYNC_CANCEL. Those that
//! wait go to the reactor; the others find what they act on there.

use super::ctrl::Ctrl;
use super::files;
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

/// POLL_ADD's events (`poll32_events`), whose halves the kernel swaps on
/// big-endian machines, as liburing's io_uring_prep_poll_add stores them;
/// with the events the kernel watches for and reports whatever the mask
/// (POLLRDHUP too: a peer's shutdown completes a poll for POLLOUT).
fn poll_mask(sqe: &io_uring_sqe) -> u32 {
    let events = if cfg!(target_endian = "big") { sqe.op_flags.rotate_left(16) } else { sqe.op_flags };
    events & 0xffff | (libc::POLLERR | libc::POLLHUP | libc::POLLRDHUP) as u32
}

fn multishot_poll(sqe: &io_uring_sqe) -> bool {
    sqe.len & opflags::POLL_ADD_MULTI != 0
}

/// POLL_ADD: the events of its mask that `fd` reports now, or once it
/// reports one. With IORING_POLL_ADD_MULTI, a CQE with IORING_CQE_F_MORE
/// for every wake-up that reports one (edge triggered, unless
/// IORING_POLL_ADD_LEVEL), until cancelled; the reactor tells it apart
/// ([`poll_fired`]). -EINVAL for other flags or fields, or multishot with
/// CQE_SKIP_SUCCESS; -EBADF for a bad fd.
pub fn poll_add(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    let skip = sqe.flags & sys::sqe_flags::CQE_SKIP_SUCCESS != 0;
    if sqe.len & !(opflags::POLL_ADD_MULTI | opflags::POLL_ADD_LEVEL) != 0
        || sqe.buf_index != 0
        || sqe.off != 0
        || sqe.addr != 0
        || (multishot_poll(sqe) && skip)
    {
        return err(libc::EINVAL);
    }
    let mask = poll_mask(sqe);
    if !multishot_poll(sqe) {
        return poll_once(fd, mask);
    }
    if ops::revents(fd, mask) & libc::POLLNVAL as u32 != 0 {
        return err(libc::EBADF);
    }
    // The reactor's first report says whether it is ready now.
    let edge = if sqe.len & opflags::POLL_ADD_LEVEL != 0 { 0 } else { libc::EPOLLET as u32 };
    Outcome::Ready { fd, events: mask | edge }
}

/// A one-shot poll of `fd` for `mask`: its events, or wait for them.
fn poll_once(fd: i32, mask: u32) -> Outcome {
    match ops::revents(fd, mask) {
        r if r & libc::POLLNVAL as u32 != 0 => err(libc::EBADF),
        0 => Outcome::Ready { fd, events: mask },
        r => Outcome::Done(Done::of((r & (mask | (libc::POLLERR | libc::POLLHUP) as u32)) as isize)),
    }
}

/// A POLL_ADD whose fd epoll reported (`reported`): a one-shot one
/// completes with what the wake-up reported; a multishot one posts that,
/// with what `fd` reports now (it may have been drained since), and waits
/// for the next wake-up.
/// One on the ring's own registered eventfd, which each CQE signals, ends
/// there, as the kernel ends a multishot poll that io_uring itself woke
/// (else every CQE would post another).
pub fn poll_fired(c: &Ctrl, sqe: &io_uring_sqe, fd: i32, reported: u32) -> Outcome {
    let mask = poll_mask(sqe);
    if !multishot_poll(sqe) {
        // The kernel completes a poll with the events its wake-up named,
        // even when they no longer hold: a receive that epoll reported
        // with it may have taken the data since.
        return match poll_add(c, sqe, fd) {
            Outcome::Ready { .. } if reported & mask != 0 => Outcome::Done(Done::of((reported & mask) as isize)),
            o => o,
        };
    }
    let edge = if sqe.len & opflags::POLL_ADD_LEVEL != 0 { 0 } else { libc::EPOLLET as u32 };
    match ops::revents(fd, mask) | (reported & mask) {
        0 => Outcome::Ready { fd, events: mask | edge },
        r => {
            let done = Done::of((r & (mask | (libc::POLLERR | libc::POLLHUP) as u32)) as isize);
            if same_file(fd, c.reg_efd.load(core::sync::atomic::Ordering::Relaxed)) {
                return Outcome::Done(done);
            }
            Outcome::More { done, fd, events: mask | edge }
        }
    }
}

/// Whether fds `a` and `b` (-1: none) are the same open file (kcmp(2)).
fn same_file(a: i32, b: i32) -> bool {
    const KCMP_FILE: usize = 0;
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() } as usize;
    // SAFETY: kcmp compares two of our fds; it touches no memory.
    b >= 0 && unsafe { sys::syscall::syscall(libc::SYS_kcmp, [pid, pid, KCMP_FILE, a as usize, b as usize, 0]) } == 0
}

/// POLL_REMOVE: cancels the POLL_ADD whose user_data is `addr` (0, or
/// -ENOENT); with IORING_POLL_UPDATE_EVENTS and/or _USER_DATA, gives it
/// the mask of this SQE (and its IORING_POLL_ADD_MULTI) or the user_data
/// `off`, and arms it afresh. -EINVAL for fields that do not go with the
/// flags.
pub fn poll_remove(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    use opflags::{POLL_ADD_MULTI as MULTI, POLL_UPDATE_EVENTS as EVENTS, POLL_UPDATE_USER_DATA as USER_DATA};
    let flags = sqe.len;
    let bad = flags & !(MULTI | EVENTS | USER_DATA) != 0
        || flags == MULTI
        || sqe.buf_index != 0
        || sqe.file_index != 0
        || (flags & USER_DATA == 0 && sqe.off != 0)
        || (flags & EVENTS == 0 && sqe.op_flags != 0);
    if bad {
        return Done::of(-(libc::EINVAL as isize));
    }
    if flags & (EVENTS | USER_DATA) != 0 {
        let apply = |s: &mut io_uring_sqe| {
            if flags & EVENTS != 0 {
                s.op_flags = sqe.op_flags;
                s.len = flags & MULTI;
            }
            if flags & USER_DATA != 0 {
                s.user_data = sqe.off;
            }
        };
        return done(reactor::update_poll(c, sqe.addr, &apply).map(|_| 0));
    }
    let found = reactor::cancel(c, Some(sqe.addr), &|r| r.sqe.opcode == op::POLL_ADD, false);
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
    let found = reactor::cancel(c, Some(sqe.addr), &|r| r.sqe.opcode == op::TIMEOUT, false);
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

/// ASYNC_CANCEL: cancels the pending request whose user_data is `addr`;
/// with ASYNC_CANCEL_FD those on the file fd `fd` names (a fixed slot with
/// FD_FIXED or IOSQE_FIXED_FILE), with OP those of opcode `len` (with
/// USERDATA, those that also have user_data `addr`); with ANY any; with
/// ALL every match. 0 (ALL and ANY: the count), -ENOENT when none was
/// pending, -EBADF when FD names no file, -EINVAL for ANY beside FD or OP,
/// or flags not emulated.
pub fn cancel(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    use opflags::{ASYNC_CANCEL_ANY as ANY, ASYNC_CANCEL_FD as FD, ASYNC_CANCEL_OP as OP};
    let mut flags = sqe.op_flags;
    if flags & ANY != 0 && flags & (FD | OP) != 0 {
        return Done::of(-(libc::EINVAL as isize));
    }
    if sqe.flags & sys::sqe_flags::FIXED_FILE != 0 {
        flags |= opflags::ASYNC_CANCEL_FD_FIXED;
    }
    // The kernel keeps the opcode in a byte.
    done(cancel_matching(c, flags, sqe.addr, sqe.fd, sqe.len as u8))
}

/// Whether `fd` is an open file descriptor.
fn open_fd(fd: i32) -> bool {
    // SAFETY: F_GETFD reads a descriptor's flags; it touches no memory.
    fd >= 0 && unsafe { sys::syscall::syscall(libc::SYS_fcntl, [fd as usize, libc::F_GETFD as usize, 0, 0, 0, 0]) } >= 0
}

/// Cancels what ASYNC_CANCEL `flags` with `user_data`, `fd` and `opcode`
/// choose, as [`cancel`] and IORING_REGISTER_SYNC_CANCEL do (ANY there
/// matches whatever FD and OP say): 0 or a count, -ENOENT, -EBADF when FD
/// names no file, or -EINVAL for flags not emulated.
pub fn cancel_matching(c: &Ctrl, flags: u32, user_data: u64, fd: i32, opcode: u8) -> Result<u32> {
    use opflags::{ASYNC_CANCEL_ALL as ALL, ASYNC_CANCEL_ANY as ANY, ASYNC_CANCEL_FD as FD};
    use opflags::{ASYNC_CANCEL_OP as OP, ASYNC_CANCEL_USERDATA as USERDATA};
    let fixed = opflags::ASYNC_CANCEL_FD_FIXED;
    if flags & !(ALL | ANY | FD | fixed | OP | USERDATA) != 0 {
        return Err(Errno::EINVAL);
    }
    let by_slot = flags & fixed != 0;
    if flags & FD != 0 && !(if by_slot { files::get(c, fd as u32).is_some() } else { open_fd(fd) }) {
        return Err(Errno(libc::EBADF));
    }
    // A request matches FD when it works on the same file: through the
    // same fixed slot, or an fd of the same open file (a dup too, as the
    // kernel compares files). Requests with no file never match.
    let same_fd = |r: &super::req::Req| {
        let on_slot = r.sqe.flags & sys::sqe_flags::FIXED_FILE != 0;
        ops::takes_file(r.sqe.opcode) && on_slot == by_slot && (r.sqe.fd == fd || (!by_slot && same_file(r.sqe.fd, fd)))
    };
    // The kernel answers 1, not 0, for one futex wait or WAITID cancelled.
    let counted = core::cell::Cell::new(false);
    // As the kernel's io_cancel_req_match: ANY matches every request;
    // otherwise FD and OP each narrow the match, and user_data counts
    // without either, or with USERDATA (reactor::cancel then looks only at
    // user_data's requests).
    let by_data = flags & ANY == 0 && (flags & (FD | OP) == 0 || flags & USERDATA != 0);
    let pick = |r: &super::req::Req| {
        let hit = flags & ANY != 0 || ((flags & FD == 0 || same_fd(r)) && (flags & OP == 0 || r.sqe.opcode == opcode));
        if hit {
            counted.set(matches!(r.sqe.opcode, op::FUTEX_WAIT | op::FUTEX_WAITV | op::WAITID));
        }
        hit
    };
    let n = reactor::cancel(c, by_data.then_some(user_data), &pick, flags & (ALL | ANY) != 0);
    match flags & (ALL | ANY) {
        0 if n == 0 => Err(Errno(libc::ENOENT)),
        0 => Ok(counted.get() as u32),
        _ => Ok(n),
    }
}
