//! Which fds are regular files or block devices open with O_DIRECT. A read
//! or write there waits for the device even with RWF_NOWAIT (the flag only
//! spares it the locks), so the engine hands it to a worker rather than
//! block the submitting thread. Asking costs two syscalls. A "no" is kept
//! per fd number for this process and asked again after [`RECHECK`] uses:
//! the number may have been closed and reused by an O_DIRECT file, and the
//! stale answer then only blocks the submitter for a while. A "yes" is
//! asked every time: reused by a pipe or socket, the number would send its
//! reads to a worker blocked in them, which nothing can cancel, and the
//! question costs little beside a worker's hand-off.

use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::sys;

/// fd numbers with a cached answer; others are asked every time.
const SLOTS: usize = 4096;
/// Uses of a cached "no" before it is asked again.
const RECHECK: u32 = 64;

/// Per fd: the uses left of a "no", 0 when unknown. Relaxed: a hint
/// private to this process, where a lost update only moves the next check.
static NOT_DIRECT: [AtomicU32; SLOTS] = [const { AtomicU32::new(0) }; SLOTS];

/// Whether `fd` is a regular file or block device opened with O_DIRECT.
pub fn is_direct(fd: i32) -> bool {
    let Some(slot) = usize::try_from(fd).ok().and_then(|i| NOT_DIRECT.get(i)) else { return ask(fd) };
    match slot.load(Relaxed) {
        0 => {
            let direct = ask(fd);
            if !direct {
                slot.store(RECHECK, Relaxed);
            }
            direct
        }
        left => {
            slot.store(left - 1, Relaxed);
            false
        }
    }
}

fn ask(fd: i32) -> bool {
    // SAFETY: fcntl(F_GETFL) takes an integer and returns the flags or -1.
    let flags = sys::syscall::without_errno(|| unsafe { libc::fcntl(fd, libc::F_GETFL) } as isize);
    // F_GETFL took the fd, so file_like's answer is about its kind.
    flags >= 0 && flags as i32 & libc::O_DIRECT != 0 && super::ops::file_like(fd)
}
