//! Requests waiting for an fd's readiness (Kind::Ready), as the kernel's
//! per-file wait queues hold them: one epoll registration per fd number,
//! edge triggered and kept from one wait to the next, shared by every
//! request waiting on that fd. The reactor's LOCK guards all of it.
//!
//! A registration is numbered: epoll reports the number with the fd, and
//! the requests waiting under it carry it. When the program closes an fd
//! and the number comes back as another file, renewing the registration
//! fails (epoll knows the old file's), and the fd is registered again
//! under the next number: the requests left from the old file never run
//! on the new one.

use super::reactor::epoll;
use super::req::Req;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::Relaxed};

const EDGE: u32 = libc::EPOLLET as u32;

/// One fd number's registration.
#[derive(Clone, Copy)]
struct Slot {
    /// Its number (0: never registered).
    reg: u32,
    /// The events registered (0: none).
    mask: u32,
    /// The requests waiting on the fd, through `fd_next`.
    head: *mut Req,
}

/// The table of slots, indexed by fd, and its length.
static SLOTS: AtomicPtr<Slot> = AtomicPtr::new(ptr::null_mut());
static LEN: AtomicUsize = AtomicUsize::new(0);

/// The epoll data reporting registration `reg` of `fd`: never 1 or 2 (the
/// reactor's timerfd and eventfd), as `reg` starts at 1.
fn data(fd: i32, reg: u32) -> u64 {
    (reg as u64) << 32 | fd as u32 as u64
}

/// Slot `fd`, the table grown to hold it: None without memory.
fn slot<'a>(fd: i32) -> Option<&'a mut Slot> {
    let i = usize::try_from(fd).ok()?;
    let (mut t, len) = (SLOTS.load(Relaxed), LEN.load(Relaxed));
    if i >= len {
        let n = (i + 1).max(len * 2).max(64);
        // SAFETY: the table is NULL or our malloc'd block; resized to n
        // slots, checked for NULL below.
        let grown = unsafe { libc::realloc(t.cast(), n * size_of::<Slot>()) }.cast::<Slot>();
        if grown.is_null() {
            return None;
        }
        for k in len..n {
            // SAFETY: k < n, within the new block.
            unsafe { grown.add(k).write(Slot { reg: 0, mask: 0, head: ptr::null_mut() }) };
        }
        t = grown;
        SLOTS.store(t, Relaxed);
        LEN.store(n, Relaxed);
    }
    // SAFETY: i < the table's length; under LOCK, ours.
    Some(unsafe { &mut *t.add(i) })
}

/// Slot `fd` if the table holds it.
fn existing<'a>(fd: i32) -> Option<&'a mut Slot> {
    let i = usize::try_from(fd).ok().filter(|&i| i < LEN.load(Relaxed))?;
    // SAFETY: i < the table's length; under LOCK, ours.
    Some(unsafe { &mut *SLOTS.load(Relaxed).add(i) })
}

/// Makes request `r` (off every list, `fd` and `events` set) wait on its
/// fd: 0, or the errno of epoll_ctl. `renew` asks epoll to look at the
/// fd's readiness afresh (a request just submitted, or one that stopped
/// before the fd said EAGAIN): else the registration stays as it is, and
/// the next edge wakes the request.
pub fn watch(r: *mut Req, renew: bool) -> i32 {
    // SAFETY: off every list: ours, under LOCK.
    let req = unsafe { &mut *r };
    let Some(s) = slot(req.fd) else { return libc::ENOMEM };
    let want = req.events & !(EDGE | libc::EPOLLONESHOT as u32);
    if renew || want & !s.mask != 0 || s.mask == 0 {
        let mask = s.mask | want;
        let mut e = if s.mask == 0 {
            -libc::ENOENT
        } else {
            epoll(libc::EPOLL_CTL_MOD, req.fd, mask | EDGE, data(req.fd, s.reg))
        };
        if e == -libc::ENOENT {
            // Not registered, or registered as another file: from now on
            // only what waits under the new number runs.
            s.reg = s.reg.wrapping_add(1).max(1);
            s.mask = 0;
            e = epoll(libc::EPOLL_CTL_ADD, req.fd, want | EDGE, data(req.fd, s.reg));
        }
        if e < 0 {
            return -e;
        }
        s.mask |= want;
    }
    req.reg = s.reg;
    req.fd_next = s.head;
    s.head = r;
    0
}

/// Takes request `r` off its fd's waiters.
pub fn unwatch(r: *mut Req) {
    // SAFETY: a live request, under LOCK.
    let Some(s) = existing(unsafe { (*r).fd }) else { return };
    let mut at = &raw mut s.head;
    // SAFETY: the slot's list holds live requests, under LOCK.
    unsafe {
        while !(*at).is_null() {
            if *at == r {
                *at = (*r).fd_next;
                (*r).fd_next = ptr::null_mut();
                return;
            }
            at = &raw mut (**at).fd_next;
        }
    }
}

/// A request that epoll's report `data` of `events` wakes, not yet run in
/// this `round` of the reactor (a request it ran and that waits again is
/// not run twice for one report), or NULL.
pub fn woken(data: u64, events: u32, round: u32) -> *mut Req {
    let (fd, reg) = (data as u32 as i32, (data >> 32) as u32);
    let Some(s) = existing(fd).filter(|s| s.reg == reg) else { return ptr::null_mut() };
    let always = (libc::EPOLLERR | libc::EPOLLHUP) as u32;
    let mut r = s.head;
    // SAFETY: the slot's list holds live requests, under LOCK.
    while let Some(req) = unsafe { r.as_mut() } {
        if req.reg == reg && req.round != round && events & (req.events | always) != 0 {
            req.round = round;
            return r;
        }
        r = req.fd_next;
    }
    ptr::null_mut()
}

/// Forgets every registration: a child after fork(), with a new epoll.
pub fn reset() {
    // SAFETY: NULL or our malloc'd table, no longer reachable.
    unsafe { libc::free(SLOTS.swap(ptr::null_mut(), Relaxed).cast()) };
    LEN.store(0, Relaxed);
}
