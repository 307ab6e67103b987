//! Per-target baselines: the known gaps of one target, each with a reason.
//!
//! A failure listed in the baseline becomes `known-gap`; an unlisted failure stays `fail`.
//! Harness errors the target causes every time (an unsupported set-up operation, such as
//! GlobalSignOut on cognito-local) may be listed too, so CI stays meaningful for that target;
//! a listed gap that no longer fails becomes `fail` too ("gap closed: remove it from the
//! baseline"), so a baseline can only ratchet forward (smithy-rs `ExpectFail`, toml-test
//! `-skip-must-err`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::{Mismatch, Verdict};
use crate::run::{CaseOutcome, RunSummary};

/// The baseline file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The target and version the baseline describes (`moto 5.2.5`).
    pub target: String,
    /// Known gaps, sorted by id.
    #[serde(default, rename = "gap")]
    pub gaps: Vec<Gap>,
}

/// One known gap.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// Case id.
    pub id: String,
    /// Why the target fails it (what it does instead).
    pub reason: String,
    /// Upstream issue, where one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
}

/// How much of the catalogue a run covered, which decides whether an update may drop the
/// entries that name cases the catalogue no longer has (a case renamed or deleted).
#[derive(Debug, Clone, Copy)]
pub enum Coverage<'a> {
    /// The whole catalogue, whose ids these are: no `--filter`, `--partition`,
    /// `--no-generated` or `--only-generated`. An update drops the stale entries.
    Whole(&'a BTreeSet<String>),
    /// Part of it. An update keeps every entry of a case that did not run, stale ones too: a
    /// part run only touches what it ran, so its diff of the file never names a case it did
    /// not look at.
    Part,
}

/// A baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaselineError {
    /// Reading failed.
    #[error("cannot read baseline {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// Writing failed (the old file is left as it was).
    #[error("cannot write baseline {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid baseline.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An id is listed twice.
    #[error("{path}: gap `{id}` is listed twice")]
    Duplicate {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
    },
}

