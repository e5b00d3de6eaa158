//! The reactor: one thread per process that waits, with epoll, for the fds
//! its pending requests need and, with a timerfd, for their timeouts, then
//! runs them again or ends them. Every emulated ring of the process shares
//! it. It starts with the first request that has to wait, and again in a
//! child after fork(), which inherits no threads. Its worker pool is in
//! workers.rs, and the chains IO_DRAIN holds back in drain.rs.

use super::chain;
use super::cq;
use super::ctrl::Ctrl;
use super::lock::Locked;
use super::ops::{self, Done, Outcome};
use super::req::{Kind, QUEUED, RUNNING, Req};
use super::wait::now;
use crate::sys::{self, io_uring_sqe, op, opflags, sqe_flags};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{
    AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst},
};

/// Guards the lists below, and fdwait.rs's table.
pub(super) static LOCK: AtomicU32 = AtomicU32::new(0);
/// The pending requests of this process, under LOCK, on one list by kind
/// (doubly linked, newest first; Req::on says which): Work requests, which
/// the workers run (workers.rs); TIMEOUTs and LINK_TIMEOUTs; requests
/// waiting for an fd, each also on its fd's list (fdwait.rs), which is how
/// epoll's reports find them.
pub(super) static PENDING: AtomicPtr<Req> = AtomicPtr::new(ptr::null_mut());
static TIMERS: AtomicPtr<Req> = AtomicPtr::new(ptr::null_mut());
static WAITERS: AtomicPtr<Req> = AtomicPtr::new(ptr::null_mut());
const ALL: [&AtomicPtr<Req>; 3] = [&PENDING, &TIMERS, &WAITERS];
/// Req::on: on no list, or on which.
const OFF: u8 = 0;
const ON_PENDING: u8 = 1;
const ON_TIMERS: u8 = 2;
const ON_WAITERS: u8 = 3;
/// The reactor's epoll fd, timerfd and wake-up eventfd, and the process
/// they belong to.
static EPFD: AtomicI32 = AtomicI32::new(-1);
static TFD: AtomicI32 = AtomicI32::new(-1);
static WAKE: AtomicI32 = AtomicI32::new(-1);
static PID: AtomicI32 = AtomicI32::new(0);
/// Emulated rings set up in this process and not yet torn down: the
/// reactor stops when the last one goes, leaving no thread or fd behind.
static RINGS: AtomicU32 = AtomicU32::new(0);
/// The reactor's generation: its thread runs while this holds the number
/// it started with; once that thread returns, EXITED passes it.
pub(super) static GENERATION: AtomicU32 = AtomicU32::new(0);
static EXITED: AtomicU32 = AtomicU32::new(0);
/// epoll data of the timerfd and the eventfd; an fd's requests are found
/// from theirs (fdwait.rs).
const TIMER: u64 = 1;
const WOKEN: u64 = 2;
/// The deadline the timerfd is set for (0: none), the reactor thread's
/// (under LOCK), and its count of epoll reports, which a request registered
/// afresh takes as its last (see wait_fd).
static ARMED: AtomicI64 = AtomicI64::new(0);
static ROUND: AtomicU32 = AtomicU32::new(0);

fn pid() -> i32 {
    // SAFETY: getpid has no preconditions.
    unsafe { libc::getpid() }
}

fn libc_call(call: impl FnOnce() -> i32) -> i32 {
    sys::syscall::without_errno(|| call() as isize) as i32
}

/// The list of requests of `on`.
fn list(on: u8) -> &'static AtomicPtr<Req> {
    match on {
        ON_PENDING => &PENDING,
        ON_TIMERS => &TIMERS,
        _ => &WAITERS,
    }
}

/// Puts `r` on its kind's list (one waiting for an fd is on the fd's
/// already: fdwait::watch). LOCK must be held.
fn link(r: *mut Req) {
    // SAFETY: a live request, on no list; the lists are ours under LOCK.
    let req = unsafe { &mut *r };
    req.on = match req.kind {
        Kind::Work => ON_PENDING,
        Kind::Timeout | Kind::LinkTimeout => ON_TIMERS,
        Kind::Ready => ON_WAITERS,
    };
    let head = list(req.on);
    req.prev = ptr::null_mut();
    req.next = head.load(Relaxed);
    // SAFETY: the list's first request is live, under LOCK.
    if let Some(first) = unsafe { req.next.as_mut() } {
        first.prev = r;
    }
    head.store(r, Relaxed);
    super::by_user_data::add(r);
}

/// Puts `r` back on its list, taking LOCK.
fn link_locked(r: *mut Req) {
    let _l = Locked::new(&LOCK);
    link(r);
}

/// Takes live request `r` off its list (and its fd's; a queued Work
/// request also out of the workers' queue): whether it was on one. LOCK
/// must be held.
fn unlink(r: *mut Req) -> bool {
    // SAFETY: a live request; the lists are ours under LOCK.
    let req = unsafe { &mut *r };
    if req.on == OFF {
        return false;
    }
    if req.on == ON_WAITERS {
        super::fdwait::unwatch(r);
    }
    if req.kind == Kind::Work && req.state == QUEUED {
        super::workers::dequeue(r);
    }
    // SAFETY: its neighbours are live requests of the same list, under LOCK.
    unsafe {
        match req.prev.as_mut() {
            Some(p) => p.next = req.next,
            None => list(req.on).store(req.next, Relaxed),
        }
        if let Some(n) = req.next.as_mut() {
            n.prev = req.prev;
        }
    }
    super::by_user_data::remove(r);
    req.on = OFF;
    req.next = ptr::null_mut();
    req.prev = ptr::null_mut();
    true
}

