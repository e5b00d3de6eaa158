//! The operations the engine runs, and the checks io_uring makes before it
//! issues one: the opcode, the SQE flags, the file. Each operation runs to
//! completion in the calling thread, through libc or a raw syscall, and
//! returns the CQE's `res`.

use super::ctrl::Ctrl;
use super::files;
use super::ops_fs as fs;
use crate::sys::{self, Errno, Result, io_uring_sqe, op, opflags, sqe_flags};

/// What an operation reports: its result, whether it failed in the sense
/// that breaks a link (an error, or a short read or write), and the extra
/// words of a 32-byte CQE.
pub struct Done {
    pub res: i32,
    pub failed: bool,
    pub big: [u64; 2],
}

impl Done {
    /// A syscall's value: a result, or -errno.
    pub fn of(res: isize) -> Done {
        Done { res: res as i32, failed: res < 0, big: [0; 2] }
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

/// How an opcode runs: the function, and whether `fd` names a file that
/// FIXED_FILE resolves through the registered table.
struct Op {
    run: fn(&Ctrl, &io_uring_sqe, i32) -> Done,
    file: bool,
}

const fn with_file(run: fn(&Ctrl, &io_uring_sqe, i32) -> Done) -> Option<Op> {
    Some(Op { run, file: true })
}

const fn plain(run: fn(&Ctrl, &io_uring_sqe, i32) -> Done) -> Option<Op> {
    Some(Op { run, file: false })
}

/// The engine's opcodes; every other one is -EINVAL, as on a kernel that
/// lacks it, and absent from the probe.
fn lookup(opcode: u8) -> Option<Op> {
    match opcode {
        op::NOP => plain(nop),
        op::READ | op::WRITE | op::READ_FIXED | op::WRITE_FIXED => with_file(rw),
        op::READV | op::WRITEV => with_file(rwv),
        op::FSYNC => with_file(fs::fsync),
        op::SYNC_FILE_RANGE => with_file(fs::sync_file_range),
        op::FALLOCATE => with_file(fs::fallocate),
        op::FADVISE => with_file(fs::fadvise),
        op::MADVISE => plain(fs::madvise),
        op::FTRUNCATE => with_file(fs::ftruncate),
        op::OPENAT | op::OPENAT2 => plain(fs::openat),
        op::CLOSE => plain(fs::close),
        op::STATX => plain(fs::statx),
        op::RENAMEAT => plain(fs::renameat),
        op::UNLINKAT => plain(fs::unlinkat),
        op::MKDIRAT => plain(fs::mkdirat),
        op::SYMLINKAT => plain(fs::symlinkat),
        op::LINKAT => plain(fs::linkat),
        op::SPLICE | op::TEE => with_file(fs::splice),
        op::FILES_UPDATE => plain(fs::files_update),
        op::ASYNC_CANCEL => plain(cancel),
        _ => None,
    }
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
/// the engine lacks, unknown flags or a personality, -EOPNOTSUPP for
/// BUFFER_SELECT (no operation here selects buffers).
pub fn prep(sqe: &io_uring_sqe) -> Result<()> {
    if sqe.flags & sqe_flags::BUFFER_SELECT != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    if lookup(sqe.opcode).is_none() || sqe.flags & !KNOWN_FLAGS != 0 || sqe.personality != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// Runs a prepped SQE. Its file, when it has one, is resolved first:
/// -EBADF for a negative fd or an empty or out-of-range fixed slot.
pub fn issue(c: &Ctrl, sqe: &io_uring_sqe) -> Done {
    let Some(o) = lookup(sqe.opcode) else { return Done::of(-(libc::EINVAL as isize)) };
    let fd = if !o.file {
        sqe.fd
    } else if sqe.flags & sqe_flags::FIXED_FILE != 0 {
        match files::get(c, sqe.fd as u32) {
            Some(fd) => fd,
            None => return Done::of(-(libc::EBADF as isize)),
        }
    } else {
        sqe.fd
    };
    (o.run)(c, sqe, fd)
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

/// READ, WRITE and their FIXED forms: one buffer of `len` bytes at `addr`.
/// A fixed buffer must lie inside registered buffer `buf_index` (-EFAULT).
fn rw(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    let write = matches!(sqe.opcode, op::WRITE | op::WRITE_FIXED);
    if matches!(sqe.opcode, op::READ_FIXED | op::WRITE_FIXED)
        && !files::buffer_covers(c, sqe.buf_index, sqe.addr, sqe.len as u64)
    {
        return Done::of(-(libc::EFAULT as isize));
    }
    let iov = libc::iovec { iov_base: sqe.addr as usize as *mut _, iov_len: sqe.len as usize };
    Done::bytes(rw_at(write, fd, &iov, 1, sqe.off, sqe.op_flags), sqe.len as u64)
}

/// READV and WRITEV: `len` iovecs at `addr`.
fn rwv(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    let iov = sqe.addr as usize as *const libc::iovec;
    let r = rw_at(sqe.opcode == op::WRITEV, fd, iov, sqe.len as usize, sqe.off, sqe.op_flags);
    if r < 0 {
        return Done::of(r);
    }
    // The syscall accepted the iovecs, so they are readable.
    let mut want = 0u64;
    for i in 0..sqe.len as usize {
        // SAFETY: preadv2 just read these `len` iovecs without -EFAULT.
        want += unsafe { iov.add(i).read_unaligned() }.iov_len as u64;
    }
    Done::bytes(r, want)
}

/// ASYNC_CANCEL: every operation completes before io_uring_enter returns,
/// so none is ever in flight: -ENOENT, or a count of 0 with ALL or ANY.
fn cancel(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    match sqe.op_flags & (opflags::ASYNC_CANCEL_ALL | opflags::ASYNC_CANCEL_ANY) {
        0 => Done::of(-(libc::ENOENT as isize)),
        _ => Done::of(0),
    }
}
