//! URING_CMD: the socket commands (SIOCINQ, SIOCOUTQ, getsockopt,
//! setsockopt, getsockname), and /dev/null's, which succeed doing nothing.
//! Any other file answers -EOPNOTSUPP, as the kernel does for a file
//! without a uring_cmd handler.

use super::ctrl::Ctrl;
use super::ops::Done;
use super::ops_fs::sys;
use crate::sys::{self, cmd_op, io_uring_sqe, opflags};

fn err(e: i32) -> Done {
    Done::of(-(e as isize))
}

/// `fd`'s socket domain, or None when it is not a socket.
fn domain(fd: i32) -> Option<i32> {
    let mut v = 0i32;
    let mut len = size_of::<i32>() as libc::socklen_t;
    // SAFETY: one int and its length, in locals.
    let r = sys::syscall::without_errno(|| unsafe {
        libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_DOMAIN, (&raw mut v).cast(), &mut len)
    } as isize);
    (r == 0).then_some(v)
}

/// URING_CMD: the command in `cmd_op` (the low half of `off`; the high
/// half must be 0), flags in `uring_cmd_flags`.
pub fn uring_cmd(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.off >> 32 != 0 || sqe.op_flags & !opflags::URING_CMD_FIXED != 0 {
        return err(libc::EINVAL);
    }
    let Some(domain) = domain(fd) else { return not_socket(fd) };
    match sqe.off as u32 {
        cmd_op::SOCKET_SIOCINQ => queued(fd, domain, libc::FIONREAD),
        cmd_op::SOCKET_SIOCOUTQ => queued(fd, domain, libc::TIOCOUTQ),
        cmd_op::SOCKET_GETSOCKOPT | cmd_op::SOCKET_SETSOCKOPT => sockopt(sqe, fd),
        cmd_op::SOCKET_GETSOCKNAME => sockname(sqe, fd),
        _ => err(libc::EOPNOTSUPP),
    }
}

/// URING_CMD on a file other than a socket: -EBADF for a bad fd, 0 for
/// /dev/null (the kernel's null handler), else -EOPNOTSUPP.
fn not_socket(fd: i32) -> Done {
    // SAFETY: an all-zero stat64 is a valid value for fstat to overwrite.
    let mut st: libc::stat64 = unsafe { core::mem::zeroed() };
    // SAFETY: fstat64 writes one stat64 into a local.
    if sys::syscall::without_errno(|| unsafe { libc::fstat64(fd, &mut st) } as isize) < 0 {
        return err(libc::EBADF);
    }
    let null = st.st_mode & libc::S_IFMT == libc::S_IFCHR && st.st_rdev == libc::makedev(1, 3);
    if null { Done::of(0) } else { err(libc::EOPNOTSUPP) }
}

/// SIOCINQ or SIOCOUTQ: the bytes queued. Only the protocols the kernel
/// answers through their own ioctl (TCP, UDP, raw IP) take it.
fn queued(fd: i32, domain: i32, req: libc::c_ulong) -> Done {
    if domain != libc::AF_INET && domain != libc::AF_INET6 {
        return err(libc::EOPNOTSUPP);
    }
    let mut n = 0i32;
    // SAFETY: the ioctl writes one int into a local.
    let r = sys::syscall::without_errno(|| unsafe { libc::ioctl(fd, req, &mut n) } as isize);
    Done::of(if r < 0 { r } else { n as isize })
}

/// GETSOCKOPT and SETSOCKOPT: the level in `level` (the low half of
/// `addr`), the option in `optname` (its high half), the value at
/// `optval` (`addr3`), its length in `optlen`. A get answers the length
/// of what it wrote.
fn sockopt(sqe: &io_uring_sqe, fd: i32) -> Done {
    let (level, name) = (sqe.addr as u32 as usize, (sqe.addr >> 32) as usize);
    if sqe.off as u32 == cmd_op::SOCKET_SETSOCKOPT {
        let args = [fd as usize, level, name, sqe.addr3 as usize, sqe.file_index as usize, 0];
        return sys(libc::SYS_setsockopt, args);
    }
    let mut len = sqe.file_index as libc::socklen_t;
    let args = [fd as usize, level, name, sqe.addr3 as usize, (&raw mut len) as usize, 0];
    let r = sys(libc::SYS_getsockopt, args);
    if r.res < 0 { r } else { Done::of(len as isize) }
}

/// GETSOCKNAME: the address to `addr`, its length at `addr3`; the peer's
/// (getpeername) when `optlen` is 1.
fn sockname(sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.ioprio != 0 || sqe.len != 0 || sqe.op_flags != 0 || sqe.file_index > 1 {
        return err(libc::EINVAL);
    }
    let nr = if sqe.file_index == 1 { libc::SYS_getpeername } else { libc::SYS_getsockname };
    sys(nr, [fd as usize, sqe.addr as usize, sqe.addr3 as usize, 0, 0, 0])
}
