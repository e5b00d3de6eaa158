//! Ring setup and teardown.

use super::{live, ret};
use crate::ring::{io_uring, setup};
use crate::sys::{Errno, io_uring_params};
use core::ffi::{c_int, c_uint, c_void};
use core::ptr;

/// Sets up a ring of `entries` SQEs with setup `flags`. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to writable memory for a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_queue_init(entries: c_uint, ring: *mut io_uring, flags: c_uint) -> c_int {
    let mut p = io_uring_params { flags, ..Default::default() };
    // SAFETY: `ring` as the callee asks, per # Safety; `p` is a local.
    unsafe { io_uring_queue_init_params(entries, ring, &mut p) }
}

/// Sets up a ring as `p` asks; the kernel's answer is written back to `p`.
/// Returns 0 or -errno.
///
/// # Safety
/// `ring` and `p` must each be NULL or point to writable structs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_queue_init_params(
    entries: c_uint,
    ring: *mut io_uring,
    p: *mut io_uring_params,
) -> c_int {
    // SAFETY: the caller passes NULL or valid, exclusive pointers.
    let (Some(ring), Some(p)) = (unsafe { ring.as_mut() }, unsafe { p.as_mut() }) else {
        return Errno::EFAULT.to_neg();
    };
    crate::trace::init();
    match setup::init(entries, ring, p, ptr::null_mut(), 0) {
        Ok(_) => 0,
        Err(e) => e.to_neg(),
    }
}

/// Sets up a ring whose SQEs and rings live in the caller's memory `buf`
/// (IORING_SETUP_NO_MMAP). Returns the bytes of `buf` used, or -errno.
///
/// # Safety
/// `ring` and `p` as for io_uring_queue_init_params; `buf` must be NULL or
/// `buf_size` writable bytes that outlive the ring.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_queue_init_mem(
    entries: c_uint,
    ring: *mut io_uring,
    p: *mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> c_int {
    // SAFETY: the caller passes NULL or valid, exclusive pointers.
    let (Some(ring), Some(p)) = (unsafe { ring.as_mut() }, unsafe { p.as_mut() }) else {
        return Errno::EFAULT.to_neg();
    };
    p.flags |= crate::sys::setup::NO_MMAP;
    crate::trace::init();
    match setup::init(entries, ring, p, buf, buf_size) {
        Ok(used) => used as c_int,
        Err(e) => e.to_neg(),
    }
}

/// Maps ring `fd`, set up by the caller with io_uring_setup, into `ring`.
/// Returns 0 or -errno.
///
/// # Safety
/// `p` must be the params `fd`'s setup filled in; `ring` must be NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_queue_mmap(fd: c_int, p: *mut io_uring_params, ring: *mut io_uring) -> c_int {
    // SAFETY: the caller passes NULL or valid pointers.
    let (Some(ring), Some(p)) = (unsafe { ring.as_mut() }, unsafe { p.as_ref() }) else {
        return Errno::EFAULT.to_neg();
    };
    crate::trace::init();
    // SAFETY: the caller vouches that `p` describes `fd`; mmap fails cleanly otherwise.
    match unsafe { setup::queue_mmap(fd, p, ring) } {
        Ok(()) => 0,
        Err(e) => e.to_neg(),
    }
}

/// Tears a ring down: unmaps it, unregisters its ring fd, closes it. The
/// struct is left not-set-up, so a second call does nothing; a struct in
/// shared memory is left as it was, for the other processes using it.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_queue_exit(ring: *mut io_uring) {
    // SAFETY: the caller passes NULL or a valid pointer.
    if let Some(ring) = unsafe { ring.as_mut() } {
        setup::exit(ring);
    }
}

/// Keeps the ring's memory out of children created by fork(2).
/// Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_ring_dontfork(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    match unsafe { live(ring) } {
        Ok(r) => ret(setup::dontfork(&r).map(|()| 0)),
        Err(e) => e.to_neg(),
    }
}

/// Bytes of locked memory a ring of `entries` with `flags` needs: 0 on
/// kernels that charge ring memory to the cgroup. Returns -errno on error.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_mlock_size(entries: c_uint, flags: c_uint) -> libc::ssize_t {
    let p = io_uring_params { flags, ..Default::default() };
    size(setup::mlock_size(entries, &p))
}

/// As io_uring_mlock_size, for the setup `p` describes.
///
/// # Safety
/// `p` must be NULL or point to a `struct io_uring_params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_mlock_size_params(entries: c_uint, p: *mut io_uring_params) -> libc::ssize_t {
    // SAFETY: the caller passes NULL or a valid pointer.
    match unsafe { p.as_ref() } {
        Some(p) => size(setup::mlock_size(entries, p)),
        None => Errno::EFAULT.to_neg() as libc::ssize_t,
    }
}

/// Bytes of ring memory (SQEs, rings) a ring of `entries` with `flags`
/// uses, as io_uring_queue_init_mem needs. Returns -errno on error.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_memory_size(entries: c_uint, flags: c_uint) -> libc::ssize_t {
    let p = io_uring_params { flags, ..Default::default() };
    size(setup::memory_size(entries, &p))
}

/// As io_uring_memory_size, for the setup `p` describes.
///
/// # Safety
/// `p` must be NULL or point to a `struct io_uring_params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_memory_size_params(entries: c_uint, p: *mut io_uring_params) -> libc::ssize_t {
    // SAFETY: the caller passes NULL or a valid pointer.
    match unsafe { p.as_ref() } {
        Some(p) => size(setup::memory_size(entries, p)),
        None => Errno::EFAULT.to_neg() as libc::ssize_t,
    }
}

fn size(r: crate::sys::Result<usize>) -> libc::ssize_t {
    match r {
        Ok(n) => n as libc::ssize_t,
        Err(e) => e.to_neg() as libc::ssize_t,
    }
}
