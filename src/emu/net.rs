//! Socket operations on emulated rings: SEND and SENDMSG (their zero-copy
//! forms copy, and post the notification the kernel posts), RECV and
//! RECVMSG, from provided buffers and multishot, and ACCEPT (one-shot and
//! multishot).
//! Each is tried at once without blocking (MSG_DONTWAIT); one that would
//! block waits in the reactor for its socket, unless the program asked for
//! MSG_DONTWAIT itself.

use super::copies;
use super::cq::Cqe;
use super::ctrl::Ctrl;
use super::files;
use super::ops::{Done, Outcome};
use super::pbuf::{self, Buf, MAX_BUNDLE};
use crate::sys::{self, cqe_flags, io_uring_recvmsg_out, io_uring_sqe, op, opflags, sqe_flags};
use core::ptr;

const AGAIN: isize = -(libc::EAGAIN as isize);
/// IORING_NOTIF_USAGE_ZC_COPIED: the notification's result when the data
/// was copied and the program asked to know (IORING_SEND_ZC_REPORT_USAGE).
const ZC_COPIED: i32 = i32::MIN;

/// Whether `opcode` keeps its own flags in the SQE's ioprio.
pub fn flags_in_ioprio(opcode: u8) -> bool {
    matches!(opcode, op::SEND | op::SENDMSG | op::SEND_ZC | op::SENDMSG_ZC | op::RECV | op::RECVMSG | op::ACCEPT)
}

fn err(e: i32) -> Outcome {
    Outcome::Done(Done::of(-(e as isize)))
}

fn call(nr: libc::c_long, args: [usize; 6]) -> isize {
    // SAFETY: a socket call on buffers the program gave for this I/O (or
    // the engine's own locals); the kernel checks every address.
    unsafe { sys::syscall::syscall(nr, args) }
}

/// A try's result: done, or (would block) wait for `events`, unless the
/// program asked for MSG_DONTWAIT. A SEND or RECV with MSG_WAITALL on a
/// stream socket that moved part of its buffer waits to move the rest;
/// one that ends having moved less than its buffer fails, as in the kernel.
fn done_or_wait(sqe: &io_uring_sqe, fd: i32, d: Done, events: i32) -> Outcome {
    let nowait = sqe.op_flags & libc::MSG_DONTWAIT as u32 != 0;
    if d.res as isize == AGAIN && !nowait {
        return Outcome::Ready { fd, events: events as u32 };
    }
    let plain = matches!(sqe.opcode, op::SEND | op::SEND_ZC | op::RECV) && sqe.flags & sqe_flags::BUFFER_SELECT == 0;
    let waitall = sqe.op_flags & libc::MSG_WAITALL as u32 != 0 && plain;
    let short = waitall && d.res >= 0 && (d.res as u32) < sqe.len;
    if short && !nowait && d.res > 0 && stream(fd) {
        return Outcome::Progress { moved: d.res as u32, fd, events: events as u32 };
    }
    Outcome::Done(Done { failed: d.failed || short, ..d })
}

/// Whether `fd` is a stream (or seqpacket) socket, whose MSG_WAITALL the
/// kernel keeps retrying.
fn stream(fd: i32) -> bool {
    matches!(sock_type(fd), libc::SOCK_STREAM | libc::SOCK_SEQPACKET)
}

/// The socket's type (SOCK_STREAM, ...), or -1.
fn sock_type(fd: i32) -> i32 {
    let (mut kind, mut len): (i32, libc::socklen_t) = (-1, 4);
    // SAFETY: SO_TYPE writes one int into a local of the length given.
    let r = unsafe { libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_TYPE, (&raw mut kind).cast(), &mut len) };
    if r == 0 { kind } else { -1 }
}

/// iovecs for the buffers `bufs`, in `iov`.
fn iovecs<'a>(bufs: &[Buf], iov: &'a mut [libc::iovec; MAX_BUNDLE]) -> &'a mut [libc::iovec] {
    for (v, b) in iov.iter_mut().zip(bufs) {
        *v = libc::iovec { iov_base: b.addr as usize as *mut _, iov_len: b.len as usize };
    }
    &mut iov[..bufs.len()]
}