/// Makes `r`, on no list, wait for its fd (`renew`: see fdwait::watch):
/// 0, or the errno epoll gave. LOCK must be held.
fn wait_fd(r: *mut Req, renew: bool) -> i32 {
    if renew {
        // The report the reactor is running predates this registration (a
        // chain's next member armed while its fd's report runs the one
        // before): it is not this request's wake-up. Renewing has epoll
        // report the fd again if it is ready, so none is lost.
        // Relaxed: another thread's stale round only lets that report run
        // it, as any report may.
        let round = ROUND.load(Relaxed);
        // SAFETY: on no list, under LOCK: ours alone.
        unsafe { (*r).round = round };
    }
    let e = super::fdwait::watch(r, renew);
    if e == 0 {
        link(r);
    }
    e
}

/// Takes off the lists every request `pick` chooses (only the first,
/// unless `all`), returned as a list through `next`. With `user_data`,
/// only that user_data's requests are looked at, through the index, in
/// the order a walk of the lists meets them: list by list, newest first.
/// LOCK must be held.
fn take_locked(user_data: Option<u64>, pick: &dyn Fn(&Req) -> bool, all: bool) -> *mut Req {
    let mut taken = ptr::null_mut::<Req>();
    for on in [ON_PENDING, ON_TIMERS, ON_WAITERS] {
        let mut r = user_data.map_or_else(|| list(on).load(Relaxed), super::by_user_data::first);
        // SAFETY: a live request on a list, under LOCK.
        while let Some(req) = unsafe { r.as_ref() } {
            let next = if user_data.is_some() { req.ud_next } else { req.next };
            if user_data.is_none_or(|u| req.on == on && req.sqe.user_data == u) && pick(req) {
                unlink(r);
                // SAFETY: now off the list and ours.
                unsafe { (*r).next = taken };
                taken = r;
                if !all {
                    return taken;
                }
            }
            r = next;
        }
    }
    taken
}

/// [`take_locked`] among all requests, taking LOCK.
fn take(pick: &dyn Fn(&Req) -> bool, all: bool) -> *mut Req {
    let _l = Locked::new(&LOCK);
    take_locked(None, pick, all)
}

/// Runs `f` on each request of a list made by [`take`].
fn each(mut r: *mut Req, f: impl Fn(*mut Req)) -> u32 {
    let mut n = 0;
    while !r.is_null() {
        // SAFETY: a request of the taken list, ours alone.
        let next = unsafe { (*r).next };
        f(r);
        n += 1;
        r = next;
    }
    n
}

/// Starts this process's reactor if it is not running: false when it cannot.
fn start() -> bool {
    if PID.load(Acquire) == pid() {
        return true;
    }
    let _l = Locked::new(&LOCK);
    if PID.load(Relaxed) == pid() {
        return true;
    }
    // A child after fork(): the requests, fds and workers inherited are
    // the parent's (only a parent's reactor leaves PID set), and so is the
    // request its reactor thread was running, if any.
    BUSY.store(0, Relaxed);
    ARMED.store(0, Relaxed);
    for head in ALL {
        // SAFETY: each inherited request is ours now and on no list.
        each(head.swap(ptr::null_mut(), Relaxed), |r| unsafe { Req::free(r) });
    }
    super::by_user_data::reset();
    super::fdwait::reset();
    for fd in [&EPFD, &TFD, &WAKE] {
        let old = fd.swap(-1, Relaxed);
        if old >= 0 {
            sys::syscall::close(old);
        }
    }
    // SAFETY: epoll_create1, timerfd_create and eventfd take flags only.
    let ep = libc_call(|| unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) });
    // SAFETY: as above.
    let tfd =
        libc_call(|| unsafe { libc::timerfd_create(libc::CLOCK_MONOTONIC, libc::TFD_CLOEXEC | libc::TFD_NONBLOCK) });
    let wake = sys::syscall::eventfd(libc::EFD_CLOEXEC | libc::EFD_NONBLOCK);
    EPFD.store(ep, Relaxed);
    TFD.store(tfd, Relaxed);
    WAKE.store(wake, Relaxed);
    if ep < 0 || tfd < 0 || wake < 0 || epoll(libc::EPOLL_CTL_ADD, tfd, libc::EPOLLIN as u32, TIMER) < 0 {
        return false;
    }
    if epoll(libc::EPOLL_CTL_ADD, wake, libc::EPOLLIN as u32, WOKEN) < 0 || !spawn(main) {
        return false;
    }
    super::workers::start(PID.load(Relaxed) != 0);
    if !AT_EXIT.swap(true, Relaxed) {
        // SAFETY: registering a plain extern "C" fn; children inherit it.
        unsafe { libc::atexit(cancel_at_exit) };
    }
    PID.store(pid(), Release);
    true
}

