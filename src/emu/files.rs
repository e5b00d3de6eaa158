//! The fixed file and buffer tables of an emulated ring. Each is an array
//! in its own MAP_SHARED mapping, so a table registered before fork() is
//! the same in parent and child. A fixed file is an fd the engine owns (a
//! duplicate of the program's, or one a direct open made), as the kernel
//! holds its own reference to a registered file.
//!
//! Every function here holds the ring's `table_lock` while it touches a
//! table, so a registration in one thread never unmaps a table another
//! thread is reading, as the kernel's uring_lock orders them. It is the
//! innermost lock but for the CQ's, which a dropped tag's CQE takes.

use super::cq::{self, Cqe};
use super::ctrl::Ctrl;
use super::lock::Locked;
use super::routes;
use super::shared_map::{self, Where};
use crate::sys::{self, Errno, Result};
use core::ptr;
use core::sync::atomic::{
    AtomicI32, AtomicU32, AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};

/// The kernel's limits: fixed files, buffers, and one buffer's bytes.
const MAX_FILES: u32 = 1 << 20;
const MAX_BUFS: u32 = 1 << 14;
const MAX_BUF_LEN: u64 = 1 << 30;
/// IORING_REGISTER_FILES_SKIP: an update entry that leaves its slot alone.
const SKIP: i32 = -2;

#[repr(C)]
struct FileSlot {
    /// The engine's fd, or -1 for an empty slot.
    fd: AtomicI32,
    tag: AtomicU64,
}

#[repr(C)]
struct BufSlot {
    addr: AtomicU64,
    len: AtomicU64,
    tag: AtomicU64,
}

/// The table whose address, owner and key are `w`, with `nr` slots, if it
/// is in this process's memory (see shared_map).
fn table<'a, T>(w: Where, nr: &AtomicU32) -> Option<&'a [T]> {
    // Acquire: the count is published before the address (Release below).
    shared_map::view(&w, nr.load(Acquire))
}

fn files<'a>(c: &Ctrl) -> Option<&'a [FileSlot]> {
    table(Where { addr: &c.files, pid: &c.files_pid, key: &c.files_key }, &c.nr_files)
}

fn bufs<'a>(c: &Ctrl) -> Option<&'a [BufSlot]> {
    table(Where { addr: &c.bufs, pid: &c.bufs_pid, key: &c.bufs_key }, &c.nr_bufs)
}

/// Unpublishes and unmaps a table of `nr` slots of `T`.
fn drop_table<T>(addr: &AtomicUsize, nr: &AtomicU32) {
    let n = nr.swap(0, Relaxed);
    let p = addr.swap(0, Release) as *const T;
    // SAFETY: the table's own mapping, here (its callers found it with
    // `table`), no longer reachable from the ring.
    unsafe { shared_map::unmap(p, n) };
}

/// Posts the CQE of a tagged resource the ring no longer holds.
fn tag_done(c: &Ctrl, tag: u64) {
    if tag != 0 {
        cq::post(c, &Cqe { user_data: tag, ..Cqe::default() });
        cq::notify(c, false);
    }
}

/// Empties a file slot: closes its fd and posts its tag.
fn clear(c: &Ctrl, s: &FileSlot) -> bool {
    let fd = s.fd.swap(-1, Relaxed);
    if fd >= 0 {
        sys::syscall::close(fd);
        tag_done(c, s.tag.swap(0, Relaxed));
    }
    fd >= 0
}

/// Runs `f` holding ring `c`'s table lock.
fn locked<T>(c: &Ctrl, f: impl FnOnce() -> T) -> T {
    let _l = Locked::new(&c.table_lock);
    f()
}

/// The fd in fixed slot `idx`, if it holds one.
pub fn get(c: &Ctrl, idx: u32) -> Option<i32> {
    let fd = locked(c, || Some(files(c)?.get(idx as usize)?.fd.load(Relaxed)))?;
    (fd >= 0).then_some(fd)
}

