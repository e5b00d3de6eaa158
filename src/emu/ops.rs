//! The operations the engine runs, and the checks io_uring makes before it
//! issues one: the opcode, the SQE flags, the file. Each operation runs to
//! completion in the calling thread, through libc or a raw syscall, and
//! returns the CQE's `res`.

use super::ctrl::Ctrl;
use super::direct;
use super::files;
use super::net;
use super::ops_fs as fs;
use super::wait_ops as wait;
use super::{cmd, copies, epoll, futex, sock, waitid, xattr};
use crate::sys::{self, Errno, Result, io_uring_sqe, op, opflags, sqe_flags};

/// What an operation reports: its result, whether it failed in the sense
/// that breaks a link (an error, or a short read or write), the CQE's
/// flags (a selected buffer, ...), and the extra words of a 32-byte CQE.
#[derive(Clone, Copy)]
pub struct Done {
    pub res: i32,
    pub failed: bool,
    pub flags: u32,
    pub big: [u64; 2],
}

impl Done {
    /// A syscall's value: a result, or -errno.
    pub fn of(res: isize) -> Done {
        Done { res: res as i32, failed: res < 0, flags: 0, big: [0; 2] }
    }

    /// A read or write of `want` bytes that moved `res`.
    pub fn bytes(res: isize, want: u64) -> Done {
        Done { failed: res < 0 || res as u64 != want, ..Done::of(res) }
    }

    pub fn result(r: Result<u32>) -> Done {
        match r {
            Ok(n) => Done::of(n as isize),
            Err(e) => Done::of(e.to_neg() as isize),
        }
    }
}

/// What issuing an operation gives: its result, or what it waits for.
#[derive(Clone, Copy)]
pub enum Outcome {
    Done(Done),
    /// Run it again once `fd` is ready for `events` (EPOLLIN, EPOLLOUT, ...).
    Ready {
        fd: i32,
        events: u32,
    },
    /// A TIMEOUT: its deadline in CLOCK_MONOTONIC nanoseconds, and the
    /// completions it also ends at (0: none); a multishot one fires every
    /// `interval` nanoseconds, `repeats` times (0: until cancelled).
    Timer {
        deadline: i64,
        count: u32,
        interval: i64,
        repeats: u32,
    },
    /// A multishot request's CQE, posted with IORING_CQE_F_MORE; then it
    /// waits for `fd` again. `events` with EPOLLET waits for the next
    /// wake-up (a multishot poll), else for readiness.
    More {
        done: Done,
        fd: i32,
        events: u32,
    },
    /// A SEND or RECV with MSG_WAITALL on a stream socket moved `moved`
    /// bytes of its buffer: it waits for `fd` to move the rest, and its
    /// result counts them all, as the kernel retries it.
    Progress {
        moved: u32,
        fd: i32,
        events: u32,
    },
    /// Run it to completion on a worker thread ([`run_blocking`]), on
    /// file `fd`: a regular file that has to wait for the disk, an fsync,
    /// IOSQE_ASYNC.
    Work {
        fd: i32,
    },
    /// Wait for `job`'s thread to finish its blocking call (job.rs), then
    /// [`after_job`] gives the result.
    Thread {
        job: *mut super::job::Job,
    },
}

/// How an opcode runs: to completion at once, or perhaps later.
#[derive(Clone, Copy)]
enum Run {
    Now(fn(&Ctrl, &io_uring_sqe, i32) -> Done),
    Maybe(fn(&Ctrl, &io_uring_sqe, i32) -> Outcome),
}

/// An opcode's way of running, whether `fd` names a file that FIXED_FILE
/// resolves through the registered table, whether it always goes to a
/// worker (as the kernel always hands it to io-wq), and whether it may
/// take a provided buffer (IOSQE_BUFFER_SELECT).
#[derive(Clone, Copy)]
struct Op {
    run: Run,
    file: bool,
    worker: bool,
    select: bool,
}

const fn file(run: Run) -> Option<Op> {
    Some(Op { run, file: true, worker: false, select: false })
}

const fn plain(run: Run) -> Option<Op> {
    Some(Op { run, file: false, worker: false, select: false })
}

const fn worker(run: Run) -> Option<Op> {
    Some(Op { run, file: true, worker: true, select: false })
}