/// Whether [`cancel_at_exit`] is registered (a child inherits it).
static AT_EXIT: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// At exit, as the kernel does for a task that exits, cancels the
/// requests this process left pending: -ECANCELED, so that another process
/// sharing their rings is not left waiting for them.
extern "C" fn cancel_at_exit() {
    if PID.load(Acquire) != pid() {
        return;
    }
    // A LINK_TIMEOUT goes with the request it guards.
    for r in core::iter::from_fn(|| take_busy(&ALL, &|r| r.kind != Kind::LinkTimeout && !started(r))) {
        // SAFETY: taken off the list: ours.
        let c = unsafe { &*(*r).ctrl };
        cancel_at_exit_one(r);
        cq::notify(c, false);
        idle();
    }
}

/// A ring was set up.
pub fn ring_added() {
    RINGS.fetch_add(1, Relaxed);
}

/// A ring was torn down (after [`forget`]): when it was the process's
/// last, the reactor thread ends and closes its fds before this returns.
pub fn ring_gone() {
    if RINGS.fetch_sub(1, AcqRel) != 1 {
        return;
    }
    let (g, fds) = {
        let _l = Locked::new(&LOCK);
        if PID.load(Relaxed) != pid() {
            return;
        }
        PID.store(0, Relaxed);
        // Release: the thread sees the new generation after our wake-up.
        let g = GENERATION.fetch_add(1, Release);
        wake();
        (g, [EPFD.swap(-1, Relaxed), TFD.swap(-1, Relaxed), WAKE.swap(-1, Relaxed)])
    };
    // Acquire: pairs with the thread's last store; its fds are then free.
    while EXITED.load(Acquire).wrapping_sub(g) as i32 <= 0 {
        super::lock::futex(&EXITED, libc::FUTEX_WAIT, g);
    }
    // The workers leave too (unless a new reactor started meanwhile).
    super::workers::stop(&|| PID.load(Acquire) == pid());
    for fd in fds {
        sys::syscall::close(fd);
    }
}

/// Starts a thread of the reactor (`main` or a worker) of the current
/// generation, which is its argument: a number, not a pointer.
pub(super) fn spawn(body: extern "C" fn(*mut c_void) -> *mut c_void) -> bool {
    super::thread::spawn(body, GENERATION.load(Relaxed) as usize as *mut c_void, 0)
}

/// epoll_ctl on the reactor's epoll: `fd` for `events`, with `data` to
/// report: 0 or -errno.
pub(super) fn epoll(op: i32, fd: i32, events: u32, data: u64) -> i32 {
    let mut ev = libc::epoll_event { events, u64: data };
    // SAFETY: one epoll_event in a local.
    libc_call(|| unsafe { libc::epoll_ctl(EPFD.load(Relaxed), op, fd, &mut ev) })
}

/// Wakes the reactor to look at count timeouts.
pub fn wake() {
    let fd = WAKE.load(Relaxed);
    if fd >= 0 {
        sys::syscall::eventfd_signal(fd);
    }
}

/// Arms the timerfd for the earliest deadline pending, unless it is set for
/// it. LOCK must be held.
fn rearm_timer() {
    let mut first = 0i64;
    let mut r = TIMERS.load(Relaxed);
    while !r.is_null() {
        // SAFETY: a live request on the list, under LOCK.
        let req = unsafe { &*r };
        if req.deadline != 0 && (first == 0 || req.deadline < first) {
            first = req.deadline;
        }
        r = req.next;
    }
    if ARMED.swap(first, Relaxed) == first {
        return;
    }
    let ns = 1_000_000_000;
    let value = libc::timespec { tv_sec: (first / ns) as _, tv_nsec: (first % ns) as _ };
    let spec = libc::itimerspec { it_interval: libc::timespec { tv_sec: 0, tv_nsec: 0 }, it_value: value };
    // SAFETY: one itimerspec in a local; a zero value disarms.
    libc_call(|| unsafe { libc::timerfd_settime(TFD.load(Relaxed), libc::TFD_TIMER_ABSTIME, &spec, ptr::null_mut()) });
}

