//! The log sink: every formatted log line is redacted before it reaches stderr or the log
//! file. Redaction happens here, once, rather than at each `tracing` call site, so a call
//! site that logs a body, an error message or a header cannot forget it.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;

use crate::secrets::SecretRegistry;

/// Wraps any [`MakeWriter`]: each event is buffered whole, redacted with the registry (known
/// secrets plus the JWT/JWE shape) and only then written.
#[derive(Debug)]
pub struct RedactingMakeWriter<M> {
    inner: M,
    secrets: &'static SecretRegistry,
}

impl<M> RedactingMakeWriter<M> {
    /// Redact what `inner` would write with `secrets`.
    pub fn new(inner: M, secrets: &'static SecretRegistry) -> RedactingMakeWriter<M> {
        RedactingMakeWriter { inner, secrets }
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMakeWriter<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            buf: Vec::new(),
            inner: self.inner.make_writer(),
            secrets: self.secrets,
        }
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Self::Writer {
        RedactingWriter {
            buf: Vec::new(),
            inner: self.inner.make_writer_for(meta),
            secrets: self.secrets,
        }
    }
}

/// One event's writer: collects the whole line, writes it redacted when dropped.
///
/// Buffering the whole event matters: a secret split over two `write` calls would slip past
/// a writer that redacted each call on its own. `flush` therefore does not emit early.
pub struct RedactingWriter<W: Write> {
    buf: Vec<u8>,
    inner: W,
    secrets: &'static SecretRegistry,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let line = self.secrets.redact(&String::from_utf8_lossy(&self.buf));
        // A log line that cannot be written is dropped: logging never fails the run.
        let _ = self.inner.write_all(line.as_bytes());
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, LazyLock, Mutex};

    use super::*;

    static SECRETS: LazyLock<SecretRegistry> = LazyLock::new(SecretRegistry::new);

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl Write for Capture {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Capture {
        type Writer = Capture;
        fn make_writer(&'a self) -> Capture {
            self.clone()
        }
    }

    #[test]
    fn a_secret_split_across_writes_is_still_redacted() {
        SECRETS.register("split-secret-value", "PASSWORD");
        let out = Capture::default();
        let mk = RedactingMakeWriter::new(out.clone(), &SECRETS);
        {
            let mut w = mk.make_writer();
            w.write_all(b"pw=split-").unwrap();
            w.flush().unwrap();
            w.write_all(b"secret-value jwt=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.\n")
                .unwrap();
        }
        assert_eq!(
            String::from_utf8(out.0.lock().unwrap().clone()).unwrap(),
            "pw=[PASSWORD] jwt=[JWT]\n"
        );
    }
}
