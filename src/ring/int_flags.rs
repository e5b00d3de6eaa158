//! Bits of `io_uring.int_flags`, the library-private byte no inline code
//! reads. The first two are io_uring_enter flag bits themselves, so they OR
//! straight into the flags of every enter.

use crate::sys::enter;

/// Enter through the registered ring index (`enter_ring_fd`).
pub const REG_RING: u8 = enter::REGISTERED_RING as u8;
/// Ask the kernel not to count waits as iowait.
pub const NO_IOWAIT: u8 = enter::NO_IOWAIT as u8;
/// The registered index also serves io_uring_register (REGISTERED_FD_ONLY,
/// or a kernel with IORING_FEAT_REG_REG_RING).
pub const REG_REG_RING: u8 = 1;
/// The ring memory belongs to the application (io_uring_queue_init_mem).
pub const APP_MEM: u8 = 2;
/// IOPOLL without SQPOLL: completions are only found by entering.
pub const CQ_ENTER: u8 = 4;
/// The ring is the userspace engine's (src/emu), not the kernel's.
pub const EMULATED: u8 = 8;

/// The bits that are also io_uring_enter flags.
const ENTER_MASK: u8 = REG_RING | NO_IOWAIT;

/// The enter flags every io_uring_enter on this ring must carry.
#[inline(always)]
pub fn enter_flags(int_flags: u8) -> u32 {
    (int_flags & ENTER_MASK) as u32
}
