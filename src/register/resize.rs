//! Resizing a live ring's SQ and CQ (IORING_REGISTER_RESIZE_RINGS). The
//! kernel moves pending SQEs and unreaped CQEs into new rings; we map
//! those and rewrite `struct io_uring` to point at them.

use super::register;
use crate::ring::{io_uring, setup as ring_setup};
use crate::sys::{self, Errno, Result, io_cqring_offsets, io_sqring_offsets, io_uring_params, reg, setup};

/// io_uring_resize_rings: asks for the sizes in `p` (sq_entries,
/// cq_entries, CQSIZE/CLAMP in flags), then swaps the ring's mappings for
/// the new rings. The library's sqe_head and sqe_tail carry over, so SQEs
/// already submitted keep their place; SQEs prepared but not yet submitted
/// are not copied by the kernel and should be submitted first.
///
/// As in liburing, `p.flags` is cleared on the way out (after the
/// NO_MMAP check) and rings the application mapped itself are refused with
/// EINVAL. A ring whose plain fd was closed is refused with EBADF before
/// the kernel is asked, since its new rings could not be mapped.
pub fn resize(ring: &mut io_uring, p: &mut io_uring_params) -> Result<u32> {
    if ring.flags & setup::NO_MMAP != 0 {
        return Err(Errno::EINVAL);
    }
    p.sq_off = io_sqring_offsets::default();
    p.cq_off = io_cqring_offsets::default();
    let ret = swap_rings(ring, p);
    p.flags = 0;
    ret
}

fn swap_rings(ring: &mut io_uring, p: &mut io_uring_params) -> Result<u32> {
    if ring.ring_fd < 0 {
        return Err(Errno::EBADF);
    }
    // SAFETY: the kernel reads the params and writes back the new layout.
    unsafe { register(ring, reg::REGISTER_RESIZE_RINGS, (&raw mut *p).cast_const().cast(), 1) }?;
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