/// A duplicate of the program's `fd` for the engine to hold. -EBADF for a
/// ring fd, which the kernel never takes into a file table.
pub fn dup(fd: i32) -> Result<i32> {
    if routes::rings_of(fd as u32).is_some() {
        return Err(Errno::EBADF);
    }
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) touches no memory.
    let r = sys::syscall::without_errno(|| unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) } as isize);
    Errno::check(r).map(|d| d as i32)
}

/// Puts `fd` (now the table's) in `slot`, or in the first free slot of
/// the allocation range when None, replacing what was there: the slot.
/// -ENXIO without a table (-ENFILE to allocate from), -EINVAL for a slot
/// past it, -ENFILE when none is free; `fd` is closed on failure.
pub fn install(c: &Ctrl, slot: Option<u32>, fd: i32) -> Result<u32> {
    locked(c, || install_locked(c, slot, fd))
}

fn install_locked(c: &Ctrl, slot: Option<u32>, fd: i32) -> Result<u32> {
    let none = if slot.is_none() { libc::ENFILE } else { libc::ENXIO };
    let found = files(c).ok_or(Errno(none)).and_then(|t| {
        let i = match slot {
            Some(i) if (i as usize) < t.len() => i,
            Some(_) => return Err(Errno::EINVAL),
            None => {
                let (lo, hi) = (c.alloc_start.load(Relaxed), c.alloc_end.load(Relaxed));
                let hi = if hi == 0 { t.len() as u32 } else { hi };
                (lo..hi).find(|&i| t[i as usize].fd.load(Relaxed) < 0).ok_or(Errno(libc::ENFILE))?
            }
        };
        Ok((t, i))
    });
    match found {
        Ok((t, i)) => {
            clear(c, &t[i as usize]);
            t[i as usize].fd.store(fd, Relaxed);
            Ok(i)
        }
        Err(e) => {
            sys::syscall::close(fd);
            Err(e)
        }
    }
}

/// Empties fixed slot `slot`: -ENXIO without a table, -EINVAL past it,
/// -EBADF when it is empty.
pub fn remove(c: &Ctrl, slot: u32) -> Result<()> {
    locked(c, || {
        let s = files(c).ok_or(Errno(libc::ENXIO))?.get(slot as usize).ok_or(Errno::EINVAL)?;
        if clear(c, s) { Ok(()) } else { Err(Errno::EBADF) }
    })
}

/// IORING_REGISTER_FILES(2): a table of `nr` slots, filled from `fds`
/// (-1: empty) unless `fds` is NULL (sparse), each with its tag from
/// `tags` when not NULL. -EBUSY when a table exists, -EINVAL for 0 slots
/// or a tag on an empty slot, -EMFILE past the kernel's limit, -EBADF for
/// a bad fd.
///
/// # Safety
/// `fds` and `tags` must each be NULL or valid for `nr` entries.
pub unsafe fn register_files(c: &Ctrl, fds: *const i32, tags: *const u64, nr: u32) -> Result<()> {
    // SAFETY: as this function's contract.
    locked(c, || unsafe { register_files_locked(c, fds, tags, nr) })
}

/// [`register_files`], with the table lock held.
///
/// # Safety
/// As [`register_files`].
unsafe fn register_files_locked(c: &Ctrl, fds: *const i32, tags: *const u64, nr: u32) -> Result<()> {
    if c.files.load(Acquire) != 0 {
        return Err(Errno(libc::EBUSY));
    }
    if nr == 0 {
        return Err(Errno::EINVAL);
    }
    if nr > MAX_FILES {
        return Err(Errno::EMFILE);
    }
    let key = shared_map::new_key();
    let t = shared_map::map::<FileSlot>(nr, key)?;
    // SAFETY: a fresh mapping of `nr` zeroed slots, private until published.
    let slots = unsafe { core::slice::from_raw_parts(t, nr as usize) };
    for (i, s) in slots.iter().enumerate() {
        // SAFETY: i < nr, and each array is NULL or has `nr` entries.
        let (fd, tag) = unsafe { (at(fds, i, -1), at(tags, i, 0)) };
        let r = match fd {
            -1 if tag != 0 => Err(Errno::EINVAL),
            -1 => Ok(-1),
            fd => dup(fd).map_err(|_| Errno::EBADF),
        };
        match r {
            Ok(fd) => {
                s.fd.store(fd, Relaxed);
                s.tag.store(tag, Relaxed);
            }
            Err(e) => {
                for fd in slots[..i].iter().map(|s| s.fd.load(Relaxed)).filter(|&fd| fd >= 0) {
                    sys::syscall::close(fd);
                }
                // SAFETY: the mapping made above, never published.
                unsafe { shared_map::unmap(t, nr) };
                return Err(e);
            }
        }
    }
    c.files_pid.store(shared_map::my_pid(), Relaxed);
    c.files_key.store(key, Relaxed);
    c.nr_files.store(nr, Release);
    c.files.store(t as usize, Release);
    Ok(())
}

