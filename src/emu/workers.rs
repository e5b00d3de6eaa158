//! The worker pool: threads that run what has to block (Kind::Work
//! requests: regular files, O_DIRECT, fsync), as io-wq does for the
//! kernel. The requests wait on the reactor's pending list; a worker marks
//! the oldest RUNNING, runs it, and hands it back DONE to the reactor
//! thread, which posts its CQE.

use super::lock::Locked;
use super::ops;
use super::reactor::{GENERATION, LOCK, PENDING, spawn, wake};
use super::req::{DONE, Kind, QUEUED, RUNNING, Req};
use crate::sys;
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicU32,
    Ordering::{Acquire, Relaxed, Release},
};

/// The workers that run what has to block (Kind::Work): WORKERS start with
/// the reactor, and one more, up to MAX_WORKERS, whenever work is queued
/// while none waits for it, as io-wq grows its pool. LIVE_WORKERS counts
/// them and IDLE_WORKERS those waiting; WORK_SEQ is bumped when work is
/// queued (one waiting worker is woken) and DONE_SEQ when a worker
/// finishes some ([`super::reactor::forget`] waits on it).
const WORKERS: u32 = 4;
static MAX_WORKERS: AtomicU32 = AtomicU32::new(32);
/// The limit for unbounded work that IORING_REGISTER_IOWQ_MAX_WORKERS
/// reports and sets; the engine's one pool follows the bounded one.
static MAX_UNBOUNDED: AtomicU32 = AtomicU32::new(32);
static LIVE_WORKERS: AtomicU32 = AtomicU32::new(0);
static IDLE_WORKERS: AtomicU32 = AtomicU32::new(0);
static WORK_SEQ: AtomicU32 = AtomicU32::new(0);
static DONE_SEQ: AtomicU32 = AtomicU32::new(0);

/// IORING_REGISTER_IOWQ_MAX_WORKERS: sets the limits on workers for
/// bounded work (regular files; the engine's pool) and unbounded work,
/// each where `limits` gives a nonzero one, and writes back the old ones.
/// The pool does not shrink below the workers already running. -EINVAL
/// past INT_MAX.
pub fn max_workers(limits: &mut [u32; 2]) -> sys::Result<()> {
    if limits.iter().any(|&n| n > i32::MAX as u32) {
        return Err(sys::Errno::EINVAL);
    }
    for (new, max) in limits.iter_mut().zip([&MAX_WORKERS, &MAX_UNBOUNDED]) {
        // Relaxed: a limit read when a worker may start; nothing else hangs on it.
        *new = if *new != 0 { max.swap(*new, Relaxed) } else { max.load(Relaxed) };
    }
    Ok(())
}

/// Wakes a worker for work just queued, starting one more when none waits.
pub fn queue() {
    // Release: the worker that sees the new count sees the request queued.
    WORK_SEQ.fetch_add(1, Release);
    // Relaxed: a stale count only starts a worker early or late.
    if IDLE_WORKERS.load(Relaxed) == 0 {
        // Counted before it starts, so two callers never pass the limit.
        if LIVE_WORKERS.fetch_add(1, Relaxed) >= MAX_WORKERS.load(Relaxed) || !spawn(worker) {
            LIVE_WORKERS.fetch_sub(1, Release);
            super::lock::futex(&LIVE_WORKERS, libc::FUTEX_WAKE, i32::MAX as u32);
        }
    }
    super::lock::futex(&WORK_SEQ, libc::FUTEX_WAKE, 1);
}

/// A worker thread of reactor `generation`: runs queued Work requests to
/// completion, oldest first, and hands each back to the reactor thread,
/// which posts its CQE.
extern "C" fn worker(generation: *mut c_void) -> *mut c_void {
    let (initial, mut seen) = super::affinity::start();
    loop {
        super::affinity::apply(&mut seen, &initial);
        let seq = WORK_SEQ.load(Acquire);
        if GENERATION.load(Acquire) as usize != generation as usize {
            break;
        }
        let Some(r) = next_work() else {
            IDLE_WORKERS.fetch_add(1, Relaxed);
            super::lock::futex(&WORK_SEQ, libc::FUTEX_WAIT, seq);
            IDLE_WORKERS.fetch_sub(1, Relaxed);
            continue;
        };
        // SAFETY: RUNNING keeps it on the list and out of every other
        // hand (forget waits for it), so it and its ring stay alive.
        let (c, sqe, fd) = unsafe { (&*(*r).ctrl, (*r).sqe, (*r).fd) };
        let d = ops::run_blocking(c, &sqe, fd);
        {
            let _l = Locked::new(&LOCK);
            // SAFETY: as above, under LOCK.
            unsafe {
                (*r).result = d;
                (*r).state = DONE;
            }
        }
        DONE_SEQ.fetch_add(1, Release);
        super::lock::futex(&DONE_SEQ, libc::FUTEX_WAKE, i32::MAX as u32);
        wake();
    }
    LIVE_WORKERS.fetch_sub(1, Release);
    super::lock::futex(&LIVE_WORKERS, libc::FUTEX_WAKE, i32::MAX as u32);
    ptr::null_mut()
}

/// The oldest queued Work request, now RUNNING.
fn next_work() -> Option<*mut Req> {
    let _l = Locked::new(&LOCK);
    let mut found = None;
    let mut r = PENDING.load(Relaxed);
    while !r.is_null() {
        // SAFETY: the list's requests are live, under LOCK.
        let req = unsafe { &*r };
        if req.kind == Kind::Work && req.state == QUEUED {
            found = Some(r); // the list is newest first: keep the last
        }
        r = req.next;
    }
    // SAFETY: as above.
    found.inspect(|&r| unsafe { (*r).state = RUNNING })
}

/// Starts the pool's first workers, with a new reactor (LOCK held). A
/// child after fork() inherits none of its parent's: `forked` says so.
pub fn start(forked: bool) {
    if forked {
        LIVE_WORKERS.store(0, Relaxed);
        IDLE_WORKERS.store(0, Relaxed);
    }
    for _ in 0..WORKERS.min(MAX_WORKERS.load(Relaxed)) {
        if spawn(worker) {
            LIVE_WORKERS.fetch_add(1, Relaxed);
        }
    }
}

/// Tells the workers of a reactor that stopped to leave, and waits until
/// they have, unless `restarted` says a new reactor took them over.
pub fn stop(restarted: &dyn Fn() -> bool) {
    WORK_SEQ.fetch_add(1, Release);
    super::lock::futex(&WORK_SEQ, libc::FUTEX_WAKE, i32::MAX as u32);
    while !restarted() {
        let n = LIVE_WORKERS.load(Acquire);
        if n == 0 {
            break;
        }
        super::lock::futex(&LIVE_WORKERS, libc::FUTEX_WAIT, n);
    }
}

/// A count bumped each time a worker finishes a request, for
/// [`wait_done`].
pub fn done_seq() -> u32 {
    DONE_SEQ.load(Acquire)
}

/// Waits until a worker finishes a request after [`done_seq`] gave `seen`.
pub fn wait_done(seen: u32) {
    super::lock::futex(&DONE_SEQ, libc::FUTEX_WAIT, seen);
}
