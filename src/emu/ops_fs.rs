//! File and file-system operations: each reads its arguments from the SQE
//! fields io_uring_prep_* fills, and makes the matching system call.

use super::ctrl::Ctrl;
use super::files;
use super::ops::{self, Done, Outcome};
use crate::sys::{self, io_uring_sqe, opflags};
use core::ptr;

pub fn sys(nr: libc::c_long, args: [usize; 6]) -> Done {
    // SAFETY: every caller passes the program's own pointers (paths,
    // buffers) as the operation's SQE gives them; the kernel checks them
    // and answers -EFAULT, as it would for the io_uring operation.
    Done::of(unsafe { sys::syscall::syscall(nr, args) })
}

/// A libc call that returns -1 and sets errno on failure.
fn libc_call(call: impl FnOnce() -> i32) -> Done {
    Done::of(sys::syscall::without_errno(|| call() as isize))
}

fn einval() -> Done {
    Done::of(-(libc::EINVAL as isize))
}

pub fn fsync(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.op_flags & !opflags::FSYNC_DATASYNC != 0 {
        return einval();
    }
    let nr = if sqe.op_flags & opflags::FSYNC_DATASYNC != 0 { libc::SYS_fdatasync } else { libc::SYS_fsync };
    sys(nr, [fd as usize, 0, 0, 0, 0, 0])
}

pub fn sync_file_range(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    // SAFETY: sync_file_range takes integers only.
    libc_call(|| unsafe { libc::sync_file_range(fd, sqe.off as i64, sqe.len as i64, sqe.op_flags) })
}

/// FALLOCATE: the mode in `len`, the length in `addr`.
pub fn fallocate(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    // SAFETY: fallocate takes integers only.
    libc_call(|| unsafe { libc::fallocate64(fd, sqe.len as i32, sqe.off as i64, sqe.addr as i64) })
}

/// FADVISE: the length in `addr` (64-bit), else in `len`.
pub fn fadvise(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    let len = if sqe.addr != 0 { sqe.addr } else { sqe.len as u64 };
    // SAFETY: posix_fadvise takes integers only; it returns the error number.
    let r = unsafe { libc::posix_fadvise64(fd, sqe.off as i64, len as i64, sqe.op_flags as i32) };
    Done::of(-(r as isize))
}

/// MADVISE: the length in `off` (64-bit), else in `len`.
pub fn madvise(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let len = if sqe.off != 0 { sqe.off } else { sqe.len as u64 };
    sys(libc::SYS_madvise, [sqe.addr as usize, len as usize, sqe.op_flags as usize, 0, 0, 0])
}

/// FTRUNCATE: the length in `off`.
pub fn ftruncate(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    if sqe.addr != 0 || sqe.len != 0 || sqe.op_flags != 0 {
        return einval();
    }
    // SAFETY: ftruncate takes integers only.
    libc_call(|| unsafe { libc::ftruncate64(fd, sqe.off as i64) })
}

/// OPENAT and OPENAT2, waiting as long as it takes (on a worker); with
/// `file_index` the file goes into a fixed slot (`file_index - 1`, or the
/// first free one for IORING_FILE_INDEX_ALLOC) instead of the fd table.
pub fn openat(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let (flags, r) = if sqe.opcode == sys::op::OPENAT {
        let flags = sqe.op_flags as u64;
        (flags, sys(libc::SYS_openat, [sqe.fd as usize, sqe.addr as usize, flags as usize, sqe.len as usize, 0, 0]))
    } else {
        let how = sqe.off as usize as *const u64;
        // The flags are the open_how's first word; the kernel reads it too.
        let r = sys(libc::SYS_openat2, [sqe.fd as usize, sqe.addr as usize, how as usize, sqe.len as usize, 0, 0]);
        // SAFETY: openat2 succeeded, so `how` is a readable open_how.
        let flags = if r.res >= 0 { unsafe { how.read_unaligned() } } else { 0 };
        (flags, r)
    };
    opened(c, sqe, flags, r)
}

/// What an open that gave `r` with `flags` ends with: the fd, or with
/// `file_index` the fixed slot it went into.
fn opened(c: &Ctrl, sqe: &io_uring_sqe, flags: u64, r: Done) -> Done {
    if sqe.file_index == 0 || r.res < 0 {
        return r;
    }
    if flags & libc::O_CLOEXEC as u64 != 0 {
        sys::syscall::close(r.res);
        return einval();
    }
    install(c, sqe.file_index, r.res)
}