/// recvmsg(2) of `iov` alone: the bytes and the flags it returned.
fn recv_iov(fd: i32, iov: &[libc::iovec], flags: i32) -> (isize, i32) {
    // SAFETY: an all-zero msghdr is valid (no name, no control).
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_iov = iov.as_ptr().cast_mut();
    m.msg_iovlen = iov.len() as _;
    let r = call(libc::SYS_recvmsg, [fd as usize, &raw mut m as usize, flags as usize, 0, 0, 0]);
    (r, m.msg_flags)
}

/// The bytes a msghdr's iovecs hold (None past UIO_MAXIOV of them).
fn iov_total(m: &libc::msghdr) -> Option<usize> {
    if m.msg_iov.is_null() || m.msg_iovlen > 1024 {
        return None;
    }
    // SAFETY: the program's iovecs, as recvmsg(2) just read them.
    let iov = unsafe { core::slice::from_raw_parts(m.msg_iov, m.msg_iovlen) };
    Some(iov.iter().map(|v| v.iov_len).sum())
}

/// Whether recvmsg(2)'s flags say it cut a message or its control data.
fn truncated(msg_flags: i32) -> bool {
    msg_flags & (libc::MSG_TRUNC | libc::MSG_CTRUNC) != 0
}

/// sendmsg(2) or recvmsg(2) of `iov` alone (no name, no control).
fn msg_iov(nr: libc::c_long, fd: i32, iov: &[libc::iovec], flags: i32) -> isize {
    // SAFETY: an all-zero msghdr is valid (no name, no control).
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    m.msg_iov = iov.as_ptr().cast_mut();
    m.msg_iovlen = iov.len() as _;
    call(nr, [fd as usize, &raw mut m as usize, flags as usize, 0, 0, 0])
}

/// The destination address length of a SEND (`addr_len`, the low half of
/// the word it shares with `file_index` as the kernel lays it out).
fn addr_len(sqe: &io_uring_sqe) -> usize {
    let word = if cfg!(target_endian = "big") { sqe.file_index >> 16 } else { sqe.file_index };
    word as u16 as usize
}

/// SEND, SENDMSG, SEND_ZC, SENDMSG_ZC: the bytes sent (never SIGPIPE). A
/// SEND may take its data from provided buffers (IOSQE_BUFFER_SELECT),
/// every one ready with IORING_RECVSEND_BUNDLE; a zero-copy send copies,
/// and its CQE says a notification follows (see [`notification`]).
/// -EINVAL for unknown flags, -EFAULT for data outside the fixed buffer.
pub fn send(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    let zc = matches!(sqe.opcode, op::SEND_ZC | op::SENDMSG_ZC);
    let msg = matches!(sqe.opcode, op::SENDMSG | op::SENDMSG_ZC);
    let select = sqe.flags & sqe_flags::BUFFER_SELECT != 0;
    let bundle = sqe.ioprio & opflags::RECVSEND_BUNDLE != 0;
    let fixed = sqe.ioprio & opflags::RECVSEND_FIXED_BUF != 0;
    let known = opflags::RECVSEND_POLL_FIRST
        | if zc { opflags::SEND_ZC_REPORT_USAGE | opflags::RECVSEND_FIXED_BUF } else { opflags::RECVSEND_BUNDLE };
    if sqe.ioprio & !known != 0 || (bundle && !select) {
        return err(libc::EINVAL);
    }
    if fixed && !msg && !files::buffer_covers(c, sqe.buf_index, sqe.addr, sqe.len as u64) {
        return err(libc::EFAULT);
    }
    let flags = (sqe.op_flags as i32 | libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT) as usize;
    let (fd_, addr, len) = (fd as usize, sqe.addr as usize, sqe.len as usize);
    if select {
        return send_select(c, sqe, fd, flags as i32, bundle);
    }
    let o = if msg && sqe.op_flags & libc::MSG_WAITALL as u32 != 0 {
        sendmsg_all(sqe, fd, flags as i32)
    } else if msg {
        done_or_wait(sqe, fd, Done::of(call(libc::SYS_sendmsg, [fd_, addr, flags, 0, 0, 0])), libc::EPOLLOUT)
    } else {
        let r = call(libc::SYS_sendto, [fd_, addr, len, flags, sqe.off as usize, addr_len(sqe)]);
        done_or_wait(sqe, fd, Done::of(r), libc::EPOLLOUT)
    };
    match o {
        Outcome::Done(d) if zc => Outcome::Done(Done { flags: d.flags | cqe_flags::MORE, ..d }),
        o => o,
    }
}

