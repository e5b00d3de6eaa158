//! The one seam between the ring and whatever watches it. The ring calls
//! out here, and only here, when SQEs are published, when it enters the
//! kernel, when a CQE is handed to the program and when a ring is torn
//! down; a layer above (trace) installs the [`Hooks`] that answer. Kernel
//! rings without hooks pay one relaxed load and a predictable branch.
//!
//! Every hook takes the ring; an `enter` hook reaches the kernel, or the
//! userspace engine for an emulated ring, through
//! [`super::submit::backend_enter`].

use super::LiveRing;
use crate::sys::io_uring_cqe;
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicPtr, AtomicU8,
    Ordering::{Acquire, Relaxed, Release},
};

/// What an observer of rings answers each event with.
pub struct Hooks {
    /// The SQEs in `[from, to)` are about to be published (from != to).
    pub submitting: fn(ring: &LiveRing, from: u32, to: u32),
    /// io_uring_enter on `ring`, in place of the plain syscall; returns
    /// what the syscall returns. Unsafe as the syscall is: `arg` and `sz`
    /// must match `flags`.
    pub enter: unsafe fn(ring: &LiveRing, submit: u32, wait_nr: u32, flags: u32, arg: *const c_void, sz: usize) -> i32,
    /// `cqe`, a CQE of `ring` between its head and tail, goes to the program.
    pub reaped: fn(ring: &LiveRing, cqe: &io_uring_cqe),
    /// `ring` is about to be unmapped.
    pub exiting: fn(ring: &LiveRing),
}

/// Nonzero once hooks are installed. The inline fast paths in
/// include/liburing/inline.h read it too, and call into the library when
/// it is set.
#[unsafe(no_mangle)]
pub static io_uring_rs_hooks: AtomicU8 = AtomicU8::new(0);

static INSTALLED: AtomicPtr<Hooks> = AtomicPtr::new(ptr::null_mut());

/// Installs `hooks` for every ring from now on.
pub fn install(hooks: &'static Hooks) {
    INSTALLED.store(ptr::from_ref(hooks).cast_mut(), Release);
    io_uring_rs_hooks.store(1, Release);
}

/// Whether hooks are installed: the one branch kernel rings pay.
#[inline(always)]
pub fn on() -> bool {
    io_uring_rs_hooks.load(Relaxed) != 0
}

/// The installed hooks, if any. Each caller below reaches it through one
/// cold call, so the hot path around the branch keeps its registers.
fn installed() -> Option<&'static Hooks> {
    // SAFETY: INSTALLED is null or was stored from a `&'static Hooks`;
    // Acquire pairs with install's Release, so the pointee is visible.
    unsafe { INSTALLED.load(Acquire).as_ref() }
}

/// Tells the hooks that the SQEs in `[from, to)` are about to be published.
#[inline(always)]
pub fn submitting(ring: &LiveRing, from: u32, to: u32) {
    if on() && from != to {
        submitting_hooked(ring, from, to);
    }
}

#[cold]
#[inline(never)]
fn submitting_hooked(ring: &LiveRing, from: u32, to: u32) {
    if let Some(h) = installed() {
        (h.submitting)(ring, from, to);
    }
}

/// io_uring_enter through the hooks (call it only when [`on`]), or the
/// plain syscall if none are installed yet.
///
/// # Safety
/// `arg` and `sz` must match `flags`, as io_uring_enter(2) documents.
#[cold]
#[inline(never)]
pub unsafe fn enter(ring: &LiveRing, submit: u32, wait_nr: u32, flags: u32, arg: *const c_void, sz: usize) -> i32 {
    match installed() {
        // SAFETY: `arg` and `sz` match `flags` per this function's contract.
        Some(h) => unsafe { (h.enter)(ring, submit, wait_nr, flags, arg, sz) },
        // SAFETY: as above.
        None => unsafe { super::submit::backend_enter(ring, submit, wait_nr, flags, arg, sz) },
    }
}

/// Tells the hooks that `cqe` (NULL: nothing) goes to the program.
///
/// # Safety
/// `cqe` must be NULL or point to a CQE of `ring` between its head and
/// tail, made visible by the acquire load of the tail that found it.
#[inline(always)]
pub unsafe fn reaped(ring: &LiveRing, cqe: *const io_uring_cqe) {
    if on() && !cqe.is_null() {
        // SAFETY: non-null, and a visible CQE of `ring` per the contract.
        reaped_hooked(ring, unsafe { &*cqe });
    }
}

#[cold]
#[inline(never)]
fn reaped_hooked(ring: &LiveRing, cqe: &io_uring_cqe) {
    if let Some(h) = installed() {
        (h.reaped)(ring, cqe);
    }
}

/// Tells the hooks that `ring`, still live, is about to be torn down.
pub fn exiting(ring: &LiveRing) {
    if on()
        && let Some(h) = installed()
    {
        (h.exiting)(ring);
    }
}
