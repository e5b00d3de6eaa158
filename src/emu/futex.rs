//! FUTEX_WAKE, which runs at once, and FUTEX_WAIT and FUTEX_WAITV, whose
//! waits each run on a thread of their own (job.rs): futex_waitv(2) on the
//! program's words and the job's cancel word, so that a cancellation wakes
//! only that thread. A FUTEX_WAIT with a bitset other than "any" waits
//! with FUTEX_WAIT_BITSET instead, and its cancellation wakes the word for
//! that bitset, which other waiters see as a spurious wake-up.

use super::ctrl::Ctrl;
use super::job::{self, Job};
use super::ops::{Done, Outcome};
use super::ops_fs::sys;
use crate::sys::{Errno, Result, io_uring_sqe};
use core::sync::atomic::Ordering::Acquire;

const SIZE_MASK: u32 = 3;
const SIZE_U32: u32 = 2;
const PRIVATE: u32 = 128;
const MATCH_ANY: u64 = 0xffff_ffff;
/// The most entries futex_waitv(2) takes.
const WAITV_MAX: usize = 128;

/// struct futex_waitv.
#[repr(C)]
#[derive(Clone, Copy)]
struct Waitv {
    val: u64,
    uaddr: u64,
    flags: u32,
    reserved: u32,
}

fn err(e: i32) -> Outcome {
    Outcome::Done(Done::of(-(e as isize)))
}

/// The legacy futex(2) op flag for futex2 `flags`: -EINVAL for flags the
/// kernel refuses (sizes other than 32 bits, NUMA, unknown bits).
fn private(flags: u32) -> Result<i32> {
    if flags & !(SIZE_MASK | PRIVATE) != 0 || flags & SIZE_MASK != SIZE_U32 {
        return Err(Errno::EINVAL);
    }
    Ok(if flags & PRIVATE != 0 { libc::FUTEX_PRIVATE_FLAG } else { 0 })
}

/// The checks FUTEX_WAIT and FUTEX_WAKE share: the word at `addr`, the
/// value (or count) in `addr2`, the bitset in `addr3`, futex2 flags in
/// `fd`; `futex_flags` must be 0. The legacy op flag.
fn check(sqe: &io_uring_sqe) -> Result<i32> {
    if sqe.len != 0 || sqe.op_flags != 0 || sqe.buf_index != 0 || sqe.file_index != 0 {
        return Err(Errno::EINVAL);
    }
    if sqe.off >> 32 != 0 || sqe.addr3 >> 32 != 0 || sqe.addr3 == 0 {
        return Err(Errno::EINVAL);
    }
    private(sqe.fd as u32)
}

/// FUTEX_WAKE: wakes up to `addr2` waiters whose bitset meets `addr3`:
/// how many.
pub fn wake(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let op = match check(sqe) {
        Ok(p) => libc::FUTEX_WAKE_BITSET | p,
        Err(e) => return Done::of(e.to_neg() as isize),
    };
    // The kernel's io_uring wake is strict: a count of 0 wakes nobody.
    if sqe.off == 0 {
        return Done::of(0);
    }
    let nr = sqe.off.min(i32::MAX as u64) as usize;
    sys(libc::SYS_futex, [sqe.addr as usize, op as usize, nr, 0, 0, sqe.addr3 as usize])
}

/// futex_waitv(2) on the job's `args[0]` entries in its block, woken
/// early through its cancel word, the entry after them (when `args[1]`).
fn waitv(j: &Job) -> isize {
    let v = j.block.cast::<Waitv>();
    let (n, cancel) = (j.args[0] as usize, j.args[1] != 0);
    if cancel {
        let word = Waitv { val: 0, uaddr: j.cancel.as_ptr() as u64, flags: SIZE_U32 | PRIVATE, reserved: 0 };
        // SAFETY: the block has room for n + 1 entries (see wait_on).
        unsafe { v.add(n).write(word) };
    }
    // Cancelled before it even started.
    if j.cancel.load(Acquire) != 0 {
        return -(libc::ECANCELED as isize);
    }
    let args = [v as usize, n + cancel as usize, 0, 0, 0, 0];
    // SAFETY: the job's vector of that many entries; no timeout.
    unsafe { crate::sys::syscall::syscall(libc::SYS_futex_waitv, args) }
}

