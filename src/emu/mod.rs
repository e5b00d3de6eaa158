//! The userspace engine: plays the kernel's part of the io_uring protocol
//! for rings the kernel refuses (seccomp, `kernel.io_uring_disabled`), or
//! for every ring when asked (`URING_RS_EMULATE`).
//!
//! An emulated ring is the same memory a kernel ring is: one MAP_SHARED
//! region (or the application's, for io_uring_queue_init_mem) holding a
//! control block ([`ctrl::Ctrl`]), then the rings laid out by the kernel's
//! rules, then the SQEs. Inline code built on any liburing header reads and
//! writes it exactly as it would a kernel ring. The ring fd is an eventfd
//! that becomes readable when CQEs are posted.
//!
//! SQEs are consumed when the program submits, in the thread that enters,
//! and each operation is tried there at once, without blocking (RWF_NOWAIT,
//! poll). One that has to wait goes to the process's reactor (reactor.rs):
//! a thread that waits with epoll for its fd, and with a timerfd for
//! timeouts, then runs it again and posts its CQE; a regular file waiting
//! for the disk, an fsync or IOSQE_ASYNC goes to its workers, which run it
//! to completion. Ring state lives in the shared region, so a ring set up
//! before fork() works from parent and child alike.

mod affinity;
mod by_user_data;
mod chain;
mod cmd;
mod copies;
mod cq;
pub mod ctrl;
mod direct;
mod drain;
mod enter;
mod epoll;
mod fdwait;
mod files;
mod futex;
mod job;
mod lock;
mod msg_ring;
mod net;
mod ops;
mod ops_fs;
mod pbuf;
mod reactor;
mod register;
mod req;
pub mod routes;
mod setup;
mod shared_map;
mod sock;
mod sqpoll;
mod submit;
mod thread;
mod wait;
mod wait_ops;
mod waitid;
mod workers;
mod xattr;

pub use enter::enter;
pub use msg_ring::sync_msg;
pub use register::register;
pub use setup::{dontfork, exit, ring_fd_closed, setup};

use crate::sys::Errno;

/// When rings are emulated (`URING_RS_EMULATE`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Unset, `never` or anything else: kernel rings only, as before.
    Never,
    /// `auto`: when io_uring_setup fails with ENOSYS, EPERM or EACCES.
    Auto,
    /// `always`: every ring (for tests and comparisons).
    Always,
}

/// The mode `URING_RS_EMULATE` asks for, read at every ring setup (a
/// setup costs far more than the lookup), so a program or a test may
/// change it between rings.
pub fn mode() -> Mode {
    // SAFETY: getenv with a NUL-terminated name; the result is NULL or a
    // NUL-terminated string that lives as long as the environment entry.
    let v = unsafe { libc::getenv(c"URING_RS_EMULATE".as_ptr()) };
    if v.is_null() {
        return Mode::Never;
    }
    // SAFETY: non-null, so a NUL-terminated string (above).
    match unsafe { core::ffi::CStr::from_ptr(v) }.to_bytes() {
        b"auto" => Mode::Auto,
        b"always" => Mode::Always,
        _ => Mode::Never,
    }
}

/// Whether io_uring_setup failing with `e` means the kernel refuses
/// io_uring here, rather than refusing these parameters.
pub fn refused(e: Errno) -> bool {
    matches!(e.0, libc::ENOSYS | libc::EPERM | libc::EACCES)
}
