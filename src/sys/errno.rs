//! Internal error type: a positive errno value, turned into `-errno` only at
//! the C boundary.

/// A positive `errno` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

/// Result type used throughout the core.
pub type Result<T> = core::result::Result<T, Errno>;

impl Errno {
    pub const EBADF: Errno = Errno(libc::EBADF);
    pub const EMFILE: Errno = Errno(libc::EMFILE);
    pub const EAGAIN: Errno = Errno(libc::EAGAIN);
    pub const ENOMEM: Errno = Errno(libc::ENOMEM);
    pub const EFAULT: Errno = Errno(libc::EFAULT);
    pub const EEXIST: Errno = Errno(libc::EEXIST);
    pub const EINVAL: Errno = Errno(libc::EINVAL);
    pub const ETIME: Errno = Errno(libc::ETIME);
    pub const EOPNOTSUPP: Errno = Errno(libc::EOPNOTSUPP);

    /// Interprets a raw syscall return: negative values are `-errno`.
    #[inline(always)]
    pub fn check(ret: isize) -> Result<isize> {
        if ret < 0 { Err(Errno(-ret as i32)) } else { Ok(ret) }
    }

    /// The value the C boundary returns: `-errno`.
    #[inline(always)]
    pub fn to_neg(self) -> i32 {
        -self.0
    }
}
