//! The extended-attribute operations: FGETXATTR and FSETXATTR on a file,
//! GETXATTR and SETXATTR on a path (followed if a symbolic link).

use super::ctrl::Ctrl;
use super::ops::Done;
use super::ops_fs::sys;
use crate::sys::{io_uring_sqe, sqe_flags};

/// The name at `addr`, the value at `addr2` (`off`) of `len` bytes, the
/// flags in `xattr_flags` (none for the gets: -EINVAL); the path at
/// `addr3` for the path forms, which take no fixed file (-EBADF).
fn xattr(sqe: &io_uring_sqe, nr: libc::c_long, target: usize) -> Done {
    let set = matches!(nr, libc::SYS_setxattr | libc::SYS_fsetxattr);
    if !set && sqe.op_flags != 0 {
        return Done::of(-(libc::EINVAL as isize));
    }
    let args = [target, sqe.addr as usize, sqe.off as usize, sqe.len as usize, sqe.op_flags as usize, 0];
    sys(nr, args)
}

fn by_path(sqe: &io_uring_sqe, nr: libc::c_long) -> Done {
    if sqe.flags & sqe_flags::FIXED_FILE != 0 {
        return Done::of(-(libc::EBADF as isize));
    }
    xattr(sqe, nr, sqe.addr3 as usize)
}

pub fn fgetxattr(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    xattr(sqe, libc::SYS_fgetxattr, fd as usize)
}

pub fn fsetxattr(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    xattr(sqe, libc::SYS_fsetxattr, fd as usize)
}

pub fn getxattr(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    by_path(sqe, libc::SYS_getxattr)
}

pub fn setxattr(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    by_path(sqe, libc::SYS_setxattr)
}
