//! The fds that reach a ring: its plain fd and the index it may be
//! registered under, so io_uring_enter can skip the fd lookup; closing the
//! plain fd once registered; and io_uring_register(2) on the ring through
//! whichever of the two the kernel allows.

use super::Live;
use super::{int_flags, io_uring};
use crate::sys::{self, Errno, Result, feat, io_uring_rsrc_update, reg};
use core::ffi::c_void;

/// Registers through the ring's registered index when the kernel allows it
/// (REG_REG_RING), otherwise through its fd.
///
/// # Safety
/// `arg` must be valid for `opcode` and `nr_args`, as io_uring_register(2)
/// documents; a bad pointer the kernel can detect gives -EFAULT.
pub unsafe fn register(ring: &io_uring, opcode: u32, arg: *const c_void, nr_args: u32) -> Result<u32> {
    if ring.int_flags & int_flags::EMULATED != 0 {
        // SAFETY: an emulated ring's `ring_ptr` is the engine's rings (its
        // setup put them there); `arg` is valid for `opcode` (contract).
        let ret = unsafe { crate::emu::register(ring.sq.ring_ptr, opcode, arg, nr_args) };
        return Errno::check(ret as isize).map(|n| n as u32);
    }
    let (fd, opcode) = if ring.int_flags & int_flags::REG_REG_RING != 0 {
        (ring.enter_ring_fd, opcode | reg::USE_REGISTERED_RING)
    } else {
        (ring.ring_fd, opcode)
    };
    // SAFETY: `arg` is valid for `opcode` and `nr_args` per this function's
    // contract; a wrong or closed fd is the kernel's to reject.
    let ret = unsafe { sys::syscall::io_uring_register(fd as u32, opcode, arg, nr_args) };
    Errno::check(ret as isize).map(|n| n as u32)
}

/// io_uring_register_ring_fd: returns 1 once registered.
pub fn register_ring(ring: &mut Live<'_>) -> Result<u32> {
    if ring.int_flags & int_flags::REG_RING != 0 {
        return Err(Errno::EEXIST);
    }
    let mut up = io_uring_rsrc_update { offset: u32::MAX, resv: 0, data: ring.ring_fd as u64 };
    // SAFETY: one rsrc_update, which the kernel writes the index into.
    let ret = unsafe { register(ring, reg::REGISTER_RING_FDS, (&raw mut up).cast(), 1) }?;
    if ret == 1 {
        ring.enter_ring_fd = up.offset as i32;
        ring.int_flags |= int_flags::REG_RING;
        if ring.features & feat::REG_REG_RING != 0 {
            ring.int_flags |= int_flags::REG_REG_RING;
        }
    }
    Ok(ret)
}

/// io_uring_unregister_ring_fd: returns 1 once unregistered.
pub fn unregister(ring: &mut io_uring) -> Result<u32> {
    if ring.int_flags & int_flags::REG_RING == 0 {
        return Err(Errno::EINVAL);
    }
    let up = io_uring_rsrc_update { offset: ring.enter_ring_fd as u32, resv: 0, data: 0 };
    // SAFETY: one rsrc_update naming the index to drop.
    let ret = unsafe { register(ring, reg::UNREGISTER_RING_FDS, (&raw const up).cast(), 1) }?;
    if ret == 1 {
        ring.enter_ring_fd = ring.ring_fd;
        ring.int_flags &= !(int_flags::REG_RING | int_flags::REG_REG_RING);
    }
    Ok(ret)
}

/// io_uring_close_ring_fd: drops the plain fd of a ring that is reachable
/// through its registered index. Returns 1.
pub fn close(ring: &mut Live<'_>) -> Result<u32> {
    if ring.features & feat::REG_REG_RING == 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    if ring.int_flags & int_flags::REG_RING == 0 {
        return Err(Errno::EINVAL);
    }
    if ring.ring_fd == -1 {
        return Err(Errno::EBADF);
    }
    if ring.int_flags & int_flags::EMULATED != 0 {
        // SAFETY: an emulated ring's `ring_ptr` is the engine's rings.
        unsafe { crate::emu::ring_fd_closed(ring.sq.ring_ptr) };
    }
    sys::syscall::close(ring.ring_fd);
    ring.ring_fd = -1;
    Ok(1)
}
