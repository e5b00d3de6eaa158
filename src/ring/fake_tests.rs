//! The ring-index logic on a fake ring in ordinary memory: no kernel, no
//! syscall, so these also run under Miri (`make check-miri`). The test plays
//! the kernel by moving the shared heads and tails itself.

use super::Live;
use super::complete::{self, cq_advance, cq_ready, peek, peek_batch};
use super::submit::{flush_sq, get_sqe, sq_ready, sq_space_left};
use super::types::io_uring;
use crate::sys::{cqe_flags, feat, io_uring_cqe, io_uring_sqe, setup};

/// A fake ring and the memory it points into. Like the kernel's, that
/// memory is only reached through the ring's raw pointers, never through
/// Rust references the ring's accesses could invalidate.
struct Fake {
    words: *mut u32,
    sqes: Vec<io_uring_sqe>,
    cqes: Vec<io_uring_cqe>,
    ring: io_uring,
}

impl Drop for Fake {
    fn drop(&mut self) {
        // SAFETY: `words` came from Box::into_raw in Fake::new.
        drop(unsafe { Box::from_raw(self.words.cast::<[u32; 8]>()) });
    }
}

const SQ_HEAD: usize = 0;
const SQ_TAIL: usize = 1;
const SQ_FLAGS: usize = 2;
const CQ_HEAD: usize = 3;
const CQ_TAIL: usize = 4;

impl Fake {
    /// The fake ring as the core functions take it.
    fn live(&mut self) -> Live<'_> {
        Live::from_mut(&mut self.ring).unwrap()
    }

    /// A ring of `sq` SQEs and `cq` CQEs whose indexes all start at `start`
    /// (near u32::MAX to cross the wrap).
    fn new(sq: u32, cq: u32, flags: u32, start: u32) -> Box<Fake> {
        let cq_slots = (cq as usize) << super::setup::cqe_shift(flags);
        let mut f = Box::new(Fake {
            words: Box::into_raw(Box::new([start, start, 0, start, start, 0, 0, 0])).cast::<u32>(),
            sqes: vec![io_uring_sqe::default(); (sq as usize) << super::setup::sqe_shift(flags)],
            cqes: vec![io_uring_cqe::default(); cq_slots],
            ring: io_uring::EMPTY,
        });
        let w = f.words;
        let r = &mut f.ring;
        // SAFETY: the indexes are within the eight words.
        unsafe {
            r.sq.khead = w.add(SQ_HEAD);
            r.sq.ktail = w.add(SQ_TAIL);
            r.sq.kflags = w.add(SQ_FLAGS);
            r.cq.khead = w.add(CQ_HEAD);
            r.cq.ktail = w.add(CQ_TAIL);
        }
        r.sq.sqes = f.sqes.as_mut_ptr();
        r.cq.cqes = f.cqes.as_mut_ptr();
        r.sq.ring_entries = sq;
        r.sq.ring_mask = sq - 1;
        r.cq.ring_entries = cq;
        r.cq.ring_mask = cq - 1;
        r.sq.sqe_head = start;
        r.sq.sqe_tail = start;
        r.flags = flags;
        r.features = feat::EXT_ARG;
        f
    }

    fn word(&self, i: usize) -> u32 {
        // SAFETY: i < 8, within the words allocation.
        unsafe { super::shared::load_acquire(self.words.add(i)) }
    }

    fn set_word(&self, i: usize, v: u32) {
        // SAFETY: i < 8, within the words allocation.
        unsafe { super::shared::store_release(self.words.add(i), v) }
    }

    /// The kernel consumes `n` SQEs.
    fn consume(&mut self, n: u32) {
        self.set_word(SQ_HEAD, self.word(SQ_HEAD).wrapping_add(n));
    }

    /// The kernel posts a CQE (in the next slot, 32 bytes on CQE32 rings).
    fn post(&mut self, user_data: u64, res: i32, flags: u32) {
        let tail = self.word(CQ_TAIL);
        let shift = super::setup::cqe_shift(self.ring.flags);
        let slot = ((tail & self.ring.cq.ring_mask) << shift) as usize;
        // SAFETY: the slot is within the CQE array the ring points to.
        unsafe { self.ring.cq.cqes.add(slot).write(io_uring_cqe { user_data, res, flags }) };
        self.set_word(CQ_TAIL, tail.wrapping_add(1 + (flags & cqe_flags::F_32 != 0) as u32));
    }
}

#[test]
fn sqes_are_handed_out_until_full_across_the_wrap() {
    let mut f = Fake::new(4, 8, 0, u32::MAX - 2);
    let mut seen = Vec::new();
    while let Some(sqe) = get_sqe(&mut f.live()) {
        sqe.user_data = 7;
        seen.push(sqe as *mut io_uring_sqe as usize);
    }
    assert_eq!(seen.len(), 4);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "every slot once");
    assert_eq!(sq_ready(&f.live()), 4);
    assert_eq!(sq_space_left(&f.live()), 0);
    // Published, then consumed by the "kernel": room again.
    assert_eq!(flush_sq(&mut f.live()), 4);
    assert_eq!(f.word(SQ_TAIL), (u32::MAX - 2).wrapping_add(4));
    f.consume(3);
    assert_eq!(sq_space_left(&f.live()), 3);
    assert!(get_sqe(&mut f.live()).is_some());
}

