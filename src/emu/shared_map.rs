//! Arrays an emulated ring keeps in mappings of their own (the fixed file
//! and buffer tables, the overflowed CQEs). Each is MAP_SHARED, so one
//! mapped before fork() is the same in parent and child; one mapped after
//! is not in the other process's memory at all, so each carries a random
//! key after its slots, and a process that did not map it checks the key
//! before it trusts the address.

use crate::sys::{self, Result};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicBool, AtomicI32, AtomicU64,
    Ordering::{Acquire, Relaxed},
};

/// Where a ring keeps one array: its address (0: none), the process that
/// mapped it and the key it wrote after the slots. The slot count is the
/// caller's, as it varies (a table) or not (the overflow queue).
pub struct Where<'a> {
    pub addr: &'a core::sync::atomic::AtomicUsize,
    pub pid: &'a AtomicI32,
    pub key: &'a AtomicU64,
}

/// The bytes of an array of `nr` slots of `T`: the slots, then its key.
pub fn len<T>(nr: u32) -> usize {
    nr as usize * size_of::<T>() + size_of::<u64>()
}

/// A fresh mapping of `nr` zeroed slots of `T`, with `key` after them.
/// Pages are only backed once touched (MAP_NORESERVE), so a large array
/// costs address space until it is used.
pub fn map<T>(nr: u32, key: u64) -> Result<*mut T> {
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    let flags = libc::MAP_SHARED | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
    // SAFETY: a fresh anonymous shared mapping aliases nothing.
    let m = unsafe { sys::syscall::mmap(ptr::null_mut(), len::<T>(nr), prot, flags, -1, 0) }?;
    // SAFETY: the key's 8 bytes lie at the end of the fresh mapping,
    // aligned (slots are multiples of 8 bytes).
    unsafe { m.cast::<u8>().add(nr as usize * size_of::<T>()).cast::<u64>().write(key) };
    Ok(m.cast())
}

/// Unmaps an array of `nr` slots of `T` at `p`.
///
/// # Safety
/// `p` must be this process's mapping of such an array ([`map`], or
/// [`view`] said so), which nothing uses any more.
pub unsafe fn unmap<T>(p: *const T, nr: u32) {
    // SAFETY: the array's own mapping (contract).
    unsafe { sys::syscall::munmap(p as *mut c_void, len::<T>(nr)) };
}

/// A key for a new array: random, so that no other mapping holds it.
pub fn new_key() -> u64 {
    let mut k = 0u64;
    // SAFETY: getrandom writes at most 8 bytes into a local.
    let r = unsafe { libc::getrandom((&raw mut k).cast(), 8, libc::GRND_NONBLOCK) };
    if r == 8 { k } else { super::wait::now() as u64 ^ 0x9e37_79b9_7f4a_7c15 }
}

/// The array `w` names, of `nr` slots, if it is in this process's memory:
/// mapped here, or found with its key at its address.
pub fn view<'a, T>(w: &Where, nr: u32) -> Option<&'a [T]> {
    // Acquire: pairs with the Release that published the array (and its
    // owner and key before it).
    let p = w.addr.load(Acquire) as *const T;
    if p.is_null() {
        return None;
    }
    if w.pid.load(Relaxed) != my_pid() {
        let mut k = 0u64;
        let at = p as u64 + (nr as usize * size_of::<T>()) as u64;
        if !super::copies::read(at, (&raw mut k).cast(), 8) || k != w.key.load(Relaxed) {
            return None;
        }
    }
    // SAFETY: a live mapping of `nr` slots ([`map`]), here too (checked
    // above unless this process mapped it), unmapped only after it was
    // unpublished.
    Some(unsafe { core::slice::from_raw_parts(p, nr as usize) })
}

/// This process's id, kept until a fork() (pthread_atfork clears it), as
/// every use of a shared array asks for it.
static PID: AtomicI32 = AtomicI32::new(0);
static AT_FORK: AtomicBool = AtomicBool::new(false);

extern "C" fn forked() {
    // Relaxed: the child has one thread when pthread_atfork calls this.
    PID.store(0, Relaxed);
}

pub fn my_pid() -> i32 {
    // Relaxed: every thread that fills the cache writes the same value.
    let p = PID.load(Relaxed);
    if p != 0 {
        return p;
    }
    // Relaxed: only says whether the handler was registered, once.
    if !AT_FORK.swap(true, Relaxed) {
        // SAFETY: registers a plain extern "C" fn for children.
        unsafe { libc::pthread_atfork(None, None, Some(forked)) };
    }
    // SAFETY: getpid has no preconditions.
    let p = unsafe { libc::getpid() };
    PID.store(p, Relaxed);
    p
}
