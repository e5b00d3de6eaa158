//! Tracing and statistics for any program, switched on by the environment:
//! URING_RS_TRACE=1 (stderr) or =/path prints every SQE the library submits
//! and every CQE it hands out; URING_RS_STATS=1 prints a summary per ring at
//! io_uring_queue_exit (or at process exit). The variables are read once, at
//! the first ring set-up. Off, each hook costs one relaxed load and branch.

pub(crate) mod line;
mod names;
mod print;
mod table;

pub use print::{io_uring_rs_stats, stats_snapshot};

use crate::ring::io_uring;
use crate::sys::io_uring_cqe;
use core::ffi::CStr;
use core::sync::atomic::{
    AtomicU8,
    Ordering::{Acquire, Relaxed, Release},
};

/// Nonzero while tracing or statistics need to see every SQE and reap. The
/// inline fast paths in include/liburing/inline.h read it too, and call
/// into the library when it is set.
#[unsafe(no_mangle)]
pub static io_uring_rs_hooks: AtomicU8 = AtomicU8::new(0);

const TRACE: u8 = 1;
const STATS: u8 = 2;

#[inline(always)]
fn hooks() -> u8 {
    io_uring_rs_hooks.load(Relaxed)
}

/// Whether tracing or statistics are on at all.
#[inline(always)]
pub fn hooked() -> bool {
    hooks() != 0
}

/// Where reading the environment stands: unread, being read, read.
static ENV_STATE: AtomicU8 = AtomicU8::new(UNREAD);
const UNREAD: u8 = 0;
const READING: u8 = 1;
const READ: u8 = 2;

/// Reads URING_RS_TRACE and URING_RS_STATS, once per process: the first
/// caller reads them, and any caller racing it waits until it has.
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
    io_uring_rs_hooks.store(on, Relaxed);
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

/// Called with the SQEs in `[from, to)` just before they are published.
#[inline(always)]
pub fn on_submit(ring: &io_uring, from: u32, to: u32) {
    if hooks() != 0 && from != to {
        print::submitted(ring, from, to, hooks() & TRACE != 0);
    }
}

/// Whether statistics want to see every io_uring_enter: then the library
/// enters through [`enter_counted`] instead of straight away.
#[inline(always)]
pub fn counting_enters() -> bool {
    hooks() & STATS != 0
}

/// io_uring_enter with its statistics recorded, out of the hot path.
///
/// # Safety
/// As for the io_uring_enter syscall: `arg` and `sz` must match `flags`.
#[cold]
#[inline(never)]
pub unsafe fn enter_counted(
    ring: &io_uring,
    submit: u32,
    wait_nr: u32,
    flags: u32,
    arg: *const core::ffi::c_void,
    sz: usize,
) -> i32 {
    let pre = print::pre_enter(ring, wait_nr);
    // SAFETY: forwarded from the caller's contract.
    let ret =
        unsafe { crate::sys::syscall::io_uring_enter(ring.enter_ring_fd as u32, submit, wait_nr, flags, arg, sz) };
    print::entered(ring, pre, submit, wait_nr, flags, ret);
    ret
}

/// Called when the library hands `cqe` to the program.
///
/// # Safety
/// `cqe` must be NULL or a CQE of `ring` between its head and tail.
#[inline(always)]
pub unsafe fn on_reap(ring: &io_uring, cqe: *const io_uring_cqe) {
    if hooks() != 0 && !cqe.is_null() {
        // SAFETY: the caller's contract; the reap's acquire made it visible.
        print::reaped(ring, unsafe { &*cqe }, hooks() & TRACE != 0);
    }
}

/// Called by io_uring_queue_exit before the ring goes away.
pub fn on_exit(ring: &io_uring) {
    if hooks() != 0 {
        print::exited(ring, hooks() & STATS != 0);
    }
}
