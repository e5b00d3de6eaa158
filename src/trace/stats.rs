//! The counters a C program can read for a ring (io_uring_rs_get_stats):
//! the struct it sees, and the snapshot that fills it from the table.

use super::key;
use super::names::ERRNO_COUNT;
use super::table;
use crate::ring::LiveRing;
use crate::sys::{Errno, Result};
use core::sync::atomic::Ordering::Relaxed;

/// The counters a program can read through io_uring_rs_get_stats. New
/// fields only ever go at the end; callers pass the size they know.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct io_uring_rs_stats {
    pub sqes: u64,
    pub sqes_by_opcode: [u64; 256],
    pub enters: u64,
    pub submitted: u64,
    pub submit_batches: u64,
    pub max_batch: u64,
    pub waits: u64,
    pub waited: u64,
    pub wait_ns: u64,
    pub cq_overflows: u64,
    pub cqes: u64,
    pub cqes_ok: u64,
    pub cqes_err: u64,
    pub cqes_by_errno: [u64; ERRNO_COUNT + 1],
    pub cqes_inline: u64,
}

/// A snapshot of the ring's counters; -EOPNOTSUPP when statistics are off.
pub fn stats_snapshot(ring: &LiveRing) -> Result<io_uring_rs_stats> {
    if super::on() & super::STATS == 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let get = |c: &core::sync::atomic::AtomicU64| c.load(Relaxed);
    let mut out = io_uring_rs_stats {
        sqes: 0,
        sqes_by_opcode: [0; 256],
        enters: 0,
        submitted: 0,
        submit_batches: 0,
        max_batch: 0,
        waits: 0,
        waited: 0,
        wait_ns: 0,
        cq_overflows: 0,
        cqes: 0,
        cqes_ok: 0,
        cqes_err: 0,
        cqes_by_errno: [0; ERRNO_COUNT + 1],
        cqes_inline: 0,
    };
    let Some(s) = table::find(key(ring)) else { return Ok(out) };
    let st = &s.stats;
    for (o, c) in out.sqes_by_opcode.iter_mut().zip(&st.sqes_by_op) {
        *o = get(c);
    }
    for (o, c) in out.cqes_by_errno.iter_mut().zip(&st.cqes_by_errno) {
        *o = get(c);
    }
    out.sqes = out.sqes_by_opcode.iter().sum();
    out.enters = get(&st.enters);
    out.submitted = get(&st.submitted);
    out.submit_batches = get(&st.submit_batches);
    out.max_batch = get(&st.max_batch);
    out.waits = get(&st.waits);
    out.waited = get(&st.waited);
    out.wait_ns = get(&st.wait_ns);
    out.cq_overflows = get(&st.overflow_flushes);
    out.cqes_ok = get(&st.cqes_ok);
    out.cqes_err = out.cqes_by_errno.iter().sum();
    out.cqes_inline = get(&st.cqes_inline);
    out.cqes = out.cqes_ok + out.cqes_err + out.cqes_inline;
    Ok(out)
}
