//! Setting a ring up and tearing it down: sizing, io_uring_setup(2), the
//! mappings, and the bookkeeping liburing keeps in `struct io_uring`.

use super::int_flags;
use super::types::{io_uring, io_uring_cq, io_uring_sq};
use super::{Live, LiveRing};
use crate::emu;
use crate::sys::syscall::page_size;
use crate::sys::{self, Errno, Result, feat, io_uring_cqe, io_uring_params, io_uring_sqe, off, setup};
use core::ffi::{c_uint, c_void};
use core::ptr;

/// The kernel's limit on SQ entries; CQ entries may be twice that.
const KERN_MAX_ENTRIES: u32 = 32768;
const KERN_MAX_CQ_ENTRIES: u32 = 2 * KERN_MAX_ENTRIES;
/// Room the kernel reserves for the ring header (heads, tails, flags).
const KRING_SIZE: usize = 64;
const HUGE_PAGE_SIZE: usize = 2 * 1024 * 1024;
const MAP_HUGE_2MB: i32 = 21 << 26;

/// log2 of the SQE size in 64-byte units.
#[inline(always)]
pub fn sqe_shift(flags: u32) -> u32 {
    (flags & setup::SQE128 != 0) as u32
}

/// log2 of the CQE size in 16-byte units.
#[inline(always)]
pub fn cqe_shift(flags: u32) -> u32 {
    (flags & setup::CQE32 != 0) as u32
}

fn round_up(v: usize, to: usize) -> usize {
    v.div_ceil(to) * to
}

/// The SQ and CQ sizes io_uring_setup would pick for `entries` and `p`,
/// with the same validation the kernel applies.
fn sq_cq_entries(entries: u32, p: &io_uring_params) -> Result<(u32, u32)> {
    if entries == 0 {
        return Err(Errno::EINVAL);
    }
    let clamp = p.flags & setup::CLAMP != 0;
    let entries = match entries {
        e if e <= KERN_MAX_ENTRIES => e,
        _ if clamp => KERN_MAX_ENTRIES,
        _ => return Err(Errno::EINVAL),
    }
    .next_power_of_two();
    let cq = if p.flags & setup::CQSIZE != 0 {
        let cq = match p.cq_entries {
            0 => return Err(Errno::EINVAL),
            c if c <= KERN_MAX_CQ_ENTRIES => c,
            _ if clamp => KERN_MAX_CQ_ENTRIES,
            _ => return Err(Errno::EINVAL),
        }
        .next_power_of_two();
        if cq < entries {
            return Err(Errno::EINVAL);
        }
        cq
    } else {
        2 * entries
    };
    Ok((entries, cq))
}

fn sqes_bytes(flags: u32, entries: u32) -> usize {
    ((entries as usize) << sqe_shift(flags)) * size_of::<io_uring_sqe>()
}

pub(super) fn cqes_bytes(flags: u32, entries: u32) -> usize {
    ((entries as usize) << cqe_shift(flags)) * size_of::<io_uring_cqe>()
}

/// Unmaps the SQ and CQ ring mappings (not the SQEs).
///
/// # Safety
/// The mappings recorded in `sq` and `cq` must be ours and unused.
pub(super) unsafe fn unmap_rings(sq: &io_uring_sq, cq: &io_uring_cq) {
    // SAFETY: the caller guarantees these mappings are ours to drop.
    unsafe {
        if sq.ring_sz != 0 {
            sys::syscall::munmap(sq.ring_ptr, sq.ring_sz);
        }
        if !cq.ring_ptr.is_null() && cq.ring_sz != 0 && cq.ring_ptr != sq.ring_ptr {
            sys::syscall::munmap(cq.ring_ptr, cq.ring_sz);
        }
    }
}

