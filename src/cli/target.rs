//! Where a command runs and what it selects: the flags `run` and `record` share, and the one
//! place they become a connected target (`run::connect`) and a selection of the catalogue.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::CliError;
use crate::catalogue::{Catalogue, Parts};
use crate::run::{Connected, TargetSpec, connect};
use crate::snapshot::Goldens;
use crate::target::launch::{self, Launched};
use crate::vocab::TargetKind;
use crate::wire::WireSettings;

/// Where to run and what: shared by `run` and `record`.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Endpoint of the target (else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else
    /// AWS_ENDPOINT_URL; with none, the embedded reference).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Start a pinned emulator (moto, cognito-local, ministack, fakecloud) on a free loopback
    /// port, run against it, and stop it.
    #[arg(long, value_name = "NAME", conflicts_with = "endpoint")]
    pub launch: Option<String>,
    /// With --launch: run an installed version other than the one emulators.toml pins (or
    /// one whose version cannot be told) instead of refusing; the report names the version
    /// that ran.
    #[arg(long, requires = "launch")]
    pub allow_version_mismatch: bool,
    /// The target's name in every report and the matrix (`my-emulator 1.4.0`); default: the
    /// launched emulator's name and version, else the endpoint's host:port.
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,
    /// Signing region (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// Fixtures directory (default: ./fixtures, else the crate's own).
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Only cases whose id matches this glob (repeatable).
    #[arg(long, short = 'f', value_name = "GLOB")]
    pub filter: Vec<String>,
    /// Cases in flight at once.
    #[arg(long, short = 'j', default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Request budget in calls per second (default: 5 against real AWS, unlimited elsewhere).
    /// Against real AWS each Cognito quota category is also held to half its documented
    /// quota.
    #[arg(long, value_name = "RPS")]
    pub max_rps: Option<f64>,
    /// Required to run against real AWS: the run creates user pools in your account.
    #[arg(long)]
    pub allow_real_aws: bool,
    /// Seconds to wait for a connection.
    #[arg(long, default_value_t = 5, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=300))]
    pub connect_timeout: u64,
    /// Seconds one request may take (response body included).
    #[arg(long, default_value_t = 15, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub request_timeout: u64,
    /// Largest response body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_body: usize,
}

/// A target the command runs against: connected, and the emulator it launched, if any.
pub struct Target {
    /// The connection and the run's context.
    pub connected: Connected,
    /// The launched emulator.
    pub launched: Option<Launched>,
}

impl Target {
    /// Stop the reference or the emulator.
    pub async fn shutdown(self) {
        self.connected.shutdown().await;
        if let Some(l) = self.launched {
            l.stop().await;
        }
    }
}

impl TargetArgs {
    /// The selected fixtures and properties.
    pub fn select(&self, parts: Parts) -> Result<Catalogue, CliError> {
        super::list::select(self.fixtures.clone(), &self.filter, parts)
    }

    /// The parts of the catalogue, before `--filter`.
    pub fn catalogue(&self, parts: Parts) -> Result<Catalogue, CliError> {
        let dir = super::fixtures_dir(self.fixtures.clone());
        Ok(Catalogue::load(&dir, parts)?)
    }

    /// The kind of target and its region, without launching or contacting anything.
    pub fn kind(&self) -> Result<(TargetKind, String), CliError> {
        if self.launch.is_some() {
            return Ok((TargetKind::Loopback, String::new()));
        }
        let (kind, _, region) = self.spec(None).resolve()?;
        Ok((kind, region))
    }

    fn spec(&self, launched: Option<&Launched>) -> TargetSpec {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        TargetSpec {
            endpoint: launched.map(|l| l.url.clone()).or(self.endpoint.clone()),
            region: self.region.clone(),
            env,
            wire: WireSettings {
                connect_timeout: Duration::from_secs(self.connect_timeout),
                request_timeout: Duration::from_secs(self.request_timeout),
                max_body: self.max_body,
            },
            max_rps: self.max_rps,
            allow_real_aws: self.allow_real_aws,
            label: self
                .label
                .clone()
                .or_else(|| launched.map(|l| l.label.clone())),
            emulator: launched.and(self.launch.clone()),
            ..TargetSpec::default()
        }
    }

    /// Launch the emulator if asked, and connect.
    pub async fn connect(&self, goldens: Goldens) -> Result<Target, CliError> {
        let launched = match &self.launch {
            Some(name) => {
                let opts = launch::LaunchOptions {
                    allow_version_mismatch: self.allow_version_mismatch,
                };
                let l = launch::launch(name, opts).await?;
                if let Some(w) = &l.version_warning {
                    eprintln!("warning: {w}");
                }
                Some(l)
            }
            None => None,
        };
        let spec = self.spec(launched.as_ref());
        match connect(spec, goldens).await {
            Ok(connected) => Ok(Target {
                connected,
                launched,
            }),
            Err(e) => {
                if let Some(l) = launched {
                    l.stop().await;
                }
                Err(e.into())
            }
        }
    }

    /// The options a rerun command repeats to reach the same target.
    pub fn rerun_flags(&self, kind_is_reference: bool, url: &str) -> String {
        match (&self.launch, kind_is_reference) {
            (Some(name), _) if self.allow_version_mismatch => {
                format!(" --launch {name} --allow-version-mismatch")
            }
            (Some(name), _) => format!(" --launch {name}"),
            (None, true) => String::new(),
            (None, false) => format!(" --endpoint {url}"),
        }
    }
}
