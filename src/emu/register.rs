//! io_uring_register(2) on an emulated ring: files, buffers, eventfds,
//! the probe, ring fds, the workers' limits and CPUs; anything else gets what a kernel without it
//! returns, -EINVAL.

use super::ctrl::Ctrl;
use super::{files, ops, pbuf, wait_ops};
use crate::sys::{
    Errno, Result, io_uring_buf_reg, io_uring_buf_status, io_uring_file_index_range, io_uring_probe, io_uring_probe_op,
    io_uring_rsrc_register, io_uring_rsrc_update, io_uring_rsrc_update2, io_uring_sync_cancel_reg, op, reg, rsrc,
};
use core::ffi::c_void;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};

/// IO_URING_OP_SUPPORTED in a probe entry.
const OP_SUPPORTED: u16 = 1;
/// The kernel's limit on ring fds registered at once.
const MAX_RING_FDS: u32 = 16;

/// io_uring_register on the emulated ring at `rings`: what the kernel's
/// call returns, a count or -errno.
///
/// # Safety
/// `rings` must be a live emulated ring's; `arg` must be NULL or valid for
/// `opcode` and `nr_args`, as io_uring_register(2) documents.
pub unsafe fn register(rings: *mut c_void, opcode: u32, arg: *const c_void, nr: u32) -> i32 {
    // SAFETY: a live emulated ring (contract).
    let c = unsafe { Ctrl::of(rings) };
    let opcode = opcode & !reg::USE_REGISTERED_RING;
    if let Err(e) = c.check_issuer() {
        return e.to_neg();
    }
    // SAFETY: `arg` is valid for `opcode` and `nr` (contract).
    match unsafe { dispatch(c, opcode, arg, nr) } {
        Ok(n) => n as i32,
        Err(e) => e.to_neg(),
    }
}

/// Reads the `T` that `arg` points to, whose size `nr` must be.
///
/// # Safety
/// `arg` must be NULL or valid for `nr` bytes.
unsafe fn arg_struct<T: Copy>(arg: *const c_void, nr: u32) -> Result<T> {
    if nr as usize != size_of::<T>() {
        return Err(Errno::EINVAL);
    }
    if arg.is_null() {
        return Err(Errno::EFAULT);
    }
    // SAFETY: non-null and `nr` == size_of::<T>() bytes (contract).
    Ok(unsafe { arg.cast::<T>().read_unaligned() })
}

