//! `run`: resolve the target, provision, run the catalogue, report, clean up.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;

use super::Outcome;
use super::list::{Parts, Selection, select};
use cognito_conformance::baseline::Baseline;
use cognito_conformance::check::Verdict;
use cognito_conformance::property::{DEFAULT_CASES, DEFAULT_SEED, Plan, Settings};
use cognito_conformance::reference::Reference;
use cognito_conformance::report::{
    JsonReporter, JunitReporter, MarkdownReporter, Reporter, TargetInfo, TerminalOptions,
    TerminalReporter,
};
use cognito_conformance::run::{RunContext, RunOptions, run as run_cases};
use cognito_conformance::secrets::Redactor;
use cognito_conformance::snapshot::{GoldenStore, Goldens};
use cognito_conformance::target::{
    Admin, Provisioner, budget, control, credentials, endpoint, launch,
};
use cognito_conformance::wire::{HttpClient, WireError, WireSettings};

/// Where to run and what: shared by `run` and `record`.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Endpoint of the target (else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else
    /// AWS_ENDPOINT_URL; with none, the embedded reference).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
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
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Start a pinned emulator (moto, cognito-local, ministack, fakecloud) on a free loopback
    /// port, run against it, and stop it.
    #[arg(long, value_name = "NAME", conflicts_with = "endpoint")]
    pub launch: Option<String>,
    /// Treat non-strict results (message, header, body-shape differences) as gaps.
    #[arg(long)]
    pub strict: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a Markdown report here.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Seconds to wait for a connection.
    #[arg(long, default_value_t = 5, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=300))]
    pub connect_timeout: u64,
    /// Seconds one request may take (response body included).
    #[arg(long, default_value_t = 15, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub request_timeout: u64,
    /// Largest response body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_body: usize,
    /// Known gaps of this target: listed failures become known-gap, a listed gap that passes
    /// fails the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the --baseline file from this run's failures (reasons of kept gaps survive).
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Golden snapshots to compare each exchange with (default: `snapshots/` next to the
    /// fixtures directory). A difference is a strict-tier mismatch with a diff.
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Do not compare with golden snapshots.
    #[arg(long, conflicts_with = "snapshots")]
    pub no_snapshots: bool,
    /// Print every case, not only the ones that need attention.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Colour: auto, always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// Generated cases per property (each is a few calls to the target).
    #[arg(long, default_value_t = DEFAULT_CASES, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub cases: u32,
    /// Seed of the generated cases: the same seed, --cases and target reproduce a run.
    #[arg(long, default_value_t = DEFAULT_SEED, value_name = "N")]
    pub seed: u64,
    /// Run the fixtures only, not the generated properties.
    #[arg(long, conflicts_with = "only_generated")]
    pub no_generated: bool,
    /// Run the generated properties only, not the fixtures.
    #[arg(long)]
    pub only_generated: bool,
    /// Write each property's minimal failing call as a fixture under DIR (default: the
    /// fixtures directory's generated/).
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub save_failures: Option<Option<PathBuf>>,
    /// Most shrinking steps per failing property (each step is a case against the target).
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub max_shrink_iters: u32,
}

impl Default for RunArgs {
    fn default() -> Self {
        use clap::FromArgMatches;
        let cmd = <RunArgs as clap::Args>::augment_args(clap::Command::new("run"));
        let matches = cmd.get_matches_from(["run"]);
        RunArgs::from_arg_matches(&matches).expect("defaults parse")
    }
}

pub async fn run(a: RunArgs) -> anyhow::Result<Outcome> {
    run_or_record(a, None).await
}