/// Hands a request that has to wait to the reactor, with its LINK_TIMEOUT
/// `lt` and the `rest_len` chain members after them at `rest` (now the
/// reactor's). Without memory or a reactor, the request fails with
/// -ENOMEM or -EAGAIN and the rest with -ECANCELED.
pub fn arm(
    c: &Ctrl,
    sqe: &io_uring_sqe,
    wait: Outcome,
    lt: Option<&io_uring_sqe>,
    rest: *mut io_uring_sqe,
    rest_len: u32,
) {
    let kind = match wait {
        Outcome::Timer { .. } => Kind::Timeout,
        Outcome::Work { .. } => Kind::Work,
        _ => Kind::Ready,
    };
    let r = Req::new(c, sqe, kind);
    let g = lt.map_or(ptr::null_mut(), |t| Req::new(c, t, Kind::LinkTimeout));
    let err = if r.is_null() || (lt.is_some() && g.is_null()) {
        libc::ENOMEM
    } else if !start() {
        libc::EAGAIN
    } else {
        // SAFETY: a fresh request, ours alone until linked.
        if fill(c, unsafe { &mut *r }, wait) { 0 } else { libc::ENOMEM }
    };
    if err != 0 {
        // A job the request did not take is let go here.
        if let Outcome::Thread { job } = wait
            // SAFETY: `r` is NULL or a fresh request, ours alone.
            && (r.is_null() || unsafe { (*r).job }.is_null())
        {
            super::job::release(job);
        }
        chain::post(c, sqe, -err, [0; 2]);
        if let Some(t) = lt {
            chain::post(c, t, -libc::ECANCELED, [0; 2]);
        }
        // SAFETY: `rest` holds `rest_len` saved SQEs (or is NULL with none).
        chain::cancel_rest(c, rest_len, &|k| unsafe { *rest.add(k as usize) }, 0, &io_uring_sqe::default());
        // SAFETY: NULL or our own allocations, on no list.
        unsafe {
            libc::free(rest.cast());
            for p in [r, g].into_iter().filter(|p| !p.is_null()) {
                Req::free(p);
            }
        }
        return cq::notify(c, false);
    }
    // SAFETY: fresh requests, ours alone until linked.
    unsafe {
        (*r).rest = rest;
        (*r).rest_len = rest_len;
        if !g.is_null() {
            // Checked when the chain was taken (chain::check).
            (*g).deadline = super::wait_ops::link_deadline(&(*g).sqe).unwrap_or(1);
            (*g).guard = r;
            (*r).guard = g;
        }
    }
    // AcqRel: IO_DRAIN's check on another thread sees the request counted.
    c.inflight.fetch_add(1, AcqRel);
    let l = Locked::new(&LOCK);
    if !g.is_null() {
        link(g);
    }
    // SAFETY: a live request, on no list yet.
    let req = unsafe { &*r };
    let e = if req.kind == Kind::Ready { wait_fd(r, true) } else { 0 };
    if e != 0 {
        drop(l);
        // A file epoll cannot wait for (EPERM) is one the kernel cannot poll.
        let e = if e == libc::EPERM { libc::EOPNOTSUPP } else { e };
        return finish(r, Done::of(-(e as isize)));
    }
    if req.kind != Kind::Ready {
        link(r);
    }
    if req.deadline != 0 || !g.is_null() {
        rearm_timer();
    }
    if req.count != 0 {
        wake();
    }
    if req.kind == Kind::Work {
        super::workers::enqueue(r);
        drop(l);
        super::workers::wake();
    }
}

/// Fills in what `r` waits for: false without memory.
fn fill(c: &Ctrl, r: &mut Req, wait: Outcome) -> bool {
    if r.copy.is_null() && !super::copies::own(r) {
        return false;
    }
    match wait {
        Outcome::Progress { moved, fd, events } => {
            r.advance(moved);
            fill(c, r, Outcome::Ready { fd, events })
        }
        Outcome::Ready { fd, events } | Outcome::More { fd, events, .. } => {
            r.fd = fd;
            r.events = events;
            true
        }
        Outcome::Timer { deadline, count, interval, repeats } => {
            r.deadline = deadline;
            r.interval = interval;
            r.repeats = repeats;
            if count != 0 {
                r.count = count;
                r.base = c.cq_events.load(Relaxed);
                c.count_timeouts.fetch_add(1, Relaxed);
            }
            true
        }
        Outcome::Work { fd } => {
            r.fd = fd;
            true
        }
        Outcome::Thread { job } => {
            r.job = job;
            // SAFETY: the request now holds the job's reference.
            let efd = unsafe { (*job).efd };
            fill(c, r, Outcome::Ready { fd: efd, events: libc::EPOLLIN as u32 })
        }
        Outcome::Done(_) => true,
    }
}

/// The reactor thread, of reactor `generation`: it runs until
/// [`ring_gone`] moves on to the next.
extern "C" fn main(generation: *mut c_void) -> *mut c_void {
    REACTOR_TID.store(super::ctrl::gettid(), Relaxed);
    let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 64];
    // This generation's fds: ring_gone takes them off the statics at once,
    // and closes them only after this thread is done with them.
    let (ep, tfd, wake) = (EPFD.load(Relaxed), TFD.load(Relaxed), WAKE.load(Relaxed));
    // Acquire: pairs with ring_gone's bump, made before its wake-up.
    while GENERATION.load(Acquire) as usize == generation as usize {
        // SAFETY: room for 64 events in a local.
        let n = libc_call(|| unsafe { libc::epoll_wait(ep, evs.as_mut_ptr(), 64, -1) });
        for e in &evs[..n.max(0) as usize] {
            match e.u64 {
                TIMER => {
                    ARMED.store(0, Relaxed);
                    sys::syscall::eventfd_drain(tfd)
                }
                WOKEN => sys::syscall::eventfd_drain(wake),
                data => ready(data, e.events),
            }
        }
        expire();
    }
    // Release: ring_gone closes our fds once it sees this.
    EXITED.store((generation as usize as u32).wrapping_add(1), Release);
    super::lock::futex(&EXITED, libc::FUTEX_WAKE, i32::MAX as u32);
    ptr::null_mut()
}

/// Runs the requests waiting on the fd epoll reported ready (`data`, for
/// `reported`), each done or waiting again.
fn ready(data: u64, reported: u32) {
    let round = ROUND.fetch_add(1, Relaxed).wrapping_add(1);
    loop {
        let r = {
            let _l = Locked::new(&LOCK);
            let r = super::fdwait::woken(data, reported, round);
            if r.is_null() {
                return;
            }
            unlink(r);
            // SAFETY: a live request, now off the lists.
            BUSY.store(unsafe { (*r).ctrl } as usize, Relaxed);
            r
        };
        rerun(r, reported);
        idle();
    }
}