/// # Safety
/// As for [`register`].
unsafe fn dispatch(c: &Ctrl, opcode: u32, arg: *const c_void, nr: u32) -> Result<u32> {
    let arg_ptr = |p: u64| p as usize as *const c_void;
    // SAFETY: for every arm, `arg` is valid for `opcode` and `nr`, and the
    // pointers inside it for what they name (contract).
    unsafe {
        match opcode {
            reg::REGISTER_FILES => files::register_files(c, non_null(arg)?.cast(), core::ptr::null(), nr).map(|_| 0),
            reg::REGISTER_FILES2 => {
                let r: io_uring_rsrc_register = arg_struct(arg, nr)?;
                files::register_files(c, table(&r)?.cast(), arg_ptr(r.tags).cast(), r.nr).map(|_| 0)
            }
            reg::UNREGISTER_FILES => files::unregister_files(c).map(|_| 0),
            reg::REGISTER_FILES_UPDATE => {
                let u: io_uring_rsrc_update = arg_struct(arg, size_of::<io_uring_rsrc_update>() as u32)?;
                update_range(u.offset, nr)?;
                files::update(c, u.offset, arg_ptr(u.data).cast_mut().cast(), core::ptr::null(), nr)
            }
            reg::REGISTER_FILES_UPDATE2 => {
                let u: io_uring_rsrc_update2 = arg_struct(arg, nr)?;
                update_range(u.offset, u.nr)?;
                files::update(c, u.offset, arg_ptr(u.data).cast_mut().cast(), arg_ptr(u.tags).cast(), u.nr)
            }
            reg::REGISTER_FILE_ALLOC_RANGE => {
                let r: io_uring_file_index_range = arg_struct(arg, size_of::<io_uring_file_index_range>() as u32)?;
                if r.resv != 0 {
                    return Err(Errno::EINVAL);
                }
                files::alloc_range(c, r.off, r.len).map(|_| 0)
            }
            reg::REGISTER_BUFFERS => {
                files::register_buffers(c, non_null(arg)?.cast(), core::ptr::null(), nr).map(|_| 0)
            }
            reg::REGISTER_BUFFERS2 => {
                let r: io_uring_rsrc_register = arg_struct(arg, nr)?;
                files::register_buffers(c, table(&r)?.cast(), arg_ptr(r.tags).cast(), r.nr).map(|_| 0)
            }
            reg::UNREGISTER_BUFFERS => files::unregister_buffers(c).map(|_| 0),
            reg::REGISTER_BUFFERS_UPDATE => {
                let u: io_uring_rsrc_update2 = arg_struct(arg, nr)?;
                update_range(u.offset, u.nr)?;
                files::update_buffers(c, u.offset, arg_ptr(u.data).cast(), arg_ptr(u.tags).cast(), u.nr)
            }
            reg::REGISTER_EVENTFD | reg::REGISTER_EVENTFD_ASYNC => {
                let fd: i32 = arg_struct(arg, if nr == 1 { 4 } else { 0 })?;
                register_eventfd(c, fd, opcode == reg::REGISTER_EVENTFD_ASYNC).map(|_| 0)
            }
            reg::UNREGISTER_EVENTFD => unregister_eventfd(c).map(|_| 0),
            reg::REGISTER_PROBE => probe(arg.cast_mut().cast(), nr).map(|_| 0),
            reg::REGISTER_RING_FDS | reg::UNREGISTER_RING_FDS => ring_fds(arg.cast_mut().cast(), nr),
            reg::REGISTER_SYNC_CANCEL => {
                if arg.is_null() || nr != 1 {
                    return Err(Errno::EINVAL);
                }
                let r: io_uring_sync_cancel_reg = arg_struct(arg, size_of::<io_uring_sync_cancel_reg>() as u32)?;
                if r.pad != [0; 7] || r.pad2 != [0; 3] {
                    return Err(Errno::EINVAL);
                }
                wait_ops::cancel_matching(c, r.flags, r.addr, r.fd, r.opcode)
            }
            reg::REGISTER_IOWQ_AFF => super::affinity::register(arg.cast(), nr as usize).map(|_| 0),
            reg::UNREGISTER_IOWQ_AFF => {
                super::affinity::unregister();
                Ok(0)
            }
            reg::REGISTER_IOWQ_MAX_WORKERS => {
                if arg.is_null() || nr != 2 {
                    return Err(Errno::EINVAL);
                }
                let limits = arg.cast_mut().cast::<[u32; 2]>();
                let mut now = limits.read_unaligned();
                super::workers::max_workers(&mut now)?;
                limits.write_unaligned(now);
                Ok(0)
            }
            reg::REGISTER_PBUF_RING | reg::UNREGISTER_PBUF_RING => {
                let r: io_uring_buf_reg = one(arg, nr)?;
                if opcode == reg::REGISTER_PBUF_RING {
                    pbuf::register_ring(c, &r)
                } else {
                    pbuf::unregister_ring(c, &r)
                }
            }
            reg::REGISTER_PBUF_STATUS => {
                let mut s: io_uring_buf_status = one(arg, nr)?;
                pbuf::status(c, &mut s)?;
                // SAFETY: `arg` is one buf_status (checked above), which the
                // kernel writes back.
                arg.cast_mut().cast::<io_uring_buf_status>().write_unaligned(s);
                Ok(0)
            }
            reg::REGISTER_ENABLE_RINGS => match c.disabled.load(Relaxed) {
                0 => Err(Errno(libc::EBADFD)),
                _ => {
                    // The thread that enables a SINGLE_ISSUER ring issues on it.
                    let _ = c.issuer.compare_exchange(0, super::ctrl::gettid(), Relaxed, Relaxed);
                    c.disabled.store(0, Release);
                    Ok(0)
                }
            },
            _ => Err(Errno::EINVAL),
        }
    }
}

/// The one `T` at `arg`: -EINVAL for NULL or a count other than 1, as the
/// kernel answers for the buffer ring registrations.
///
/// # Safety
/// `arg` must be NULL or valid for one `T`.
unsafe fn one<T: Copy>(arg: *const c_void, nr: u32) -> Result<T> {
    if arg.is_null() || nr != 1 {
        return Err(Errno::EINVAL);
    }
    // SAFETY: non-null, one T (contract).
    unsafe { arg_struct(arg, size_of::<T>() as u32) }
}

fn non_null(arg: *const c_void) -> Result<*const c_void> {
    if arg.is_null() { Err(Errno::EFAULT) } else { Ok(arg) }
}

/// The array a FILES2 / BUFFERS2 registration fills its table from: NULL
/// (all slots empty) when sparse or not given. -EINVAL for unknown flags
/// or a sparse table with an array.
fn table(r: &io_uring_rsrc_register) -> Result<*const c_void> {
    let sparse = r.flags & rsrc::REGISTER_SPARSE != 0;
    if r.flags & !rsrc::REGISTER_SPARSE != 0 || r.resv2 != 0 || (sparse && r.data != 0) {
        return Err(Errno::EINVAL);
    }
    Ok(r.data as usize as *const c_void)
}

/// A registration update's slots: -EOVERFLOW when they pass 2^32.
fn update_range(offset: u32, nr: u32) -> Result<()> {
    offset.checked_add(nr).map(|_| ()).ok_or(Errno(libc::EOVERFLOW))
}

