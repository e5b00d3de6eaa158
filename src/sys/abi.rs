//! `repr(C)` mirrors of the kernel's io_uring structures. The C side of these
//! lives in include/liburing/io_uring.h (with its anonymous unions); the
//! layout test in src/layout_tests.rs ties the two together field by field.
//!
//! Unions are flattened to the member liburing's code names first; the other
//! names of a union member are documented beside it.
#![allow(non_camel_case_types)]

/// A submission queue entry (64 bytes; 128 on SQE128 rings, the second half
/// being `cmd` payload).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_sqe {
    pub opcode: u8,
    pub flags: u8,
    pub ioprio: u16,
    pub fd: i32,
    /// Also `addr2`, or `cmd_op` + `__pad1`.
    pub off: u64,
    /// Also `splice_off_in`, or `level` + `optname`.
    pub addr: u64,
    pub len: u32,
    /// The op-specific flags word: `rw_flags`, `fsync_flags`, `msg_flags`, ...
    pub op_flags: u32,
    pub user_data: u64,
    /// Also `buf_group`.
    pub buf_index: u16,
    pub personality: u16,
    /// Also `splice_fd_in`, `optlen`, or `addr_len` + `__pad3`.
    pub file_index: u32,
    /// Also `optval`, or the start of `cmd`.
    pub addr3: u64,
    pub __pad2: [u64; 1],
}

/// A completion queue entry (16 bytes; 32 on CQE32 rings).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_cqe {
    pub user_data: u64,
    pub res: i32,
    pub flags: u32,
}

/// Offsets of the SQ ring's fields within its mapping.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_sqring_offsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub flags: u32,
    pub dropped: u32,
    pub array: u32,
    pub resv1: u32,
    pub user_addr: u64,
}

/// Offsets of the CQ ring's fields within its mapping.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_cqring_offsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub overflow: u32,
    pub cqes: u32,
    pub flags: u32,
    pub resv1: u32,
    pub user_addr: u64,
}

/// The in/out argument of io_uring_setup(2).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_params {
    pub sq_entries: u32,
    pub cq_entries: u32,
    pub flags: u32,
    pub sq_thread_cpu: u32,
    pub sq_thread_idle: u32,
    pub features: u32,
    pub wq_fd: u32,
    pub resv: [u32; 3],
    pub sq_off: io_sqring_offsets,
    pub cq_off: io_cqring_offsets,
}

/// One opcode's entry in a probe.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_probe_op {
    pub op: u8,
    pub resv: u8,
    pub flags: u16,
    pub resv2: u32,
}

/// The header of IORING_REGISTER_PROBE's result; `ops` follow it.
#[repr(C)]
#[derive(Debug, Default)]
pub struct io_uring_probe {
    pub last_op: u8,
    pub ops_len: u8,
    pub resv: u16,
    pub resv2: [u32; 3],
    pub ops: [io_uring_probe_op; 0],
}

/// The extended argument of io_uring_enter(2) with IORING_ENTER_EXT_ARG.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_getevents_arg {
    pub sigmask: u64,
    pub sigmask_sz: u32,
    pub min_wait_usec: u32,
    pub ts: u64,
}

/// The kernel's 64-bit timespec.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct __kernel_timespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}

/// Argument of the resource update/register calls (files, ring fds).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_rsrc_update {
    pub offset: u32,
    pub resv: u32,
    pub data: u64,
}

/// A registered wait descriptor (IORING_REGISTER_MEM_REGION wait regions).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_reg_wait {
    pub ts: __kernel_timespec,
    pub min_wait_usec: u32,
    pub flags: u32,
    pub sigmask: u64,
    pub sigmask_sz: u32,
    pub pad: [u32; 3],
    pub pad2: [u64; 2],
}

/// IORING_REGISTER_FILES2 / BUFFERS2: a whole table at once, optionally
/// sparse (`flags`) and tagged.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_rsrc_register {
    pub nr: u32,
    pub flags: u32,
    pub resv2: u64,
    pub data: u64,
    pub tags: u64,
}

