//! Per-ring state of this process, keyed by the address of the ring's SQE
//! array (see `key` in mod.rs): the statistics, and which CQE positions
//! the trace has printed. It never lives in `struct io_uring`,
//! which may be shared with other processes.

use super::names::ERRNO_COUNT;
use core::sync::atomic::{AtomicI32, AtomicI64, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Rings tracked at once; rings beyond this go untraced. PostgreSQL opens
/// one ring per backend and auxiliary process slot (about 140 by default).
/// An untouched slot costs no memory: the table is in .bss.
const SLOTS: usize = 256;
/// The key of a free slot. Keys are SQE array addresses, never 0; an
/// all-zero table also lives in .bss, costing nothing until used.
const FREE: i64 = 0;

/// Counters of one ring. Relaxed atomics: each is a tally read at the end.
pub struct Stats {
    pub sqes_by_op: [AtomicU64; 256],
    pub enters: AtomicU64,
    pub submitted: AtomicU64,
    pub submit_batches: AtomicU64,
    pub max_batch: AtomicU64,
    pub waited: AtomicU64,
    pub waits: AtomicU64,
    pub wait_ns: AtomicU64,
    pub overflow_flushes: AtomicU64,
    pub cqes_ok: AtomicU64,
    pub cqes_by_errno: [AtomicU64; ERRNO_COUNT + 1],
    pub cqes_inline: AtomicU64,
}

pub struct Slot {
    key: AtomicI64,
    /// The fd trace lines name the ring by.
    pub label: AtomicI32,
    /// Where the ring's CQ head word is mapped in this process, to count the
    /// CQEs consumed inline by rings still open at process exit.
    pub cq_head: AtomicUsize,
    /// The next CQ position the trace has not printed.
    pub next_cqe: AtomicU32,
    /// Whether the "reaped inline" note was printed for this ring.
    pub noted_inline: AtomicU32,
    /// 1 for a ring the userspace engine serves; 2 once that was said.
    pub emulated: AtomicU32,
    pub stats: Stats,
}

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicU64 = AtomicU64::new(0);
#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    key: AtomicI64::new(FREE),
    label: AtomicI32::new(0),
    cq_head: AtomicUsize::new(0),
    next_cqe: AtomicU32::new(0),
    noted_inline: AtomicU32::new(0),
    emulated: AtomicU32::new(0),
    stats: Stats {
        sqes_by_op: [ZERO; 256],
        enters: ZERO,
        submitted: ZERO,
        submit_batches: ZERO,
        max_batch: ZERO,
        waited: ZERO,
        waits: ZERO,
        wait_ns: ZERO,
        overflow_flushes: ZERO,
        cqes_ok: ZERO,
        cqes_by_errno: [ZERO; ERRNO_COUNT + 1],
        cqes_inline: ZERO,
    },
};

static TABLE: [Slot; SLOTS] = [EMPTY; SLOTS];

/// The slot of ring `key`, claiming a free one on first use.
pub fn slot(key: i64, label: i32, cq_head: *const u32, emulated: bool) -> Option<&'static Slot> {
    if let Some(s) = find(key) {
        return Some(s);
    }
    let s = TABLE.iter().find(|s| s.key.compare_exchange(FREE, key, Relaxed, Relaxed).is_ok())?;
    s.label.store(label, Relaxed);
    s.emulated.store(emulated as u32, Relaxed);
    s.cq_head.store(cq_head as usize, Relaxed);
    Some(s)
}

/// The slot of ring `key`, if it has one.
pub fn find(key: i64) -> Option<&'static Slot> {
    TABLE.iter().find(|s| s.key.load(Relaxed) == key)
}

/// Every slot in use, with its key.
pub fn in_use() -> impl Iterator<Item = (i64, &'static Slot)> {
    TABLE.iter().filter_map(|s| {
        let k = s.key.load(Relaxed);
        (k != FREE).then_some((k, s))
    })
}

/// Clears slot `s` and gives it back.
pub fn release(s: &Slot) {
    let st = &s.stats;
    for c in st.sqes_by_op.iter().chain(&st.cqes_by_errno) {
        c.store(0, Relaxed);
    }
    for c in [
        &st.enters,
        &st.submitted,
        &st.submit_batches,
        &st.max_batch,
        &st.waited,
        &st.waits,
        &st.wait_ns,
        &st.overflow_flushes,
        &st.cqes_ok,
        &st.cqes_inline,
    ] {
        c.store(0, Relaxed);
    }
    s.next_cqe.store(0, Relaxed);
    s.noted_inline.store(0, Relaxed);
    s.emulated.store(0, Relaxed);
    s.cq_head.store(0, Relaxed);
    s.key.store(FREE, Relaxed);
}
