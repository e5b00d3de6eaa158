//! Networking registrations: NAPI busy polling, and zero-copy receive
//! interface queues.

use super::register;
use crate::ring::Live;
use crate::sys::{Result, io_uring_napi, io_uring_zcrx_ifq_reg, reg, zcrx_ctrl};

/// io_uring_register_napi (io_uring_unregister_napi when `on` is false):
/// the kernel reads and writes back the settings in `napi`.
///
/// # Safety
/// `napi` must be NULL or point to a writable io_uring_napi.
pub unsafe fn napi(ring: &Live<'_>, napi: *mut io_uring_napi, on: bool) -> Result<u32> {
    let opcode = if on { reg::REGISTER_NAPI } else { reg::UNREGISTER_NAPI };
    // SAFETY: `napi` is NULL or a writable io_uring_napi (# Safety), which the kernel
    // reads and writes back.
    unsafe { register(ring, opcode, napi.cast_const().cast(), 1) }
}

/// io_uring_register_ifq: attaches a zero-copy receive queue as `arg`
/// describes; the kernel fills in its id and offsets.
///
/// # Safety
/// `arg` must point to a writable zcrx_ifq_reg whose pointers are valid.
pub unsafe fn register_ifq(ring: &Live<'_>, arg: *mut io_uring_zcrx_ifq_reg) -> Result<u32> {
    // SAFETY: `arg` is a writable zcrx_ifq_reg with valid pointers (# Safety).
    unsafe { register(ring, reg::REGISTER_ZCRX_IFQ, arg.cast_const().cast(), 1) }
}

/// io_uring_register_zcrx_ctrl: a control operation on a zcrx instance.
///
/// # Safety
/// `ctrl` must point to a writable zcrx_ctrl.
pub unsafe fn zcrx_ctrl(ring: &Live<'_>, ctrl: *mut zcrx_ctrl) -> Result<u32> {
    // SAFETY: `ctrl` is a writable zcrx_ctrl (# Safety).
    unsafe { register(ring, reg::REGISTER_ZCRX_CTRL, ctrl.cast_const().cast(), 0) }
}
