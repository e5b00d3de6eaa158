//! Registered ("direct") file descriptors: the table IOSQE_FIXED_FILE
//! indexes, its updates, and the range the kernel allocates slots from.
//!
//! The kernel refuses a table larger than the soft RLIMIT_NOFILE with
//! EMFILE. As liburing does, a registration refused so raises the soft
//! limit and is tried once more; unlike liburing, which adds the table size
//! to the soft limit and so asks for more than the hard limit allows, it
//! raises it to the table size plus the fds open now, capped at the hard
//! limit, and only when that lets the table fit. If the retry fails all
//! the same, the soft limit is put back.

use super::{register, table};
use crate::ring::Live;
use crate::sys::{self, Errno, Result, io_uring_file_index_range, io_uring_rsrc_update, reg};
use core::ffi::c_int;
use core::ptr;

/// Runs `f`, and once more after raising RLIMIT_NOFILE if it fails with
/// EMFILE and raising the limit can help.
fn retry_emfile(nr: u32, mut f: impl FnMut() -> Result<u32>) -> Result<u32> {
    match f() {
        Err(Errno::EMFILE) => {
            let Some(old) = raise_nofile(nr) else { return Err(Errno::EMFILE) };
            let r = f();
            if r.is_err() {
                // SAFETY: sets the limit from a local.
                unsafe { sys::syscall::prlimit(libc::RLIMIT_NOFILE as _, &old, ptr::null_mut()) };
            }
            r
        }
        r => r,
    }
}

/// Raises the soft fd limit for a table of `nr` files: to `nr` plus the
/// fds open now, at most the hard limit. Returns the limit it replaced, or
/// None when it changed nothing: the soft limit already allows `nr` (the
/// EMFILE has another cause), or the hard limit does not.
fn raise_nofile(nr: u32) -> Option<libc::rlimit64> {
    let mut lim = libc::rlimit64 { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: reads the limit into a local.
    if unsafe { sys::syscall::prlimit(libc::RLIMIT_NOFILE as _, ptr::null(), &mut lim) } < 0 {
        return None;
    }
    let nr = u64::from(nr);
    if lim.rlim_cur >= nr || lim.rlim_max < nr {
        return None;
    }
    let old = lim;
    lim.rlim_cur = nr.saturating_add(open_fds()).min(lim.rlim_max);
    // SAFETY: sets the limit from a local.
    let set = unsafe { sys::syscall::prlimit(libc::RLIMIT_NOFILE as _, &lim, ptr::null_mut()) };
    (set == 0).then_some(old)
}

/// How many fds the process has open, from /proc/self/fd (0 when it
/// cannot be read).
fn open_fds() -> u64 {
    // SAFETY: a NUL-terminated path.
    let dir = unsafe { libc::opendir(c"/proc/self/fd".as_ptr()) };
    if dir.is_null() {
        return 0;
    }
    let mut n = 0u64;
    // SAFETY: `dir` is open; readdir's entry lives until the next call.
    while let Some(entry) = unsafe { libc::readdir(dir).as_ref() } {
        // Every name but "." and ".." is an fd.
        if entry.d_name[0] != b'.' as libc::c_char {
            n += 1;
        }
    }
    // SAFETY: opened above, closed once.
    unsafe { libc::closedir(dir) };
    // Less the directory's own fd.
    n.saturating_sub(1)
}

/// io_uring_register_files: a table of the `nr` fds in `files` (-1 leaves
/// a slot empty).
///
/// # Safety
/// `files` must point to `nr` ints (the kernel reports a bad pointer).
pub unsafe fn register_fds(ring: &Live<'_>, files: *const c_int, nr: u32) -> Result<u32> {
    // SAFETY: `files` holds `nr` ints (# Safety), what REGISTER_FILES reads.
    retry_emfile(nr, || unsafe { register(ring, reg::REGISTER_FILES, files.cast(), nr) })
}

/// io_uring_register_files_tags: as [`register_fds`], each slot tagged (0:
/// untagged) so that releasing the file posts a CQE.
///
/// # Safety
/// `files` and `tags` must each be NULL or point to `nr` entries.
pub unsafe fn register_tags(ring: &Live<'_>, files: *const c_int, tags: *const u64, nr: u32) -> Result<u32> {
    // SAFETY: `files` and `tags` are NULL or hold `nr` entries (# Safety), as the
    // table registration passes them to the kernel.
    retry_emfile(nr, || unsafe { table::register_table(ring, reg::REGISTER_FILES2, files as u64, tags as u64, nr, 0) })
}

/// io_uring_register_files_sparse: a table of `nr` empty slots.
pub fn register_sparse(ring: &Live<'_>, nr: u32) -> Result<u32> {
    let sparse = sys::rsrc::REGISTER_SPARSE;
    // SAFETY: no arrays are passed.
    retry_emfile(nr, || unsafe { table::register_table(ring, reg::REGISTER_FILES2, 0, 0, nr, sparse) })
}

/// io_uring_register_files_update: replaces `nr` slots from `off` with
/// `files` (-1 empties a slot, IORING_REGISTER_FILES_SKIP keeps it).
/// Returns the number of slots updated.
///
/// # Safety
/// `files` must point to `nr` ints.
pub unsafe fn update(ring: &Live<'_>, off: u32, files: *const c_int, nr: u32) -> Result<u32> {
    let up = io_uring_rsrc_update { offset: off, resv: 0, data: files as u64 };
    // SAFETY: one rsrc_update whose array the caller vouches for.
    unsafe { register(ring, reg::REGISTER_FILES_UPDATE, (&raw const up).cast(), nr) }
}

/// io_uring_register_files_update_tag: as [`update`], with tags.
///
/// # Safety
/// As for [`register_tags`].
pub unsafe fn update_tag(ring: &Live<'_>, off: u32, files: *const c_int, tags: *const u64, nr: u32) -> Result<u32> {
    // SAFETY: `files` and `tags` are NULL or hold `nr` entries (# Safety), as the
    // table update passes them to the kernel.
    unsafe { table::update_table(ring, reg::REGISTER_FILES_UPDATE2, off, files as u64, tags as u64, nr) }
}

/// io_uring_unregister_files.
pub fn unregister(ring: &Live<'_>) -> Result<u32> {
    // SAFETY: the opcode takes no argument.
    unsafe { register(ring, reg::UNREGISTER_FILES, ptr::null(), 0) }
}

/// io_uring_register_file_alloc_range: IORING_FILE_INDEX_ALLOC picks slots
/// from [off, off + len) only.
pub fn alloc_range(ring: &Live<'_>, off: u32, len: u32) -> Result<u32> {
    let range = io_uring_file_index_range { off, len, resv: 0 };
    // SAFETY: one file_index_range, read by the kernel.
    unsafe { register(ring, reg::REGISTER_FILE_ALLOC_RANGE, (&raw const range).cast(), 0) }
}
