//! A request that did not finish when it was issued: its SQE, what it
//! waits for, and the rest of its link chain, in this process's heap
//! until the reactor finishes or cancels it.

use super::ctrl::Ctrl;
use super::ops::Done;
use crate::sys::{io_uring_sqe, op, sqe_flags};
use core::ptr;

/// What a pending request waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// An fd to become ready (`events`), then the operation runs again.
    Ready,
    /// A TIMEOUT: its deadline, or `count` more completions.
    Timeout,
    /// A LINK_TIMEOUT guarding `guard`.
    LinkTimeout,
    /// A worker to run the operation to completion and post its CQE
    /// (`state`).
    Work,
}

/// Where a [`Kind::Work`] request stands: in the workers' queue, or
/// taken by a worker, which ends it.
pub const QUEUED: u8 = 0;
pub const RUNNING: u8 = 1;

pub struct Req {
    pub ctrl: *const Ctrl,
    pub sqe: io_uring_sqe,
    pub kind: Kind,
    /// The fd the operation uses (-1: none), and the events it waits for
    /// there (Kind::Ready).
    pub fd: i32,
    pub events: u32,
    /// The fd's epoll registration it waits under (fdwait.rs), and the last
    /// wake-up that ran it.
    pub reg: u32,
    pub round: u32,
    /// Deadline in CLOCK_MONOTONIC nanoseconds (timeouts), or 0.
    pub deadline: i64,
    /// A count timeout's completions to wait for (0: none), counted from
    /// `base`, the ring's completion count when it was armed.
    pub count: u32,
    pub base: u32,
    /// A multishot timeout's period (0: one shot) and the firings left
    /// (0: until cancelled).
    pub interval: i64,
    pub repeats: u32,
    /// The SQEs of the chain after this request, to run once it finishes.
    pub rest: *mut io_uring_sqe,
    pub rest_len: u32,
    /// A LINK_TIMEOUT and the request it guards point at each other.
    /// NULL, or a live request: whoever ends one of the two first clears
    /// the other's pointer under the reactor's LOCK.
    pub guard: *mut Req,
    /// The reactor's list it is on (`on`, reactor::OFF when none), a
    /// doubly linked one, and the next request waiting on the same fd.
    pub on: u8,
    pub next: *mut Req,
    pub prev: *mut Req,
    pub fd_next: *mut Req,
    /// Its neighbours in its user_data's bucket (by_user_data.rs) while
    /// it is on a list.
    pub ud_next: *mut Req,
    pub ud_prev: *mut Req,
    /// Work: QUEUED or RUNNING, and the next request of the workers'
    /// queue (workers.rs).
    pub state: u8,
    pub work_next: *mut Req,
    /// The request's own copy of what `sqe.addr` points to, as the kernel
    /// copies it at submission: READV's and WRITEV's iovecs, CONNECT's
    /// address (NULL: none).
    pub copy: *mut libc::c_void,
    /// The thread job it waits for (Outcome::Thread), or NULL.
    pub job: *mut super::job::Job,
    /// Bytes a MSG_WAITALL send or receive moved before it waited again.
    pub moved: u32,
}

impl Req {
    /// A new request for `sqe` on ring `c`, or NULL without memory.
    pub fn new(c: &Ctrl, sqe: &io_uring_sqe, kind: Kind) -> *mut Req {
        // SAFETY: malloc of a Req-sized block, checked for NULL below.
        let r = unsafe { libc::malloc(size_of::<Req>()) }.cast::<Req>();
        if !r.is_null() {
            let req = Req {
                ctrl: c,
                sqe: *sqe,
                kind,
                fd: -1,
                events: 0,
                reg: 0,
                round: 0,
                deadline: 0,
                count: 0,
                base: 0,
                interval: 0,
                repeats: 0,
                rest: ptr::null_mut(),
                rest_len: 0,
                guard: ptr::null_mut(),
                on: 0,
                next: ptr::null_mut(),
                prev: ptr::null_mut(),
                fd_next: ptr::null_mut(),
                ud_next: ptr::null_mut(),
                ud_prev: ptr::null_mut(),
                state: QUEUED,
                work_next: ptr::null_mut(),
                copy: ptr::null_mut(),
                job: ptr::null_mut(),
                moved: 0,
            };
            // SAFETY: a fresh allocation of the right size.
            unsafe { r.write(req) };
        }
        r
    }

