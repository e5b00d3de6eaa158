//! Synchronous operations done through io_uring_register: cancelling
//! requests and posting a message to a ring, without an SQE round trip.

use super::{register, register_ringless};
use crate::ring::Live;
use crate::sys::{Result, io_uring_sqe, io_uring_sync_cancel_reg, reg};

/// io_uring_register_sync_cancel: cancels what `arg` matches and waits
/// (up to its timeout) until the requests are gone. With CANCEL_ALL or
/// CANCEL_ANY the kernel returns how many it cancelled.
///
/// # Safety
/// `arg` must point to a sync_cancel_reg.
pub unsafe fn cancel(ring: &Live<'_>, arg: *const io_uring_sync_cancel_reg) -> Result<u32> {
    // SAFETY: `arg` is a sync_cancel_reg (# Safety), what the kernel reads.
    unsafe { register(ring, reg::REGISTER_SYNC_CANCEL, arg.cast(), 1) }
}

/// io_uring_register_sync_msg: performs the IORING_OP_MSG_RING request
/// `sqe` right away, posting its CQE to the target ring.
///
/// # Safety
/// `sqe` must point to an SQE.
pub unsafe fn msg(sqe: *const io_uring_sqe) -> Result<u32> {
    // SAFETY: `sqe` is an SQE (# Safety), what the kernel reads.
    unsafe { register_ringless(reg::REGISTER_SEND_MSG_RING, sqe.cast(), 1) }
}