/// Points the `k*` fields at the kernel's words and caches mask and size.
///
/// # Safety
/// `sq.ring_ptr` and `cq.ring_ptr` must map rings laid out as `p` says.
unsafe fn setup_ring_pointers(p: &io_uring_params, sq: &mut io_uring_sq, cq: &mut io_uring_cq) {
    // Only addresses are computed here; what reads through them later
    // relies on this function's contract that `p` describes the mappings.
    let at = |base: *mut c_void, offset: u32| -> *mut c_uint { base.wrapping_byte_add(offset as usize).cast() };
    sq.khead = at(sq.ring_ptr, p.sq_off.head);
    sq.ktail = at(sq.ring_ptr, p.sq_off.tail);
    sq.kring_mask = at(sq.ring_ptr, p.sq_off.ring_mask);
    sq.kring_entries = at(sq.ring_ptr, p.sq_off.ring_entries);
    sq.kflags = at(sq.ring_ptr, p.sq_off.flags);
    sq.kdropped = at(sq.ring_ptr, p.sq_off.dropped);
    if p.flags & setup::NO_SQARRAY == 0 {
        sq.array = at(sq.ring_ptr, p.sq_off.array);
    }
    cq.khead = at(cq.ring_ptr, p.cq_off.head);
    cq.ktail = at(cq.ring_ptr, p.cq_off.tail);
    cq.kring_mask = at(cq.ring_ptr, p.cq_off.ring_mask);
    cq.kring_entries = at(cq.ring_ptr, p.cq_off.ring_entries);
    cq.koverflow = at(cq.ring_ptr, p.cq_off.overflow);
    cq.cqes = at(cq.ring_ptr, p.cq_off.cqes).cast();
    if p.cq_off.flags != 0 {
        cq.kflags = at(cq.ring_ptr, p.cq_off.flags);
    }
    // SAFETY: the k* words lie in the mappings laid out as `p` says (this
    // function's contract); the kernel fixed them before setup returned.
    unsafe {
        sq.ring_mask = sys_load(sq.kring_mask);
        sq.ring_entries = sys_load(sq.kring_entries);
        cq.ring_mask = sys_load(cq.kring_mask);
        cq.ring_entries = sys_load(cq.kring_entries);
    }
}

/// Reads a setup-time constant of the ring header.
///
/// # Safety
/// `p` must point into a live ring mapping.
unsafe fn sys_load(p: *const c_uint) -> u32 {
    // SAFETY: `p` points into a live ring mapping (contract); relaxed, since
    // the kernel wrote it before setup returned.
    unsafe { super::shared::load_relaxed(p) }
}

/// Maps the rings and SQEs of ring `fd` as `p` describes them.
///
/// # Safety
/// `fd` must be an io_uring fd whose setup filled `p`.
pub(super) unsafe fn mmap_rings(
    fd: i32,
    p: &io_uring_params,
    sq: &mut io_uring_sq,
    cq: &mut io_uring_cq,
) -> Result<()> {
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    let flags = libc::MAP_SHARED | libc::MAP_POPULATE;
    sq.ring_sz = p.sq_off.array as usize + p.sq_entries as usize * size_of::<u32>();
    cq.ring_sz = p.cq_off.cqes as usize + cqes_bytes(p.flags, p.cq_entries);
    let single = p.features & feat::SINGLE_MMAP != 0;
    if single {
        sq.ring_sz = sq.ring_sz.max(cq.ring_sz);
        cq.ring_sz = sq.ring_sz;
    }
    // SAFETY: a fresh shared mapping of the ring fd; nothing else aliases it.
    sq.ring_ptr = unsafe { sys::syscall::mmap(ptr::null_mut(), sq.ring_sz, prot, flags, fd, off::SQ_RING) }
        .inspect_err(|_| sq.ring_sz = 0)?;
    let rest = (|| {
        cq.ring_ptr = if single {
            sq.ring_ptr
        } else {
            // SAFETY: as above, for the CQ ring.
            unsafe { sys::syscall::mmap(ptr::null_mut(), cq.ring_sz, prot, flags, fd, off::CQ_RING) }?
        };
        let sqes_sz = sqes_bytes(p.flags, p.sq_entries);
        sq.sqes_sz = u32::try_from(sqes_sz).map_err(|_| Errno::EINVAL)?;
        // SAFETY: as above, for the SQE array.
        sq.sqes = unsafe { sys::syscall::mmap(ptr::null_mut(), sqes_sz, prot, flags, fd, off::SQES) }?.cast();
        Ok(())
    })();
    match rest {
        // SAFETY: the mappings were just made from this ring's offsets.
        Ok(()) => unsafe { setup_ring_pointers(p, sq, cq) },
        // SAFETY: these mappings are ours and nothing uses them yet.
        Err(_) => unsafe { unmap_rings(sq, cq) },
    }
    rest
}

