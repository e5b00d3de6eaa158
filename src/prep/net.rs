//! Socket lifecycle: socket, bind, listen, accept, connect, shutdown.

use super::{addr, install_slot, rw, rw_op_flags};
use crate::sys::{io_uring_sqe, op, opflags};
use libc::{sockaddr, socklen_t};

/// IORING_OP_SOCKET: the type travels in `off`, the protocol in `len`.
#[inline]
pub fn socket(sqe: &mut io_uring_sqe, domain: i32, ty: i32, protocol: i32, flags: u32) {
    rw_op_flags(sqe, op::SOCKET, domain, 0, protocol as u32, ty as u64, flags);
}

/// IORING_OP_SOCKET into direct slot `file_index` (or
/// IORING_FILE_INDEX_ALLOC).
#[inline]
pub fn socket_direct(sqe: &mut io_uring_sqe, domain: i32, ty: i32, protocol: i32, file_index: u32, flags: u32) {
    socket(sqe, domain, ty, protocol, flags);
    sqe.file_index = install_slot(file_index);
}

/// IORING_OP_SOCKET into a direct slot the kernel picks.
#[inline]
pub fn socket_direct_alloc(sqe: &mut io_uring_sqe, domain: i32, ty: i32, protocol: i32, flags: u32) {
    socket_direct(sqe, domain, ty, protocol, opflags::FILE_INDEX_ALLOC, flags);
}

/// IORING_OP_BIND: the address length travels in `off`.
#[inline]
pub fn bind(sqe: &mut io_uring_sqe, fd: i32, sa: *const sockaddr, addrlen: socklen_t) {
    rw(sqe, op::BIND, fd, addr(sa), 0, addrlen as u64);
}

/// IORING_OP_LISTEN.
#[inline]
pub fn listen(sqe: &mut io_uring_sqe, fd: i32, backlog: i32) {
    rw(sqe, op::LISTEN, fd, 0, backlog as u32, 0);
}

/// IORING_OP_CONNECT: the address length travels in `off`.
#[inline]
pub fn connect(sqe: &mut io_uring_sqe, fd: i32, sa: *const sockaddr, addrlen: socklen_t) {
    rw(sqe, op::CONNECT, fd, addr(sa), 0, addrlen as u64);
}

/// IORING_OP_ACCEPT: the peer address (if wanted) lands in `sa`, its
/// length in `*addrlen`.
#[inline]
pub fn accept(sqe: &mut io_uring_sqe, fd: i32, sa: *mut sockaddr, addrlen: *mut socklen_t, flags: i32) {
    rw_op_flags(sqe, op::ACCEPT, fd, addr(sa), 0, addr(addrlen), flags as u32);
}

/// IORING_OP_ACCEPT into direct slot `file_index` (or
/// IORING_FILE_INDEX_ALLOC).
#[inline]
pub fn accept_direct(
    sqe: &mut io_uring_sqe,
    fd: i32,
    sa: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: i32,
    file_index: u32,
) {
    accept(sqe, fd, sa, addrlen, flags);
    sqe.file_index = install_slot(file_index);
}

/// IORING_OP_ACCEPT that keeps accepting, one CQE per connection.
#[inline]
pub fn multishot_accept(sqe: &mut io_uring_sqe, fd: i32, sa: *mut sockaddr, addrlen: *mut socklen_t, flags: i32) {
    accept(sqe, fd, sa, addrlen, flags);
    sqe.ioprio |= opflags::ACCEPT_MULTISHOT;
}

/// Multishot IORING_OP_ACCEPT into direct slots the kernel picks.
#[inline]
pub fn multishot_accept_direct(
    sqe: &mut io_uring_sqe,
    fd: i32,
    sa: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: i32,
) {
    multishot_accept(sqe, fd, sa, addrlen, flags);
    sqe.file_index = opflags::FILE_INDEX_ALLOC;
}

/// IORING_OP_SHUTDOWN (SHUT_RD/SHUT_WR/SHUT_RDWR in `how`).
#[inline]
pub fn shutdown(sqe: &mut io_uring_sqe, fd: i32, how: i32) {
    rw(sqe, op::SHUTDOWN, fd, 0, how as u32, 0);
}
