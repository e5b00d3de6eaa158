//! MSG_RING between emulated rings of one process: a CQE, or a fixed file,
//! posted into the ring whose fd the SQE names.

use super::chain;
use super::cq::{self, Cqe};
use super::ctrl::Ctrl;
use super::files;
use super::ops::Done;
use super::routes;
use crate::sys::{io_uring_sqe, op, opflags};
use core::sync::atomic::Ordering::Acquire;

fn err(e: i32) -> Done {
    Done::of(-(e as isize))
}

/// MSG_RING to the ring with fd `fd`: with MSG_DATA a CQE (user_data `off`,
/// res `len`, flags `file_index` with FLAGS_PASS) there; with MSG_SEND_FD
/// our fixed file `addr3` into its slot `file_index` (a CQE there too,
/// unless CQE_SKIP). 0 (SEND_FD: the slot as installed), -EBADFD when `fd`
/// is not an emulated ring's, -EINVAL for fields the kind does not take,
/// -EBADF for an empty source slot.
pub fn msg_ring(c: &Ctrl, sqe: &io_uring_sqe, fd: i32) -> Done {
    let Some(target) = routes::pin(fd as u32) else { return err(libc::EBADFD) };
    let d = post_to(c, target, sqe);
    routes::unpin(target);
    d
}

/// IORING_REGISTER_SEND_MSG_RING (io_uring_register_sync_msg) into an
/// emulated ring: MSG_RING's MSG_DATA with no ring of the caller's, as the
/// kernel's io_uring_sync_msg_ring. None when `sqe.fd` is not an emulated
/// ring's, for the kernel to answer; else 0, -EINVAL for another opcode,
/// SQE flags, buf_index, personality, MSG_RING flags it does not know, a
/// kind other than MSG_DATA (a file needs a source ring) or a field
/// MSG_DATA does not take, or -EBADFD while the target is disabled.
pub fn sync_msg(sqe: &io_uring_sqe) -> Option<i32> {
    let target = routes::pin(sqe.fd as u32)?;
    let known = opflags::MSG_RING_CQE_SKIP | opflags::MSG_RING_FLAGS_PASS;
    let bad = sqe.opcode != op::MSG_RING
        || sqe.flags != 0
        || sqe.buf_index != 0
        || sqe.personality != 0
        || sqe.op_flags & !known != 0;
    let d = if bad || sqe.addr != opflags::MSG_DATA { err(libc::EINVAL) } else { post_data(target, sqe) };
    routes::unpin(target);
    Some(d.res)
}

/// MSG_RING's MSG_DATA: a CQE in `target`, pinned (-EBADFD while it is
/// disabled).
fn post_data(target: &Ctrl, sqe: &io_uring_sqe) -> Done {
    let flags = sqe.op_flags;
    let pass = flags & opflags::MSG_RING_FLAGS_PASS != 0;
    if sqe.addr3 != 0 || flags & !opflags::MSG_RING_FLAGS_PASS != 0 || (!pass && sqe.file_index != 0) {
        return err(libc::EINVAL);
    }
    // Acquire: as enter reads it, the enable that cleared it came first.
    if target.disabled.load(Acquire) != 0 {
        return err(libc::EBADFD);
    }
    let cqe_flags = if pass { sqe.file_index } else { 0 };
    let cqe = Cqe { user_data: sqe.off, res: sqe.len as i32, flags: cqe_flags, ..Cqe::default() };
    cq::post(target, &cqe);
    cq::notify(target, false);
    Done::of(0)
}

/// MSG_RING's work on `target`, pinned.
fn post_to(c: &Ctrl, target: &Ctrl, sqe: &io_uring_sqe) -> Done {
    let flags = sqe.op_flags;
    match sqe.addr {
        opflags::MSG_DATA => post_data(target, sqe),
        opflags::MSG_SEND_FD => {
            if sqe.len != 0 || core::ptr::eq(target, c) || flags & !opflags::MSG_RING_CQE_SKIP != 0 {
                return err(libc::EINVAL);
            }
            let Some(src) = files::get(c, sqe.addr3 as u32) else { return err(libc::EBADF) };
            let slot = (sqe.file_index != opflags::FILE_INDEX_ALLOC).then(|| sqe.file_index.wrapping_sub(1));
            let installed = files::dup(src).and_then(|d| files::install(target, slot, d));
            let r = Done::result(installed.map(|s| if slot.is_none() { s } else { 0 }));
            if r.res >= 0 && flags & opflags::MSG_RING_CQE_SKIP == 0 {
                chain::post(target, &io_uring_sqe { user_data: sqe.off, ..Default::default() }, r.res, [0; 2]);
                cq::notify(target, false);
            }
            r
        }
        _ => err(libc::EINVAL),
    }
}
