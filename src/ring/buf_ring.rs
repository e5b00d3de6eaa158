//! The application's side of a provided-buffer ring: filling entries and
//! publishing them through the ring's 16-bit tail, which overlays the first
//! entry's `resv` and is only touched through the shared-word helpers.

use super::{Live, complete, shared};
use crate::sys::{io_uring_buf, io_uring_buf_ring};
use core::ffi::c_void;

/// The tail word of `br`.
#[inline(always)]
fn tail_ptr(br: *mut io_uring_buf_ring) -> *mut u16 {
    // No access happens here; the callers' contracts make `br` valid.
    br.wrapping_byte_add(core::mem::offset_of!(io_uring_buf_ring, tail)).cast()
}

/// The index mask of a ring of `entries` (a power of two) entries.
#[inline(always)]
pub fn mask(entries: u32) -> i32 {
    entries.wrapping_sub(1) as i32
}

/// Resets the tail, before the ring is registered or reused.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline]
pub unsafe fn init(br: *mut io_uring_buf_ring) {
    // SAFETY: the caller guarantees `br` is a ring; its tail is aligned.
    unsafe { shared::store_release_u16(tail_ptr(br), 0) }
}

/// Fills the entry `buf_offset` places past the tail (not yet visible to
/// the kernel) with `addr`, `len` and buffer ID `bid`. The entry's `resv`
/// is left alone: for entry 0 it is the tail itself.
///
/// # Safety
/// `br` must point to a buffer ring with at least `mask + 1` entries.
#[inline]
pub unsafe fn add(br: *mut io_uring_buf_ring, addr: *mut c_void, len: u32, bid: u16, mask: i32, buf_offset: i32) {
    // SAFETY: the caller guarantees `br` is a ring of `mask + 1` entries,
    // and the masked index stays inside it.
    unsafe {
        let index = (shared::load_relaxed_u16(tail_ptr(br)) as i32).wrapping_add(buf_offset) & mask;
        let buf = br.cast::<io_uring_buf>().offset(index as isize);
        (*buf).addr = addr as usize as u64;
        (*buf).len = len;
        (*buf).bid = bid;
    }
}

/// Makes `count` entries added since the last advance visible to the
/// kernel: the release store orders the entries' contents before the tail.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline]
pub unsafe fn advance(br: *mut io_uring_buf_ring, count: i32) {
    // SAFETY: the caller guarantees `br` is a ring; its tail is aligned.
    unsafe {
        let tail = tail_ptr(br);
        shared::store_release_u16(tail, shared::load_relaxed_u16(tail).wrapping_add(count as u16));
    }
}

/// Publishes `buf_count` buffers and consumes `cq_count` CQEs together.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline]
pub unsafe fn cq_advance(ring: &mut Live<'_>, br: *mut io_uring_buf_ring, cq_count: i32, buf_count: i32) {
    // SAFETY: `br` is a buffer ring, per this function's contract.
    unsafe { advance(br, buf_count) };
    complete::cq_advance(ring, cq_count as u32);
}

/// The tail the application last published.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline]
pub unsafe fn tail(br: *mut io_uring_buf_ring) -> u16 {
    // SAFETY: `br` is a buffer ring per the contract; its tail is aligned.
    unsafe { shared::load_relaxed_u16(tail_ptr(br)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_and_advance_fill_entries_and_keep_the_tail() {
        let mut ring = [io_uring_buf::default(); 4];
        let br = ring.as_mut_ptr().cast::<io_uring_buf_ring>();
        let m = mask(4);
        assert_eq!(m, 3);
        // SAFETY: `ring` is a 4-entry ring for the whole block.
        unsafe {
            init(br);
            for i in 0..4 {
                add(br, (0x1000 * (i + 1)) as *mut c_void, 64 + i as u32, 10 + i as u16, m, i);
            }
            // Entry 0's resv is the tail: still 0 before advancing.
            assert_eq!((*br).tail, 0);
            advance(br, 4);
            assert_eq!((*br).tail, 4);
            // Wrapping: the next add lands in entry 0 again.
            add(br, 0x9000 as *mut c_void, 7, 99, m, 0);
            advance(br, 1);
            assert_eq!((*br).tail, 5);
        }
        assert_eq!((ring[0].addr, ring[0].len, ring[0].bid, ring[0].resv), (0x9000, 7, 99, 5));
        assert_eq!((ring[3].addr, ring[3].len, ring[3].bid), (0x4000, 67, 13));
    }

    #[test]
    fn tail_wraps_at_16_bits() {
        let mut ring = [io_uring_buf::default(); 1];
        let br = ring.as_mut_ptr().cast::<io_uring_buf_ring>();
        // SAFETY: `ring` is a 1-entry ring.
        unsafe {
            advance(br, 0xffff);
            advance(br, 3);
            assert_eq!((*br).tail, 2);
            advance(br, -2);
            assert_eq!((*br).tail, 0);
        }
    }
}
