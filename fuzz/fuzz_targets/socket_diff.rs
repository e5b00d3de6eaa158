//! The same random programs of socket operations on a kernel ring and an
//! emulated one, over socketpairs of their own, with equal CQEs and bytes
//! demanded (fuzz/c/socket_diff.c does the work).
#![no_main]

use libfuzzer_sys::fuzz_target;
// Links the library the C harness calls.
use uring_rs as _;

unsafe extern "C" {
    fn fuzz_socket_diff(data: *const u8, len: usize);
}

fuzz_target!(|data: &[u8]| {
    // SAFETY: the harness reads `len` bytes at `data`, a live slice.
    unsafe { fuzz_socket_diff(data.as_ptr(), data.len()) }
});
