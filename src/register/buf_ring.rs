//! Provided-buffer rings: registering a ring of buffers the kernel picks
//! from for IOSQE_BUFFER_SELECT requests, reading how far it has consumed
//! them, and allocating/freeing a ring in one call.

use super::register;
use crate::ring::{Live, shared};
use crate::sys::{self, Result, io_uring_buf, io_uring_buf_reg, io_uring_buf_ring, io_uring_buf_status, reg};
use core::ffi::c_int;
use core::ptr;

/// io_uring_register_buf_ring: ORs `flags` into `reg.flags` (as liburing
/// does, so the caller sees them) and registers the ring `reg` describes.
///
/// # Safety
/// Unless the flags ask the kernel to allocate the ring
/// (IOU_PBUF_RING_MMAP), `reg.ring_addr` must point to `reg.ring_entries`
/// buffer entries that stay mapped until the group is unregistered: from
/// now on the kernel reads them, and writes into the buffers they name.
pub unsafe fn register_ring(ring: &Live<'_>, reg: &mut io_uring_buf_reg, flags: u32) -> Result<u32> {
    reg.flags |= flags as u16;
    // SAFETY: `arg` is one buf_reg, as REGISTER_PBUF_RING reads; the ring
    // memory it names is valid for as long as registered, per the contract.
    unsafe { register(ring, reg::REGISTER_PBUF_RING, (&raw const *reg).cast(), 1) }
}

/// io_uring_unregister_buf_ring: drops buffer group `bgid`.
pub fn unregister(ring: &Live<'_>, bgid: c_int) -> Result<u32> {
    let arg = io_uring_buf_reg { bgid: bgid as u16, ..Default::default() };
    // SAFETY: one buf_reg, read by the kernel.
    unsafe { register(ring, reg::UNREGISTER_PBUF_RING, (&raw const arg).cast(), 1) }
}

/// io_uring_buf_ring_head: the kernel's head of group `buf_group`, stored
/// in `head` when the kernel returns 0 (IORING_REGISTER_PBUF_STATUS).
pub fn head(ring: &Live<'_>, buf_group: c_int, head: &mut u16) -> Result<u32> {
    let mut status = io_uring_buf_status { buf_group: buf_group as u32, ..Default::default() };
    // SAFETY: one buf_status, which the kernel fills in.
    let ret = unsafe { register(ring, reg::REGISTER_PBUF_STATUS, (&raw mut status).cast_const().cast(), 1) }?;
    if ret == 0 {
        *head = status.head as u16;
    }
    Ok(ret)
}

/// Entries published to the kernel and not yet consumed by it, for the
/// ring registered as group `bgid`.
///
/// # Safety
/// `br` must point to a buffer ring.
pub unsafe fn available(ring: &Live<'_>, br: *mut io_uring_buf_ring, bgid: u16) -> Result<u32> {
    let mut head = 0;
    self::head(ring, bgid as c_int, &mut head)?;
    // SAFETY: `br` points to a buffer ring per this function's contract.
    let tail = unsafe { crate::ring::buf_ring::tail(br) };
    Ok(tail.wrapping_sub(head) as u32)
}

/// Bytes of a ring of `nentries` buffers.
fn ring_bytes(nentries: u32) -> usize {
    (nentries as usize).saturating_mul(size_of::<io_uring_buf>())
}

/// io_uring_setup_buf_ring: maps room for `nentries` buffers, registers it
/// as group `bgid` with `flags`, and returns it with an empty tail.
pub fn setup(ring: &Live<'_>, nentries: u32, bgid: c_int, flags: u32) -> Result<*mut io_uring_buf_ring> {
    let len = ring_bytes(nentries);
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    // SAFETY: a fresh anonymous mapping aliases nothing.
    let br = unsafe { sys::syscall::mmap(ptr::null_mut(), len, prot, libc::MAP_ANONYMOUS | libc::MAP_PRIVATE, -1, 0) }?;
    let mut arg =
        io_uring_buf_reg { ring_addr: br as u64, ring_entries: nentries, bgid: bgid as u16, ..Default::default() };
    // SAFETY: `br` is a fresh mapping of `nentries` entries, unmapped only
    // by [`free`] after unregistering, or right below if this fails.
    if let Err(e) = unsafe { register_ring(ring, &mut arg, flags) } {
        // SAFETY: mapped above and not handed out.
        unsafe { sys::syscall::munmap(br, len) };
        return Err(e);
    }
    let br = br.cast::<io_uring_buf_ring>();
    // SAFETY: the tail word lies in the mapping, which the kernel now shares.
    unsafe { shared::store_release_u16(&raw mut (*br).tail, 0) };
    Ok(br)
}

/// io_uring_free_buf_ring: unregisters group `bgid`, then unmaps `br`, a
/// ring of `nentries` from [`setup`].
///
/// # Safety
/// `br` must come from [`setup`] with `nentries`, and not be used after.
pub unsafe fn free(ring: &Live<'_>, br: *mut io_uring_buf_ring, nentries: u32, bgid: c_int) -> Result<u32> {
    unregister(ring, bgid)?;
    // SAFETY: the caller hands the mapping back; the kernel dropped it above.
    unsafe { sys::syscall::munmap(br.cast(), ring_bytes(nentries)) };
    Ok(0)
}
