//! Registered buffers and files.

use super::{live, live_ref, ret};
use crate::register::{buffers, files};
use crate::ring::io_uring;
use crate::sys::__u64;
use core::ffi::{c_int, c_uint};
use libc::iovec;

/// Registers `nr_iovecs` buffers for IORING_OP_READ_FIXED/WRITE_FIXED,
/// which name them by index. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `iovecs` must
/// point to `nr_iovecs` iovecs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_buffers(
    ring: *mut io_uring,
    iovecs: *const iovec,
    nr_iovecs: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `iovecs` is what
    // buffers::register_iovecs asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { buffers::register_iovecs(&r, iovecs, nr_iovecs) }))
}

/// As io_uring_register_buffers, with a tag per buffer: when a tagged
/// buffer is replaced or unregistered, a CQE with the tag as user_data is
/// posted once the kernel no longer uses it. A tag of 0 posts nothing.
/// Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `iovecs` and
/// `tags` must each be NULL or point to `nr` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_buffers_tags(
    ring: *mut io_uring,
    iovecs: *const iovec,
    tags: *const __u64,
    nr: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `iovecs` and `tags` are what
    // buffers::register_tags asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { buffers::register_tags(&r, iovecs, tags, nr) }))
}

/// Registers a buffer table of `nr` empty slots, to be filled with
/// io_uring_register_buffers_update_tag. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_buffers_sparse(ring: *mut io_uring, nr: c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| buffers::register_sparse(&r, nr)))
}

/// Replaces `nr` registered buffers from slot `off` with `iovecs`, tagged
/// from `tags` (NULL: untagged). Returns the number of slots updated or
/// -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `iovecs` and
/// `tags` must each be NULL or point to `nr` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_buffers_update_tag(
    ring: *mut io_uring,
    off: c_uint,
    iovecs: *const iovec,
    tags: *const __u64,
    nr: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `iovecs` and `tags` are what
    // buffers::update_tag asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { buffers::update_tag(&r, off, iovecs, tags, nr) }))
}

/// Unregisters every registered buffer. Returns 0 or -errno (-ENXIO when
/// none are registered).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_buffers(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| buffers::unregister(&r)))
}

/// Copies `nr` registered buffers of `src`, starting at its slot `src_off`,
/// into `dst` from slot `dst_off` (`nr` 0: all of them). `flags` takes
/// IORING_REGISTER_SRC_REGISTERED (reach `src` through its registered ring
/// fd, used only when that is possible) and IORING_REGISTER_DST_REPLACE
/// (overwrite buffers `dst` already has). Returns 0 or -errno.
///
/// # Safety
/// `dst` and `src` must each be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __io_uring_clone_buffers_offset(
    dst: *mut io_uring,
    src: *mut io_uring,
    dst_off: c_uint,
    src_off: c_uint,
    nr: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: `dst` and `src` are NULL or io_urings (# Safety), only read here,
    // so they may be the same ring.
    let rings = unsafe { live_ref(dst).and_then(|d| live_ref(src).map(|s| (d, s))) };
    ret(rings.and_then(|(d, s)| buffers::clone_offset(d, s, dst_off, src_off, nr, flags)))
}

/// As __io_uring_clone_buffers_offset, reaching `src` through its
/// registered ring fd when it has one. Returns 0 or -errno.
///
/// # Safety
/// As for __io_uring_clone_buffers_offset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_clone_buffers_offset(
    dst: *mut io_uring,
    src: *mut io_uring,
    dst_off: c_uint,
    src_off: c_uint,
    nr: c_uint,
    flags: c_uint,
) -> c_int {
    let flags = flags | crate::sys::rsrc::SRC_REGISTERED;
    // SAFETY: `dst` and `src` as __io_uring_clone_buffers_offset asks, per # Safety.
    unsafe { __io_uring_clone_buffers_offset(dst, src, dst_off, src_off, nr, flags) }
}

