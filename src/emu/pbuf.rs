//! Provided buffers of an emulated ring: the groups PROVIDE_BUFFERS fills
//! (kept by the engine, handed out in the order provided) and the buffer
//! rings the program registers (IORING_REGISTER_PBUF_RING), whose tail the
//! program publishes and whose head the engine moves, as the kernel does.
//! The group table and a provided group's entries are mappings of their
//! own, like the fixed tables (shared_map), so the same in parent and
//! child, and checked before use by a process that did not map them; a
//! group is only touched under the ring's `pbuf_lock`.

use super::ctrl::Ctrl;
use super::lock::Locked;
use super::ops::Done;
use super::shared_map::{self, Where};
use crate::sys::{
    self, Errno, Result, cqe_flags, io_uring_buf, io_uring_buf_reg, io_uring_buf_status, io_uring_sqe, pbuf,
};
use core::ffi::c_void;
use core::sync::atomic::{
    AtomicI32, AtomicU16, AtomicU32, AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};

/// Groups a ring can hold at once.
const GROUPS: usize = 1024;
/// The kernel's limit of buffers in a provided group (ids are 16 bits).
const MAX_BUFS: u32 = 1 << 16;
/// `Group::kind` of a group PROVIDE_BUFFERS filled; a buffer ring's kind
/// is RING with its IOU_PBUF_RING_* flags.
const LEGACY: u32 = 1;
const RING: u32 = 1 << 16;

#[repr(C)]
struct Group {
    /// bgid + 1, or 0 for a free slot.
    id: AtomicU32,
    kind: AtomicU32,
    /// The entries: the program's ring, or the engine's mapping of
    /// MAX_BUFS for provided buffers (made by process `pid`, with `key`).
    bufs: AtomicUsize,
    pid: AtomicI32,
    key: AtomicU64,
    /// Entries - 1.
    mask: AtomicU32,
    /// The engine's head; provided buffers keep their tail here too (a
    /// ring's is the program's, in the ring).
    head: AtomicU32,
    tail: AtomicU32,
}

/// A buffer handed to an operation.
#[derive(Clone, Copy)]
pub struct Buf {
    pub addr: u64,
    pub len: u32,
    pub bid: u16,
    /// From a buffer ring (not PROVIDE_BUFFERS).
    pub ring: bool,
}

/// The group table, mapped on first use when `create`: -ENOENT without
/// one, -EFAULT when another process mapped it after fork(), so it is not
/// in this process's memory. Needs `pbuf_lock`.
fn table<'a>(c: &Ctrl, create: bool) -> Result<&'a [Group]> {
    let w = Where { addr: &c.pbufs, pid: &c.pbufs_pid, key: &c.pbufs_key };
    // Relaxed: `pbuf_lock` orders the table's publication.
    if c.pbufs.load(Relaxed) == 0 {
        if !create {
            return Err(Errno(libc::ENOENT));
        }
        let key = shared_map::new_key();
        let t = shared_map::map::<Group>(GROUPS as u32, key)?;
        c.pbufs_pid.store(shared_map::my_pid(), Relaxed);
        c.pbufs_key.store(key, Relaxed);
        // Release: the owner and key go before the address (shared_map).
        c.pbufs.store(t as usize, Release);
    }
    shared_map::view(&w, GROUPS as u32).ok_or(Errno::EFAULT)
}

/// A provided group's entries, if they are in this process's memory.
fn legacy_entries<'a>(g: &Group) -> Option<&'a [io_uring_buf]> {
    shared_map::view(&Where { addr: &g.bufs, pid: &g.pid, key: &g.key }, MAX_BUFS)
}

/// Group `bgid` of the table, if registered (and, for provided buffers,
/// its entries are in this process's memory).
fn find(t: &[Group], bgid: u16) -> Option<&Group> {
    let g = t.iter().find(|g| g.id.load(Relaxed) == bgid as u32 + 1)?;
    (g.kind.load(Relaxed) != LEGACY || legacy_entries(g).is_some()).then_some(g)
}

