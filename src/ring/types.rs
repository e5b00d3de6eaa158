//! liburing's own ring structures, byte for byte as upstream's header lays
//! them out (216 bytes for `io_uring`). cbindgen emits these into the header.
#![allow(non_camel_case_types)]

use crate::sys::{io_uring_cqe, io_uring_sqe};
use core::ffi::{c_int, c_uint, c_void};
use core::ptr;

/// The submission side of a ring: pointers into the kernel's SQ mapping plus
/// the library's private head and tail.
#[repr(C)]
pub struct io_uring_sq {
    pub khead: *mut c_uint,
    pub ktail: *mut c_uint,
    /// Deprecated: read `ring_mask` instead.
    pub kring_mask: *mut c_uint,
    /// Deprecated: read `ring_entries` instead.
    pub kring_entries: *mut c_uint,
    pub kflags: *mut c_uint,
    pub kdropped: *mut c_uint,
    pub array: *mut c_uint,
    pub sqes: *mut io_uring_sqe,
    pub sqe_head: c_uint,
    pub sqe_tail: c_uint,
    pub ring_sz: usize,
    pub ring_ptr: *mut c_void,
    pub ring_mask: c_uint,
    pub ring_entries: c_uint,
    pub sqes_sz: c_uint,
    pub pad: c_uint,
}

/// The completion side of a ring: pointers into the kernel's CQ mapping.
#[repr(C)]
pub struct io_uring_cq {
    pub khead: *mut c_uint,
    pub ktail: *mut c_uint,
    /// Deprecated: read `ring_mask` instead.
    pub kring_mask: *mut c_uint,
    /// Deprecated: read `ring_entries` instead.
    pub kring_entries: *mut c_uint,
    pub kflags: *mut c_uint,
    pub koverflow: *mut c_uint,
    pub cqes: *mut io_uring_cqe,
    pub ring_sz: usize,
    pub ring_ptr: *mut c_void,
    pub ring_mask: c_uint,
    pub ring_entries: c_uint,
    pub pad: [c_uint; 2],
}

/// An io_uring instance: both queues, the setup flags and features, and the
/// fds used to reach it.
#[repr(C)]
pub struct io_uring {
    pub sq: io_uring_sq,
    pub cq: io_uring_cq,
    pub flags: c_uint,
    pub ring_fd: c_int,
    pub features: c_uint,
    pub enter_ring_fd: c_int,
    pub int_flags: u8,
    pub pad: [u8; 3],
    pub pad2: c_uint,
}

impl io_uring_sq {
    const EMPTY: io_uring_sq = io_uring_sq {
        khead: ptr::null_mut(),
        ktail: ptr::null_mut(),
        kring_mask: ptr::null_mut(),
        kring_entries: ptr::null_mut(),
        kflags: ptr::null_mut(),
        kdropped: ptr::null_mut(),
        array: ptr::null_mut(),
        sqes: ptr::null_mut(),
        sqe_head: 0,
        sqe_tail: 0,
        ring_sz: 0,
        ring_ptr: ptr::null_mut(),
        ring_mask: 0,
        ring_entries: 0,
        sqes_sz: 0,
        pad: 0,
    };
}

impl io_uring_cq {
    const EMPTY: io_uring_cq = io_uring_cq {
        khead: ptr::null_mut(),
        ktail: ptr::null_mut(),
        kring_mask: ptr::null_mut(),
        kring_entries: ptr::null_mut(),
        kflags: ptr::null_mut(),
        koverflow: ptr::null_mut(),
        cqes: ptr::null_mut(),
        ring_sz: 0,
        ring_ptr: ptr::null_mut(),
        ring_mask: 0,
        ring_entries: 0,
        pad: [0; 2],
    };
}

impl io_uring {
    /// A ring that is not set up: no mappings, no fd.
    pub(crate) const EMPTY: io_uring = io_uring {
        sq: io_uring_sq::EMPTY,
        cq: io_uring_cq::EMPTY,
        flags: 0,
        ring_fd: -1,
        features: 0,
        enter_ring_fd: -1,
        int_flags: 0,
        pad: [0; 3],
        pad2: 0,
    };

    /// True when the struct points at live rings. A zeroed struct, or one
    /// that io_uring_queue_exit has cleared, is not live. Setup fills the
    /// SQE and CQE pointers last-but-together with the ring words, and exit
    /// clears them all, so these two stand for the rest.
    #[inline(always)]
    pub fn is_live(&self) -> bool {
        !self.sq.sqes.is_null() && !self.cq.cqes.is_null()
    }
}

/// The C compiler's numbers for upstream's header, on 64-bit targets
/// (x86-64, arm64, s390x) and on 32-bit ones (i386), where pointers and
/// `size_t` take 4 bytes.
const fn by_width(lp64: usize, ilp32: usize) -> usize {
    if size_of::<usize>() == 8 { lp64 } else { ilp32 }
}

const _: () = {
    use core::mem::offset_of;
    assert!(size_of::<io_uring_sq>() == by_width(104, 64));
    assert!(size_of::<io_uring_cq>() == by_width(88, 52));
    assert!(size_of::<io_uring>() == by_width(216, 140));
    assert!(offset_of!(io_uring, sq) == by_width(0, 0));
    assert!(offset_of!(io_uring, cq) == by_width(104, 64));
    assert!(offset_of!(io_uring, flags) == by_width(192, 116));
    assert!(offset_of!(io_uring, ring_fd) == by_width(196, 120));
    assert!(offset_of!(io_uring, features) == by_width(200, 124));
    assert!(offset_of!(io_uring, enter_ring_fd) == by_width(204, 128));
    assert!(offset_of!(io_uring, int_flags) == by_width(208, 132));
    assert!(offset_of!(io_uring_sq, sqe_head) == by_width(64, 32));
    assert!(offset_of!(io_uring_sq, sqe_tail) == by_width(68, 36));
    assert!(offset_of!(io_uring_sq, ring_sz) == by_width(72, 40));
    assert!(offset_of!(io_uring_sq, ring_ptr) == by_width(80, 44));
    assert!(offset_of!(io_uring_sq, ring_mask) == by_width(88, 48));
    assert!(offset_of!(io_uring_sq, ring_entries) == by_width(92, 52));
    assert!(offset_of!(io_uring_sq, sqes_sz) == by_width(96, 56));
    assert!(offset_of!(io_uring_sq, pad) == by_width(100, 60));
    assert!(offset_of!(io_uring_cq, ring_sz) == by_width(56, 28));
    assert!(offset_of!(io_uring_cq, ring_ptr) == by_width(64, 32));
    assert!(offset_of!(io_uring_cq, ring_mask) == by_width(72, 36));
    assert!(offset_of!(io_uring_cq, ring_entries) == by_width(76, 40));
    assert!(offset_of!(io_uring_cq, pad) == by_width(80, 44));
};

/// A snapshot of the ready CQEs, walked by io_uring_cqe_iter_next.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct io_uring_cqe_iter {
    pub cqes: *mut io_uring_cqe,
    pub mask: c_uint,
    pub shift: c_uint,
    pub head: c_uint,
    pub tail: c_uint,
}
