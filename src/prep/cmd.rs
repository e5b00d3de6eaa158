//! IORING_OP_URING_CMD: driver commands, and the socket and block-device
//! commands liburing wraps.

use super::fields::pair;
use super::{addr, rw};
use crate::sys::{cmd_op, io_uring_sqe, op};
use core::ffi::c_void;
use libc::{sockaddr, socklen_t};

/// The command header: `cmd_op` in the first half of `off` (the second,
/// `__pad1`, zeroed), `addr` and `len` zeroed. The 80-byte payload of a
/// 128-byte SQE is left to the caller.
#[inline(always)]
fn uring_cmd_op(sqe: &mut io_uring_sqe, opcode: u8, cmd: u32, fd: i32) {
    rw(sqe, opcode, fd, 0, 0, pair(cmd, 0));
}

/// IORING_OP_URING_CMD with command `cmd` on `fd`.
#[inline]
pub fn uring_cmd(sqe: &mut io_uring_sqe, cmd: i32, fd: i32) {
    uring_cmd_op(sqe, op::URING_CMD, cmd as u32, fd);
}

/// IORING_OP_URING_CMD128: as [`uring_cmd`] on a 128-byte SQE.
#[inline]
pub fn uring_cmd128(sqe: &mut io_uring_sqe, cmd: i32, fd: i32) {
    uring_cmd_op(sqe, op::URING_CMD128, cmd as u32, fd);
}

/// A socket command (SOCKET_URING_OP_*): `level` and `optname` share
/// `addr`, the option buffer goes in `optval`, its length in `optlen`.
#[inline]
pub fn cmd_sock(sqe: &mut io_uring_sqe, cmd: i32, fd: i32, level: i32, optname: i32, optval: *mut c_void, optlen: i32) {
    uring_cmd(sqe, cmd, fd);
    sqe.addr = pair(level as u32, optname as u32);
    sqe.addr3 = addr(optval);
    sqe.file_index = optlen as u32;
}

/// SOCKET_URING_OP_GETSOCKNAME (getpeername when `peer` is non-zero).
#[inline]
pub fn cmd_getsockname(sqe: &mut io_uring_sqe, fd: i32, sa: *mut sockaddr, sockaddr_len: *mut socklen_t, peer: i32) {
    uring_cmd(sqe, cmd_op::SOCKET_GETSOCKNAME as i32, fd);
    sqe.addr = addr(sa);
    sqe.addr3 = addr(sockaddr_len);
    sqe.file_index = peer as u32;
}

/// BLOCK_URING_CMD_DISCARD of `nbytes` at `offset` on a block device.
#[inline]
pub fn cmd_discard(sqe: &mut io_uring_sqe, fd: i32, offset: u64, nbytes: u64) {
    uring_cmd(sqe, cmd_op::BLOCK_DISCARD as i32, fd);
    sqe.addr = offset;
    sqe.addr3 = nbytes;
}

/// BLOCK_URING_CMD_ZONE_RESET_ALL on a zoned block device.
#[inline]
pub fn cmd_zone_reset_all(sqe: &mut io_uring_sqe, fd: i32) {
    uring_cmd(sqe, cmd_op::BLOCK_ZONE_RESET_ALL as i32, fd);
}
