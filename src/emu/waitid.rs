//! WAITID: tried at once with WNOHANG; otherwise a thread of its own waits
//! (job.rs) with WNOWAIT until a child it names can be waited for, and the
//! reactor then waits for it as the program asked. A cancelled WAITID's
//! thread cannot be woken: it ends, reaping nothing, with the child's next
//! change of state.

use super::ctrl::Ctrl;
use super::job::{self, Job};
use super::ops::{Done, Outcome};
use crate::sys::{io_uring_sqe, syscall};

/// waitid(2) of the SQE's child set with `options`, into `info`.
fn waitid(sqe: &io_uring_sqe, info: *mut libc::siginfo_t, options: u32) -> isize {
    let args = [sqe.len as usize, sqe.fd as usize, info as usize, options as usize, 0, 0];
    // SAFETY: `info` is NULL or a siginfo_t to write; no rusage.
    unsafe { syscall::syscall(libc::SYS_waitid, args) }
}

/// The job's wait: until a child of the set can be waited for.
fn wait_child(j: &Job) -> isize {
    // SAFETY: the job's block is a copy of the request's SQE.
    let sqe = unsafe { &*j.block.cast::<io_uring_sqe>() };
    waitid(sqe, core::ptr::null_mut(), sqe.file_index | libc::WNOWAIT as u32)
}

fn nothing(_: &Job) {}

/// WAITID: the id type in `len`, the id in `fd`, the options in
/// `file_index`, the siginfo to `addr2`; `addr`, `addr3` and the flags
/// must be 0. 0, with the child's state in the siginfo.
pub fn waitid_op(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Outcome {
    if sqe.addr != 0 || sqe.buf_index != 0 || sqe.addr3 != 0 || sqe.op_flags != 0 {
        return Outcome::Done(Done::of(-(libc::EINVAL as isize)));
    }
    // SAFETY: an all-zero siginfo_t is a valid value.
    let mut info: libc::siginfo_t = unsafe { core::mem::zeroed() };
    let options = sqe.file_index;
    // A look first, leaving the child as it is.
    let r = waitid(sqe, &mut info, options | (libc::WNOHANG | libc::WNOWAIT) as u32);
    // SAFETY: waitid filled `info` (or left it zero).
    let found = unsafe { info.si_pid() } != 0;
    if r < 0 {
        return Outcome::Done(Done::of(r));
    }
    if found || options & libc::WNOHANG as u32 != 0 {
        // The wait itself, into the program's siginfo: the kernel writes
        // it, or answers -EFAULT.
        let out = sqe.off as usize as *mut libc::siginfo_t;
        return Outcome::Done(Done::of(waitid(sqe, out, options | libc::WNOHANG as u32)));
    }
    // SAFETY: malloc of one SQE, checked for NULL below.
    let copy = unsafe { libc::malloc(size_of::<io_uring_sqe>()) }.cast::<io_uring_sqe>();
    if copy.is_null() {
        return Outcome::Done(Done::of(-(libc::ENOMEM as isize)));
    }
    // SAFETY: a fresh block of the right size.
    unsafe { copy.write(*sqe) };
    match job::start(wait_child, nothing, [0; 4], copy.cast()) {
        Some(j) => Outcome::Thread { job: j },
        None => Outcome::Done(Done::of(-(libc::EAGAIN as isize))),
    }
}

/// Once the job saw a child to wait for: wait for it (or wait again when
/// another wait took it first).
pub fn after(c: &Ctrl, sqe: &io_uring_sqe, j: *mut Job) -> Outcome {
    match job::result(j) {
        r if r < 0 => Outcome::Done(Done::of(r as isize)),
        _ => waitid_op(c, sqe, -1),
    }
}
