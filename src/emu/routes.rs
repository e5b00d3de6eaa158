//! Which fds are emulated rings' ring fds. A program may call liburing's
//! syscall wrappers (io_uring_enter, io_uring_register) on `ring->ring_fd`
//! itself; for an emulated ring that fd is an eventfd, and this table
//! sends the call to the engine instead. Kernel rings pay one load of a
//! null pointer until a process emulates a ring.

use super::lock::Locked;
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicPtr, AtomicU32, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed},
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

/// Held while a request uses another ring found here (MSG_RING), and by
/// [`remove`]: once a ring's fd is removed, no such use is left, and its
/// teardown may unmap it (the kernel holds a file reference instead).
static IN_USE: AtomicU32 = AtomicU32::new(0);

/// Forgets ring fd `fd` if it still routes to `rings` (the program may
/// have closed it, and the number gone to another ring), waiting out any
/// request using the ring.
pub fn remove(fd: i32, rings: *mut c_void) {
    if let Some(slot) = table().and_then(|t| t.get(fd as usize)) {
        let _l = Locked::new(&IN_USE);
        let _ = slot.compare_exchange(rings as usize, 0, Relaxed, Relaxed);
    }
}

/// Runs `f` on the rings of the emulated ring whose ring fd is `fd`, which
/// stay mapped until it returns; None when `fd` is no such ring's.
pub fn with_ring<T>(fd: u32, f: impl FnOnce(*mut c_void) -> T) -> Option<T> {
    let _l = Locked::new(&IN_USE);
    rings_of(fd).map(f)
}

/// The emulated ring whose ring fd is `fd`, if any.
#[inline(always)]
pub fn rings_of(fd: u32) -> Option<*mut c_void> {
    let r = table()?.get(fd as usize)?.load(Relaxed);
    (r != 0).then_some(r as *mut c_void)
}
