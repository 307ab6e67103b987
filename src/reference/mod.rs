//! The embedded reference target: an in-process AWS JSON 1.1 server that implements the
//! Cognito contract exactly as `contract/requirements.toml` states it (and the suite's strict
//! guesses where the evidence is only inferred). It is the suite's positive control: every
//! fixture must pass against it, so a failing case there is a bug in the fixture, the engine
//! or here, never "Cognito being Cognito".
//!
//! It also offers a test-control extension (clock, token minting, fault injection; see
//! `ops/control.rs`) that real Cognito lacks, discovered by the suite via `Describe`.
//!
//! SigV4-signed operations are verified for real against the server's principals (`iam`): its
//! default principal, created with a random key pair at start ([`Reference::credentials`]),
//! principals registered through the control operation `RegisterPrincipal`, and, unless the
//! server is started with [`ReferenceConfig::strict`], the fixed loopback placeholder pair that
//! `target::credentials` signs with when no real credentials are configured (kept so callers
//! that have not switched to [`Reference::credentials`] yet, and clients of the standalone
//! `serve`, still work; its signatures are verified like any other).
//!
//! Layout: `protocol` (routing, protocol checks, validation, response format), `iam` (SigV4
//! and IAM), `ops` (the operations), `store` (state), `sessions` (issuing and authorizing
//! tokens), `jwt` (keys and claims), `clock`, `api_error`, `breaks` (deliberate violations of
//! one requirement each, for the suite's mutation test; off unless asked for). The rules
//! themselves live in [`crate::contract`].

mod api_error;
mod app;
pub mod breaks;
mod clock;
mod iam;
mod jwt;
mod ops;
mod protocol;
mod sessions;
mod store;

#[cfg(test)]
mod family_op_tests;
#[cfg(test)]
mod family_tests;
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
pub use breaks::{Break, BreakError, Breaks};
use iam::{Actions, Principal};
use jwt::Keys;
use store::Store;

use crate::wire::sigv4::AwsCredentials;

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

/// How a reference server authenticates signed calls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReferenceConfig {
    /// Also accept signatures made with the loopback placeholder pair of
    /// `target::credentials` ([`LOOPBACK_PLACEHOLDER_ACCESS_KEY_ID`]), as a principal allowed
    /// every action. Default: `true`.
    pub accept_loopback_placeholder: bool,
    /// Requirements the server violates on purpose ([`breaks`]). Default: none.
    pub breaks: Breaks,
}

impl Default for ReferenceConfig {
    fn default() -> Self {
        ReferenceConfig {
            accept_loopback_placeholder: true,
            breaks: Breaks::none(),
        }
    }
}

impl ReferenceConfig {
    #[cfg(test)]
    /// Only the server's own principals: the default one ([`Reference::credentials`]) and
    /// those registered through `RegisterPrincipal`.
    pub fn strict() -> ReferenceConfig {
        ReferenceConfig {
            accept_loopback_placeholder: false,
            ..ReferenceConfig::default()
        }
    }

    /// The same server, violating the requirements `breaks` names.
    pub fn breaking(self, breaks: Breaks) -> ReferenceConfig {
        ReferenceConfig { breaks, ..self }
    }
}

/// A running reference server.
#[derive(Debug)]
pub struct Reference {
    url: String,
    credentials: AwsCredentials,
    shutdown: oneshot::Sender<()>,
    join: JoinHandle<std::io::Result<()>>,
}

/// ARN of the default principal.
const DEFAULT_PRINCIPAL: &str = "cognito-conformance-reference";

fn router(
    listener_addr: SocketAddr,
    config: &ReferenceConfig,
) -> Result<(Router, AwsCredentials), ReferenceError> {
    let keys = Keys::load().map_err(ReferenceError::Key)?;
    let mut store = Store::default();
    let default = Principal::generate(iam::user_arn(DEFAULT_PRINCIPAL), Actions::All);
    let credentials = default.credentials("embedded reference");
    store.principals.insert(default);
    if config.accept_loopback_placeholder {
        store.principals.insert(Principal::loopback_placeholder());
    }
    if !config.breaks.is_empty() {
        tracing::warn!(breaks = ?config.breaks, "the reference breaks requirements on purpose");
    }
    let app = App {
        store: Mutex::new(store),
        keys,
        base_url: format!("http://{listener_addr}"),
        breaks: config.breaks.clone(),
    };
    let router = Router::new()
        .fallback(protocol::handle)
        .with_state(Arc::new(app));
    Ok((router, credentials))
}

impl Reference {
    /// Bind `addr` (e.g. `127.0.0.1:0`) and serve in a background tokio task, with the
    /// default [`ReferenceConfig`] (tests; the suite starts it through [`Reference::start_with`]).
    #[cfg(test)]
    pub async fn start(addr: SocketAddr) -> Result<Reference, ReferenceError> {
        Reference::start_with(addr, ReferenceConfig::default()).await
    }

    /// Bind `addr` (e.g. `127.0.0.1:0`) and serve in a background tokio task, configured by
    /// `config` (the default, [`ReferenceConfig::strict`], deliberate breaks).
    pub async fn start_with(
        addr: SocketAddr,
        config: ReferenceConfig,
    ) -> Result<Reference, ReferenceError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ReferenceError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(ReferenceError::LocalAddr)?;
        let (app, credentials) = router(local, &config)?;
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
            credentials,
            shutdown: tx,
            join,
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The credentials of the server's default principal (a random key pair made at start,
    /// allowed every action): what the suite signs administrator calls with.
    pub fn credentials(&self) -> AwsCredentials {
        self.credentials.clone()
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

/// Serve forever on an already-bound listener (`cognito-conformance serve --port N`), with the
/// default [`ReferenceConfig`] but for its `breaks`: a client in another process signs with
/// the loopback placeholder pair, or registers a principal of its own (`RegisterPrincipal`).
pub async fn serve(listener: TcpListener, breaks: Breaks) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let config = ReferenceConfig::default().breaking(breaks);
    let (app, _credentials) = router(local, &config).map_err(std::io::Error::other)?;
    axum::serve(listener, app).await
}