/// Whether `fd` is an eventfd (its /proc/self/fd link names the inode).
fn is_eventfd(fd: i32) -> bool {
    let mut path = *b"/proc/self/fd/\0\0\0\0\0\0\0\0\0\0\0";
    let mut n = fd.unsigned_abs();
    let digits = if n == 0 { 1 } else { n.ilog10() as usize + 1 };
    for i in (0..digits).rev() {
        path[14 + i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut link = [0u8; 32];
    // SAFETY: a NUL-terminated path (at most 10 digits fit before the last
    // NUL) and a local buffer of the length given.
    let len = unsafe { libc::readlink(path.as_ptr().cast(), link.as_mut_ptr().cast(), link.len()) };
    len > 0 && link[..len as usize] == *b"anon_inode:[eventfd]"
}

/// Keeps a duplicate of eventfd `fd` to signal: -EBUSY when one is
/// registered, -EBADF for a bad fd, -EINVAL for another kind of file.
fn register_eventfd(c: &Ctrl, fd: i32, async_only: bool) -> Result<()> {
    if fd >= 0 && !is_eventfd(fd) {
        return Err(Errno::EINVAL);
    }
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) touches no memory.
    let dup = crate::sys::syscall::without_errno(|| unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) } as isize);
    let dup = Errno::check(dup)? as i32;
    c.reg_efd_async.store(async_only as u32, Relaxed);
    c.reg_efd_pid.store(super::shared_map::my_pid(), Relaxed);
    // AcqRel: publishes the mode and owner with the fd, and orders against
    // an unregister racing us.
    if c.reg_efd.compare_exchange(-1, dup, AcqRel, Relaxed).is_err() {
        crate::sys::syscall::close(dup);
        return Err(Errno(libc::EBUSY));
    }
    Ok(())
}

/// -ENXIO when no eventfd is registered.
fn unregister_eventfd(c: &Ctrl) -> Result<()> {
    match c.reg_efd.swap(-1, AcqRel) {
        -1 => Err(Errno(libc::ENXIO)),
        fd => {
            crate::sys::syscall::close(fd);
            Ok(())
        }
    }
}

/// Closes this process's duplicate of the registered eventfd, at ring
/// teardown, if it made it (a process forked since keeps its copy until it
/// exits). The registration stays for the other processes sharing the
/// ring.
pub fn release_eventfd(c: &Ctrl) {
    // Acquire: pairs with the registration's release of fd and owner.
    let fd = c.reg_efd.load(Acquire);
    if fd >= 0 && c.reg_efd_pid.load(Relaxed) == super::shared_map::my_pid() {
        crate::sys::syscall::close(fd);
    }
}

/// IORING_REGISTER_PROBE: fills the zeroed probe with `nr` entries.
/// -EINVAL for NULL, more than 256 entries, or a probe not zeroed.
///
/// # Safety
/// `p` must be NULL or valid for a probe with `nr` entries.
unsafe fn probe(p: *mut io_uring_probe, nr: u32) -> Result<()> {
    if p.is_null() || nr > 256 {
        return Err(Errno::EINVAL);
    }
    let nr = nr.min(op::LAST as u32);
    let bytes = size_of::<io_uring_probe>() + nr as usize * size_of::<io_uring_probe_op>();
    // SAFETY: `bytes` is the probe with `nr` entries (contract).
    let raw = unsafe { core::slice::from_raw_parts_mut(p.cast::<u8>(), bytes) };
    if raw.iter().any(|&b| b != 0) {
        return Err(Errno::EINVAL);
    }
    // SAFETY: as above; the header and `nr` entries are ours to write.
    unsafe {
        (*p).last_op = op::LAST - 1;
        (*p).ops_len = nr as u8;
        let ops = p.add(1).cast::<io_uring_probe_op>();
        for i in 0..nr as u8 {
            let flags = if ops::supported(i) { OP_SUPPORTED } else { 0 };
            ops.add(i as usize).write(io_uring_probe_op { op: i, flags, ..Default::default() });
        }
    }
    Ok(())
}

/// IORING_(UN)REGISTER_RING_FDS: accepted, and a no-op (an emulated ring
/// is found without its fd). New registrations get slot i. The count.
///
/// # Safety
/// `ups` must be NULL or valid for `nr` updates.
unsafe fn ring_fds(ups: *mut io_uring_rsrc_update, nr: u32) -> Result<u32> {
    if nr > MAX_RING_FDS {
        return Err(Errno::EINVAL);
    }
    if ups.is_null() {
        return Err(Errno::EFAULT);
    }
    for i in 0..nr {
        // SAFETY: i < nr updates (contract).
        let u = unsafe { &mut *ups.add(i as usize) };
        if u.offset == u32::MAX {
            u.offset = i;
        }
    }
    Ok(nr)
}