/// Entry `i` of `arr`, or `none` when `arr` is NULL.
///
/// # Safety
/// `arr` must be NULL or valid for more than `i` entries.
unsafe fn at<T: Copy>(arr: *const T, i: usize, none: T) -> T {
    // SAFETY: non-null, so valid for entry i (contract).
    if arr.is_null() { none } else { unsafe { arr.add(i).read_unaligned() } }
}

/// IORING_UNREGISTER_FILES: -ENXIO when there is no table.
pub fn unregister_files(c: &Ctrl) -> Result<()> {
    locked(c, || {
        let t = files(c).ok_or(Errno(libc::ENXIO))?;
        for s in t {
            clear(c, s);
        }
        drop_table::<FileSlot>(&c.files, &c.nr_files);
        c.alloc_start.store(0, Relaxed);
        c.alloc_end.store(0, Relaxed);
        Ok(())
    })
}

/// Updates `nr` slots from `off` with `fds` (-1 empties a slot, -2 skips
/// it) and their `tags`; with `off` IORING_FILE_INDEX_ALLOC each fd goes
/// into a free slot, written back to `fds`. The count updated, or -ENXIO
/// without a table, -EFAULT for NULL `fds`, -EINVAL past the table.
///
/// # Safety
/// `fds` must be NULL or valid for reading and writing `nr` fds; `tags`
/// NULL or valid for `nr` tags.
pub unsafe fn update(c: &Ctrl, off: u32, fds: *mut i32, tags: *const u64, nr: u32) -> Result<u32> {
    // SAFETY: as this function's contract.
    locked(c, || unsafe { update_locked(c, off, fds, tags, nr) })
}

