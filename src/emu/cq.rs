//! Posting CQEs as the kernel does: under one lock, each CQE written before
//! the tail that publishes it, overflow kept in order, and the ring's
//! eventfd (and a registered one) signalled per batch. CQEs that overflow
//! wait in a shared queue of the ring's, where any process sharing the
//! ring flushes them; past its size, in the heap of the process that
//! posted them. On DEFER_TASKRUN rings, CQEs posted outside the issuer
//! wait in that queue too, until the issuer waits for CQEs.

use super::ctrl::{Ctrl, off};
use super::lock::Locked;
use super::shared_map::{self, Where};
use crate::sys::{self, cq_flags, io_uring_cqe, setup, sq_flags};
use core::ptr;
use core::sync::atomic::{
    AtomicU32,
    Ordering::{Acquire, Relaxed, Release, SeqCst},
    fence,
};

/// One completion: the CQE and, on CQE32 rings, its second 16 bytes.
#[derive(Clone, Copy, Default)]
pub struct Cqe {
    pub user_data: u64,
    pub res: i32,
    pub flags: u32,
    pub big: [u64; 2],
    /// A TIMEOUT's own completion, which count timeouts do not count.
    pub timeout: bool,
}

/// An overflowed CQE's words in the overflow queue (see [`to_words`]).
pub type Slot = [AtomicU32; 8];

/// An overflowed CQE past the shared queue, in this process's heap.
#[repr(C)]
struct Node {
    cqe: Cqe,
    next: *mut Node,
}

/// Posts `cqe`. The program sees it once the CQ has room; until then it
/// waits in the overflow list, and IORING_SQ_CQ_OVERFLOW says so.
pub fn post(c: &Ctrl, cqe: &Cqe) {
    if !cqe.timeout {
        // Relaxed: only count TIMEOUTs read it, through the reactor's wake-up.
        c.cq_events.fetch_add(1, Relaxed);
    }
    // Relaxed: the posting thread reads it (submit), and its own notify
    // orders the CQE for the others.
    c.posts.fetch_add(1, Relaxed);
    let _l = Locked::new(&c.lock);
    if for_issuer(c) {
        defer(c, cqe);
    } else if overflowed(c) && !flush_locked(c) || !push(c, cqe) {
        overflow(c, cqe);
    }
}

/// DEFER_TASKRUN: whether a CQE posted now waits for the issuer, as the
/// kernel leaves completions to the issuer's task work: when a thread
/// other than the issuer posts it (the reactor, a worker).
fn for_issuer(c: &Ctrl) -> bool {
    // Relaxed: the issuer is set once, before the program can submit.
    let issuer = c.issuer.load(Relaxed);
    c.flags & setup::DEFER_TASKRUN != 0 && issuer != 0 && issuer != super::ctrl::gettid()
}

/// Keeps `cqe` for the issuer's next wait, raising IORING_SQ_TASKRUN on
/// TASKRUN_FLAG rings; false if it could not be kept. Needs the lock.
fn defer(c: &Ctrl, cqe: &Cqe) -> bool {
    if !keep(c, cqe) {
        return false;
    }
    // Relaxed: read as a hint; the queue itself is read under the lock.
    c.local_work.store(1, Relaxed);
    if c.flags & setup::TASKRUN_FLAG != 0 {
        // Relaxed, as the kernel's atomic_or: the flag only tells the
        // program to enter.
        c.word(off::SQ_FLAGS).fetch_or(sq_flags::TASKRUN, Relaxed);
    }
    true
}

/// Whether CQEs wait for room in the CQ. Needs the lock.
fn overflowed(c: &Ctrl) -> bool {
    c.overflow_head.load(Relaxed) != c.overflow_tail.load(Relaxed) || c.spill.load(Relaxed) != 0
}

/// Posts a multishot request's `cqe` with IORING_CQE_F_MORE, if the CQ has
/// room for it now: false when it has not, and the request must end with
/// a last CQE instead (which may overflow), as the kernel ends a multishot.
pub fn post_more(c: &Ctrl, cqe: &Cqe) -> bool {
    let more = Cqe { flags: cqe.flags | sys::cqe_flags::MORE, ..*cqe };
    let _l = Locked::new(&c.lock);
    if for_issuer(c) {
        if !defer(c, &more) {
            return false;
        }
    } else if overflowed(c) && !flush_locked(c) || !push(c, &more) {
        return false;
    }
    if !cqe.timeout {
        // Relaxed: as in post.
        c.cq_events.fetch_add(1, Relaxed);
    }
    // Relaxed: as in post.
    c.posts.fetch_add(1, Relaxed);
    true
}

