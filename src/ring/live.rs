//! [`Live`]: the proof that a ring is set up, which the core's entry points
//! ask for instead of a bare `&mut io_uring`.

use super::types::io_uring;
use crate::sys::{Errno, Result};
use core::ops::{Deref, DerefMut};

/// A `struct io_uring` known to be set up (its rings mapped), borrowed
/// exclusively for `'a`. [`Live::new`] is the only way to make one and
/// does the checks; the C layer calls it on every ring a program passes,
/// so no core function that takes a `Live` can run on a NULL, zeroed or
/// exited ring.
pub struct Live<'a>(&'a mut io_uring);

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
        if ring.is_live() { Ok(Live(ring)) } else { Err(Errno::EBADF) }
    }
}

impl Deref for Live<'_> {
    type Target = io_uring;

    #[inline(always)]
    fn deref(&self) -> &io_uring {
        self.0
    }
}

impl DerefMut for Live<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut io_uring {
        self.0
    }
}
