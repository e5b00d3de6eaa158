//! Random sequences of liburing calls on a real ring, checked against a
//! model of the ring's counts (fuzz/c/api_sequence.c does the work).
#![no_main]

use libfuzzer_sys::fuzz_target;
// Links the library the C harness calls.
use uring_rs as _;

unsafe extern "C" {
    fn fuzz_api_sequence(data: *const u8, len: usize);
}

fuzz_target!(|data: &[u8]| {
    // SAFETY: the harness reads `len` bytes at `data`, a live slice.
    unsafe { fuzz_api_sequence(data.as_ptr(), data.len()) }
});
