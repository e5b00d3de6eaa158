//! liburing-rs: liburing, the userspace library for Linux io_uring, written
//! in Rust and exported with liburing's C ABI.
//!
//! Layers, top to bottom, each using only those below it
//! (tools/check-layers.sh): `capi` (the `extern "C"` functions); `register`
//! (registrations) and `trace` (tracing and statistics, through the ring's
//! hooks); `ring` (setup, submission, completion); `emu` (the userspace
//! engine that serves rings the kernel refuses), `prep` (SQE preparation)
//! and `recvmsg_out` (multishot recvmsg buffers); `sys` (kernel types,
//! constants and syscalls).
//!
//! The library needs nothing from Rust's std: built with `panic = "abort"`
//! (every profile `make` uses) it is `no_std`, so the shared library carries
//! no unwinder, backtrace symboliser or formatting machinery it never uses,
//! and depends on libc alone. Test harnesses, which unwind, and the fuzz
//! targets (the `std` feature) build it with std instead.

#![cfg_attr(all(panic = "abort", not(test), not(feature = "std")), no_std)]

// Only the C functions are the library's interface; the Rust modules
// behind them are private to the crate.
pub mod capi;
pub(crate) mod emu;
pub(crate) mod prep;
pub(crate) mod recvmsg_out;
pub(crate) mod register;
pub(crate) mod ring;
pub(crate) mod sys;
pub(crate) mod trace;

#[cfg(test)]
mod layout_tests;

/// A panic is a bug in the library: it says where on stderr and aborts the
/// process, as the `panic = "abort"` profiles promise, without unwinding
/// into C.
#[cfg(all(panic = "abort", not(test), not(feature = "std")))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    use core::fmt::Write;
    let mut line = trace::line::Line::new();
    // A line too long for the buffer is cut, never an error.
    let _ = write!(line, "liburing-rs: internal error, aborting: {info}");
    line.emit_to(libc::STDERR_FILENO);
    // SAFETY: abort takes no arguments and never returns.
    unsafe { libc::abort() }
}