impl Baseline {
    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: path.into(),
            source,
        })?;
        let b: Baseline = toml::from_str(&text).map_err(|e| BaselineError::Parse {
            path: path.into(),
            line: e
                .span()
                .map_or(1, |s| crate::case::locate::line_col(&text, s.start).0),
            message: e.message().trim().to_string(),
        })?;
        let mut seen = std::collections::BTreeSet::new();
        for g in &b.gaps {
            if !seen.insert(g.id.as_str()) {
                return Err(BaselineError::Duplicate {
                    path: path.into(),
                    id: g.id.clone(),
                });
            }
        }
        Ok(b)
    }

    /// Write the baseline (gaps sorted by id), whole or not at all: a failed write leaves the
    /// old file byte-identical.
    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let mut sorted = self.clone();
        sorted.gaps.sort_by(|a, b| a.id.cmp(&b.id));
        let body = toml::to_string_pretty(&sorted).map_err(|e| BaselineError::Parse {
            path: path.into(),
            line: 0,
            message: e.to_string(),
        })?;
        let text = format!(
            "# Known gaps of {}: cases this target fails, with the reason. Written by\n# `cognito-conformance run --update-baseline`; edit the reasons, keep the ids.\n\n{body}",
            sorted.target
        );
        crate::fsio::write_atomic(path, text).map_err(|source| BaselineError::Write {
            path: path.into(),
            source,
        })
    }

    /// The ids of the entries that name no case of the catalogue (`catalogue`: every fixture
    /// and property id, whatever a run selected), sorted. A case that was renamed or deleted
    /// leaves such an entry behind; it can never be judged again, so it only hides that the
    /// baseline is out of date.
    pub fn stale(&self, catalogue: &BTreeSet<String>) -> Vec<String> {
        let mut ids: Vec<String> = self
            .gaps
            .iter()
            .filter(|g| !catalogue.contains(&g.id))
            .map(|g| g.id.clone())
            .collect();
        ids.sort();
        ids
    }

    fn find(&self, id: &str) -> Option<&Gap> {
        self.gaps.iter().find(|g| g.id == id)
    }

    /// Re-judge an outcome against the baseline. `strict`: non-strict results count as gaps.
    pub fn apply(&self, o: &mut CaseOutcome, strict: bool) {
        let gap = self.find(&o.id);
        let failing = o.verdict.is_gap(strict) || o.verdict == Verdict::Error;
        match (gap, failing) {
            (Some(g), true) => {
                o.verdict = Verdict::KnownGap;
                o.reason = Some(match &g.issue {
                    Some(i) => format!("known gap: {} ({i})", g.reason),
                    None => format!("known gap: {}", g.reason),
                });
            }
            (Some(_), false) if matches!(o.verdict, Verdict::Pass | Verdict::NonStrict) => {
                o.verdict = Verdict::Fail;
                o.reason =
                    Some("gap closed: the case now passes; remove it from the baseline".into());
                o.mismatches.push(Mismatch::contract(
                    "baseline",
                    "a known gap (listed in the baseline)",
                    "the case passes",
                ));
            }
            _ => {}
        }
    }

    /// The baseline after a run of some of the catalogue: `outcomes` are the cases that ran
    /// (a `--filter`ed run holds a few). It is a merge, so a filtered run never loses data:
    ///
    /// - an entry of a case that did not run (absent from `outcomes`, or skipped: a skip
    ///   judges nothing) is kept unchanged;
    /// - a case that ran and is a gap (fail, harness error, known gap, or non-strict under
    ///   `strict`) is listed, with its old reason and issue if it was listed, else its first
    ///   mismatch as the reason;
    /// - a case that ran and is no gap (pass, or non-strict without `strict`) is removed;
    /// - under [`Coverage::Whole`], an entry naming no case of the catalogue ([`stale`]) is
    ///   removed; under [`Coverage::Part`] it is kept like any case that did not run.
    ///
    /// The target name is kept, or `target` if the baseline had none.
    ///
    /// [`stale`]: Baseline::stale
    pub fn updated(
        &self,
        target: &str,
        outcomes: &[CaseOutcome],
        strict: bool,
        coverage: Coverage<'_>,
    ) -> Baseline {
        let ran: BTreeMap<&str, &CaseOutcome> = outcomes
            .iter()
            .filter(|o| o.verdict != Verdict::Skip)
            .map(|o| (o.id.as_str(), o))
            .collect();
        let mut gaps: BTreeMap<&str, Gap> = self
            .gaps
            .iter()
            .filter(|g| !ran.contains_key(g.id.as_str()))
            .filter(|g| match coverage {
                Coverage::Whole(catalogue) => catalogue.contains(&g.id),
                Coverage::Part => true,
            })
            .map(|g| (g.id.as_str(), g.clone()))
            .collect();
        for (id, o) in &ran {
            let gap = o.verdict == Verdict::KnownGap
                || o.verdict == Verdict::Error
                || (o.verdict.is_gap(strict)
                    && !o.mismatches.iter().any(|m| m.field == "baseline"));
            if !gap {
                continue;
            }
            let entry = self.find(id).cloned().unwrap_or_else(|| Gap {
                id: o.id.clone(),
                reason: first_mismatch(o),
                issue: None,
            });
            gaps.insert(id, entry);
        }
        Baseline {
            target: if self.target.is_empty() {
                target.to_string()
            } else {
                self.target.clone()
            },
            gaps: gaps.into_values().collect(),
        }
    }

    /// `run --update-baseline`: merge a run into the baseline file at `path` ([`updated`],
    /// with `self` the baseline as loaded before the run, `coverage` what the run covered)
    /// and write it atomically. An
    /// interrupted run (`summary.interrupted`) writes nothing and returns
    /// [`BaselineUpdate::NotWritten`]: its outcomes are a partial picture of the cases it was
    /// asked to run, and the file stays byte-identical.
    ///
    /// [`updated`]: Baseline::updated
    pub fn update_file(
        &self,
        path: &Path,
        target: &str,
        outcomes: &[CaseOutcome],
        summary: &RunSummary,
        strict: bool,
        coverage: Coverage<'_>,
    ) -> Result<BaselineUpdate, BaselineError> {
        if summary.interrupted {
            return Ok(BaselineUpdate::NotWritten {
                reason: "the run was interrupted",
            });
        }
        let new = self.updated(target, outcomes, strict, coverage);
        let ids =
            |b: &Baseline| -> BTreeSet<String> { b.gaps.iter().map(|g| g.id.clone()).collect() };
        let (before, after) = (ids(self), ids(&new));
        let stale_removed = match coverage {
            Coverage::Whole(catalogue) => self.stale(catalogue).len(),
            Coverage::Part => 0,
        };
        new.save(path)?;
        Ok(BaselineUpdate::Written {
            added: after.difference(&before).count(),
            removed: before.difference(&after).count(),
            stale_removed,
            baseline: new,
        })
    }
}

