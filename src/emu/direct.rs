//! Which fds are regular files or block devices open with O_DIRECT. A read
//! or write there waits for the device even with RWF_NOWAIT (the flag only
//! spares it the locks), so the engine hands it to a worker rather than
//! block the submitting thread. Asking costs two syscalls, so the answer is
//! kept per fd number for this process and asked again after [`RECHECK`]
//! uses, since the number may have been closed and reused meanwhile: a stale
//! answer costs speed for a while, never correctness.

use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::sys;

/// fd numbers with a cached answer; others are asked every time.
const SLOTS: usize = 4096;
/// Uses of a cached answer before it is asked again.
const RECHECK: u32 = 64;

/// Per fd: the uses left times two, plus one when the fd is direct; 0 when
/// unknown. Relaxed: a hint private to this process, where a lost update
/// only moves the next check.
static SEEN: [AtomicU32; SLOTS] = [const { AtomicU32::new(0) }; SLOTS];

/// Whether `fd` is a regular file or block device opened with O_DIRECT.
pub fn is_direct(fd: i32) -> bool {
    let Some(slot) = usize::try_from(fd).ok().and_then(|i| SEEN.get(i)) else { return ask(fd) };
    match slot.load(Relaxed) {
        0 | 1 => {
            let direct = ask(fd);
            slot.store(RECHECK << 1 | direct as u32, Relaxed);
            direct
        }
        v => {
            slot.store(v - 2, Relaxed);
            v & 1 != 0
        }
    }
}

fn ask(fd: i32) -> bool {
    // SAFETY: fcntl(F_GETFL) takes an integer and returns the flags or -1.
    let flags = sys::syscall::without_errno(|| unsafe { libc::fcntl(fd, libc::F_GETFL) } as isize);
    // F_GETFL took the fd, so file_like's answer is about its kind.
    flags >= 0 && flags as i32 & libc::O_DIRECT != 0 && super::ops::file_like(fd)
}
