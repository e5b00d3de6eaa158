//! Extended-attribute preparers.

use super::sqe::with_sqe;
use crate::prep::xattr;
use crate::sys::io_uring_sqe;
use core::ffi::{c_char, c_int, c_uint};

/// Prepares a getxattr(2) of attribute `name` of `path` into `value`
/// (`len` bytes).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; the strings and `value` must
/// stay valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_getxattr(
    sqe: *mut io_uring_sqe,
    name: *const c_char,
    value: *mut c_char,
    path: *const c_char,
    len: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `name`, `value` and `path` are only stored, not read.
    unsafe { with_sqe(sqe, |s| xattr::getxattr(s, name, value, path, len)) }
}

/// Prepares a setxattr(2) of attribute `name` of `path` to the `len` bytes
/// at `value` (XATTR_CREATE or XATTR_REPLACE in `flags`).
///
/// # Safety
/// As for io_uring_prep_getxattr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_setxattr(
    sqe: *mut io_uring_sqe,
    name: *const c_char,
    value: *const c_char,
    path: *const c_char,
    flags: c_int,
    len: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `name`, `value` and `path` are only stored, not read.
    unsafe { with_sqe(sqe, |s| xattr::setxattr(s, name, value, path, flags, len)) }
}

/// Prepares an fgetxattr(2) on `fd`.
///
/// # Safety
/// As for io_uring_prep_getxattr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fgetxattr(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    name: *const c_char,
    value: *mut c_char,
    len: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `name` and `value` are only stored, not read.
    unsafe { with_sqe(sqe, |s| xattr::fgetxattr(s, fd, name, value, len)) }
}

/// Prepares an fsetxattr(2) on `fd`.
///
/// # Safety
/// As for io_uring_prep_getxattr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fsetxattr(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    name: *const c_char,
    value: *const c_char,
    flags: c_int,
    len: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `name` and `value` are only stored, not read.
    unsafe { with_sqe(sqe, |s| xattr::fsetxattr(s, fd, name, value, flags, len)) }
}
