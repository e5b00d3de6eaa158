//! A blocking call on a thread of its own, for a request that waits on
//! something epoll cannot watch (a futex, a child of any pid): the thread
//! makes the call, stores its result and signals an eventfd, which the
//! reactor waits on as it waits on any fd. Cancelling the request wakes
//! the thread through `cancel`, a futex word the call also waits on, or
//! through the job's own `interrupt`.

use crate::sys::{self, syscall};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicI32, AtomicU32,
    Ordering::{AcqRel, Acquire, Relaxed, Release},
};

pub struct Job {
    /// The request and the thread: the last to let go frees the job.
    refs: AtomicU32,
    /// 1 once the request no longer wants the result.
    pub cancel: AtomicU32,
    /// The thread's id once it runs (0 before), to see it block, and its
    /// process (a child after fork() inherits the job, not the thread).
    tid: AtomicI32,
    pid: i32,
    /// 1 once `res` holds the call's result.
    done: AtomicU32,
    res: AtomicI32,
    /// Readable once the call returned; the job's own.
    pub efd: i32,
    /// The call, and what wakes it early (besides `cancel`).
    run: fn(&Job) -> isize,
    interrupt: fn(&Job),
    /// The call's arguments, and a malloc'd block it reads (or NULL).
    pub args: [u64; 4],
    pub block: *mut c_void,
}

/// Starts `run` on a new thread with `args` and `block` (now the job's):
/// the job, or None (`block` freed) without memory, an fd or a thread.
/// Returns once the thread sleeps in its call or has finished it, as the
/// kernel queues a wait before its submission returns.
pub fn start(run: fn(&Job) -> isize, interrupt: fn(&Job), args: [u64; 4], block: *mut c_void) -> Option<*mut Job> {
    // SAFETY: malloc of a Job-sized block, checked for NULL below.
    let j = unsafe { libc::malloc(size_of::<Job>()) }.cast::<Job>();
    let efd = syscall::eventfd(libc::EFD_CLOEXEC | libc::EFD_NONBLOCK);
    if j.is_null() || efd < 0 {
        // SAFETY: NULL or our own allocations.
        unsafe {
            libc::free(j.cast());
            libc::free(block);
        }
        syscall::close(efd);
        return None;
    }
    let job = Job {
        refs: AtomicU32::new(2),
        cancel: AtomicU32::new(0),
        tid: AtomicI32::new(0),
        // SAFETY: getpid has no preconditions.
        pid: unsafe { libc::getpid() },
        done: AtomicU32::new(0),
        res: AtomicI32::new(0),
        efd,
        run,
        interrupt,
        args,
        block,
    };
    // SAFETY: a fresh allocation of the right size.
    unsafe { j.write(job) };
    if !spawn(j) {
        // SAFETY: no thread took it: ours alone.
        unsafe { free(j) };
        return None;
    }
    // SAFETY: we hold a reference.
    settle(unsafe { &*j });
    Some(j)
}

/// Waits, yielding, until the job's thread sleeps in its call or is done
/// (a bounded while, and not at all where /proc cannot say).
fn settle(j: &Job) {
    for _ in 0..100_000 {
        // Acquire: pairs with the thread's stores.
        if j.done.load(Acquire) != 0 {
            return;
        }
        let tid = j.tid.load(Acquire);
        if tid != 0 {
            match state(tid) {
                Some(b'S') | None => return,
                _ => {}
            }
        }
        // SAFETY: sched_yield has no preconditions.
        unsafe { libc::sched_yield() };
    }
}

/// The scheduler state letter of this process's thread `tid`.
fn state(tid: i32) -> Option<u8> {
    // /proc/<pid>/task/<tid>/stat, reached from this thread's own entry.
    let mut path = [0u8; 48];
    let head = b"/proc/thread-self/../";
    path[..head.len()].copy_from_slice(head);
    let mut digits = [0u8; 10];
    let (mut n, mut len) = (tid as u32, 0);
    while n > 0 || len == 0 {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    let mut at = head.len();
    for &d in digits[..len].iter().rev() {
        path[at] = d;
        at += 1;
    }
    path[at..at + 5].copy_from_slice(b"/stat"); // the zeros after end it
    // SAFETY: a NUL-terminated path in a local.
    let fd = syscall::without_errno(
        || unsafe { libc::open(path.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC) } as isize
    ) as i32;
    if fd < 0 {
        return None;
    }
    let mut buf = [0u8; 256];
    // SAFETY: reads into a local of that size.
    let n = syscall::without_errno(|| unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) });
    syscall::close(fd);
    let text = &buf[..n.max(0) as usize];
    // "tid (name) S ...": the letter after the last ')'.
    let at = text.iter().rposition(|&b| b == b')')?;
    text.get(at + 2).copied()
}

fn spawn(j: *mut Job) -> bool {
    // The thread gets the job, whose reference it owns.
    super::thread::spawn(body, j.cast(), 64 * 1024)
}

extern "C" fn body(arg: *mut c_void) -> *mut c_void {
    let j = arg.cast::<Job>();
    // SAFETY: the thread's reference keeps the job alive until put().
    let job = unsafe { &*j };
    // SAFETY: gettid has no preconditions.
    job.tid.store(unsafe { libc::gettid() }, Release);
    let r = (job.run)(job);
    job.res.store(r as i32, Relaxed);
    // Release: the result is visible to whoever sees `done` or the eventfd.
    job.done.store(1, Release);
    sys::syscall::eventfd_signal(job.efd);
    put(j);
    ptr::null_mut()
}

/// The call's result, once the eventfd said it returned.
pub fn result(j: *mut Job) -> i32 {
    // SAFETY: the request's reference keeps it alive.
    let job = unsafe { &*j };
    // Acquire: pairs with the thread's store of `done`.
    if job.done.load(Acquire) == 0 { -libc::EINTR } else { job.res.load(Relaxed) }
}

/// The request lets go of its job: the thread, if still in its call, is
/// woken to leave it.
pub fn release(j: *mut Job) {
    // SAFETY: the request's reference keeps it alive until put().
    let job = unsafe { &*j };
    // Release: the thread that wakes sees the cancellation.
    job.cancel.store(1, Release);
    // SAFETY: getpid has no preconditions.
    if job.done.load(Acquire) == 0 && job.pid == unsafe { libc::getpid() } {
        super::lock::futex(&job.cancel, libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, 1);
        (job.interrupt)(job);
    }
    put(j);
}

fn put(j: *mut Job) {
    // SAFETY: a live job (we hold a reference).
    if unsafe { &*j }.refs.fetch_sub(1, AcqRel) == 1 {
        // SAFETY: the last reference: nobody else uses it.
        unsafe { free(j) };
    }
}

/// # Safety
/// `j` must be a job nobody else uses.
unsafe fn free(j: *mut Job) {
    // SAFETY: ours alone (contract).
    unsafe {
        syscall::close((*j).efd);
        libc::free((*j).block);
        libc::free(j.cast());
    }
}
