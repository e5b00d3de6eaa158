//! The ring itself: liburing's `struct io_uring` and everything that sets it
//! up, submits through it, and reaps from it. Every function re-reads its
//! state from the struct (a binary built on upstream's inline header moves it
//! behind our back), and no state lives anywhere else.

pub mod buf_ring;
pub mod complete;
pub mod fd;
pub mod hooks;
pub mod int_flags;
pub mod live;
pub mod resize;
pub mod setup;
pub mod shared;
pub mod submit;
pub mod types;

#[cfg(test)]
mod fake_tests;

pub use live::{Live, LiveRing};
pub use types::{io_uring, io_uring_cqe_iter};