    /// Frees `r` and its saved chain.
    ///
    /// # Safety
    /// `r` must come from [`Req::new`], be in no list, and not be used again.
    pub unsafe fn free(r: *mut Req) {
        // SAFETY: a live request (contract).
        let req = unsafe { &*r };
        if !req.job.is_null() {
            super::job::release(req.job);
        }
        // SAFETY: `rest` and `copy` are NULL or our malloc'd copies; `r`
        // is ours (contract).
        unsafe {
            libc::free(req.rest.cast());
            libc::free(req.copy);
            libc::free(r.cast());
        }
    }
}

impl Req {
    /// A MSG_WAITALL send or receive, or a bundled send, moved `n` more
    /// bytes: the rest is what it waits to move.
    pub fn advance(&mut self, n: u32) {
        self.shift(n as i64);
        self.moved += n;
    }

    /// Undoes [`Req::advance`] once a multishot request posted what it
    /// moved: its next CQE starts afresh.
    pub fn restart(&mut self) {
        self.shift(-(self.moved as i64));
        self.moved = 0;
    }

    /// Moves where a request that moved bytes goes on by `n`: a RECVMSG
    /// or SENDMSG keeps how far it got in its SQE's offset, a send from
    /// provided buffers in its address (neither uses them); a SEND or RECV
    /// moves its buffer on.
    fn shift(&mut self, n: i64) {
        let s = &mut self.sqe;
        if matches!(s.opcode, op::RECVMSG | op::SENDMSG | op::SENDMSG_ZC) {
            s.off = s.off.wrapping_add_signed(n);
        } else {
            s.addr = s.addr.wrapping_add_signed(n);
            if s.flags & sqe_flags::BUFFER_SELECT == 0 {
                s.len = (s.len as i64 - n) as u32;
            }
        }
    }

    /// The result of a request that moved bytes before: all it moved, and
    /// failed unless it moved the rest (an error or end of stream then
    /// reports what came before, as the kernel does).
    pub fn result(&self, d: Done) -> Done {
        match self.moved {
            0 => d,
            m if d.res > 0 => Done { res: d.res + m as i32, ..d },
            m => Done { res: m as i32, failed: true, ..d },
        }
    }
}

/// A malloc'd copy of `n` SQEs produced by `get`, or NULL (also when n is
/// 0). What the operations among them pass by pointer is copied after
/// them (copies.rs), as the kernel copies it when it takes the chain: the
/// chain may run after the program reused that memory.
pub fn save(n: u32, get: impl Fn(u32) -> io_uring_sqe) -> *mut io_uring_sqe {
    if n == 0 {
        return ptr::null_mut();
    }
    let sqes = n as usize * size_of::<io_uring_sqe>();
    let extra: usize = (0..n).map(|i| super::copies::sizes(&get(i)).iter().sum::<usize>()).sum();
    // SAFETY: malloc of n SQEs and their copies, checked for NULL below.
    let p = unsafe { libc::malloc(sqes + extra) }.cast::<io_uring_sqe>();
    if p.is_null() {
        return p;
    }
    let mut at = sqes;
    for i in 0..n {
        let mut sqe = get(i);
        let mut sizes = super::copies::sizes(&sqe);
        if at + sizes.iter().sum::<usize>() > sqes + extra {
            sizes = [0; 3]; // the program changed a path meanwhile: not copied
        }
        // SAFETY: i < n slots of the allocation; the sizes were just taken
        // and fit in what is left after the SQEs.
        unsafe {
            super::copies::copy(&mut sqe, sizes, p.cast::<u8>().add(at));
            p.add(i as usize).write(sqe);
        }
        at += sizes.iter().sum::<usize>();
    }
    p
}
