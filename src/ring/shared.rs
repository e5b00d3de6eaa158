//! Access to the words the kernel shares with us. Every touch of such a word
//! goes through an atomic here, with the ordering liburing uses.

use core::sync::atomic::{AtomicU16, AtomicU32, Ordering, fence};

/// Loads a kernel-written index, pairing with the kernel's release store so
/// that the entries it covers are visible.
///
/// # Safety
/// `p` must be a valid, aligned pointer into a live ring mapping.
#[inline(always)]
pub unsafe fn load_acquire(p: *const u32) -> u32 {
    // SAFETY: the caller guarantees `p` is valid and aligned for a u32.
    unsafe { AtomicU32::from_ptr(p as *mut u32) }.load(Ordering::Acquire)
}

/// Loads a shared word with no ordering: only its value matters.
///
/// # Safety
/// As for [`load_acquire`].
#[inline(always)]
pub unsafe fn load_relaxed(p: *const u32) -> u32 {
    // SAFETY: the caller guarantees `p` is valid and aligned for a u32.
    unsafe { AtomicU32::from_ptr(p as *mut u32) }.load(Ordering::Relaxed)
}

/// Publishes an index, ordering all earlier writes (SQE contents, CQE reads)
/// before it.
///
/// # Safety
/// As for [`load_acquire`].
#[inline(always)]
pub unsafe fn store_release(p: *mut u32, v: u32) {
    // SAFETY: the caller guarantees `p` is valid and aligned for a u32.
    unsafe { AtomicU32::from_ptr(p) }.store(v, Ordering::Release)
}

/// Stores a shared word with no ordering, where a later syscall orders it.
///
/// # Safety
/// As for [`load_acquire`].
#[inline(always)]
pub unsafe fn store_relaxed(p: *mut u32, v: u32) {
    // SAFETY: the caller guarantees `p` is valid and aligned for a u32.
    unsafe { AtomicU32::from_ptr(p) }.store(v, Ordering::Relaxed)
}

/// Publishes a 16-bit index (buffer ring tails) with release ordering.
///
/// # Safety
/// `p` must be a valid, aligned pointer to a u16 shared with the kernel.
#[inline(always)]
pub unsafe fn store_release_u16(p: *mut u16, v: u16) {
    // SAFETY: the caller guarantees `p` is valid and aligned for a u16.
    unsafe { AtomicU16::from_ptr(p) }.store(v, Ordering::Release)
}

/// A full barrier: our tail store must be visible before we read the
/// kernel's NEED_WAKEUP flag, or an SQPOLL thread could sleep on new work.
#[inline(always)]
pub fn full_fence() {
    fence(Ordering::SeqCst)
}

/// Loads a 16-bit index we own but the kernel reads (buffer ring tails).
///
/// # Safety
/// `p` must be a valid, aligned pointer to a u16 shared with the kernel.
#[inline(always)]
pub unsafe fn load_relaxed_u16(p: *const u16) -> u16 {
    // SAFETY: the caller guarantees `p` is valid and aligned for a u16.
    unsafe { AtomicU16::from_ptr(p as *mut u16) }.load(Ordering::Relaxed)
}
