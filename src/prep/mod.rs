//! SQE preparation. One builder, [`rw`], writes the fields every preparer
//! shares; each preparer is a few lines on top of it. Like liburing 2.15,
//! preparers write only the fields they own and rely on get_sqe having
//! cleared the rest.

use crate::sys::{__kernel_timespec, io_uring_sqe, op};

/// The shared core of every preparer: opcode, fd, address, length, offset.
#[inline(always)]
pub fn rw(sqe: &mut io_uring_sqe, opcode: u8, fd: i32, addr: u64, len: u32, off: u64) {
    sqe.opcode = opcode;
    sqe.fd = fd;
    sqe.off = off;
    sqe.addr = addr;
    sqe.len = len;
}

/// IORING_OP_NOP.
#[inline(always)]
pub fn nop(sqe: &mut io_uring_sqe) {
    rw(sqe, op::NOP, -1, 0, 0, 0);
}

/// IORING_OP_TIMEOUT: completes after `ts` or after `count` completions.
#[inline]
pub fn timeout(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, count: u32, flags: u32) {
    rw(sqe, op::TIMEOUT, -1, ts as u64, 1, count as u64);
    sqe.op_flags = flags;
}
