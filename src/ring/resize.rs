//! Resizing a live ring's SQ and CQ (IORING_REGISTER_RESIZE_RINGS). The
//! kernel moves pending SQEs and unreaped CQEs into new rings; we map
//! those and rewrite `struct io_uring` to point at them.

use super::fd::register;
use super::setup as ring_setup;
use super::types::io_uring;
use super::{Live, LiveRing};
use crate::sys::{self, Errno, Result, io_cqring_offsets, io_sqring_offsets, io_uring_params, reg, setup};

/// io_uring_resize_rings: asks for the sizes in `p` (sq_entries,
/// cq_entries, CQSIZE/CLAMP in flags), then swaps the ring's mappings for
/// the new rings. The library's sqe_head and sqe_tail carry over, so SQEs
/// already submitted keep their place; SQEs prepared but not yet submitted
/// are not copied by the kernel and should be submitted first.
///
/// As in liburing, `p.flags` is cleared on the way out (after the
/// NO_MMAP check) and rings the application mapped itself are refused with
/// EINVAL. Unlike liburing, a ring whose plain fd was closed is refused
/// with EBADF before the kernel is asked (its new rings could not be
/// mapped), and the SQ index array of rings that have one is found even
/// when the kernel does not report it.
pub fn resize(ring: &mut Live<'_>, p: &mut io_uring_params) -> Result<u32> {
    if ring.flags & setup::NO_MMAP != 0 {
        return Err(Errno::EINVAL);
    }
    p.sq_off = io_sqring_offsets::default();
    p.cq_off = io_cqring_offsets::default();
    let ret = swap_rings(ring, p);
    p.flags = 0;
    ret
}

fn swap_rings(ring: &mut LiveRing, p: &mut io_uring_params) -> Result<u32> {
    if ring.ring_fd < 0 {
        return Err(Errno::EBADF);
    }
    // SAFETY: the kernel reads the params and writes back the new layout.
    unsafe { register(ring, reg::REGISTER_RESIZE_RINGS, (&raw mut *p).cast_const().cast(), 1) }?;
    locate_sq_array(p);
    let mut fresh = io_uring::EMPTY;
    // SAFETY: the ring fd now serves rings laid out as `p` says.
    unsafe { ring_setup::mmap_rings(ring.ring_fd, p, &mut fresh.sq, &mut fresh.cq) }?;
    // SAFETY: the old mappings are ours and the kernel no longer uses them;
    // the struct is pointed at the new ones right after.
    unsafe {
        sys::syscall::munmap(ring.sq.sqes.cast(), ring.sq.sqes_sz as usize);
        ring_setup::unmap_rings(&ring.sq, &ring.cq);
    }
    let (sqe_head, sqe_tail) = (ring.sq.sqe_head, ring.sq.sqe_tail);
    ring.sq = fresh.sq;
    ring.cq = fresh.cq;
    ring.sq.sqe_head = sqe_head;
    ring.sq.sqe_tail = sqe_tail;
    ring_setup::identity_sq_array(ring);
    Ok(0)
}

/// The kernel's SMP_CACHE_BYTES, which aligns the SQ index array.
#[cfg(any(target_arch = "powerpc", target_arch = "powerpc64"))]
const KERNEL_CACHE_LINE: usize = 128;
#[cfg(target_arch = "s390x")]
const KERNEL_CACHE_LINE: usize = 256;
#[cfg(not(any(target_arch = "powerpc", target_arch = "powerpc64", target_arch = "s390x")))]
const KERNEL_CACHE_LINE: usize = 64;

/// Kernels up to at least 6.18 leave `sq_off.array` at 0 after a resize
/// although a ring without IORING_SETUP_NO_SQARRAY still has an index
/// array (liburing would then write the array over the ring header). The
/// kernel places it as at setup: after the CQEs, on a cache line.
fn locate_sq_array(p: &mut io_uring_params) {
    if p.flags & setup::NO_SQARRAY != 0 || p.sq_off.array != 0 {
        return;
    }
    let cqes_end = p.cq_off.cqes as usize + ring_setup::cqes_bytes(p.flags, p.cq_entries);
    p.sq_off.array = cqes_end.next_multiple_of(KERNEL_CACHE_LINE) as u32;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(flags: u32, cqes: u32, cq_entries: u32, array: u32) -> io_uring_params {
        let mut p = io_uring_params { flags, cq_entries, ..Default::default() };
        p.cq_off.cqes = cqes;
        p.sq_off.array = array;
        p
    }

    #[test]
    fn sq_array_follows_the_cqes_on_a_cache_line() {
        let mut p = params(0, 64, 32, 0);
        locate_sq_array(&mut p);
        assert_eq!(p.sq_off.array as usize, (64 + 32 * 16usize).next_multiple_of(KERNEL_CACHE_LINE));
        let mut p = params(setup::CQE32, 64, 3, 0);
        locate_sq_array(&mut p);
        assert_eq!(p.sq_off.array as usize, (64 + 3 * 32usize).next_multiple_of(KERNEL_CACHE_LINE));
    }

    #[test]
    fn reported_or_absent_arrays_are_left_alone() {
        let mut p = params(0, 64, 32, 1000);
        locate_sq_array(&mut p);
        assert_eq!(p.sq_off.array, 1000);
        let mut p = params(setup::NO_SQARRAY, 64, 32, 0);
        locate_sq_array(&mut p);
        assert_eq!(p.sq_off.array, 0);
    }
}