/// What [`Baseline::update_file`] did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BaselineUpdate {
    /// The file was written.
    Written {
        /// The baseline now in the file.
        baseline: Baseline,
        /// Gaps listed that were not before.
        added: usize,
        /// Gaps no longer listed.
        removed: usize,
        /// Of those, the entries that named no case of the catalogue.
        stale_removed: usize,
    },
    /// Nothing was written, and why.
    NotWritten {
        /// `the run was interrupted`.
        reason: &'static str,
    },
}

impl std::fmt::Display for BaselineUpdate {
    /// One line for the terminal, after `baseline FILE `.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaselineUpdate::Written {
                baseline,
                added,
                removed,
                stale_removed,
            } => {
                write!(
                    f,
                    "updated: {} known gap(s), {added} added, {removed} removed",
                    baseline.gaps.len()
                )?;
                // The run said which when it started (stale_notice).
                if *stale_removed > 0 {
                    write!(f, " ({stale_removed} stale)")?;
                }
                Ok(())
            }
            BaselineUpdate::NotWritten { reason } => {
                write!(f, "not updated: {reason}; the file is unchanged")
            }
        }
    }
}

/// Entries named on the stale-entries line; the JSON report lists them all.
const STALE_SHOWN: usize = 5;

/// The one line a run says about stale entries ([`Baseline::stale`], non-empty): how many,
/// which, and what removes them. `removing`: this run is an update of the whole catalogue,
/// which drops them.
pub fn stale_notice(path: &Path, stale: &[String], removing: bool) -> String {
    let shown: Vec<&str> = stale.iter().take(STALE_SHOWN).map(String::as_str).collect();
    let more = stale.len() - shown.len();
    let mut ids = shown.join(", ");
    if more > 0 {
        ids.push_str(&format!(" and {more} more"));
    }
    let what = if stale.len() == 1 {
        "1 entry names a case that no longer exists".to_string()
    } else {
        format!("{} entries name cases that no longer exist", stale.len())
    };
    let them = if stale.len() == 1 { "it" } else { "them" };
    let fix = if removing {
        format!("this update removes {them}")
    } else {
        format!("`run --update-baseline` without --filter or --partition removes {them}")
    };
    format!("baseline {}: {what}: {ids}; {fix}", path.display())
}