/// CQEs a multishot request posts in a row before it waits again.
pub const RETRIES: u32 = 32;

/// [`rerun`] of a request that runs as when it was submitted (a poll just
/// updated: its epoll registration was dropped), rather than because epoll
/// reported its fd.
const FRESH: u32 = u32::MAX;

/// Runs a request that is off the list again: done, or waiting again; epoll
/// `reported` its fd's readiness, or it runs [`FRESH`].
fn rerun(r: *mut Req, reported: u32) {
    let fresh = reported == FRESH;
    // SAFETY: off the list, so ours alone until linked again.
    let req = unsafe { &mut *r };
    // SAFETY: its ring outlives its requests: forget waits while it is busy.
    let c = unsafe { &*req.ctrl };
    // SPLICE and TEE poll either of their fds, so they find both again.
    let again = match req.sqe.opcode {
        _ if fresh => ops::issue(c, &req.sqe),
        _ if !req.job.is_null() => ops::after_job(c, &req.sqe, req.job),
        sys::op::SPLICE | sys::op::TEE => ops::issue(c, &req.sqe),
        sys::op::POLL_ADD => super::wait_ops::poll_fired(c, &req.sqe, req.fd, reported),
        _ => ops::run_on(c, &req.sqe, req.fd),
    };
    // Whether epoll must look at the fd afresh: a request that waits again
    // because it found the fd not ready (EAGAIN) is woken by the next edge,
    // one that stopped while the fd may still be ready is not.
    let mut renew = fresh;
    // A multishot request that posted a CQE runs again at once, as the
    // kernel retries one while data is there (up to RETRIES times), so what
    // arrived together is posted together; a multishot poll (EPOLLET)
    // waits for the next wake-up, and so does a receive that
    // net::retry_at_once says not to try again (a stream socket left
    // empty), unless the wake-up that ran it also reported the peer's end:
    // no later edge would announce that (FIONREAD does not count a FIN).
    let ended = reported & (libc::EPOLLRDHUP | libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0;
    let mut again = again;
    let mut posted = 0;
    while let Outcome::More { done, fd, events } = again {
        if !chain::post_more(c, &req.sqe, &req.result(done)) {
            return finish(r, done);
        }
        req.restart();
        posted += 1;
        if events & libc::EPOLLET as u32 != 0
            || posted == RETRIES
            || (!ended && !super::net::retry_at_once(&req.sqe, done.flags, fd))
        {
            renew |= posted == RETRIES;
            again = Outcome::Ready { fd, events };
            break;
        }
        again = ops::run_on(c, &req.sqe, req.fd);
    }
    if posted > 0 {
        cq::notify(c, false);
    }
    match again {
        Outcome::Ready { .. } | Outcome::More { .. } | Outcome::Thread { .. } => wait_again(r, again, renew),
        Outcome::Progress { moved, .. } => {
            req.advance(moved);
            wait_again(r, again, true);
        }
        Outcome::Done(d) => finish(r, d),
        Outcome::Work { .. } => {
            req.kind = Kind::Work;
            req.state = QUEUED;
            {
                let _l = Locked::new(&LOCK);
                link(r);
                super::workers::enqueue(r);
            }
            super::workers::wake();
        }
        Outcome::Timer { .. } => finish(r, Done::of(-(libc::EINVAL as isize))),
    }
}

/// Puts request `r`, off the lists, back to wait for what `again` names:
/// an fd's readiness or a new thread job (`renew`: see fdwait::watch).
fn wait_again(r: *mut Req, again: Outcome, mut renew: bool) {
    // SAFETY: off the list, so ours alone until linked again.
    let req = unsafe { &mut *r };
    // SAFETY: as in rerun().
    let c = unsafe { &*req.ctrl };
    let (fd, events) = match again {
        Outcome::Ready { fd, events } | Outcome::More { fd, events, .. } | Outcome::Progress { fd, events, .. } => {
            (fd, events)
        }
        _ => (-1, libc::EPOLLIN as u32),
    };
    if fd != req.fd {
        // It now waits for its other fd (SPLICE: the other pipe), or for a
        // new job.
        if !req.job.is_null() {
            super::job::release(req.job);
            req.job = ptr::null_mut();
        }
        let wait = if matches!(again, Outcome::Thread { .. }) { again } else { Outcome::Ready { fd, events } };
        if !fill(c, req, wait) {
            return finish(r, Done::of(-(libc::ENOMEM as isize)));
        }
        renew = true;
    }
    req.events = events;
    let l = Locked::new(&LOCK);
    let e = wait_fd(r, renew);
    drop(l);
    if e != 0 {
        finish(r, Done::of(-(e as isize)));
    }
}

/// Whether count timeout `r` saw its completions, as the kernel counts
/// them: unsigned, from where it was armed, so any count up to 2^32 - 1
/// waits.
fn counted(c: &Ctrl, r: &Req) -> bool {
    r.count != 0 && c.cq_events.load(Relaxed).wrapping_sub(r.base) >= r.count
}

/// Ends timeouts whose deadline passed or whose count was reached, and
/// arms the timerfd for the next.
fn expire() {
    let t = now();
    let due = |r: &Req| {
        // SAFETY: a pending request's ring outlives it.
        let c = unsafe { &*r.ctrl };
        let counted = counted(c, r);
        matches!(r.kind, Kind::Timeout | Kind::LinkTimeout) && ((r.deadline != 0 && r.deadline <= t) || counted)
    };
    // One at a time, each marked busy as it leaves the list (see forget).
    while let Some(r) = take_busy(&[&TIMERS], &due) {
        // SAFETY: taken off the list: ours alone.
        let req = unsafe { &*r };
        // SAFETY: as in ready().
        let c = unsafe { &*req.ctrl };
        if req.kind == Kind::LinkTimeout {
            // Its request, decided under LOCK, where the guard links are
            // kept (drop_guard): cancelled if it still waits; left to finish
            // if a worker runs it, as io-wq cannot stop running work.
            let (target, running) = {
                let _l = Locked::new(&LOCK);
                // SAFETY: the guard links are only touched under LOCK; a
                // target still linked to us is live (its drop_guard, which
                // unlinks us, has not run).
                unsafe {
                    let t = (*r).guard;
                    if !t.is_null() {
                        (*t).guard = ptr::null_mut();
                    }
                    match t {
                        t if t.is_null() => (t, false),
                        t if started(&*t) => (ptr::null_mut(), true),
                        t if unlink(t) => (t, false),
                        _ => (ptr::null_mut(), false),
                    }
                }
            };
            // As current kernels: the timeout's CQE, then the cancellation's.
            // The timeout's res is what cancelling gave: 1 for a futex wait
            // or WAITID, as the kernel counts those, -ENOENT for running
            // work (io_try_cancel finds nothing it can stop), else -ETIME.
            // The kernel does not count a fired LINK_TIMEOUT as failed, so
            // its CQE_SKIP_SUCCESS hides the CQE.
            // SAFETY: off the list when found: ours.
            let counted = !target.is_null()
                && matches!(unsafe { (*target).sqe.opcode }, op::FUTEX_WAIT | op::FUTEX_WAITV | op::WAITID);
            let res = match () {
                _ if counted => 1,
                _ if running => -libc::ENOENT,
                _ => -libc::ETIME,
            };
            if req.sqe.flags & sqe_flags::CQE_SKIP_SUCCESS == 0 {
                chain::post(c, &req.sqe, res, [0; 2]);
            }
            if !target.is_null() {
                cancel_one(target);
            }
            // SAFETY: off the list and no longer referenced.
            unsafe { Req::free(r) };
            cq::notify(c, false);
        } else if req.interval != 0 && req.repeats != 1 {
            // A multishot timeout that fires again: its CQE says so (unless
            // the CQ is full, which ends it).
            let d = Done::of(-(libc::ETIME as isize));
            if !chain::post_more(c, &req.sqe, &d) {
                finish(r, d);
                idle();
                continue;
            }
            // SAFETY: off the list: ours until linked again.
            let req = unsafe { &mut *r };
            req.repeats = req.repeats.saturating_sub(1);
            req.deadline = req.deadline.saturating_add(req.interval);
            link_locked(r);
            cq::notify(c, false);
        } else {
            let counted = counted(c, req);
            let etime_ok = req.sqe.op_flags & opflags::TIMEOUT_ETIME_SUCCESS != 0;
            let d = if counted { Done::of(0) } else { Done { failed: !etime_ok, ..Done::of(-(libc::ETIME as isize)) } };
            finish(r, d);
        }
        idle();
    }
    let _l = Locked::new(&LOCK);
    rearm_timer();
}

/// The ring whose request the reactor thread is running (0: none), and a
/// count bumped each time it stops, for [`forget`] to wait on.
static BUSY: AtomicUsize = AtomicUsize::new(0);
static IDLE: AtomicU32 = AtomicU32::new(0);
/// Threads that may wait for IDLE to move: the reactor thread makes the
/// futex call that wakes them only when there are some.
static IDLE_WAITERS: AtomicU32 = AtomicU32::new(0);

/// A wait for the reactor thread to put down what it runs: the count of
/// IDLE before it, the caller counted in IDLE_WAITERS meanwhile.
struct IdleWait(u32);

impl IdleWait {
    fn new() -> Self {
        // SeqCst: the count is ordered before reading IDLE, as idle()'s
        // bump is before its reading of the count: one sees the other.
        IDLE_WAITERS.fetch_add(1, SeqCst);
        IdleWait(IDLE.load(SeqCst))
    }

    /// Waits until IDLE moves on from what it was at new().
    fn wait(&self) {
        super::lock::futex(&IDLE, libc::FUTEX_WAIT, self.0);
    }
}

impl Drop for IdleWait {
    fn drop(&mut self) {
        IDLE_WAITERS.fetch_sub(1, Relaxed);
    }
}

/// Takes the first request of the lists `from` that `pick` chooses,
/// marking its ring busy in the same step.
fn take_busy(from: &[&AtomicPtr<Req>], pick: &dyn Fn(&Req) -> bool) -> Option<*mut Req> {
    let _l = Locked::new(&LOCK);
    for head in from {
        let mut r = head.load(Relaxed);
        // SAFETY: the list's requests are live, under LOCK.
        while let Some(req) = unsafe { r.as_ref() } {
            if pick(req) {
                BUSY.store(req.ctrl as usize, Relaxed);
                unlink(r);
                return Some(r);
            }
            r = req.next;
        }
    }
    None
}

/// The reactor thread is done with the busy ring.
fn idle() {
    // Release: what it did to the ring happens before forget goes on.
    BUSY.store(0, Release);
    // SeqCst: see IdleWait::new.
    IDLE.fetch_add(1, SeqCst);
    if IDLE_WAITERS.load(SeqCst) != 0 {
        super::lock::futex(&IDLE, libc::FUTEX_WAKE, i32::MAX as u32);
    }
}

/// Takes a request out of the reactor's hands: its epoll registration,
/// its LINK_TIMEOUT (cancelled), its count timeout.
fn release<'a>(r: *mut Req) -> &'a Ctrl {
    drop_guard(r);
    // SAFETY: off the list, or RUNNING on a worker: the caller's alone.
    let req = unsafe { &*r };
    // SAFETY: its ring outlives it (forget waits while it is busy).
    let c = unsafe { &*req.ctrl };
    if req.count != 0 {
        c.count_timeouts.fetch_sub(1, Relaxed);
    }
    c
}

/// Ends a request that is off the list: see [`end`].
fn finish(r: *mut Req, d: Done) {
    let c = end(r, d);
    // SAFETY: done with it.
    unsafe { Req::free(r) };
    cq::notify(c, false);
}

/// Ends Work request `r`, which the calling worker ran and which stays on
/// the pending list, RUNNING, until its chain has gone on (so that
/// [`forget`] waits for it), then frees it.
pub(super) fn finish_work(r: *mut Req, d: Done) {
    // Told before it leaves the list: once it has, the ring may go.
    cq::notify(end(r, d), false);
    {
        let _l = Locked::new(&LOCK);
        unlink(r);
    }
    // SAFETY: off the list and done with.
    unsafe { Req::free(r) };
}

/// Ends a request with `d`: its CQE, its LINK_TIMEOUT's, the rest of its
/// chain. The caller frees it and tells the ring's waiters: the ring.
fn end<'a>(r: *mut Req, d: Done) -> &'a Ctrl {
    let c = release(r);
    // SAFETY: the caller's alone (see release).
    let req = unsafe { &*r };
    let d = req.result(d);
    chain::complete(c, &req.sqe, &d);
    let rest = req.rest;
    // SAFETY: `rest` holds `rest_len` saved SQEs.
    let get = |k: u32| unsafe { *rest.add(k as usize) };
    if chain::breaks(&req.sqe, &d) {
        chain::cancel_rest(c, req.rest_len, &get, 0, &req.sqe);
    } else {
        chain::run(c, req.rest_len, &get);
    }
    super::drain::done_one(c);
    c
}

/// Cancels a request that is off the list, as the kernel fails it: its
/// CQE says -ECANCELED (or the bytes a send or receive moved before), its
/// LINK_TIMEOUT is cancelled, and the rest of its chain too unless
/// IO_HARDLINK keeps it going.
fn cancel_one(r: *mut Req) {
    end(r, Done::of(-(libc::ECANCELED as isize)));
    // SAFETY: done with it.
    unsafe { Req::free(r) };
}

/// Cancels a request of a process that exits: -ECANCELED for it, its
/// LINK_TIMEOUT and the rest of its chain, hard links too (nothing runs
/// once the process is gone).
fn cancel_at_exit_one(r: *mut Req) {
    let c = release(r);
    // SAFETY: off the list: ours alone.
    let req = unsafe { &*r };
    chain::post(c, &req.sqe, -libc::ECANCELED, [0; 2]);
    let rest = req.rest;
    // SAFETY: `rest` holds `rest_len` saved SQEs.
    chain::cancel_rest(c, req.rest_len, &|k| unsafe { *rest.add(k as usize) }, 0, &req.sqe);
    // SAFETY: done with it.
    unsafe { Req::free(r) };
    super::drain::done_one(c);
}

/// Cancels `r`'s LINK_TIMEOUT, if it still waits: -ECANCELED. The two
/// point at each other under LOCK until one of them ends: a timeout that
/// the reactor took to fire is told its request is gone.
fn drop_guard(r: *mut Req) {
    let g = {
        let _l = Locked::new(&LOCK);
        // SAFETY: the guard links are only touched under LOCK; a timeout
        // still linked to `r` is live (firing it unlinks `r` first).
        unsafe {
            let g = (*r).guard;
            (*r).guard = ptr::null_mut();
            if !g.is_null() && !unlink(g) {
                (*g).guard = ptr::null_mut();
                return;
            }
            g
        }
    };
    if !g.is_null() {
        // SAFETY: off the list: ours, and no longer referenced.
        unsafe {
            chain::disarmed(&*(*g).ctrl, &(*g).sqe);
            Req::free(g);
        }
    }
}

/// Whether a worker runs (or ran) `r`: too late to cancel it.
fn started(r: &Req) -> bool {
    r.kind == Kind::Work && r.state != QUEUED
}

/// The reactor thread's id, while it runs.
static REACTOR_TID: AtomicI32 = AtomicI32::new(0);

/// [`take`], once the reactor thread has put down any request of ring `c`
/// it runs (off the lists meanwhile, so a cancellation or update would
/// miss it: a multishot request re-arms right after its CQE), unless the
/// caller is that thread. It looks under LOCK, which the reactor holds to
/// take a request and mark its ring busy: it cannot pick one up between
/// the look and the take.
fn take_settled(c: &Ctrl, user_data: Option<u64>, pick: &dyn Fn(&Req) -> bool, all: bool) -> *mut Req {
    let ours = PID.load(Acquire) == pid() && REACTOR_TID.load(Relaxed) != super::ctrl::gettid();
    loop {
        let seen = IdleWait::new();
        {
            let _l = Locked::new(&LOCK);
            // Acquire: what the reactor did to the ring before idle().
            if !ours || BUSY.load(Acquire) != ptr::from_ref(c) as usize {
                return take_locked(user_data, pick, all);
            }
        }
        seen.wait();
    }
}

/// Cancels ring `c`'s pending requests that `pick` chooses (the first, or
/// `all`) among those of `user_data` (None: all): how many.
pub fn cancel(c: &Ctrl, user_data: Option<u64>, pick: &dyn Fn(&Req) -> bool, all: bool) -> u32 {
    let pick = |r: &Req| ptr::eq(r.ctrl, c) && r.kind != Kind::LinkTimeout && !started(r) && pick(r);
    let taken = take_settled(c, user_data, &pick, all);
    let n = each(taken, cancel_one);
    if n > 0 {
        cq::notify(c, false);
    }
    n
}

/// Updates ring `c`'s pending POLL_ADD `user_data` with `apply` and arms
/// it afresh, as the kernel re-arms an updated poll: -ENOENT when there is
/// none.
pub fn update_poll(c: &Ctrl, user_data: u64, apply: &dyn Fn(&mut io_uring_sqe)) -> sys::Result<()> {
    let pick = |r: &Req| ptr::eq(r.ctrl, c) && r.sqe.opcode == sys::op::POLL_ADD;
    let r = take_settled(c, Some(user_data), &pick, false);
    if r.is_null() {
        return Err(sys::Errno(libc::ENOENT));
    }
    // SAFETY: taken off the list: ours.
    let req = unsafe { &mut *r };
    apply(&mut req.sqe);
    rerun(r, FRESH);
    Ok(())
}

/// Gives ring `c`'s pending TIMEOUT (LINK_TIMEOUT with `link`) `user_data`
/// a new deadline: -ENOENT when there is none.
pub fn update_timeout(c: &Ctrl, link: bool, user_data: u64, deadline: i64) -> sys::Result<()> {
    let kind = if link { Kind::LinkTimeout } else { Kind::Timeout };
    let _l = Locked::new(&LOCK);
    let mut r = super::by_user_data::first(user_data);
    // SAFETY: a live request on a list, under LOCK.
    while let Some(req) = unsafe { r.as_mut() } {
        if req.on == ON_TIMERS && ptr::eq(req.ctrl, c) && req.kind == kind && req.sqe.user_data == user_data {
            req.deadline = deadline;
            rearm_timer();
            return Ok(());
        }
        r = req.ud_next;
    }
    Err(sys::Errno(libc::ENOENT))
}

/// Drops ring `c`'s pending requests and held-back chains, posting
/// nothing: the ring is being torn down.
pub fn forget(c: &Ctrl) {
    // A running request, and a LINK_TIMEOUT guarding one, stay for the
    // worker to end.
    let running = |r: &Req| r.kind == Kind::Work && r.state == RUNNING;
    // SAFETY: a guard on the list points at a live request (drop_guard).
    let mine = |r: &Req| ptr::eq(r.ctrl, c) && !running(r) && (r.guard.is_null() || !running(unsafe { &*r.guard }));
    loop {
        let taken = take(&mine, true);
        {
            // Every partner of a taken request is taken too, or is a
            // LINK_TIMEOUT the reactor is firing: it must not reach back.
            let _l = Locked::new(&LOCK);
            // SAFETY: the taken requests are ours and live; a partner is
            // live while linked to one (drop_guard), and its guard link is
            // only touched under LOCK.
            each(taken, |r| unsafe {
                if !(*r).guard.is_null() {
                    (*(*r).guard).guard = ptr::null_mut();
                }
            });
        }
        // SAFETY: taken off the list: ours.
        each(taken, |r| unsafe { Req::free(r) });
        // A worker may be running one of the ring's requests, and the
        // reactor finishing one, which can post and arm the rest of its
        // chain: wait, then look again.
        let (done_seen, idle_seen) = (super::workers::done_seq(), IdleWait::new());
        let working = {
            let _l = Locked::new(&LOCK);
            let mut r = PENDING.load(Relaxed);
            let mut found = false;
            while !r.is_null() && !found {
                // SAFETY: the list's requests are live, under LOCK.
                let req = unsafe { &*r };
                found = ptr::eq(req.ctrl, c) && req.kind == Kind::Work && req.state == RUNNING;
                r = req.next;
            }
            found
        };
        if working {
            super::workers::wait_done(done_seen);
        } else if BUSY.load(Acquire) == ptr::from_ref(c) as usize {
            idle_seen.wait();
        } else {
            break;
        }
    }
    super::drain::forget(c);
}
