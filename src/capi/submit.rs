//! Getting SQEs and submitting them.

use super::{live, live_ref, ret};
use crate::ring::{io_uring, submit};
use crate::sys::io_uring_sqe;
use core::ffi::{c_int, c_uint};
use core::ptr;

/// Returns the next free SQE, cleared for a preparer, or NULL when the SQ is
/// full (or the ring is not set up).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_get_sqe(ring: *mut io_uring) -> *mut io_uring_sqe {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    match unsafe { live(ring) } {
        Ok(mut r) => submit::get_sqe(&mut r).map_or(ptr::null_mut(), ptr::from_mut),
        Err(_) => ptr::null_mut(),
    }
}

/// Returns a 128-byte SQE: any SQE of an SQE128 ring, or two adjacent slots
/// of an SQE_MIXED ring. NULL when full or when the ring has neither flag.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_get_sqe128(ring: *mut io_uring) -> *mut io_uring_sqe {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    match unsafe { live(ring) } {
        Ok(mut r) => submit::get_sqe128(&mut r).map_or(ptr::null_mut(), ptr::from_mut),
        Err(_) => ptr::null_mut(),
    }
}

/// Number of SQEs prepared and not yet consumed by the kernel.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sq_ready(ring: *const io_uring) -> c_uint {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    unsafe { live_ref(ring) }.map_or(0, submit::sq_ready)
}

/// Number of free SQ slots.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sq_space_left(ring: *const io_uring) -> c_uint {
    // SAFETY: `ring` is NULL or an io_uring nobody mutates during the call (# Safety).
    unsafe { live_ref(ring) }.map_or(0, submit::sq_space_left)
}

/// On an SQPOLL ring with a full SQ, waits until the poller frees a slot.
/// Returns 0 at once otherwise, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_sqring_wait(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| submit::sqring_wait(&r)))
}

/// Waits (IORING_ENTER_SQ_WAIT) until the SQPOLL thread frees a slot,
/// unconditionally. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __io_uring_sqring_wait(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| submit::sqring_wait_enter(&r)))
}

/// Submits the prepared SQEs. Returns how many were submitted, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_submit(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| submit::submit_and_wait(&mut r, 0)))
}

/// Submits the prepared SQEs and waits for `wait_nr` completions. Returns
/// how many SQEs were submitted, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_submit_and_wait(ring: *mut io_uring, wait_nr: c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| submit::submit_and_wait(&mut r, wait_nr)))
}

/// Submits the prepared SQEs and always enters the kernel to flush
/// completions and run task work. Returns the count submitted, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_submit_and_get_events(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| submit::submit_and_get_events(&mut r)))
}

/// Enters the kernel only to flush overflowed completions and run task
/// work. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_get_events(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| submit::get_events(&r)))
}