fn first_mismatch(o: &CaseOutcome) -> String {
    o.mismatches
        .iter()
        .find(|m| m.tier == crate::check::Tier::Contract)
        .or(o.mismatches.first())
        .map(|m| {
            let actual: String = m
                .actual
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect();
            format!("{}: expected {}, got {}", m.field, m.expected, actual)
        })
        .or_else(|| o.reason.clone())
        .unwrap_or_else(|| o.verdict.label().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::EvidenceLevel;

    fn outcome(id: &str, v: Verdict) -> CaseOutcome {
        CaseOutcome {
            id: id.into(),
            operation: "DeleteUser".into(),
            group: "token".into(),
            title: "t".into(),
            requirements: vec![],
            requirement: "r".into(),
            evidence_level: EvidenceLevel::Observed,
            evidence_source: "s".into(),
            verdict: v,
            mismatches: if v == Verdict::Fail {
                vec![Mismatch::contract("status", "400", "500")]
            } else {
                vec![]
            },
            reason: None,
            reproduction: None,
            observed: None,
            duration_ms: 0,
            generated: None,
            exchange: None,
        }
    }

    fn baseline() -> Baseline {
        Baseline {
            target: "moto".into(),
            gaps: vec![Gap {
                id: "a".into(),
                reason: "not implemented".into(),
                issue: None,
            }],
        }
    }

    #[test]
    fn listed_failures_are_known_gaps_and_unlisted_stay_failures() {
        let mut a = outcome("a", Verdict::Fail);
        baseline().apply(&mut a, false);
        assert_eq!(a.verdict, Verdict::KnownGap);
        assert!(a.reason.unwrap().contains("not implemented"));
        let mut b = outcome("b", Verdict::Fail);
        baseline().apply(&mut b, false);
        assert_eq!(b.verdict, Verdict::Fail);
    }

    #[test]
    fn listed_harness_errors_are_known_gaps() {
        let mut a = outcome("a", Verdict::Error);
        baseline().apply(&mut a, false);
        assert_eq!(a.verdict, Verdict::KnownGap);
    }

    #[test]
    fn a_closed_gap_fails_the_run() {
        let mut a = outcome("a", Verdict::Pass);
        baseline().apply(&mut a, false);
        assert_eq!(a.verdict, Verdict::Fail);
        assert!(a.reason.unwrap().starts_with("gap closed"));
    }

    #[test]
    fn update_keeps_reasons_drops_closed_and_adds_new() {
        let outs = vec![
            outcome("a", Verdict::KnownGap),
            outcome("c", Verdict::Fail),
            outcome("d", Verdict::Pass),
        ];
        let u = baseline().updated("moto", &outs, false, Coverage::Part);
        let ids: Vec<&str> = u.gaps.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(u.gaps[0].reason, "not implemented");
        assert_eq!(u.gaps[1].reason, "status: expected 400, got 500");
    }

    #[test]
    fn round_trip_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.toml");
        baseline().save(&p).unwrap();
        assert_eq!(Baseline::load(&p).unwrap(), baseline());
        std::fs::write(&p, "target = \"x\"\n[[gap]]\nid = \"a\"\nreason = \"r\"\n[[gap]]\nid = \"a\"\nreason = \"r\"\n").unwrap();
        assert!(matches!(
            Baseline::load(&p),
            Err(BaselineError::Duplicate { .. })
        ));
        std::fs::write(&p, "target = \"x\"\n[[gap]]\nid = \"a\"\nreasn = \"r\"\n").unwrap();
        let e = Baseline::load(&p).unwrap_err().to_string();
        assert!(e.contains(":4:") && e.contains("unknown field"), "{e}");
    }

    fn gap(id: &str, reason: &str) -> Gap {
        Gap {
            id: id.into(),
            reason: reason.into(),
            issue: None,
        }
    }

    /// A baseline like moto's: many gaps, three of them under `delete-user/success/`.
    fn big() -> Baseline {
        let mut gaps: Vec<Gap> = (0..185)
            .map(|i| gap(&format!("update-user-attributes/schema/case-{i:03}"), "why"))
            .collect();
        gaps.push(Gap {
            id: "delete-user/success/a".into(),
            reason: "returns 500".into(),
            issue: Some("getmoto/moto#1".into()),
        });
        gaps.push(gap("delete-user/success/b", "keeps the user"));
        gaps.push(gap("delete-user/success/c", "no such operation"));
        Baseline {
            target: "moto 5.2.5".into(),
            gaps,
        }
    }

    #[test]
    fn a_filtered_update_keeps_every_entry_of_cases_that_did_not_run() {
        let old = big();
        assert_eq!(old.gaps.len(), 188);
        // `--filter 'delete-user/success/*'`: three cases ran, one of them now passes, and a
        // fourth, new one fails.
        let ran = vec![
            outcome("delete-user/success/a", Verdict::Fail),
            outcome("delete-user/success/b", Verdict::Pass),
            outcome("delete-user/success/c", Verdict::Error),
            outcome("delete-user/success/d", Verdict::Fail),
        ];
        let new = old.updated("moto 5.2.5", &ran, false, Coverage::Part);
        assert_eq!(
            new.gaps.len(),
            188,
            "185 untouched + a, c kept + d added - b removed"
        );
        for g in old
            .gaps
            .iter()
            .filter(|g| !g.id.starts_with("delete-user/"))
        {
            assert!(new.gaps.contains(g), "{} lost or changed", g.id);
        }
        let by_id = |id: &str| new.gaps.iter().find(|g| g.id == id).cloned();
        assert_eq!(
            by_id("delete-user/success/a"),
            Some(old.gaps[185].clone()),
            "reason and issue kept"
        );
        assert_eq!(
            by_id("delete-user/success/b"),
            None,
            "a gap that now passes is removed"
        );
        assert_eq!(
            by_id("delete-user/success/c").unwrap().reason,
            "no such operation"
        );
        assert_eq!(
            by_id("delete-user/success/d").unwrap().reason,
            "status: expected 400, got 500"
        );
        assert_eq!(new.target, "moto 5.2.5");
        let mut sorted = new.gaps.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(sorted, new.gaps);
    }

    #[test]
    fn a_skipped_case_keeps_its_entry() {
        let old = baseline();
        let new = old.updated(
            "moto",
            &[outcome("a", Verdict::Skip)],
            false,
            Coverage::Part,
        );
        assert_eq!(new, old);
    }

    #[test]
    fn update_file_merges_writes_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("moto.toml");
        let old = big();
        old.save(&p).unwrap();
        let ran = vec![
            outcome("delete-user/success/b", Verdict::Pass),
            outcome("delete-user/success/d", Verdict::Fail),
        ];
        let done = old
            .update_file(
                &p,
                "moto 5.2.5",
                &ran,
                &RunSummary::default(),
                false,
                Coverage::Part,
            )
            .unwrap();
        match &done {
            BaselineUpdate::Written {
                baseline,
                added,
                removed,
                stale_removed,
            } => {
                assert_eq!((*added, *removed, baseline.gaps.len()), (1, 1, 188));
                assert_eq!(*stale_removed, 0);
                assert_eq!(&Baseline::load(&p).unwrap(), baseline);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            done.to_string(),
            "updated: 188 known gap(s), 1 added, 1 removed"
        );
    }

    #[test]
    fn an_interrupted_update_leaves_the_file_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("moto.toml");
        // Hand-edited: comments and layout a rewrite would lose.
        let text = "# known gaps of moto, edited by hand\ntarget = \"moto 5.2.5\"\n\n[[gap]]\nid = \"a\"\nreason = \"not implemented\"  # see issue\n";
        std::fs::write(&p, text).unwrap();
        let old = Baseline::load(&p).unwrap();
        let summary = RunSummary {
            interrupted: true,
            ..RunSummary::default()
        };
        let done = old
            .update_file(
                &p,
                "moto",
                &[outcome("a", Verdict::Pass)],
                &summary,
                false,
                Coverage::Part,
            )
            .unwrap();
        assert_eq!(
            done,
            BaselineUpdate::NotWritten {
                reason: "the run was interrupted"
            }
        );
        assert!(done.to_string().contains("not updated"), "{done}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
    }

    #[test]
    fn a_failed_save_leaves_the_old_file_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        // The baseline path is a directory holding a file: the atomic rename fails.
        let p = dir.path().join("b.toml");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("inside"), "old").unwrap();
        let e = baseline().save(&p).unwrap_err();
        assert!(matches!(e, BaselineError::Write { .. }), "{e}");
        assert_eq!(
            e.to_string(),
            format!("cannot write baseline {}", p.display())
        );
        assert_eq!(std::fs::read(p.join("inside")).unwrap(), b"old");
    }

    #[test]
    fn save_replaces_the_file_and_never_writes_into_the_old_one() {
        // A hard link to the old file sees every in-place write; an atomic replacement leaves
        // it alone, so a write that failed halfway could not have damaged the old baseline.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.toml");
        std::fs::write(&p, "# by hand\ntarget = \"moto\"\n").unwrap();
        let witness = dir.path().join("witness");
        std::fs::hard_link(&p, &witness).unwrap();
        big().save(&p).unwrap();
        assert_eq!(Baseline::load(&p).unwrap().gaps.len(), 188);
        assert_eq!(
            std::fs::read_to_string(&witness).unwrap(),
            "# by hand\ntarget = \"moto\"\n"
        );
    }

    /// The ids of [`big`] with the ones it names removed (renamed or deleted cases), plus
    /// a case the baseline does not list.
    fn catalogue_without(gone: &[&str]) -> BTreeSet<String> {
        big()
            .gaps
            .iter()
            .map(|g| g.id.clone())
            .filter(|id| !gone.contains(&id.as_str()))
            .chain(["delete-user/success/d".to_string()])
            .collect()
    }

    #[test]
    fn stale_entries_are_the_ids_the_catalogue_does_not_have() {
        let gone = [
            "delete-user/success/c",
            "update-user-attributes/schema/case-007",
        ];
        let catalogue = catalogue_without(&gone);
        assert_eq!(big().stale(&catalogue), gone);
        assert!(big().stale(&catalogue_without(&[])).is_empty());
    }

    #[test]
    fn a_whole_run_update_drops_stale_entries_and_a_part_run_keeps_them() {
        let gone = [
            "delete-user/success/c",
            "update-user-attributes/schema/case-007",
        ];
        let catalogue = catalogue_without(&gone);
        let old = big();
        let ran = vec![outcome("delete-user/success/a", Verdict::Fail)];
        let whole = old.updated("moto 5.2.5", &ran, false, Coverage::Whole(&catalogue));
        assert_eq!(whole.gaps.len(), 186, "{:?}", whole.stale(&catalogue));
        assert!(whole.stale(&catalogue).is_empty());
        let part = old.updated("moto 5.2.5", &ran, false, Coverage::Part);
        assert_eq!(
            part.gaps.len(),
            188,
            "a part run keeps them, as all it did not run"
        );
        assert_eq!(part.stale(&catalogue), gone);

        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("moto.toml");
        old.save(&p).unwrap();
        let done = old
            .update_file(
                &p,
                "moto 5.2.5",
                &ran,
                &RunSummary::default(),
                false,
                Coverage::Whole(&catalogue),
            )
            .unwrap();
        assert_eq!(
            done.to_string(),
            "updated: 186 known gap(s), 0 added, 2 removed (2 stale)"
        );
        assert_eq!(Baseline::load(&p).unwrap(), whole);
    }

    #[test]
    fn the_stale_notice_names_them_and_what_removes_them() {
        let p = Path::new("baselines/moto.toml");
        assert_eq!(
            stale_notice(p, &["a/b".into(), "c/d".into()], false),
            "baseline baselines/moto.toml: 2 entries name cases that no longer exist: a/b, c/d; `run --update-baseline` without --filter or --partition removes them"
        );
        assert_eq!(
            stale_notice(p, &["a/b".into()], true),
            "baseline baselines/moto.toml: 1 entry names a case that no longer exists: a/b; this update removes it"
        );
        let many: Vec<String> = (0..7).map(|i| format!("x/{i}")).collect();
        assert!(
            stale_notice(p, &many, false).contains("x/0, x/1, x/2, x/3, x/4 and 2 more;"),
            "{}",
            stale_notice(p, &many, false)
        );
    }
}