/// Entry `i` of a group's entries.
fn entry(g: &Group, i: u32) -> *mut io_uring_buf {
    let i = (i & g.mask.load(Relaxed)) as usize;
    (g.bufs.load(Relaxed) as *mut io_uring_buf).wrapping_add(i)
}

/// A buffer ring's tail, published by the program.
fn ring_tail(g: &Group) -> u16 {
    let tail = (g.bufs.load(Relaxed) + 14) as *mut u16;
    // SAFETY: the ring's first entry is live (registered); its `resv` is
    // the tail. Acquire: pairs with the program's release store of the
    // tail (io_uring_buf_ring_advance), so the entries it covers are seen.
    unsafe { AtomicU16::from_ptr(tail) }.load(Acquire)
}

/// Buffers a group has ready.
fn available(g: &Group) -> u32 {
    let head = g.head.load(Relaxed);
    if g.kind.load(Relaxed) == LEGACY {
        g.tail.load(Relaxed).wrapping_sub(head)
    } else {
        ring_tail(g).wrapping_sub(head as u16) as u32
    }
}

/// Buffers one bundle takes at most.
pub const MAX_BUNDLE: usize = 64;

/// Fills `out` with the group's next buffers, `want` bytes in all at most
/// (0: whole buffers), the last one cut to fit: how many. One buffer
/// unless `bundle` (a buffer ring's; provided groups give one).
fn peek(g: &Group, want: u32, bundle: bool, out: &mut [Buf; MAX_BUNDLE]) -> usize {
    let many = bundle && g.kind.load(Relaxed) != LEGACY;
    let n = (available(g) as usize).min(if many { MAX_BUNDLE } else { 1 });
    let head = g.head.load(Relaxed);
    let mut left = want;
    for (i, slot) in out.iter_mut().enumerate().take(n) {
        // SAFETY: the entry lies in the group's entries (masked); the
        // program wrote it before publishing the tail (acquired in
        // available).
        let b = unsafe { entry(g, head.wrapping_add(i as u32)).read_volatile() };
        let len = if want == 0 { b.len } else { b.len.min(left) };
        *slot = Buf { addr: b.addr, len, bid: b.bid, ring: g.kind.load(Relaxed) != LEGACY };
        if want != 0 {
            left -= len;
            if left == 0 {
                return i + 1;
            }
        }
    }
    n
}

/// Consumes what an operation used of the group's buffers `bufs`, taken
/// from its head, which moved `res` bytes: the CQE flags naming the
/// first. A ring's head moves past the buffers the bytes reached (past
/// the one buffer of a single selection; not at all for an error); with
/// IOU_PBUF_RING_INC a buffer is only passed once used up, its entry
/// meanwhile moved past the bytes used (IORING_CQE_F_BUF_MORE).
fn commit(g: &Group, bufs: &[Buf], res: isize) -> u32 {
    let flags = cqe_flags::BUFFER | (bufs[0].bid as u32) << cqe_flags::BUFFER_SHIFT;
    let kind = g.kind.load(Relaxed);
    let head = g.head.load(Relaxed);
    if kind == LEGACY {
        g.head.store(head.wrapping_add(1), Relaxed);
        return flags;
    }
    if res < 0 {
        return flags;
    }
    if kind & pbuf::INC as u32 == 0 {
        let mut left = res as u64;
        let reached = bufs.iter().take_while(|b| {
            let more = left > 0;
            left = left.saturating_sub(b.len as u64);
            more
        });
        let n = if bufs.len() == 1 { 1 } else { reached.count() as u32 };
        g.head.store(head.wrapping_add(n), Relaxed);
        return flags;
    }
    // Nothing moved (end of file, say): the buffer stays whole, and is
    // still the program's to use again, as 6.12 and 6.18 post it.
    if res == 0 {
        return flags | cqe_flags::BUF_MORE;
    }
    let mut left = res as u32;
    let mut at = head;
    while left > 0 {
        let e = entry(g, at);
        // SAFETY: the entry lies in the program's ring; the kernel writes
        // it in place too, for the program to read once it sees the CQE.
        let (addr, len) = unsafe { (AtomicU64::from_ptr(&raw mut (*e).addr), AtomicU32::from_ptr(&raw mut (*e).len)) };
        let this = left.min(len.load(Relaxed));
        let rest = len.load(Relaxed) - this;
        if rest > 0 || this == 0 {
            addr.fetch_add(this as u64, Relaxed);
            len.store(rest, Relaxed);
            g.head.store(at, Relaxed);
            return flags | cqe_flags::BUF_MORE;
        }
        len.store(0, Relaxed);
        at = at.wrapping_add(1);
        left -= this;
    }
    g.head.store(at, Relaxed);
    flags
}

