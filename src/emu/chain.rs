//! Running link chains: the checks io_uring makes when it takes a chain's
//! SQEs, then each member in turn. A member that has to wait goes to the
//! reactor with the rest of its chain (and its LINK_TIMEOUT), which goes on
//! from there once it finishes.

use super::cq::{self, Cqe};
use super::ctrl::Ctrl;
use super::ops::{self, Done, Outcome};
use super::{reactor, req, wait_ops};
use crate::sys::{Errno, io_uring_sqe, op, sqe_flags};

pub const LINKED: u8 = sqe_flags::IO_LINK | sqe_flags::IO_HARDLINK;

pub fn post(c: &Ctrl, sqe: &io_uring_sqe, res: i32, big: [u64; 2]) {
    cq::post(c, &Cqe { user_data: sqe.user_data, res, flags: 0, big });
}

/// Posts a finished member's CQE, unless CQE_SKIP_SUCCESS hides a success.
pub fn complete(c: &Ctrl, sqe: &io_uring_sqe, d: &Done) {
    if d.failed || sqe.flags & sqe_flags::CQE_SKIP_SUCCESS == 0 {
        post(c, sqe, d.res, d.big);
    }
}

/// Whether a finished member cancels the rest of its chain: it failed
/// under IO_LINK (IO_HARDLINK keeps going).
pub fn breaks(sqe: &io_uring_sqe, d: &Done) -> bool {
    d.failed && sqe.flags & sqe_flags::IO_HARDLINK == 0
}

/// The first member of a chain of `len` that fails io_uring's checks, with
/// its error. A LINK_TIMEOUT must follow a linked request.
pub fn check(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe) -> Option<(u32, Errno)> {
    (0..len).find_map(|i| {
        let s = get(i);
        let orphan = s.opcode == op::LINK_TIMEOUT && (i == 0 || get(i - 1).flags & LINKED == 0);
        let r = match s.opcode {
            _ if orphan => Err(Errno::EINVAL),
            op::LINK_TIMEOUT => ops::prep(c, &s).and_then(|_| wait_ops::link_deadline(&s).map(|_| ())),
            _ => ops::prep(c, &s),
        };
        r.err().map(|e| (i, e))
    })
}

/// Fails a whole chain: member `bad` with `err`, the others -ECANCELED.
pub fn fail(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe, bad: u32, err: Errno) {
    for i in 0..len {
        post(c, &get(i), if i == bad { err.to_neg() } else { -libc::ECANCELED }, [0; 2]);
    }
}

/// Cancels members `[from, len)` of a chain: -ECANCELED each.
pub fn cancel_rest(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe, from: u32) {
    for i in from..len {
        post(c, &get(i), -libc::ECANCELED, [0; 2]);
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
        match ops::issue(c, &sqe) {
            Outcome::Done(d) => {
                complete(c, &sqe, &d);
                if let Some(t) = &lt {
                    post(c, t, -libc::ECANCELED, [0; 2]);
                }
                if breaks(&sqe, &d) {
                    return cancel_rest(c, len, get, next);
                }
            }
            wait => {
                let n = len - next;
                let rest = req::save(n, |k| get(next + k));
                if n > 0 && rest.is_null() {
                    post(c, &sqe, -libc::ENOMEM, [0; 2]);
                    return cancel_rest(c, len, get, i + 1);
                }
                return reactor::arm(c, &sqe, wait, lt.as_ref(), rest, n);
            }
        }
        i = next;
    }
}
