//! IO_DRAIN: chains held back until every request before them is done,
//! as the kernel defers a drained request. The held-back list hangs off the
//! ring's control block and is guarded by the reactor's LOCK.

use super::chain;
use super::ctrl::Ctrl;
use super::lock::Locked;
use super::reactor::LOCK;
use super::req::save;
use crate::sys::{io_uring_sqe, sqe_flags};
use core::ptr;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};

/// A chain that IO_DRAIN holds back.
struct Deferred {
    sqes: *mut io_uring_sqe,
    len: u32,
    next: *mut Deferred,
}

/// Whether a member of the chain asked for IO_DRAIN, which drains the
/// whole chain, as in the kernel.
fn drained(len: u32, get: &dyn Fn(u32) -> io_uring_sqe) -> bool {
    (0..len).any(|i| get(i).flags & sqe_flags::IO_DRAIN != 0)
}

/// Runs a checked chain of `len`, or holds it back as IO_DRAIN says: it
/// is drained while requests are in flight, or a drained chain still runs,
/// or others are held back already (then it queues behind them).
pub fn submit_chain(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe) {
    let drained = drained(len, get);
    // Without IO_DRAIN in play the chain just runs, and LOCK is not needed:
    // only the SQ consumer (us) makes `deferred` or `drain_gate` nonzero,
    // and done_one sets `draining` only while `deferred` is. Acquire, in
    // this order: pairs with done_one's release stores, so seeing a chain
    // taken off `deferred` means seeing `draining` set for it.
    let quiet = || c.deferred.load(Acquire) == 0 && c.draining.load(Acquire) == 0 && c.drain_gate.load(Acquire) == 0;
    if !drained && quiet() {
        return chain::run(c, len, get);
    }
    {
        let _l = Locked::new(&LOCK);
        let busy = c.deferred.load(Relaxed) != 0 || c.draining.load(Relaxed) != 0 || c.drain_gate.load(Relaxed) != 0;
        if busy || drained && c.inflight.load(Acquire) > 0 {
            if hold_back(c, len, get) {
                return;
            }
        } else if drained {
            c.drain_gate.store(1, Relaxed);
        }
    }
    chain::run(c, len, get);
    if drained {
        let _l = Locked::new(&LOCK);
        // Done already: nothing left to wait for. Otherwise the last
        // request to end opens the gate (done_one).
        if c.inflight.load(Acquire) == 0 {
            c.drain_gate.store(0, Release);
        }
    }
}

/// Appends a copy of the chain to the held-back list (LOCK held): false
/// without memory, when it runs at once rather than being lost.
fn hold_back(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe) -> bool {
    // SAFETY: malloc of one Deferred, checked for NULL below.
    let d = unsafe { libc::malloc(size_of::<Deferred>()) }.cast::<Deferred>();
    let sqes = save(len, get);
    if d.is_null() || sqes.is_null() {
        // SAFETY: NULL or our own allocations.
        unsafe {
            libc::free(d.cast());
            libc::free(sqes.cast());
        }
        return false;
    }
    // SAFETY: a fresh allocation of the right size.
    unsafe { d.write(Deferred { sqes, len, next: ptr::null_mut() }) };
    let mut at = c.deferred.as_ptr().cast::<*mut Deferred>();
    // SAFETY: the held-back list is only touched under LOCK.
    unsafe {
        while !(*at).is_null() {
            at = &raw mut (**at).next;
        }
        *at = d;
    }
    true
}

/// One pending request of ring `c` ended: when it was the last, run the
/// chains IO_DRAIN held back, in order, until one leaves work in flight.
pub fn done_one(c: &Ctrl) {
    if c.inflight.fetch_sub(1, AcqRel) != 1 {
        return;
    }
    {
        // Nothing in flight: a drained chain is done. One thread releases
        // the held-back chains at a time; while it does, new chains queue
        // behind them (see submit_chain).
        let _l = Locked::new(&LOCK);
        c.drain_gate.store(0, Release);
        if c.deferred.load(Relaxed) == 0 || c.draining.swap(1, Relaxed) != 0 {
            return;
        }
    }
    loop {
        let d = {
            let _l = Locked::new(&LOCK);
            let d = c.deferred.load(Relaxed) as *mut Deferred;
            // Held-back chains go on only while nothing is in flight: what
            // follows a drained chain waits for it as well.
            let idle = c.inflight.load(Acquire) == 0;
            if idle {
                // Whatever drained chain ran last is done.
                c.drain_gate.store(0, Release);
            }
            if d.is_null() || !idle {
                c.draining.store(0, Release);
                return;
            }
            // SAFETY: the list's entries are live, under LOCK. Release:
            // see submit_chain.
            c.deferred.store(unsafe { (*d).next } as usize, Release);
            // SAFETY: as above; `sqes` holds `len` SQEs.
            if drained(unsafe { (*d).len }, &|k| unsafe { *(*d).sqes.add(k as usize) }) {
                c.drain_gate.store(1, Relaxed);
            }
            d
        };
        // SAFETY: off the list: ours; `sqes` holds `len` SQEs.
        unsafe {
            let (sqes, len) = ((*d).sqes, (*d).len);
            chain::run(c, len, &|k| *sqes.add(k as usize));
            libc::free(sqes.cast());
            libc::free(d.cast());
        }
    }
}

/// Frees ring `c`'s held-back chains, running none: the ring is being torn
/// down.
pub fn forget(c: &Ctrl) {
    let mut d = c.deferred.swap(0, AcqRel) as *mut Deferred;
    while !d.is_null() {
        // SAFETY: our held-back chains, each freed once.
        unsafe {
            let next = (*d).next;
            libc::free((*d).sqes.cast());
            libc::free(d.cast());
            d = next;
        }
    }
}
