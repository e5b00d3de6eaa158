//! SQE preparation. One builder, [`rw()`], writes the fields every preparer
//! shares; each preparer is a few lines on top of it and of the small
//! helpers here. Like liburing 2.15, preparers write only the fields they
//! own and rely on get_sqe having cleared the rest.
//!
//! Preparers take the C prototype's argument types and apply liburing's
//! conversions (an `int` stored in a 64-bit field is sign-extended, one
//! stored in a 16-bit field truncated), so the C layer only forwards.

pub mod buffers;
pub mod cmd;
mod fields;
pub mod file;
pub mod fs;
pub mod msg;
pub mod net;
pub mod pipe;
pub mod poll;
pub mod rw;
pub mod sendrecv;
pub mod timeout;
pub mod wait;
pub mod xattr;

pub use timeout::timeout;

use crate::sys::{io_uring_sqe, op, opflags};

/// The shared core of every preparer: opcode, fd, address, length, offset.
#[inline(always)]
pub fn rw(sqe: &mut io_uring_sqe, opcode: u8, fd: i32, addr: u64, len: u32, off: u64) {
    sqe.opcode = opcode;
    sqe.fd = fd;
    sqe.off = off;
    sqe.addr = addr;
    sqe.len = len;
}

/// [`rw()`] plus the op-specific flags word (`rw_flags`, `msg_flags`, ...),
/// which most preparers set.
#[inline(always)]
pub fn rw_op_flags(sqe: &mut io_uring_sqe, opcode: u8, fd: i32, addr: u64, len: u32, off: u64, op_flags: u32) {
    rw(sqe, opcode, fd, addr, len, off);
    sqe.op_flags = op_flags;
}

/// A pointer as the kernel's 64-bit address fields hold it.
#[inline(always)]
pub fn addr<T>(p: *const T) -> u64 {
    p as usize as u64
}

/// `file_index` for an op that names direct slot `index`: slots are stored
/// as index + 1, since 0 means "no direct slot".
#[inline(always)]
pub fn fixed_slot(index: u32) -> u32 {
    index.wrapping_add(1)
}

/// `file_index` for an op that installs a direct descriptor into slot
/// `index`, where IORING_FILE_INDEX_ALLOC (let the kernel pick) is passed
/// through unchanged.
#[inline(always)]
pub fn install_slot(index: u32) -> u32 {
    if index == opflags::FILE_INDEX_ALLOC { index } else { fixed_slot(index) }
}

/// A poll mask as `poll32_events` carries it: the kernel swaps the two
/// 16-bit halves back on big-endian machines, so we swap them there too.
#[inline(always)]
pub fn poll_mask(mask: u32) -> u32 {
    if cfg!(target_endian = "big") { mask.rotate_left(16) } else { mask }
}

/// IORING_OP_NOP.
#[inline(always)]
pub fn nop(sqe: &mut io_uring_sqe) {
    rw(sqe, op::NOP, -1, 0, 0, 0);
}

/// IORING_OP_NOP128: a no-op occupying a 128-byte SQE.
#[inline(always)]
pub fn nop128(sqe: &mut io_uring_sqe) {
    rw(sqe, op::NOP128, -1, 0, 0, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_slots_are_offset_by_one() {
        assert_eq!(fixed_slot(0), 1);
        assert_eq!(fixed_slot(41), 42);
        // close_direct has no ALLOC special case: the index wraps to 0.
        assert_eq!(fixed_slot(opflags::FILE_INDEX_ALLOC), 0);
        assert_eq!(install_slot(0), 1);
        assert_eq!(install_slot(7), 8);
        assert_eq!(install_slot(opflags::FILE_INDEX_ALLOC), opflags::FILE_INDEX_ALLOC);
        assert_eq!(install_slot(opflags::FILE_INDEX_ALLOC - 1), opflags::FILE_INDEX_ALLOC);
    }

    #[test]
    fn poll_mask_swaps_halves_only_on_big_endian() {
        let want = if cfg!(target_endian = "big") { 0x0004_0001 } else { 0x0001_0004 };
        assert_eq!(poll_mask(0x0001_0004), want);
        assert_eq!(poll_mask(poll_mask(0xdead_beef)), 0xdead_beef);
    }

    #[test]
    fn addr_is_the_pointer_value() {
        let x = 5u32;
        assert_eq!(addr(&x), &x as *const u32 as usize as u64);
        assert_eq!(addr(core::ptr::null::<u8>()), 0);
    }

    #[test]
    fn rw_op_flags_writes_only_its_fields() {
        let mut s = io_uring_sqe { user_data: 9, personality: 3, ..Default::default() };
        rw_op_flags(&mut s, op::READ, 4, 0x1000, 16, 32, 7);
        let want = io_uring_sqe {
            opcode: op::READ,
            fd: 4,
            addr: 0x1000,
            len: 16,
            off: 32,
            op_flags: 7,
            user_data: 9,
            personality: 3,
            ..Default::default()
        };
        assert_eq!(s, want);
    }
}
