//! io_uring_register(2) and what is built on it: probes, the registered ring
//! fd, and the other registrations.

pub mod access;
pub mod buf_ring;
pub mod buffers;
pub mod eventfd;
pub mod files;
pub mod iowq;
pub mod net;
pub mod probe;
pub mod resize;
pub mod ring_fd;
pub mod sync;
mod table;
pub mod wait;

use crate::ring::{int_flags, io_uring};
use crate::sys::{self, Errno, Result, reg};
use core::ffi::c_void;

/// Registers through the ring's registered index when the kernel allows it
/// (REG_REG_RING), otherwise through its fd.
///
/// # Safety
/// `arg` must be valid for `opcode` and `nr_args`, as io_uring_register(2)
/// documents; a bad pointer the kernel can detect gives -EFAULT.
pub unsafe fn register(ring: &io_uring, opcode: u32, arg: *const c_void, nr_args: u32) -> Result<u32> {
    let (fd, opcode) = if ring.int_flags & int_flags::REG_REG_RING != 0 {
        (ring.enter_ring_fd, opcode | reg::USE_REGISTERED_RING)
    } else {
        (ring.ring_fd, opcode)
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { raw(fd as u32, opcode, arg, nr_args) }
}

/// io_uring_register(2) on no ring (fd -1), for the opcodes that act on the
/// calling task or the kernel as a whole.
///
/// # Safety
/// As for [`register`].
pub unsafe fn register_ringless(opcode: u32, arg: *const c_void, nr_args: u32) -> Result<u32> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { raw(u32::MAX, opcode, arg, nr_args) }
}

/// The syscall, with its result as a `Result`.
///
/// # Safety
/// As for [`register`].
unsafe fn raw(fd: u32, opcode: u32, arg: *const c_void, nr_args: u32) -> Result<u32> {
    // SAFETY: forwarded from the caller's contract.
    let ret = unsafe { sys::syscall::io_uring_register(fd, opcode, arg, nr_args) };
    Errno::check(ret as isize).map(|n| n as u32)
}
