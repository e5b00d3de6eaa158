//! The table-shaped registrations files and buffers share: registering a
//! whole (optionally sparse, optionally tagged) table, and updating a range
//! of it.

use super::register;
use crate::ring::io_uring;
use crate::sys::{Result, io_uring_rsrc_register, io_uring_rsrc_update2};

/// IORING_REGISTER_FILES2 / BUFFERS2 (`opcode`): `nr` entries from `data`,
/// each tagged from `tags` (0 for none).
///
/// # Safety
/// `data` and `tags` must be 0 or the addresses of `nr` entries each.
pub(super) unsafe fn register_table(
    ring: &io_uring,
    opcode: u32,
    data: u64,
    tags: u64,
    nr: u32,
    flags: u32,
) -> Result<u32> {
    let reg = io_uring_rsrc_register { nr, flags, resv2: 0, data, tags };
    // SAFETY: the argument is a rsrc_register of the size passed; the
    // arrays it points to are the caller's to vouch for.
    unsafe { register(ring, opcode, (&raw const reg).cast(), size_of::<io_uring_rsrc_register>() as u32) }
}

/// IORING_REGISTER_FILES_UPDATE2 / BUFFERS_UPDATE (`opcode`): replaces `nr`
/// slots from `offset` with the entries at `data`, tagged from `tags`.
///
/// # Safety
/// As for [`register_table`].
pub(super) unsafe fn update_table(
    ring: &io_uring,
    opcode: u32,
    offset: u32,
    data: u64,
    tags: u64,
    nr: u32,
) -> Result<u32> {
    let up = io_uring_rsrc_update2 { offset, resv: 0, data, tags, nr, resv2: 0 };
    // SAFETY: as in register_table, for a rsrc_update2.
    unsafe { register(ring, opcode, (&raw const up).cast(), size_of::<io_uring_rsrc_update2>() as u32) }
}
