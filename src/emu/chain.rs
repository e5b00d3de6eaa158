//! Running link chains: the checks io_uring makes when it takes a chain's
//! SQEs, then each member in turn. A member that has to wait goes to the
//! reactor with the rest of its chain (and its LINK_TIMEOUT), which goes on
//! from there once it finishes.

use super::cq::{self, Cqe};
use super::ctrl::Ctrl;
use super::ops::{self, Done, Outcome};
use super::{ops_fs, reactor, req, wait_ops};
use crate::sys::{Errno, io_uring_sqe, op, sqe_flags};
use core::sync::atomic::Ordering::Relaxed;

pub const LINKED: u8 = sqe_flags::IO_LINK | sqe_flags::IO_HARDLINK;

pub fn post(c: &Ctrl, sqe: &io_uring_sqe, res: i32, big: [u64; 2]) {
    cq::post(c, &cqe(sqe, &Done { big, ..Done::of(res as isize) }));
}

/// The CQE of `sqe` for `d`.
fn cqe(sqe: &io_uring_sqe, d: &Done) -> Cqe {
    Cqe { user_data: sqe.user_data, res: d.res, flags: d.flags, big: d.big, timeout: sqe.opcode == op::TIMEOUT }
}

/// Posts a finished member's CQE, unless CQE_SKIP_SUCCESS hides a success.
pub fn complete(c: &Ctrl, sqe: &io_uring_sqe, d: &Done) {
    if d.failed || sqe.flags & sqe_flags::CQE_SKIP_SUCCESS == 0 {
        cq::post(c, &cqe(sqe, d));
    }
    if let Some(n) = super::net::notification(sqe, d) {
        cq::post(c, &n);
    }
}

/// Ends a LINK_TIMEOUT whose request finished first: -ECANCELED, which
/// its own CQE_SKIP_SUCCESS hides, as the kernel completes a disarmed
/// timeout without failing it.
pub fn disarmed(c: &Ctrl, timeout: &io_uring_sqe) {
    if timeout.flags & sqe_flags::CQE_SKIP_SUCCESS == 0 {
        post(c, timeout, -libc::ECANCELED, [0; 2]);
    }
}

/// Posts a multishot request's CQE with IORING_CQE_F_MORE: false when the
/// CQ is full, and the request ends with `d` as its last CQE (cq::post_more).
pub fn post_more(c: &Ctrl, sqe: &io_uring_sqe, d: &Done) -> bool {
    cq::post_more(c, &cqe(sqe, d))
}

/// Whether a finished member cancels the rest of its chain: it failed
/// under IO_LINK (IO_HARDLINK keeps going).
pub fn breaks(sqe: &io_uring_sqe, d: &Done) -> bool {
    d.failed && sqe.flags & sqe_flags::IO_HARDLINK == 0
}

/// Whether member `i` of a chain fails io_uring's checks, and with what;
/// `no_drain` is the ring's drain rule as it stands before the member. A
/// LINK_TIMEOUT must follow a linked request other than a LINK_TIMEOUT.
fn member_check(i: u32, get: &dyn Fn(u32) -> io_uring_sqe, no_drain: &mut bool) -> Option<Errno> {
    let s = get(i);
    let orphan = s.opcode == op::LINK_TIMEOUT
        && (i == 0 || get(i - 1).flags & LINKED == 0 || get(i - 1).opcode == op::LINK_TIMEOUT);
    let r = match s.opcode {
        _ if orphan => Err(Errno::EINVAL),
        op::LINK_TIMEOUT => ops::prep(&s, no_drain).and_then(|_| wait_ops::link_deadline(&s).map(|_| ())),
        op::FIXED_FD_INSTALL => ops::prep(&s, no_drain).and_then(|_| ops_fs::fixed_fd_install_prep(&s)),
        _ => ops::prep(&s, no_drain),
    };
    r.err()
}

/// How a chain fared in io_uring's checks.
#[derive(PartialEq, Eq)]
pub enum Checked {
    Ok,
    /// A member failed: the whole chain fails.
    Failed,
    /// Its last member failed, which also ends the submission (unless
    /// SUBMIT_ALL), as in the kernel.
    FailedLast,
}

