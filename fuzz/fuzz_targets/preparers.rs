//! Every preparer with random arguments: fuzz/c/preparers.c checks what
//! it writes (and compares with upstream liburing's when its header is
//! there).
#![no_main]

use libfuzzer_sys::fuzz_target;
// Links the library the C harness calls.
use uring_rs as _;

unsafe extern "C" {
    fn fuzz_preparers(data: *const u8, len: usize);
}

fuzz_target!(|data: &[u8]| {
    // SAFETY: the harness reads `len` bytes at `data`, a live slice.
    unsafe { fuzz_preparers(data.as_ptr(), data.len()) }
});