/// A SENDMSG with MSG_WAITALL: from the program's iovecs past the `off`
/// bytes sent before (the reactor keeps that count in the SQE's offset),
/// waiting until all are sent on a stream socket, as the kernel does (and
/// failing when the socket takes less and cannot wait). Its control data
/// goes with the first try only: the kernel drops it when it retries.
/// More than [`MAX_BUNDLE`] iovecs: one send.
fn sendmsg_all(sqe: &io_uring_sqe, fd: i32, flags: i32) -> Outcome {
    let Some(mut m) = user_msg(sqe.addr) else { return err(libc::EFAULT) };
    let n = m.msg_iovlen;
    let mut iov = [libc::iovec { iov_base: ptr::null_mut(), iov_len: 0 }; MAX_BUNDLE];
    let Some((total, rest)) = msg_rest(&m, sqe.off as usize, &mut iov) else {
        let r = call(libc::SYS_sendmsg, [fd as usize, sqe.addr as usize, flags as usize, 0, 0, 0]);
        return done_or_wait(sqe, fd, Done::of(r), libc::EPOLLOUT);
    };
    m.msg_iov = rest.as_ptr().cast_mut();
    m.msg_iovlen = rest.len() as _;
    if sqe.off != 0 {
        (m.msg_control, m.msg_controllen) = (ptr::null_mut(), 0);
    }
    let r = call(libc::SYS_sendmsg, [fd as usize, &raw mut m as usize, flags as usize, 0, 0, 0]);
    let short = r >= 0 && sqe.off as usize + (r as usize) < total;
    let nowait = sqe.op_flags & libc::MSG_DONTWAIT as u32 != 0;
    if short && r > 0 && !nowait && n > 0 && stream(fd) {
        return Outcome::Progress { moved: r as u32, fd, events: libc::EPOLLOUT as u32 };
    }
    let d = Done::of(r);
    done_or_wait(sqe, fd, Done { failed: d.failed || short, ..d }, libc::EPOLLOUT)
}

/// The program's iovecs of `m` past the first `skip` bytes, copied into
/// `iov`, and the bytes of all of them; None for more than [`MAX_BUNDLE`]
/// iovecs or none at all.
fn msg_rest<'a>(
    m: &libc::msghdr,
    skip: usize,
    iov: &'a mut [libc::iovec; MAX_BUNDLE],
) -> Option<(usize, &'a [libc::iovec])> {
    let n = m.msg_iovlen;
    if n > MAX_BUNDLE || m.msg_iov.is_null() {
        return None;
    }
    // SAFETY: the program's `n` iovecs, as the kernel reads them.
    unsafe { ptr::copy_nonoverlapping(m.msg_iov, iov.as_mut_ptr(), n) };
    let total = iov[..n].iter().map(|v| v.iov_len).sum();
    Some((total, skip_front(&mut iov[..n], skip)))
}

/// A SEND from provided buffers. A bundle takes every buffer ready and,
/// as the kernel, sends all their bytes before it completes (a socket that
/// takes only part of them has it wait, the bytes sent kept by the
/// reactor, [`Outcome::Progress`]); while the group has more, its CQE
/// says IORING_CQE_F_MORE and it goes on with the next bundle.
fn send_select(c: &Ctrl, sqe: &io_uring_sqe, fd: i32, flags: i32, bundle: bool) -> Outcome {
    let skip = if bundle { sqe.addr as usize } else { 0 };
    let partial = core::cell::Cell::new(false);
    let mut iov = [libc::iovec { iov_base: ptr::null_mut(), iov_len: 0 }; MAX_BUNDLE];
    let io = |b: &[Buf]| {
        let total: usize = b.iter().map(|b| b.len as usize).sum();
        let r = msg_iov(libc::SYS_sendmsg, fd, skip_front(iovecs(b, &mut iov), skip), flags);
        partial.set(r > 0 && skip + (r as usize) < total);
        // What the buffers gave in all, for consuming them.
        if r > 0 { r + skip as isize } else { r }
    };
    let d = pbuf::with_buffers(c, pbuf::group(sqe), sqe.len, bundle, |r| r > 0 && !partial.get(), io);
    let d = if d.res > 0 { Done { res: d.res - skip as i32, ..d } } else { d };
    let events = libc::EPOLLOUT as u32;
    if partial.get() {
        return Outcome::Progress { moved: d.res as u32, fd, events };
    }
    if bundle && d.res > 0 && pbuf::ready(c, pbuf::group(sqe)) > 0 {
        return Outcome::More { done: d, fd, events };
    }
    done_or_wait(sqe, fd, d, libc::EPOLLOUT)
}

