//! The raw system calls, exported under liburing's names.

use crate::emu;
use crate::sys::{io_uring_params, syscall};
use core::ffi::{c_int, c_uint, c_void};

/// io_uring_setup(2): returns the new ring fd or -errno.
///
/// # Safety
/// `p` must point to a writable `struct io_uring_params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_setup(entries: c_uint, p: *mut io_uring_params) -> c_int {
    // SAFETY: the kernel validates `p` and fails with -EFAULT if it is bad.
    unsafe { syscall::io_uring_setup(entries, p) }
}

/// io_uring_enter(2) with an optional signal mask: returns the number of
/// SQEs consumed or -errno.
///
/// # Safety
/// `sig` must be NULL or point to a `sigset_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_enter(
    fd: c_uint,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    sig: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: `sig` is NULL or a sigset (# Safety), of the kernel's 8 bytes.
    unsafe { io_uring_enter2(fd, to_submit, min_complete, flags, sig.cast(), 65 / 8) }
}

/// io_uring_enter(2) with an argument of `sz` bytes (a sigset, or an
/// extended argument when `flags` has IORING_ENTER_EXT_ARG). On an
/// emulated ring's fd, the userspace engine answers.
///
/// # Safety
/// `arg` must be NULL or valid for what `flags` says it is.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_enter2(
    fd: c_uint,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    arg: *mut c_void,
    sz: usize,
) -> c_int {
    if let Some(rings) = emu::routes::rings_of(fd) {
        // SAFETY: routed fds are live emulated rings'; `arg` is valid for `flags` (# Safety).
        return unsafe { emu::enter(rings, to_submit, min_complete, flags, arg, sz) };
    }
    // SAFETY: the kernel validates the argument pointer.
    unsafe { syscall::io_uring_enter(fd, to_submit, min_complete, flags, arg, sz) }
}

/// io_uring_register(2): returns the opcode's result or -errno. On an
/// emulated ring's fd, the userspace engine answers.
///
/// # Safety
/// `arg` must be valid for `opcode` and `nr_args`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register(fd: c_uint, opcode: c_uint, arg: *const c_void, nr_args: c_uint) -> c_int {
    if let Some(rings) = emu::routes::rings_of(fd) {
        // SAFETY: routed fds are live emulated rings'; `arg` is valid for `opcode` (# Safety).
        return unsafe { emu::register(rings, opcode, arg, nr_args) };
    }
    // SAFETY: the kernel validates the argument pointer.
    unsafe { syscall::io_uring_register(fd, opcode, arg, nr_args) }
}
