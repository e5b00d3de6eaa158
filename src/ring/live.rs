//! [`LiveRing`] and [`Live`]: the proof that a ring is set up, which the
//! core's entry points ask for instead of a bare `io_uring`.

use super::types::io_uring;
use crate::sys::{Errno, Result};
use core::ops::{Deref, DerefMut};
use core::ptr;

/// A `struct io_uring` known to be set up: every `k*`, `array`, `sqes` and
/// `cqes` pointer aims into the mappings its setup (or resize) made, sized
/// by its `ring_entries`. That is what the core's `// SAFETY:` comments
/// rely on when they read the kernel's words through those pointers.
///
/// Only [`LiveRing::check`] and [`Live`] make one, after checking
/// [`io_uring::is_live`]; a C program promises that a struct it passes is
/// one liburing's setup filled (or zeroed, or exited), as liburing asks.
/// Code holding a `&mut LiveRing` keeps the pointers true (resize swaps
/// them for new mappings in one go; only exit, on a plain `io_uring`,
/// clears them).
#[repr(transparent)]
pub struct LiveRing(io_uring);

impl LiveRing {
    /// Checks a ring that is only read: -EBADF when not set up.
    #[inline(always)]
    pub fn check(ring: &io_uring) -> Result<&LiveRing> {
        if !ring.is_live() {
            return Err(Errno::EBADF);
        }
        // SAFETY: LiveRing is a transparent wrapper of io_uring: same layout,
        // and the borrow keeps its lifetime.
        Ok(unsafe { &*ptr::from_ref(ring).cast::<LiveRing>() })
    }
}

impl Deref for LiveRing {
    type Target = io_uring;

    #[inline(always)]
    fn deref(&self) -> &io_uring {
        &self.0
    }
}

impl DerefMut for LiveRing {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut io_uring {
        &mut self.0
    }
}

/// A [`LiveRing`] borrowed exclusively for `'a`. [`Live::new`] (or
/// [`Live::from_mut`]) is the only way to make one and does the checks;
/// the C layer calls it on every ring a program passes, so no core
/// function that takes a `Live` can run on a NULL, zeroed or exited ring.
pub struct Live<'a>(&'a mut LiveRing);

impl<'a> Live<'a> {
    /// Checks a ring from C: -EFAULT when NULL, -EBADF when not set up
    /// (zeroed, or after io_uring_queue_exit).
    ///
    /// # Safety
    /// `ring` must be NULL or point to a `struct io_uring` not otherwise
    /// borrowed for `'a`.
    #[inline(always)]
    pub unsafe fn new(ring: *mut io_uring) -> Result<Live<'a>> {
        // SAFETY: `ring` is NULL or a struct io_uring borrowed by nothing else
        // for 'a, per this function's contract.
        unsafe { ring.as_mut() }.map_or(Err(Errno::EFAULT), Live::from_mut)
    }

    /// As [`Live::new`], for a ring already borrowed: one the library set
    /// up itself (the probe's), or a test's.
    #[inline(always)]
    pub fn from_mut(ring: &'a mut io_uring) -> Result<Live<'a>> {
        if !ring.is_live() {
            return Err(Errno::EBADF);
        }
        // SAFETY: as in LiveRing::check, for an exclusive borrow.
        Ok(Live(unsafe { &mut *ptr::from_mut(ring).cast::<LiveRing>() }))
    }
}

impl Deref for Live<'_> {
    type Target = LiveRing;

    #[inline(always)]
    fn deref(&self) -> &LiveRing {
        self.0
    }
}

impl DerefMut for Live<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut LiveRing {
        self.0
    }
}
