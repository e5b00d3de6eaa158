//! A futex lock: 0 free, 1 held, 2 held with waiters. The word may live in
//! a ring's shared region, so the futex calls are not FUTEX_PRIVATE and a
//! holder in another process excludes us too.

use crate::sys;
use core::sync::atomic::{
    AtomicU32,
    Ordering::{Acquire, Relaxed, Release},
};

/// Holds the lock on its word until dropped.
pub struct Locked<'a>(&'a AtomicU32);

impl<'a> Locked<'a> {
    pub fn new(word: &'a AtomicU32) -> Self {
        // Acquire: what the previous holder wrote is visible to us.
        if word.compare_exchange(0, 1, Acquire, Relaxed).is_err() {
            while word.swap(2, Acquire) != 0 {
                futex(word, libc::FUTEX_WAIT, 2);
            }
        }
        Locked(word)
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        // Release: our writes are visible to the next holder.
        if self.0.swap(0, Release) == 2 {
            futex(self.0, libc::FUTEX_WAKE, 1);
        }
    }
}

/// FUTEX_WAIT (while the word is `val`) or FUTEX_WAKE (`val` waiters).
pub fn futex(word: &AtomicU32, op: i32, val: u32) {
    let args = [word.as_ptr() as usize, op as usize, val as usize, 0, 0, 0];
    // SAFETY: the word outlives the call; no timeout or second word is passed.
    unsafe { sys::syscall::syscall(libc::SYS_futex, args) };
}