/// A path operation: the kernel copies its arguments at prep and always
/// runs it in io-wq (OPENAT after a try that must not block).
const fn path(run: Run) -> Option<Op> {
    Some(Op { run, file: false, worker: true, select: false })
}

const fn selecting(run: Run) -> Option<Op> {
    Some(Op { run, file: true, worker: false, select: true })
}

/// Every opcode's entry, built from [`op_of`] at compile time, so that
/// finding one is an index.
static OPS: [Option<Op>; 256] = {
    let mut t = [None; 256];
    let mut i = 0;
    while i < t.len() {
        t[i] = op_of(i as u8);
        i += 1;
    }
    t
};

fn lookup(opcode: u8) -> Option<Op> {
    OPS[opcode as usize]
}

/// The engine's opcodes; every other one is -EINVAL, as on a kernel that
/// lacks it, and absent from the probe.
const fn op_of(opcode: u8) -> Option<Op> {
    use Run::{Maybe, Now};
    match opcode {
        op::NOP => plain(Now(nop)),
        op::READ => selecting(Maybe(rw)),
        op::READ_MULTISHOT => selecting(Maybe(read_multishot)),
        op::READV => selecting(Maybe(rw)),
        op::WRITE | op::READ_FIXED | op::WRITE_FIXED | op::WRITEV => file(Maybe(rw)),
        op::FSYNC => worker(Now(fs::fsync)),
        op::SYNC_FILE_RANGE => worker(Now(fs::sync_file_range)),
        op::FALLOCATE => worker(Now(fs::fallocate)),
        op::FADVISE => file(Now(fs::fadvise)),
        op::MADVISE => plain(Now(fs::madvise)),
        op::FTRUNCATE => worker(Now(fs::ftruncate)),
        op::OPENAT | op::OPENAT2 => path(Now(fs::openat)),
        op::CLOSE => plain(Now(fs::close)),
        op::STATX => path(Now(fs::statx)),
        op::RENAMEAT => path(Now(fs::renameat)),
        op::UNLINKAT => path(Now(fs::unlinkat)),
        op::MKDIRAT => path(Now(fs::mkdirat)),
        op::SYMLINKAT => path(Now(fs::symlinkat)),
        op::LINKAT => path(Now(fs::linkat)),
        op::SPLICE | op::TEE => file(Maybe(fs::splice)),
        op::FILES_UPDATE => plain(Now(fs::files_update)),
        op::POLL_ADD => file(Maybe(wait::poll_add)),
        op::POLL_REMOVE => plain(Now(wait::poll_remove)),
        op::TIMEOUT => plain(Maybe(wait::timeout)),
        op::TIMEOUT_REMOVE => plain(Now(wait::timeout_remove)),
        op::LINK_TIMEOUT => plain(Now(wait::link_timeout)),
        op::ASYNC_CANCEL => plain(Now(wait::cancel)),
        op::MSG_RING => file(Now(super::msg_ring::msg_ring)),
        op::FIXED_FD_INSTALL => file(Now(fs::fixed_fd_install)),
        op::SOCKET => plain(Now(sock::socket)),
        op::BIND => file(Now(sock::bind)),
        op::LISTEN => file(Now(sock::listen)),
        op::SHUTDOWN => file(Now(sock::shutdown)),
        op::CONNECT => file(Maybe(sock::connect)),
        op::ACCEPT => file(Maybe(sock::accept)),
        op::EPOLL_CTL => plain(Now(epoll::epoll_ctl)),
        op::EPOLL_WAIT => file(Maybe(epoll::epoll_wait)),
        op::PIPE => plain(Now(fs::pipe)),
        op::FGETXATTR => file(Now(xattr::fgetxattr)),
        op::FSETXATTR => file(Now(xattr::fsetxattr)),
        op::GETXATTR => path(Now(xattr::getxattr)),
        op::SETXATTR => path(Now(xattr::setxattr)),
        op::URING_CMD => file(Now(cmd::uring_cmd)),
        op::FUTEX_WAIT => plain(Maybe(futex::wait)),
        op::FUTEX_WAITV => plain(Maybe(futex::waitv_op)),
        op::FUTEX_WAKE => plain(Now(futex::wake)),
        op::WAITID => plain(Maybe(waitid::waitid_op)),
        op::PROVIDE_BUFFERS => plain(Now(super::pbuf::provide)),
        op::REMOVE_BUFFERS => plain(Now(super::pbuf::remove)),
        op::SEND => selecting(Maybe(net::send)),
        op::SENDMSG | op::SEND_ZC | op::SENDMSG_ZC => file(Maybe(net::send)),
        op::RECV | op::RECVMSG => selecting(Maybe(net::recv)),
        _ => None,
    }
}

