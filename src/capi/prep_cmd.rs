//! Driver command (IORING_OP_URING_CMD) preparers.

use super::sqe::with_sqe;
use crate::prep::cmd;
use crate::sys::io_uring_sqe;
use core::ffi::{c_int, c_void};
use libc::{sockaddr, socklen_t};

/// Prepares command `cmd_op` for the driver behind `fd`; the command's
/// own data goes in the SQE's `cmd` area afterwards.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_uring_cmd(sqe: *mut io_uring_sqe, cmd_op: c_int, fd: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| cmd::uring_cmd(s, cmd_op, fd)) }
}

/// As io_uring_prep_uring_cmd, for a 128-byte SQE (80 bytes of command
/// data) from io_uring_get_sqe128.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_uring_cmd128(sqe: *mut io_uring_sqe, cmd_op: c_int, fd: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| cmd::uring_cmd128(s, cmd_op, fd)) }
}

/// Prepares a socket command (SOCKET_URING_OP_SIOCINQ, _GETSOCKOPT,
/// _SETSOCKOPT, ...) on `fd`, with a getsockopt-style option.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `optval` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cmd_sock(
    sqe: *mut io_uring_sqe,
    cmd_op: c_int,
    fd: c_int,
    level: c_int,
    optname: c_int,
    optval: *mut c_void,
    optlen: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `optval` is only stored, not read.
    unsafe { with_sqe(sqe, |s| cmd::cmd_sock(s, cmd_op, fd, level, optname, optval, optlen)) }
}

/// Prepares getsockname(2) on `fd`, or getpeername(2) when `peer` is
/// non-zero.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `sockaddr` and `sockaddr_len`
/// must stay valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cmd_getsockname(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    sockaddr: *mut sockaddr,
    sockaddr_len: *mut socklen_t,
    peer: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety);
    // `sockaddr` and `sockaddr_len` are only stored, not read.
    unsafe { with_sqe(sqe, |s| cmd::cmd_getsockname(s, fd, sockaddr, sockaddr_len, peer)) }
}

/// Prepares a discard of `nbytes` at `offset` on block device `fd`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cmd_discard(sqe: *mut io_uring_sqe, fd: c_int, offset: u64, nbytes: u64) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| cmd::cmd_discard(s, fd, offset, nbytes)) }
}

/// Prepares a reset of every zone of zoned block device `fd`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_cmd_zone_reset_all(sqe: *mut io_uring_sqe, fd: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| cmd::cmd_zone_reset_all(s, fd)) }
}
