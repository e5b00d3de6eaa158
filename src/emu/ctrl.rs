//! The control block at the start of an emulated ring's region, and the
//! ring words after it. The region is MAP_SHARED, so every word another
//! thread or process may touch is an atomic; the rest is written once at
//! setup, before the ring is handed to the program.

use crate::sys::{io_uring_cqe, io_uring_sqe, setup};
use core::ffi::c_void;
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, AtomicUsize};

/// Marks a region as an emulated ring's.
pub const MAGIC: u32 = u32::from_be_bytes(*b"uRSe");
/// CQEs the shared overflow queue holds per CQ entry (see `Ctrl::overflow`).
pub const OVERFLOW_PER_CQE: u32 = 4;
/// Bytes before the rings kept for the control block (a multiple of 64,
/// so the rings start on a cache line as the kernel's do).
pub const CTRL_BYTES: usize = 512;

/// Offsets of the ring words from the start of the rings, as the kernel's
/// `struct io_rings` places them (heads and tails on their own cache lines).
pub mod off {
    pub const SQ_HEAD: u32 = 0;
    pub const SQ_TAIL: u32 = 64;
    pub const CQ_HEAD: u32 = 128;
    pub const CQ_TAIL: u32 = 192;
    pub const SQ_RING_MASK: u32 = 256;
    pub const CQ_RING_MASK: u32 = 260;
    pub const SQ_RING_ENTRIES: u32 = 264;
    pub const CQ_RING_ENTRIES: u32 = 268;
    pub const SQ_DROPPED: u32 = 272;
    pub const SQ_FLAGS: u32 = 276;
    pub const CQ_FLAGS: u32 = 280;
    pub const CQ_OVERFLOW: u32 = 284;
    pub const CQES: u32 = 320;
}

/// The engine's state for one ring, in the ring's shared region.
#[repr(C)]
pub struct Ctrl {
    pub magic: u32,
    /// The setup flags.
    pub flags: u32,
    pub sq_entries: u32,
    pub cq_entries: u32,
    /// Offset of the SQ index array from the rings; 0 with NO_SQARRAY.
    pub sq_array: u32,
    /// Offset of the SQEs from the rings.
    pub sqes: u32,
    /// The engine's eventfd, written when CQEs are posted, and the ring fd
    /// the program got: a duplicate of it.
    pub efd: i32,
    pub ring_fd: i32,
    /// Bytes of the region, and whether the engine mapped it (else it is
    /// the application's memory).
    pub region_len: usize,
    pub mapped: u32,
    /// Nonzero while IORING_SETUP_R_DISABLED holds the ring.
    pub disabled: AtomicU32,
    /// The CQ posting lock, and the SQ's: one consumer at a time, as the
    /// kernel's uring_lock (or its one SQPOLL thread) makes it (lock.rs).
    pub lock: AtomicU32,
    pub sq_lock: AtomicU32,
    /// Held while the fixed file or buffer tables are read or changed
    /// (files.rs).
    pub table_lock: AtomicU32,
    /// Nonzero when `efd` was written since the last waiter drained it.
    pub armed: AtomicU32,
    /// The eventfd registered with IORING_REGISTER_EVENTFD (-1: none), the
    /// engine's duplicate made in process `reg_efd_pid`, and whether it is
    /// only for completions that did not finish inline.
    pub reg_efd: AtomicI32,
    pub reg_efd_pid: AtomicI32,
    pub reg_efd_async: AtomicU32,
    /// The fixed file and buffer tables (see files.rs): address and slots.
    pub files: AtomicUsize,
    pub nr_files: AtomicU32,
    pub alloc_start: AtomicU32,
    pub alloc_end: AtomicU32,
    pub bufs: AtomicUsize,
    pub nr_bufs: AtomicU32,
    /// Who mapped each table, and the key it wrote after the table's
    /// slots: another process checks that key before it trusts the table
    /// to be mapped at that address in its memory too (files.rs).
    pub files_pid: AtomicI32,
    pub bufs_pid: AtomicI32,
    pub files_key: AtomicU64,
    pub bufs_key: AtomicU64,
    /// CQEs waiting for room in the CQ (see cq.rs): a queue of
    /// `overflow_slots` slots in a mapping of its own (shared_map: its
    /// address, the process that mapped it, its key), from
    /// `overflow_head` to `overflow_tail`; past that, the newer ones in a
    /// list in the heap of the process `spill_pid` (its first and last
    /// nodes). Touched only under `lock`.
    pub overflow: AtomicUsize,
    pub overflow_pid: AtomicI32,
    pub overflow_key: AtomicU64,
    pub overflow_slots: u32,
    pub overflow_head: AtomicU32,
    pub overflow_tail: AtomicU32,
    pub spill: AtomicUsize,
    pub spill_last: AtomicUsize,
    pub spill_pid: AtomicI32,
    /// DEFER_TASKRUN: nonzero while CQEs posted outside the issuer wait in
    /// the overflow queue for its next wait, as the kernel's local task
    /// work does (cq.rs). Touched only under `lock`, read as a hint.
    pub local_work: AtomicU32,
    /// Requests waiting in the reactor (see reactor.rs), counting a chain
    /// once, for IO_DRAIN; the chains an IO_DRAIN holds back, a list in
    /// the memory of the process that submitted them.
    pub inflight: AtomicU32,
    pub deferred: AtomicUsize,
    /// Nonzero while a thread runs the held-back chains, and while a
    /// drained chain has requests in flight (reactor.rs).
    pub draining: AtomicU32,
    pub drain_gate: AtomicU32,
    /// CQEs posted, and the TIMEOUTs waiting for a count of them.
    pub cq_events: AtomicU32,
    /// CQEs posted, TIMEOUTs' own too: submit tells of its CQEs only if
    /// there were any.
    pub posts: AtomicU32,
    pub count_timeouts: AtomicU32,
    /// Set once an SQE asked for CQE_SKIP_SUCCESS: from then on the
    /// kernel refuses IO_DRAIN, whose ordering skipped CQEs would break.
    pub drain_disabled: AtomicU32,
    /// The provided-buffer groups (see pbuf.rs): their table's address,
    /// the process that mapped it and its key (shared_map), and the lock
    /// every use of a group takes.
    pub pbufs: AtomicUsize,
    pub pbufs_pid: AtomicI32,
    pub pbufs_key: AtomicU64,
    pub pbuf_lock: AtomicU32,
    /// MSG_RINGs from other rings posting into this one (routes::pin):
    /// teardown waits for them.
    pub pins: AtomicU32,
    /// SINGLE_ISSUER: the thread that may submit (0 until R_DISABLED
    /// lifts).
    pub issuer: AtomicI32,
    /// SQPOLL (sqpoll.rs): the poller serving the ring, in the heap of
    /// process `sq_pid`, and the next ring it serves.
    pub sq_poller: AtomicUsize,
    pub sq_pid: AtomicI32,
    pub sq_next: AtomicUsize,
}

