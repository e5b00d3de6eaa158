//! An eventfd the kernel signals when it posts completions.

use super::register;
use crate::ring::Live;
use crate::sys::{Result, reg};
use core::ffi::c_int;
use core::ptr;

/// io_uring_register_eventfd (io_uring_register_eventfd_async when
/// `async_only`: only completions posted by io-wq workers signal it).
pub fn register_fd(ring: &Live<'_>, fd: c_int, async_only: bool) -> Result<u32> {
    let opcode = if async_only { reg::REGISTER_EVENTFD_ASYNC } else { reg::REGISTER_EVENTFD };
    // SAFETY: the kernel reads one int.
    unsafe { register(ring, opcode, (&raw const fd).cast(), 1) }
}

/// io_uring_unregister_eventfd.
pub fn unregister(ring: &Live<'_>) -> Result<u32> {
    // SAFETY: the opcode takes no argument.
    unsafe { register(ring, reg::UNREGISTER_EVENTFD, ptr::null(), 0) }
}