/// Runs `io` on the next buffers of group `bgid` (one, or a bundle's), of
/// at most `want` bytes (0: whole buffers), under the ring's buffer lock:
/// its result and the CQE flags naming the buffer. When `used` says the
/// result used them, they are consumed; otherwise they stay for the next
/// operation (one that has to wait picks again). -ENOBUFS without one.
pub fn with_buffers(
    c: &Ctrl,
    bgid: u16,
    want: u32,
    bundle: bool,
    used: impl FnOnce(isize) -> bool,
    io: impl FnOnce(&[Buf]) -> isize,
) -> Done {
    let _l = Locked::new(&c.pbuf_lock);
    let mut bufs = [Buf { addr: 0, len: 0, bid: 0, ring: false }; MAX_BUNDLE];
    let Some(g) = table(c, false).ok().and_then(|t| find(t, bgid)) else {
        return Done::of(-(libc::ENOBUFS as isize));
    };
    let n = peek(g, want, bundle, &mut bufs);
    if n == 0 {
        return Done::of(-(libc::ENOBUFS as isize));
    }
    let res = io(&bufs[..n]);
    let flags = if used(res) { commit(g, &bufs[..n], res) } else { 0 };
    Done { flags, ..Done::of(res) }
}

/// [`with_buffers`] for one buffer.
pub fn with_buffer(
    c: &Ctrl,
    bgid: u16,
    want: u32,
    used: impl FnOnce(isize) -> bool,
    io: impl FnOnce(Buf) -> isize,
) -> Done {
    with_buffers(c, bgid, want, false, used, |b| io(b[0]))
}

/// Takes the next buffer of group `bgid`, of at most `want` bytes (0: the
/// whole buffer), and consumes its whole length at once, as the kernel
/// commits a buffer it selects for a request in its workers: the buffer
/// and the CQE flags naming it. The caller's blocking I/O then runs
/// without the buffer lock. -ENOBUFS without one.
pub fn take_buffer(c: &Ctrl, bgid: u16, want: u32) -> Result<(Buf, u32)> {
    let mut taken = None;
    let d = with_buffer(
        c,
        bgid,
        want,
        |_| true,
        |b| {
            taken = Some(b);
            b.len as isize
        },
    );
    taken.map(|b| (b, d.flags)).ok_or(Errno(-d.res))
}

/// Buffers group `bgid` has ready (0 without the group).
pub fn ready(c: &Ctrl, bgid: u16) -> u32 {
    let _l = Locked::new(&c.pbuf_lock);
    table(c, false).ok().and_then(|t| find(t, bgid)).map_or(0, available)
}

/// The buffer group an SQE selects from.
pub fn group(sqe: &io_uring_sqe) -> u16 {
    sqe.buf_index
}

/// PROVIDE_BUFFERS: `fd` buffers of `len` bytes from `addr`, ids from
/// `off`, into group `buf_index`. 0 (-EOVERFLOW when the group is full
/// before the first), -E2BIG / -EINVAL / -EOVERFLOW for bad counts, -EINVAL
/// for a buffer ring's group, -ENOMEM without room for a new group.
pub fn provide(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let (n, len, bid) = (sqe.fd as u32, sqe.len, sqe.off);
    let r = if sqe.op_flags != 0 || sqe.file_index != 0 {
        Err(Errno::EINVAL)
    } else if n == 0 || n > MAX_BUFS || bid > u16::MAX as u64 {
        Err(Errno(libc::E2BIG))
    } else if len == 0 || bid + n as u64 > MAX_BUFS as u64 {
        Err(Errno::EINVAL)
    } else if sqe.addr.checked_add(len as u64 * n as u64).is_none() {
        Err(Errno(libc::EOVERFLOW))
    } else {
        add(c, sqe, n)
    };
    Done::result(r)
}

