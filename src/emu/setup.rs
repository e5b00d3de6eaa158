//! Setting an emulated ring up: the region, the ring words, the eventfd,
//! and the offsets io_uring_setup would report; and tearing it down.

use super::ctrl::{CTRL_BYTES, Ctrl, MAGIC, OVERFLOW_PER_CQE, off};
use super::files;
use super::{cq, shared_map};
use crate::sys::{self, Errno, Result, feat, io_uring_cqe, io_uring_params, io_uring_sqe, setup};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::Ordering::Relaxed;

/// The setup flags the engine accepts: those that only tune the kernel are
/// harmless here, SQPOLL starts a poller thread (sqpoll.rs), and
/// NO_MMAP / REGISTERED_FD_ONLY are the library's business.
const KNOWN: u32 = setup::IOPOLL
    | setup::SQPOLL
    | setup::SQ_AFF
    | setup::CQSIZE
    | setup::CLAMP
    | setup::ATTACH_WQ
    | setup::R_DISABLED
    | setup::SUBMIT_ALL
    | setup::COOP_TASKRUN
    | setup::TASKRUN_FLAG
    | setup::SQE128
    | setup::CQE32
    | setup::SINGLE_ISSUER
    | setup::DEFER_TASKRUN
    | setup::NO_MMAP
    | setup::REGISTERED_FD_ONLY
    | setup::NO_SQARRAY;

/// What the engine offers, as io_uring_params.features reports it.
pub const FEATURES: u32 = feat::SINGLE_MMAP
    | feat::NODROP
    | feat::SUBMIT_STABLE
    | feat::RW_CUR_POS
    | feat::CUR_PERSONALITY
    | feat::FAST_POLL
    | feat::SQPOLL_NONFIXED
    | feat::EXT_ARG
    | feat::RECVSEND_BUNDLE
    | feat::NATIVE_WORKERS
    | feat::RSRC_TAGS
    | feat::CQE_SKIP
    | feat::LINKED_FILE
    | feat::NO_IOWAIT
    | feat::REG_REG_RING
    | feat::MIN_TIMEOUT;

/// An emulated ring, as setup made it.
pub struct Rings {
    /// The ring fd (an eventfd).
    pub fd: i32,
    /// The rings: the SQ and CQ words and CQEs, as one mapping.
    pub rings: *mut c_void,
    pub sqes: *mut io_uring_sqe,
    /// Bytes of ring memory (of the application's, when it gave some).
    pub used: usize,
}

/// The CPUs the system is configured with (SQ_AFF names one).
fn cpus() -> u32 {
    // SAFETY: sysconf has no memory-safety preconditions.
    unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) }.max(1) as u32
}

fn align64(v: usize) -> usize {
    v.next_multiple_of(64)
}

