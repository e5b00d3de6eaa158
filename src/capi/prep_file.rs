//! Preparers for file sync, allocation, truncation and advice.

use super::sqe::with_sqe;
use crate::prep::file;
use crate::sys::{__u32, __u64, io_uring_sqe, off_t};
use core::ffi::{c_int, c_uint, c_void};

/// Prepares an fsync (IORING_FSYNC_DATASYNC in `fsync_flags`: fdatasync).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fsync(sqe: *mut io_uring_sqe, fd: c_int, fsync_flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| file::fsync(s, fd, fsync_flags)) }
}

/// Prepares a sync_file_range(2) of `len` bytes at `offset`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_sync_file_range(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    len: c_uint,
    offset: __u64,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| file::sync_file_range(s, fd, len, offset, flags)) }
}

/// Prepares a fallocate(2) of `len` bytes at `offset` with `mode`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fallocate(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    mode: c_int,
    offset: __u64,
    len: __u64,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| file::fallocate(s, fd, mode, offset, len)) }
}

/// Prepares an ftruncate(2) to `len` bytes.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[cfg(liburing_gnu_source)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_ftruncate(sqe: *mut io_uring_sqe, fd: c_int, len: libc::loff_t) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| file::ftruncate(s, fd, len)) }
}

/// Prepares a posix_fadvise(2) of `len` bytes at `offset`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fadvise(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    offset: __u64,
    len: __u32,
    advice: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| file::fadvise(s, fd, offset, len, advice)) }
}

/// As io_uring_prep_fadvise with a 64-bit length (kernel 6.7 and later).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fadvise64(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    offset: __u64,
    len: off_t,
    advice: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| file::fadvise64(s, fd, offset, len, advice)) }
}

/// Prepares a madvise(2) of `length` bytes at `addr`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_madvise(
    sqe: *mut io_uring_sqe,
    addr: *mut c_void,
    length: __u32,
    advice: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| file::madvise(s, addr, length, advice)) }
}

/// As io_uring_prep_madvise with a 64-bit length (kernel 6.7 and later).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_madvise64(
    sqe: *mut io_uring_sqe,
    addr: *mut c_void,
    length: off_t,
    advice: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `addr` is only stored, not read.
    unsafe { with_sqe(sqe, |s| file::madvise64(s, addr, length, advice)) }
}