/// IORING_REGISTER_FILES_UPDATE2 / BUFFERS_UPDATE: `nr` slots from `offset`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_rsrc_update2 {
    pub offset: u32,
    pub resv: u32,
    pub data: u64,
    pub tags: u64,
    pub nr: u32,
    pub resv2: u32,
}

/// One rule of IORING_REGISTER_RESTRICTIONS.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_restriction {
    pub opcode: u16,
    /// Also `sqe_op` or `sqe_flags`, as `opcode` says.
    pub register_op: u8,
    pub resv: u8,
    pub resv2: [u32; 3],
}

/// Argument of IORING_REGISTER_CLOCK.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_clock_register {
    pub clockid: u32,
    pub __resv: [u32; 3],
}

/// Argument of IORING_REGISTER_CLONE_BUFFERS.
///
/// cbindgen:ignore (the C header defines it, and the name is also a
/// function's, which an `[export] exclude` entry would hide too)
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_clone_buffers {
    pub src_fd: u32,
    pub flags: u32,
    pub src_off: u32,
    pub dst_off: u32,
    pub nr: u32,
    pub pad: [u32; 3],
}

/// One entry of a provided-buffer ring.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_buf {
    pub addr: u64,
    pub len: u32,
    pub bid: u16,
    pub resv: u16,
}

/// The head of a provided-buffer ring. In C it is a union: the entries
/// (`bufs`, an array of [`io_uring_buf`]) start at offset 0, and `tail`
/// overlays the first entry's `resv`. Reach the entries by casting the
/// ring's address to `*mut io_uring_buf`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_buf_ring {
    pub resv1: u64,
    pub resv2: u32,
    pub resv3: u16,
    pub tail: u16,
}

/// Argument of IORING_REGISTER_PBUF_RING / UNREGISTER_PBUF_RING.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_buf_reg {
    pub ring_addr: u64,
    pub ring_entries: u32,
    pub bgid: u16,
    pub flags: u16,
    pub min_left: u32,
    pub resv: [u32; 5],
}

/// Argument of IORING_REGISTER_PBUF_STATUS.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_buf_status {
    pub buf_group: u32,
    pub head: u32,
    pub resv: [u32; 8],
}

/// Argument of IORING_REGISTER_NAPI / UNREGISTER_NAPI.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_napi {
    pub busy_poll_to: u32,
    pub prefer_busy_poll: u8,
    pub pad: [u8; 3],
    pub resv: u64,
}

/// Argument of IORING_REGISTER_SYNC_CANCEL.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_sync_cancel_reg {
    pub addr: u64,
    pub fd: i32,
    pub flags: u32,
    pub timeout: __kernel_timespec,
    pub opcode: u8,
    pub pad: [u8; 7],
    pub pad2: [u64; 3],
}

/// Argument of IORING_REGISTER_FILE_ALLOC_RANGE: slots [off, off + len).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_file_index_range {
    pub off: u32,
    pub len: u32,
    pub resv: u64,
}

/// A memory region shared with the kernel.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_region_desc {
    pub user_addr: u64,
    pub size: u64,
    pub flags: u32,
    pub id: u32,
    pub mmap_offset: u64,
    pub __resv: [u64; 4],
}

/// Argument of IORING_REGISTER_MEM_REGION.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_mem_region_reg {
    pub region_uptr: u64,
    pub flags: u64,
    pub __resv: [u64; 2],
}

/// Offsets of a zero-copy receive refill queue within its region.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_zcrx_offsets {
    pub head: u32,
    pub tail: u32,
    pub rqes: u32,
    pub __resv2: u32,
    pub __resv: [u64; 2],
}

/// Argument of IORING_REGISTER_ZCRX_IFQ.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_zcrx_ifq_reg {
    pub if_idx: u32,
    pub if_rxq: u32,
    pub rq_entries: u32,
    pub flags: u32,
    pub area_ptr: u64,
    pub region_ptr: u64,
    pub offsets: io_uring_zcrx_offsets,
    pub zcrx_id: u32,
    pub rx_buf_len: u32,
    pub __resv: [u64; 3],
}

/// ZCRX_CTRL_EXPORT's payload.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct zcrx_ctrl_export {
    pub zcrx_fd: u32,
    pub __resv1: [u32; 11],
}

