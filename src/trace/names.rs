//! Names for the numbers in SQEs and CQEs, as a reader of a trace wants
//! them: opcodes, flag bits, errno values.

use crate::sys::{cqe_flags, op, opflags, sqe_flags};
use core::fmt::{self, Write};

/// Opcode names, indexed by opcode, as the kernel's IORING_OP_* without
/// the prefix, in lower case.
const OPS: [&str; op::LAST as usize] = [
    "nop",
    "readv",
    "writev",
    "fsync",
    "read_fixed",
    "write_fixed",
    "poll_add",
    "poll_remove",
    "sync_file_range",
    "sendmsg",
    "recvmsg",
    "timeout",
    "timeout_remove",
    "accept",
    "async_cancel",
    "link_timeout",
    "connect",
    "fallocate",
    "openat",
    "close",
    "files_update",
    "statx",
    "read",
    "write",
    "fadvise",
    "madvise",
    "send",
    "recv",
    "openat2",
    "epoll_ctl",
    "splice",
    "provide_buffers",
    "remove_buffers",
    "tee",
    "shutdown",
    "renameat",
    "unlinkat",
    "mkdirat",
    "symlinkat",
    "linkat",
    "msg_ring",
    "fsetxattr",
    "setxattr",
    "fgetxattr",
    "getxattr",
    "socket",
    "uring_cmd",
    "send_zc",
    "sendmsg_zc",
    "read_multishot",
    "waitid",
    "futex_wait",
    "futex_wake",
    "futex_waitv",
    "fixed_fd_install",
    "ftruncate",
    "bind",
    "listen",
    "recv_zc",
    "epoll_wait",
    "readv_fixed",
    "writev_fixed",
    "pipe",
    "nop128",
    "uring_cmd128",
];

/// Writes the opcode's name, or `op<N>` for one this library predates.
pub fn opcode(out: &mut impl Write, opcode: u8) -> fmt::Result {
    match OPS.get(opcode as usize) {
        Some(name) => out.write_str(name),
        None => write!(out, "op{opcode}"),
    }
}

const SQE_FLAGS: &[(u32, &str)] = &[
    (sqe_flags::FIXED_FILE as u32, "FIXED_FILE"),
    (sqe_flags::IO_DRAIN as u32, "IO_DRAIN"),
    (sqe_flags::IO_LINK as u32, "IO_LINK"),
    (sqe_flags::IO_HARDLINK as u32, "IO_HARDLINK"),
    (sqe_flags::ASYNC as u32, "ASYNC"),
    (sqe_flags::BUFFER_SELECT as u32, "BUFFER_SELECT"),
    (sqe_flags::CQE_SKIP_SUCCESS as u32, "CQE_SKIP_SUCCESS"),
];

const CQE_FLAGS: &[(u32, &str)] = &[
    (cqe_flags::BUFFER, "F_BUFFER"),
    (cqe_flags::MORE, "F_MORE"),
    (cqe_flags::SOCK_NONEMPTY, "F_SOCK_NONEMPTY"),
    (cqe_flags::NOTIF, "F_NOTIF"),
    (cqe_flags::BUF_MORE, "F_BUF_MORE"),
    (cqe_flags::SKIP, "F_SKIP"),
    (cqe_flags::F_32, "F_32"),
];

const RW_FLAGS: &[(u32, &str)] =
    &[(1, "RWF_HIPRI"), (2, "RWF_DSYNC"), (4, "RWF_SYNC"), (8, "RWF_NOWAIT"), (16, "RWF_APPEND")];

const TIMEOUT_FLAGS: &[(u32, &str)] = &[
    (opflags::TIMEOUT_ABS, "ABS"),
    (opflags::TIMEOUT_UPDATE, "UPDATE"),
    (opflags::TIMEOUT_BOOTTIME, "BOOTTIME"),
    (opflags::TIMEOUT_REALTIME, "REALTIME"),
    (opflags::LINK_TIMEOUT_UPDATE, "LINK_UPDATE"),
    (opflags::TIMEOUT_ETIME_SUCCESS, "ETIME_SUCCESS"),
    (opflags::TIMEOUT_MULTISHOT, "MULTISHOT"),
];

