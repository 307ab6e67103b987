//! The run's interrupt: SIGINT (Ctrl-C) or SIGTERM.

use std::future::Future;
use std::pin::Pin;

/// A pending interrupt, re-armed after each one.
pub type Signal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Resolves on the next SIGINT or SIGTERM.
pub fn shutdown() -> Signal {
    Box::pin(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    })
}