/// struct open_how, as openat2(2) takes it.
#[repr(C)]
#[derive(Default)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// RESOLVE_CACHED: fail with EAGAIN rather than look a path up on disk.
const RESOLVE_CACHED: u64 = 0x20;

/// The flags openat(2) takes (VALID_OPEN_FLAGS), and those O_PATH keeps.
const OPEN_FLAGS: i32 = libc::O_ACCMODE
    | libc::O_CREAT
    | libc::O_EXCL
    | libc::O_NOCTTY
    | libc::O_TRUNC
    | libc::O_APPEND
    | libc::O_NONBLOCK
    | libc::O_SYNC
    | libc::O_DSYNC
    | libc::O_ASYNC
    | libc::O_DIRECT
    | libc::O_LARGEFILE
    | libc::O_DIRECTORY
    | libc::O_NOFOLLOW
    | libc::O_NOATIME
    | libc::O_CLOEXEC
    | libc::O_PATH
    | libc::O_TMPFILE;
const PATH_FLAGS: i32 = libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;

/// The kernel's first try of an OPENAT or OPENAT2, which must not block:
/// the path looked up only where it is cached (RESOLVE_CACHED), the file
/// opened O_NONBLOCK, so that a FIFO or a device does not wait (cleared
/// again unless asked for). None when that would block, when the open
/// creates or truncates (the kernel always hands those to io-wq), or when
/// the kernel lacks openat2 or RESOLVE_CACHED (5.12): a worker opens it.
pub fn open_cached(c: &Ctrl, sqe: &io_uring_sqe) -> Option<Done> {
    let mut how = OpenHow::default();
    match sqe.opcode {
        sys::op::OPENAT => {
            // What the kernel makes of openat's flags (build_open_how).
            let flags = sqe.op_flags as i32 & OPEN_FLAGS;
            how.flags = (if flags & libc::O_PATH != 0 { flags & PATH_FLAGS } else { flags }) as u64;
        }
        sys::op::OPENAT2 if sqe.len as usize == size_of::<OpenHow>() => {
            if !super::copies::read(sqe.off, (&raw mut how).cast(), size_of::<OpenHow>()) {
                return None;
            }
        }
        _ => return None,
    }
    let tmpfile = (libc::O_TMPFILE & !libc::O_DIRECTORY) as u64;
    if how.flags & (libc::O_CREAT | libc::O_TRUNC) as u64 != 0 || how.flags & tmpfile != 0 {
        return None;
    }
    let nonblock = libc::O_NONBLOCK as u64;
    let added = how.flags & (nonblock | libc::O_PATH as u64) == 0;
    if added {
        how.flags |= nonblock;
    }
    how.resolve |= RESOLVE_CACHED;
    let args = [sqe.fd as usize, sqe.addr as usize, &raw const how as usize, size_of::<OpenHow>(), 0, 0];
    let r = sys(libc::SYS_openat2, args);
    if [libc::EAGAIN, libc::EINVAL, libc::ENOSYS, libc::EPERM].contains(&-r.res) {
        return None;
    }
    if added && r.res >= 0 {
        // SAFETY: fcntl(F_GETFL/F_SETFL) on the fd just opened touches no memory.
        unsafe {
            let fl = libc::fcntl(r.res, libc::F_GETFL);
            libc::fcntl(r.res, libc::F_SETFL, fl & !libc::O_NONBLOCK);
        }
    }
    Some(opened(c, sqe, how.flags, r))
}

/// Puts `fd` in fixed slot `file_index - 1` (or any free slot for ALLOC):
/// 0, or the slot allocated.
pub fn install(c: &Ctrl, file_index: u32, fd: i32) -> Done {
    let slot = if file_index == opflags::FILE_INDEX_ALLOC { None } else { Some(file_index - 1) };
    Done::result(files::install(c, slot, fd).map(|s| if slot.is_none() { s } else { 0 }))
}