/// Writes `cqe` at the tail if the CQ has room.
fn push(c: &Ctrl, cqe: &Cqe) -> bool {
    // The tail is only written under the lock: relaxed. The head is the
    // program's, stored with release after it read the CQEs: acquire.
    let tail = c.word(off::CQ_TAIL).load(Relaxed);
    let head = c.word(off::CQ_HEAD).load(Acquire);
    if tail.wrapping_sub(head) >= c.cq_entries {
        return false;
    }
    let slot = c.cqe(tail);
    // SAFETY: the slot is between the program's head and our tail, so the
    // program does not read it until the release store below.
    unsafe {
        slot.write(io_uring_cqe { user_data: cqe.user_data, res: cqe.res, flags: cqe.flags });
        if c.cqe32() {
            slot.add(1).cast::<[u64; 2]>().write(cqe.big);
        }
    }
    // Release: the CQE is written before the program can see the new tail.
    c.word(off::CQ_TAIL).store(tail.wrapping_add(1), Release);
    true
}

/// The words of a CQE in an overflow slot.
fn to_words(cqe: &Cqe) -> [u32; 8] {
    let [ud, b0, b1] = [cqe.user_data, cqe.big[0], cqe.big[1]];
    let (lo, hi) = (|w: u64| w as u32, |w: u64| (w >> 32) as u32);
    [lo(ud), hi(ud), cqe.res as u32, cqe.flags, lo(b0), hi(b0), lo(b1), hi(b1)]
}

fn from_words(w: [u32; 8]) -> Cqe {
    let join = |lo: u32, hi: u32| lo as u64 | (hi as u64) << 32;
    let big = [join(w[4], w[5]), join(w[6], w[7])];
    Cqe { user_data: join(w[0], w[1]), res: w[2] as i32, flags: w[3], big, timeout: false }
}

/// The ring's overflow queue, if it is in this process's memory: mapped
/// at setup, so in every process forked after it.
fn queue<'a>(c: &Ctrl) -> Option<&'a [Slot]> {
    let w = Where { addr: &c.overflow, pid: &c.overflow_pid, key: &c.overflow_key };
    shared_map::view(&w, c.overflow_slots)
}

/// Keeps `cqe` until the CQ has room, and says so with
/// IORING_SQ_CQ_OVERFLOW.
fn overflow(c: &Ctrl, cqe: &Cqe) {
    if keep(c, cqe) {
        // Relaxed, as the kernel's atomic_or: the flag only tells the
        // program to enter, and entering takes the lock.
        c.word(off::SQ_FLAGS).fetch_or(sq_flags::CQ_OVERFLOW, Relaxed);
    }
}

/// Queues `cqe` behind the CQ: at the shared queue's tail while it has
/// room and nothing waits in the heap list (which holds the newer ones),
/// else appended to this process's list. False if it could not be kept.
fn keep(c: &Ctrl, cqe: &Cqe) -> bool {
    // Relaxed, here and in flush_locked: the queue and the list are only
    // touched under the lock.
    let (head, tail) = (c.overflow_head.load(Relaxed), c.overflow_tail.load(Relaxed));
    let room = c.spill.load(Relaxed) == 0 && tail.wrapping_sub(head) < c.overflow_slots;
    match queue(c).filter(|_| room) {
        Some(q) => {
            for (w, v) in q[(tail % c.overflow_slots) as usize].iter().zip(to_words(cqe)) {
                w.store(v, Relaxed);
            }
            c.overflow_tail.store(tail.wrapping_add(1), Relaxed);
        }
        None if !spill(c, cqe) => {
            // No memory, or the list is in another process's heap: counted
            // as the kernel counts a CQE it could not keep.
            c.word(off::CQ_OVERFLOW).fetch_add(1, Relaxed);
            return false;
        }
        None => {}
    }
    true
}

/// Appends `cqe` to the heap list, unless that is another process's (or
/// there is no memory): false then.
fn spill(c: &Ctrl, cqe: &Cqe) -> bool {
    let pid = shared_map::my_pid();
    if c.spill.load(Relaxed) != 0 && c.spill_pid.load(Relaxed) != pid {
        return false;
    }
    // SAFETY: malloc of a Node-sized block, checked for NULL below.
    let node = unsafe { libc::malloc(size_of::<Node>()) }.cast::<Node>();
    if node.is_null() {
        return false;
    }
    // SAFETY: a fresh allocation of the right size.
    unsafe { node.write(Node { cqe: *cqe, next: ptr::null_mut() }) };
    match c.spill_last.load(Relaxed) as *mut Node {
        last if last.is_null() => c.spill.store(node as usize, Relaxed),
        // SAFETY: the list's last node, ours (pid checked), under the lock.
        last => unsafe { (*last).next = node },
    }
    c.spill_last.store(node as usize, Relaxed);
    c.spill_pid.store(pid, Relaxed);
    true
}