/// Whether `opcode` works on the file its SQE's fd names (the kernel's
/// needs_file): what a cancellation by fd can match.
pub fn takes_file(opcode: u8) -> bool {
    lookup(opcode).is_some_and(|o| o.file)
}

/// Whether the engine runs `opcode` (what the probe lists).
pub fn supported(opcode: u8) -> bool {
    lookup(opcode).is_some()
}

const KNOWN_FLAGS: u8 = sqe_flags::FIXED_FILE
    | sqe_flags::IO_DRAIN
    | sqe_flags::IO_LINK
    | sqe_flags::IO_HARDLINK
    | sqe_flags::ASYNC
    | sqe_flags::CQE_SKIP_SUCCESS;

/// The checks io_uring makes when it takes an SQE: -EINVAL for an opcode
/// the engine lacks, unknown flags, a personality or a bad I/O priority,
/// -EOPNOTSUPP for BUFFER_SELECT on an operation that takes no provided
/// buffer and for IO_DRAIN on a ring that has skipped a CQE (`no_drain`,
/// which CQE_SKIP_SUCCESS sets).
pub fn prep(sqe: &io_uring_sqe, no_drain: &mut bool) -> Result<()> {
    // In the kernel's order: the opcode, the flags, buffer selection, the
    // drain rule, the personality.
    let Some(o) = lookup(sqe.opcode) else { return Err(Errno::EINVAL) };
    if sqe.flags & !(KNOWN_FLAGS | sqe_flags::BUFFER_SELECT) != 0 {
        return Err(Errno::EINVAL);
    }
    if sqe.flags & sqe_flags::BUFFER_SELECT != 0 && !o.select {
        return Err(Errno::EOPNOTSUPP);
    }
    *no_drain |= sqe.flags & sqe_flags::CQE_SKIP_SUCCESS != 0;
    if sqe.flags & sqe_flags::IO_DRAIN != 0 && *no_drain {
        return Err(Errno::EOPNOTSUPP);
    }
    if sqe.personality != 0 || !ioprio_ok(sqe) {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// The I/O priority: only reads and writes take one, and its class must
/// be one the kernel knows (none at level 0, realtime, best effort, idle).
/// Socket operations keep their own flags there (net.rs checks them).
fn ioprio_ok(sqe: &io_uring_sqe) -> bool {
    match (sqe.ioprio >> 13, sqe.ioprio & 7) {
        _ if sqe.ioprio == 0 || net::flags_in_ioprio(sqe.opcode) => true,
        _ if !is_rw(sqe.opcode) => false,
        (0, level) => level == 0,
        (class, _) => class <= 3,
    }
}

/// Runs a prepped SQE. Its file, when it has one, is resolved first:
/// -EBADF for an empty or out-of-range fixed slot.
pub fn issue(c: &Ctrl, sqe: &io_uring_sqe) -> Outcome {
    let Some(o) = lookup(sqe.opcode) else { return Outcome::Done(Done::of(-(libc::EINVAL as isize))) };
    let fd = if o.file && sqe.flags & sqe_flags::FIXED_FILE != 0 {
        match files::get(c, sqe.fd as u32) {
            Some(fd) => fd,
            None => return Outcome::Done(Done::of(-(libc::EBADF as isize))),
        }
    } else {
        sqe.fd
    };
    run_on(c, sqe, fd)
}

/// Runs `sqe` on the file `fd` (the reactor's own duplicate, when it runs
/// a request again), or says it needs a worker.
pub fn run_on(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    let forced = sqe.flags & sqe_flags::ASYNC != 0;
    // An open whose path is cached, tried first as the kernel does.
    if !forced && let Some(d) = fs::open_cached(c, sqe) {
        return Outcome::Done(d);
    }
    match lookup(sqe.opcode) {
        // What a path operation points at must be copied for the worker;
        // when it cannot be, the system call says why at once.
        Some(Op { run: Run::Now(_), worker, .. }) if (worker || forced) && copies::copyable(sqe) => {
            Outcome::Work { fd }
        }
        // IOSQE_ASYNC on a pipe or socket: the reactor, which can still
        // cancel it, rather than a worker blocked in the read.
        Some(Op { run: Run::Maybe(_), .. }) if forced && is_rw(sqe.opcode) && file_like(fd) => Outcome::Work { fd },
        Some(Op { run: Run::Now(f), .. }) => Outcome::Done(f(c, sqe, fd)),
        Some(Op { run: Run::Maybe(f), .. }) => f(c, sqe, fd),
        None => Outcome::Done(Done::of(-(libc::EINVAL as isize))),
    }
}

/// Runs `sqe` on `fd` to completion, waiting as long as it takes: what a
/// worker does with [`Outcome::Work`].
pub fn run_blocking(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    match lookup(sqe.opcode).map(|o| o.run) {
        Some(Run::Now(f)) => f(c, sqe, fd),
        Some(Run::Maybe(_)) if is_rw(sqe.opcode) => match rw_with(c, sqe, fd, true) {
            Outcome::Done(d) => d,
            _ => Done::of(-(libc::EINVAL as isize)),
        },
        _ => Done::of(-(libc::EINVAL as isize)),
    }
}

/// What a request whose job finished ends with (or waits for next).
pub fn after_job(c: &Ctrl, sqe: &io_uring_sqe, job: *mut super::job::Job) -> Outcome {
    match sqe.opcode {
        op::WAITID => waitid::after(c, sqe, job),
        _ => Outcome::Done(futex::after(sqe, job)),
    }
}

fn is_rw(opcode: u8) -> bool {
    matches!(opcode, op::READ | op::WRITE | op::READV | op::WRITEV | op::READ_FIXED | op::WRITE_FIXED)
}

/// NOP: 0, or `len` with IORING_NOP_INJECT_RESULT; with IORING_NOP_CQE32
/// (CQE32 rings only, else -EINVAL) the CQE's extra words are `off` and
/// `addr`.
fn nop(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let res = if sqe.op_flags & opflags::NOP_INJECT_RESULT != 0 { sqe.len as i32 } else { 0 };
    if sqe.op_flags & opflags::NOP_CQE32 == 0 {
        return Done::of(res as isize);
    }
    if !c.cqe32() {
        return Done::of(-(libc::EINVAL as isize));
    }
    Done { big: [sqe.off, sqe.addr], ..Done::of(res as isize) }
}

/// RWF_NOWAIT: fail with -EAGAIN rather than wait.
const RWF_NOWAIT: u32 = 0x8;

/// preadv2/pwritev2 at `off` (-1: the file position), retried at the file
/// position on a stream (pipe, socket), whose offset io_uring ignores.
fn rw_at(write: bool, fd: i32, iov: *const libc::iovec, n: usize, off: u64, flags: u32) -> isize {
    let nr = if write { libc::SYS_pwritev2 } else { libc::SYS_preadv2 };
    let call = |off: u64| {
        // The offset goes as low and high words, as preadv2(2) takes it on
        // every architecture (64-bit kernels ignore the high word).
        let args = [fd as usize, iov as usize, n, off as usize, (off >> 32) as usize, flags as usize];
        // SAFETY: `iov` holds `n` iovecs the program gave for this I/O;
        // the kernel checks the buffers they name.
        unsafe { sys::syscall::syscall(nr, args) }
    };
    match call(off) {
        r if r == -(libc::ESPIPE as isize) && off != u64::MAX => call(u64::MAX),
        r => r,
    }
}

/// The read or write of `iov`: at once when the file has data or room
/// (RWF_NOWAIT); on a worker when a regular file or block device has to
/// wait for the disk, as it always does with O_DIRECT; otherwise, unless the program asked for RWF_NOWAIT
/// itself, once the file is ready. `blocking` (a worker) just waits.
/// `want` gives the bytes asked for once the kernel accepted `iov`.
fn rw_io(
    sqe: &io_uring_sqe,
    fd: i32,
    iov: *const libc::iovec,
    n: usize,
    want: impl Fn() -> u64,
    blocking: bool,
) -> Outcome {
    let write = matches!(sqe.opcode, op::WRITE | op::WRITE_FIXED | op::WRITEV);
    let flags = sqe.op_flags;
    let done = |r: isize| Outcome::Done(if r < 0 { Done::of(r) } else { Done::bytes(r, want()) });
    if blocking {
        return done(rw_at(write, fd, iov, n, sqe.off, flags));
    }
    if flags & RWF_NOWAIT == 0 && direct::is_direct(fd) {
        return Outcome::Work { fd };
    }
    let r = rw_at(write, fd, iov, n, sqe.off, flags | RWF_NOWAIT);
    let again = r == -(libc::EAGAIN as isize);
    if flags & RWF_NOWAIT != 0 {
        return done(r);
    }
    if r >= 0 {
        // Part of a regular file was cached: the kernel would read the
        // rest before completing, so a worker makes the whole call again,
        // from the same place.
        if (r as u64) < want() && file_like(fd) {
            if sqe.off == u64::MAX {
                // SAFETY: lseek takes integers only.
                sys::syscall::without_errno(|| unsafe { libc::lseek64(fd, -(r as i64), libc::SEEK_CUR) } as isize);
            }
            return Outcome::Work { fd };
        }
        return done(r);
    }
    if !again && r != -(libc::EOPNOTSUPP as isize) {
        return done(r);
    }
    let events = if write { libc::EPOLLOUT } else { libc::EPOLLIN } as u32;
    if file_like(fd) {
        return Outcome::Work { fd };
    }
    if !again && ready(fd, events) {
        return done(rw_at(write, fd, iov, n, sqe.off, flags));
    }
    Outcome::Ready { fd, events }
}

fn rw(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    rw_with(c, sqe, fd, false)
}

/// READ, WRITE and their FIXED forms: one buffer of `len` bytes at `addr`
/// (a fixed one must lie inside registered buffer `buf_index`: -EFAULT);
/// READV and WRITEV: `len` iovecs at `addr`. With IOSQE_BUFFER_SELECT, a
/// READ reads into a provided buffer of at most `len` bytes, and a READV
/// into one of at most its one iovec's length (-EINVAL for another count,
/// -EFAULT when the iovec cannot be read), as the kernel's
/// io_iov_buffer_select_prep takes it.
fn rw_with(c: &Ctrl, sqe: &io_uring_sqe, fd: i32, blocking: bool) -> Outcome {
    if sqe.flags & sqe_flags::BUFFER_SELECT != 0 {
        let want = match sqe.opcode {
            op::READV if sqe.len != 1 => return Outcome::Done(Done::of(-(libc::EINVAL as isize))),
            op::READV => {
                let mut iov = libc::iovec { iov_base: core::ptr::null_mut(), iov_len: 0 };
                if !copies::read(sqe.addr, (&raw mut iov).cast(), size_of::<libc::iovec>()) {
                    return Outcome::Done(Done::of(-(libc::EFAULT as isize)));
                }
                iov.iov_len as u32
            }
            _ => sqe.len,
        };
        return read_select(c, sqe, fd, want, blocking);
    }
    if matches!(sqe.opcode, op::READV | op::WRITEV) {
        let iov = sqe.addr as usize as *const libc::iovec;
        let want = || {
            // SAFETY: only called once preadv2 read these `len` iovecs
            // without -EFAULT, so they are readable.
            (0..sqe.len as usize).map(|i| unsafe { iov.add(i).read_unaligned() }.iov_len as u64).sum()
        };
        return rw_io(sqe, fd, iov, sqe.len as usize, want, blocking);
    }
    if matches!(sqe.opcode, op::READ_FIXED | op::WRITE_FIXED)
        && !files::buffer_covers(c, sqe.buf_index, sqe.addr, sqe.len as u64)
    {
        return Outcome::Done(Done::of(-(libc::EFAULT as isize)));
    }
    let iov = libc::iovec { iov_base: sqe.addr as usize as *mut _, iov_len: sqe.len as usize };
    rw_io(sqe, fd, &iov, 1, || sqe.len as u64, blocking)
}

/// READ or READV with IOSQE_BUFFER_SELECT: into a buffer of the group, of
/// at most `want` bytes (0: the whole buffer). One that has to wait leaves
/// the buffer for the next; any other result (an error, end of file)
/// consumes it, as in the kernel: by the bytes read, or, where the kernel
/// commits a buffer as it selects it (a file it cannot poll, a request in
/// its workers), by the whole length selected, which matters for
/// IOU_PBUF_RING_INC. A worker takes its buffer first and reads without
/// the buffer lock, which a read that waits for the disk would hold.
fn read_select(c: &Ctrl, sqe: &io_uring_sqe, fd: i32, want: u32, blocking: bool) -> Outcome {
    if blocking {
        return Outcome::Done(match super::pbuf::take_buffer(c, super::pbuf::group(sqe), want) {
            Ok((b, flags)) => {
                let iov = libc::iovec { iov_base: b.addr as usize as *mut _, iov_len: b.len as usize };
                let r = rw_at(false, fd, &iov, 1, sqe.off, sqe.op_flags);
                Done { flags, ..Done::bytes(r, b.len as u64) }
            }
            Err(e) => Done::of(e.to_neg() as isize),
        });
    }
    let mut wait = None;
    let mut inner = None;
    let again = -(libc::EAGAIN as isize);
    let d = super::pbuf::with_buffer(
        c,
        super::pbuf::group(sqe),
        want,
        |r| r != -(libc::EAGAIN as isize),
        |b| {
            let iov = libc::iovec { iov_base: b.addr as usize as *mut _, iov_len: b.len as usize };
            match rw_io(sqe, fd, &iov, 1, || b.len as u64, blocking) {
                // What the buffer gave, for consuming it; the CQE's res
                // is the read's (below). The file's kind is asked only
                // when the read left part of the buffer, where it matters.
                Outcome::Done(d) => {
                    inner = Some(d);
                    let short = d.res >= 0 && (d.res as u32) < b.len;
                    if short && file_like(fd) { b.len as isize } else { d.res as isize }
                }
                o => {
                    wait = Some(o);
                    again
                }
            }
        },
    );
    let d = inner.map_or(d, |i| Done { res: i.res, failed: d.failed || i.failed, ..d });
    wait.unwrap_or(Outcome::Done(d))
}

/// READ_MULTISHOT: reads of a pipe, socket or other pollable file into
/// provided buffers of at most `len` bytes, a CQE with IORING_CQE_F_MORE
/// for each, until end of file (0), an error or -ENOBUFS. -EINVAL without
/// IOSQE_BUFFER_SELECT or with an address or offset, -EBADFD for a regular
/// file, which cannot be polled.
fn read_multishot(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Outcome {
    if sqe.flags & sqe_flags::BUFFER_SELECT == 0 || sqe.addr != 0 || (sqe.off != 0 && sqe.off != u64::MAX) {
        return Outcome::Done(Done::of(-(libc::EINVAL as isize)));
    }
    if file_like(fd) {
        return Outcome::Done(Done::of(-(libc::EBADFD as isize)));
    }
    let d = super::pbuf::with_buffer(
        c,
        super::pbuf::group(sqe),
        sqe.len,
        |r| r > 0,
        |b| {
            let iov = libc::iovec { iov_base: b.addr as usize as *mut _, iov_len: b.len as usize };
            rw_at(false, fd, &iov, 1, u64::MAX, RWF_NOWAIT)
        },
    );
    match d.res {
        r if r == -libc::EAGAIN => Outcome::Ready { fd, events: libc::EPOLLIN as u32 },
        r if r > 0 => Outcome::More { done: d, fd, events: libc::EPOLLIN as u32 },
        _ => Outcome::Done(d),
    }
}

/// Whether `fd` is a regular file or a block device (or not an fd at all:
/// the operation itself then says so).
pub fn file_like(fd: i32) -> bool {
    // SAFETY: an all-zero stat64 is a valid value for fstat to overwrite.
    let mut st: libc::stat64 = unsafe { core::mem::zeroed() };
    // SAFETY: fstat64 writes one stat64 into a local.
    let r = sys::syscall::without_errno(|| unsafe { libc::fstat64(fd, &mut st) } as isize);
    let kind = st.st_mode & libc::S_IFMT;
    r < 0 || kind == libc::S_IFREG || kind == libc::S_IFBLK
}

/// Whether `fd` is ready for `events` now.
pub fn ready(fd: i32, events: u32) -> bool {
    revents(fd, events) != 0
}

/// poll(2) of `fd` for `events` without waiting: what it reports.
pub fn revents(fd: i32, events: u32) -> u32 {
    let mut p = libc::pollfd { fd, events: events as i16, revents: 0 };
    // SAFETY: one pollfd in a local, no timeout.
    let r = sys::syscall::without_errno(|| unsafe { libc::poll(&mut p, 1, 0) } as isize);
    if r > 0 { p.revents as u16 as u32 } else { 0 }
}
