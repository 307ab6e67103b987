//! `cleanup`: delete user pools earlier runs left behind (interrupted by a kill -9, a crash,
//! a lost network), and nothing else.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use clap::Args;

use super::{CliError, Outcome};
use crate::target::{Admin, cleanup, credentials, endpoint};
use crate::wire::{HttpClient, WireSettings};

#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// Endpoint (else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER / AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Signing region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only pools older than this many minutes (a run in progress is younger).
    #[arg(long, default_value_t = 60, value_name = "MINUTES")]
    pub older_than: u64,
    /// List what would be deleted, delete nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Required against real AWS.
    #[arg(long)]
    pub allow_real_aws: bool,
}

pub async fn cleanup(a: CleanupArgs) -> Result<Outcome, CliError> {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let Some(cfg) = endpoint::resolve(a.endpoint.as_deref(), a.region.as_deref(), &env)? else {
        return Err(CliError::Usage(
            "cleanup needs --endpoint (the embedded reference keeps nothing between runs)".into(),
        ));
    };
    if endpoint::is_real_aws(&cfg.url) && !a.allow_real_aws {
        return Err(CliError::Usage(format!(
            "{} is real AWS: pass --allow-real-aws to delete leftover ccf- pools there",
            cfg.url
        )));
    }
    let creds =
        credentials::resolve_any(&env, &cfg.region, endpoint::is_loopback(&cfg.url)).await?;
    let admin = Admin::new(
        HttpClient::new(WireSettings::default())?,
        &cfg.url,
        &cfg.region,
        creds,
        Some(5.0),
    );
    let found = cleanup::find(&admin, Duration::from_secs(a.older_than * 60)).await?;
    let mut out = crate::stdout::stdout();
    for p in &found {
        writeln!(
            out,
            "{}  {}  ({} min old){}",
            p.id,
            p.name,
            p.age.as_secs() / 60,
            if a.dry_run { "  [dry run: kept]" } else { "" }
        )
        .map_err(CliError::Stdout)?;
    }
    if a.dry_run || found.is_empty() {
        eprintln!(
            "{} leftover pool(s){}",
            found.len(),
            if a.dry_run {
                ", none deleted (dry run)"
            } else {
                ""
            }
        );
        return Ok(Outcome::Conformant);
    }
    let failed = cleanup::delete(&admin, &found).await;
    for (p, e) in &failed {
        eprintln!("could not delete {}: {e}", p.id);
    }
    eprintln!(
        "deleted {} of {} leftover pool(s)",
        found.len() - failed.len(),
        found.len()
    );
    if failed.is_empty() {
        Ok(Outcome::Conformant)
    } else {
        Err(CliError::NoVerdict(format!(
            "{} pool(s) could not be deleted",
            failed.len()
        )))
    }
}
