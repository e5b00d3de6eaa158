//! The `extern "C"` surface. Each function checks its arguments, calls the
//! core, and turns `Errno` into `-errno`; nothing else happens here.
//!
//! Conventions (the bad-input table in the README lists them per function):
//! a NULL ring gives -EFAULT, a ring that is not set up (zeroed, or after
//! io_uring_queue_exit) gives -EBADF (both checked in making the `Live`
//! the core takes), pointer-returning functions give NULL,
//! and void functions do nothing.

mod buf_ring;
mod buf_ring_fill;
mod complete;
mod prep;
mod prep_buffers;
mod prep_cmd;
mod prep_file;
mod prep_fs;
mod prep_msg;
mod prep_net;
mod prep_pipe;
mod prep_poll;
mod prep_rw;
mod prep_sendrecv;
mod prep_timeout;
mod prep_wait;
mod prep_xattr;
mod probe;
mod recvmsg;
mod register;
mod register_net;
mod rings;
mod rs;
mod rsrc;
mod setup;
mod sqe;
mod submit;
mod syscall;
mod version;

use crate::ring::{Live, LiveRing, io_uring};
use crate::sys::{Errno, Result};
use core::ffi::c_int;

/// Borrows the ring a C caller passed, if it is set up: the [`Live`] the
/// core asks for.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring` not otherwise
/// borrowed for the returned lifetime.
#[inline(always)]
unsafe fn live<'a>(ring: *mut io_uring) -> Result<Live<'a>> {
    // SAFETY: exactly Live::new's contract, which this function's repeats.
    unsafe { Live::new(ring) }
}

/// As [`live`], for a ring that is only read (two rings of one call may be
/// the same struct).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring` not mutably
/// borrowed for the returned lifetime.
#[inline(always)]
unsafe fn live_ref<'a>(ring: *const io_uring) -> Result<&'a LiveRing> {
    // SAFETY: `ring` is NULL or a struct io_uring nobody mutates during the
    // call, per this function's contract.
    unsafe { ring.as_ref() }.map_or(Err(Errno::EFAULT), LiveRing::check)
}

/// Converts a core result into liburing's return convention.
#[inline(always)]
fn ret(r: Result<u32>) -> c_int {
    match r {
        Ok(n) => n as c_int,
        Err(e) => e.to_neg(),
    }
}
