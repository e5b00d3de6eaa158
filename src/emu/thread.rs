//! Starting the engine's threads (the reactor, its workers, thread jobs).

use core::ffi::c_void;
use core::ptr;

/// Starts `body(arg)` on a new detached thread with every signal blocked,
/// so that the program's handlers only ever run in its own threads. The
/// mask is set before the thread exists (it inherits the creator's), so no
/// signal reaches it in between. `stack` is its stack size in bytes, or 0
/// for the default. False when the thread cannot be made.
pub fn spawn(body: extern "C" fn(*mut c_void) -> *mut c_void, arg: *mut c_void, stack: usize) -> bool {
    let mut t: libc::pthread_t = 0;
    // SAFETY: all-zero values are valid for pthread_attr_init and the two
    // sigset calls to overwrite.
    let (mut attr, mut all, mut old): (libc::pthread_attr_t, libc::sigset_t, libc::sigset_t) =
        unsafe { (core::mem::zeroed(), core::mem::zeroed(), core::mem::zeroed()) };
    // SAFETY: initialises, sets and destroys a local attr, and blocks every
    // signal in this thread only for as long as pthread_create takes, then
    // restores its mask. `arg` is handed over as the caller's contract with
    // `body` says.
    unsafe {
        libc::pthread_attr_init(&mut attr);
        libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_DETACHED);
        if stack != 0 {
            libc::pthread_attr_setstacksize(&mut attr, stack);
        }
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let r = libc::pthread_create(&mut t, &attr, body, arg);
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, ptr::null_mut());
        libc::pthread_attr_destroy(&mut attr);
        r == 0
    }
}
