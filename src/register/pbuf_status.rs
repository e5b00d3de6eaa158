//! IORING_REGISTER_PBUF_STATUS: how far the kernel has consumed a
//! provided-buffer ring.

use super::register;
use crate::ring::io_uring;
use crate::sys::{Result, io_uring_buf_status, reg};

/// The kernel's head of the buffer ring registered as group `bgid`.
pub fn buf_ring_head(ring: &io_uring, bgid: u32) -> Result<u16> {
    let mut status = io_uring_buf_status { buf_group: bgid, ..Default::default() };
    // SAFETY: the op reads and writes exactly one io_uring_buf_status,
    // which `status` is, for the duration of the call.
    unsafe { register(ring, reg::REGISTER_PBUF_STATUS, (&raw mut status).cast_const().cast(), 1) }?;
    Ok(status.head as u16)
}
