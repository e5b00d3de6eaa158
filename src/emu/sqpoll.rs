//! SQPOLL on emulated rings: a thread of the process that set the ring up
//! (named `iou-sqp-<pid>`, as the kernel names its poller) consumes the SQ
//! with no system call from the program. It polls while there is work and
//! for `sq_thread_idle` milliseconds after (1 s when 0, as the kernel's),
//! then raises IORING_SQ_NEED_WAKEUP and sleeps until an enter with
//! IORING_ENTER_SQ_WAKEUP wakes it. ATTACH_WQ rings share the poller of the
//! ring they attach to, as the kernel shares its thread. Another process
//! sharing the ring cannot wake the poller: its enters consume the SQ
//! themselves (enter.rs), as they do once the poller is gone.

use super::ctrl::{Ctrl, off};
use super::lock::{Locked, futex};
use super::{shared_map, submit, wait};
use crate::sys::{io_uring_params, setup, sq_flags};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicI64, AtomicU32, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release, SeqCst},
    fence,
};

/// A poller thread and the rings it serves, in the heap of the process
/// that started it. The thread frees it once its last ring left.
struct Poller {
    /// Guards the ring list; held while the thread submits, so a ring
    /// that leaves is never touched after.
    lock: AtomicU32,
    /// Set by a wake-up; the sleeping thread waits while it is 0.
    wake: AtomicU32,
    /// Set once the thread has its name and CPU, which setup waits for,
    /// as the kernel's poller has both before setup returns.
    ready: AtomicU32,
    /// The first ring's control block; each ring's `sq_next` links the
    /// next (0 ends). Relaxed, here and in the links: changed and read
    /// under `lock`.
    first: AtomicUsize,
    /// How long the thread polls after its last work, in nanoseconds.
    idle: AtomicI64,
    /// The CPU an SQ_AFF ring pinned it to, or -1.
    cpu: i32,
}

/// Starts the poller for the new SQPOLL ring `c`, or attaches `c` to the
/// poller of `wq` (ATTACH_WQ) when that ring has one in this process.
/// When no thread can be made, IORING_SQ_NEED_WAKEUP stays set for good,
/// so every submit enters and enter consumes the SQ.
pub fn start(c: &Ctrl, p: &io_uring_params, wq: Option<&Ctrl>) {
    let idle = match p.sq_thread_idle {
        0 => 1000,
        ms => i64::from(ms),
    } * 1_000_000;
    if let Some(poller) = wq.and_then(poller_of) {
        let _l = Locked::new(&poller.lock);
        poller.idle.fetch_max(idle, Relaxed);
        link(c, poller);
        return;
    }
    let cpu = if p.flags & setup::SQ_AFF != 0 { p.sq_thread_cpu as i32 } else { -1 };
    let first = ptr::from_ref(c) as usize;
    let poller =
        Poller { lock: 0.into(), wake: 0.into(), ready: 0.into(), first: first.into(), idle: idle.into(), cpu };
    // SAFETY: malloc of a Poller-sized block, checked for NULL below.
    let mem = unsafe { libc::malloc(size_of::<Poller>()) }.cast::<Poller>();
    if !mem.is_null() {
        // SAFETY: a fresh allocation of the right size.
        unsafe { mem.write(poller) };
        // Relaxed: the thread reads these after pthread_create, which
        // orders them; other processes only compare the pid.
        c.sq_poller.store(mem as usize, Relaxed);
        c.sq_pid.store(shared_map::my_pid(), Relaxed);
        if super::thread::spawn(run, mem.cast(), 0) {
            // SAFETY: the poller lives until its last ring, `c`, leaves.
            let ready = unsafe { &(*mem).ready };
            // Acquire: pairs with the thread's release store.
            while ready.load(Acquire) == 0 {
                futex(ready, libc::FUTEX_WAIT, 0);
            }
            return;
        }
        c.sq_poller.store(0, Relaxed);
        // SAFETY: ours, and no thread was made to use it.
        unsafe { libc::free(mem.cast()) };
    }
    // Relaxed, as the kernel's atomic_or: the flag only tells the program
    // to enter.
    c.word(off::SQ_FLAGS).fetch_or(sq_flags::NEED_WAKEUP, Relaxed);
}

/// The poller serving `c`, if it runs in this process.
fn poller_of<'a>(c: &Ctrl) -> Option<&'a Poller> {
    // Relaxed: written at setup, before the ring was handed out.
    let p = c.sq_poller.load(Relaxed) as *const Poller;
    // SAFETY: a poller lives until its last ring leaves it, and `c` is
    // live; the pid says the pointer is this process's.
    (!p.is_null() && c.sq_pid.load(Relaxed) == shared_map::my_pid()).then(|| unsafe { &*p })
}

/// Puts `c` at the head of `poller`'s list and wakes it to poll it. Needs
/// the poller's lock.
fn link(c: &Ctrl, poller: &Poller) {
    c.sq_next.store(poller.first.load(Relaxed), Relaxed);
    c.sq_poller.store(ptr::from_ref(poller) as usize, Relaxed);
    c.sq_pid.store(shared_map::my_pid(), Relaxed);
    poller.first.store(ptr::from_ref(c) as usize, Relaxed);
    wake_locked(poller);
}

/// IORING_ENTER_SQ_WAKEUP: wakes `c`'s poller if it sleeps in this process.
pub fn wake(c: &Ctrl) {
    if let Some(poller) = poller_of(c) {
        let _l = Locked::new(&poller.lock);
        wake_locked(poller);
    }
}