/// A run, or (with `recording`) a run whose exchanges become golden snapshots.
pub(super) async fn run_or_record(
    a: RunArgs,
    recording: Option<super::record::Recording>,
) -> anyhow::Result<Outcome> {
    let parts = Parts {
        fixtures: !a.only_generated,
        // Generated properties have no golden: recording runs the fixtures only.
        generated: !a.no_generated && recording.is_none(),
    };
    let Selection { cases, properties } =
        select(a.target.fixtures.clone(), &a.target.filter, parts)?;
    let store = GoldenStore::new(super::snapshots_dir(
        a.snapshots.clone(),
        a.target.fixtures.as_deref(),
    ));
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let launched = match &a.launch {
        Some(name) => Some(launch::launch(name).await?),
        None => None,
    };
    let endpoint_flag = launched
        .as_ref()
        .map(|l| l.url.clone())
        .or(a.target.endpoint.clone());
    let configured = endpoint::resolve(endpoint_flag.as_deref(), a.target.region.as_deref(), &env)?;
    let mut reference = None;
    let (url, region, kind, name) = match configured {
        Some(c) => {
            let kind = if endpoint::is_real_aws(&c.url) {
                "aws"
            } else if endpoint::is_loopback(&c.url) {
                "loopback"
            } else {
                "remote"
            };
            let name = url::Url::parse(&c.url)
                .ok()
                .and_then(|u| {
                    u.host_str().map(|h| {
                        format!(
                            "{h}{}",
                            u.port().map(|p| format!(":{p}")).unwrap_or_default()
                        )
                    })
                })
                .unwrap_or_else(|| c.url.clone());
            let name = launched.as_ref().map(|l| l.label.clone()).unwrap_or(name);
            (c.url, c.region, kind, name)
        }
        None => {
            let r = Reference::start(([127, 0, 0, 1], 0).into())
                .await
                .context("starting the embedded reference")?;
            let url = r.url();
            reference = Some(r);
            (
                url,
                endpoint::region(a.target.region.as_deref(), &env),
                "reference",
                "reference".to_string(),
            )
        }
    };
    let real_aws = kind == "aws";
    let source = match &recording {
        Some(_) => Some(super::record::source(kind, &region)?),
        None => None,
    };
    if real_aws && !a.target.allow_real_aws {
        bail!(
            "{url} is real AWS: the run creates user pools (prefix ccf-) in region {region} and deletes them at the end; pass --allow-real-aws to proceed"
        );
    }
    let creds = credentials::resolve_any(&env, &region, kind != "aws" && kind != "remote").await?;
    let settings = WireSettings {
        connect_timeout: Duration::from_secs(a.connect_timeout),
        request_timeout: Duration::from_secs(a.request_timeout),
        max_body: a.max_body,
    };
    let http = HttpClient::new(settings)?;
    let max_rps = a
        .target
        .max_rps
        .or(real_aws.then_some(budget::REAL_AWS_MAX_RPS));
    let mut redactor = Redactor::new().with(&creds.secret_access_key, "AWS_SECRET_ACCESS_KEY");
    if let Some(t) = &creds.session_token {
        redactor.add(t, "AWS_SESSION_TOKEN");
    }
    let mut admin = Admin::new(http, &url, &region, creds, max_rps);
    if real_aws {
        admin = admin.with_budget(budget::Rates::real_aws(
            max_rps.unwrap_or(budget::REAL_AWS_MAX_RPS),
        ));
    }
    probe_reachable(&admin).await?;
    let capabilities = control::discover(&admin).await;
    let provisioner = Provisioner::new(admin);
    redactor.add(provisioner.password(), "PASSWORD");
    if real_aws {
        eprintln!(
            "plan: region {region}; up to 3 user pools named {}-*, 2 app clients each, {} users; at most {} requests/s overall and half of Cognito's documented quota per category (app clients 2.5/s); all deleted at the end",
            provisioner.prefix(),
            cases.len() * 2 + properties.len() * a.cases as usize,
            max_rps.unwrap_or(budget::REAL_AWS_MAX_RPS)
        );
    }
    let target = TargetInfo {
        name,
        url: url.clone(),
        kind: kind.to_string(),
        capabilities: capabilities.iter().copied().collect(),
    };
    // Recording compares with nothing: it writes what it sees.
    let goldens = if a.no_snapshots || recording.is_some() {
        Goldens::none()
    } else {
        Goldens::load(&store, cases.iter().map(|c| c.id.as_str()))?
    };
    let ctx = Arc::new(RunContext {
        provisioner,
        capabilities,
        redactor,
        target,
        goldens,
    });
    let baseline = match &a.baseline {
        Some(p) if p.exists() || !a.update_baseline => Some(Baseline::load(p)?),
        Some(_) => Some(Baseline::default()),
        None => None,
    };
    let mut reporters = reporters(&a)?;
    let opts = RunOptions {
        concurrency: a.target.concurrency.into(),
        strict: a.strict,
        // Updating judges against no baseline, so every current gap is seen as a failure.
        baseline: baseline
            .clone()
            .filter(|_| !a.update_baseline)
            .map(Arc::new),
        ..RunOptions::default()
    };
    let known_gaps: std::collections::BTreeSet<String> = baseline
        .iter()
        .filter(|_| !a.update_baseline)
        .flat_map(|b| b.gaps.iter().map(|g| g.id.clone()))
        .collect();
    let generated = (!properties.is_empty()).then(|| {
        let target_flags = match (&a.launch, kind) {
            (Some(name), _) => format!(" --launch {name}"),
            (None, "reference") => String::new(),
            (None, _) => format!(" --endpoint {url}"),
        };
        eprintln!(
            "generated: {} propert{} x {} case(s), seed {} (--seed, --cases to change; --no-generated to skip)",
            properties.len(),
            if properties.len() == 1 { "y" } else { "ies" },
            a.cases,
            a.seed
        );
        let save_failures = a.save_failures.clone().map(|dir| {
            dir.unwrap_or_else(|| {
                super::fixtures_dir(a.target.fixtures.clone()).join(cognito_conformance::case::GENERATED_DIR)
            })
        });
        Arc::new(Plan {
            properties,
            settings: Settings {
                cases: a.cases,
                seed: a.seed,
                strict: a.strict,
                save_failures,
                max_shrink_iters: a.max_shrink_iters,
                target_flags,
                no_shrink: known_gaps,
            },
        })
    });
    let opts = RunOptions { generated, ..opts };
    let target_name = ctx.target.name.clone();
    let result = run_cases(cases, ctx, &opts, &mut reporters).await;
    if let Some(r) = reference {
        r.shutdown().await;
    }
    if let Some(l) = launched {
        l.stop().await;
    }
    let result = result?;
    if let (Some(rec), Some(source)) = (&recording, &source) {
        return super::record::write(rec, &store, source, &result);
    }
    if let (true, Some(path), Some(old)) = (a.update_baseline, &a.baseline, &baseline) {
        let updated = old.updated(&target_name, &result.outcomes, a.strict);
        updated.save(path)?;
        eprintln!(
            "baseline {} updated: {} known gap(s)",
            path.display(),
            updated.gaps.len()
        );
        if !result.summary.interrupted && result.summary.executed() > 0 {
            return Ok(Outcome::Conformant);
        }
    }
    let summary = result.summary;
    if summary.interrupted {
        bail!(
            "interrupted: the run stopped early ({} pool(s) left behind)",
            summary.pools_left.len()
        );
    }
    if !summary.pools_left.is_empty() {
        eprintln!(
            "warning: could not delete: {}",
            summary.pools_left.join("; ")
        );
    }
    if summary.executed() == 0 {
        bail!("no case executed: every selected case was skipped");
    }
    if summary.has_gaps() {
        return Ok(Outcome::Gaps);
    }
    let judged = summary.executed() - summary.count(Verdict::Error);
    if judged == 0 {
        bail!(
            "no case could be run against {url}: every case ended in a harness error (see above)"
        );
    }
    if summary.count(Verdict::Error) > 0 {
        bail!(
            "{} case(s) could not be run (harness errors, see above)",
            summary.count(Verdict::Error)
        );
    }
    Ok(Outcome::Conformant)
}