/// Copies all registered buffers of `src` into `dst`, which must have
/// none. Returns 0 or -errno.
///
/// # Safety
/// As for __io_uring_clone_buffers_offset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_clone_buffers(dst: *mut io_uring, src: *mut io_uring) -> c_int {
    // SAFETY: `dst` and `src` as __io_uring_clone_buffers_offset asks, per # Safety.
    unsafe { __io_uring_clone_buffers_offset(dst, src, 0, 0, 0, crate::sys::rsrc::SRC_REGISTERED) }
}

/// Copies all registered buffers of `src` into `dst`, with `flags` as
/// for __io_uring_clone_buffers_offset. Returns 0 or -errno.
///
/// # Safety
/// As for __io_uring_clone_buffers_offset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __io_uring_clone_buffers(dst: *mut io_uring, src: *mut io_uring, flags: c_uint) -> c_int {
    // SAFETY: `dst` and `src` as __io_uring_clone_buffers_offset asks, per # Safety.
    unsafe { __io_uring_clone_buffers_offset(dst, src, 0, 0, 0, flags) }
}

/// Registers `nr_files` fds as the ring's direct descriptors, used with
/// IOSQE_FIXED_FILE by index (-1 leaves a slot empty). When the kernel
/// refuses with -EMFILE because the soft RLIMIT_NOFILE is below
/// `nr_files`, and the hard limit allows it, the soft limit is raised to
/// `nr_files` plus the fds open (at most the hard limit) and the call is
/// tried once more; if that fails too, the limit is put back. Returns 0 or
/// -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `files` must point
/// to `nr_files` ints.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_files(ring: *mut io_uring, files: *const c_int, nr_files: c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `files` is what files::register_fds
    // asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { files::register_fds(&r, files, nr_files) }))
}

/// As io_uring_register_files, with a tag per slot: replacing or
/// unregistering a tagged file posts a CQE with the tag as user_data.
/// Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `files` and `tags`
/// must each be NULL or point to `nr` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_files_tags(
    ring: *mut io_uring,
    files: *const c_int,
    tags: *const __u64,
    nr: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `files` and `tags` are what
    // files::register_tags asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { files::register_tags(&r, files, tags, nr) }))
}

/// Registers a direct-descriptor table of `nr` empty slots, to be filled
/// by updates or by requests that install direct descriptors. Returns 0 or
/// -errno (retried once after raising RLIMIT_NOFILE on -EMFILE, as
/// io_uring_register_files is).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_files_sparse(ring: *mut io_uring, nr: c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| files::register_sparse(&r, nr)))
}

/// Replaces `nr_files` direct descriptors from slot `off` with `files`, tagged
/// from `tags` (NULL: untagged). Returns the number of slots updated or
/// -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `files` and `tags`
/// must each be NULL or point to `nr_files` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_files_update_tag(
    ring: *mut io_uring,
    off: c_uint,
    files: *const c_int,
    tags: *const __u64,
    nr_files: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `files` and `tags` are what
    // files::update_tag asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { files::update_tag(&r, off, files, tags, nr_files) }))
}

/// Replaces `nr_files` direct descriptors from slot `off` with `files`: -1
/// empties a slot, IORING_REGISTER_FILES_SKIP leaves it as it is. Returns
/// the number of slots updated or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `files` must point
/// to `nr_files` ints.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_files_update(
    ring: *mut io_uring,
    off: c_uint,
    files: *const c_int,
    nr_files: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `files` is what files::update asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { files::update(&r, off, files, nr_files) }))
}

/// Unregisters the whole direct-descriptor table. Returns 0 or -errno
/// (-ENXIO when there is none).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_files(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| files::unregister(&r)))
}

/// Makes requests asking for IORING_FILE_INDEX_ALLOC take direct
/// descriptor slots from [off, off + len) only. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_file_alloc_range(ring: *mut io_uring, off: c_uint, len: c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| files::alloc_range(&r, off, len)))
}
