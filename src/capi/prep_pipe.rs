//! Pipe, splice and tee preparers.

use super::sqe::with_sqe;
use crate::prep::pipe;
use crate::sys::io_uring_sqe;
use core::ffi::{c_int, c_uint};

/// Prepares a splice(2) of `nbytes` from `fd_in` to `fd_out`; one of them
/// must be a pipe, whose offset must be -1. For the other, -1 means its
/// file position. SPLICE_F_FD_IN_FIXED in `splice_flags` makes `fd_in` a
/// direct descriptor.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_splice(
    sqe: *mut io_uring_sqe,
    fd_in: c_int,
    off_in: i64,
    fd_out: c_int,
    off_out: i64,
    nbytes: c_uint,
    splice_flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| pipe::splice(s, fd_in, off_in, fd_out, off_out, nbytes, splice_flags)) }
}

/// Prepares a tee(2): copies up to `nbytes` from pipe `fd_in` to pipe
/// `fd_out` without consuming them.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_tee(
    sqe: *mut io_uring_sqe,
    fd_in: c_int,
    fd_out: c_int,
    nbytes: c_uint,
    splice_flags: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety).
    unsafe { with_sqe(sqe, |s| pipe::tee(s, fd_in, fd_out, nbytes, splice_flags)) }
}

/// Prepares a pipe2(2); the read and write ends land in `fds[0]` and
/// `fds[1]`.
///
/// # Safety
/// `sqe` must be NULL or point to an SQE; `fds` must have room for two
/// ints until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_pipe(sqe: *mut io_uring_sqe, fds: *mut c_int, pipe_flags: c_int) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `fds` is only stored, not read.
    unsafe { with_sqe(sqe, |s| pipe::pipe(s, fds, pipe_flags)) }
}

/// As io_uring_prep_pipe, with both ends as direct descriptors from slot
/// `file_index` (IORING_FILE_INDEX_ALLOC: any free slots); `fds` gets the
/// slot numbers.
///
/// # Safety
/// As for io_uring_prep_pipe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_prep_pipe_direct(
    sqe: *mut io_uring_sqe,
    fds: *mut c_int,
    pipe_flags: c_int,
    file_index: c_uint,
) {
    // SAFETY: `sqe` is NULL or an SQE (# Safety); `fds` is only stored, not read.
    unsafe { with_sqe(sqe, |s| pipe::pipe_direct(s, fds, pipe_flags, file_index)) }
}
