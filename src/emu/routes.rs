//! Which fds are emulated rings' ring fds. A program may call liburing's
//! syscall wrappers (io_uring_enter, io_uring_register) on `ring->ring_fd`
//! itself; for an emulated ring that fd is an eventfd, and this table
//! sends the call to the engine instead. Kernel rings pay one load of a
//! null pointer until a process emulates a ring.

use super::ctrl::Ctrl;
use super::lock::Locked;
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicPtr, AtomicU32, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed, Release},
};

/// Fds below this are routed (the table is virtual memory, touched only
/// where fds are); a ring fd past it is reachable through the ring only.
const SLOTS: usize = 1 << 16;

/// The table: for each fd, its emulated ring's rings, or 0.
static TABLE: AtomicPtr<AtomicUsize> = AtomicPtr::new(ptr::null_mut());

fn table() -> Option<&'static [AtomicUsize]> {
    // Acquire: pairs with the install below, so the zeroed mapping is seen.
    let t = TABLE.load(Acquire);
    // SAFETY: a non-null table is a live mapping of SLOTS words, never unmapped.
    (!t.is_null()).then(|| unsafe { core::slice::from_raw_parts(t, SLOTS) })
}

/// The table, mapped on first use; None when mapping fails.
fn table_or_map() -> Option<&'static [AtomicUsize]> {
    if let Some(t) = table() {
        return Some(t);
    }
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
    let len = SLOTS * size_of::<AtomicUsize>();
    // SAFETY: a fresh anonymous mapping aliases nothing.
    let m = unsafe { crate::sys::syscall::mmap(ptr::null_mut(), len, prot, flags, -1, 0) }.ok()?;
    if let Err(_other) = TABLE.compare_exchange(ptr::null_mut(), m.cast(), AcqRel, Acquire) {
        // Another thread mapped it first: use theirs.
        // SAFETY: our own mapping, never published.
        unsafe { crate::sys::syscall::munmap(m, len) };
    }
    table()
}

/// Routes ring fd `fd` to the emulated ring at `rings`.
pub fn add(fd: i32, rings: *mut c_void) {
    if let Some(slot) = table_or_map().and_then(|t| t.get(fd as usize)) {
        // Relaxed: the ring was set up in this thread before its fd was
        // handed out; another thread learns the fd through the program.
        slot.store(rings as usize, Relaxed);
    }
}

/// Guards looking a ring up and pinning it ([`pin`]) against its
/// teardown forgetting its fd ([`remove`]).
static LOCK: AtomicU32 = AtomicU32::new(0);

/// Forgets ring fd `fd` if it still routes to `rings` (the program may
/// have closed it, and the number gone to another ring). Once this
/// returns, no new [`pin`] finds the ring through it.
pub fn remove(fd: i32, rings: *mut c_void) {
    let _l = Locked::new(&LOCK);
    if let Some(slot) = table().and_then(|t| t.get(fd as usize)) {
        let _ = slot.compare_exchange(rings as usize, 0, Relaxed, Relaxed);
    }
}

/// The emulated ring whose ring fd is `fd`, pinned: it is not unmapped
/// until [`unpin`] (its teardown waits), as the kernel holds a reference
/// to a ring another one posts into.
pub fn pin<'a>(fd: u32) -> Option<&'a Ctrl> {
    let _l = Locked::new(&LOCK);
    // SAFETY: a routed fd names a live emulated ring's rings; under LOCK,
    // its teardown has not forgotten it yet, and waits for the pin.
    let c = unsafe { Ctrl::of(rings_of(fd)?) };
    // Relaxed: LOCK orders it against remove, which teardown runs first.
    c.pins.fetch_add(1, Relaxed);
    Some(c)
}

/// Drops a [`pin`].
pub fn unpin(c: &Ctrl) {
    // Release: our use of the ring happens before its teardown goes on.
    if c.pins.fetch_sub(1, Release) == 1 {
        super::lock::futex(&c.pins, libc::FUTEX_WAKE, i32::MAX as u32);
    }
}

/// Waits until ring `c`'s pins are dropped (its fd forgotten first).
pub fn wait_unpinned(c: &Ctrl) {
    loop {
        // Acquire: pairs with unpin's release.
        let n = c.pins.load(Acquire);
        if n == 0 {
            break;
        }
        super::lock::futex(&c.pins, libc::FUTEX_WAIT, n);
    }
}

/// The emulated ring whose ring fd is `fd`, if any.
#[inline(always)]
pub fn rings_of(fd: u32) -> Option<*mut c_void> {
    let r = table()?.get(fd as usize)?.load(Relaxed);
    (r != 0).then_some(r as *mut c_void)
}
