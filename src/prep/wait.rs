//! Waiting on futexes and on child processes.

use super::{addr, rw_op_flags};
use crate::sys::{futex_waitv, io_uring_sqe, op};
use libc::{id_t, idtype_t, siginfo_t};

/// The layout futex wait and wake share: futex2 flags in `fd`, the word in
/// `addr`, the value in `off`, the bitset mask in `addr3`.
#[inline(always)]
fn futex(sqe: &mut io_uring_sqe, opcode: u8, futex: *const u32, val: u64, mask: u64, futex_flags: u32, flags: u32) {
    rw_op_flags(sqe, opcode, futex_flags as i32, addr(futex), 0, val, flags);
    sqe.addr3 = mask;
}

/// IORING_OP_FUTEX_WAIT: waits while `*futex` equals `val`.
#[inline]
pub fn futex_wait(sqe: &mut io_uring_sqe, uaddr: *const u32, val: u64, mask: u64, futex_flags: u32, flags: u32) {
    futex(sqe, op::FUTEX_WAIT, uaddr, val, mask, futex_flags, flags);
}

/// IORING_OP_FUTEX_WAKE: wakes up to `val` waiters.
#[inline]
pub fn futex_wake(sqe: &mut io_uring_sqe, uaddr: *const u32, val: u64, mask: u64, futex_flags: u32, flags: u32) {
    futex(sqe, op::FUTEX_WAKE, uaddr, val, mask, futex_flags, flags);
}

/// IORING_OP_FUTEX_WAITV: waits on any of `nr_futex` futexes.
#[inline]
pub fn futex_waitv(sqe: &mut io_uring_sqe, futexv: *const futex_waitv, nr_futex: u32, flags: u32) {
    rw_op_flags(sqe, op::FUTEX_WAITV, 0, addr(futexv), nr_futex, 0, flags);
}

/// IORING_OP_WAITID: waitid(2) with the id in `fd`, the id type in `len`,
/// the options in `file_index` and the siginfo buffer in `off`.
#[inline]
pub fn waitid(sqe: &mut io_uring_sqe, idtype: idtype_t, id: id_t, infop: *mut siginfo_t, options: i32, flags: u32) {
    rw_op_flags(sqe, op::WAITID, id as i32, 0, idtype, addr(infop), flags);
    sqe.file_index = options as u32;
}
