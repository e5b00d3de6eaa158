//! Extended attributes, by path or by descriptor.

use super::{addr, rw_op_flags};
use crate::sys::{io_uring_sqe, op};
use core::ffi::c_char;

/// The layout all four share: name in `addr`, value in `off`, size in
/// `len`, flags in the flags word; the path ops add the path in `addr3`.
#[inline(always)]
fn xattr(sqe: &mut io_uring_sqe, opcode: u8, fd: i32, name: *const c_char, value: *const c_char, len: u32, flags: u32) {
    rw_op_flags(sqe, opcode, fd, addr(name), len, addr(value), flags);
}

/// IORING_OP_GETXATTR of `path`.
#[inline]
pub fn getxattr(sqe: &mut io_uring_sqe, name: *const c_char, value: *mut c_char, path: *const c_char, len: u32) {
    xattr(sqe, op::GETXATTR, 0, name, value, len, 0);
    sqe.addr3 = addr(path);
}

/// IORING_OP_SETXATTR of `path` (XATTR_CREATE/XATTR_REPLACE in `flags`).
#[inline]
pub fn setxattr(
    sqe: &mut io_uring_sqe,
    name: *const c_char,
    value: *const c_char,
    path: *const c_char,
    flags: i32,
    len: u32,
) {
    xattr(sqe, op::SETXATTR, 0, name, value, len, flags as u32);
    sqe.addr3 = addr(path);
}

/// IORING_OP_FGETXATTR.
#[inline]
pub fn fgetxattr(sqe: &mut io_uring_sqe, fd: i32, name: *const c_char, value: *mut c_char, len: u32) {
    xattr(sqe, op::FGETXATTR, fd, name, value, len, 0);
}

/// IORING_OP_FSETXATTR.
#[inline]
pub fn fsetxattr(sqe: &mut io_uring_sqe, fd: i32, name: *const c_char, value: *const c_char, flags: i32, len: u32) {
    xattr(sqe, op::FSETXATTR, fd, name, value, len, flags as u32);
}
