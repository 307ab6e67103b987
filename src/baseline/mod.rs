//! Per-target baselines: the known gaps of one target, each with a reason.
//!
//! A failure listed in the baseline becomes `known-gap`; an unlisted failure stays `fail`.
//! Harness errors the target causes every time (an unsupported set-up operation, such as
//! GlobalSignOut on cognito-local) may be listed too, so CI stays meaningful for that target;
//! a listed gap that no longer fails becomes `fail` too ("gap closed: remove it from the
//! baseline"), so a baseline can only ratchet forward (smithy-rs `ExpectFail`, toml-test
//! `-skip-must-err`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::{Mismatch, Verdict};
use crate::run::CaseOutcome;

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

/// A baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaselineError {
    /// Reading or writing failed.
    #[error("cannot access baseline {path}: {source}")]
    Io {
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

    /// Write the baseline (gaps sorted by id).
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
        std::fs::write(path, text).map_err(|source| BaselineError::Io {
            path: path.into(),
            source,
        })
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

    /// The baseline that matches a run: every gap (fail, or non-strict under `strict`) with
    /// the old reason kept where there was one, else the first mismatch.
    pub fn updated(&self, target: &str, outcomes: &[CaseOutcome], strict: bool) -> Baseline {
        let old: BTreeMap<&str, &Gap> = self.gaps.iter().map(|g| (g.id.as_str(), g)).collect();
        let mut gaps: Vec<Gap> = outcomes
            .iter()
            .filter(|o| {
                o.verdict == Verdict::KnownGap
                    || o.verdict == Verdict::Error
                    || (o.verdict.is_gap(strict)
                        && !o.mismatches.iter().any(|m| m.field == "baseline"))
            })
            .map(|o| match old.get(o.id.as_str()) {
                Some(g) => (*g).clone(),
                None => Gap {
                    id: o.id.clone(),
                    reason: first_mismatch(o),
                    issue: None,
                },
            })
            .collect();
        gaps.sort_by(|a, b| a.id.cmp(&b.id));
        Baseline {
            target: if self.target.is_empty() {
                target.to_string()
            } else {
                self.target.clone()
            },
            gaps,
        }
    }
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
        let u = baseline().updated("moto", &outs, false);
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
}