/// io_uring_queue_mmap: maps an already set-up ring fd into `ring`.
///
/// # Safety
/// `fd` must be an io_uring fd whose setup filled `p`.
pub unsafe fn queue_mmap(fd: i32, p: &io_uring_params, ring: &mut io_uring) -> Result<()> {
    *ring = io_uring::EMPTY;
    // SAFETY: `fd` is an io_uring fd whose setup filled `p`, per this function's contract.
    unsafe { mmap_rings(fd, p, &mut ring.sq, &mut ring.cq) }?;
    ring.flags = p.flags;
    ring.features = p.features;
    ring.ring_fd = fd;
    ring.enter_ring_fd = fd;
    Ok(())
}

/// For IORING_SETUP_NO_MMAP: places the SQEs and rings in `buf` (the
/// application's memory) or in fresh anonymous memory, and tells the kernel
/// where through `p`. Returns the bytes used.
fn alloc_ring_memory(
    entries: u32,
    p: &mut io_uring_params,
    sq: &mut io_uring_sq,
    cq: &mut io_uring_cq,
    buf: *mut c_void,
    buf_size: usize,
) -> Result<usize> {
    let page = page_size();
    let (sq_entries, cq_entries) = sq_cq_entries(entries, p)?;
    let sqes_mem = round_up(sqes_bytes(p.flags, sq_entries), page);
    let mut ring_mem = KRING_SIZE + cqes_bytes(p.flags, cq_entries);
    if p.flags & setup::NO_SQARRAY == 0 {
        ring_mem += sq_entries as usize * size_of::<u32>();
    }
    let used = round_up(sqes_mem + ring_mem, page);
    let anon = |want: usize| -> Result<(*mut c_void, usize)> {
        let (len, huge) = if want <= page { (page, 0) } else { (HUGE_PAGE_SIZE, libc::MAP_HUGETLB | MAP_HUGE_2MB) };
        let flags = libc::MAP_SHARED | libc::MAP_ANONYMOUS | huge;
        // SAFETY: a fresh anonymous mapping aliases nothing.
        let mem =
            unsafe { sys::syscall::mmap(ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0) }?;
        Ok((mem, len))
    };
    let mut sqes_map_len = 0;
    let base_len = if buf.is_null() {
        if sqes_mem > HUGE_PAGE_SIZE || ring_mem > HUGE_PAGE_SIZE {
            return Err(Errno::ENOMEM);
        }
        let (mem, len) = anon(sqes_mem)?;
        sq.sqes = mem.cast();
        sqes_map_len = len;
        len
    } else {
        if used > buf_size {
            return Err(Errno::ENOMEM);
        }
        sq.sqes = buf.cast();
        buf_size
    };
    sq.sqes_sz = sqes_map_len as u32;
    if used <= base_len {
        // SAFETY: `used` bytes fit the region, so the rings follow the SQEs inside it.
        sq.ring_ptr = unsafe { sq.sqes.cast::<u8>().add(sqes_mem) }.cast();
        sq.ring_sz = 0;
    } else {
        let (mem, len) = anon(ring_mem).inspect_err(|_| {
            if sqes_map_len != 0 {
                // SAFETY: the SQE mapping was made above and is unused.
                unsafe { sys::syscall::munmap(sq.sqes.cast(), sqes_map_len) };
            }
        })?;
        sq.ring_ptr = mem;
        sq.ring_sz = len;
    }
    cq.ring_sz = 0;
    cq.ring_ptr = sq.ring_ptr;
    p.sq_off.user_addr = sq.sqes as u64;
    p.cq_off.user_addr = sq.ring_ptr as u64;
    Ok(used)
}

