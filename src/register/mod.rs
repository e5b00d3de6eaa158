//! io_uring_register(2) and what is built on it: probes, the registered ring
//! fd, and the other registrations.

pub mod pbuf_status;
pub mod probe;
pub mod ring_fd;

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
    let ret = unsafe { sys::syscall::io_uring_register(fd as u32, opcode, arg, nr_args) };
    Errno::check(ret as isize).map(|n| n as u32)
}
