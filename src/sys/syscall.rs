//! Raw system calls. Each returns the kernel's value: non-negative on
//! success, `-errno` on failure. errno is never touched, so the C boundary
//! can hand the value straight back the way liburing does.

use core::ffi::c_void;

#[cfg(target_arch = "x86_64")]
mod raw {
    /// Issues syscall `nr` with six arguments.
    ///
    /// # Safety
    /// The arguments must be valid for the syscall `nr`.
    #[inline(always)]
    pub unsafe fn syscall6(nr: libc::c_long, a: usize, b: usize, c: usize, d: usize, e: usize, f: usize) -> isize {
        let ret: isize;
        // SAFETY: the x86-64 syscall ABI: rax holds the number and the result,
        // rdi/rsi/rdx/r10/r8/r9 the arguments; rcx and r11 are clobbered.
        // What the kernel does with the arguments is the caller's contract.
        unsafe {
            core::arch::asm!(
                "syscall",
                inlateout("rax") nr as isize => ret,
                in("rdi") a, in("rsi") b, in("rdx") c,
                in("r10") d, in("r8") e, in("r9") f,
                lateout("rcx") _, lateout("r11") _,
                options(nostack, preserves_flags)
            );
        }
        ret
    }
}

#[cfg(target_arch = "aarch64")]
mod raw {
    /// Issues syscall `nr` with six arguments.
    ///
    /// # Safety
    /// The arguments must be valid for the syscall `nr`.
    #[inline(always)]
    pub unsafe fn syscall6(nr: libc::c_long, a: usize, b: usize, c: usize, d: usize, e: usize, f: usize) -> isize {
        let ret: isize;
        // SAFETY: the arm64 syscall ABI: x8 holds the number, x0-x5 the
        // arguments and x0 the result; `svc 0` clobbers nothing else.
        // What the kernel does with the arguments is the caller's contract.
        unsafe {
            core::arch::asm!(
                "svc 0",
                in("x8") nr,
                inlateout("x0") a as isize => ret,
                in("x1") b, in("x2") c, in("x3") d, in("x4") e, in("x5") f,
                options(nostack, preserves_flags)
            );
        }
        ret
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod raw {
    /// Issues syscall `nr` through libc and returns `-errno` on failure,
    /// leaving errno as it was: the library never changes errno.
    ///
    /// # Safety
    /// The arguments must be valid for the syscall `nr`.
    #[inline(always)]
    pub unsafe fn syscall6(nr: libc::c_long, a: usize, b: usize, c: usize, d: usize, e: usize, f: usize) -> isize {
        // SAFETY: libc's syscall(2) passes the words through unchanged;
        // what the kernel does with them is the caller's contract.
        super::without_errno(|| unsafe { libc::syscall(nr, a, b, c, d, e, f) } as isize)
    }
}

/// Runs `call`, a libc call returning -1 with errno set on failure, and
/// returns its result or `-errno`, with errno restored: the library never
/// changes errno. Also how the userspace engine runs libc's wrappers.
#[inline(always)]
pub fn without_errno(call: impl FnOnce() -> isize) -> isize {
    // SAFETY: __errno_location returns this thread's errno, valid for as
    // long as the thread runs.
    let errno = unsafe { &mut *libc::__errno_location() };
    let saved = *errno;
    let ret = call();
    if ret != -1 {
        return ret;
    }
    let err = core::mem::replace(errno, saved);
    -(err as isize)
}

/// Any system call `nr` with up to six word arguments (unused ones 0):
/// the kernel's value, non-negative or `-errno`. For calls whose arguments
/// are the same words on every architecture (no split 64-bit values).
///
/// # Safety
/// The arguments must be valid for the syscall `nr`.
#[inline(always)]
pub unsafe fn syscall(nr: libc::c_long, args: [usize; 6]) -> isize {
    let [a, b, c, d, e, f] = args;
    // SAFETY: the arguments are valid for `nr` (# Safety).
    unsafe { raw::syscall6(nr, a, b, c, d, e, f) }
}

/// io_uring_setup(2).
///
/// # Safety
/// `p` must point to a writable `io_uring_params`.
pub unsafe fn io_uring_setup(entries: u32, p: *mut super::io_uring_params) -> i32 {
    // SAFETY: `p` is a writable io_uring_params (# Safety), all the kernel writes.
    unsafe { raw::syscall6(libc::SYS_io_uring_setup, entries as usize, p as usize, 0, 0, 0, 0) as i32 }
}

/// io_uring_enter(2) with an argument of size `argsz` (a sigset or ext arg).
///
/// # Safety
/// `arg` must be NULL or valid for what `flags` says it is.
#[inline]
pub unsafe fn io_uring_enter(
    fd: u32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: *const c_void,
    argsz: usize,
) -> i32 {
    // SAFETY: `arg` is NULL or valid for what `flags` says it is (# Safety).
    unsafe {
        raw::syscall6(
            libc::SYS_io_uring_enter,
            fd as usize,
            to_submit as usize,
            min_complete as usize,
            flags as usize,
            arg as usize,
            argsz,
        ) as i32
    }
}

/// io_uring_register(2).
///
/// # Safety
/// `arg` must be valid for `opcode` and `nr_args`.
pub unsafe fn io_uring_register(fd: u32, opcode: u32, arg: *const c_void, nr_args: u32) -> i32 {
    // SAFETY: `arg` is valid for `opcode` and `nr_args` (# Safety).
    unsafe {
        raw::syscall6(libc::SYS_io_uring_register, fd as usize, opcode as usize, arg as usize, nr_args as usize, 0, 0)
            as i32
    }
}

/// mmap(2), returning the mapping or `-errno`.
///
/// # Safety
/// As for mmap(2); the result may alias nothing the caller relies on.
pub unsafe fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: i32,
    flags: i32,
    fd: i32,
    off: i64,
) -> super::Result<*mut c_void> {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    // SAFETY: mmap(2) with the caller's arguments; a 64-bit target's SYS_mmap
    // takes the six words as they are.
    let ret = unsafe {
        raw::syscall6(libc::SYS_mmap, addr as usize, len, prot as usize, flags as usize, fd as usize, off as usize)
    };
    // Elsewhere SYS_mmap is old_mmap (i386, s390x) or takes pages (mmap2),
    // and the offsets io_uring uses (IORING_OFF_PBUF_RING is 0x80000000 and
    // up) need a 64-bit off_t: libc's mmap64 knows each target's form.
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    // SAFETY: mmap(2) with the caller's arguments.
    let ret = without_errno(|| unsafe { libc::mmap64(addr, len, prot, flags, fd, off) } as isize);
    if (-4095..0).contains(&ret) { Err(super::Errno(-ret as i32)) } else { Ok(ret as *mut c_void) }
}

/// munmap(2).
///
/// # Safety
/// The range must not be in use by anything that outlives the call.
pub unsafe fn munmap(addr: *mut c_void, len: usize) -> i32 {
    // SAFETY: the range is used by nothing that outlives the call (# Safety); a bad
    // range is the kernel's to refuse.
    unsafe { raw::syscall6(libc::SYS_munmap, addr as usize, len, 0, 0, 0, 0) as i32 }
}

/// madvise(2).
///
/// # Safety
/// The advice must not invalidate memory the caller relies on.
pub unsafe fn madvise(addr: *mut c_void, len: usize, advice: i32) -> i32 {
    // SAFETY: the advice invalidates nothing the caller relies on (# Safety).
    unsafe { raw::syscall6(libc::SYS_madvise, addr as usize, len, advice as usize, 0, 0, 0) as i32 }
}

/// close(2).
pub fn close(fd: i32) -> i32 {
    // SAFETY: closing an fd touches no memory of ours.
    unsafe { raw::syscall6(libc::SYS_close, fd as usize, 0, 0, 0, 0, 0) as i32 }
}

/// prlimit64(2) on the calling process: stores the current limit of
/// `resource` in `old` and then applies `new`, each when not null.
///
/// # Safety
/// `new` and `old` must each be null or valid for their access.
pub unsafe fn prlimit(resource: u32, new: *const libc::rlimit64, old: *mut libc::rlimit64) -> i32 {
    // SAFETY: `new` and `old` are null or valid for their access (# Safety); pid 0
    // is ourselves.
    unsafe { raw::syscall6(libc::SYS_prlimit64, 0, resource as usize, new as usize, old as usize, 0, 0) as i32 }
}

/// eventfd2(2) with `flags`, starting at 0: the fd, or `-errno`.
pub fn eventfd(flags: i32) -> i32 {
    // SAFETY: eventfd2 takes two integers and touches no memory of ours.
    unsafe { raw::syscall6(libc::SYS_eventfd2, 0, flags as usize, 0, 0, 0, 0) as i32 }
}

/// Adds 1 to eventfd `fd`'s counter (a full counter is left as it is:
/// whoever reads it is woken anyway).
pub fn eventfd_signal(fd: i32) {
    let one = 1u64;
    // SAFETY: writes 8 bytes from a local.
    unsafe { raw::syscall6(libc::SYS_write, fd as usize, (&raw const one) as usize, 8, 0, 0, 0) };
}

/// Resets non-blocking eventfd `fd`'s counter to 0.
pub fn eventfd_drain(fd: i32) {
    let mut v = 0u64;
    // SAFETY: reads 8 bytes into a local.
    unsafe { raw::syscall6(libc::SYS_read, fd as usize, (&raw mut v) as usize, 8, 0, 0, 0) };
}

/// Whether every page of the `len` bytes at `addr` is mapped: mincore(2)
/// fails with ENOMEM on a hole. It says nothing of the pages' protection.
pub fn mapped(addr: usize, len: usize) -> bool {
    let page = page_size();
    let Some(end) = addr.checked_add(len) else { return false };
    let mut at = addr & !(page - 1);
    // One byte per page; each call looks at up to this many pages.
    let mut vec = [0u8; 256];
    while at < end {
        let n = (end - at).div_ceil(page).min(vec.len());
        // SAFETY: mincore writes one byte per page of the n-page range
        // into `vec`, which holds at least n; `at` is page aligned.
        if without_errno(|| unsafe { libc::mincore(at as *mut _, n * page, vec.as_mut_ptr()) } as isize) != 0 {
            return false;
        }
        at += n * page;
    }
    true
}

/// The system's page size (4096 if sysconf cannot say).
pub fn page_size() -> usize {
    // SAFETY: sysconf has no memory-safety preconditions.
    match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
        n if n > 0 => n as usize,
        _ => 4096,
    }
}
