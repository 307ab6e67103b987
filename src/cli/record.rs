//! `record`: run the catalogue and write each exchange as a golden snapshot.
//!
//! Goldens come from two places only: real Cognito (provenance `recorded`, with region and
//! date) and the embedded reference (provenance `documented`: it implements the contract in
//! `contract/requirements.toml`). Recording from an emulator is refused, because an emulator's behaviour is
//! what the goldens judge. A changed or new golden goes to `<case>.snap.new` for review with
//! `cargo insta review` unless `--accept` is given; an unchanged one is left alone (its
//! provenance too).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::target::TargetArgs;
use super::{CliError, Outcome};
use crate::catalogue::Parts;
use crate::check::Verdict;
use crate::run::{RunOptions, RunResult, case_jobs, run};
use crate::snapshot::{Golden, GoldenStore, Goldens, Info, Provenance};
use crate::vocab::TargetKind;

/// Who writes the files (insta's `source` header).
const WRITER: &str = "cognito-conformance record";

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Where goldens live (default: `snapshots/` next to the fixtures directory).
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Overwrite the `.snap` files instead of writing `.snap.new` files for review.
    #[arg(long)]
    pub accept: bool,
}

/// What `record` does with the run's exchanges.
#[derive(Debug, Clone)]
pub struct Recording {
    accept: bool,
}

/// Where the exchanges come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The embedded reference: goldens are `documented`.
    Reference,
    /// Real Cognito: goldens are `recorded`.
    Aws {
        /// The region recorded in.
        region: String,
        /// Today (UTC).
        date: String,
    },
}

pub async fn record(a: RecordArgs) -> Result<Outcome, CliError> {
    // Generated properties have no golden: recording runs the fixtures only.
    let selection = a.target.select(Parts {
        fixtures: true,
        generated: false,
    })?;
    let store = GoldenStore::new(super::snapshots_dir(
        a.snapshots.clone(),
        a.target.fixtures.as_deref(),
    ));
    // Refused before anything is launched or contacted.
    let (kind, region) = a.target.kind()?;
    let source = source(kind, &region)?;
    // Recording compares with nothing: it writes what it sees.
    let target = a.target.connect(Goldens::none()).await?;
    let ctx = target.connected.ctx.clone();
    let opts = RunOptions {
        concurrency: a.target.concurrency.into(),
        ..RunOptions::default()
    };
    let result = run(case_jobs(selection.cases), ctx, &opts, &mut []).await;
    target.shutdown().await;
    write(&Recording { accept: a.accept }, &store, &source, &result?)
}

/// The source of a target kind.
pub fn source(kind: TargetKind, region: &str) -> Result<Source, CliError> {
    match kind {
        TargetKind::Reference => Ok(Source::Reference),
        TargetKind::Aws => Ok(Source::Aws {
            region: region.to_string(),
            date: today(),
        }),
        TargetKind::Loopback | TargetKind::Remote => Err(CliError::Usage(
            "record writes goldens from real Cognito or the embedded reference only; this endpoint is neither (an emulator's behaviour is what the goldens judge, so it cannot be the source of them)".into(),
        )),
    }
}

fn today() -> String {
    use aws_smithy_types::date_time::{DateTime, Format};
    let now = DateTime::from(std::time::SystemTime::now());
    now.fmt(Format::DateTime)
        .map(|s| s.chars().take(10).collect())
        .unwrap_or_else(|_| "unknown".into())
}

/// Write the goldens of a finished run and say what changed.
pub fn write(
    rec: &Recording,
    store: &GoldenStore,
    source: &Source,
    result: &RunResult,
) -> Result<Outcome, CliError> {
    let (mut new, mut changed, mut same, mut refused) = (0, 0, 0, Vec::new());
    let mut out = crate::stdout::stdout();
    let mut outcomes: Vec<_> = result.outcomes.iter().collect();
    outcomes.sort_by(|a, b| a.id.cmp(&b.id));
    for o in outcomes {
        let Some(exchange) = &o.exchange else {
            continue; // skipped or could not run: nothing was exchanged
        };
        let provenance = match source {
            // A documented golden must come from a reference that passes the case.
            Source::Reference if o.verdict != Verdict::Pass => {
                refused.push(format!("{} ({})", o.id, o.verdict.label()));
                continue;
            }
            Source::Reference => Provenance::model(&o.requirements),
            Source::Aws { region, date } => Provenance::Recorded {
                region: region.clone(),
                date: date.clone(),
            },
        };
        let golden = Golden {
            info: Info {
                case: o.id.clone(),
                provenance,
            },
            description: o.title.clone(),
            content: exchange.trim_end().to_string(),
        };
        match store.load(&o.id)? {
            Some(old) if old.content == golden.content && old.info == golden.info => same += 1,
            Some(_) => {
                changed += 1;
                let path = store.write(&golden, rec.accept, WRITER)?;
                writeln!(out, "changed: {}", path.display()).map_err(CliError::Stdout)?;
            }
            None => {
                new += 1;
                let path = store.write(&golden, rec.accept, WRITER)?;
                writeln!(out, "new:     {}", path.display()).map_err(CliError::Stdout)?;
            }
        }
    }
    let pending = if rec.accept || new + changed == 0 {
        String::new()
    } else {
        " (pending: review with `cargo insta review`, or run again with --accept)".into()
    };
    eprintln!(
        "goldens in {}: {new} new, {changed} changed, {same} unchanged{pending}",
        store.root().display()
    );
    if !refused.is_empty() {
        eprintln!(
            "not recorded, because the reference does not pass them: {}",
            refused.join(", ")
        );
        return Ok(Outcome::Gaps);
    }
    if new + changed + same == 0 {
        return Err(CliError::NoVerdict(
            "no exchange was recorded: every selected case was skipped or errored".into(),
        ));
    }
    Ok(Outcome::Conformant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_reference_and_real_aws_are_sources() {
        assert_eq!(
            source(TargetKind::Reference, "us-east-1").unwrap(),
            Source::Reference
        );
        match source(TargetKind::Aws, "eu-west-1").unwrap() {
            Source::Aws { region, date } => {
                assert_eq!(region, "eu-west-1");
                assert_eq!(date.len(), 10, "{date}");
                assert_eq!(&date[4..5], "-");
            }
            other => panic!("{other:?}"),
        }
        let e = source(TargetKind::Loopback, "us-east-1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("emulator"), "{e}");
        assert!(source(TargetKind::Remote, "us-east-1").is_err());
    }
}
