//! Socket operations: SOCKET, BIND, LISTEN, CONNECT, ACCEPT (one shot) and
//! SHUTDOWN. CONNECT and ACCEPT are tried without blocking; when they
//! would block they wait in the reactor for the socket to be ready.

use super::ctrl::Ctrl;
use super::lock::Locked;
use super::ops::{self, Done, Outcome};
use super::ops_fs::{install, sys};
use crate::sys::{cqe_flags, io_uring_sqe, opflags};
use core::sync::atomic::AtomicU32;

fn einval() -> Done {
    Done::of(-(libc::EINVAL as isize))
}

/// SOCKET: domain in `fd`, type in `off`, protocol in `len`; with
/// `file_index` the socket goes into a fixed slot (not with SOCK_CLOEXEC).
pub fn socket(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let kind = sqe.off as i32;
    let flags = kind & !0xf; // SOCK_TYPE_MASK
    if sqe.addr != 0 || sqe.op_flags != 0 || sqe.buf_index != 0 {
        return einval();
    }
    if flags & !(libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK) != 0
        || (sqe.file_index != 0 && flags & libc::SOCK_CLOEXEC != 0)
    {
        return einval();
    }
    let direct = sqe.file_index != 0;
    let kind = if direct { kind | libc::SOCK_CLOEXEC } else { kind };
    let r = sys(libc::SYS_socket, [sqe.fd as usize, kind as usize, sqe.len as usize, 0, 0, 0]);
    if !direct || r.res < 0 { r } else { install(c, sqe.file_index, r.res) }
}

/// BIND: the address at `addr`, its length in `addr2` (`off`).
pub fn bind(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.len != 0 || sqe.buf_index != 0 || sqe.op_flags != 0 || sqe.file_index != 0 {
        return einval();
    }
    sys(libc::SYS_bind, [fd as usize, sqe.addr as usize, sqe.off as u32 as usize, 0, 0, 0])
}

/// LISTEN: the backlog in `len`.
pub fn listen(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.addr != 0 || sqe.off != 0 || sqe.buf_index != 0 || sqe.op_flags != 0 || sqe.file_index != 0 {
        return einval();
    }
    sys(libc::SYS_listen, [fd as usize, sqe.len as usize, 0, 0, 0, 0])
}

/// SHUTDOWN: `how` in `len`.
pub fn shutdown(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.off != 0 || sqe.addr != 0 || sqe.op_flags != 0 || sqe.buf_index != 0 || sqe.file_index != 0 {
        return einval();
    }
    sys(libc::SYS_shutdown, [fd as usize, sqe.len as usize, 0, 0, 0, 0])
}

/// Serialises the engine's own switches of a socket to non-blocking mode.
static NONBLOCK: AtomicU32 = AtomicU32::new(0);

/// Runs `call` on `fd` as if it were non-blocking, as the kernel runs
/// io_uring's first try: for the call's length, the file is switched to
/// O_NONBLOCK (connect and accept take no per-call flag for it).
fn nonblocking(fd: i32, call: impl FnOnce() -> isize) -> isize {
    let _l = Locked::new(&NONBLOCK);
    // SAFETY: fcntl(F_GETFL) touches no memory.
    let fl = crate::sys::syscall::without_errno(|| unsafe { libc::fcntl(fd, libc::F_GETFL) } as isize) as i32;
    if fl < 0 || fl & libc::O_NONBLOCK != 0 {
        return call();
    }
    // SAFETY: fcntl(F_SETFL) touches no memory.
    let set = |fl: i32| crate::sys::syscall::without_errno(|| unsafe { libc::fcntl(fd, libc::F_SETFL, fl) } as isize);
    set(fl | libc::O_NONBLOCK);
    let r = call();
    set(fl);
    r
}

