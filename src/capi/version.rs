//! The library's version, the liburing API level implemented: Cargo.toml's
//! major and minor version (2.15).

use core::ffi::c_int;

/// Major version of the liburing API this library implements.
pub const VERSION_MAJOR: c_int = parse(env!("CARGO_PKG_VERSION_MAJOR"));
/// Minor version of the liburing API this library implements.
pub const VERSION_MINOR: c_int = parse(env!("CARGO_PKG_VERSION_MINOR"));

/// A version component, at compile time.
const fn parse(s: &str) -> c_int {
    match c_int::from_str_radix(s, 10) {
        Ok(v) => v,
        Err(_) => panic!("Cargo.toml's version is not numeric"),
    }
}

/// Returns the major version of the loaded library.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_major_version() -> c_int {
    VERSION_MAJOR
}

/// Returns the minor version of the loaded library.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_minor_version() -> c_int {
    VERSION_MINOR
}

/// Returns true when the loaded library is OLDER than major.minor, the same
/// sense as IO_URING_CHECK_VERSION.
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_check_version(major: c_int, minor: c_int) -> bool {
    major > VERSION_MAJOR || (major == VERSION_MAJOR && minor > VERSION_MINOR)
}
