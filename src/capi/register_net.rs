//! Networking registrations: NAPI busy polling, zero-copy receive.

use super::{live, ret};
use crate::register::net;
use crate::ring::io_uring;
use crate::sys::{io_uring_napi, io_uring_zcrx_ifq_reg, zcrx_ctrl};
use core::ffi::c_int;

/// Turns on NAPI busy polling for the ring's sockets with the settings in
/// `napi` (busy_poll_to in microseconds, prefer_busy_poll). Returns 0 or
/// -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `napi` must point
/// to a `struct io_uring_napi`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_napi(ring: *mut io_uring, napi: *mut io_uring_napi) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `napi` is what net::napi asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { net::napi(&r, napi, true) }))
}

/// Turns NAPI busy polling off; when `napi` is not NULL, the settings that
/// were in force are written to it. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `napi` must be NULL
/// or point to a `struct io_uring_napi`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_napi(ring: *mut io_uring, napi: *mut io_uring_napi) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `napi` is what net::napi asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { net::napi(&r, napi, false) }))
}

/// Attaches a zero-copy receive interface queue, as `reg` describes it
/// (interface and RX queue, refill ring size, buffer area); the kernel
/// fills in the instance id and the refill ring offsets. Returns 0 or
/// -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `reg` must point to
/// a `struct io_uring_zcrx_ifq_reg` whose pointers are valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_ifq(ring: *mut io_uring, reg: *mut io_uring_zcrx_ifq_reg) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `reg` is what net::register_ifq asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { net::register_ifq(&r, reg) }))
}

/// Runs the control operation `ctrl->op` (ZCRX_CTRL_*) on zero-copy receive
/// instance `ctrl->zcrx_id`. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `ctrl` must point
/// to a `struct zcrx_ctrl`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_zcrx_ctrl(ring: *mut io_uring, ctrl: *mut zcrx_ctrl) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `ctrl` is what net::zcrx_ctrl asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { net::zcrx_ctrl(&r, ctrl) }))
}
