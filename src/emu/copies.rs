//! What an operation reads from the program's memory when the kernel
//! preps its SQE (a path operation's paths, an open_how, an xattr's name
//! and value; a CONNECT's or a send's socket address; a READV's or
//! WRITEV's iovecs; a SENDMSG's msghdr with its iovecs and address; a
//! RECVMSG's msghdr with its iovecs), copied into its request when it is
//! submitted: the program may reuse that memory once submit returns, while
//! the operation waits, runs later on a worker, or waits in a chain.

use super::req::Req;
use crate::sys::{self, io_uring_sqe, op};
use core::ptr;

/// The longest path the kernel takes (PATH_MAX, its NUL included), and the
/// largest xattr value (XATTR_SIZE_MAX), which also bounds the other
/// copies (a socket address, IOV_MAX iovecs).
const PATH_MAX: usize = 4096;
const XATTR_SIZE_MAX: usize = 65536;

/// An SQE field that holds a pointer.
#[derive(Clone, Copy)]
enum Field {
    Addr,
    Off,
    Addr3,
}

/// What a pointer field points at: a NUL-terminated string, `n` bytes,
/// or a msghdr, whose iovecs and (for a send) address come with it. Its
/// control data the kernel reads when it sends, as sendmsg(2) does; a
/// receive's address and control data are where it writes.
#[derive(Clone, Copy)]
enum Arg {
    Str(Field),
    Bytes(Field, usize),
    Msghdr(Field, Dir),
}

/// Which way a msghdr's data goes.
#[derive(Clone, Copy, PartialEq)]
enum Dir {
    Send,
    Recv,
}

/// The most iovecs a msghdr may have (UIO_MAXIOV), and the longest socket
/// address (a sockaddr_storage).
const IOV_MAX: usize = 1024;
const SOCKADDR_MAX: usize = 128;
/// Room to align a msghdr copy, which may follow another SQE's string.
const SLACK: usize = align_of::<libc::msghdr>() - 1;
const _: () = assert!(size_of::<libc::msghdr>().is_multiple_of(align_of::<libc::iovec>()));

fn value(sqe: &io_uring_sqe, f: Field) -> u64 {
    match f {
        Field::Addr => sqe.addr,
        Field::Off => sqe.off,
        Field::Addr3 => sqe.addr3,
    }
}

fn field(sqe: &mut io_uring_sqe, f: Field) -> &mut u64 {
    match f {
        Field::Addr => &mut sqe.addr,
        Field::Off => &mut sqe.off,
        Field::Addr3 => &mut sqe.addr3,
    }
}

/// What `sqe` passes by pointer for the kernel to copy at prep.
fn args(sqe: &io_uring_sqe) -> [Option<Arg>; 3] {
    use {Arg::*, Field::*};
    match sqe.opcode {
        op::OPENAT | op::STATX | op::UNLINKAT | op::MKDIRAT => [Some(Str(Addr)), None, None],
        op::OPENAT2 => [Some(Str(Addr)), Some(Bytes(Off, sqe.len as usize)), None],
        op::RENAMEAT | op::LINKAT | op::SYMLINKAT => [Some(Str(Addr)), Some(Str(Off)), None],
        op::GETXATTR => [Some(Str(Addr)), Some(Str(Addr3)), None],
        op::SETXATTR => [Some(Str(Addr)), Some(Str(Addr3)), Some(Bytes(Off, sqe.len as usize))],
        op::CONNECT => [Some(Bytes(Addr, sqe.off as usize)), None, None],
        // addr2, and addr_len in the low half of file_index.
        op::SEND | op::SEND_ZC => [Some(Bytes(Off, sqe.file_index as u16 as usize)), None, None],
        op::READV | op::WRITEV => [Some(Bytes(Addr, sqe.len as usize * size_of::<libc::iovec>())), None, None],
        op::SENDMSG | op::SENDMSG_ZC => [Some(Msghdr(Addr, Dir::Send)), None, None],
        op::RECVMSG => [Some(Msghdr(Addr, Dir::Recv)), None, None],
        _ => [None; 3],
    }
}

/// Reads `len` bytes of this process's memory at `addr` into `buf` through
/// the kernel, which answers EFAULT where a plain read would fault: false
/// when they are not all readable, or the kernel refuses the call.
pub fn read(addr: u64, buf: *mut u8, len: usize) -> bool {
    let local = libc::iovec { iov_base: buf.cast(), iov_len: len };
    let remote = libc::iovec { iov_base: addr as usize as *mut libc::c_void, iov_len: len };
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() } as usize;
    let args = [pid, &raw const local as usize, 1, &raw const remote as usize, 1, 0];
    // SAFETY: process_vm_readv writes at most `len` bytes into `buf` (the
    // caller's) and only reads the remote side, checking it.
    len == 0 || unsafe { sys::syscall::syscall(libc::SYS_process_vm_readv, args) } == len as isize
}