/// [`update`], with the table lock held.
///
/// # Safety
/// As [`update`].
unsafe fn update_locked(c: &Ctrl, off: u32, fds: *mut i32, tags: *const u64, nr: u32) -> Result<u32> {
    let t = files(c).ok_or(Errno(libc::ENXIO))?;
    if fds.is_null() {
        return Err(Errno::EFAULT);
    }
    let alloc = off == sys::opflags::FILE_INDEX_ALLOC;
    if !alloc && off.checked_add(nr).is_none_or(|end| end as usize > t.len()) {
        return Err(Errno::EINVAL);
    }
    let mut done = 0;
    for i in 0..nr as usize {
        // SAFETY: i < nr entries of each array (contract).
        let (fd, tag) = unsafe { (fds.add(i).read_unaligned(), at(tags, i, 0)) };
        let r = match fd {
            SKIP => Ok(()),
            -1 if alloc => Err(Errno::EINVAL),
            -1 => {
                clear(c, &t[off as usize + i]);
                Ok(())
            }
            fd => dup(fd).and_then(|d| install_locked(c, (!alloc).then_some(off + i as u32), d)).map(|slot| {
                t[slot as usize].tag.store(tag, Relaxed);
                if alloc {
                    // SAFETY: entry i of the program's writable array (contract).
                    unsafe { fds.add(i).write_unaligned(slot as i32) };
                }
            }),
        };
        match r {
            Ok(()) => done += 1,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(done)
}

/// IORING_REGISTER_FILE_ALLOC_RANGE: where ALLOC looks for free slots.
/// -EOVERFLOW for a range past 2^32, -EINVAL without a table or past it.
pub fn alloc_range(c: &Ctrl, off: u32, len: u32) -> Result<()> {
    let end = off.checked_add(len).ok_or(Errno(libc::EOVERFLOW))?;
    locked(c, || {
        let t = files(c).ok_or(Errno::EINVAL)?;
        if end as usize > t.len() {
            return Err(Errno::EINVAL);
        }
        c.alloc_start.store(off, Relaxed);
        c.alloc_end.store(end, Relaxed);
        Ok(())
    })
}

/// Checks a buffer for registration as the kernel's io_buffer_validate
/// and pinning do: NULL and empty (a sparse slot), or else 1 byte to 1 GiB
/// (-EFAULT), its end plus a page less one not past 2^64 (-EOVERFLOW: the
/// kernel's 64-bit sum, which a 32-bit program never reaches), and mapped
/// (-EFAULT). Unlike the kernel's pinning, it accepts mapped memory the
/// program cannot write.
fn valid_buffer(iov: &libc::iovec) -> Result<()> {
    let (base, len) = (iov.iov_base as usize, iov.iov_len);
    if base == 0 {
        return if len == 0 { Ok(()) } else { Err(Errno::EFAULT) };
    }
    if len == 0 || len as u64 > MAX_BUF_LEN {
        return Err(Errno::EFAULT);
    }
    let slack = sys::syscall::page_size() as u64 - 1;
    if (base as u64).checked_add(len as u64 + slack).is_none() {
        return Err(Errno(libc::EOVERFLOW));
    }
    if !sys::syscall::mapped(base, len) {
        return Err(Errno::EFAULT);
    }
    Ok(())
}

/// IORING_REGISTER_BUFFERS(2): `nr` buffers from `iovs` (NULL: sparse),
/// tagged from `tags`. -EBUSY when registered, -EINVAL for 0 or more than
/// the kernel's limit, -EFAULT for a bad buffer.
///
/// # Safety
/// `iovs` and `tags` must each be NULL or valid for `nr` entries.
pub unsafe fn register_buffers(c: &Ctrl, iovs: *const libc::iovec, tags: *const u64, nr: u32) -> Result<()> {
    // SAFETY: as this function's contract.
    locked(c, || unsafe { register_buffers_locked(c, iovs, tags, nr) })
}

/// [`register_buffers`], with the table lock held.
///
/// # Safety
/// As [`register_buffers`].
unsafe fn register_buffers_locked(c: &Ctrl, iovs: *const libc::iovec, tags: *const u64, nr: u32) -> Result<()> {
    if c.bufs.load(Acquire) != 0 {
        return Err(Errno(libc::EBUSY));
    }
    if nr == 0 || nr > MAX_BUFS {
        return Err(Errno::EINVAL);
    }
    let empty = libc::iovec { iov_base: ptr::null_mut(), iov_len: 0 };
    for i in 0..nr as usize {
        // SAFETY: i < nr (contract).
        valid_buffer(&unsafe { at(iovs, i, empty) })?;
    }
    let key = shared_map::new_key();
    let t = shared_map::map::<BufSlot>(nr, key)?;
    // SAFETY: a fresh mapping of `nr` zeroed slots, private until published.
    let slots = unsafe { core::slice::from_raw_parts(t, nr as usize) };
    for (i, s) in slots.iter().enumerate() {
        // SAFETY: i < nr (contract).
        let (iov, tag) = unsafe { (at(iovs, i, empty), at(tags, i, 0)) };
        s.addr.store(iov.iov_base as u64, Relaxed);
        s.len.store(iov.iov_len as u64, Relaxed);
        s.tag.store(tag, Relaxed);
    }
    c.bufs_pid.store(shared_map::my_pid(), Relaxed);
    c.bufs_key.store(key, Relaxed);
    c.nr_bufs.store(nr, Release);
    c.bufs.store(t as usize, Release);
    Ok(())
}

/// IORING_UNREGISTER_BUFFERS: -ENXIO when none are registered.
pub fn unregister_buffers(c: &Ctrl) -> Result<()> {
    locked(c, || {
        let t = bufs(c).ok_or(Errno(libc::ENXIO))?;
        t.iter().for_each(|s| tag_done(c, s.tag.swap(0, Relaxed)));
        drop_table::<BufSlot>(&c.bufs, &c.nr_bufs);
        Ok(())
    })
}

/// IORING_REGISTER_BUFFERS_UPDATE: `nr` buffers from slot `off`. The
/// count updated (those before a bad buffer), or -ENXIO without buffers,
/// -EINVAL past them, -EFAULT for NULL `iovs` or a bad first buffer.
///
/// # Safety
/// `iovs` must be NULL or valid for `nr` iovecs, `tags` NULL or for `nr` tags.
pub unsafe fn update_buffers(c: &Ctrl, off: u32, iovs: *const libc::iovec, tags: *const u64, nr: u32) -> Result<u32> {
    // SAFETY: as this function's contract.
    locked(c, || unsafe { update_buffers_locked(c, off, iovs, tags, nr) })
}

/// [`update_buffers`], with the table lock held.
///
/// # Safety
/// As [`update_buffers`].
unsafe fn update_buffers_locked(
    c: &Ctrl,
    off: u32,
    iovs: *const libc::iovec,
    tags: *const u64,
    nr: u32,
) -> Result<u32> {
    let t = bufs(c).ok_or(Errno(libc::ENXIO))?;
    if off.checked_add(nr).is_none_or(|end| end as usize > t.len()) {
        return Err(Errno::EINVAL);
    }
    if iovs.is_null() {
        return Err(Errno::EFAULT);
    }
    for i in 0..nr as usize {
        // SAFETY: i < nr entries of each array (contract).
        let (iov, tag) = unsafe { (iovs.add(i).read_unaligned(), at(tags, i, 0)) };
        if let Err(e) = valid_buffer(&iov) {
            // As the kernel: the slots before the bad buffer stay updated.
            return if i == 0 { Err(e) } else { Ok(i as u32) };
        }
        let s = &t[off as usize + i];
        tag_done(c, s.tag.swap(tag, Relaxed));
        s.addr.store(iov.iov_base as u64, Relaxed);
        s.len.store(iov.iov_len as u64, Relaxed);
    }
    Ok(nr)
}

/// Whether `[addr, addr + len)` lies inside registered buffer `idx`.
pub fn buffer_covers(c: &Ctrl, idx: u16, addr: u64, len: u64) -> bool {
    let slot =
        locked(c, || bufs(c).and_then(|t| t.get(idx as usize)).map(|s| (s.addr.load(Relaxed), s.len.load(Relaxed))));
    let Some((base, size)) = slot else { return false };
    base != 0 && addr >= base && addr.checked_add(len).is_some_and(|end| end <= base + size)
}

/// Releases what this process holds of the tables of a ring it tears
/// down: its views of them and, in the process that registered the files,
/// their fds (a process forked since holds copies it keeps until it
/// exits). The tables stay registered for the other processes sharing the
/// ring, as a kernel ring's registrations outlive one holder's close().
pub fn release_all(c: &Ctrl) {
    locked(c, || {
        if let Some(t) = files(c) {
            if c.files_pid.load(Relaxed) == shared_map::my_pid() {
                for fd in t.iter().map(|s| s.fd.load(Relaxed)).filter(|&fd| fd >= 0) {
                    sys::syscall::close(fd);
                }
            }
            // SAFETY: this process's view (`files` checked), which the
            // ring being torn down no longer uses here.
            unsafe { shared_map::unmap(t.as_ptr(), t.len() as u32) };
        }
        if let Some(t) = bufs(c) {
            // SAFETY: as above.
            unsafe { shared_map::unmap(t.as_ptr(), t.len() as u32) };
        }
    })
}
