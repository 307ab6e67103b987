//! `run`: select the catalogue, connect to the target, run every case and property through the
//! one runner, report, clean up, and map the result to an outcome.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::target::TargetArgs;
use super::{CliError, Outcome};
use crate::baseline::{Baseline, Coverage};
use crate::catalogue::Parts;
use crate::check::Verdict;
use crate::property::shrink::{DEFAULT_PROPERTY_TIME, DEFAULT_RUN_TIME, RunClock};
use crate::property::{self, DEFAULT_CASES, DEFAULT_SEED, Plan, Settings};
use crate::report::{
    JsonReporter, JunitReporter, MarkdownReporter, TerminalOptions, TerminalReporter,
};
use crate::run::{Judge, Reporter, RunOptions, case_jobs, run as run_jobs};
use crate::snapshot::{GoldenStore, Goldens};
use crate::target::budget;
use crate::vocab::TargetKind;

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: TargetArgs,
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
    /// Known gaps of this target: listed failures become known-gap, a listed gap that passes
    /// fails the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the --baseline file from this run's failures (reasons of kept gaps survive);
    /// a run of the whole catalogue also drops the entries of cases that no longer exist.
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
    /// Generated cases per property (each is a few calls to the target); a single-fault
    /// property (one broken constraint, a malformed body, an unroutable request) runs a quarter.
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
    /// Most seconds of shrinking per failing property (a property stopped by a budget is
    /// reported "not fully shrunk"). Default 5, or no limit with --save-failures (saved
    /// fixtures should be minimal).
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub max_shrink_time: Option<f64>,
    /// Most seconds of shrinking for the whole run, summed over the properties. Default 30,
    /// or no limit with --save-failures.
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub shrink_budget: Option<f64>,
    /// Run piece K of N of the selection (`K/N`, `count:K/N` or `hash:K/N`, as cargo-nextest);
    /// `report --merge` joins the pieces' JSON reports (docs/ci.md).
    #[arg(long, value_name = "K/N")]
    pub partition: Option<crate::partition::Partition>,
}

impl Default for RunArgs {
    fn default() -> Self {
        use clap::FromArgMatches;
        let cmd = <RunArgs as clap::Args>::augment_args(clap::Command::new("run"));
        let matches = cmd.get_matches_from(["run"]);
        RunArgs::from_arg_matches(&matches).expect("defaults parse")
    }
}

/// The baseline as the runner's judge of each outcome.
#[derive(Debug)]
struct BaselineJudge(Baseline);

impl Judge for BaselineJudge {
    fn judge(&self, outcome: &mut crate::run::CaseOutcome, strict: bool) {
        self.0.apply(outcome, strict);
    }
}