/// `iov` without its first `n` bytes.
fn skip_front(iov: &mut [libc::iovec], mut n: usize) -> &[libc::iovec] {
    let mut first = 0;
    while first < iov.len() && n >= iov[first].iov_len && n > 0 {
        n -= iov[first].iov_len;
        first += 1;
    }
    if let Some(v) = iov.get_mut(first) {
        v.iov_base = v.iov_base.wrapping_byte_add(n);
        v.iov_len -= n;
    }
    &iov[first..]
}

/// The notification CQE that follows a zero-copy send's completion (whose
/// CQE carried IORING_CQE_F_MORE): the data is no longer in use.
pub fn notification(sqe: &io_uring_sqe, d: &Done) -> Option<Cqe> {
    let zc = matches!(sqe.opcode, op::SEND_ZC | op::SENDMSG_ZC) && d.flags & cqe_flags::MORE != 0;
    let copied = sqe.ioprio & opflags::SEND_ZC_REPORT_USAGE != 0;
    zc.then(|| Cqe {
        user_data: sqe.user_data,
        res: if copied { ZC_COPIED } else { 0 },
        flags: cqe_flags::NOTIF,
        ..Cqe::default()
    })
}

/// Whether a multishot request that just posted a CQE with `flags` runs
/// again at once. A multishot receive does, as in the kernel, only when
/// the socket says it holds more (IORING_CQE_F_SOCK_NONEMPTY) or cannot say
/// (not a stream socket); otherwise it waits for data, so that an empty
/// buffer group ends it (-ENOBUFS) only once data comes.
pub fn retry_at_once(sqe: &io_uring_sqe, flags: u32, fd: i32) -> bool {
    !matches!(sqe.opcode, op::RECV | op::RECVMSG)
        || flags & cqe_flags::SOCK_NONEMPTY != 0
        || sock_type(fd) != libc::SOCK_STREAM
}

/// IORING_CQE_F_SOCK_NONEMPTY when a stream socket that just received
/// still holds data, as the kernel reports it.
fn nonempty(fd: i32, res: isize) -> u32 {
    let mut inq: i32 = 0;
    // SAFETY: SIOCINQ writes one int into a local.
    if res <= 0 || unsafe { libc::ioctl(fd, libc::FIONREAD, &mut inq) } < 0 || inq <= 0 {
        return 0;
    }
    if sock_type(fd) == libc::SOCK_STREAM { cqe_flags::SOCK_NONEMPTY } else { 0 }
}

/// A receive's result `r` on `fd`, as the kernel gives it: a receive that
/// would block waits for its socket, then tries again blocking (in its
/// workers, which take a provided buffer for good), which returns 0 on a
/// socket shut down for reading where a non-blocking try says -EAGAIN (a
/// datagram socket's); unless the program asked for MSG_DONTWAIT (`nowait`)
/// or it is multishot (which waits for wake-ups, see [`recv`]).
fn eof_if_shut(r: isize, fd: i32, nowait: bool) -> isize {
    if r == AGAIN && !nowait && shut_for_reading(fd) { 0 } else { r }
}

/// Whether `fd` is shut down for reading (it polls POLLRDHUP).
fn shut_for_reading(fd: i32) -> bool {
    let rdhup = libc::POLLRDHUP as u32;
    super::ops::revents(fd, rdhup) & rdhup != 0
}

