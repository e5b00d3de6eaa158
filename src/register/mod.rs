//! What is registered with a ring through io_uring_register(2): files,
//! buffers and buffer rings, eventfds, probes and the other registrations.
//! (The ring's own fd and its resizing belong to the ring: `crate::ring`.)

pub mod access;
pub mod buf_ring;
pub mod buffers;
pub mod eventfd;
pub mod files;
pub mod iowq;
pub mod net;
pub mod probe;
pub mod sync;
mod table;
pub mod wait;

pub use crate::ring::fd::register;
use crate::sys::{self, Errno, Result};
use core::ffi::c_void;

/// io_uring_register(2) on no ring (fd -1), for the opcodes that act on the
/// calling task or the kernel as a whole.
///
/// # Safety
/// `arg` must be valid for `opcode` and `nr_args`, as io_uring_register(2)
/// documents.
pub unsafe fn register_ringless(opcode: u32, arg: *const c_void, nr_args: u32) -> Result<u32> {
    // SAFETY: `arg` is valid for `opcode` and `nr_args` per this function's contract.
    let ret = unsafe { sys::syscall::io_uring_register(u32::MAX, opcode, arg, nr_args) };
    Errno::check(ret as isize).map(|n| n as u32)
}
