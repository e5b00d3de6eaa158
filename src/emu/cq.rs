//! Posting CQEs as the kernel does: under one lock, each CQE written before
//! the tail that publishes it, overflow kept in order, and the ring's
//! eventfd (and a registered one) signalled per batch. The first CQEs to
//! overflow wait in the shared region, where any process sharing the ring
//! flushes them; past those, in the heap of the process that posted them.

use super::ctrl::{Ctrl, SHARED_OVERFLOW, off};
use super::lock::Locked;
use crate::sys::{self, cq_flags, io_uring_cqe, sq_flags};
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

/// An overflowed CQE, in this process's heap.
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
    let _l = Locked::new(&c.lock);
    if overflowed(c) && !flush_locked(c) || !push(c, cqe) {
        overflow(c, cqe);
    }
}

/// Whether CQEs wait for room in the CQ. Needs the lock.
fn overflowed(c: &Ctrl) -> bool {
    c.shared_head.load(Relaxed) != c.shared_tail.load(Relaxed) || c.overflow.load(Relaxed) != 0
}

/// Posts a multishot request's `cqe` with IORING_CQE_F_MORE, if the CQ has
/// room for it now: false when it has not, and the request must end with
/// a last CQE instead (which may overflow), as the kernel ends a multishot.
pub fn post_more(c: &Ctrl, cqe: &Cqe) -> bool {
    let more = Cqe { flags: cqe.flags | sys::cqe_flags::MORE, ..*cqe };
    let _l = Locked::new(&c.lock);
    if overflowed(c) && !flush_locked(c) || !push(c, &more) {
        return false;
    }
    if !cqe.timeout {
        // Relaxed: as in post.
        c.cq_events.fetch_add(1, Relaxed);
    }
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

/// The words of a CQE in a shared overflow slot.
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

/// The shared overflow slot for position `pos`.
fn slot(c: &Ctrl, pos: u32) -> &[AtomicU32; 8] {
    &c.shared[pos as usize % SHARED_OVERFLOW]
}

/// Keeps `cqe` until the CQ has room: in a shared slot while one is free
/// and nothing waits in the heap list (which holds the newer ones), else
/// appended to this process's list.
fn overflow(c: &Ctrl, cqe: &Cqe) {
    let tail = c.shared_tail.load(Relaxed);
    if c.overflow.load(Relaxed) == 0 && tail.wrapping_sub(c.shared_head.load(Relaxed)) < SHARED_OVERFLOW as u32 {
        // Relaxed: the slots are only touched under the lock.
        for (w, v) in slot(c, tail).iter().zip(to_words(cqe)) {
            w.store(v, Relaxed);
        }
        c.shared_tail.store(tail.wrapping_add(1), Relaxed);
        // Relaxed: see below.
        c.word(off::SQ_FLAGS).fetch_or(sq_flags::CQ_OVERFLOW, Relaxed);
        return;
    }
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() };
    // SAFETY: malloc of a Node-sized block, checked for NULL below.
    let node = unsafe { libc::malloc(size_of::<Node>()) }.cast::<Node>();
    if node.is_null() || (c.overflow.load(Relaxed) != 0 && c.overflow_pid.load(Relaxed) != pid) {
        // No memory, or the list is in another process's heap: counted as
        // the kernel counts a CQE it could not keep.
        c.word(off::CQ_OVERFLOW).fetch_add(1, Relaxed);
        // SAFETY: NULL or our own allocation.
        unsafe { libc::free(node.cast()) };
        return;
    }
    // SAFETY: a fresh allocation of the right size.
    unsafe { node.write(Node { cqe: *cqe, next: ptr::null_mut() }) };
    match c.overflow_last.load(Relaxed) as *mut Node {
        last if last.is_null() => c.overflow.store(node as usize, Relaxed),
        // SAFETY: the list's last node, ours (pid checked), under the lock.
        last => unsafe { (*last).next = node },
    }
    c.overflow_last.store(node as usize, Relaxed);
    c.overflow_pid.store(pid, Relaxed);
    // Relaxed, as the kernel's atomic_or: the flag only tells the program
    // to enter, and entering takes the lock.
    c.word(off::SQ_FLAGS).fetch_or(sq_flags::CQ_OVERFLOW, Relaxed);
}

/// Moves overflowed CQEs into the CQ while it has room, the shared slots'
/// first; true when none are left. Needs the lock. Only the process whose
/// heap holds the list flushes that.
fn flush_locked(c: &Ctrl) -> bool {
    let mut head = c.shared_head.load(Relaxed);
    while head != c.shared_tail.load(Relaxed) {
        // Relaxed: the slots are only touched under the lock.
        if !push(c, &from_words(slot(c, head).each_ref().map(|w| w.load(Relaxed)))) {
            break;
        }
        head = head.wrapping_add(1);
    }
    c.shared_head.store(head, Relaxed);
    if head != c.shared_tail.load(Relaxed) {
        return false;
    }
    if c.overflow.load(Relaxed) == 0 {
        c.word(off::SQ_FLAGS).fetch_and(!sq_flags::CQ_OVERFLOW, Relaxed);
        return true;
    }
    // SAFETY: getpid has no preconditions.
    if c.overflow_pid.load(Relaxed) != unsafe { libc::getpid() } {
        return false;
    }
    let mut node = c.overflow.load(Relaxed) as *mut Node;
    // SAFETY: the list's nodes are ours (pid checked) and only touched
    // under the lock; each is freed once, after it left the list.
    unsafe {
        while !node.is_null() && push(c, &(*node).cqe) {
            let next = (*node).next;
            libc::free(node.cast());
            node = next;
        }
    }
    c.overflow.store(node as usize, Relaxed);
    if !node.is_null() {
        return false;
    }
    c.overflow_last.store(0, Relaxed);
    c.word(off::SQ_FLAGS).fetch_and(!sq_flags::CQ_OVERFLOW, Relaxed);
    true
}

/// Moves overflowed CQEs into the CQ as room allows (what an enter with
/// GETEVENTS does for the kernel).
pub fn flush(c: &Ctrl) {
    // Relaxed, outside the lock: a hint; the lock's acquire orders the rest.
    if c.word(off::SQ_FLAGS).load(Relaxed) & sq_flags::CQ_OVERFLOW != 0 {
        let _l = Locked::new(&c.lock);
        flush_locked(c);
    }
}

/// Frees the overflow list of a ring being torn down.
pub fn drop_overflow(c: &Ctrl) {
    let _l = Locked::new(&c.lock);
    // SAFETY: getpid has no preconditions.
    if c.overflow_pid.load(Relaxed) == unsafe { libc::getpid() } {
        let mut node = c.overflow.swap(0, Relaxed) as *mut Node;
        while !node.is_null() {
            // SAFETY: our nodes, each freed once.
            let next = unsafe { (*node).next };
            // SAFETY: as above.
            unsafe { libc::free(node.cast()) };
            node = next;
        }
        c.overflow_last.store(0, Relaxed);
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