/// Moves queued CQEs (overflowed, or deferred for the issuer) into the CQ
/// while it has room, oldest first, and updates the SQ flags that tell of
/// them; true when none are left. Needs the lock.
fn flush_locked(c: &Ctrl) -> bool {
    let done = move_queued(c);
    // Relaxed, as the kernel's atomic_andnot and atomic_or: the flags only
    // tell the program to enter. Deferred CQEs that find the CQ full
    // overflow, as when the kernel's task work posts into a full CQ.
    if c.local_work.swap(0, Relaxed) != 0 {
        c.word(off::SQ_FLAGS).fetch_and(!sq_flags::TASKRUN, Relaxed);
    }
    match done {
        true => c.word(off::SQ_FLAGS).fetch_and(!sq_flags::CQ_OVERFLOW, Relaxed),
        false => c.word(off::SQ_FLAGS).fetch_or(sq_flags::CQ_OVERFLOW, Relaxed),
    };
    done
}

/// The moving part of [`flush_locked`]. Only the process whose heap holds
/// the list moves that.
fn move_queued(c: &Ctrl) -> bool {
    let (mut head, tail) = (c.overflow_head.load(Relaxed), c.overflow_tail.load(Relaxed));
    if head != tail {
        let Some(q) = queue(c) else { return false };
        let slot = |pos: u32| q[(pos % c.overflow_slots) as usize].each_ref().map(|w| w.load(Relaxed));
        while head != tail && push(c, &from_words(slot(head))) {
            head = head.wrapping_add(1);
        }
        c.overflow_head.store(head, Relaxed);
        if head != tail {
            return false;
        }
    }
    if c.spill.load(Relaxed) != 0 {
        if c.spill_pid.load(Relaxed) != shared_map::my_pid() {
            return false;
        }
        let mut node = c.spill.load(Relaxed) as *mut Node;
        // SAFETY: the list's nodes are ours (pid checked) and only touched
        // under the lock; each is freed once, after it left the list.
        unsafe {
            while !node.is_null() && push(c, &(*node).cqe) {
                let next = (*node).next;
                libc::free(node.cast());
                node = next;
            }
        }
        c.spill.store(node as usize, Relaxed);
        if !node.is_null() {
            return false;
        }
        c.spill_last.store(0, Relaxed);
    }
    true
}

/// Moves overflowed and deferred CQEs into the CQ as room allows (what an
/// enter with GETEVENTS does for the kernel).
pub fn flush(c: &Ctrl) {
    // Relaxed, outside the lock: hints; the lock's acquire orders the rest.
    if c.word(off::SQ_FLAGS).load(Relaxed) & sq_flags::CQ_OVERFLOW != 0 || c.local_work.load(Relaxed) != 0 {
        let _l = Locked::new(&c.lock);
        flush_locked(c);
    }
}

/// Drops what this process holds of a ring it is done with: its view of
/// the overflow queue and, if the heap list is its own, the list. The
/// queue's words stay: other processes may share the ring.
pub fn drop_overflow(c: &Ctrl) {
    let _l = Locked::new(&c.lock);
    if let Some(q) = queue(c) {
        // SAFETY: the queue's mapping, in this process (`queue` checked),
        // which no longer uses the ring.
        unsafe { shared_map::unmap(q.as_ptr(), c.overflow_slots) };
    }
    if c.spill_pid.load(Relaxed) == shared_map::my_pid() {
        let mut node = c.spill.swap(0, Relaxed) as *mut Node;
        while !node.is_null() {
            // SAFETY: our nodes, each freed once.
            let next = unsafe { (*node).next };
            // SAFETY: as above.
            unsafe { libc::free(node.cast()) };
            node = next;
        }
        c.spill_last.store(0, Relaxed);
    }
}

/// Tells waiters and pollers that CQEs were posted: the ring fd (once
/// until a waiter drains it) and the registered eventfd, unless the
/// program disabled it or asked only for completions that did not finish
/// inline (`inline` says these did).
pub fn notify(c: &Ctrl, inline: bool) {
    // SeqCst, with the fence: the tail store above is ordered before
    // reading `armed`, as a waiter's clearing of `armed` is before its
    // second look at the tail (wait.rs), so one of the two sees the other.
    fence(SeqCst);
    if c.armed.swap(1, SeqCst) == 0 {
        sys::syscall::eventfd_signal(c.efd);
    }
    if c.count_timeouts.load(Relaxed) != 0 {
        super::reactor::wake();
    }
    let fd = c.reg_efd.load(Acquire);
    if fd >= 0
        && !(inline && c.reg_efd_async.load(Relaxed) != 0)
        && c.word(off::CQ_FLAGS).load(Relaxed) & cq_flags::EVENTFD_DISABLED == 0
    {
        sys::syscall::eventfd_signal(fd);
    }
}

/// The CQEs ready for the program.
pub fn ready(c: &Ctrl) -> u32 {
    // Acquire on the tail, as the program's own reads of it.
    let tail = c.word(off::CQ_TAIL).load(Acquire);
    tail.wrapping_sub(c.word(off::CQ_HEAD).load(Relaxed))
}