fn wake_locked(poller: &Poller) {
    // Release: what the waker did is visible to the woken thread.
    poller.wake.store(1, Release);
    futex(&poller.wake, libc::FUTEX_WAKE, 1);
}

/// Takes `c` out of its poller's list, in the process that runs it; the
/// thread ends with its last ring. Afterwards the poller never touches `c`.
pub fn stop(c: &Ctrl) {
    let Some(poller) = poller_of(c) else { return };
    let _l = Locked::new(&poller.lock);
    let (me, next) = (ptr::from_ref(c) as usize, c.sq_next.load(Relaxed));
    if poller.first.load(Relaxed) == me {
        poller.first.store(next, Relaxed);
    } else {
        each(poller, |r| {
            if r.sq_next.load(Relaxed) == me {
                r.sq_next.store(next, Relaxed);
            }
        });
    }
    c.sq_poller.store(0, Relaxed);
    // Woken under the lock: once it is released the thread may free itself.
    wake_locked(poller);
}

/// Calls `f` on each ring of `poller`. Needs the poller's lock.
fn each(poller: &Poller, mut f: impl FnMut(&Ctrl)) {
    let mut c = poller.first.load(Relaxed) as *const Ctrl;
    while !c.is_null() {
        // SAFETY: the list's rings are live while they are on it (stop).
        let r = unsafe { &*c };
        c = r.sq_next.load(Relaxed) as *const Ctrl;
        f(r);
    }
}

/// Whether `c` has SQEs published and not consumed, and may run them.
fn pending(c: &Ctrl) -> bool {
    // Acquire on the tail, as submit reads it; the head is the engine's.
    c.disabled.load(Acquire) == 0 && c.word(off::SQ_TAIL).load(Acquire) != c.word(off::SQ_HEAD).load(Relaxed)
}

/// The poller thread: `arg` is its Poller, which it frees at the end.
extern "C" fn run(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `start` handed over a live Poller, which only this thread
    // frees.
    let poller = unsafe { &*arg.cast::<Poller>() };
    name_and_pin(poller.cpu);
    // Release: the name and CPU are set before setup goes on.
    poller.ready.store(1, Release);
    futex(&poller.ready, libc::FUTEX_WAKE, 1);
    let mut last = wait::now();
    loop {
        let (mut busy, mut empty) = (false, false);
        {
            let _l = Locked::new(&poller.lock);
            empty |= poller.first.load(Relaxed) == 0;
            each(poller, |c| {
                if pending(c) {
                    submit::submit(c, u32::MAX);
                    busy = true;
                }
            });
        }
        if empty {
            break;
        }
        if busy {
            last = wait::now();
        } else if wait::now() - last < poller.idle.load(Relaxed) {
            // SAFETY: sched_yield has no preconditions.
            unsafe { libc::sched_yield() };
        } else {
            sleep(poller);
            last = wait::now();
        }
    }
    // SAFETY: the last ring left (under the lock, which nobody takes
    // again); the thread owns the Poller.
    unsafe { libc::free(arg) };
    ptr::null_mut()
}

/// Raises IORING_SQ_NEED_WAKEUP on the poller's rings and sleeps until a
/// wake-up, unless SQEs came meanwhile; then clears the flag.
fn sleep(poller: &Poller) {
    // Relaxed: the wake-ups that count come after the flag is raised.
    poller.wake.store(0, Relaxed);
    let mut work = false;
    {
        let _l = Locked::new(&poller.lock);
        // SeqCst, with the fence, as the kernel's smp_mb__after_atomic:
        // the flag is set before we look at the tails again, as the
        // program stores its tail before it reads the flag (its own full
        // barrier), so either we see its SQEs or it sees the flag.
        each(poller, |c| {
            c.word(off::SQ_FLAGS).fetch_or(sq_flags::NEED_WAKEUP, SeqCst);
        });
        fence(SeqCst);
        each(poller, |c| work |= pending(c));
        work |= poller.first.load(Relaxed) == 0;
    }
    if !work {
        futex(&poller.wake, libc::FUTEX_WAIT, 0);
    }
    let _l = Locked::new(&poller.lock);
    // Relaxed, as the kernel's atomic_andnot: the poller polls again.
    each(poller, |c| {
        c.word(off::SQ_FLAGS).fetch_and(!sq_flags::NEED_WAKEUP, Relaxed);
    });
}

/// Names the calling thread as the kernel names its poller, and pins it
/// to `cpu` (one of the first 1024, as a cpu_set_t holds) unless it is -1.
fn name_and_pin(cpu: i32) {
    let mut name = *b"iou-sqp-\0\0\0\0\0\0\0\0";
    let mut pid = shared_map::my_pid() as u32;
    let digits = pid.checked_ilog10().unwrap_or(0) as usize + 1;
    for i in (0..digits.min(7)).rev() {
        name[8 + i] = b'0' + (pid % 10) as u8;
        pid /= 10;
    }
    // SAFETY: PR_SET_NAME reads a NUL-terminated name of at most 16 bytes
    // (the last byte of `name` stays NUL).
    unsafe { libc::prctl(libc::PR_SET_NAME, name.as_ptr()) };
    if (0..1024).contains(&cpu) {
        let mut set = [0u64; 16];
        set[cpu as usize / 64] |= 1 << (cpu % 64);
        // SAFETY: reads size_of_val(&set) bytes of a local; a failure
        // leaves the thread unpinned.
        unsafe { libc::sched_setaffinity(0, size_of_val(&set), set.as_ptr().cast()) };
    }
}
