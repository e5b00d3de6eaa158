//! IORING_REGISTER_IOWQ_AFF on emulated rings: the CPUs the engine's
//! workers may run on, as the kernel sets its io-wq workers'. The engine's
//! workers serve every ring of the process, so the mask is the process's;
//! each worker takes up a new one before its next request.

use crate::sys::{Errno, Result};
use core::sync::atomic::{
    AtomicU32, AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};

/// Room for 1024 CPUs, as glibc's cpu_set_t.
const WORDS: usize = 16;
/// The registered mask and its length in bytes (0: none, the CPUs the
/// workers started with), and a count bumped on every change. Relaxed
/// words, published by the Release bump and read after an Acquire load of
/// it.
static MASK: [AtomicU64; WORDS] = [const { AtomicU64::new(0) }; WORDS];
static LEN: AtomicUsize = AtomicUsize::new(0);
static CHANGES: AtomicU32 = AtomicU32::new(0);

/// The CPUs the calling thread may run on.
fn allowed() -> [u64; WORDS] {
    let mut set = [0u64; WORDS];
    // SAFETY: sched_getaffinity writes at most size_of_val(&set) bytes.
    let r = unsafe { libc::sched_getaffinity(0, size_of_val(&set), set.as_mut_ptr().cast()) };
    if r != 0 { [u64::MAX; WORDS] } else { set }
}

/// Registers the `len`-byte CPU mask at `mask` (bytes past 1024 CPUs are
/// ignored). -EINVAL for NULL, an empty mask, or CPUs the caller may not
/// use, as the kernel answers.
///
/// # Safety
/// `mask` must be NULL or valid for reading `len` bytes.
pub unsafe fn register(mask: *const u8, len: usize) -> Result<()> {
    if mask.is_null() || len == 0 {
        return Err(Errno::EINVAL);
    }
    let len = len.min(WORDS * 8);
    let mut set = [0u64; WORDS];
    // SAFETY: `len` readable bytes (contract) into a buffer of at least `len`.
    unsafe { core::ptr::copy_nonoverlapping(mask, set.as_mut_ptr().cast::<u8>(), len) };
    let allowed = allowed();
    if set.iter().all(|&w| w == 0) || set.iter().zip(allowed).any(|(&w, a)| w & !a != 0) {
        return Err(Errno::EINVAL);
    }
    for (word, w) in MASK.iter().zip(set) {
        word.store(w, Relaxed);
    }
    LEN.store(len, Relaxed);
    CHANGES.fetch_add(1, Release);
    Ok(())
}

/// IORING_UNREGISTER_IOWQ_AFF: workers go back to the CPUs they started with.
pub fn unregister() {
    LEN.store(0, Relaxed);
    CHANGES.fetch_add(1, Release);
}

/// In a worker that last applied change `seen` and started on `initial`:
/// applies the mask registered since, if any.
pub fn apply(seen: &mut u32, initial: &[u64; WORDS]) {
    let now = CHANGES.load(Acquire);
    if now == *seen {
        return;
    }
    *seen = now;
    let len = LEN.load(Relaxed);
    let set: [u64; WORDS] = if len == 0 { *initial } else { core::array::from_fn(|i| MASK[i].load(Relaxed)) };
    // SAFETY: sched_setaffinity reads size_of_val(&set) bytes of a local;
    // a failure leaves the thread where it was, as the kernel leaves a
    // worker it cannot move.
    unsafe { libc::sched_setaffinity(0, size_of_val(&set), set.as_ptr().cast()) };
}

/// What a worker starts with: the CPUs it may use, and no change applied.
pub fn start() -> ([u64; WORDS], u32) {
    (allowed(), 0)
}
