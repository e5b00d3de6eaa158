//! What the hooks record and print: SQE and CQE lines, enter statistics,
//! and the per-ring summary.

use super::line::Line;
use super::names::{self, ERRNO_COUNT};
use super::table::{self, Slot};
use super::{key, label};
use crate::ring::setup::sqe_shift;
use crate::ring::{LiveRing, int_flags};
use crate::sys::{cqe_flags, enter, io_uring_cqe, io_uring_sqe, op, setup, sqe_flags};
use core::fmt::Write;
use core::sync::atomic::Ordering::Relaxed;

/// The table slot of `ring`, claimed on first use.
fn slot_of(ring: &LiveRing) -> Option<&'static Slot> {
    table::slot(key(ring), label(ring), ring.cq.khead, ring.int_flags & int_flags::EMULATED != 0)
}

/// Says, once per ring, that the userspace engine serves it.
fn note_emulated(s: &Slot) {
    if s.emulated.compare_exchange(1, 2, Relaxed, Relaxed).is_ok() {
        let mut l = Line::new();
        let ring = s.label.load(Relaxed);
        let _ = write!(l, "[ring {ring}] note: emulated by the userspace engine (URING_RS_EMULATE)");
        l.emit();
    }
}

/// Counts the CQEs the program consumed itself (inline) up to CQ `head`.
fn count_inline(s: &Slot, head: u32) {
    let gap = head.wrapping_sub(s.next_cqe.load(Relaxed)) as i32;
    if gap > 0 {
        s.stats.cqes_inline.fetch_add(gap as u64, Relaxed);
        s.next_cqe.store(head, Relaxed);
    }
}

#[cold]
#[inline(never)]
pub fn submitted(ring: &LiveRing, from: u32, to: u32, trace: bool) {
    let slot = slot_of(ring);
    if let Some(s) = slot.filter(|_| trace) {
        note_emulated(s);
    }
    let shift = sqe_shift(ring.flags);
    let mut pos = from;
    while pos != to {
        // SAFETY: the ring is live, so sqes holds its ring_entries SQEs (of
        // 1 << shift slots each); the masked index stays inside, and the
        // SQEs in [from, to) are prepared and not yet the kernel's.
        let sqe = unsafe { &*ring.sq.sqes.add(((pos & ring.sq.ring_mask) << shift) as usize) };
        if let Some(s) = slot {
            s.stats.sqes_by_op[sqe.opcode as usize].fetch_add(1, Relaxed);
        }
        if trace {
            sqe_line(label(ring), sqe);
        }
        let wide = ring.flags & setup::SQE_MIXED != 0 && matches!(sqe.opcode, op::NOP128 | op::URING_CMD128);
        pos = pos.wrapping_add(1 + wide as u32);
    }
}

fn sqe_line(ring: i32, sqe: &io_uring_sqe) {
    let mut l = Line::new();
    let _ = (|| -> core::fmt::Result {
        write!(l, "[ring {ring}] sqe ")?;
        names::opcode(&mut l, sqe.opcode)?;
        if sqe.flags & sqe_flags::FIXED_FILE != 0 {
            write!(l, " fixed={}", sqe.fd)?;
        } else {
            write!(l, " fd={}", sqe.fd)?;
        }
        let buf = matches!(sqe.opcode, op::READ | op::WRITE | op::READ_FIXED | op::WRITE_FIXED | op::SEND | op::RECV);
        write!(l, " off={} len={} {}={:#x}", sqe.off, sqe.len, if buf { "buf" } else { "addr" }, sqe.addr)?;
        if let Some((field, bits, table)) = names::op_flags(sqe.opcode, sqe.op_flags, sqe.ioprio) {
            write!(l, " {field}=")?;
            names::flags(&mut l, bits, table)?;
        }
        l.write_str(" flags=")?;
        names::sqe_flags(&mut l, sqe.flags)?;
        if sqe.flags & sqe_flags::BUFFER_SELECT != 0 {
            write!(l, " buf_group={}", sqe.buf_index)?;
        }
        if sqe.personality != 0 {
            write!(l, " personality={}", sqe.personality)?;
        }
        write!(l, " user_data={:#x}", sqe.user_data)
    })();
    l.emit();
}

/// State captured before an io_uring_enter, when statistics are on.
pub struct PreEnter {
    started: Option<u64>,
    overflow: bool,
}

pub fn pre_enter(ring: &LiveRing, wait_nr: u32) -> PreEnter {
    PreEnter { started: (wait_nr != 0).then(monotonic_ns), overflow: crate::ring::complete::cq_has_overflow(ring) }
}