#[test]
fn get_sqe_clears_what_preparers_may_skip() {
    let mut f = Fake::new(2, 4, setup::SQE128, 0);
    for i in 0..4 {
        let dirty = io_uring_sqe {
            flags: 0xff,
            ioprio: 9,
            op_flags: 9,
            buf_index: 9,
            personality: 9,
            file_index: 9,
            addr3: 9,
            __pad2: [9],
            user_data: 5,
            ..Default::default()
        };
        // SAFETY: four 64-byte slots back two 128-byte SQEs.
        unsafe { f.ring.sq.sqes.add(i).write(dirty) };
    }
    let first = get_sqe(&mut f.live()).map(|s| s as *mut io_uring_sqe).unwrap();
    let second = get_sqe(&mut f.live()).map(|s| s as *mut io_uring_sqe).unwrap();
    // 128-byte SQEs: the second is two 64-byte slots on.
    assert_eq!(second as usize - first as usize, 128);
    // SAFETY: both point into f.sqes, which is alive.
    let s = unsafe { &*first };
    assert_eq!(
        (s.flags, s.ioprio, s.op_flags, s.buf_index, s.personality, s.file_index, s.addr3, s.__pad2[0]),
        (0, 0, 0, 0, 0, 0, 0, 0)
    );
    assert_eq!(s.user_data, 5, "user_data is the preparer's to set");
}

#[test]
fn peek_and_advance_follow_the_kernel_tail() {
    let mut f = Fake::new(4, 4, 0, u32::MAX - 1);
    let (res, cqe, n) = peek(&mut f.live());
    assert!(res.is_ok() && cqe.is_null() && n == 0);
    for i in 0..4 {
        f.post(i, i as i32, 0);
    }
    assert_eq!(cq_ready(&f.live()), 4);
    for i in 0..4 {
        let (res, cqe, n) = peek(&mut f.live());
        assert!(res.is_ok());
        assert_eq!(n, 4 - i as u32);
        // SAFETY: peek returned a CQE of the fake ring.
        assert_eq!(unsafe { (*cqe).user_data }, i);
        cq_advance(&mut f.live(), 1);
    }
    assert_eq!(f.word(CQ_HEAD), (u32::MAX - 1).wrapping_add(4));
    assert_eq!(cq_ready(&f.live()), 0);
}

#[test]
fn skip_entries_are_consumed_silently() {
    let mut f = Fake::new(4, 8, 0, 0);
    f.post(1, 0, cqe_flags::SKIP);
    f.post(2, 0, 0);
    let (_, cqe, _) = peek(&mut f.live());
    // SAFETY: a CQE of the fake ring.
    assert_eq!(unsafe { (*cqe).user_data }, 2);
    assert_eq!(f.word(CQ_HEAD), 1, "the skip entry was handed back");
}

#[test]
fn internal_timeouts_are_hidden_without_ext_arg() {
    let mut f = Fake::new(4, 8, 0, 0);
    f.ring.features = 0;
    f.post(complete::UDATA_TIMEOUT, -62, 0);
    f.post(3, 0, 0);
    let (res, cqe, _) = peek(&mut f.live());
    assert!(res.is_err() && cqe.is_null(), "a failed internal timeout reports its error");
    let (res, cqe, _) = peek(&mut f.live());
    assert!(res.is_ok());
    // SAFETY: a CQE of the fake ring.
    assert_eq!(unsafe { (*cqe).user_data }, 3);
}

#[test]
fn batches_and_iterators_respect_cqe32_strides() {
    let mut f = Fake::new(4, 4, setup::CQE32, 0);
    for i in 0..3 {
        f.post(10 + i, 0, 0);
    }
    let mut out = [core::ptr::null_mut(); 8];
    assert_eq!(peek_batch(&mut f.live(), &mut out), 3);
    for (i, &c) in out[..3].iter().enumerate() {
        // SAFETY: CQEs of the fake ring.
        assert_eq!(unsafe { (*c).user_data }, 10 + i as u64);
        assert_eq!((c as usize - f.ring.cq.cqes as usize) % 32, 0);
    }
    let mut it = complete::iter_init(&f.live());
    let mut n = 0;
    // SAFETY: a walk iter_init just made on the fake ring, which stays set up.
    while let Some(c) = unsafe { complete::iter_next(&mut it) } {
        // SAFETY: a CQE of the fake ring.
        assert_eq!(unsafe { (*c).user_data }, 10 + n);
        n += 1;
    }
    assert_eq!(n, 3);
}

