//! The worker pool: threads that run what has to block (Kind::Work
//! requests: regular files, O_DIRECT, fsync), as io-wq does for the
//! kernel. Work waits in the pool's own queue, oldest first (and on the
//! reactor's pending list, where cancellation and teardown find it); a
//! worker takes the oldest, runs it and ends it itself, as an io-wq worker
//! does: its CQE, its LINK_TIMEOUT, the rest of its chain.

use super::lock::Locked;
use super::ops;
use super::reactor::{GENERATION, LOCK, spawn};
use super::req::{RUNNING, Req};
use crate::sys;
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicPtr, AtomicU32,
    Ordering::{Acquire, Relaxed, Release, SeqCst},
};

/// The workers that run what has to block (Kind::Work): WORKERS start with
/// the reactor, and one more, up to MAX_WORKERS, whenever work is queued
/// while none waits for it, as io-wq grows its pool. LIVE_WORKERS counts
/// them and IDLE_WORKERS those waiting; WORK_SEQ is bumped when work is
/// queued (one waiting worker is woken) and DONE_SEQ when a worker
/// finishes some ([`super::reactor::forget`] waits on it, counted in
/// DONE_WAITERS, so that workers wake nobody when nobody waits).
const WORKERS: u32 = 4;
static MAX_WORKERS: AtomicU32 = AtomicU32::new(32);
/// The limit for unbounded work that IORING_REGISTER_IOWQ_MAX_WORKERS
/// reports and sets; the engine's one pool follows the bounded one.
static MAX_UNBOUNDED: AtomicU32 = AtomicU32::new(32);
static LIVE_WORKERS: AtomicU32 = AtomicU32::new(0);
static IDLE_WORKERS: AtomicU32 = AtomicU32::new(0);
static WORK_SEQ: AtomicU32 = AtomicU32::new(0);
static DONE_SEQ: AtomicU32 = AtomicU32::new(0);
static DONE_WAITERS: AtomicU32 = AtomicU32::new(0);
/// The queued Work requests, oldest first, linked through `work_next`;
/// under LOCK.
static HEAD: AtomicPtr<Req> = AtomicPtr::new(ptr::null_mut());
static TAIL: AtomicPtr<Req> = AtomicPtr::new(ptr::null_mut());

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

/// Appends Work request `r` (on the pending list, QUEUED) to the queue.
/// LOCK must be held; [`wake`] once it is dropped.
pub fn enqueue(r: *mut Req) {
    // SAFETY: a live request, ours under LOCK, as the queue is.
    unsafe {
        (*r).work_next = ptr::null_mut();
        match TAIL.load(Relaxed) {
            last if last.is_null() => HEAD.store(r, Relaxed),
            last => (*last).work_next = r,
        }
    }
    TAIL.store(r, Relaxed);
}

/// Takes QUEUED request `r` out of the queue (it is being cancelled or
/// dropped). LOCK must be held.
pub fn dequeue(r: *mut Req) {
    let mut prev = ptr::null_mut::<Req>();
    let mut at = HEAD.load(Relaxed);
    // SAFETY: the queue's requests are live, under LOCK.
    unsafe {
        while !at.is_null() && at != r {
            prev = at;
            at = (*at).work_next;
        }
        if at.is_null() {
            return;
        }
        let next = (*r).work_next;
        if prev.is_null() {
            HEAD.store(next, Relaxed)
        } else {
            (*prev).work_next = next
        }
        if next.is_null() {
            TAIL.store(prev, Relaxed);
        }
    }
}

/// The oldest queued request, now RUNNING.
fn pop() -> Option<*mut Req> {
    let _l = Locked::new(&LOCK);
    let r = HEAD.load(Relaxed);
    if r.is_null() {
        return None;
    }
    // SAFETY: the queue's requests are live, under LOCK.
    let next = unsafe { (*r).work_next };
    HEAD.store(next, Relaxed);
    if next.is_null() {
        TAIL.store(ptr::null_mut(), Relaxed);
    }
    // SAFETY: as above.
    unsafe { (*r).state = RUNNING };
    Some(r)
}

/// Wakes a worker for work just queued, starting one more when none waits.
pub fn wake() {
    // SeqCst, with the worker's count of itself as idle before it sleeps:
    // either this sees it idle and wakes it, or its futex wait sees the
    // new count and it looks again. The worker that sees the count sees
    // the request queued.
    WORK_SEQ.fetch_add(1, SeqCst);
    if IDLE_WORKERS.load(SeqCst) != 0 {
        super::lock::futex(&WORK_SEQ, libc::FUTEX_WAKE, 1);
        return;
    }
    // Counted before it starts, so two callers never pass the limit.
    if LIVE_WORKERS.fetch_add(1, Relaxed) >= MAX_WORKERS.load(Relaxed) || !spawn(worker) {
        LIVE_WORKERS.fetch_sub(1, Release);
        super::lock::futex(&LIVE_WORKERS, libc::FUTEX_WAKE, i32::MAX as u32);
    }
}

/// A worker thread of reactor `generation`: runs queued Work requests to
/// completion, oldest first, and ends each (reactor::finish_work).
extern "C" fn worker(generation: *mut c_void) -> *mut c_void {
    let (initial, mut seen) = super::affinity::start();
    loop {
        super::affinity::apply(&mut seen, &initial);
        let seq = WORK_SEQ.load(Acquire);
        if GENERATION.load(Acquire) as usize != generation as usize {
            break;
        }
        let Some(r) = pop() else {
            // SeqCst: see wake().
            IDLE_WORKERS.fetch_add(1, SeqCst);
            super::lock::futex(&WORK_SEQ, libc::FUTEX_WAIT, seq);
            IDLE_WORKERS.fetch_sub(1, Relaxed);
            continue;
        };
        // SAFETY: RUNNING keeps it on the pending list and out of every
        // other hand (forget waits for it), so it and its ring stay alive.
        let (c, sqe, fd) = unsafe { (&*(*r).ctrl, (*r).sqe, (*r).fd) };
        let d = ops::run_blocking(c, &sqe, fd);
        super::reactor::finish_work(r, d);
        // SeqCst, with wait_done's: either this sees its waiter counted,
        // or its futex wait sees the new count.
        DONE_SEQ.fetch_add(1, SeqCst);
        if DONE_WAITERS.load(SeqCst) != 0 {
            super::lock::futex(&DONE_SEQ, libc::FUTEX_WAKE, i32::MAX as u32);
        }
    }
    LIVE_WORKERS.fetch_sub(1, Release);
    super::lock::futex(&LIVE_WORKERS, libc::FUTEX_WAKE, i32::MAX as u32);
    ptr::null_mut()
}

/// Starts the pool's first workers, with a new reactor (LOCK held). A
/// child after fork() inherits none of its parent's: `forked` says so.
pub fn start(forked: bool) {
    if forked {
        // The parent's queue was freed with its pending list.
        HEAD.store(ptr::null_mut(), Relaxed);
        TAIL.store(ptr::null_mut(), Relaxed);
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
    // SeqCst: see worker().
    DONE_WAITERS.fetch_add(1, SeqCst);
    super::lock::futex(&DONE_SEQ, libc::FUTEX_WAIT, seen);
    DONE_WAITERS.fetch_sub(1, Relaxed);
}
