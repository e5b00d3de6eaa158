//! Tracing and statistics for any program, switched on by the environment:
//! URING_RS_TRACE=1 (stderr) or =/path prints every SQE the library submits
//! and every CQE it hands out; URING_RS_STATS=1 prints a summary per ring at
//! io_uring_queue_exit (or at process exit). The variables are read once, at
//! the first ring set-up. The records are made through the ring's hooks
//! (`crate::ring::hooks`), which this module installs; off, each costs the
//! ring one relaxed load and branch.

pub(crate) mod line;
mod names;
mod print;
mod stats;
mod table;

pub use stats::{io_uring_rs_stats, stats_snapshot};

use crate::ring::hooks::{self, Hooks};
use crate::ring::{LiveRing, io_uring};
use crate::sys::io_uring_cqe;
use core::ffi::{CStr, c_void};
use core::sync::atomic::{
    AtomicU8,
    Ordering::{Acquire, Relaxed, Release},
};

/// What is switched on: TRACE, STATS or both; 0 until [`init`] found either.
static ON: AtomicU8 = AtomicU8::new(0);
const TRACE: u8 = 1;
const STATS: u8 = 2;

#[inline(always)]
fn on() -> u8 {
    ON.load(Relaxed)
}

/// Where reading the environment stands: unread, being read, read.
static ENV_STATE: AtomicU8 = AtomicU8::new(UNREAD);
const UNREAD: u8 = 0;
const READING: u8 = 1;
const READ: u8 = 2;

/// Reads URING_RS_TRACE and URING_RS_STATS, once per process, and installs
/// the ring hooks if either is on: the first caller reads them, and any
/// caller racing it waits until it has. The C layer calls it before setting
/// a ring up.
#[inline(always)]
pub fn init() {
    // Acquire/Release: whoever sees READ also sees the hooks and the sink.
    if ENV_STATE.load(Acquire) != READ {
        read_env();
    }
}

/// The first call's work for [`init`].
#[cold]
#[inline(never)]
fn read_env() {
    if ENV_STATE.compare_exchange(UNREAD, READING, Acquire, Acquire).is_err() {
        while ENV_STATE.load(Acquire) != READ {
            core::hint::spin_loop();
        }
        return;
    }
    let mut on = 0;
    if let Some(v) = switched_on(c"URING_RS_TRACE") {
        on |= TRACE;
        if v.to_bytes() != b"1" {
            line::open_sink(v);
        }
    }
    if switched_on(c"URING_RS_STATS").is_some() {
        on |= STATS;
        // SAFETY: registering a plain extern "C" fn with atexit.
        unsafe { libc::atexit(print::report_all) };
    }
    ON.store(on, Relaxed);
    if on != 0 {
        hooks::install(&HOOKS);
    }
    ENV_STATE.store(READ, Release);
}

/// The value of environment variable `name` unless it is unset, empty or "0".
fn switched_on(name: &CStr) -> Option<&'static CStr> {
    // SAFETY: `name` is NUL-terminated; the environment is not modified
    // here, and a program that changes it while setting up rings on another
    // thread races getenv in any C library too.
    let v = unsafe { libc::getenv(name.as_ptr()) };
    if v.is_null() {
        return None;
    }
    // SAFETY: getenv returned a NUL-terminated string that stays valid
    // until the environment changes.
    let v = unsafe { CStr::from_ptr(v) };
    (!v.is_empty() && v.to_bytes() != b"0").then_some(v)
}

/// A ring's key in the per-process table: its SQE array's address, stable
/// for the ring's life here and unique among live rings.
fn key(ring: &io_uring) -> i64 {
    ring.sq.sqes as i64
}

/// The fd a trace line names the ring by.
fn label(ring: &io_uring) -> i32 {
    if ring.ring_fd >= 0 { ring.ring_fd } else { ring.enter_ring_fd }
}

/// The answers to the ring's hooks.
static HOOKS: Hooks = Hooks { submitting, enter, reaped, exiting };

fn submitting(ring: &LiveRing, from: u32, to: u32) {
    print::submitted(ring, from, to, on() & TRACE != 0);
}

/// io_uring_enter, with its statistics recorded when they are on.
///
/// # Safety
/// As for the io_uring_enter syscall: `arg` and `sz` must match `flags`.
unsafe fn enter(ring: &LiveRing, submit: u32, wait_nr: u32, flags: u32, arg: *const c_void, sz: usize) -> i32 {
    use crate::ring::submit::backend_enter;
    if on() & STATS == 0 {
        // SAFETY: `arg` and `sz` match `flags` per this function's contract.
        return unsafe { backend_enter(ring, submit, wait_nr, flags, arg, sz) };
    }
    let pre = print::pre_enter(ring, wait_nr);
    // SAFETY: as above.
    let ret = unsafe { backend_enter(ring, submit, wait_nr, flags, arg, sz) };
    print::entered(ring, pre, submit, wait_nr, flags, ret);
    ret
}

fn reaped(ring: &LiveRing, cqe: &io_uring_cqe) {
    print::reaped(ring, cqe, on() & TRACE != 0);
}

fn exiting(ring: &LiveRing) {
    print::exited(ring, on() & STATS != 0);
}