/// [`eof_if_shut`] for a receive into a provided buffer: the 0 it gives
/// for a shut socket consumes a buffer ring's buffer (`ended`), which the
/// kernel's workers take for good, not one of PROVIDE_BUFFERS.
struct Shut {
    fd: i32,
    nowait: bool,
    ended: core::cell::Cell<bool>,
}

impl Shut {
    fn eof(&self, r: isize, b: &Buf) -> isize {
        let e = eof_if_shut(r, self.fd, self.nowait);
        self.ended.set(e != r && b.ring);
        e
    }
}

/// The program's msghdr at `addr`.
fn user_msg(addr: u64) -> Option<libc::msghdr> {
    let p = addr as usize as *const libc::msghdr;
    // SAFETY: the program's msghdr, as the kernel reads it; a bad pointer
    // is the program's fault, as with every buffer it passes.
    (!p.is_null()).then(|| unsafe { p.read_unaligned() })
}

/// RECV and RECVMSG: the bytes received. With IOSQE_BUFFER_SELECT into
/// provided buffers (several with IORING_RECVSEND_BUNDLE), IORING_CQE_F_BUFFER
/// naming the first; with IORING_RECV_MULTISHOT a CQE with IORING_CQE_F_MORE
/// for every receive until end of stream, an error or -ENOBUFS. A
/// multishot RECVMSG fills each buffer as io_uring_recvmsg_out lays it out.
/// -EINVAL for flags that do not go together.
pub fn recv(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    let msg = sqe.opcode == op::RECVMSG;
    let select = sqe.flags & sqe_flags::BUFFER_SELECT != 0;
    let multishot = sqe.ioprio & opflags::RECV_MULTISHOT != 0;
    let bundle = sqe.ioprio & opflags::RECVSEND_BUNDLE != 0;
    let mflags = sqe.op_flags as i32;
    let known = opflags::RECVSEND_POLL_FIRST | opflags::RECV_MULTISHOT | opflags::RECVSEND_BUNDLE;
    if sqe.ioprio & !known != 0
        || (multishot && (!select || mflags & libc::MSG_WAITALL != 0))
        || (bundle && (msg || !select))
    {
        return err(libc::EINVAL);
    }
    let flags = mflags | libc::MSG_DONTWAIT;
    let nowait = mflags & libc::MSG_DONTWAIT != 0;
    let shut = Shut { fd, nowait: nowait || multishot, ended: core::cell::Cell::new(false) };
    // A multishot RECVMSG that got no payload (end of stream, an empty
    // datagram) still fills a buffer, and ends, as in the kernel.
    let mut ended = false;
    // A MSG_WAITALL receive that cut a message short, or filled less than
    // its buffers, fails (breaking its link), as in the kernel.
    let waitall = mflags & libc::MSG_WAITALL != 0;
    let mut cut = false;
    let d = match (select, msg) {
        (false, false) if waitall => {
            let iov = [libc::iovec { iov_base: sqe.addr as usize as *mut _, iov_len: sqe.len as usize }];
            let (r, mf) = recv_iov(fd, &iov, flags);
            cut = truncated(mf);
            Done::of(eof_if_shut(r, fd, nowait))
        }
        (false, false) => {
            let args = [fd as usize, sqe.addr as usize, sqe.len as usize, flags as usize, 0, 0];
            Done::of(eof_if_shut(call(libc::SYS_recvfrom, args), fd, nowait))
        }
        (false, true) if mflags & libc::MSG_WAITALL != 0 && mflags & libc::MSG_DONTWAIT == 0 && stream(fd) => {
            return recvmsg_all(sqe, fd, flags);
        }
        (false, true) => {
            let (r, m) = recvmsg_from(sqe, fd, flags);
            let r = eof_if_shut(r, fd, nowait);
            let short = |m: &libc::msghdr| truncated(m.msg_flags) || iov_total(m).is_some_and(|n| (r as usize) < n);
            cut = waitall && r >= 0 && m.is_some_and(|m| short(&m));
            Done::of(r)
        }
        (true, false) => {
            let mut iov = [libc::iovec { iov_base: ptr::null_mut(), iov_len: 0 }; MAX_BUNDLE];
            let io = |b: &[Buf]| shut.eof(msg_iov(libc::SYS_recvmsg, fd, iovecs(b, &mut iov), flags), &b[0]);
            pbuf::with_buffers(c, pbuf::group(sqe), sqe.len, bundle, |r| r > 0 || shut.ended.get(), io)
        }
        (true, true) => {
            let Some(m) = user_msg(sqe.addr) else { return err(libc::EFAULT) };
            let want = match m.msg_iovlen {
                0 => 0,
                // SAFETY: the program's one iovec, as the kernel reads it.
                1 => unsafe { m.msg_iov.read_unaligned() }.iov_len as u32,
                _ => return err(libc::EINVAL),
            };
            let io = |b: Buf| match multishot {
                true => recvmsg_out(fd, &m, &b, flags, &mut ended),
                false => shut.eof(recvmsg_into(fd, sqe, &b, flags), &b),
            };
            pbuf::with_buffer(c, pbuf::group(sqe), want, |r| r > 0 || shut.ended.get(), io)
        }
    };
    let d = Done { flags: d.flags | nonempty(fd, d.res as isize), failed: d.failed || cut, ..d };
    match done_or_wait(sqe, fd, d, libc::EPOLLIN) {
        // Whether it tries again at once: see retry_at_once.
        Outcome::Done(d) if multishot && d.res > 0 && !ended => {
            Outcome::More { done: d, fd, events: (libc::EPOLLIN | libc::EPOLLRDHUP) as u32 }
        }
        // A multishot receive waits for wake-ups (edge triggered) as the
        // kernel's does: on a datagram socket shut down for reading, which
        // stays readable and says -EAGAIN, it waits for good rather than
        // spin.
        Outcome::Ready { fd, events } if multishot && shut_for_reading(fd) => {
            Outcome::Ready { fd, events: events | libc::EPOLLET as u32 }
        }
        o => o,
    }
}