fn add(c: &Ctrl, sqe: &io_uring_sqe, n: u32) -> Result<u32> {
    let _l = Locked::new(&c.pbuf_lock);
    let t = table(c, true)?;
    let bgid = group(sqe);
    let g = match find(t, bgid) {
        Some(g) if g.kind.load(Relaxed) != LEGACY => return Err(Errno::EINVAL),
        Some(g) => g,
        None => {
            let g = t.iter().find(|g| g.id.load(Relaxed) == 0).ok_or(Errno::ENOMEM)?;
            let key = shared_map::new_key();
            g.bufs.store(shared_map::map::<io_uring_buf>(MAX_BUFS, key)? as usize, Relaxed);
            g.pid.store(shared_map::my_pid(), Relaxed);
            g.key.store(key, Relaxed);
            g.mask.store(MAX_BUFS - 1, Relaxed);
            g.kind.store(LEGACY, Relaxed);
            g.head.store(0, Relaxed);
            g.tail.store(0, Relaxed);
            g.id.store(bgid as u32 + 1, Relaxed);
            g
        }
    };
    let mut added = 0;
    while added < n && available(g) < MAX_BUFS - 1 {
        let tail = g.tail.load(Relaxed);
        let addr = sqe.addr + added as u64 * sqe.len as u64;
        let bid = (sqe.off + added as u64) as u16;
        // SAFETY: the entry lies in the group's own mapping (masked).
        unsafe { entry(g, tail).write(io_uring_buf { addr, len: sqe.len, bid, resv: 0 }) };
        g.tail.store(tail.wrapping_add(1), Relaxed);
        added += 1;
    }
    if added == 0 { Err(Errno(libc::EOVERFLOW)) } else { Ok(0) }
}

/// REMOVE_BUFFERS: drops up to `fd` buffers of group `buf_index`, oldest
/// first: how many. -EINVAL for bad fields or a buffer ring's group,
/// -ENOENT for no group.
pub fn remove(c: &Ctrl, sqe: &io_uring_sqe, _: i32) -> Done {
    let n = sqe.fd as u32;
    if sqe.op_flags != 0 || sqe.addr != 0 || sqe.len != 0 || sqe.off != 0 || sqe.file_index != 0 {
        return Done::of(-(libc::EINVAL as isize));
    }
    if n == 0 || n > MAX_BUFS {
        return Done::of(-(libc::EINVAL as isize));
    }
    let _l = Locked::new(&c.pbuf_lock);
    let r = match table(c, false).ok().and_then(|t| find(t, group(sqe))) {
        None => Err(Errno(libc::ENOENT)),
        Some(g) if g.kind.load(Relaxed) != LEGACY => Err(Errno::EINVAL),
        Some(g) => {
            let k = n.min(available(g));
            g.head.store(g.head.load(Relaxed).wrapping_add(k), Relaxed);
            Ok(k)
        }
    };
    Done::result(r)
}

/// Drops a group: unmaps a provided group's entries.
fn drop_group(g: &Group) {
    unmap_entries(g);
    g.id.store(0, Relaxed);
}

/// Unmaps this process's view of a provided group's entries.
fn unmap_entries(g: &Group) {
    if let Some(e) = legacy_entries(g).filter(|_| g.kind.load(Relaxed) == LEGACY) {
        // SAFETY: the group's own mapping, here (checked); its callers
        // stop using it.
        unsafe { shared_map::unmap(e.as_ptr(), MAX_BUFS) };
    }
}

