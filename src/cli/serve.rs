//! `serve`: the embedded reference as a standalone strict Cognito stand-in.

use clap::Args;

use super::{CliError, Outcome};
use crate::reference::{Break, Breaks};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 9229)]
    pub port: u16,
    /// Address to bind. Loopback by default: the reference has no authentication.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Violate this requirement on purpose (repeatable), to see which cases catch it
    /// (docs/detection.md lists the breaks).
    #[arg(long = "break", value_name = "REQUIREMENT", value_parser = Break::of)]
    pub breaks: Vec<Break>,
}

pub async fn serve(a: ServeArgs) -> Result<Outcome, CliError> {
    let listener = tokio::net::TcpListener::bind((a.host, a.port))
        .await
        .map_err(|source| CliError::Listen {
            addr: (a.host, a.port).into(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| CliError::Listen {
        addr: (a.host, a.port).into(),
        source,
    })?;
    eprintln!("reference Cognito target listening on http://{addr}/ (Ctrl-C to stop)");
    for b in &a.breaks {
        eprintln!("breaking {b} on purpose: {}", b.entry().mutation);
    }
    tokio::select! {
        r = crate::reference::serve(listener, Breaks::of(a.breaks)) => r.map_err(|source| CliError::Listen { addr, source })?,
        _ = crate::run::shutdown_signal() => eprintln!("stopped"),
    }
    Ok(Outcome::Conformant)
}
