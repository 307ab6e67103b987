//! Standard output with Unix manners: when the reader goes away (`cognito-conformance list |
//! head`), output ends quietly instead of failing.
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe returns `BrokenPipe` (and `println!`
//! panics on it). Every command writes its standard output through [`QuietStdout`]: the first
//! `BrokenPipe` marks stdout closed for the whole process, and that write and every later one
//! are dropped without an error. The command itself carries on: `list` and `schema` simply have
//! nothing more to show, while `run`, `record` and `cleanup` still finish their work (report
//! files, goldens, deleting what the run created) and exit with their usual status, as
//! ripgrep exits 0 when its reader closes the pipe. Only `BrokenPipe` is swallowed: any other
//! write error is returned.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether a write to standard output has found the pipe closed.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// Standard output that ends quietly on a closed pipe.
#[derive(Debug)]
pub struct QuietStdout<W = io::Stdout> {
    inner: W,
    /// Set once the pipe is found closed ([`CLOSED`] for the real stdout).
    closed: &'static AtomicBool,
}

/// The process's standard output, with Unix manners.
pub fn stdout() -> QuietStdout {
    QuietStdout {
        inner: io::stdout(),
        closed: &CLOSED,
    }
}

impl QuietStdout {
    /// Hold the stdout lock for a series of writes (a listing).
    pub fn lock(self) -> QuietStdout<io::StdoutLock<'static>> {
        QuietStdout {
            inner: self.inner.lock(),
            closed: self.closed,
        }
    }
}

impl<W: Write> QuietStdout<W> {
    fn quietly(&mut self, op: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
        if self.closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        match op(&mut self.inner) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed.store(true, Ordering::Relaxed);
                Ok(())
            }
            other => other,
        }
    }
}

impl<W: Write> Write for QuietStdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let len = buf.len();
        // `write_all` rather than `write`: a short write followed by a closed pipe must not
        // report the rest as written and then retry it.
        self.quietly(|w| w.write_all(buf)).map(|()| len)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.quietly(|w| w.write_all(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.quietly(Write::flush)
    }
}

/// Whether an error, or any error in its chain of sources, is a closed pipe: a safety net for
/// `main`, so a write that bypassed [`QuietStdout`] still ends quietly.
pub fn is_broken_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe whose reader has gone after `room` bytes.
    struct Pipe {
        written: Vec<u8>,
        room: usize,
        other_error: bool,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.other_error {
                return Err(io::Error::other("disk on fire"));
            }
            if self.written.len() >= self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.room - self.written.len());
            self.written.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_output_quietly_and_other_errors_do_not() {
        static FLAG: AtomicBool = AtomicBool::new(false);
        let mut out = QuietStdout {
            inner: Pipe {
                written: Vec::new(),
                room: 10,
                other_error: false,
            },
            closed: &FLAG,
        };
        for i in 0..100 {
            writeln!(out, "line {i}").unwrap();
        }
        out.flush().unwrap();
        assert_eq!(out.inner.written, b"line 0\nlin");
        assert!(FLAG.load(Ordering::Relaxed));

        static OTHER: AtomicBool = AtomicBool::new(false);
        let mut failing = QuietStdout {
            inner: Pipe {
                written: Vec::new(),
                room: 10,
                other_error: true,
            },
            closed: &OTHER,
        };
        let e = writeln!(failing, "x").unwrap_err();
        assert_eq!(e.to_string(), "disk on fire");
        assert!(!OTHER.load(Ordering::Relaxed));
    }

    #[test]
    fn broken_pipes_are_found_in_error_chains() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot write the list")]
        struct Outer(#[source] io::Error);
        assert!(is_broken_pipe(&Outer(io::ErrorKind::BrokenPipe.into())));
        assert!(!is_broken_pipe(&Outer(io::Error::other("x"))));
        #[derive(Debug, thiserror::Error)]
        #[error("listing")]
        struct Listing(#[source] Outer);
        assert!(is_broken_pipe(&Listing(Outer(
            io::ErrorKind::BrokenPipe.into()
        ))));
    }
}
