//! Tracing and statistics (URING_RS_TRACE, URING_RS_STATS).

use core::sync::atomic::AtomicU8;

/// Nonzero while tracing or statistics need to see every reap. The inline
/// fast paths in include/liburing/inline.h read it (one relaxed byte load)
/// and call into the library when it is set.
#[unsafe(no_mangle)]
pub static io_uring_rs_hooks: AtomicU8 = AtomicU8::new(0);
