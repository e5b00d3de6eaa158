//! The submission side: handing out SQEs, publishing them to the kernel, and
//! deciding when io_uring_enter is needed.

use super::hooks;
use super::int_flags;
use super::setup::sqe_shift;
use super::shared;
use super::{Live, LiveRing};
use crate::sys::{self, Errno, Result, enter, io_uring_sqe, setup, sq_flags};
use core::ptr;

/// The kernel's SQ head, acquired under SQPOLL (the kernel thread consumes
/// concurrently, so we must not reuse a slot before it finished reading).
#[inline(always)]
pub fn load_sq_head(ring: &LiveRing) -> u32 {
    // SAFETY: the ring is live, so khead points at the SQ header its setup
    // mapped; the load is atomic.
    unsafe {
        if ring.flags & setup::SQPOLL != 0 {
            shared::load_acquire(ring.sq.khead)
        } else {
            shared::load_relaxed(ring.sq.khead)
        }
    }
}

/// SQEs prepared but not yet consumed by the kernel.
#[inline(always)]
pub fn sq_ready(ring: &LiveRing) -> u32 {
    ring.sq.sqe_tail.wrapping_sub(load_sq_head(ring))
}

/// Free SQ slots.
#[inline(always)]
pub fn sq_space_left(ring: &LiveRing) -> u32 {
    ring.sq.ring_entries.wrapping_sub(sq_ready(ring))
}

/// Clears the fields a preparer may leave untouched, as liburing's get_sqe does.
#[inline(always)]
pub fn initialize_sqe(sqe: &mut io_uring_sqe) {
    sqe.flags = 0;
    sqe.ioprio = 0;
    sqe.op_flags = 0;
    sqe.buf_index = 0;
    sqe.personality = 0;
    sqe.file_index = 0;
    sqe.addr3 = 0;
    sqe.__pad2[0] = 0;
}

/// Hands out the next SQE slot, or None when the SQ is full.
#[inline(always)]
pub fn get_sqe<'r>(ring: &'r mut Live<'_>) -> Option<&'r mut io_uring_sqe> {
    let head = load_sq_head(ring);
    let tail = ring.sq.sqe_tail;
    if tail.wrapping_sub(head) >= ring.sq.ring_entries {
        return None;
    }
    let index = ((tail & ring.sq.ring_mask) << sqe_shift(ring.flags)) as usize;
    ring.sq.sqe_tail = tail.wrapping_add(1);
    // SAFETY: index is masked into the live SQE array, and the slot is ours
    // until we publish it: the kernel has consumed it (tail - head < entries).
    let sqe = unsafe { &mut *ring.sq.sqes.add(index) };
    initialize_sqe(sqe);
    Some(sqe)
}

/// A 128-byte SQE: any slot on an SQE128 ring; on an SQE_MIXED ring two
/// adjacent slots, padding the ring's end with a skipped NOP if needed.
pub fn get_sqe128<'r>(ring: &'r mut Live<'_>) -> Option<&'r mut io_uring_sqe> {
    if ring.flags & setup::SQE128 != 0 {
        return get_sqe(ring);
    }
    if ring.flags & setup::SQE_MIXED == 0 {
        return None;
    }
    let head = load_sq_head(ring);
    let mut tail = ring.sq.sqe_tail;
    if tail.wrapping_add(1) & ring.sq.ring_mask == 0 {
        if tail.wrapping_add(2).wrapping_sub(head) >= ring.sq.ring_entries {
            return None;
        }
        let pad = get_sqe(ring)?;
        crate::prep::nop(pad);
        pad.flags |= sys::sqe_flags::CQE_SKIP_SUCCESS;
        tail = ring.sq.sqe_tail;
    } else if tail.wrapping_add(1).wrapping_sub(head) >= ring.sq.ring_entries {
        return None;
    }
    ring.sq.sqe_tail = tail.wrapping_add(2);
    // SAFETY: as in get_sqe; both slots at `tail` are free and in bounds,
    // since `tail + 1` does not wrap past the ring's end.
    let sqe = unsafe { &mut *ring.sq.sqes.add((tail & ring.sq.ring_mask) as usize) };
    initialize_sqe(sqe);
    Some(sqe)
}

/// Publishes the SQEs prepared since the last flush to the kernel's tail and
/// returns how many the kernel has yet to consume.
#[inline]
pub fn flush_sq(ring: &mut LiveRing) -> u32 {
    flush_sq_as::<true>(ring)
}