/// The length of the string at `addr` with its NUL, if it is readable and
/// ends within PATH_MAX; read a page at most at a time, so that a string
/// that ends before an unmapped page is found.
fn str_len(addr: u64) -> Option<usize> {
    let mut chunk = [0u8; 256];
    let mut n = 0;
    while n < PATH_MAX {
        let at = addr.wrapping_add(n as u64);
        let to_page = 4096 - (at % 4096) as usize;
        let want = chunk.len().min(to_page).min(PATH_MAX - n);
        if !read(at, chunk.as_mut_ptr(), want) {
            return None;
        }
        if let Some(end) = chunk[..want].iter().position(|&b| b == 0) {
            return Some(n + end + 1);
        }
        n += want;
    }
    None
}

/// The bytes an argument takes in the copy, if it is readable (a NULL
/// pointer, or no bytes, is kept as it is: 0).
fn size_of_arg(sqe: &io_uring_sqe, a: Arg) -> Option<usize> {
    match a {
        Arg::Str(f) if value(sqe, f) == 0 => Some(0),
        Arg::Str(f) => str_len(value(sqe, f)),
        Arg::Bytes(f, n) if value(sqe, f) == 0 || n == 0 => Some(0),
        Arg::Bytes(_, n) if n > XATTR_SIZE_MAX => None,
        Arg::Bytes(f, n) => readable(value(sqe, f), n).then_some(n),
        Arg::Msghdr(f, dir) => {
            let m = read_msghdr(value(sqe, f))?;
            let (iov, name) = msg_parts(&m, dir)?;
            let ok = readable(m.msg_iov as u64, iov) && (name == 0 || readable(m.msg_name as u64, name));
            ok.then_some(SLACK + size_of::<libc::msghdr>() + iov + name)
        }
    }
}

/// Whether the `n` bytes at `at` are readable: a byte in every page they
/// cover, and their last (memory is readable a page at a time).
fn readable(at: u64, n: usize) -> bool {
    let mut probe = 0u8;
    n == 0
        || (0..n).step_by(4096).all(|k| read(at.wrapping_add(k as u64), &raw mut probe, 1))
            && read(at.wrapping_add(n as u64 - 1), &raw mut probe, 1)
}

/// The msghdr at `addr`, if it is readable.
pub fn read_msghdr(addr: u64) -> Option<libc::msghdr> {
    // SAFETY: an all-zero msghdr is valid (null pointers, zero lengths).
    let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
    read(addr, (&raw mut m).cast(), size_of::<libc::msghdr>()).then_some(m)
}

/// The bytes of a msghdr's iovecs and of the address it sends to, if they
/// are within what the kernel takes (else its system call refuses them).
fn msg_parts(m: &libc::msghdr, dir: Dir) -> Option<(usize, usize)> {
    let iovs = m.msg_iovlen;
    let name = if m.msg_name.is_null() || dir == Dir::Recv { 0 } else { m.msg_namelen as usize };
    (iovs <= IOV_MAX && name <= SOCKADDR_MAX).then_some((iovs * size_of::<libc::iovec>(), name))
}

/// Takes an SQE from the SQ: a RECVMSG's addr3, which the kernel never
/// reads, is cleared, as the engine keeps the program's msghdr there once
/// its copy takes `addr` (see [`program_msghdr`]).
pub fn taken(mut sqe: io_uring_sqe) -> io_uring_sqe {
    if sqe.opcode == op::RECVMSG {
        sqe.addr3 = 0;
    }
    sqe
}

/// A RECVMSG's own msghdr in the program, where the lengths and flags a
/// receive returns are written back, as the kernel writes them: `addr`
/// unless the request runs from a copy.
pub fn program_msghdr(sqe: &io_uring_sqe) -> u64 {
    if sqe.addr3 != 0 { sqe.addr3 } else { sqe.addr }
}

/// Whether the memory `sqe` passes by pointer can be copied: all readable,
/// each string ending within PATH_MAX and a value within XATTR_SIZE_MAX.
/// Otherwise the operation runs at once, and its system call answers
/// -EFAULT, -ENAMETOOLONG or -E2BIG as the kernel's prep would.
pub fn copyable(sqe: &io_uring_sqe) -> bool {
    args(sqe).into_iter().flatten().all(|a| size_of_arg(sqe, a).is_some())
}