/// Sets up an emulated ring of `sq` SQEs and `cq` CQEs (already sized by
/// the kernel's rules) with `p.flags`, in `mem` (`mem_len` bytes) when not
/// NULL, else in a fresh shared mapping, and fills `p` as io_uring_setup
/// would. -EINVAL for flags the engine does not know or a bad combination,
/// -ENOMEM when `mem` is too small, or what mmap or eventfd return.
pub fn setup(sq: u32, cq: u32, p: &mut io_uring_params, mem: *mut c_void, mem_len: usize) -> Result<Rings> {
    let flags = p.flags;
    let wq = match flags & setup::ATTACH_WQ {
        0 => None,
        // SAFETY: routes lists live emulated rings only.
        _ => super::routes::rings_of(p.wq_fd).map(|r| unsafe { Ctrl::of(r) }),
    };
    if flags & !KNOWN != 0
        || (flags & setup::DEFER_TASKRUN != 0 && flags & setup::SINGLE_ISSUER == 0)
        || (flags & setup::TASKRUN_FLAG != 0 && flags & (setup::COOP_TASKRUN | setup::DEFER_TASKRUN) == 0)
        || (flags & setup::SQ_AFF != 0 && (flags & setup::SQPOLL == 0 || p.sq_thread_cpu >= cpus()))
        // An SQPOLL ring attaches to another SQPOLL ring's poller.
        || (flags & setup::ATTACH_WQ != 0
            && wq.is_none_or(|w| flags & setup::SQPOLL != 0 && w.flags & setup::SQPOLL == 0))
    {
        return Err(Errno::EINVAL);
    }
    let cqe_size = size_of::<io_uring_cqe>() << (flags & setup::CQE32 != 0) as u32;
    let sqe_size = size_of::<io_uring_sqe>() << (flags & setup::SQE128 != 0) as u32;
    let cqes_end = off::CQES as usize + cq as usize * cqe_size;
    let (array, array_end) = match flags & setup::NO_SQARRAY {
        0 => (align64(cqes_end), align64(cqes_end) + sq as usize * 4),
        _ => (0, cqes_end),
    };
    let sqes = align64(array_end);
    // Whole pages, as the kernel's rings take.
    let len = (CTRL_BYTES + sqes + sq as usize * sqe_size).next_multiple_of(sys::syscall::page_size());
    let (key, slots) = (shared_map::new_key(), cq * OVERFLOW_PER_CQE);
    let overflow = shared_map::map::<cq::Slot>(slots, key)?;
    let (Region { base, mapped }, (ring_fd, efd)) =
        match region(len, mem, mem_len).and_then(|r| Ok((r, eventfds(r, len)?))) {
            Ok(v) => v,
            Err(e) => {
                // SAFETY: mapped above, used by nothing yet.
                unsafe { shared_map::unmap(overflow, slots) };
                return Err(e);
            }
        };
    let ctrl = Ctrl {
        magic: MAGIC,
        flags,
        sq_entries: sq,
        cq_entries: cq,
        sq_array: array as u32,
        sqes: sqes as u32,
        efd,
        ring_fd,
        region_len: len,
        mapped: mapped as u32,
        disabled: ((flags & setup::R_DISABLED != 0) as u32).into(),
        lock: 0.into(),
        sq_lock: 0.into(),
        table_lock: 0.into(),
        armed: 0.into(),
        reg_efd: (-1).into(),
        reg_efd_pid: 0.into(),
        reg_efd_async: 0.into(),
        files: 0.into(),
        nr_files: 0.into(),
        alloc_start: 0.into(),
        alloc_end: 0.into(),
        bufs: 0.into(),
        nr_bufs: 0.into(),
        files_pid: 0.into(),
        bufs_pid: 0.into(),
        files_key: 0.into(),
        bufs_key: 0.into(),
        overflow: (overflow as usize).into(),
        overflow_pid: shared_map::my_pid().into(),
        overflow_key: key.into(),
        overflow_slots: slots,
        overflow_head: 0.into(),
        overflow_tail: 0.into(),
        spill: 0.into(),
        spill_last: 0.into(),
        spill_pid: 0.into(),
        inflight: 0.into(),
        deferred: 0.into(),
        local_work: 0.into(),
        draining: 0.into(),
        drain_gate: 0.into(),
        cq_events: 0.into(),
        posts: 0.into(),
        count_timeouts: 0.into(),
        drain_disabled: 0.into(),
        pbufs: 0.into(),
        pbufs_pid: 0.into(),
        pbufs_key: 0.into(),
        pbuf_lock: 0.into(),
        pins: 0.into(),
        issuer: (if flags & setup::R_DISABLED == 0 { super::ctrl::gettid() } else { 0 }).into(),
        sq_poller: 0.into(),
        sq_pid: 0.into(),
        sq_next: 0.into(),
    };
    // SAFETY: the region is ours, zeroed, aligned, and at least CTRL_BYTES long.
    unsafe { base.cast::<Ctrl>().write(ctrl) };
    // SAFETY: just written; the region stays mapped while the ring lives.
    let c = unsafe { Ctrl::of(base.add(CTRL_BYTES).cast()) };
    // Relaxed: nothing else sees the ring before setup returns it.
    c.word(off::SQ_RING_MASK).store(sq - 1, Relaxed);
    c.word(off::SQ_RING_ENTRIES).store(sq, Relaxed);
    c.word(off::CQ_RING_MASK).store(cq - 1, Relaxed);
    c.word(off::CQ_RING_ENTRIES).store(cq, Relaxed);
    fill_params(p, sq, cq, array as u32);
    super::routes::add(ring_fd, c.rings().cast());
    if flags & setup::SQPOLL != 0 {
        super::sqpoll::start(c, p, wq);
    }
    super::reactor::ring_added();
    Ok(Rings {
        fd: ring_fd,
        rings: c.rings().cast(),
        // SAFETY: `sqes` + the SQE array lies inside the region (len above).
        sqes: unsafe { c.rings().add(sqes) }.cast(),
        used: len,
    })
}

/// The memory a ring's control block, rings and SQEs live in.
#[derive(Clone, Copy)]
struct Region {
    base: *mut u8,
    /// Whether the engine mapped it (else it is the application's).
    mapped: bool,
}

/// The region of `len` bytes for the ring: a fresh shared mapping when
/// `mem` is NULL, else the application's `mem_len` bytes at `mem`, zeroed.
/// -ENOMEM when they are too few, -EINVAL when `mem` is not 64-byte
/// aligned, or what mmap returns.
fn region(len: usize, mem: *mut c_void, mem_len: usize) -> Result<Region> {
    if mem.is_null() {
        let prot = libc::PROT_READ | libc::PROT_WRITE;
        // SAFETY: a fresh anonymous shared mapping aliases nothing.
        let m =
            unsafe { sys::syscall::mmap(ptr::null_mut(), len, prot, libc::MAP_SHARED | libc::MAP_ANONYMOUS, -1, 0) }?;
        return Ok(Region { base: m.cast(), mapped: true });
    }
    if mem_len < len {
        return Err(Errno::ENOMEM);
    }
    if !(mem as usize).is_multiple_of(64) {
        return Err(Errno::EINVAL);
    }
    // SAFETY: the application gave us `mem_len` >= `len` bytes for the ring.
    unsafe { ptr::write_bytes(mem.cast::<u8>(), 0, len) };
    Ok(Region { base: mem.cast(), mapped: false })
}