/// CONNECT: the address at `addr`, its length in `addr2`. When the
/// connection cannot complete at once it waits for the socket to be
/// writable; connect(2) again then gives the outcome (0, or the error the
/// attempt met), as in the kernel.
pub fn connect(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    if sqe.len != 0 || sqe.buf_index != 0 || sqe.op_flags != 0 || sqe.file_index != 0 {
        return Outcome::Done(einval());
    }
    let args = [fd as usize, sqe.addr as usize, sqe.off as u32 as usize, 0, 0, 0];
    // SAFETY: the program's address and length, which the kernel checks.
    let r = nonblocking(fd, || unsafe { crate::sys::syscall::syscall(libc::SYS_connect, args) });
    match -r as i32 {
        libc::EINPROGRESS | libc::EAGAIN => Outcome::Ready { fd, events: libc::EPOLLOUT as u32 },
        _ => Outcome::Done(Done::of(r)),
    }
}

/// ACCEPT: flags for the new socket in `accept_flags`, io_uring flags in
/// `ioprio`, the peer's address to `addr` with its length at `addr2`; with
/// `file_index` the socket goes into a fixed slot (the one chosen for
/// IORING_FILE_INDEX_ALLOC, else 0 in the CQE). It waits for a connection
/// unless IORING_ACCEPT_DONTWAIT (then -EAGAIN). IORING_ACCEPT_POLL_FIRST
/// waits before trying. IORING_CQE_F_SOCK_NONEMPTY says more connections
/// are queued. With IORING_ACCEPT_MULTISHOT, a CQE with IORING_CQE_F_MORE
/// for each connection until an error. -EINVAL for unknown flags, a slot
/// with SOCK_CLOEXEC, or a multishot one that is not
/// IORING_FILE_INDEX_ALLOC.
pub fn accept(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    let flags = sqe.op_flags as i32;
    let known = opflags::ACCEPT_MULTISHOT | opflags::ACCEPT_DONTWAIT | opflags::ACCEPT_POLL_FIRST;
    let multishot = sqe.ioprio & opflags::ACCEPT_MULTISHOT != 0;
    let direct = sqe.file_index != 0;
    if sqe.len != 0 || sqe.buf_index != 0 || sqe.ioprio & !known != 0 {
        return Outcome::Done(einval());
    }
    if flags & !(libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK) != 0
        || (direct && flags & libc::SOCK_CLOEXEC != 0)
        || (multishot && direct && sqe.file_index != opflags::FILE_INDEX_ALLOC)
    {
        return Outcome::Done(einval());
    }
    let waits = Outcome::Ready { fd, events: libc::EPOLLIN as u32 };
    // Waiting first gives what trying first would once a connection comes.
    if sqe.ioprio & opflags::ACCEPT_POLL_FIRST != 0 && !ops::ready(fd, libc::POLLIN as u32) {
        return waits;
    }
    let flags = if direct { flags | libc::SOCK_CLOEXEC } else { flags };
    let args = [fd as usize, sqe.addr as usize, sqe.off as usize, flags as usize, 0, 0];
    // SAFETY: the program's address buffer and length word, which the
    // kernel checks.
    let r = nonblocking(fd, || unsafe { crate::sys::syscall::syscall(libc::SYS_accept4, args) });
    let d = match r {
        r if r == -(libc::EAGAIN as isize) && sqe.ioprio & opflags::ACCEPT_DONTWAIT == 0 => return waits,
        r if r < 0 || !direct => Done::of(r),
        r => install(c, sqe.file_index, r as i32),
    };
    // As the kernel does, the CQE says when more connections are queued;
    // a multishot ACCEPT stays armed after each one it takes.
    let more = d.res >= 0 && ops::ready(fd, libc::POLLIN as u32);
    let d = Done { flags: if more { cqe_flags::SOCK_NONEMPTY } else { 0 }, ..d };
    if multishot && d.res >= 0 {
        return Outcome::More { done: d, fd, events: libc::EPOLLIN as u32 };
    }
    Outcome::Done(d)
}
