//! One output line, built on the stack and written with a single write(2),
//! so lines from threads and processes sharing the sink never interleave.

use core::fmt;
use core::sync::atomic::{AtomicI32, Ordering};

/// Where trace and statistics lines go: stderr, or the URING_RS_TRACE file.
static SINK: AtomicI32 = AtomicI32::new(2);

/// Sends every line to `path`, opened for appending; stays on stderr if it
/// cannot be opened.
pub fn open_sink(path: &core::ffi::CStr) {
    let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC;
    // SAFETY: `path` is NUL-terminated.
    let fd = unsafe { libc::open(path.as_ptr(), flags, 0o644) };
    if fd >= 0 {
        SINK.store(fd, Ordering::Relaxed);
    }
}

/// A line of at most `CAP` bytes; longer text is cut, never allocated.
pub struct Line {
    buf: [u8; Line::CAP],
    len: usize,
}

impl Line {
    const CAP: usize = 1024;

    pub fn new() -> Line {
        Line { buf: [0; Line::CAP], len: 0 }
    }

    /// Writes the line, newline included, in one write(2) to the sink.
    pub fn emit(self) {
        self.emit_to(SINK.load(Ordering::Relaxed));
    }

    /// Writes the line, newline included, in one write(2) to `fd`.
    pub fn emit_to(mut self, fd: i32) {
        if self.len == Line::CAP {
            self.len -= 1;
        }
        self.buf[self.len] = b'\n';
        self.len += 1;
        // SAFETY: buf holds len initialised bytes. A failed or short write
        // loses diagnostic output only, never program behaviour.
        unsafe { libc::write(fd, self.buf.as_ptr().cast(), self.len) };
    }
}

impl fmt::Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = Line::CAP - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
