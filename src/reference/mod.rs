//! The embedded reference target: an in-process AWS JSON 1.1 server that implements the
//! Cognito contract exactly as `../shared/contract/evidence.md` describes it (and the suite's
//! strict guesses where evidence is inferred). It is the suite's positive control: every
//! fixture must pass against it, so a failing case there is a bug in the fixture, the engine
//! or here, never "Cognito being Cognito".
//!
//! It also offers a test-control extension (clock, token minting, fault injection; see
//! `ops/control.rs`) that real Cognito lacks, discovered by the suite via `Describe`.
//!
//! Layout: `protocol` (routing, protocol checks, validation, response format), `ops` (the
//! operations), `store` (state), `sessions` (issuing and authorizing tokens), `jwt` (keys and
//! claims), `clock`, `api_error`. The rules themselves live in [`crate::contract`].

mod api_error;
mod app;
mod clock;
mod jwt;
mod ops;
mod protocol;
mod sessions;
mod store;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use app::App;
use jwt::Keys;
use store::Store;

/// How long [`Reference::shutdown`] waits for in-flight requests before aborting the server.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Why the reference could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceError {
    /// The address could not be bound.
    #[error("cannot bind the reference server to {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The bound socket has no local address (should not happen).
    #[error("cannot read the reference server's address: {0}")]
    LocalAddr(#[source] std::io::Error),
    /// The embedded signing key did not parse (a build defect).
    #[error("cannot load the reference server's signing key: {0}")]
    Key(#[source] jsonwebtoken::errors::Error),
}

/// A running reference server.
#[derive(Debug)]
pub struct Reference {
    url: String,
    shutdown: oneshot::Sender<()>,
    join: JoinHandle<std::io::Result<()>>,
}

fn router(listener_addr: SocketAddr) -> Result<Router, ReferenceError> {
    let keys = Keys::load().map_err(ReferenceError::Key)?;
    let app = App {
        store: Mutex::new(Store::default()),
        keys,
        base_url: format!("http://{listener_addr}"),
    };
    Ok(Router::new()
        .fallback(protocol::handle)
        .with_state(Arc::new(app)))
}

impl Reference {
    /// Bind `addr` (e.g. `127.0.0.1:0`) and serve in a background tokio task.
    pub async fn start(addr: SocketAddr) -> Result<Reference, ReferenceError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ReferenceError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(ReferenceError::LocalAddr)?;
        let app = router(local)?;
        let (tx, rx) = oneshot::channel::<()>();
        let join = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await
        });
        Ok(Reference {
            url: format!("http://{local}"),
            shutdown: tx,
            join,
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Stop serving: graceful for up to five seconds, then the task is aborted.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let mut join = self.join;
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut join)
            .await
            .is_err()
        {
            join.abort();
        }
    }
}

/// Serve forever on an already-bound listener (`cognito-conformance serve --port N`).
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let app = router(local).map_err(std::io::Error::other)?;
    axum::serve(listener, app).await
}
