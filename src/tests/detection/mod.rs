//! The suite's own mutation score: the embedded reference breaks one requirement at a time
//! (`reference::breaks`) and cases run against it. Every requirement that cases cite must turn
//! at least one of them red, or the registry must say why it cannot be broken alone; one that
//! no case cites yet is explained as such (and turns into a failure the moment a case cites it
//! and does not catch its break).
//!
//! - `cargo test --lib tests::detection` breaks each requirement and runs the fixtures that cite
//!   it, [`BATCH`] at a time until one goes red, then, only if none did, the properties that cite
//!   it (never shrunk): the fast check.
//! - `cargo test --lib tests::detection -- --ignored` runs every fixture (and the properties
//!   that cite the requirement) against every break and rewrites `docs/detection.md`, the
//!   published table (requirement -> the cases that went red). It takes about six minutes on
//!   2 cores.
//!
//! "Red" is a `fail` verdict; for a break that [`Shows::Strict`] (a requirement about exact
//! wording) a `non-strict` verdict counts too. No golden snapshots are compared: a snapshot
//! differs for nearly any change, so it would hide which checks catch what.

mod plan;
mod render;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::catalogue::{Catalogue, Parts};
use crate::check::Verdict;
use crate::contract::Registry;
use crate::property::Settings;
use crate::reference::breaks::{Break, Breaks, Shows};
use crate::run::{RunOptions, TargetSpec};
use crate::session::Session;
use plan::{Plan, only, plan};

/// What one break did to the cases run against it.
#[derive(Debug, Clone)]
pub(crate) struct Detection {
    /// The break.
    pub brk: Break,
    /// Every case run, with its verdict.
    pub verdicts: BTreeMap<String, Verdict>,
    /// Why cases could not run (harness errors), by case.
    pub errors: BTreeMap<String, String>,
    /// Wall time.
    pub elapsed: Duration,
}

impl Detection {
    /// Cases with `verdict`, sorted.
    fn with(&self, verdict: Verdict) -> Vec<&str> {
        self.verdicts
            .iter()
            .filter(|(_, v)| **v == verdict)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The cases that failed.
    pub fn red(&self) -> Vec<&str> {
        self.with(Verdict::Fail)
    }

    /// The cases whose strict detail differed.
    pub fn non_strict(&self) -> Vec<&str> {
        self.with(Verdict::NonStrict)
    }

    /// Whether a case caught the break, in the tier it shows in.
    pub fn caught(&self) -> bool {
        match self.brk.entry().shows {
            Shows::Contract => !self.red().is_empty(),
            Shows::Strict => !self.red().is_empty() || !self.non_strict().is_empty(),
        }
    }
}

/// Properties run as many cases as a default run, and are never shrunk: a failure is all the
/// test needs to know.
fn settings() -> Settings {
    Settings {
        max_shrink_iters: 0,
        ..Settings::default()
    }
}

/// Run `stages` one after the other against a reference broken by `brk`, stopping after the
/// first stage that catches it (the fast check runs the fixtures first and the properties only
/// when no fixture caught the break; the full table runs one stage, everything).
async fn detect(brk: Break, stages: Vec<Catalogue>) -> Result<Detection, String> {
    let start = Instant::now();
    let spec = TargetSpec::broken_reference(Breaks::of([brk]));
    let session = Session::connect(spec)
        .await
        .map_err(|e| format!("{brk}: cannot start the broken reference: {e}"))?;
    let mut d = Detection {
        brk,
        verdicts: BTreeMap::new(),
        errors: BTreeMap::new(),
        elapsed: Duration::ZERO,
    };
    for selection in stages.into_iter().filter(|s| !s.is_empty()) {
        let result = session
            .run(selection, &RunOptions::default(), settings(), &mut [])
            .await;
        let result = match result {
            Ok(r) => r,
            Err(e) => {
                session.close().await;
                return Err(format!("{brk}: the run failed: {e}"));
            }
        };
        for o in result.outcomes {
            if o.verdict == Verdict::Error {
                d.errors
                    .insert(o.id.clone(), o.reason.clone().unwrap_or_default());
            }
            d.verdicts.insert(o.id, o.verdict);
        }
        if d.caught() {
            break;
        }
    }
    session.close().await;
    d.elapsed = start.elapsed();
    eprintln!(
        "detection: {brk}: {} cases, {} red, {} ms",
        d.verdicts.len(),
        d.red().len(),
        d.elapsed.as_millis()
    );
    Ok(d)
}

/// Breaks run at once. The work is mostly waiting (set-up calls, the admin client's back-off on
/// a reference that answers 500), so four sessions keep two cores busy without crowding them.
const PARALLEL: usize = 4;

/// Breaks run at once by the full table, whose sessions spend longer waiting (every case of the
/// catalogue, properties included).
const FULL_PARALLEL: usize = 6;

/// Fixtures per stage of the fast check: a requirement dozens of cases cite (the error wire
/// format: most error cases) stops after the first batch that catches its break.
const BATCH: usize = 16;

/// Run every `(break, stages)`, `parallel` at a time (the reference runs in-process).
fn detect_all(
    work: Vec<(Break, Vec<Catalogue>)>,
    parallel: usize,
) -> Vec<Result<Detection, String>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(parallel));
        let mut set = tokio::task::JoinSet::new();
        for (i, (brk, stages)) in work.into_iter().enumerate() {
            let limit = limit.clone();
            set.spawn(async move {
                let _permit = limit.acquire_owned().await;
                (i, detect(brk, stages).await)
            });
        }
        let mut out: Vec<(usize, Result<Detection, String>)> = Vec::new();
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok(r) => out.push(r),
                Err(e) => out.push((usize::MAX, Err(format!("a detection task failed: {e}")))),
            }
        }
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, r)| r).collect()
    })
}

