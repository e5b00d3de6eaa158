//! liburing-rs: liburing, the userspace library for Linux io_uring, written
//! in Rust and exported with liburing's C ABI.
//!
//! Layers, top to bottom: `capi` (the `extern "C"` functions), then `ring`
//! (setup, submission, completion), `prep` (SQE preparation) and `register`
//! (registrations), all on `sys` (kernel types, constants and syscalls).

pub mod capi;
pub mod prep;
pub mod register;
pub mod ring;
pub mod sys;
pub mod trace;