/// Argument of IORING_REGISTER_ZCRX_CTRL.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct zcrx_ctrl {
    pub zcrx_id: u32,
    pub op: u32,
    pub __resv: [u64; 2],
    /// Also `zc_flush`, as `op` says.
    pub zc_export: zcrx_ctrl_export,
}

/// One BPF request filter.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_bpf_filter {
    pub opcode: u32,
    pub flags: u32,
    pub filter_len: u32,
    pub pdu_size: u8,
    pub resv: [u8; 3],
    pub filter_ptr: u64,
    pub resv2: [u64; 5],
}

/// Argument of IORING_REGISTER_BPF_FILTER.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_bpf {
    pub cmd_type: u16,
    pub cmd_flags: u16,
    pub resv: u32,
    pub filter: io_uring_bpf_filter,
}

/// One link of an IORING_REGISTER_QUERY chain.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_query_hdr {
    pub next_entry: u64,
    pub query_data: u64,
    pub query_op: u32,
    pub size: u32,
    pub result: i32,
    pub __resv: [u32; 3],
}

/// The header multishot recvmsg writes at the start of each buffer; the
/// name, control data and payload follow it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct io_uring_recvmsg_out {
    pub namelen: u32,
    pub controllen: u32,
    pub payloadlen: u32,
    pub flags: u32,
}

/// openat2(2)'s argument (`<linux/openat2.h>`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct open_how {
    pub flags: u64,
    pub mode: u64,
    pub resolve: u64,
}

/// One futex of a FUTEX_WAITV (`<linux/futex.h>`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct futex_waitv {
    pub val: u64,
    pub uaddr: u64,
    pub flags: u32,
    pub __reserved: u32,
}

const _: () = {
    assert!(size_of::<io_uring_sqe>() == 64);
    assert!(size_of::<io_uring_cqe>() == 16);
    assert!(size_of::<io_uring_params>() == 120);
    assert!(size_of::<io_uring_probe>() == 16);
    assert!(size_of::<io_uring_probe_op>() == 8);
    assert!(size_of::<io_uring_getevents_arg>() == 24);
    assert!(size_of::<io_uring_reg_wait>() == 64);
    assert!(size_of::<io_uring_rsrc_register>() == 32);
    assert!(size_of::<io_uring_rsrc_update2>() == 32);
    assert!(size_of::<io_uring_restriction>() == 16);
    assert!(size_of::<io_uring_clone_buffers>() == 32);
    assert!(size_of::<io_uring_buf>() == 16);
    assert!(size_of::<io_uring_buf_ring>() == 16);
    assert!(size_of::<io_uring_buf_reg>() == 40);
    assert!(size_of::<io_uring_buf_status>() == 40);
    assert!(size_of::<io_uring_napi>() == 16);
    assert!(size_of::<io_uring_sync_cancel_reg>() == 64);
    assert!(size_of::<io_uring_region_desc>() == 64);
    assert!(size_of::<io_uring_mem_region_reg>() == 32);
    assert!(size_of::<io_uring_zcrx_ifq_reg>() == 96);
    assert!(size_of::<zcrx_ctrl>() == 72);
    assert!(size_of::<io_uring_bpf>() == 72);
    assert!(size_of::<io_uring_query_hdr>() == 40);
    assert!(core::mem::offset_of!(io_uring_buf_ring, tail) == core::mem::offset_of!(io_uring_buf, resv));
    assert!(size_of::<io_uring_recvmsg_out>() == 16);
    assert!(size_of::<open_how>() == 24);
    assert!(size_of::<futex_waitv>() == 24);
};

/// The kernel's fixed-width names, so the generated C declarations use the
/// same types as liburing's (`__u64` is `unsigned long long`, not
/// `uint64_t`, which matters for pointers to it).
pub type __u8 = u8;
pub type __u16 = u16;
pub type __u32 = u32;
pub type __u64 = u64;

/// `off_t` as liburing's own library has it: upstream builds with
/// `_FILE_OFFSET_BITS=64`, so its exported functions take a 64-bit `off_t`
/// on 32-bit targets too (libc's `off_t` is 32 bits there).
pub type off_t = i64;