/// CLOSE: an fd, or with `file_index` a fixed slot.
pub fn close(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    if sqe.file_index == 0 {
        // A ring's own fd is not the program's to close through it.
        if super::routes::rings_of(sqe.fd as u32).is_some() {
            return Done::of(-(libc::EBADF as isize));
        }
        return sys(libc::SYS_close, [sqe.fd as usize, 0, 0, 0, 0, 0]);
    }
    if sqe.fd != 0 {
        return einval();
    }
    Done::result(files::remove(c, sqe.file_index - 1).map(|_| 0))
}

/// STATX: the mask in `len`, the buffer in `off`.
pub fn statx(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let args = [sqe.fd as usize, sqe.addr as usize, sqe.op_flags as usize, sqe.len as usize, sqe.off as usize, 0];
    sys(libc::SYS_statx, args)
}

/// RENAMEAT: the new directory in `len`, the new path in `off`.
pub fn renameat(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let args = [sqe.fd as usize, sqe.addr as usize, sqe.len as usize, sqe.off as usize, sqe.op_flags as usize, 0];
    sys(libc::SYS_renameat2, args)
}

pub fn unlinkat(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    sys(libc::SYS_unlinkat, [sqe.fd as usize, sqe.addr as usize, sqe.op_flags as usize, 0, 0, 0])
}

/// MKDIRAT: the mode in `len`.
pub fn mkdirat(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    sys(libc::SYS_mkdirat, [sqe.fd as usize, sqe.addr as usize, sqe.len as usize, 0, 0, 0])
}

/// SYMLINKAT: the target in `addr`, the link's directory in `fd` and its
/// path in `off`.
pub fn symlinkat(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    sys(libc::SYS_symlinkat, [sqe.addr as usize, sqe.fd as usize, sqe.off as usize, 0, 0, 0])
}

/// LINKAT: as RENAMEAT.
pub fn linkat(_: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let args = [sqe.fd as usize, sqe.addr as usize, sqe.len as usize, sqe.off as usize, sqe.op_flags as usize, 0];
    sys(libc::SYS_linkat, args)
}

/// SPLICE and TEE: from `splice_fd_in` (a fixed slot with
/// SPLICE_F_FD_IN_FIXED) to `fd`; SPLICE's offsets are -1 for none. Tried
/// without blocking first (SPLICE_F_NONBLOCK); when a pipe is empty or
/// full, it waits in the reactor for that side, unless the program asked
/// for SPLICE_F_NONBLOCK itself.
pub fn splice(c: &Ctrl, sqe: &io_uring_sqe, fd_out: i32) -> Outcome {
    if sqe.opcode == sys::op::TEE && (sqe.addr != 0 || sqe.off != 0) {
        return Outcome::Done(einval()); // TEE takes no offsets
    }
    let fd_in = sqe.file_index as i32;
    let fd_in = if sqe.op_flags & opflags::SPLICE_F_FD_IN_FIXED != 0 {
        match files::get(c, fd_in as u32) {
            Some(fd) => fd,
            None => return Outcome::Done(Done::of(-(libc::EBADF as isize))),
        }
    } else {
        fd_in
    };
    let flags = sqe.op_flags & !opflags::SPLICE_F_FD_IN_FIXED;
    let call = |flags: u32| {
        let flags = flags as usize;
        if sqe.opcode == sys::op::TEE {
            return sys(libc::SYS_tee, [fd_in as usize, fd_out as usize, sqe.len as usize, flags, 0, 0]);
        }
        let (mut off_in, mut off_out) = (sqe.addr as i64, sqe.off as i64);
        let at = |o: &mut i64| if *o == -1 { ptr::null_mut() } else { ptr::from_mut(o) };
        let (pin, pout) = (at(&mut off_in) as usize, at(&mut off_out) as usize);
        sys(libc::SYS_splice, [fd_in as usize, pin, fd_out as usize, pout, sqe.len as usize, flags])
    };
    let nonblock = libc::SPLICE_F_NONBLOCK;
    let mut r = call(flags | nonblock);
    if r.res == -libc::EAGAIN && flags & nonblock == 0 {
        if !ops::ready(fd_in, libc::POLLIN as u32) {
            return Outcome::Ready { fd: fd_in, events: libc::EPOLLIN as u32 };
        }
        if !ops::ready(fd_out, libc::POLLOUT as u32) {
            return Outcome::Ready { fd: fd_out, events: libc::EPOLLOUT as u32 };
        }
        r = call(flags);
    }
    Outcome::Done(Done::bytes(r.res as isize, sqe.len as u64))
}