/// IORING_REGISTER_PBUF_RING: the program's ring of `ring_entries` (a
/// power of two below 65536) at page-aligned `ring_addr` becomes group
/// `bgid`. -EINVAL for bad fields, flags or IOU_PBUF_RING_MMAP (not
/// emulated), -EFAULT for no address, -EEXIST when the group has buffers.
pub fn register_ring(c: &Ctrl, r: &io_uring_buf_reg) -> Result<u32> {
    let page = sys::syscall::page_size() as u64;
    let entries = r.ring_entries;
    if r.min_left != 0 || r.resv != [0; 5] || r.flags & !pbuf::INC != 0 {
        return Err(Errno::EINVAL);
    }
    if !entries.is_power_of_two() || entries >= MAX_BUFS {
        return Err(Errno::EINVAL);
    }
    let _l = Locked::new(&c.pbuf_lock);
    let t = table(c, true)?;
    if let Some(g) = find(t, r.bgid) {
        if g.kind.load(Relaxed) != LEGACY || available(g) != 0 {
            return Err(Errno(libc::EEXIST));
        }
        drop_group(g);
    }
    if r.ring_addr == 0 {
        return Err(Errno::EFAULT);
    }
    if r.ring_addr & (page - 1) != 0 {
        return Err(Errno::EINVAL);
    }
    mapped(r.ring_addr, entries as usize * size_of::<io_uring_buf>())?;
    let g = t.iter().find(|g| g.id.load(Relaxed) == 0).ok_or(Errno::ENOMEM)?;
    g.bufs.store(r.ring_addr as usize, Relaxed);
    g.mask.store(entries - 1, Relaxed);
    g.kind.store(RING | r.flags as u32, Relaxed);
    g.head.store(0, Relaxed);
    g.id.store(r.bgid as u32 + 1, Relaxed);
    Ok(0)
}

/// -EFAULT unless the `len` bytes at page-aligned `addr` are mapped, as
/// the kernel's pinning of a ring's pages finds out.
fn mapped(addr: u64, len: usize) -> Result<()> {
    let page = sys::syscall::page_size();
    let mut vec = [0u8; 256];
    let mut at = 0;
    while at < len {
        let chunk = (len - at).min(vec.len() * page);
        let p = (addr as usize + at) as *mut c_void;
        // SAFETY: mincore only looks the pages up, and writes one byte per
        // page of `chunk` into `vec`, which has room for them.
        if unsafe { libc::mincore(p, chunk, vec.as_mut_ptr()) } != 0 {
            return Err(Errno::EFAULT);
        }
        at += chunk;
    }
    Ok(())
}

/// The buffer ring of group `bgid`: -ENOENT without one, -EINVAL for a
/// PROVIDE_BUFFERS group. Needs `pbuf_lock`.
fn ring_group<'a>(c: &Ctrl, bgid: u16) -> Result<&'a Group> {
    let g = table(c, false).ok().and_then(|t| find(t, bgid)).ok_or(Errno(libc::ENOENT))?;
    if g.kind.load(Relaxed) == LEGACY {
        return Err(Errno::EINVAL);
    }
    Ok(g)
}

/// IORING_UNREGISTER_PBUF_RING of group `bgid`.
pub fn unregister_ring(c: &Ctrl, r: &io_uring_buf_reg) -> Result<u32> {
    if r.resv != [0; 5] || r.min_left != 0 || r.flags != 0 {
        return Err(Errno::EINVAL);
    }
    let _l = Locked::new(&c.pbuf_lock);
    drop_group(ring_group(c, r.bgid)?);
    Ok(0)
}

/// IORING_REGISTER_PBUF_STATUS: the engine's head of a buffer ring.
pub fn status(c: &Ctrl, s: &mut io_uring_buf_status) -> Result<u32> {
    if s.resv != [0; 8] {
        return Err(Errno::EINVAL);
    }
    let _l = Locked::new(&c.pbuf_lock);
    let bgid = u16::try_from(s.buf_group).map_err(|_| Errno(libc::ENOENT))?;
    s.head = ring_group(c, bgid)?.head.load(Relaxed) & 0xffff;
    Ok(0)
}

/// Unmaps this process's views of the group table and provided groups'
/// entries, at ring teardown. The groups stay for the other processes
/// sharing the ring.
pub fn drop_all(c: &Ctrl) {
    let _l = Locked::new(&c.pbuf_lock);
    if let Ok(t) = table(c, false) {
        t.iter().filter(|g| g.id.load(Relaxed) != 0).for_each(unmap_entries);
        // SAFETY: this process's view of the table (checked), which the
        // ring being torn down no longer uses here.
        unsafe { shared_map::unmap(t.as_ptr(), GROUPS as u32) };
    }
}