/// One attempt at setting up a ring with exactly `p.flags`.
fn init_once(
    entries: u32,
    ring: &mut io_uring,
    p: &mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> Result<usize> {
    *ring = io_uring::EMPTY;
    let no_mmap = p.flags & setup::NO_MMAP != 0;
    let mut used = 0;
    if no_mmap {
        used = alloc_ring_memory(entries, p, &mut ring.sq, &mut ring.cq, buf, buf_size)?;
        if !buf.is_null() {
            ring.int_flags |= int_flags::APP_MEM;
        }
    }
    // SAFETY: `p` is a valid, writable params struct.
    let fd = unsafe { sys::syscall::io_uring_setup(entries, p) };
    if fd < 0 {
        if no_mmap && ring.int_flags & int_flags::APP_MEM == 0 {
            // SAFETY: these are the anonymous mappings made above, unused.
            unsafe {
                sys::syscall::munmap(ring.sq.sqes.cast(), ring.sq.sqes_sz as usize);
                unmap_rings(&ring.sq, &ring.cq);
            }
        }
        *ring = io_uring::EMPTY;
        return Err(Errno(-fd));
    }
    if no_mmap {
        // SAFETY: the kernel laid its rings out in our memory as `p` says.
        unsafe { setup_ring_pointers(p, &mut ring.sq, &mut ring.cq) };
    } else {
        // SAFETY: `fd` was just returned by io_uring_setup for `p`.
        if let Err(e) = unsafe { queue_mmap(fd, p, ring) } {
            sys::syscall::close(fd);
            *ring = io_uring::EMPTY;
            return Err(e);
        }
    }
    fill_ring(ring, p, fd);
    Ok(used)
}

/// What a set-up ring keeps of its setup, kernel or emulated alike: the
/// SQ index array, flags and features, its fd (or, with
/// REGISTERED_FD_ONLY, only its registered index), and how it reaps.
fn fill_ring(ring: &mut io_uring, p: &io_uring_params, fd: i32) {
    if let Ok(mut live) = Live::from_mut(ring) {
        identity_sq_array(&mut live);
    }
    ring.features = p.features;
    ring.flags = p.flags;
    ring.enter_ring_fd = fd;
    if p.flags & setup::REGISTERED_FD_ONLY != 0 {
        ring.ring_fd = -1;
        ring.int_flags |= int_flags::REG_RING | int_flags::REG_REG_RING;
    } else {
        ring.ring_fd = fd;
    }
    if p.flags & (setup::IOPOLL | setup::SQPOLL) == setup::IOPOLL {
        ring.int_flags |= int_flags::CQ_ENTER;
    }
}

/// Maps SQ slot i to SQE i in the SQ index array, when the ring has one.
pub(super) fn identity_sq_array(ring: &mut LiveRing) {
    if ring.sq.array.is_null() {
        return;
    }
    for i in 0..ring.sq.ring_entries {
        // SAFETY: the ring is live, so a non-null array has ring_entries
        // slots in its mapping; the kernel reads them only when we enter.
        unsafe { super::shared::store_relaxed(ring.sq.array.add(i as usize), i) };
    }
}

/// Sets a ring up, trying IORING_SETUP_NO_SQARRAY first as liburing does and
/// falling back when the kernel refuses it; emulated instead when
/// URING_RS_EMULATE asks (`always`, or `auto` and the kernel refuses
/// io_uring). Returns the bytes of `buf` used.
pub fn init(
    entries: u32,
    ring: &mut io_uring,
    p: &mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> Result<usize> {
    let mode = emu::mode();
    let asked = p.flags;
    // A ring reachable only through its registered index needs memory of
    // the application's (NO_MMAP), kernel or engine alike.
    if asked & setup::REGISTERED_FD_ONLY != 0 && asked & setup::NO_MMAP == 0 {
        *ring = io_uring::EMPTY;
        return Err(Errno::EINVAL);
    }
    p.flags |= setup::NO_SQARRAY;
    if mode == emu::Mode::Always {
        return init_emulated(entries, ring, p, buf, buf_size);
    }
    let r = match init_once(entries, ring, p, buf, buf_size) {
        Err(Errno::EINVAL) if asked & setup::NO_SQARRAY == 0 => {
            p.flags = asked;
            init_once(entries, ring, p, buf, buf_size)
        }
        r => r,
    };
    match r {
        Err(e) if mode == emu::Mode::Auto && emu::refused(e) => {
            p.flags = asked | setup::NO_SQARRAY;
            init_emulated(entries, ring, p, buf, buf_size)
        }
        r => r,
    }
}

/// Sets up a ring the userspace engine serves: its memory laid out as the
/// kernel's, in `buf` when given.
fn init_emulated(
    entries: u32,
    ring: &mut io_uring,
    p: &mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> Result<usize> {
    *ring = io_uring::EMPTY;
    let (sq, cq) = sq_cq_entries(entries, p)?;
    // In the application's memory the ring takes what the kernel's layout
    // takes, and refuses less, though the engine's may be smaller: programs
    // size the memory of later rings by the count one ring returned
    // (PostgreSQL does), and under `auto` every setup tries the kernel's
    // layout first.
    let kernel_bytes = if buf.is_null() { 0 } else { memory_size(entries, p)? };
    if buf_size < kernel_bytes {
        return Err(Errno::ENOMEM);
    }
    let r = emu::setup(sq, cq, p, buf, buf_size)?;
    ring.sq.ring_ptr = r.rings;
    ring.cq.ring_ptr = r.rings;
    ring.sq.sqes = r.sqes;
    // SAFETY: emu::setup laid the rings out at `r.rings` as `p` says.
    unsafe { setup_ring_pointers(p, &mut ring.sq, &mut ring.cq) };
    ring.int_flags = int_flags::EMULATED;
    if !buf.is_null() {
        ring.int_flags |= int_flags::APP_MEM;
    }
    fill_ring(ring, p, r.fd);
    Ok(r.used.max(kernel_bytes))
}

/// Whether `addr` is in memory other processes may share (MAP_SHARED or
/// SysV shared memory, as PostgreSQL keeps its rings). A struct on this
/// thread's stack is not; otherwise the page's /proc/self/pagemap entry says
/// (bit 61: a file page or shared anonymous memory): one pread, no parsing.
/// When that cannot be read, the struct counts as private.
fn in_shared_memory(addr: usize) -> bool {
    let local = 0u8;
    if addr.abs_diff(&raw const local as usize) < (1 << 20) {
        return false;
    }
    const FILE_OR_SHARED: u64 = 1 << 61;
    // SAFETY: opening a procfs file by a NUL-terminated path.
    let fd = unsafe { libc::open(c"/proc/self/pagemap".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return false;
    }
    let mut entry = 0u64;
    let offset = (addr / page_size() * size_of::<u64>()) as libc::off_t;
    // SAFETY: reads at most 8 bytes into `entry`.
    let n = unsafe { libc::pread(fd, (&raw mut entry).cast(), size_of::<u64>(), offset) };
    sys::syscall::close(fd);
    n == size_of::<u64>() as isize && entry & FILE_OR_SHARED != 0
}

/// io_uring_queue_exit: unmaps, unregisters and closes. A struct private to
/// this process is then left not-live, so a second exit, or any later call,
/// is a harmless error instead of a double unmap or close. A struct in
/// shared memory is left as it is, as liburing leaves it: other processes
/// may still be using the ring through their own mappings and fds.
pub fn exit(ring: &mut io_uring) {
    let Ok(live) = super::LiveRing::check(ring) else { return };
    super::hooks::exiting(live);
    if ring.int_flags & int_flags::EMULATED != 0 {
        // SAFETY: a live emulated ring's `ring_ptr` is the engine's rings;
        // the ring is being torn down and nothing may use it after this.
        unsafe { emu::exit(ring.sq.ring_ptr) };
        let fd = if ring.ring_fd != -1 { ring.ring_fd } else { ring.enter_ring_fd };
        if fd >= 0 {
            sys::syscall::close(fd);
        }
        if !in_shared_memory(ring as *const io_uring as usize) {
            *ring = io_uring::EMPTY;
        }
        return;
    }
    if ring.int_flags & int_flags::APP_MEM == 0 {
        // SAFETY: the struct is live, so these are our mappings; the ring
        // is being torn down and nothing may use them after this.
        unsafe {
            sys::syscall::munmap(ring.sq.sqes.cast(), ring.sq.sqes_sz as usize);
            unmap_rings(&ring.sq, &ring.cq);
        }
    }
    if ring.int_flags & int_flags::REG_RING != 0 {
        // Frees the registered slot now rather than at process exit. With
        // REGISTERED_FD_ONLY it is the last reference and drops the ring.
        let _ = super::fd::unregister(ring);
    }
    if ring.ring_fd != -1 {
        sys::syscall::close(ring.ring_fd);
    }
    if !in_shared_memory(ring as *const io_uring as usize) {
        *ring = io_uring::EMPTY;
    }
}

/// io_uring_ring_dontfork: keeps the ring mappings out of forked children.
pub fn dontfork(ring: &Live<'_>) -> Result<()> {
    if ring.int_flags & int_flags::EMULATED != 0 {
        // SAFETY: a live emulated ring's `ring_ptr` is the engine's rings.
        return emu::dontfork(unsafe { emu::ctrl::Ctrl::of(ring.sq.ring_ptr) });
    }
    if ring.sq.ring_ptr.is_null() || ring.sq.sqes.is_null() || ring.cq.ring_ptr.is_null() {
        return Err(Errno::EINVAL);
    }
    let advise = |addr: *mut c_void, len: usize| {
        // SAFETY: MADV_DONTFORK only changes what a child inherits.
        Errno::check(unsafe { sys::syscall::madvise(addr, len, libc::MADV_DONTFORK) } as isize)
    };
    advise(ring.sq.sqes.cast(), sqes_bytes(ring.flags, ring.sq.ring_entries))?;
    advise(ring.sq.ring_ptr, ring.sq.ring_sz)?;
    if ring.cq.ring_ptr != ring.sq.ring_ptr {
        advise(ring.cq.ring_ptr, ring.cq.ring_sz)?;
    }
    Ok(())
}

/// io_uring_memory_size_params: the bytes of ring memory a setup needs.
pub fn memory_size(entries: u32, p: &io_uring_params) -> Result<usize> {
    let (sq, cq) = sq_cq_entries(entries, p)?;
    let page = page_size();
    let mut cq_size = cqes_bytes(p.flags, cq) + KRING_SIZE;
    if p.flags & setup::NO_SQARRAY == 0 {
        cq_size += sq as usize * size_of::<u32>();
    }
    Ok(round_up(cq_size, page) + round_up(sqes_bytes(p.flags, sq), page))
}

/// io_uring_mlock_size_params: the memlock a setup needs, which is nothing
/// on kernels whose rings are charged to the cgroup (NATIVE_WORKERS).
pub fn mlock_size(entries: u32, p: &io_uring_params) -> Result<usize> {
    let mut probe = io_uring_params::default();
    let mut ring = io_uring::EMPTY;
    if init(entries, &mut ring, &mut probe, ptr::null_mut(), 0).is_ok() {
        exit(&mut ring);
    }
    if probe.features & feat::NATIVE_WORKERS != 0 {
        return Ok(0);
    }
    memory_size(entries, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(flags: u32, cq: u32) -> io_uring_params {
        io_uring_params { flags, cq_entries: cq, ..Default::default() }
    }

    #[test]
    #[cfg_attr(miri, ignore = "reads /proc and maps memory")]
    fn shared_memory_is_told_apart() {
        let mut private = Box::new(0u64);
        *private = 1;
        assert!(!in_shared_memory(&*private as *const u64 as usize));
        let on_stack = 0u64;
        assert!(!in_shared_memory(&raw const on_stack as usize));
        // SAFETY: a fresh anonymous shared mapping of one page, unmapped below.
        let shared = unsafe {
            libc::mmap(
                ptr::null_mut(),
                4096,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(shared, libc::MAP_FAILED);
        // SAFETY: the page was just mapped writable; touching it makes it present.
        unsafe { shared.cast::<u8>().write(1) };
        assert!(in_shared_memory(shared as usize + 100));
        // SAFETY: mapped above, used by nothing else.
        unsafe { libc::munmap(shared, 4096) };
    }

    #[test]
    fn entries_round_up_and_cq_doubles() {
        assert_eq!(sq_cq_entries(5, &params(0, 0)), Ok((8, 16)));
        assert_eq!(sq_cq_entries(1, &params(0, 0)), Ok((1, 2)));
    }

    #[test]
    fn entries_limits() {
        assert_eq!(sq_cq_entries(0, &params(0, 0)), Err(Errno::EINVAL));
        assert_eq!(sq_cq_entries(1 << 20, &params(0, 0)), Err(Errno::EINVAL));
        assert_eq!(sq_cq_entries(1 << 20, &params(setup::CLAMP, 0)), Ok((32768, 65536)));
    }

    #[test]
    fn cqsize_rules() {
        assert_eq!(sq_cq_entries(8, &params(setup::CQSIZE, 100)), Ok((8, 128)));
        assert_eq!(sq_cq_entries(8, &params(setup::CQSIZE, 0)), Err(Errno::EINVAL));
        assert_eq!(sq_cq_entries(8, &params(setup::CQSIZE, 4)), Err(Errno::EINVAL));
        assert_eq!(sq_cq_entries(8, &params(setup::CQSIZE | setup::CLAMP, 1 << 20)), Ok((8, 65536)));
    }

    #[test]
    fn memory_size_counts_pages() {
        // 8 SQEs (512 B) and 16 CQEs (256 B) + header + array: one page each.
        assert_eq!(memory_size(8, &params(0, 0)), Ok(2 * page_size()));
        let big = memory_size(4096, &params(setup::SQE128 | setup::CQE32, 0)).unwrap();
        assert_eq!(big, round_up(4096 * 128, page_size()) + round_up(8192 * 32 + 64 + 4096 * 4, page_size()));
    }
}