/// FILES_UPDATE: `len` fds from `addr` into the fixed table from slot
/// `off` (or into free slots for IORING_FILE_INDEX_ALLOC, writing back
/// the slots chosen): the count updated.
pub fn files_update(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let fds = sqe.addr as usize as *mut i32;
    // SAFETY: the program's array of `len` fds, read (and for ALLOC written)
    // by files::update within its bounds; a NULL array is refused there.
    Done::result(unsafe { files::update(c, sqe.off as u32, fds, ptr::null(), sqe.len) })
}

/// FIXED_FD_INSTALL's prep checks, which like the kernel's fail the
/// submission: -EINVAL for fields it does not take, -EBADF without
/// FIXED_FILE, -EINVAL for flags other than FIXED_FD_NO_CLOEXEC.
pub fn fixed_fd_install_prep(sqe: &io_uring_sqe) -> sys::Result<()> {
    if sqe.off != 0 || sqe.addr != 0 || sqe.len != 0 || sqe.buf_index != 0 || sqe.file_index != 0 || sqe.addr3 != 0 {
        return Err(sys::Errno::EINVAL);
    }
    if sqe.flags & sys::sqe_flags::FIXED_FILE == 0 {
        return Err(sys::Errno::EBADF);
    }
    if sqe.op_flags & !opflags::FIXED_FD_NO_CLOEXEC != 0 {
        return Err(sys::Errno::EINVAL);
    }
    Ok(())
}

/// FIXED_FD_INSTALL (prepped): a new fd of the fixed file `fd` (-EBADF
/// for an empty slot), close-on-exec unless FIXED_FD_NO_CLOEXEC.
pub fn fixed_fd_install(_: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    let cmd = if sqe.op_flags & opflags::FIXED_FD_NO_CLOEXEC != 0 { libc::F_DUPFD } else { libc::F_DUPFD_CLOEXEC };
    // SAFETY: fcntl(F_DUPFD*) touches no memory.
    libc_call(|| unsafe { libc::fcntl(fd, cmd, 0) })
}

/// PIPE: the two fds to `addr`, or with `file_index` the two ends into
/// fixed slots (`file_index - 1` and the next, or two free ones for
/// IORING_FILE_INDEX_ALLOC), whose numbers go to `addr` instead.
pub fn pipe(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let flags = sqe.op_flags as i32;
    let known = libc::O_CLOEXEC | libc::O_NONBLOCK | libc::O_DIRECT | 0x80; // O_NOTIFICATION_PIPE
    if sqe.fd != 0 || sqe.off != 0 || sqe.addr3 != 0 || flags & !known != 0 {
        return einval();
    }
    let out = sqe.addr as usize as *mut [i32; 2];
    if sqe.file_index == 0 {
        return sys(libc::SYS_pipe2, [out as usize, flags as usize, 0, 0, 0, 0]);
    }
    if flags & libc::O_CLOEXEC != 0 {
        return einval();
    }
    if out.is_null() {
        return Done::of(-(libc::EFAULT as isize));
    }
    let mut fds = [-1i32; 2];
    let r = sys(libc::SYS_pipe2, [fds.as_mut_ptr() as usize, (flags | libc::O_CLOEXEC) as usize, 0, 0, 0, 0]);
    if r.res < 0 {
        return r;
    }
    let first = if sqe.file_index == opflags::FILE_INDEX_ALLOC { None } else { Some(sqe.file_index - 1) };
    let read = match files::install(c, first, fds[0]) {
        Ok(s) => s,
        Err(e) => {
            sys::syscall::close(fds[1]);
            return Done::result(Err(e));
        }
    };
    match files::install(c, first.map(|s| s + 1), fds[1]) {
        Ok(write) => {
            // SAFETY: the program's two ints for the fds, as the kernel
            // writes them; a bad pointer is the program's fault.
            unsafe { out.write_unaligned([read as i32, write as i32]) };
            Done::of(0)
        }
        Err(e) => {
            let _ = files::remove(c, read);
            Done::result(Err(e))
        }
    }
}
