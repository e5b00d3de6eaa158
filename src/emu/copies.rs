//! What an operation reads from the program's memory when the kernel
//! preps its SQE (a path operation's paths, an open_how, an xattr's name
//! and value; a CONNECT's or a send's socket address; a READV's or
//! WRITEV's iovecs), copied into its request when it is submitted: the
//! program may reuse that memory once submit returns, while the operation
//! waits, runs later on a worker, or waits in a chain.

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

/// What a pointer field points at: a NUL-terminated string, or `n` bytes.
#[derive(Clone, Copy)]
enum Arg {
    Str(Field),
    Bytes(Field, usize),
}

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
        Arg::Bytes(f, n) => {
            // A byte in every page it covers, and its last: memory is
            // readable a page at a time.
            let at = value(sqe, f);
            let mut probe = 0u8;
            let mut ok = (0..n).step_by(4096).all(|k| read(at.wrapping_add(k as u64), &raw mut probe, 1));
            ok = ok && read(at.wrapping_add(n as u64 - 1), &raw mut probe, 1);
            ok.then_some(n)
        }
    }
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
        let Some(Arg::Str(f) | Arg::Bytes(f, _)) = a else { continue };
        if n == 0 {
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
