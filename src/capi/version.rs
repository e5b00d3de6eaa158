//! The library's version: 2.15, the liburing API level implemented.

use core::ffi::c_int;

/// Major version of the liburing API this library implements.
pub const VERSION_MAJOR: c_int = 2;
/// Minor version of the liburing API this library implements.
pub const VERSION_MINOR: c_int = 15;

/// Returns the major version of the loaded library (2).
#[unsafe(no_mangle)]
pub extern "C" fn io_uring_major_version() -> c_int {
    VERSION_MAJOR
}

/// Returns the minor version of the loaded library (15).
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
