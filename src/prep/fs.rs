//! Path and descriptor-table operations: open, close, statx, rename,
//! unlink, mkdir, symlink, link, and updates of the direct file table.

use super::{addr, fixed_slot, install_slot, rw, rw_op_flags};
use crate::sys::{io_uring_sqe, op, open_how, sqe_flags};
use core::ffi::c_char;
use libc::{AT_FDCWD, mode_t};

/// IORING_OP_OPENAT.
#[inline]
pub fn openat(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, flags: i32, mode: mode_t) {
    rw_op_flags(sqe, op::OPENAT, dfd, addr(path), mode, 0, flags as u32);
}

/// IORING_OP_OPENAT into direct slot `file_index` (or
/// IORING_FILE_INDEX_ALLOC).
#[inline]
pub fn openat_direct(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, flags: i32, mode: mode_t, file_index: u32) {
    openat(sqe, dfd, path, flags, mode);
    sqe.file_index = install_slot(file_index);
}

/// IORING_OP_OPENAT2; `how` is the kernel's `struct open_how`.
#[inline]
pub fn openat2(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, how: *const open_how) {
    rw(sqe, op::OPENAT2, dfd, addr(path), size_of::<open_how>() as u32, addr(how));
}

/// IORING_OP_OPENAT2 into direct slot `file_index` (or
/// IORING_FILE_INDEX_ALLOC).
#[inline]
pub fn openat2_direct(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, how: *const open_how, file_index: u32) {
    openat2(sqe, dfd, path, how);
    sqe.file_index = install_slot(file_index);
}

/// IORING_OP_OPENAT relative to the working directory.
#[inline]
pub fn open(sqe: &mut io_uring_sqe, path: *const c_char, flags: i32, mode: mode_t) {
    openat(sqe, AT_FDCWD, path, flags, mode);
}

/// IORING_OP_OPENAT relative to the working directory, into a direct slot.
#[inline]
pub fn open_direct(sqe: &mut io_uring_sqe, path: *const c_char, flags: i32, mode: mode_t, file_index: u32) {
    openat_direct(sqe, AT_FDCWD, path, flags, mode, file_index);
}

/// IORING_OP_CLOSE of a normal descriptor.
#[inline]
pub fn close(sqe: &mut io_uring_sqe, fd: i32) {
    rw(sqe, op::CLOSE, fd, 0, 0, 0);
}

/// IORING_OP_CLOSE of direct slot `file_index`.
#[inline]
pub fn close_direct(sqe: &mut io_uring_sqe, file_index: u32) {
    close(sqe, 0);
    sqe.file_index = fixed_slot(file_index);
}

/// IORING_OP_STATX: `mask` travels in `len`, the result buffer in `off`.
#[inline]
pub fn statx(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, flags: i32, mask: u32, statxbuf: *mut libc::statx) {
    rw_op_flags(sqe, op::STATX, dfd, addr(path), mask, addr(statxbuf), flags as u32);
}

/// IORING_OP_RENAMEAT: the new directory fd travels in `len`, the new
/// path in `off`.
#[inline]
pub fn renameat(
    sqe: &mut io_uring_sqe,
    olddfd: i32,
    oldpath: *const c_char,
    newdfd: i32,
    newpath: *const c_char,
    flags: u32,
) {
    rw_op_flags(sqe, op::RENAMEAT, olddfd, addr(oldpath), newdfd as u32, addr(newpath), flags);
}

/// IORING_OP_RENAMEAT of two paths relative to the working directory.
#[inline]
pub fn rename(sqe: &mut io_uring_sqe, oldpath: *const c_char, newpath: *const c_char) {
    renameat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/// IORING_OP_UNLINKAT (AT_REMOVEDIR in `flags` for rmdir).
#[inline]
pub fn unlinkat(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, flags: i32) {
    rw_op_flags(sqe, op::UNLINKAT, dfd, addr(path), 0, 0, flags as u32);
}

/// IORING_OP_UNLINKAT relative to the working directory.
#[inline]
pub fn unlink(sqe: &mut io_uring_sqe, path: *const c_char, flags: i32) {
    unlinkat(sqe, AT_FDCWD, path, flags);
}

/// IORING_OP_MKDIRAT.
#[inline]
pub fn mkdirat(sqe: &mut io_uring_sqe, dfd: i32, path: *const c_char, mode: mode_t) {
    rw(sqe, op::MKDIRAT, dfd, addr(path), mode, 0);
}

/// IORING_OP_MKDIRAT relative to the working directory.
#[inline]
pub fn mkdir(sqe: &mut io_uring_sqe, path: *const c_char, mode: mode_t) {
    mkdirat(sqe, AT_FDCWD, path, mode);
}

/// IORING_OP_SYMLINKAT: creates `linkpath` (relative to `newdirfd`)
/// pointing at `target`.
#[inline]
pub fn symlinkat(sqe: &mut io_uring_sqe, target: *const c_char, newdirfd: i32, linkpath: *const c_char) {
    rw(sqe, op::SYMLINKAT, newdirfd, addr(target), 0, addr(linkpath));
}

/// IORING_OP_SYMLINKAT relative to the working directory.
#[inline]
pub fn symlink(sqe: &mut io_uring_sqe, target: *const c_char, linkpath: *const c_char) {
    symlinkat(sqe, target, AT_FDCWD, linkpath);
}

/// IORING_OP_LINKAT: laid out like renameat.
#[inline]
pub fn linkat(
    sqe: &mut io_uring_sqe,
    olddfd: i32,
    oldpath: *const c_char,
    newdfd: i32,
    newpath: *const c_char,
    flags: i32,
) {
    rw_op_flags(sqe, op::LINKAT, olddfd, addr(oldpath), newdfd as u32, addr(newpath), flags as u32);
}

/// IORING_OP_LINKAT relative to the working directory.
#[inline]
pub fn link(sqe: &mut io_uring_sqe, oldpath: *const c_char, newpath: *const c_char, flags: i32) {
    linkat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, flags);
}

/// IORING_OP_FILES_UPDATE: replaces `nr_fds` direct slots from `offset`
/// (IORING_FILE_INDEX_ALLOC: any free ones, written back into `fds`).
#[inline]
pub fn files_update(sqe: &mut io_uring_sqe, fds: *mut i32, nr_fds: u32, offset: i32) {
    rw(sqe, op::FILES_UPDATE, -1, addr(fds), nr_fds, offset as u64);
}

/// IORING_OP_FIXED_FD_INSTALL: makes direct descriptor `fd` a normal one.
/// Sets the SQE's flags to exactly IOSQE_FIXED_FILE.
#[inline]
pub fn fixed_fd_install(sqe: &mut io_uring_sqe, fd: i32, flags: u32) {
    rw_op_flags(sqe, op::FIXED_FD_INSTALL, fd, 0, 0, 0, flags);
    sqe.flags = sqe_flags::FIXED_FILE;
}
