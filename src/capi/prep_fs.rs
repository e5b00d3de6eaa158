//! Preparers for path operations and the direct descriptor table.

use super::sqe::with_sqe;
use crate::prep::fs;
use crate::sys::{io_uring_sqe, open_how};
use core::ffi::{c_char, c_int, c_uint};
use libc::mode_t;

/// Prepares an openat(2) of `path` relative to `dfd`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `path` must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_openat(
    sqe: *mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: mode_t,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::openat(s, dfd, path, flags, mode)) }
}

/// As io_uring_prep_openat, installing the file in direct slot
/// `file_index` instead of the fd table (IORING_FILE_INDEX_ALLOC: any
/// free slot, returned in the CQE).
///
/// # Safety
/// As for io_uring_prep_openat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_openat_direct(
    sqe: *mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: mode_t,
    file_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::openat_direct(s, dfd, path, flags, mode, file_index)) }
}

/// Prepares an open of `path` relative to the working directory.
///
/// # Safety
/// As for io_uring_prep_openat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_open(sqe: *mut io_uring_sqe, path: *const c_char, flags: c_int, mode: mode_t) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::open(s, path, flags, mode)) }
}

/// As io_uring_prep_open, into direct slot `file_index`.
///
/// # Safety
/// As for io_uring_prep_openat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_open_direct(
    sqe: *mut io_uring_sqe,
    path: *const c_char,
    flags: c_int,
    mode: mode_t,
    file_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::open_direct(s, path, flags, mode, file_index)) }
}

/// Prepares an openat2(2) with the options in `how`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `path` and `how` must stay
/// valid until submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_openat2(
    sqe: *mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    how: *const open_how,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` and `how` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::openat2(s, dfd, path, how)) }
}

/// As io_uring_prep_openat2, into direct slot `file_index`.
///
/// # Safety
/// As for io_uring_prep_openat2.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_openat2_direct(
    sqe: *mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    how: *const open_how,
    file_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` and `how` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::openat2_direct(s, dfd, path, how, file_index)) }
}

/// Prepares a close of `fd`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_close(sqe: *mut io_uring_sqe, fd: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| fs::close(s, fd)) }
}

/// Prepares a close of direct slot `file_index`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_close_direct(sqe: *mut io_uring_sqe, file_index: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| fs::close_direct(s, file_index)) }
}

/// Prepares a statx(2) of `path` relative to `dfd`, filling `statxbuf`
/// with the fields in `mask`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `path` must stay valid until
/// submission, `statxbuf` until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_statx(
    sqe: *mut io_uring_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mask: c_uint,
    statxbuf: *mut libc::statx,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` and `statxbuf` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::statx(s, dfd, path, flags, mask, statxbuf)) }
}

/// Prepares a renameat2(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; the paths must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_renameat(
    sqe: *mut io_uring_sqe,
    olddfd: c_int,
    oldpath: *const c_char,
    newdfd: c_int,
    newpath: *const c_char,
    flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `oldpath` and `newpath` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::renameat(s, olddfd, oldpath, newdfd, newpath, flags)) }
}

/// Prepares a rename(2) relative to the working directory.
///
/// # Safety
/// As for io_uring_prep_renameat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_rename(sqe: *mut io_uring_sqe, oldpath: *const c_char, newpath: *const c_char) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `oldpath` and `newpath` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::rename(s, oldpath, newpath)) }
}

/// Prepares an unlinkat(2) (AT_REMOVEDIR in `flags` removes a directory).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `path` must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_unlinkat(sqe: *mut io_uring_sqe, dfd: c_int, path: *const c_char, flags: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::unlinkat(s, dfd, path, flags)) }
}

/// Prepares an unlink relative to the working directory.
///
/// # Safety
/// As for io_uring_prep_unlinkat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_unlink(sqe: *mut io_uring_sqe, path: *const c_char, flags: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::unlink(s, path, flags)) }
}

/// Prepares a mkdirat(2).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `path` must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_mkdirat(sqe: *mut io_uring_sqe, dfd: c_int, path: *const c_char, mode: mode_t) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::mkdirat(s, dfd, path, mode)) }
}

/// Prepares a mkdir relative to the working directory.
///
/// # Safety
/// As for io_uring_prep_mkdirat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_mkdir(sqe: *mut io_uring_sqe, path: *const c_char, mode: mode_t) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `path` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::mkdir(s, path, mode)) }
}

/// Prepares a symlinkat(2): `linkpath`, relative to `newdirfd`, will
/// point to `target`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; the paths must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_symlinkat(
    sqe: *mut io_uring_sqe,
    target: *const c_char,
    newdirfd: c_int,
    linkpath: *const c_char,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `target` and `linkpath` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::symlinkat(s, target, newdirfd, linkpath)) }
}

/// Prepares a symlink relative to the working directory.
///
/// # Safety
/// As for io_uring_prep_symlinkat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_symlink(sqe: *mut io_uring_sqe, target: *const c_char, linkpath: *const c_char) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `target` and `linkpath` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::symlink(s, target, linkpath)) }
}

/// Prepares a linkat(2) (a hard link).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; the paths must stay valid until
/// submission.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_linkat(
    sqe: *mut io_uring_sqe,
    olddfd: c_int,
    oldpath: *const c_char,
    newdfd: c_int,
    newpath: *const c_char,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `oldpath` and `newpath` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::linkat(s, olddfd, oldpath, newdfd, newpath, flags)) }
}

/// Prepares a hard link relative to the working directory.
///
/// # Safety
/// As for io_uring_prep_linkat.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_link(
    sqe: *mut io_uring_sqe,
    oldpath: *const c_char,
    newpath: *const c_char,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `oldpath` and `newpath` are only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::link(s, oldpath, newpath, flags)) }
}

/// Prepares an update of `nr_fds` direct slots from `offset` with the
/// descriptors in `fds` (-1 clears a slot). With offset
/// IORING_FILE_INDEX_ALLOC the kernel picks free slots and writes them
/// back into `fds`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `fds` must stay valid until
/// completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_files_update(
    sqe: *mut io_uring_sqe,
    fds: *mut c_int,
    nr_fds: c_uint,
    offset: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `fds` is only stored, not read.
    unsafe { with_sqe(sqe, |s| fs::files_update(s, fds, nr_fds, offset)) }
}

/// Prepares the installation of direct descriptor `fd` as a normal fd
/// (returned in the CQE). Replaces the SQE's flags with IOSQE_FIXED_FILE;
/// IORING_FIXED_FD_NO_CLOEXEC in `flags` leaves close-on-exec off.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_fixed_fd_install(sqe: *mut io_uring_sqe, fd: c_int, flags: c_uint) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| fs::fixed_fd_install(s, fd, flags)) }
}