/// Fail fast when nothing answers at the endpoint; any HTTP answer counts as reachable.
async fn probe_reachable(admin: &Admin) -> anyhow::Result<()> {
    match admin
        .raw("ListUserPools", &serde_json::json!({"MaxResults": 1}), true)
        .await
    {
        Ok(_) => Ok(()),
        Err(cognito_conformance::target::AdminError::Wire {
            source: e @ WireError::Connect { .. },
            ..
        }) => {
            bail!("{e}; is the target running?")
        }
        Err(cognito_conformance::target::AdminError::Wire {
            source: WireError::Timeout(t),
            ..
        }) => {
            bail!("the target at {} did not answer within {t:?}", admin.url())
        }
        Err(_) => Ok(()),
    }
}

fn reporters(a: &RunArgs) -> anyhow::Result<Vec<Box<dyn Reporter>>> {
    use std::io::IsTerminal;
    let color = match a.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    // Logs on stderr would tear a progress bar drawn there.
    let progress = !a.no_progress
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && !cognito_conformance::logging::stderr_busy();
    let opts = TerminalOptions {
        color,
        progress,
        verbose: a.verbose,
        strict: a.strict,
    };
    let mut out: Vec<Box<dyn Reporter>> = vec![Box::new(TerminalReporter::new(
        Box::new(std::io::stdout()),
        opts,
    ))];
    if let Some(p) = &a.json {
        out.push(Box::new(JsonReporter::new(p.clone())));
    }
    if let Some(p) = &a.junit {
        out.push(Box::new(JunitReporter::new(p.clone())));
    }
    if let Some(p) = &a.markdown {
        out.push(Box::new(MarkdownReporter::new(p.clone())));
    }
    Ok(out)
}