pub fn entered(ring: &LiveRing, pre: PreEnter, submit: u32, wait_nr: u32, flags: u32, ret: i32) {
    let Some(s) = slot_of(ring) else { return };
    let st = &s.stats;
    st.enters.fetch_add(1, Relaxed);
    if submit != 0 && ret > 0 {
        st.submitted.fetch_add(ret as u64, Relaxed);
        st.submit_batches.fetch_add(1, Relaxed);
        st.max_batch.fetch_max(ret as u64, Relaxed);
    }
    if flags & enter::GETEVENTS != 0 && wait_nr != 0 {
        st.waits.fetch_add(1, Relaxed);
        st.waited.fetch_add(wait_nr as u64, Relaxed);
    }
    if let Some(t) = pre.started {
        st.wait_ns.fetch_add(monotonic_ns().wrapping_sub(t), Relaxed);
    }
    if pre.overflow {
        st.overflow_flushes.fetch_add(1, Relaxed);
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write; CLOCK_MONOTONIC cannot fail.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The CQ position (head-relative counter value) of `cqe`, which lies
/// within one ring's length past the head.
fn cqe_pos(ring: &LiveRing, cqe: &io_uring_cqe) -> u32 {
    // SAFETY: the ring is live, so khead points at its CQ header; only this
    // process writes it, and the load is atomic.
    let head = unsafe { crate::ring::shared::load_relaxed(ring.cq.khead) };
    // Addresses only, no pointer arithmetic: the hook's contract puts `cqe`
    // in the ring's CQE array, and a wrong one only makes a wrong count.
    let bytes = (cqe as *const io_uring_cqe as usize).wrapping_sub(ring.cq.cqes as usize);
    let slot = (bytes / size_of::<io_uring_cqe>()) as u32 >> crate::ring::setup::cqe_shift(ring.flags);
    head.wrapping_add(slot.wrapping_sub(head & ring.cq.ring_mask) & ring.cq.ring_mask)
}

#[cold]
#[inline(never)]
pub fn reaped(ring: &LiveRing, cqe: &io_uring_cqe, trace: bool) {
    let Some(s) = slot_of(ring) else { return };
    let pos = cqe_pos(ring, cqe);
    let next = s.next_cqe.load(Relaxed);
    let ahead = pos.wrapping_sub(next) as i32;
    if ahead < 0 {
        return; // printed when it was handed out before
    }
    if ahead > 0 {
        // The program consumed these itself, with inline code we never ran.
        s.stats.cqes_inline.fetch_add(ahead as u64, Relaxed);
        if trace && s.noted_inline.swap(1, Relaxed) == 0 {
            note_inline(label(ring));
        }
    }
    s.next_cqe.store(pos.wrapping_add(crate::ring::complete::cqe_nr(cqe)), Relaxed);
    if cqe.res >= 0 {
        s.stats.cqes_ok.fetch_add(1, Relaxed);
    } else {
        let e = (cqe.res.unsigned_abs() as usize).min(ERRNO_COUNT);
        s.stats.cqes_by_errno[e].fetch_add(1, Relaxed);
    }
    if trace {
        cqe_line(label(ring), cqe);
    }
}

fn note_inline(ring: i32) {
    let mut l = Line::new();
    let _ = write!(l, "[ring {ring}] note: CQEs consumed by the program's inline code are counted, not printed");
    l.emit();
}

fn cqe_line(ring: i32, cqe: &io_uring_cqe) {
    let mut l = Line::new();
    let _ = (|| -> core::fmt::Result {
        write!(l, "[ring {ring}] cqe user_data={:#x} res={}", cqe.user_data, cqe.res)?;
        if cqe.res < 0 {
            l.write_str(" (")?;
            names::errno(&mut l, cqe.res.unsigned_abs())?;
            l.write_str(")")?;
        }
        l.write_str(" flags=")?;
        names::cqe_flags(&mut l, cqe.flags)?;
        if cqe.flags & cqe_flags::BUFFER != 0 {
            write!(l, " bid={}", cqe.flags >> cqe_flags::BUFFER_SHIFT)?;
        }
        Ok(())
    })();
    l.emit();
}

pub fn exited(ring: &LiveRing, stats: bool) {
    let Some(s) = table::find(key(ring)) else { return };
    // SAFETY: the ring is live (exit calls the hook before unmapping), so
    // khead points at its CQ header; the load is atomic.
    count_inline(s, unsafe { crate::ring::shared::load_relaxed(ring.cq.khead) });
    if stats {
        summary(s);
    }
    table::release(s);
}

/// Prints the summary of every ring still open, at process exit.
pub extern "C" fn report_all() {
    for (_, s) in table::in_use() {
        let head = s.cq_head.load(Relaxed) as *const u32;
        if !head.is_null() {
            // SAFETY: the ring was never exited, so its mapping is still in
            // place while the process exits.
            count_inline(s, unsafe { crate::ring::shared::load_relaxed(head) });
        }
        summary(s);
    }
}

fn summary(s: &Slot) {
    note_emulated(s);
    let ring = s.label.load(Relaxed);
    let st = &s.stats;
    let get = |c: &core::sync::atomic::AtomicU64| c.load(Relaxed);

    let mut l = Line::new();
    let total: u64 = st.sqes_by_op.iter().map(get).sum();
    let _ = write!(l, "[ring {ring}] stats: sqes={total}");
    for (opcode, c) in st.sqes_by_op.iter().enumerate() {
        let n = get(c);
        if n != 0 {
            let _ = l.write_char(' ');
            let _ = names::opcode(&mut l, opcode as u8);
            let _ = write!(l, "={n}");
        }
    }
    l.emit();

    let mut l = Line::new();
    let (batches, submitted) = (get(&st.submit_batches), get(&st.submitted));
    let mean = if batches == 0 { 0.0 } else { submitted as f64 / batches as f64 };
    let _ = write!(
        l,
        "[ring {ring}] stats: enters={} submitted={submitted} batch_mean={mean:.2} batch_max={} \
         waits={} waited={} wait_us={}",
        get(&st.enters),
        get(&st.max_batch),
        get(&st.waits),
        get(&st.waited),
        get(&st.wait_ns) / 1000
    );
    l.emit();

    let mut l = Line::new();
    let errs: u64 = st.cqes_by_errno.iter().map(get).sum();
    let ok = get(&st.cqes_ok);
    let _ = write!(
        l,
        "[ring {ring}] stats: cq_overflows={} cqes={} ok={ok}",
        get(&st.overflow_flushes),
        ok + errs + get(&st.cqes_inline)
    );
    for (e, c) in st.cqes_by_errno.iter().enumerate() {
        let n = get(c);
        if n != 0 {
            let _ = l.write_char(' ');
            let _ = names::errno(&mut l, e as u32);
            let _ = write!(l, "={n}");
        }
    }
    let _ = write!(l, " inline={}", get(&st.cqes_inline));
    l.emit();
}
