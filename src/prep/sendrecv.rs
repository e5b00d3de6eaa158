//! Sending and receiving: send/recv, their zero-copy, bundle and
//! multishot forms, and the msghdr-based sendmsg/recvmsg. MSG_* flags go
//! in the flags word; io_uring's own IORING_RECVSEND_* flags in `ioprio`.

use super::fields::set_addr_len;
use super::{addr, rw_op_flags};
use crate::sys::{io_uring_sqe, op, opflags};
use core::ffi::c_void;
use core::ptr;
use libc::{msghdr, sockaddr, socklen_t};

/// IORING_OP_SEND of `len` bytes (truncated to 32 bits, as in liburing).
#[inline]
pub fn send(sqe: &mut io_uring_sqe, sockfd: i32, buf: *const c_void, len: usize, flags: i32) {
    rw_op_flags(sqe, op::SEND, sockfd, addr(buf), len as u32, 0, flags as u32);
}

/// IORING_OP_SEND of several provided buffers at once (the buffer group
/// is set separately).
#[inline]
pub fn send_bundle(sqe: &mut io_uring_sqe, sockfd: i32, len: usize, flags: i32) {
    send(sqe, sockfd, ptr::null(), len, flags);
    sqe.ioprio |= opflags::RECVSEND_BUNDLE;
}

/// Adds a destination address to a send or send_zc SQE.
#[inline]
pub fn send_set_addr(sqe: &mut io_uring_sqe, dest_addr: *const sockaddr, addr_len: u16) {
    sqe.off = addr(dest_addr);
    set_addr_len(sqe, addr_len);
}

/// IORING_OP_SEND to `sa` (the length is truncated to 16 bits).
#[inline]
pub fn sendto(
    sqe: &mut io_uring_sqe,
    sockfd: i32,
    buf: *const c_void,
    len: usize,
    flags: i32,
    sa: *const sockaddr,
    addrlen: socklen_t,
) {
    send(sqe, sockfd, buf, len, flags);
    send_set_addr(sqe, sa, addrlen as u16);
}

/// IORING_OP_SEND_ZC: `zc_flags` (IORING_RECVSEND_* and
/// IORING_SEND_ZC_*) replace `ioprio`.
#[inline]
pub fn send_zc(sqe: &mut io_uring_sqe, sockfd: i32, buf: *const c_void, len: usize, flags: i32, zc_flags: u32) {
    rw_op_flags(sqe, op::SEND_ZC, sockfd, addr(buf), len as u32, 0, flags as u32);
    sqe.ioprio = zc_flags as u16;
}

/// IORING_OP_SEND_ZC from registered buffer `buf_index`.
#[inline]
pub fn send_zc_fixed(
    sqe: &mut io_uring_sqe,
    sockfd: i32,
    buf: *const c_void,
    len: usize,
    flags: i32,
    zc_flags: u32,
    buf_index: u32,
) {
    send_zc(sqe, sockfd, buf, len, flags, zc_flags);
    sqe.ioprio |= opflags::RECVSEND_FIXED_BUF;
    sqe.buf_index = buf_index as u16;
}

/// IORING_OP_SENDMSG.
#[inline]
pub fn sendmsg(sqe: &mut io_uring_sqe, fd: i32, msg: *const msghdr, flags: u32) {
    rw_op_flags(sqe, op::SENDMSG, fd, addr(msg), 1, 0, flags);
}

/// IORING_OP_SENDMSG_ZC.
#[inline]
pub fn sendmsg_zc(sqe: &mut io_uring_sqe, fd: i32, msg: *const msghdr, flags: u32) {
    rw_op_flags(sqe, op::SENDMSG_ZC, fd, addr(msg), 1, 0, flags);
}

/// IORING_OP_SENDMSG_ZC from registered buffer `buf_index`.
#[inline]
pub fn sendmsg_zc_fixed(sqe: &mut io_uring_sqe, fd: i32, msg: *const msghdr, flags: u32, buf_index: u32) {
    sendmsg_zc(sqe, fd, msg, flags);
    sqe.ioprio |= opflags::RECVSEND_FIXED_BUF;
    sqe.buf_index = buf_index as u16;
}

/// IORING_OP_RECV of up to `len` bytes (truncated to 32 bits).
#[inline]
pub fn recv(sqe: &mut io_uring_sqe, sockfd: i32, buf: *mut c_void, len: usize, flags: i32) {
    rw_op_flags(sqe, op::RECV, sockfd, addr(buf), len as u32, 0, flags as u32);
}

/// IORING_OP_RECV that keeps receiving (with provided buffers).
#[inline]
pub fn recv_multishot(sqe: &mut io_uring_sqe, sockfd: i32, buf: *mut c_void, len: usize, flags: i32) {
    recv(sqe, sockfd, buf, len, flags);
    sqe.ioprio |= opflags::RECV_MULTISHOT;
}

/// IORING_OP_RECVMSG.
#[inline]
pub fn recvmsg(sqe: &mut io_uring_sqe, fd: i32, msg: *mut msghdr, flags: u32) {
    rw_op_flags(sqe, op::RECVMSG, fd, addr(msg), 1, 0, flags);
}

/// IORING_OP_RECVMSG that keeps receiving; each buffer starts with a
/// `struct io_uring_recvmsg_out`.
#[inline]
pub fn recvmsg_multishot(sqe: &mut io_uring_sqe, fd: i32, msg: *mut msghdr, flags: u32) {
    recvmsg(sqe, fd, msg, flags);
    sqe.ioprio |= opflags::RECV_MULTISHOT;
}
