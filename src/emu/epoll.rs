//! EPOLL_CTL, which runs at once, and EPOLL_WAIT, which waits in the
//! reactor for the epoll fd to be readable when it has no event yet.

use super::ctrl::Ctrl;
use super::ops::{Done, Outcome};
use super::ops_fs::sys;
use crate::sys::io_uring_sqe;

fn einval() -> Done {
    Done::of(-(libc::EINVAL as isize))
}

/// EPOLL_CTL: epoll fd in `fd`, the operation in `len`, the target fd in
/// `off`, the event at `addr`.
pub fn epoll_ctl(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    if sqe.buf_index != 0 || sqe.file_index != 0 {
        return einval();
    }
    let args = [sqe.fd as usize, sqe.len as usize, sqe.off as u32 as usize, sqe.addr as usize, 0, 0];
    sys(libc::SYS_epoll_ctl, args)
}

/// EPOLL_WAIT: up to `len` events into `addr`; the count, once there is one.
pub fn epoll_wait(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    if sqe.off != 0 || sqe.op_flags != 0 || sqe.buf_index != 0 || sqe.file_index != 0 {
        return Outcome::Done(einval());
    }
    // epoll_pwait with a zero timeout and no mask: what is ready now.
    let r = sys(libc::SYS_epoll_pwait, [fd as usize, sqe.addr as usize, sqe.len as usize, 0, 0, 0]);
    if r.res == 0 {
        return Outcome::Ready { fd, events: libc::EPOLLIN as u32 };
    }
    Outcome::Done(r)
}