/// The calling thread's id.
pub fn gettid() -> i32 {
    // SAFETY: gettid takes no arguments.
    unsafe { crate::sys::syscall::syscall(libc::SYS_gettid, [0; 6]) as i32 }
}

impl Ctrl {
    /// SINGLE_ISSUER: -EEXIST unless the calling thread is the issuer.
    pub fn check_issuer(&self) -> crate::sys::Result<()> {
        // Relaxed: set once, before the program can submit.
        let issuer = self.issuer.load(core::sync::atomic::Ordering::Relaxed);
        if self.flags & setup::SINGLE_ISSUER != 0 && issuer != 0 && issuer != gettid() {
            return Err(crate::sys::Errno::EEXIST);
        }
        Ok(())
    }
}

const _: () = assert!(size_of::<Ctrl>() <= CTRL_BYTES);

impl Ctrl {
    /// The control block of the rings at `rings`.
    ///
    /// # Safety
    /// `rings` must be the rings of a live emulated ring: its setup put the
    /// control block [`CTRL_BYTES`] before them, and it stays mapped for 'a.
    pub unsafe fn of<'a>(rings: *mut c_void) -> &'a Ctrl {
        // SAFETY: setup placed the control block there (contract); it is
        // aligned, since the region is.
        unsafe { &*rings.cast::<u8>().sub(CTRL_BYTES).cast::<Ctrl>() }
    }

    /// The start of the rings.
    pub fn rings(&self) -> *mut u8 {
        ptr_add(self, CTRL_BYTES)
    }

    /// The ring word at `off` from the rings.
    pub fn word(&self, off: u32) -> &AtomicU32 {
        // SAFETY: every offset in `off` and the array lies in the region
        // setup laid out, aligned to 4; the region outlives `self`.
        unsafe { AtomicU32::from_ptr(self.rings().add(off as usize).cast()) }
    }

    /// Entry `i` of the SQ index array (NO_SQARRAY rings have none).
    pub fn sq_array_slot(&self, i: u32) -> &AtomicU32 {
        self.word(self.sq_array + 4 * (i & (self.sq_entries - 1)))
    }

    /// SQE `index` (< sq_entries), 128 bytes apart on SQE128 rings.
    pub fn sqe(&self, index: u32) -> *const io_uring_sqe {
        let size = size_of::<io_uring_sqe>() << (self.flags & setup::SQE128 != 0) as u32;
        // SAFETY: index < sq_entries, so the SQE lies in the region.
        unsafe { self.rings().add(self.sqes as usize + index as usize * size).cast() }
    }

    /// The CQE slot for CQ position `pos`, 32 bytes apart on CQE32 rings.
    pub fn cqe(&self, pos: u32) -> *mut io_uring_cqe {
        let size = size_of::<io_uring_cqe>() << self.cqe32() as u32;
        let i = (pos & (self.cq_entries - 1)) as usize;
        // SAFETY: the masked index is < cq_entries, so the slot lies in the region.
        unsafe { self.rings().add(off::CQES as usize + i * size).cast() }
    }

    pub fn cqe32(&self) -> bool {
        self.flags & setup::CQE32 != 0
    }
}

fn ptr_add<T>(base: &T, bytes: usize) -> *mut u8 {
    (base as *const T).cast::<u8>().cast_mut().wrapping_add(bytes)
}
