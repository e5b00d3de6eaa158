//! Read and write preparers.

use super::sqe::with_sqe;
use crate::prep::rw;
use crate::sys::{__u64, io_uring_sqe};
use core::ffi::{c_int, c_uint, c_void};
use libc::iovec;

/// Prepares a read of up to `nbytes` into `buf` from `fd` at `offset`
/// (-1 or (__u64)-1: at the file position, advancing it).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `buf` must stay valid until the
/// read completes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_read(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    buf: *mut c_void,
    nbytes: c_uint,
    offset: __u64,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::read(s, fd, buf, nbytes, offset)) }
}

/// Prepares a write of `nbytes` from `buf` to `fd` at `offset` (-1: at the
/// file position).
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `buf` must stay valid until the
/// write completes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_write(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    buf: *const c_void,
    nbytes: c_uint,
    offset: __u64,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::write(s, fd, buf, nbytes, offset)) }
}

/// Prepares a vectored read (preadv) into `nr_vecs` buffers.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `iovecs` must stay valid until
/// submission, the buffers until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_readv(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    iovecs: *const iovec,
    nr_vecs: c_uint,
    offset: __u64,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `iovecs` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::readv(s, fd, iovecs, nr_vecs, offset)) }
}

/// Prepares a vectored read with RWF_* `flags` (preadv2).
///
/// # Safety
/// As for io_uring_prep_readv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_readv2(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    iovecs: *const iovec,
    nr_vecs: c_uint,
    offset: __u64,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `iovecs` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::readv2(s, fd, iovecs, nr_vecs, offset, flags)) }
}

/// Prepares a vectored write (pwritev) from `nr_vecs` buffers.
///
/// # Safety
/// As for io_uring_prep_readv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_writev(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    iovecs: *const iovec,
    nr_vecs: c_uint,
    offset: __u64,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `iovecs` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::writev(s, fd, iovecs, nr_vecs, offset)) }
}

/// Prepares a vectored write with RWF_* `flags` (pwritev2).
///
/// # Safety
/// As for io_uring_prep_readv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_writev2(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    iovecs: *const iovec,
    nr_vecs: c_uint,
    offset: __u64,
    flags: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `iovecs` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::writev2(s, fd, iovecs, nr_vecs, offset, flags)) }
}

/// Prepares a read into registered buffer `buf_index`; `buf` must lie
/// within that buffer.
///
/// # Safety
/// As for io_uring_prep_read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_read_fixed(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    buf: *mut c_void,
    nbytes: c_uint,
    offset: __u64,
    buf_index: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::read_fixed(s, fd, buf, nbytes, offset, buf_index)) }
}

/// Prepares a write from registered buffer `buf_index`; `buf` must lie
/// within that buffer.
///
/// # Safety
/// As for io_uring_prep_write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_write_fixed(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    buf: *const c_void,
    nbytes: c_uint,
    offset: __u64,
    buf_index: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `buf` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::write_fixed(s, fd, buf, nbytes, offset, buf_index)) }
}

/// Prepares a vectored read whose iovecs all lie within registered
/// buffer `buf_index`.
///
/// # Safety
/// As for io_uring_prep_readv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_readv_fixed(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    iovecs: *const iovec,
    nr_vecs: c_uint,
    offset: __u64,
    flags: c_int,
    buf_index: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `iovecs` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::readv_fixed(s, fd, iovecs, nr_vecs, offset, flags, buf_index)) }
}

/// Prepares a vectored write whose iovecs all lie within registered
/// buffer `buf_index`.
///
/// # Safety
/// As for io_uring_prep_readv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_writev_fixed(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    iovecs: *const iovec,
    nr_vecs: c_uint,
    offset: __u64,
    flags: c_int,
    buf_index: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `iovecs` is only stored, not read.
    unsafe { with_sqe(sqe, |s| rw::writev_fixed(s, fd, iovecs, nr_vecs, offset, flags, buf_index)) }
}

/// Prepares a multishot read: each time data arrives, a buffer from
/// group `buf_group` is filled and a CQE with IORING_CQE_F_MORE posted.
/// Replaces the SQE's flags with IOSQE_BUFFER_SELECT.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_read_multishot(
    sqe: *mut io_uring_sqe,
    fd: c_int,
    nbytes: c_uint,
    offset: __u64,
    buf_group: c_int,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| rw::read_multishot(s, fd, nbytes, offset, buf_group)) }
}
