//! Consuming the SQ as io_uring_enter does: SQEs from the head up to the
//! program's tail, through the index array unless NO_SQARRAY, gathered
//! into link chains and run in order, with a CQE for each unless
//! CQE_SKIP_SUCCESS hides it.

use super::chain::{self, Checked, LINKED};
use super::cq;
use super::ctrl::{Ctrl, off};
use super::drain;
use super::lock::Locked;
use crate::sys::{io_uring_sqe, setup};
use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// Consumes up to `n` SQEs and runs them: the count submitted. As the
/// kernel does, it stops after a chain that fails its checks (unless
/// SUBMIT_ALL) and at an SQ index past the SQEs, which only counts as
/// dropped.
pub fn submit(c: &Ctrl, n: u32) -> u32 {
    let _l = Locked::new(&c.sq_lock);
    // The head is ours alone; Acquire on the tail pairs with the program's
    // release store, so the SQEs it covers are visible.
    let head = c.word(off::SQ_HEAD).load(Relaxed);
    let tail = c.word(off::SQ_TAIL).load(Acquire);
    let n = n.min(tail.wrapping_sub(head)).min(c.sq_entries);
    let posts = c.posts.load(Relaxed);
    let mut chain = head;
    let mut taken = 0;
    let mut submitted = 0;
    while taken < n {
        let pos = head.wrapping_add(taken);
        taken += 1;
        let Some(sqe) = read_sqe(c, pos) else {
            c.word(off::SQ_DROPPED).fetch_add(1, Relaxed);
            // A chain cut short by the bad index runs as it stands.
            run_chain(c, chain, pos);
            break;
        };
        submitted += 1;
        if sqe.flags & LINKED != 0 && taken < n {
            continue;
        }
        // A chain of one (the common case) runs from the copy at hand.
        let ok = if chain == pos { run(c, 1, &|_| sqe) } else { run_chain(c, chain, pos.wrapping_add(1)) };
        chain = pos.wrapping_add(1);
        if !ok && c.flags & setup::SUBMIT_ALL == 0 {
            break;
        }
    }
    // Release: our reads of the SQEs are done before the program may
    // reuse their slots.
    c.word(off::SQ_HEAD).store(head.wrapping_add(taken), Release);
    // Relaxed: our own posts (as post's). No CQE, no wake-up: the kernel
    // signals the eventfds only when it posts.
    if c.posts.load(Relaxed) != posts {
        cq::notify(c, true);
    }
    submitted
}

/// A copy of the SQE at SQ position `pos`, or None for an index past the
/// SQEs. The copy is what runs: the program may reuse the slot once the
/// head moves (IORING_FEAT_SUBMIT_STABLE).
fn read_sqe(c: &Ctrl, pos: u32) -> Option<io_uring_sqe> {
    let index = if c.sq_array == 0 {
        pos & (c.sq_entries - 1)
    } else {
        // Relaxed: the tail's acquire load already ordered the program's
        // writes of the array before us.
        c.sq_array_slot(pos).load(Relaxed)
    };
    // SAFETY: index < sq_entries, so the SQE lies in the region; the
    // program wrote it before publishing the tail (acquired in submit).
    (index < c.sq_entries).then(|| super::copies::taken(unsafe { c.sqe(index).read() }))
}

/// Takes the chain of SQEs at SQ positions `[from, to)`, as [`run`].
fn run_chain(c: &Ctrl, from: u32, to: u32) -> bool {
    // Every position in the chain held a valid index when it was taken.
    run(c, to.wrapping_sub(from), &|i| read_sqe(c, from.wrapping_add(i)).unwrap_or_default())
}

/// Takes a chain of `len` SQEs: a member that fails io_uring's checks
/// fails the whole chain (false when it was the last member, which ends
/// the submission). Otherwise the chain runs, or waits behind an IO_DRAIN.
fn run(c: &Ctrl, len: u32, get: &dyn Fn(u32) -> io_uring_sqe) -> bool {
    let no_drain = c.drain_disabled.load(Relaxed) != 0;
    let checked = chain::check(c, len, get);
    if checked != Checked::Ok {
        chain::fail(c, len, get, no_drain);
        return checked != Checked::FailedLast;
    }
    drain::submit_chain(c, len, get);
    true
}