pub async fn run(a: RunArgs) -> Result<Outcome, CliError> {
    // Before anything runs: a report that cannot be written would fail the run at the end.
    let update = a.baseline.as_deref().filter(|_| a.update_baseline);
    crate::fsio::check_outputs(
        [
            ("--json", &a.json),
            ("--junit", &a.junit),
            ("--markdown", &a.markdown),
        ]
        .into_iter()
        .filter_map(|(flag, p)| Some((flag, p.as_deref()?)))
        .chain(update.map(|p| ("--baseline", p))),
    )?;
    let parts = Parts {
        fixtures: !a.only_generated,
        generated: !a.no_generated,
    };
    // With a baseline, every part is loaded whatever runs: an entry that names no id of the
    // whole catalogue is stale (its case was renamed or deleted).
    let catalogue = a.target.catalogue(match a.baseline {
        Some(_) => Parts::default(),
        None => parts,
    })?;
    let catalogue_ids = catalogue.ids();
    // Only an update of the whole catalogue drops stale entries (baseline::Coverage).
    let whole = a.target.filter.is_empty() && a.partition.is_none() && parts == Parts::default();
    let mut selection = catalogue.only(parts).select(&a.target.filter)?;
    if let Some(p) = a.partition {
        selection = selection.partition(p);
        eprintln!(
            "partition {p}: {} of this selection's fixtures and {} of its properties",
            selection.cases.len(),
            selection.properties.len()
        );
        if selection.is_empty() {
            return Err(CliError::NoVerdict(format!(
                "partition {p} holds no case: the selection has fewer cases than pieces"
            )));
        }
    }
    let store = GoldenStore::new(super::snapshots_dir(
        a.snapshots.clone(),
        a.target.fixtures.as_deref(),
    ));
    // A --snapshots directory must exist; the default one may be absent (fixtures of your
    // own), and then nothing is compared.
    let ids = || selection.cases.iter().map(|c| c.id.as_str());
    let goldens = if a.no_snapshots {
        Goldens::none()
    } else if a.snapshots.is_some() {
        Goldens::load(&store, ids())?
    } else {
        Goldens::load_if_present(&store, ids())?.unwrap_or_else(|| {
            eprintln!(
                "note: no golden snapshots at {}: exchanges are not compared (--snapshots DIR)",
                store.root().display()
            );
            Goldens::none()
        })
    };
    let baseline = match &a.baseline {
        Some(p) if p.exists() || !a.update_baseline => Some(Baseline::load(p)?),
        Some(_) => Some(Baseline::default()),
        None => None,
    };
    let stale = baseline
        .as_ref()
        .map(|b| b.stale(&catalogue_ids))
        .unwrap_or_default();
    if let (false, Some(path)) = (stale.is_empty(), &a.baseline) {
        let removing = a.update_baseline && whole;
        eprintln!("{}", crate::baseline::stale_notice(path, &stale, removing));
    }
    let mut reporters = reporters(&a)?;
    let target = a.target.connect(goldens).await?;
    let ctx = target.connected.ctx.clone();
    if ctx.target.kind == TargetKind::Aws {
        eprintln!(
            "plan: region {}; up to 3 user pools named {}-*, 2 app clients each, {} users; at most {} requests/s overall and half of Cognito's documented quota per category (app clients 2.5/s); all deleted at the end",
            ctx.provisioner.admin().region(),
            ctx.provisioner.prefix(),
            selection.cases.len() * 2 + selection.properties.len() * a.cases as usize,
            a.target.max_rps.unwrap_or(budget::REAL_AWS_MAX_RPS)
        );
    }
    let known_gaps: std::collections::BTreeSet<String> = baseline
        .iter()
        .filter(|_| !a.update_baseline)
        .flat_map(|b| b.gaps.iter().map(|g| g.id.clone()))
        .collect();
    let mut jobs = case_jobs(selection.cases);
    if !selection.properties.is_empty() {
        let n = selection.properties.len();
        let total: u64 = selection
            .properties
            .iter()
            .map(|p| u64::from(p.cases(a.cases)))
            .sum();
        eprintln!(
            "generated: {n} propert{}, {total} case(s): {} each, a single-fault property {}; seed {} (--seed, --cases to change; --no-generated to skip)",
            if n == 1 { "y" } else { "ies" },
            a.cases,
            a.cases.div_ceil(property::SINGLE_FAULT_SHARE),
            a.seed
        );
        let save_failures = a.save_failures.clone().map(|dir| {
            dir.unwrap_or_else(|| {
                super::fixtures_dir(a.target.fixtures.clone()).join(crate::case::GENERATED_DIR)
            })
        });
        // Saved fixtures should be minimal: no time limit unless one is asked for.
        let unlimited = std::time::Duration::from_secs(86_400);
        let saving = save_failures.is_some();
        let shrink_time = |flag: Option<f64>, default| match flag {
            Some(secs) => std::time::Duration::from_secs_f64(secs),
            None if saving => unlimited,
            None => default,
        };
        let plan = Plan {
            properties: selection.properties,
            settings: Settings {
                cases: a.cases,
                seed: a.seed,
                strict: a.strict,
                save_failures,
                max_shrink_iters: a.max_shrink_iters,
                max_shrink_time: shrink_time(a.max_shrink_time, DEFAULT_PROPERTY_TIME),
                shrink_budget: Arc::new(RunClock::new(shrink_time(
                    a.shrink_budget,
                    DEFAULT_RUN_TIME,
                ))),
                target_flags: a
                    .target
                    .rerun_flags(ctx.target.kind == TargetKind::Reference, &ctx.target.url),
                no_shrink: known_gaps,
            },
        };
        jobs.extend(property::jobs(&plan));
    }
    let opts = RunOptions {
        concurrency: a.target.concurrency.into(),
        strict: a.strict,
        // Updating judges against no baseline, so every current gap is seen as a failure.
        judge: baseline
            .clone()
            .filter(|_| !a.update_baseline)
            .map(|b| Arc::new(BaselineJudge(b)) as Arc<dyn Judge>),
        stale_baseline: stale,
        ..RunOptions::default()
    };
    let target_name = ctx.target.name.clone();
    let url = ctx.target.url.clone();
    let result = run_jobs(jobs, ctx, &opts, &mut reporters).await;
    target.shutdown().await;
    let result = result?;
    if let (true, Some(path), Some(old)) = (a.update_baseline, &a.baseline, &baseline) {
        // A merge: entries of cases that did not run are kept (stale ones too, unless the run
        // took the whole catalogue); an interrupted run writes nothing.
        let done = old.update_file(
            path,
            &target_name,
            &result.outcomes,
            &result.summary,
            a.strict,
            if whole {
                Coverage::Whole(&catalogue_ids)
            } else {
                Coverage::Part
            },
        )?;
        eprintln!("baseline {} {done}", path.display());
        if !result.summary.interrupted && result.summary.executed() > 0 {
            return Ok(Outcome::Conformant);
        }
    }
    let summary = result.summary;
    if summary.interrupted {
        return Err(CliError::NoVerdict(format!(
            "interrupted: the run stopped early ({} pool(s) left behind)",
            summary.pools_left.len()
        )));
    }
    if !summary.pools_left.is_empty() {
        eprintln!(
            "warning: could not delete: {}",
            summary.pools_left.join("; ")
        );
    }
    if summary.executed() == 0 {
        return Err(CliError::NoVerdict(
            "no case executed: every selected case was skipped".into(),
        ));
    }
    if summary.has_gaps() {
        return Ok(Outcome::Gaps);
    }
    let judged = summary.executed() - summary.count(Verdict::Error);
    if judged == 0 {
        return Err(CliError::NoVerdict(format!(
            "no case could be run against {url}: every case ended in a harness error (see above)"
        )));
    }
    if summary.count(Verdict::Error) > 0 {
        return Err(CliError::NoVerdict(format!(
            "{} case(s) could not be run (harness errors, see above)",
            summary.count(Verdict::Error)
        )));
    }
    Ok(Outcome::Conformant)
}

fn reporters(a: &RunArgs) -> Result<Vec<Box<dyn Reporter>>, CliError> {
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
        && !crate::logging::stderr_busy();
    let opts = TerminalOptions {
        color,
        progress,
        verbose: a.verbose,
        strict: a.strict,
    };
    let mut out: Vec<Box<dyn Reporter>> = vec![Box::new(TerminalReporter::new(
        Box::new(crate::stdout::stdout()),
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

/// A number of seconds: finite, not negative, at most a day.
fn seconds(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&v) {
        return Err(format!("{text} is not between 0 and 86400 seconds"));
    }
    Ok(v)
}