/// The ring fd the program gets, an eventfd, and the engine's duplicate
/// of it, which it waits on: the program may close its fd without harm.
/// On failure, what eventfd or fcntl returned, with `region` (of `len`
/// bytes) unmapped if the engine mapped it.
fn eventfds(region: Region, len: usize) -> Result<(i32, i32)> {
    let ring_fd = sys::syscall::eventfd(libc::EFD_CLOEXEC | libc::EFD_NONBLOCK);
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) touches no memory; -1 fails it.
    let efd = sys::syscall::without_errno(|| unsafe { libc::fcntl(ring_fd, libc::F_DUPFD_CLOEXEC, 0) } as isize);
    if efd >= 0 {
        return Ok((ring_fd, efd as i32));
    }
    if ring_fd >= 0 {
        sys::syscall::close(ring_fd);
    }
    if region.mapped {
        // SAFETY: mapped by `region`, used by nothing yet.
        unsafe { sys::syscall::munmap(region.base.cast(), len) };
    }
    Err(Errno(-(if ring_fd < 0 { ring_fd as isize } else { efd }) as i32))
}

/// What io_uring_setup reports: sizes, features and the ring offsets.
fn fill_params(p: &mut io_uring_params, sq: u32, cq: u32, array: u32) {
    p.sq_entries = sq;
    p.cq_entries = cq;
    p.features = FEATURES;
    let so = &mut p.sq_off;
    so.head = off::SQ_HEAD;
    so.tail = off::SQ_TAIL;
    so.ring_mask = off::SQ_RING_MASK;
    so.ring_entries = off::SQ_RING_ENTRIES;
    so.flags = off::SQ_FLAGS;
    so.dropped = off::SQ_DROPPED;
    so.array = array;
    let co = &mut p.cq_off;
    co.head = off::CQ_HEAD;
    co.tail = off::CQ_TAIL;
    co.ring_mask = off::CQ_RING_MASK;
    co.ring_entries = off::CQ_RING_ENTRIES;
    co.overflow = off::CQ_OVERFLOW;
    co.cqes = off::CQES;
    co.flags = off::CQ_FLAGS;
}

/// Tears this process's share of an emulated ring down: drops its pending
/// requests, releases what it holds of the registrations and overflowed
/// CQEs, closes its eventfd and unmaps what setup mapped. What other
/// processes sharing the ring use stays. The ring fd is the caller's to
/// close, as liburing closes a kernel ring's.
///
/// # Safety
/// `rings` must be a live emulated ring's, unused by anything after this.
pub unsafe fn exit(rings: *mut c_void) {
    // SAFETY: a live emulated ring (contract).
    let c = unsafe { Ctrl::of(rings) };
    super::sqpoll::stop(c);
    // No other ring posts into this one once its fd is forgotten.
    super::routes::remove(c.ring_fd, rings);
    super::routes::wait_unpinned(c);
    super::reactor::forget(c);
    files::release_all(c);
    super::pbuf::drop_all(c);
    cq::drop_overflow(c);
    super::register::release_eventfd(c);
    sys::syscall::close(c.efd);
    if c.mapped != 0 {
        let (base, len) = (ptr::from_ref(c).cast_mut().cast::<c_void>(), c.region_len);
        // SAFETY: the region setup mapped; nothing uses the ring any more.
        unsafe { sys::syscall::munmap(base, len) };
    }
    super::reactor::ring_gone();
}

/// io_uring_close_ring_fd on an emulated ring: its fd no longer reaches it.
///
/// # Safety
/// `rings` must be a live emulated ring's.
pub unsafe fn ring_fd_closed(rings: *mut c_void) {
    // SAFETY: a live emulated ring (contract).
    let c = unsafe { Ctrl::of(rings) };
    super::routes::remove(c.ring_fd, rings);
}

/// io_uring_ring_dontfork on an emulated ring: keeps the region and the
/// overflow queue out of children. -EINVAL for a ring in the application's memory.
pub fn dontfork(ctrl: &Ctrl) -> Result<()> {
    if ctrl.mapped == 0 {
        return Err(Errno::EINVAL);
    }
    let base = ptr::from_ref(ctrl).cast_mut().cast::<c_void>();
    // Relaxed: written once at setup, before the ring was handed out.
    let queue = ctrl.overflow.load(Relaxed) as *mut c_void;
    for (addr, len) in [(base, ctrl.region_len), (queue, shared_map::len::<cq::Slot>(ctrl.overflow_slots))] {
        // SAFETY: MADV_DONTFORK only changes what a child inherits.
        Errno::check(unsafe { sys::syscall::madvise(addr, len, libc::MADV_DONTFORK) } as isize)?;
    }
    Ok(())
}
