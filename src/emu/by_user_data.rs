//! The reactor's pending requests indexed by user_data, as the kernel
//! hashes its polls and cancelable requests: POLL_REMOVE, a poll or
//! timeout update and ASYNC_CANCEL by user_data look at the requests that
//! share the user_data's bucket, not at every pending one. A request is
//! in the index while it is on one of the reactor's lists (reactor::link
//! and unlink keep the two in step); the reactor's LOCK guards it.
//!
//! Each bucket is a doubly linked list through Req::ud_next and ud_prev,
//! newest first like the reactor's lists, so that the first match found
//! is the one a walk of those lists finds first.

use super::req::Req;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::Relaxed};

/// The buckets (a power of two of them), and how many requests they hold.
/// Until a table is allocated, or when none can be, the one bucket
/// `SPARE` holds every request: slower, never wrong.
static TABLE: AtomicPtr<AtomicPtr<Req>> = AtomicPtr::new(ptr::null_mut());
static LEN: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static SPARE: AtomicPtr<Req> = AtomicPtr::new(ptr::null_mut());

/// The buckets, and how many (1: `SPARE`).
fn table() -> (*const AtomicPtr<Req>, usize) {
    match TABLE.load(Relaxed) {
        t if t.is_null() => (&SPARE, 1),
        t => (t, LEN.load(Relaxed)),
    }
}

/// The bucket of `user_data` in a table of `len` buckets (a power of two):
/// spread by a multiplicative hash, as user_data is often a small counter
/// or a pointer.
fn bucket<'a>(t: *const AtomicPtr<Req>, len: usize, user_data: u64) -> &'a AtomicPtr<Req> {
    let h = user_data.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // SAFETY: the index is below `len`, the table's size.
    unsafe { &*t.add((h ^ h >> 32) as usize & (len - 1)) }
}

/// The first request of `user_data`'s bucket (others' user_data may share
/// it): walk on through `ud_next`.
pub fn first(user_data: u64) -> *mut Req {
    let (t, len) = table();
    bucket(t, len, user_data).load(Relaxed)
}

/// Puts `r` at the head of the bucket for its user_data in table `t`.
fn push(t: *const AtomicPtr<Req>, len: usize, r: *mut Req) {
    // SAFETY: a live request in no bucket, under LOCK.
    let req = unsafe { &mut *r };
    let head = bucket(t, len, req.sqe.user_data);
    req.ud_prev = ptr::null_mut();
    req.ud_next = head.load(Relaxed);
    // SAFETY: the bucket's requests are live, under LOCK.
    if let Some(n) = unsafe { req.ud_next.as_mut() } {
        n.ud_prev = r;
    }
    head.store(r, Relaxed);
}

/// Adds `r`, which just went on a reactor list. LOCK must be held.
pub fn add(r: *mut Req) {
    let n = COUNT.fetch_add(1, Relaxed) + 1;
    let (t, len) = table();
    if n > len {
        grow(t, len, (len * 2).max(64));
    }
    let (t, len) = table();
    push(t, len, r);
}

/// Takes `r` out: it just left its reactor list. LOCK must be held.
pub fn remove(r: *mut Req) {
    // SAFETY: a live request in the index, under LOCK.
    let req = unsafe { &mut *r };
    // SAFETY: its neighbours are live requests of the same bucket.
    unsafe {
        match req.ud_prev.as_mut() {
            Some(p) => p.ud_next = req.ud_next,
            None => {
                let (t, len) = table();
                bucket(t, len, req.sqe.user_data).store(req.ud_next, Relaxed);
            }
        }
        if let Some(n) = req.ud_next.as_mut() {
            n.ud_prev = req.ud_prev;
        }
    }
    req.ud_next = ptr::null_mut();
    req.ud_prev = ptr::null_mut();
    COUNT.fetch_sub(1, Relaxed);
}

/// Moves every request from table `old` into a new one of `n` buckets,
/// each bucket kept newest first; without memory, the old table stays.
fn grow(old: *const AtomicPtr<Req>, len: usize, n: usize) {
    // SAFETY: malloc of n buckets, checked for NULL below.
    let t = unsafe { libc::malloc(n * size_of::<AtomicPtr<Req>>()) }.cast::<AtomicPtr<Req>>();
    if t.is_null() {
        return;
    }
    for i in 0..n {
        // SAFETY: i < n, within the new block.
        unsafe { t.add(i).write(AtomicPtr::new(ptr::null_mut())) };
    }
    for i in 0..len {
        // SAFETY: i < len, a bucket of the old table.
        let mut r = unsafe { &*old.add(i) }.load(Relaxed);
        // Oldest first, each pushed on its new bucket's head: the order
        // of any two that share a new bucket stays.
        // SAFETY: the bucket's requests are live, under LOCK.
        while let Some(q) = unsafe { r.as_ref() }.filter(|q| !q.ud_next.is_null()) {
            r = q.ud_next;
        }
        while !r.is_null() {
            // SAFETY: as above.
            let prev = unsafe { (*r).ud_prev };
            push(t, n, r);
            r = prev;
        }
    }
    free_table(TABLE.swap(t, Relaxed));
    LEN.store(n, Relaxed);
}

/// Frees a table that no longer holds requests (NULL: none).
fn free_table(t: *mut AtomicPtr<Req>) {
    // SAFETY: NULL or our malloc'd table, no longer reachable.
    unsafe { libc::free(t.cast()) };
}

/// Forgets every request: a child after fork(), which frees the ones it
/// inherited.
pub fn reset() {
    free_table(TABLE.swap(ptr::null_mut(), Relaxed));
    LEN.store(0, Relaxed);
    COUNT.store(0, Relaxed);
    SPARE.store(ptr::null_mut(), Relaxed);
}