fn catalogue() -> Catalogue {
    Catalogue::load(&Catalogue::builtin_fixtures(), Parts::default()).expect("the catalogue loads")
}

/// Why a requirement is a failure of the mutation test, given what its break did.
fn verdict(id: &str, d: &Detection) -> Option<String> {
    if d.caught() {
        return None;
    }
    let mut why = format!(
        "`{id}`: no case caught its break ({}).\n  cases run: {}",
        d.brk.entry().mutation,
        d.verdicts
            .iter()
            .map(|(c, v)| format!("{c} {}", v.label()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (case, reason) in &d.errors {
        why.push_str(&format!("\n  {case}: error: {reason}"));
    }
    Some(why)
}

#[test]
fn every_cited_requirement_is_caught_by_a_case_that_cites_it_or_explained() {
    let start = Instant::now();
    let registry = Registry::get();
    let all = catalogue();
    let plans = plan(registry, &all);
    let mut failures = Vec::new();
    let mut work = Vec::new();
    for (r, p) in &plans {
        match p {
            Plan::Break { brk, cited } => {
                let cited = only(&all, cited);
                let mut stages: Vec<Catalogue> = cited
                    .cases
                    .chunks(BATCH)
                    .map(|batch| Catalogue {
                        cases: batch.to_vec(),
                        properties: Vec::new(),
                    })
                    .collect();
                stages.push(Catalogue {
                    cases: Vec::new(),
                    properties: cited.properties,
                });
                work.push((*brk, stages));
            }
            Plan::Unexplained { cited } => failures.push(format!(
                "`{}` is cited by {} but has no break (reference::breaks::TABLE) and no `unbreakable` reason (contract/requirements.toml)",
                r.id,
                cited.join(", ")
            )),
            Plan::NoCase { .. } | Plan::Unbreakable => {}
        }
    }
    let broken = work.len();
    let mut slowest = Vec::new();
    for result in detect_all(work, PARALLEL) {
        match result {
            Ok(d) => {
                failures.extend(verdict(d.brk.requirement(), &d));
                slowest.push((d.elapsed, d.brk, d.verdicts.len()));
            }
            Err(e) => failures.push(e),
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let shown: Vec<String> = slowest
        .iter()
        .take(3)
        .map(|(t, b, n)| format!("{b} {n} cases {} ms", t.as_millis()))
        .collect();
    eprintln!(
        "mutation test: {broken} requirements broken one at a time against the cases citing them, {} ms (slowest: {})",
        start.elapsed().as_millis(),
        shown.join("; ")
    );
    assert!(
        failures.is_empty(),
        "{} requirement(s) neither caught nor explained:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every break against every fixture (and the properties that cite its requirement: every
/// property against every break is about two hours of a shared 2-core machine in a debug
/// build); rewrites `docs/detection.md`.
#[test]
#[ignore = "runs every fixture once per break (about ten minutes on 2 cores at load 4): cargo test --lib tests::detection -- --ignored"]
fn every_break_against_every_case_writes_docs_detection_md() {
    let registry = Registry::get();
    let all = catalogue();
    let plans = plan(registry, &all);
    let work: Vec<(Break, Vec<Catalogue>)> = crate::reference::breaks::TABLE
        .iter()
        .map(|e| {
            let citing = only(&all, &plan::cited_by(&all, e.requirement));
            let stage = Catalogue {
                cases: all.cases.clone(),
                properties: citing.properties,
            };
            (e.name, vec![stage])
        })
        .collect();
    let mut detections = BTreeMap::new();
    let mut failures = Vec::new();
    for result in detect_all(work, FULL_PARALLEL) {
        match result {
            Ok(d) => {
                detections.insert(d.brk, d);
            }
            Err(e) => failures.push(e),
        }
    }
    let doc = render::markdown(
        &plans,
        &detections,
        &settings(),
        all.cases.len(),
        all.properties.len(),
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/detection.md");
    std::fs::write(path, doc).expect("write docs/detection.md");
    for (r, p) in &plans {
        match p {
            Plan::Break { brk, .. } => match detections.get(brk) {
                Some(d) => failures.extend(verdict(&r.id, d)),
                None => failures.push(format!("`{}`: its break did not run", r.id)),
            },
            Plan::Unexplained { .. } => {
                failures.push(format!("`{}` is neither broken nor explained", r.id))
            }
            Plan::NoCase { .. } | Plan::Unbreakable => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A break nothing caught is a failure; a wording break counts a `non-strict` case, a contract
/// break does not.
#[test]
fn a_break_counts_as_caught_only_in_its_tier() {
    let of = |brk: Break, verdicts: &[(&str, Verdict)]| Detection {
        brk,
        verdicts: verdicts
            .iter()
            .map(|(id, v)| (id.to_string(), *v))
            .collect(),
        errors: BTreeMap::new(),
        elapsed: Duration::ZERO,
    };
    let contract = Break::of("attribute.immutable").unwrap();
    let wording = Break::of("attribute.several-schema-errors").unwrap();
    assert_eq!(wording.entry().shows, Shows::Strict);
    let green = [("a", Verdict::Pass), ("b", Verdict::Skip)];
    let why = verdict("attribute.immutable", &of(contract, &green)).unwrap();
    assert!(why.contains("no case caught its break"), "{why}");
    let non_strict = [("a", Verdict::NonStrict)];
    assert!(verdict("attribute.immutable", &of(contract, &non_strict)).is_some());
    assert!(verdict("attribute.several-schema-errors", &of(wording, &non_strict)).is_none());
    assert!(
        verdict(
            "attribute.immutable",
            &of(contract, &[("a", Verdict::Fail)])
        )
        .is_none()
    );
    assert!(
        verdict(
            "attribute.immutable",
            &of(contract, &[("a", Verdict::Error)])
        )
        .is_some()
    );
}