/// A RECVMSG with MSG_WAITALL on a stream socket: into the program's
/// iovecs past the `off` bytes received before (the reactor keeps that
/// count in the SQE's offset), waiting until they are full, as the kernel
/// does (and fails when it cut a message short or met the end of the
/// stream first). The program's msghdr gets its lengths and flags back, as
/// recvmsg(2) writes them. More than [`MAX_BUNDLE`] iovecs: one receive.
fn recvmsg_all(sqe: &io_uring_sqe, fd: i32, flags: i32) -> Outcome {
    let Some(mut m) = user_msg(sqe.addr) else { return err(libc::EFAULT) };
    let mut iov = [libc::iovec { iov_base: ptr::null_mut(), iov_len: 0 }; MAX_BUNDLE];
    let skip = sqe.off as usize;
    let Some((total, rest)) = msg_rest(&m, skip, &mut iov) else {
        let (r, _) = recvmsg_from(sqe, fd, flags);
        return done_or_wait(sqe, fd, Done::of(eof_if_shut(r, fd, false)), libc::EPOLLIN);
    };
    m.msg_iov = rest.as_ptr().cast_mut();
    m.msg_iovlen = rest.len() as _;
    let r =
        eof_if_shut(call(libc::SYS_recvmsg, [fd as usize, &raw mut m as usize, flags as usize, 0, 0, 0]), fd, false);
    if r >= 0 {
        write_back(copies::program_msghdr(sqe), &m);
    }
    if r > 0 && skip + (r as usize) < total {
        return Outcome::Progress { moved: r as u32, fd, events: libc::EPOLLIN as u32 };
    }
    let d = Done::of(r);
    let cut = r >= 0 && (truncated(m.msg_flags) || skip + (r as usize) < total);
    done_or_wait(sqe, fd, Done { flags: nonempty(fd, r), failed: d.failed || cut, ..d }, libc::EPOLLIN)
}

/// recvmsg(2) into the msghdr the request runs from; when that is a copy,
/// the lengths and flags it wrote there go to the program's msghdr too.
/// Returns the result and that msghdr as recvmsg(2) left it.
fn recvmsg_from(sqe: &io_uring_sqe, fd: i32, flags: i32) -> (isize, Option<libc::msghdr>) {
    let r = call(libc::SYS_recvmsg, [fd as usize, sqe.addr as usize, flags as usize, 0, 0, 0]);
    let m = user_msg(sqe.addr);
    let program = copies::program_msghdr(sqe);
    if r >= 0 && program != sqe.addr {
        m.inspect(|m| write_back(program, m));
    }
    (r, m)
}