#[test]
fn mixed_rings_step_over_big_cqes_and_padding() {
    let mut f = Fake::new(4, 8, setup::CQE_MIXED, 0);
    f.post(1, 0, cqe_flags::F_32);
    f.post(2, 0, 0);
    let mut out = [core::ptr::null_mut(); 4];
    assert_eq!(peek_batch(&mut f.live(), &mut out), 2);
    // SAFETY: CQEs of the fake ring.
    let (a, b) = unsafe { ((*out[0]).user_data, (*out[1]).user_data) };
    assert_eq!((a, b), (1, 2));
    assert_eq!(out[1] as usize - out[0] as usize, 32, "the big CQE spans two slots");
}

/// What the fake kernel thread reaches: the fake ring's memory, by pointer.
struct Kernel(*mut u32, *mut io_uring_sqe, *mut io_uring_cqe);
// SAFETY: the pointers stay valid until the thread is joined, and every
// access through them follows the ring protocol.
unsafe impl Send for Kernel {}

/// Ops a cross-thread test runs: few under Miri, which is slow.
const THREAD_OPS: u64 = if cfg!(miri) { 24 } else { 20_000 };

/// Starts the kernel's half of a fake ring of 4 SQEs and 4 CQEs on its own
/// thread, with the kernel's orderings (docs/memory-ordering.md). With
/// `from_sq` it posts one CQE per SQE the program publishes, carrying its
/// user_data; without, it posts CQEs 0, 1, 2... as fast as the CQ has room,
/// as a multishot request does. Under Miri, a release or acquire missing on
/// the library's side leaves a plain SQE or CQE access unordered against
/// this thread's, which Miri reports as a data race.
fn fake_kernel(f: &mut Fake, from_sq: bool) -> std::thread::JoinHandle<()> {
    use core::sync::atomic::{AtomicU32, Ordering};
    let k = Kernel(f.words, f.ring.sq.sqes, f.ring.cq.cqes);
    std::thread::spawn(move || {
        let k = k;
        // SAFETY: the words outlive the thread (joined by the test) and are aligned.
        let word = |i: usize| unsafe { AtomicU32::from_ptr(k.0.add(i)) };
        let mut done = 0;
        while done < THREAD_OPS {
            // Only the kernel writes the SQ head and the CQ tail.
            let (head, cq_tail) = (word(SQ_HEAD).load(Ordering::Relaxed), word(CQ_TAIL).load(Ordering::Relaxed));
            // Acquire, as io_sqring_entries: the SQE under the tail is written.
            let sq_tail = word(SQ_TAIL).load(Ordering::Acquire);
            // Acquire: the program has finished reading the slot it handed back.
            let cq_head = word(CQ_HEAD).load(Ordering::Acquire);
            if (from_sq && sq_tail == head) || cq_tail.wrapping_sub(cq_head) == 4 {
                std::thread::yield_now();
                continue;
            }
            // SAFETY: the slots are inside the fake ring's arrays (mask 3).
            unsafe {
                let user_data = if from_sq { (*k.1.add((head & 3) as usize)).user_data } else { done };
                k.2.add((cq_tail & 3) as usize).write(io_uring_cqe { user_data, res: 0, flags: 0 });
            }
            // Release, as io_commit_cqring and io_commit_sqring.
            word(CQ_TAIL).store(cq_tail.wrapping_add(1), Ordering::Release);
            if from_sq {
                word(SQ_HEAD).store(head.wrapping_add(1), Ordering::Release);
            }
            done += 1;
        }
    })
}

/// Reaps what the fake kernel has posted, checking each CQE carries the
/// next number; returns how many.
fn reap_in_order(f: &mut Fake, seen: u64) -> u64 {
    let mut it = complete::iter_init(&f.live());
    let mut n = 0;
    // SAFETY: a walk iter_init just made on the fake ring, which stays set up.
    while let Some(c) = unsafe { complete::iter_next(&mut it) } {
        // SAFETY: a CQE the kernel thread published.
        assert_eq!(unsafe { (*c).user_data }, seen + n, "each CQE once, in order");
        n += 1;
    }
    cq_advance(&mut f.live(), n as u32);
    n
}

#[test]
fn sq_and_cq_cross_threads_with_the_kernels_orderings() {
    // SQPOLL: the SQ is consumed concurrently, as here.
    let mut f = Fake::new(4, 4, setup::SQPOLL, u32::MAX - 5);
    let kernel = fake_kernel(&mut f, true);
    let (mut sent, mut seen) = (0, 0);
    while seen < THREAD_OPS {
        if sent < THREAD_OPS
            && let Some(sqe) = get_sqe(&mut f.live())
        {
            sqe.user_data = sent;
            sent += 1;
            flush_sq(&mut f.live());
        }
        seen += reap_in_order(&mut f, seen);
        std::thread::yield_now();
    }
    kernel.join().unwrap();
}

#[test]
fn cq_slots_are_reused_only_after_the_head_moves() {
    let mut f = Fake::new(4, 4, 0, u32::MAX - 2);
    let kernel = fake_kernel(&mut f, false);
    let mut seen = 0;
    while seen < THREAD_OPS {
        seen += reap_in_order(&mut f, seen);
        std::thread::yield_now();
    }
    kernel.join().unwrap();
}