/// The bytes of each argument [`copy`] would copy (0: none, or not
/// copyable, when the operation reads the program's memory as it runs).
pub fn sizes(sqe: &io_uring_sqe) -> [usize; 3] {
    let list = args(sqe);
    let sizes = list.map(|a| a.and_then(|a| size_of_arg(sqe, a)));
    let all = list.iter().zip(&sizes).all(|(a, n)| a.is_none() || n.is_some());
    sizes.map(|n| if all { n.unwrap_or(0) } else { 0 })
}

/// Copies what `sqe` passes by pointer to `dst`, the [`sizes`] given, and
/// points `sqe` at the copies.
///
/// # Safety
/// `sizes` must come from [`sizes`] of this SQE, just before, and `dst`
/// must have room for their sum.
pub unsafe fn copy(sqe: &mut io_uring_sqe, sizes: [usize; 3], dst: *mut u8) {
    let mut at = 0;
    for (a, n) in args(sqe).into_iter().zip(sizes) {
        let Some(Arg::Str(f) | Arg::Bytes(f, _) | Arg::Msghdr(f, _)) = a else { continue };
        if n == 0 {
            continue;
        }
        if let Some(Arg::Msghdr(f, dir)) = a {
            let program = *field(sqe, f);
            // SAFETY: `n` bytes of room at `dst + at` (contract).
            unsafe { copy_msghdr(field(sqe, f), dst.add(at), n, dir) };
            // A request copied again (from its chain's copy) keeps the
            // program's msghdr it first had.
            if dir == Dir::Recv && *field(sqe, f) != program && sqe.addr3 == 0 {
                sqe.addr3 = program;
            }
            at += n;
            continue;
        }
        let p = field(sqe, f);
        // SAFETY: `n` readable bytes at the pointer (checked just now, in
        // the thread that submits them) into `dst`'s room (contract). A
        // string is ended where it was measured, even if changed since.
        unsafe {
            let to = dst.add(at);
            ptr::copy_nonoverlapping(*p as usize as *const u8, to, n);
            if matches!(a, Some(Arg::Str(_))) {
                *to.add(n - 1) = 0;
            }
            *p = to as u64;
        }
        at += n;
    }
}

/// Copies the msghdr at `*p`, then its iovecs and (for a send) address
/// after it, into the `n` bytes at `to` (aligned within them), points the
/// copy at its parts and `*p` at the copy. The parts are read again,
/// through the kernel: what no longer fits the `n` bytes measured, or no
/// longer reads, leaves `*p` as it was.
///
/// # Safety
/// `to` must have room for `n` bytes.
unsafe fn copy_msghdr(p: &mut u64, to: *mut u8, n: usize, dir: Dir) {
    let Some(mut m) = read_msghdr(*p) else { return };
    let Some((iov, name)) = msg_parts(&m, dir) else { return };
    let head = size_of::<libc::msghdr>();
    if SLACK + head + iov + name != n {
        return;
    }
    // SAFETY: `SLACK + head + iov + name` = `n` bytes of room (contract),
    // and the alignment takes at most SLACK of them. The iovecs after the
    // msghdr are aligned too: its size is a multiple of theirs.
    let (to, iov_to, name_to) = unsafe {
        let to = to.add(to.align_offset(align_of::<libc::msghdr>()));
        (to, to.add(head), to.add(head + iov))
    };
    if !read(m.msg_iov as u64, iov_to, iov) || !(name == 0 || read(m.msg_name as u64, name_to, name)) {
        return;
    }
    m.msg_iov = iov_to.cast();
    if name != 0 {
        m.msg_name = name_to.cast();
    }
    // SAFETY: `head` bytes of room at `to`, aligned above.
    unsafe { to.cast::<libc::msghdr>().write(m) };
    *p = to as u64;
}

/// Gives `r` its own copy of what its SQE passes by pointer (unless its
/// chain's saved copy already holds them, see req::save): false without
/// memory.
pub fn own(r: &mut Req) -> bool {
    let sizes = sizes(&r.sqe);
    let total: usize = sizes.iter().sum();
    if total == 0 {
        return true;
    }
    // SAFETY: malloc of `total` bytes, checked for NULL below.
    let block = unsafe { libc::malloc(total) }.cast::<u8>();
    if block.is_null() {
        return false;
    }
    // SAFETY: sizes of this SQE, just taken; `total` bytes of room.
    unsafe { copy(&mut r.sqe, sizes, block) };
    r.copy = block.cast();
    true
}