/// Writes what recvmsg(2) returns in `m` (lengths, flags) back into the
/// program's msghdr at `addr` (copies::program_msghdr).
fn write_back(addr: u64, m: &libc::msghdr) {
    let p = addr as usize as *mut libc::msghdr;
    // SAFETY: the program's msghdr, as the kernel writes it back; it was
    // readable when the request was submitted, and a program that freed
    // it since is at fault, as with every buffer it passes.
    unsafe {
        (*p).msg_namelen = m.msg_namelen;
        (*p).msg_controllen = m.msg_controllen;
        (*p).msg_flags = m.msg_flags;
    }
}

/// A one-shot RECVMSG into provided buffer `b`: the program's msghdr
/// (name, control) with `b` as its data, its lengths and flags written
/// back as recvmsg(2) writes them.
fn recvmsg_into(fd: i32, sqe: &io_uring_sqe, b: &Buf, flags: i32) -> isize {
    let Some(mut m) = user_msg(sqe.addr) else { return -(libc::EFAULT as isize) };
    let mut iov = libc::iovec { iov_base: b.addr as usize as *mut _, iov_len: b.len as usize };
    m.msg_iov = &mut iov;
    m.msg_iovlen = 1;
    let r = call(libc::SYS_recvmsg, [fd as usize, &raw mut m as usize, flags as usize, 0, 0, 0]);
    if r >= 0 {
        write_back(copies::program_msghdr(sqe), &m);
    }
    r
}

/// A multishot RECVMSG into provided buffer `b`, laid out as the kernel
/// does: an io_uring_recvmsg_out, room for the program's `msg_namelen`
/// bytes of name and `msg_controllen` of control, then the payload. The
/// bytes of the buffer used, -EFAULT when the header does not fit;
/// `ended` when no payload came.
fn recvmsg_out(fd: i32, user: &libc::msghdr, b: &Buf, flags: i32, ended: &mut bool) -> isize {
    let (name_len, ctrl_len) = (user.msg_namelen as usize, user.msg_controllen);
    let out_len = size_of::<io_uring_recvmsg_out>();
    let hdr = out_len + name_len + ctrl_len;
    if (b.len as usize) < hdr {
        return -(libc::EFAULT as isize);
    }
    let base = b.addr as usize;
    // SAFETY: all-zero sockaddr_storage and msghdr are valid values.
    let (mut name, mut m): (libc::sockaddr_storage, libc::msghdr) = unsafe { core::mem::zeroed() };
    let mut iov = libc::iovec { iov_base: (base + hdr) as *mut _, iov_len: b.len as usize - hdr };
    m.msg_name = (&raw mut name).cast();
    m.msg_namelen = size_of::<libc::sockaddr_storage>() as u32;
    m.msg_iov = &mut iov;
    m.msg_iovlen = 1;
    if ctrl_len > 0 {
        m.msg_control = (base + out_len + name_len) as *mut _;
        m.msg_controllen = ctrl_len as _;
    }
    let r = call(libc::SYS_recvmsg, [fd as usize, &raw mut m as usize, flags as usize, 0, 0, 0]);
    if r < 0 {
        return r;
    }
    *ended = r == 0;
    let out = io_uring_recvmsg_out {
        namelen: m.msg_namelen,
        controllen: m.msg_controllen as u32,
        payloadlen: r as u32,
        flags: m.msg_flags as u32,
    };
    // SAFETY: the buffer holds the header and the name's room (checked
    // above); it is the program's, handed to the engine with the group.
    unsafe {
        (base as *mut io_uring_recvmsg_out).write_unaligned(out);
        let n = (m.msg_namelen as usize).min(name_len);
        ptr::copy_nonoverlapping((&raw const name).cast::<u8>(), (base + out_len) as *mut u8, n);
    }
    // With MSG_TRUNC, `r` may count bytes the buffer had no room for.
    (hdr + (r as usize).min(b.len as usize - hdr)) as isize
}