/// Wakes every word of a vector without a cancel entry: spurious wake-ups.
fn wake_words(j: &Job) {
    if j.args[1] != 0 {
        return;
    }
    for i in 0..j.args[0] as usize {
        // SAFETY: the job's entries.
        let w = unsafe { j.block.cast::<Waitv>().add(i).read() };
        let op = libc::FUTEX_WAKE | private(w.flags).unwrap_or(0);
        // SAFETY: a futex wake on the program's word, which the kernel checks.
        unsafe {
            crate::sys::syscall::syscall(libc::SYS_futex, [w.uaddr as usize, op as usize, i32::MAX as usize, 0, 0, 0])
        };
    }
}

/// FUTEX_WAIT_BITSET on the job's word (`args`: word, value, bitset, op flag).
fn wait_bitset(j: &Job) -> isize {
    let [word, val, mask, p] = j.args;
    let op = libc::FUTEX_WAIT_BITSET | p as i32;
    if j.cancel.load(Acquire) != 0 {
        return -(libc::ECANCELED as isize);
    }
    // SAFETY: a futex wait on the program's word, which the kernel checks.
    unsafe {
        crate::sys::syscall::syscall(libc::SYS_futex, [word as usize, op as usize, val as usize, 0, 0, mask as usize])
    }
}

fn wake_bitset(j: &Job) {
    let [word, _, mask, p] = j.args;
    let op = libc::FUTEX_WAKE_BITSET | p as i32;
    // SAFETY: as in wait_bitset.
    unsafe {
        crate::sys::syscall::syscall(
            libc::SYS_futex,
            [word as usize, op as usize, i32::MAX as usize, 0, 0, mask as usize],
        )
    };
}

/// A job waiting on the `n` entries of `entries` (copied).
fn wait_on(entries: &dyn Fn(usize) -> Waitv, n: usize) -> Outcome {
    let cancel = n < WAITV_MAX;
    // SAFETY: malloc of n + 1 entries, checked for NULL below.
    let v = unsafe { libc::malloc((n + 1) * size_of::<Waitv>()) }.cast::<Waitv>();
    if v.is_null() {
        return err(libc::ENOMEM);
    }
    for i in 0..n {
        // SAFETY: i < n + 1 entries of the block.
        unsafe { v.add(i).write(entries(i)) };
    }
    match job::start(waitv, wake_words, [n as u64, cancel as u64, 0, 0], v.cast()) {
        Some(j) => Outcome::Thread { job: j },
        None => err(libc::EAGAIN),
    }
}

/// FUTEX_WAIT: while the word at `addr` holds `addr2` (else -EAGAIN),
/// sleeps until a wake whose bitset meets `addr3`: 0.
pub fn wait(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Outcome {
    let p = match check(sqe) {
        Ok(p) => p,
        Err(e) => return err(e.0),
    };
    if sqe.addr3 == MATCH_ANY {
        let w = Waitv { val: sqe.off, uaddr: sqe.addr, flags: sqe.fd as u32, reserved: 0 };
        return wait_on(&|_| w, 1);
    }
    let args = [sqe.addr, sqe.off, sqe.addr3, p as u64];
    match job::start(wait_bitset, wake_bitset, args, core::ptr::null_mut()) {
        Some(j) => Outcome::Thread { job: j },
        None => err(libc::EAGAIN),
    }
}

/// FUTEX_WAITV: `len` (1 to 128) struct futex_waitv at `addr`; every other
/// field 0. The index of the futex woken.
pub fn waitv_op(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Outcome {
    let n = sqe.len as usize;
    let fields = sqe.fd != 0 || sqe.buf_index != 0 || sqe.file_index != 0 || sqe.off != 0 || sqe.op_flags != 0;
    if fields || sqe.addr3 != 0 || n == 0 || n > WAITV_MAX {
        return err(libc::EINVAL);
    }
    let user = sqe.addr as usize as *const Waitv;
    if user.is_null() {
        return err(libc::EFAULT);
    }
    // SAFETY: the program's `len` entries, read as the kernel reads them;
    // a bad pointer is the program's fault.
    wait_on(&|i| unsafe { user.add(i).read_unaligned() }, n)
}

/// A finished wait's result: FUTEX_WAIT's 0 for a wake, FUTEX_WAITV's index.
pub fn after(sqe: &io_uring_sqe, j: *mut Job) -> Done {
    let r = job::result(j);
    Done::of(if sqe.opcode == crate::sys::op::FUTEX_WAIT && r > 0 { 0 } else { r } as isize)
}
