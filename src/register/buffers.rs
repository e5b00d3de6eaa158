//! Registered ("fixed") buffers: the table READ_FIXED and WRITE_FIXED
//! index, and copying that table from one ring to another.

use super::{register, table};
use crate::ring::Live;
use crate::ring::{int_flags, io_uring};
use crate::sys::{self, Result, io_uring_clone_buffers, reg};
use core::ptr;
use libc::iovec;

/// io_uring_register_buffers: `nr` buffers described by `iovecs`.
///
/// # Safety
/// `iovecs` must point to `nr` iovecs (the kernel reports a bad pointer).
pub unsafe fn register_iovecs(ring: &Live<'_>, iovecs: *const iovec, nr: u32) -> Result<u32> {
    // SAFETY: `iovecs` holds `nr` iovecs (# Safety), what REGISTER_BUFFERS reads.
    unsafe { register(ring, reg::REGISTER_BUFFERS, iovecs.cast(), nr) }
}

/// io_uring_register_buffers_tags: as [`register_iovecs`], each buffer
/// tagged (a tag of 0 means none) so its release posts a CQE.
///
/// # Safety
/// `iovecs` and `tags` must each be NULL or point to `nr` entries.
pub unsafe fn register_tags(ring: &Live<'_>, iovecs: *const iovec, tags: *const u64, nr: u32) -> Result<u32> {
    // SAFETY: `iovecs` and `tags` are NULL or hold `nr` entries (# Safety), as the
    // table registration passes them to the kernel.
    unsafe { table::register_table(ring, reg::REGISTER_BUFFERS2, iovecs as u64, tags as u64, nr, 0) }
}

/// io_uring_register_buffers_sparse: a table of `nr` empty slots.
pub fn register_sparse(ring: &Live<'_>, nr: u32) -> Result<u32> {
    // SAFETY: no arrays are passed.
    unsafe { table::register_table(ring, reg::REGISTER_BUFFERS2, 0, 0, nr, sys::rsrc::REGISTER_SPARSE) }
}

/// io_uring_register_buffers_update_tag: replaces `nr` slots from `off`.
///
/// # Safety
/// As for [`register_tags`].
pub unsafe fn update_tag(ring: &Live<'_>, off: u32, iovecs: *const iovec, tags: *const u64, nr: u32) -> Result<u32> {
    // SAFETY: `iovecs` and `tags` are NULL or hold `nr` entries (# Safety), as the
    // table update passes them to the kernel.
    unsafe { table::update_table(ring, reg::REGISTER_BUFFERS_UPDATE, off, iovecs as u64, tags as u64, nr) }
}

/// io_uring_unregister_buffers.
pub fn unregister(ring: &Live<'_>) -> Result<u32> {
    // SAFETY: the opcode takes no argument.
    unsafe { register(ring, reg::UNREGISTER_BUFFERS, ptr::null(), 0) }
}

/// __io_uring_clone_buffers_offset: copies `nr` buffers (0: all) of `src`
/// from `src_off` into `dst` at `dst_off`. `src` is named by its registered
/// index when `flags` asks for that and `src` can be reached that way;
/// otherwise by its fd, with SRC_REGISTERED cleared.
pub fn clone_offset(dst: &io_uring, src: &io_uring, dst_off: u32, src_off: u32, nr: u32, flags: u32) -> Result<u32> {
    let by_index = flags & sys::rsrc::SRC_REGISTERED != 0 && src.int_flags & int_flags::REG_REG_RING != 0;
    let (src_fd, flags) =
        if by_index { (src.enter_ring_fd, flags) } else { (src.ring_fd, flags & !sys::rsrc::SRC_REGISTERED) };
    let arg = io_uring_clone_buffers { src_fd: src_fd as u32, flags, src_off, dst_off, nr, pad: [0; 3] };
    // SAFETY: one clone_buffers argument, read by the kernel.
    unsafe { register(dst, reg::REGISTER_CLONE_BUFFERS, (&raw const arg).cast(), 1) }
}