/// [`flush_sq`], showing the SQEs to the hooks only if `HOOKED`: false where
/// the caller has just found the hooks off and took the untraced path.
#[inline(always)]
fn flush_sq_as<const HOOKED: bool>(ring: &mut LiveRing) -> u32 {
    let tail = ring.sq.sqe_tail;
    if ring.flags & setup::SQ_REWIND != 0 {
        // The kernel reads from slot 0 on every enter; restart our count.
        if HOOKED {
            hooks::submitting(ring, 0, tail);
        }
        ring.sq.sqe_tail = 0;
        return tail;
    }
    if ring.sq.sqe_head != tail {
        if HOOKED {
            hooks::submitting(ring, ring.sq.sqe_head, tail);
        }
        ring.sq.sqe_head = tail;
        // SAFETY: ktail maps the live SQ header.
        unsafe {
            if ring.flags & setup::SQPOLL != 0 {
                // The poller reads SQEs as soon as it sees the tail.
                shared::store_release(ring.sq.ktail, tail);
            } else {
                // io_uring_enter orders this store before the kernel reads it.
                shared::store_relaxed(ring.sq.ktail, tail);
            }
        }
    }
    // Relaxed: khead only tells us which slots the kernel has finished with.
    // SAFETY: khead maps the live SQ header.
    tail.wrapping_sub(unsafe { shared::load_relaxed(ring.sq.khead) })
}

/// Whether submitting `submit` SQEs needs io_uring_enter: always without
/// SQPOLL; with it, only to wake a sleeping poller (adding SQ_WAKEUP).
#[inline(always)]
pub fn sq_needs_enter(ring: &LiveRing, submit: u32, flags: &mut u32) -> bool {
    if submit == 0 {
        return false;
    }
    if ring.flags & setup::SQPOLL == 0 {
        return true;
    }
    shared::full_fence();
    if sq_kflags(ring) & sq_flags::NEED_WAKEUP != 0 {
        *flags |= enter::SQ_WAKEUP;
        return true;
    }
    false
}

/// Whether the kernel holds completions we can only get by entering:
/// overflowed CQEs or pending task work.
#[inline(always)]
pub fn cq_needs_flush(ring: &LiveRing) -> bool {
    sq_kflags(ring) & (sq_flags::CQ_OVERFLOW | sq_flags::TASKRUN) != 0
}

/// The SQ ring's flags word (NEED_WAKEUP, CQ_OVERFLOW, TASKRUN). Relaxed:
/// each reader only decides whether to enter, and a stale value is caught
/// on the next call.
#[inline(always)]
pub fn sq_kflags(ring: &LiveRing) -> u32 {
    // SAFETY: kflags maps the live SQ header.
    unsafe { shared::load_relaxed(ring.sq.kflags) }
}

#[inline(always)]
pub fn cq_needs_enter(ring: &LiveRing) -> bool {
    ring.int_flags & int_flags::CQ_ENTER != 0 || cq_needs_flush(ring)
}

/// io_uring_enter on the ring's (possibly registered) fd, through the
/// hooks when they are installed. Returns the kernel's value: a count or -errno.
///
/// # Safety
/// `arg` and `sz` must be what `flags` says: NULL/0, a sigset, an extended
/// argument, or a registered-wait offset.
#[inline(always)]
pub unsafe fn enter_ring(
    ring: &LiveRing,
    submit: u32,
    wait_nr: u32,
    flags: u32,
    arg: *const core::ffi::c_void,
    sz: usize,
) -> i32 {
    // SAFETY: `arg` and `sz` match `flags`, per this function's contract.
    unsafe { enter_ring_as::<true>(ring, submit, wait_nr, flags, arg, sz) }
}

/// [`enter_ring`], through the hooks only if `HOOKED` (see
/// [`flush_sq_as`]).
///
/// # Safety
/// As for [`enter_ring`].
#[inline(always)]
unsafe fn enter_ring_as<const HOOKED: bool>(
    ring: &LiveRing,
    submit: u32,
    wait_nr: u32,
    flags: u32,
    arg: *const core::ffi::c_void,
    sz: usize,
) -> i32 {
    if HOOKED && hooks::on() {
        // SAFETY: `arg` and `sz` match `flags`, as this function's contract asks.
        return unsafe { hooks::enter(ring, submit, wait_nr, flags, arg, sz) };
    }
    // SAFETY: as above.
    unsafe { backend_enter(ring, submit, wait_nr, flags, arg, sz) }
}

