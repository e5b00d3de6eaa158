//! Registrations of the ring itself: its fd, eventfd, credentials and
//! restrictions, io-wq workers, synchronous cancel and message, queries.

use super::{live, ret};
use crate::emu;
use crate::register::{access, eventfd, iowq, probe, sync};
use crate::ring::fd as ring_fd;
use crate::ring::io_uring;
use crate::sys::{io_uring_bpf, io_uring_query_hdr, io_uring_restriction, io_uring_sqe, io_uring_sync_cancel_reg};
use core::ffi::{c_int, c_uint};

/// Registers the ring's fd so io_uring_enter and io_uring_register use the
/// registered index. Returns 1, -EEXIST if already registered, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_ring_fd(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| ring_fd::register_ring(&mut r)))
}

/// Undoes io_uring_register_ring_fd. Returns 1, -EINVAL if not
/// registered, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_ring_fd(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| ring_fd::unregister(&mut r)))
}

/// Closes the ring's plain fd once its fd is registered, leaving only the
/// registered index. Returns 1 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_close_ring_fd(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|mut r| ring_fd::close(&mut r)))
}

/// Has the kernel signal the eventfd `fd` whenever it posts a CQE (see
/// io_uring_cq_eventfd_toggle to pause that). Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_eventfd(ring: *mut io_uring, fd: c_int) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| eventfd::register_fd(&r, fd, false)))
}

/// As io_uring_register_eventfd, but only completions posted by the
/// kernel's io-wq workers (requests that ran asynchronously there) signal
/// the eventfd. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_eventfd_async(ring: *mut io_uring, fd: c_int) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| eventfd::register_fd(&r, fd, true)))
}

/// Stops signalling the registered eventfd. Returns 0 or -errno (-ENXIO
/// when none is registered).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_eventfd(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| eventfd::unregister(&r)))
}

/// Saves the calling thread's credentials with the ring. Returns their id,
/// which an SQE's `personality` field selects to run as them, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_personality(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| access::register_personality(&r)))
}

/// Drops the credentials saved under `id`. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_personality(ring: *mut io_uring, id: c_int) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| access::unregister_personality(&r, id)))
}

/// Limits the register opcodes, SQE opcodes and SQE flags a ring may use to
/// the `nr_res` rules in `res`. Only for a ring set up with
/// IORING_SETUP_R_DISABLED and not yet enabled. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `res` must point to
/// `nr_res` restrictions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_restrictions(
    ring: *mut io_uring,
    res: *mut io_uring_restriction,
    nr_res: c_uint,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `res` is what access::restrict asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { access::restrict(&r, res, nr_res) }))
}

/// Starts a ring set up with IORING_SETUP_R_DISABLED. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_enable_rings(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| access::enable_rings(&r)))
}

/// Installs the BPF request filter `bpf` on the ring. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `bpf` must point to
/// a `struct io_uring_bpf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_bpf_filter(ring: *mut io_uring, bpf: *mut io_uring_bpf) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `bpf` is what access::bpf_filter asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { access::bpf_filter(Some(&r), bpf) }))
}

/// Installs the BPF request filter `bpf` on the calling task, so it
/// applies to every ring the task creates after. Returns 0 or -errno.
///
/// # Safety
/// `bpf` must point to a `struct io_uring_bpf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_bpf_filter_task(bpf: *mut io_uring_bpf) -> c_int {
    // SAFETY: `bpf` is an io_uring_bpf (# Safety), what bpf_filter asks.
    ret(unsafe { access::bpf_filter(None, bpf) })
}

/// Restricts the ring's io-wq workers to the CPUs in `mask`, `cpusz` bytes
/// long. Returns 0 or -errno (-EINVAL when `cpusz` does not fit an int).
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `mask` must point
/// to `cpusz` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_iowq_aff(
    ring: *mut io_uring,
    cpusz: usize,
    mask: *const libc::cpu_set_t,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `mask` is what iowq::set_affinity asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { iowq::set_affinity(&r, cpusz, mask) }))
}

/// Lets the ring's io-wq workers run on any CPU again. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_unregister_iowq_aff(ring: *mut io_uring) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring (# Safety).
    ret(unsafe { live(ring) }.and_then(|r| iowq::clear_affinity(&r)))
}

/// Caps the ring's io-wq workers: `values[0]` for bounded work (regular
/// files, block devices), `values[1]` for unbounded work (sockets, pipes);
/// 0 leaves a cap unchanged. The previous caps are written back into
/// `values`. Returns 0 or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `values` must
/// point to two unsigned ints.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_iowq_max_workers(ring: *mut io_uring, values: *mut c_uint) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `values` is what iowq::max_workers asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { iowq::max_workers(&r, values) }))
}

/// Cancels the requests `reg` matches (by user_data, fd or opcode, as its
/// IORING_ASYNC_CANCEL_* flags say) and waits, up to `reg->timeout` (-1
/// fields: no limit), until they are gone. Returns 0 (with
/// IORING_ASYNC_CANCEL_ALL or _ANY: how many were cancelled), -ENOENT when
/// nothing matched, -ETIME on timeout, or -errno.
///
/// # Safety
/// `ring` must be NULL or point to a `struct io_uring`; `reg` must point to
/// a `struct io_uring_sync_cancel_reg`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_sync_cancel(
    ring: *mut io_uring,
    reg: *mut io_uring_sync_cancel_reg,
) -> c_int {
    // SAFETY: `ring` is NULL or an unborrowed io_uring, and `reg` is what sync::cancel asks, both per # Safety.
    ret(unsafe { live(ring) }.and_then(|r| unsafe { sync::cancel(&r, reg) }))
}

/// Performs the IORING_OP_MSG_RING request in `sqe` immediately, without a
/// ring of the caller's: the CQE is posted to the ring `sqe->fd` names
/// (an emulated ring's too: the userspace engine posts it). Returns 0 or
/// -errno: -EINVAL for a kind other than IORING_MSG_DATA or a field it
/// does not take, -EBADF or -EBADFD when `sqe->fd` is no ring, and for a
/// NULL `sqe` what the kernel answers (-EINVAL on 6.18).
///
/// # Safety
/// `sqe` must be NULL or point to a `struct io_uring_sqe`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_sync_msg(sqe: *mut io_uring_sqe) -> c_int {
    if !sqe.is_null() {
        // SAFETY: non-NULL, so an SQE (# Safety); read as the kernel copies it.
        if let Some(r) = emu::sync_msg(&unsafe { sqe.read_unaligned() }) {
            return r;
        }
    }
    // SAFETY: `sqe` is an SQE (# Safety), what sync::msg asks.
    ret(unsafe { sync::msg(sqe) })
}

/// Asks the kernel about its io_uring support: each header of the chain
/// from `query` names a question (IO_URING_QUERY_*) and a buffer for the
/// answer, and gets its own status in `result`. Needs no ring. Returns 0
/// or -errno.
///
/// # Safety
/// `query` must point to a chain of valid query headers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn io_uring_register_query(query: *mut io_uring_query_hdr) -> c_int {
    // SAFETY: `query` heads a chain of valid query headers (# Safety), what
    // probe::query asks.
    ret(unsafe { probe::query(query) })
}
