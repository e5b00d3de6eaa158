//! The kernel's io_uring constants, grouped by the field they belong to.
//! Values are the uapi's; names drop the common prefix of their group.
//!
//! This list is the one source of both sides: each group names the prefix
//! its constants carry in C (a constant whose C name differs says so after
//! `=>`), and `ALL` hands every name and value to the test that checks
//! include/liburing/io_uring.h against them (src/layout_tests.rs).

/// Defines each group as a module of constants plus, for the tests, its
/// table of C names and values, and `ALL`, the list of those tables.
macro_rules! uapi_consts {
    ($(
        $(#[$doc:meta])*
        pub mod $group:ident = $prefix:literal {
            $( $(#[$cdoc:meta])* pub const $name:ident: $ty:ty = $value:expr $(=> $c:ident)?; )*
        }
    )*) => {
        $(
            $(#[$doc])*
            // The whole uapi list stays, used by the library or not: the
            // header test checks every constant.
            #[cfg_attr(not(test), allow(dead_code))]
            pub mod $group {
                $( $(#[$cdoc])* pub const $name: $ty = $value; )*

                /// Each constant's C name and value.
                #[cfg(test)]
                pub const C: &[(&str, i128)] = &[$((uapi_consts!(@c $prefix $name $($c)?), $name as i128)),*];
            }
        )*

        /// Every group's table of C names and values.
        #[cfg(test)]
        pub const ALL: &[&[(&str, i128)]] = &[$($group::C),*];
    };
    (@c $prefix:literal $name:ident $c:ident) => { stringify!($c) };
    (@c $prefix:literal $name:ident) => { concat!($prefix, stringify!($name)) };
}

uapi_consts! {
    /// `io_uring_params.flags`: IORING_SETUP_*.
    pub mod setup = "IORING_SETUP_" {
        pub const IOPOLL: u32 = 1 << 0;
        pub const SQPOLL: u32 = 1 << 1;
        pub const SQ_AFF: u32 = 1 << 2;
        pub const CQSIZE: u32 = 1 << 3;
        pub const CLAMP: u32 = 1 << 4;
        pub const ATTACH_WQ: u32 = 1 << 5;
        pub const R_DISABLED: u32 = 1 << 6;
        pub const SUBMIT_ALL: u32 = 1 << 7;
        pub const COOP_TASKRUN: u32 = 1 << 8;
        pub const TASKRUN_FLAG: u32 = 1 << 9;
        pub const SQE128: u32 = 1 << 10;
        pub const CQE32: u32 = 1 << 11;
        pub const SINGLE_ISSUER: u32 = 1 << 12;
        pub const DEFER_TASKRUN: u32 = 1 << 13;
        pub const NO_MMAP: u32 = 1 << 14;
        pub const REGISTERED_FD_ONLY: u32 = 1 << 15;
        pub const NO_SQARRAY: u32 = 1 << 16;
        pub const HYBRID_IOPOLL: u32 = 1 << 17;
        pub const CQE_MIXED: u32 = 1 << 18;
        pub const SQE_MIXED: u32 = 1 << 19;
        pub const SQ_REWIND: u32 = 1 << 20;
    }

    /// io_uring_enter(2) flags: IORING_ENTER_*.
    pub mod enter = "IORING_ENTER_" {
        pub const GETEVENTS: u32 = 1 << 0;
        pub const SQ_WAKEUP: u32 = 1 << 1;
        pub const SQ_WAIT: u32 = 1 << 2;
        pub const EXT_ARG: u32 = 1 << 3;
        pub const REGISTERED_RING: u32 = 1 << 4;
        pub const ABS_TIMER: u32 = 1 << 5;
        pub const EXT_ARG_REG: u32 = 1 << 6;
        pub const NO_IOWAIT: u32 = 1 << 7;
    }

    /// `io_uring_params.features`: IORING_FEAT_*.
    pub mod feat = "IORING_FEAT_" {
        pub const SINGLE_MMAP: u32 = 1 << 0;
        pub const NODROP: u32 = 1 << 1;
        pub const SUBMIT_STABLE: u32 = 1 << 2;
        pub const RW_CUR_POS: u32 = 1 << 3;
        pub const CUR_PERSONALITY: u32 = 1 << 4;
        pub const FAST_POLL: u32 = 1 << 5;
        pub const POLL_32BITS: u32 = 1 << 6;
        pub const SQPOLL_NONFIXED: u32 = 1 << 7;
        pub const EXT_ARG: u32 = 1 << 8;
        pub const NATIVE_WORKERS: u32 = 1 << 9;
        pub const RSRC_TAGS: u32 = 1 << 10;
        pub const CQE_SKIP: u32 = 1 << 11;
        pub const LINKED_FILE: u32 = 1 << 12;
        pub const REG_REG_RING: u32 = 1 << 13;
        pub const RECVSEND_BUNDLE: u32 = 1 << 14;
        pub const MIN_TIMEOUT: u32 = 1 << 15;
        pub const RW_ATTR: u32 = 1 << 16;
        pub const NO_IOWAIT: u32 = 1 << 17;
    }

    /// The SQ ring's `flags` word: IORING_SQ_*.
    pub mod sq_flags = "IORING_SQ_" {
        pub const NEED_WAKEUP: u32 = 1 << 0;
        pub const CQ_OVERFLOW: u32 = 1 << 1;
        pub const TASKRUN: u32 = 1 << 2;
    }

    /// The CQ ring's `flags` word: IORING_CQ_*.
    pub mod cq_flags = "IORING_CQ_" {
        pub const EVENTFD_DISABLED: u32 = 1 << 0;
    }

    /// `io_uring_sqe.flags`: IOSQE_*.
    pub mod sqe_flags = "IOSQE_" {
        pub const FIXED_FILE: u8 = 1 << 0;
        pub const IO_DRAIN: u8 = 1 << 1;
        pub const IO_LINK: u8 = 1 << 2;
        pub const IO_HARDLINK: u8 = 1 << 3;
        pub const ASYNC: u8 = 1 << 4;
        pub const BUFFER_SELECT: u8 = 1 << 5;
        pub const CQE_SKIP_SUCCESS: u8 = 1 << 6;
    }

    /// `io_uring_cqe.flags`: IORING_CQE_F_*.
    pub mod cqe_flags = "IORING_CQE_F_" {
        pub const BUFFER: u32 = 1 << 0;
        pub const MORE: u32 = 1 << 1;
        pub const SOCK_NONEMPTY: u32 = 1 << 2;
        pub const NOTIF: u32 = 1 << 3;
        pub const BUF_MORE: u32 = 1 << 4;
        pub const SKIP: u32 = 1 << 5;
        pub const F_32: u32 = 1 << 15 => IORING_CQE_F_32;
        pub const BUFFER_SHIFT: u32 = 16 => IORING_CQE_BUFFER_SHIFT;
    }

    /// mmap(2) offsets of the ring regions: IORING_OFF_*.
    pub mod off = "IORING_OFF_" {
        pub const SQ_RING: i64 = 0;
        pub const CQ_RING: i64 = 0x800_0000;
        pub const SQES: i64 = 0x1000_0000;
        pub const PBUF_RING: u64 = 0x8000_0000;
        pub const PBUF_SHIFT: u32 = 16;
    }

    /// io_uring_register(2) opcodes: IORING_REGISTER_* / IORING_UNREGISTER_*.
    pub mod reg = "IORING_" {
        pub const REGISTER_BUFFERS: u32 = 0;
        pub const UNREGISTER_BUFFERS: u32 = 1;
        pub const REGISTER_FILES: u32 = 2;
        pub const UNREGISTER_FILES: u32 = 3;
        pub const REGISTER_EVENTFD: u32 = 4;
        pub const UNREGISTER_EVENTFD: u32 = 5;
        pub const REGISTER_FILES_UPDATE: u32 = 6;
        pub const REGISTER_EVENTFD_ASYNC: u32 = 7;
        pub const REGISTER_PROBE: u32 = 8;
        pub const REGISTER_PERSONALITY: u32 = 9;
        pub const UNREGISTER_PERSONALITY: u32 = 10;
        pub const REGISTER_RESTRICTIONS: u32 = 11;
        pub const REGISTER_ENABLE_RINGS: u32 = 12;
        pub const REGISTER_FILES2: u32 = 13;
        pub const REGISTER_FILES_UPDATE2: u32 = 14;
        pub const REGISTER_BUFFERS2: u32 = 15;
        pub const REGISTER_BUFFERS_UPDATE: u32 = 16;
        pub const REGISTER_IOWQ_AFF: u32 = 17;
        pub const UNREGISTER_IOWQ_AFF: u32 = 18;
        pub const REGISTER_IOWQ_MAX_WORKERS: u32 = 19;
        pub const REGISTER_RING_FDS: u32 = 20;
        pub const UNREGISTER_RING_FDS: u32 = 21;
        pub const REGISTER_PBUF_RING: u32 = 22;
        pub const UNREGISTER_PBUF_RING: u32 = 23;
        pub const REGISTER_SYNC_CANCEL: u32 = 24;
        pub const REGISTER_FILE_ALLOC_RANGE: u32 = 25;
        pub const REGISTER_PBUF_STATUS: u32 = 26;
        pub const REGISTER_NAPI: u32 = 27;
        pub const UNREGISTER_NAPI: u32 = 28;
        pub const REGISTER_CLOCK: u32 = 29;
        pub const REGISTER_CLONE_BUFFERS: u32 = 30;
        pub const REGISTER_SEND_MSG_RING: u32 = 31;
        pub const REGISTER_ZCRX_IFQ: u32 = 32;
        pub const REGISTER_RESIZE_RINGS: u32 = 33;
        pub const REGISTER_MEM_REGION: u32 = 34;
        pub const REGISTER_QUERY: u32 = 35;
        pub const REGISTER_ZCRX_CTRL: u32 = 36;
        pub const REGISTER_BPF_FILTER: u32 = 37;
        /// OR'd into the opcode: the fd argument is a registered ring index.
        pub const USE_REGISTERED_RING: u32 = 1 << 31 => IORING_REGISTER_USE_REGISTERED_RING;
    }

    /// Registered resource tables (files, buffers) and their cloning.
    pub mod rsrc = "IORING_" {
        /// `io_uring_rsrc_register.flags`: start with an all-empty table.
        pub const REGISTER_SPARSE: u32 = 1 << 0 => IORING_RSRC_REGISTER_SPARSE;
        /// `io_uring_clone_buffers.flags`: `src_fd` is a registered ring index.
        pub const SRC_REGISTERED: u32 = 1 << 0 => IORING_REGISTER_SRC_REGISTERED;
        /// `io_uring_clone_buffers.flags`: replace buffers already in the target.
        pub const DST_REPLACE: u32 = 1 << 1 => IORING_REGISTER_DST_REPLACE;
    }

    /// `io_uring_buf_reg.flags`: IOU_PBUF_RING_*.
    pub mod pbuf = "IOU_PBUF_RING_" {
        /// The kernel allocates the ring; the application maps it.
        pub const MMAP: u16 = 1;
        /// Buffers are consumed incrementally, a completion at a time.
        pub const INC: u16 = 2;
    }

    /// Op-specific flag words of the SQE, by op family.
    pub mod opflags = "IORING_" {
        pub const FSYNC_DATASYNC: u32 = 1 << 0;

        pub const TIMEOUT_ABS: u32 = 1 << 0;
        pub const TIMEOUT_UPDATE: u32 = 1 << 1;
        pub const TIMEOUT_BOOTTIME: u32 = 1 << 2;
        pub const TIMEOUT_REALTIME: u32 = 1 << 3;
        pub const LINK_TIMEOUT_UPDATE: u32 = 1 << 4;
        pub const TIMEOUT_ETIME_SUCCESS: u32 = 1 << 5;
        pub const TIMEOUT_MULTISHOT: u32 = 1 << 6;
        pub const TIMEOUT_IMMEDIATE_ARG: u32 = 1 << 7;

        pub const SPLICE_F_FD_IN_FIXED: u32 = 1 << 31 => SPLICE_F_FD_IN_FIXED;

        pub const POLL_ADD_MULTI: u32 = 1 << 0;
        pub const POLL_UPDATE_EVENTS: u32 = 1 << 1;
        pub const POLL_UPDATE_USER_DATA: u32 = 1 << 2;
        pub const POLL_ADD_LEVEL: u32 = 1 << 3;

        pub const ASYNC_CANCEL_ALL: u32 = 1 << 0;
        pub const ASYNC_CANCEL_FD: u32 = 1 << 1;
        pub const ASYNC_CANCEL_ANY: u32 = 1 << 2;
        pub const ASYNC_CANCEL_FD_FIXED: u32 = 1 << 3;
        pub const ASYNC_CANCEL_USERDATA: u32 = 1 << 4;
        pub const ASYNC_CANCEL_OP: u32 = 1 << 5;

        pub const RECVSEND_POLL_FIRST: u16 = 1 << 0;
        pub const RECV_MULTISHOT: u16 = 1 << 1;
        pub const RECVSEND_FIXED_BUF: u16 = 1 << 2;
        pub const SEND_ZC_REPORT_USAGE: u16 = 1 << 3;
        pub const RECVSEND_BUNDLE: u16 = 1 << 4;
        pub const SEND_VECTORIZED: u16 = 1 << 5;

        pub const ACCEPT_MULTISHOT: u16 = 1 << 0;
        pub const ACCEPT_DONTWAIT: u16 = 1 << 1;
        pub const ACCEPT_POLL_FIRST: u16 = 1 << 2;

        pub const MSG_DATA: u64 = 0;
        pub const MSG_SEND_FD: u64 = 1;
        pub const MSG_RING_CQE_SKIP: u32 = 1 << 0;
        pub const MSG_RING_FLAGS_PASS: u32 = 1 << 1;

        pub const FIXED_FD_NO_CLOEXEC: u32 = 1 << 0;

        pub const NOP_INJECT_RESULT: u32 = 1 << 0;
        pub const NOP_CQE32: u32 = 1 << 5;

        pub const URING_CMD_FIXED: u32 = 1 << 0;

        /// `file_index` value asking the kernel to pick a free direct slot.
        pub const FILE_INDEX_ALLOC: u32 = !0;
    }

    /// Opcodes (`enum io_uring_op`).
    pub mod op = "IORING_OP_" {
        pub const NOP: u8 = 0;
        pub const READV: u8 = 1;
        pub const WRITEV: u8 = 2;
        pub const FSYNC: u8 = 3;
        pub const READ_FIXED: u8 = 4;
        pub const WRITE_FIXED: u8 = 5;
        pub const POLL_ADD: u8 = 6;
        pub const POLL_REMOVE: u8 = 7;
        pub const SYNC_FILE_RANGE: u8 = 8;
        pub const SENDMSG: u8 = 9;
        pub const RECVMSG: u8 = 10;
        pub const TIMEOUT: u8 = 11;
        pub const TIMEOUT_REMOVE: u8 = 12;
        pub const ACCEPT: u8 = 13;
        pub const ASYNC_CANCEL: u8 = 14;
        pub const LINK_TIMEOUT: u8 = 15;
        pub const CONNECT: u8 = 16;
        pub const FALLOCATE: u8 = 17;
        pub const OPENAT: u8 = 18;
        pub const CLOSE: u8 = 19;
        pub const FILES_UPDATE: u8 = 20;
        pub const STATX: u8 = 21;
        pub const READ: u8 = 22;
        pub const WRITE: u8 = 23;
        pub const FADVISE: u8 = 24;
        pub const MADVISE: u8 = 25;
        pub const SEND: u8 = 26;
        pub const RECV: u8 = 27;
        pub const OPENAT2: u8 = 28;
        pub const EPOLL_CTL: u8 = 29;
        pub const SPLICE: u8 = 30;
        pub const PROVIDE_BUFFERS: u8 = 31;
        pub const REMOVE_BUFFERS: u8 = 32;
        pub const TEE: u8 = 33;
        pub const SHUTDOWN: u8 = 34;
        pub const RENAMEAT: u8 = 35;
        pub const UNLINKAT: u8 = 36;
        pub const MKDIRAT: u8 = 37;
        pub const SYMLINKAT: u8 = 38;
        pub const LINKAT: u8 = 39;
        pub const MSG_RING: u8 = 40;
        pub const FSETXATTR: u8 = 41;
        pub const SETXATTR: u8 = 42;
        pub const FGETXATTR: u8 = 43;
        pub const GETXATTR: u8 = 44;
        pub const SOCKET: u8 = 45;
        pub const URING_CMD: u8 = 46;
        pub const SEND_ZC: u8 = 47;
        pub const SENDMSG_ZC: u8 = 48;
        pub const READ_MULTISHOT: u8 = 49;
        pub const WAITID: u8 = 50;
        pub const FUTEX_WAIT: u8 = 51;
        pub const FUTEX_WAKE: u8 = 52;
        pub const FUTEX_WAITV: u8 = 53;
        pub const FIXED_FD_INSTALL: u8 = 54;
        pub const FTRUNCATE: u8 = 55;
        pub const BIND: u8 = 56;
        pub const LISTEN: u8 = 57;
        pub const RECV_ZC: u8 = 58;
        pub const EPOLL_WAIT: u8 = 59;
        pub const READV_FIXED: u8 = 60;
        pub const WRITEV_FIXED: u8 = 61;
        pub const PIPE: u8 = 62;
        pub const NOP128: u8 = 63;
        pub const URING_CMD128: u8 = 64;
        pub const LAST: u8 = 65;
    }

    /// `cmd_op` values of IORING_OP_URING_CMD understood by sockets and block
    /// devices.
    pub mod cmd_op = "" {
        pub const SOCKET_SIOCINQ: u32 = 0 => SOCKET_URING_OP_SIOCINQ;
        pub const SOCKET_SIOCOUTQ: u32 = 1 => SOCKET_URING_OP_SIOCOUTQ;
        pub const SOCKET_GETSOCKOPT: u32 = 2 => SOCKET_URING_OP_GETSOCKOPT;
        pub const SOCKET_SETSOCKOPT: u32 = 3 => SOCKET_URING_OP_SETSOCKOPT;
        pub const SOCKET_GETSOCKNAME: u32 = 5 => SOCKET_URING_OP_GETSOCKNAME;
        /// `_IO(0x12, 0)`.
        pub const BLOCK_DISCARD: u32 = super::ioctl_none(0x12, 0) => BLOCK_URING_CMD_DISCARD;
        /// `_IO(0x12, 1)`.
        pub const BLOCK_ZONE_RESET_ALL: u32 = super::ioctl_none(0x12, 1) => BLOCK_URING_CMD_ZONE_RESET_ALL;
    }
}

/// The kernel's `_IO(type, nr)`: an ioctl number with no argument. A few
/// architectures give "no direction" its own bit.
const fn ioctl_none(ty: u32, nr: u32) -> u32 {
    const NONE: u32 = if cfg!(any(
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "mips",
        target_arch = "mips64",
        target_arch = "sparc",
        target_arch = "sparc64"
    )) {
        1 << 29
    } else {
        0
    };
    NONE | (ty << 8) | nr
}