const FSYNC_FLAGS: &[(u32, &str)] = &[(opflags::FSYNC_DATASYNC, "DATASYNC")];

/// Flags of the recv/send family, kept in `ioprio`.
const RECVSEND_FLAGS: &[(u32, &str)] = &[
    (opflags::RECVSEND_POLL_FIRST as u32, "POLL_FIRST"),
    (opflags::RECV_MULTISHOT as u32, "MULTISHOT"),
    (opflags::RECVSEND_FIXED_BUF as u32, "FIXED_BUF"),
    (opflags::SEND_ZC_REPORT_USAGE as u32, "REPORT_USAGE"),
    (opflags::RECVSEND_BUNDLE as u32, "BUNDLE"),
];

/// Flags of accept, kept in `ioprio`.
const ACCEPT_FLAGS: &[(u32, &str)] = &[
    (opflags::ACCEPT_MULTISHOT as u32, "MULTISHOT"),
    (opflags::ACCEPT_DONTWAIT as u32, "DONTWAIT"),
    (opflags::ACCEPT_POLL_FIRST as u32, "POLL_FIRST"),
];

/// Writes `bits` as NAME|NAME, unknown bits in hex, or 0.
pub fn flags(out: &mut impl Write, bits: u32, table: &[(u32, &str)]) -> fmt::Result {
    if bits == 0 {
        return out.write_char('0');
    }
    let mut rest = bits;
    let mut sep = "";
    for &(bit, name) in table {
        if rest & bit != 0 {
            write!(out, "{sep}{name}")?;
            rest &= !bit;
            sep = "|";
        }
    }
    if rest != 0 {
        write!(out, "{sep}{rest:#x}")?;
    }
    Ok(())
}

pub fn sqe_flags(out: &mut impl Write, bits: u8) -> fmt::Result {
    flags(out, bits as u32, SQE_FLAGS)
}

pub fn cqe_flags(out: &mut impl Write, bits: u32) -> fmt::Result {
    // The buffer id lives in the upper half; it is printed on its own.
    flags(out, bits & 0xffff, CQE_FLAGS)
}

/// Bits and their names.
pub type FlagNames = &'static [(u32, &'static str)];

/// The op-specific flag word worth naming for `opcode`: which field, which
/// names. None when the op has no named flags.
pub fn op_flags(opcode: u8, op_flags: u32, ioprio: u16) -> Option<(&'static str, u32, FlagNames)> {
    match opcode {
        op::READ | op::WRITE | op::READV | op::WRITEV | op::READ_FIXED | op::WRITE_FIXED => {
            Some(("rw_flags", op_flags, RW_FLAGS))
        }
        op::TIMEOUT | op::TIMEOUT_REMOVE | op::LINK_TIMEOUT => Some(("timeout_flags", op_flags, TIMEOUT_FLAGS)),
        op::FSYNC => Some(("fsync_flags", op_flags, FSYNC_FLAGS)),
        op::SEND | op::RECV | op::SENDMSG | op::RECVMSG | op::SEND_ZC | op::SENDMSG_ZC => {
            Some(("ioprio", ioprio as u32, RECVSEND_FLAGS))
        }
        op::ACCEPT => Some(("ioprio", ioprio as u32, ACCEPT_FLAGS)),
        _ => None,
    }
}

