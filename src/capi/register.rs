//! Registrations.

use super::{live, ret};
use crate::register::ring_fd;
use crate::ring::io_uring;
use core::ffi::c_int;

/// Registers the ring's fd so io_uring_enter and io_uring_register use the
/// registered index. Returns 1, -EEXIST if already registered, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_ring_fd(ring: *mut io_uring) -> c_int {
    // SAFETY: forwarded from the caller's contract.
    ret(unsafe { live(ring) }.and_then(ring_fd::register_ring))
}

/// Undoes io_uring_register_ring_fd. Returns 1, -EINVAL if not
/// registered, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_ring_fd(ring: *mut io_uring) -> c_int {
    // SAFETY: forwarded from the caller's contract.
    ret(unsafe { live(ring) }.and_then(ring_fd::unregister))
}

/// Closes the ring's plain fd once its fd is registered, leaving only the
/// registered index. Returns 1 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_close_ring_fd(ring: *mut io_uring) -> c_int {
    // SAFETY: forwarded from the caller's contract.
    ret(unsafe { live(ring) }.and_then(ring_fd::close))
}
