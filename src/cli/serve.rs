//! `serve`: the embedded reference as a standalone strict Cognito stand-in.

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 9229)]
    pub port: u16,
    /// Address to bind. Loopback by default: the reference has no authentication.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
}

pub async fn serve(a: ServeArgs) -> anyhow::Result<Outcome> {
    let listener = tokio::net::TcpListener::bind((a.host, a.port))
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", a.host, a.port))?;
    let addr = listener.local_addr()?;
    eprintln!("reference Cognito target listening on http://{addr}/ (Ctrl-C to stop)");
    tokio::select! {
        r = cognito_conformance::reference::serve(listener) => r?,
        _ = cognito_conformance::run::shutdown_signal() => eprintln!("stopped"),
    }
    Ok(Outcome::Conformant)
}
