//! Tests across modules, against local stand-ins (wiremock and raw TCP servers on loopback):
//! transport faults, target deviations, throttling, generated properties, secrets. They use the
//! crate's internals, so they live in the crate rather than in `tests/`.

mod coverage;
mod detection;
mod faults;
mod generated;
mod layers;
mod oracle_consistency;
mod protocol_pin;
mod secrets;
mod self_contained;
mod shrink_class;
mod signed_tokens;
mod strict_texts;
mod target_checks;
mod throttling;

use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

use crate::logging::{self, LogConfig};

/// The log of this test binary: the suite's own subscriber at trace level, installed once as
/// the global default before any test touches the suite. (A per-test `set_default` races with
/// tracing's per-callsite interest cache when tests run in parallel, and loses events.) Tests
/// tell their lines apart by span or content.
#[derive(Clone, Default)]
pub(crate) struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    /// Everything logged so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl std::io::Write for Log {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Log {
    type Writer = Log;
    fn make_writer(&'a self) -> Log {
        self.clone()
    }
}

/// The shared log, installed on first use.
pub(crate) fn log() -> &'static Log {
    static LOG: std::sync::OnceLock<Log> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let filter = LogConfig {
            level: Some("trace".into()),
            ..Default::default()
        }
        .filter()
        .expect("a valid filter");
        let _ = tracing::subscriber::set_global_default(logging::subscriber(
            filter,
            log.clone(),
            false,
        ));
        log
    })
}

/// A two-worker runtime, as the suite runs on the project's 2-core machine.
pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