/// Checks every member of a chain of `len`. The ring's drain rule moves
/// past the chain either way.
pub fn check(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe) -> Checked {
    // Relaxed: only the ring's one SQ consumer (under its lock) uses it.
    let mut no_drain = c.drain_disabled.load(Relaxed) != 0;
    let mut r = Checked::Ok;
    for i in 0..len {
        if member_check(i, get, &mut no_drain).is_some() {
            r = if i + 1 == len { Checked::FailedLast } else { Checked::Failed };
        }
    }
    c.drain_disabled.store(no_drain as u32, Relaxed);
    r
}

/// Fails a whole chain that did not pass the checks: each member with its
/// own error, or -ECANCELED; `no_drain` is the drain rule before the chain.
/// When the first asked for CQE_SKIP_SUCCESS, only it posts, as the kernel
/// hides the CQEs of a failed chain then.
pub fn fail(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe, no_drain: bool) {
    let quiet = len > 0 && get(0).flags & sqe_flags::CQE_SKIP_SUCCESS != 0;
    let mut no_drain = no_drain;
    for i in 0..len {
        let res = member_check(i, get, &mut no_drain).map_or(-libc::ECANCELED, Errno::to_neg);
        if i == 0 || !quiet {
            post(c, &get(i), res, [0; 2]);
        }
    }
}

/// Cancels members `[from, len)` of a chain after member `failed` broke it:
/// -ECANCELED each, or nothing when `failed` asked for CQE_SKIP_SUCCESS
/// (the kernel then skips the cancellations' CQEs too).
pub fn cancel_rest(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe, from: u32, failed: &io_uring_sqe) {
    if failed.flags & sqe_flags::CQE_SKIP_SUCCESS != 0 {
        return;
    }
    for i in from..len {
        post(c, &get(i), -libc::ECANCELED, [0; 2]);
    }
}

/// Issues `sqe`. A multishot request posts its first CQE and waits for
/// the next; a receive first tries again while it may get more at once
/// (see net::retry_at_once), as the kernel, which may then end it with
/// -ENOBUFS.
fn first_shots(c: &Ctrl, sqe: &io_uring_sqe) -> Outcome {
    let mut outcome = ops::issue(c, sqe);
    let mut posted = 0;
    loop {
        match outcome {
            Outcome::More { done, fd, events } if post_more(c, sqe, &done) => {
                posted += 1;
                let receive = matches!(sqe.opcode, op::RECV | op::RECVMSG);
                if !receive || posted == reactor::RETRIES || !super::net::retry_at_once(sqe, done.flags, fd) {
                    return Outcome::Ready { fd, events };
                }
                outcome = ops::issue(c, sqe);
            }
            Outcome::More { done, .. } => return Outcome::Done(done),
            o => return o,
        }
    }
}

/// Runs a checked chain of `len` members in turn. A member followed by a
/// LINK_TIMEOUT that finishes at once cancels the timeout; one that has to
/// wait goes to the reactor, with its timeout and the members after them.
pub fn run(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe) {
    let mut i = 0;
    while i < len {
        let sqe = get(i);
        let lt = (i + 1 < len && sqe.flags & LINKED != 0).then(|| get(i + 1)).filter(|t| t.opcode == op::LINK_TIMEOUT);
        let next = i + 1 + lt.is_some() as u32;
        let outcome = first_shots(c, &sqe);
        match outcome {
            Outcome::Done(d) => {
                complete(c, &sqe, &d);
                if let Some(t) = &lt {
                    disarmed(c, t);
                }
                if breaks(&sqe, &d) {
                    return cancel_rest(c, len, get, next, &sqe);
                }
            }
            wait => {
                let n = len - next;
                let rest = req::save(n, |k| get(next + k));
                if n > 0 && rest.is_null() {
                    post(c, &sqe, -libc::ENOMEM, [0; 2]);
                    return cancel_rest(c, len, get, i + 1, &io_uring_sqe::default());
                }
                return reactor::arm(c, &sqe, wait, lt.as_ref(), rest, n);
            }
        }
        i = next;
    }
}