/// Symbolic errno names, indexed by errno.
const ERRNO: [&str; 134] = [
    "0",
    "EPERM",
    "ENOENT",
    "ESRCH",
    "EINTR",
    "EIO",
    "ENXIO",
    "E2BIG",
    "ENOEXEC",
    "EBADF",
    "ECHILD",
    "EAGAIN",
    "ENOMEM",
    "EACCES",
    "EFAULT",
    "ENOTBLK",
    "EBUSY",
    "EEXIST",
    "EXDEV",
    "ENODEV",
    "ENOTDIR",
    "EISDIR",
    "EINVAL",
    "ENFILE",
    "EMFILE",
    "ENOTTY",
    "ETXTBSY",
    "EFBIG",
    "ENOSPC",
    "ESPIPE",
    "EROFS",
    "EMLINK",
    "EPIPE",
    "EDOM",
    "ERANGE",
    "EDEADLK",
    "ENAMETOOLONG",
    "ENOLCK",
    "ENOSYS",
    "ENOTEMPTY",
    "ELOOP",
    "E41",
    "ENOMSG",
    "EIDRM",
    "ECHRNG",
    "EL2NSYNC",
    "EL3HLT",
    "EL3RST",
    "ELNRNG",
    "EUNATCH",
    "ENOCSI",
    "EL2HLT",
    "EBADE",
    "EBADR",
    "EXFULL",
    "ENOANO",
    "EBADRQC",
    "EBADSLT",
    "E58",
    "EBFONT",
    "ENOSTR",
    "ENODATA",
    "ETIME",
    "ENOSR",
    "ENONET",
    "ENOPKG",
    "EREMOTE",
    "ENOLINK",
    "EADV",
    "ESRMNT",
    "ECOMM",
    "EPROTO",
    "EMULTIHOP",
    "EDOTDOT",
    "EBADMSG",
    "EOVERFLOW",
    "ENOTUNIQ",
    "EBADFD",
    "EREMCHG",
    "ELIBACC",
    "ELIBBAD",
    "ELIBSCN",
    "ELIBMAX",
    "ELIBEXEC",
    "EILSEQ",
    "ERESTART",
    "ESTRPIPE",
    "EUSERS",
    "ENOTSOCK",
    "EDESTADDRREQ",
    "EMSGSIZE",
    "EPROTOTYPE",
    "ENOPROTOOPT",
    "EPROTONOSUPPORT",
    "ESOCKTNOSUPPORT",
    "EOPNOTSUPP",
    "EPFNOSUPPORT",
    "EAFNOSUPPORT",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "ENETUNREACH",
    "ENETRESET",
    "ECONNABORTED",
    "ECONNRESET",
    "ENOBUFS",
    "EISCONN",
    "ENOTCONN",
    "ESHUTDOWN",
    "ETOOMANYREFS",
    "ETIMEDOUT",
    "ECONNREFUSED",
    "EHOSTDOWN",
    "EHOSTUNREACH",
    "EALREADY",
    "EINPROGRESS",
    "ESTALE",
    "EUCLEAN",
    "ENOTNAM",
    "ENAVAIL",
    "EISNAM",
    "EREMOTEIO",
    "EDQUOT",
    "ENOMEDIUM",
    "EMEDIUMTYPE",
    "ECANCELED",
    "ENOKEY",
    "EKEYEXPIRED",
    "EKEYREVOKED",
    "EKEYREJECTED",
    "EOWNERDEAD",
    "ENOTRECOVERABLE",
    "ERFKILL",
    "EHWPOISON",
];

/// The number of errno values with a name.
pub const ERRNO_COUNT: usize = ERRNO.len();

/// Writes errno `e` (positive) by name, or `E<n>` past the table.
pub fn errno(out: &mut impl Write, e: u32) -> fmt::Result {
    match ERRNO.get(e as usize) {
        Some(name) => out.write_str(name),
        None => write!(out, "E{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut String) -> fmt::Result) -> String {
        let mut s = String::new();
        f(&mut s).unwrap();
        s
    }

    #[test]
    fn names_match_the_kernel_numbering() {
        assert_eq!(text(|s| opcode(s, op::READ)), "read");
        assert_eq!(text(|s| opcode(s, op::URING_CMD128)), "uring_cmd128");
        assert_eq!(text(|s| opcode(s, 200)), "op200");
        assert_eq!(text(|s| errno(s, libc::ETIME as u32)), "ETIME");
        assert_eq!(text(|s| errno(s, libc::ECANCELED as u32)), "ECANCELED");
        assert_eq!(text(|s| errno(s, libc::EHWPOISON as u32)), "EHWPOISON");
        assert_eq!(text(|s| errno(s, libc::EAGAIN as u32)), "EAGAIN");
    }

    #[test]
    fn flag_words() {
        assert_eq!(text(|s| sqe_flags(s, 0)), "0");
        assert_eq!(text(|s| sqe_flags(s, sqe_flags::IO_LINK | sqe_flags::ASYNC)), "IO_LINK|ASYNC");
        assert_eq!(text(|s| cqe_flags(s, cqe_flags::MORE | 0x100)), "F_MORE|0x100");
    }
}