/// io_uring_enter on whatever plays the kernel's part for `ring`: the
/// kernel, or the userspace engine for an emulated ring (one byte test
/// on the path to the syscall).
///
/// # Safety
/// As for [`enter_ring`].
#[inline(always)]
pub unsafe fn backend_enter(
    ring: &LiveRing,
    submit: u32,
    wait_nr: u32,
    flags: u32,
    arg: *const core::ffi::c_void,
    sz: usize,
) -> i32 {
    if ring.int_flags & int_flags::EMULATED != 0 {
        // SAFETY: as below; an emulated ring's rings are the engine's.
        return unsafe { emulated_enter(ring, submit, wait_nr, flags, arg, sz) };
    }
    // SAFETY: `arg` and `sz` match `flags` (contract); the fd is the
    // ring's, or the kernel rejects it.
    unsafe { sys::syscall::io_uring_enter(ring.enter_ring_fd as u32, submit, wait_nr, flags, arg, sz) }
}

/// # Safety
/// As for [`enter_ring`], on an emulated ring.
#[cold]
#[inline(never)]
unsafe fn emulated_enter(
    ring: &LiveRing,
    submit: u32,
    wait_nr: u32,
    flags: u32,
    arg: *const core::ffi::c_void,
    sz: usize,
) -> i32 {
    // SAFETY: a live emulated ring's `ring_ptr` is the engine's rings, set
    // up by emu::setup; `arg` and `sz` match `flags` (contract).
    unsafe { crate::emu::enter(ring.sq.ring_ptr, submit, wait_nr, flags, arg, sz) }
}

/// The common tail of every submit: enter if the SQ or CQ needs it.
#[inline(always)]
fn submit_flushed<const HOOKED: bool>(ring: &LiveRing, submitted: u32, wait_nr: u32, getevents: bool) -> Result<u32> {
    let cq_enter = getevents || wait_nr != 0 || cq_needs_enter(ring);
    let mut flags = int_flags::enter_flags(ring.int_flags);
    if sq_needs_enter(ring, submitted, &mut flags) || cq_enter {
        if cq_enter {
            flags |= enter::GETEVENTS;
        }
        // SAFETY: no argument is passed.
        let ret = unsafe { enter_ring_as::<HOOKED>(ring, submitted, wait_nr, flags, ptr::null(), 0) };
        Errno::check(ret as isize).map(|n| n as u32)
    } else {
        Ok(submitted)
    }
}

/// io_uring_submit_and_wait (io_uring_submit when `wait_nr` is 0). The
/// hooks are read once: with them off, the path has no call but the
/// syscall, so it saves no registers and checks nothing twice.
#[inline(always)]
pub fn submit_and_wait(ring: &mut Live<'_>, wait_nr: u32) -> Result<u32> {
    if hooks::on() {
        return submit_and_wait_hooked(ring, wait_nr);
    }
    let submitted = flush_sq_as::<false>(ring);
    submit_flushed::<false>(ring, submitted, wait_nr, false)
}

#[cold]
#[inline(never)]
fn submit_and_wait_hooked(ring: &mut LiveRing, wait_nr: u32) -> Result<u32> {
    let submitted = flush_sq_as::<true>(ring);
    submit_flushed::<true>(ring, submitted, wait_nr, false)
}

/// io_uring_submit_and_get_events: submit, and always reap task work.
pub fn submit_and_get_events(ring: &mut Live<'_>) -> Result<u32> {
    let submitted = flush_sq(ring);
    submit_flushed::<true>(ring, submitted, 0, true)
}

/// Enters with `extra` flags and nothing to submit or wait for.
fn enter_bare(ring: &LiveRing, extra: u32) -> Result<u32> {
    let flags = extra | int_flags::enter_flags(ring.int_flags);
    // SAFETY: no argument is passed.
    Errno::check(unsafe { enter_ring(ring, 0, 0, flags, ptr::null(), 0) } as isize).map(|n| n as u32)
}

/// io_uring_get_events: flush overflow and run task work.
pub fn get_events(ring: &Live<'_>) -> Result<u32> {
    enter_bare(ring, enter::GETEVENTS)
}

/// __io_uring_sqring_wait: sleep until the SQPOLL thread frees a slot.
pub fn sqring_wait_enter(ring: &Live<'_>) -> Result<u32> {
    enter_bare(ring, enter::SQ_WAIT)
}

/// io_uring_sqring_wait: as above, but only when SQPOLL and the SQ is full.
pub fn sqring_wait(ring: &Live<'_>) -> Result<u32> {
    if ring.flags & setup::SQPOLL == 0 || sq_space_left(ring) != 0 {
        return Ok(0);
    }
    sqring_wait_enter(ring)
}
