//! The kernel's side of the contract: uapi types and constants, and the raw
//! system calls. No logic lives here.

pub mod abi;
pub mod consts;
pub mod errno;
pub mod syscall;

pub use abi::*;
pub use consts::*;
pub use errno::{Errno, Result};
