//! Each target's gaps grouped by requirement: "moto 5.2.5: DeleteUser, a revoked token is
//! refused, 32 cases (known gap: GlobalSignOut not implemented)". The case tables say what
//! happened to every case; this says in a few lines what a target gets wrong.
//!
//! A gap is a case that failed, is a known gap of the target's baseline, or could not be run
//! (`err`): skips (a capability the target lacks) and non-strict differences (the contract
//! holds) are not gaps. Groups are sorted by operation, then by the number of cases (most
//! first), then by requirement.

use std::collections::BTreeMap;

use crate::check::Verdict;

use super::{Matrix, short_label};

/// One requirement a target breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapGroup {
    /// Operation.
    pub operation: String,
    /// The requirement, in our words.
    pub requirement: String,
    /// Cases.
    pub cases: usize,
    /// `2 FAIL, 30 gap`.
    pub verdicts: String,
    /// The first line of the reason most of its cases give (`known gap: …`), if any.
    pub reason: Option<String>,
}

impl GapGroup {
    /// `32 cases (2 FAIL, 30 gap)`: the group's size as every rendering shows it.
    pub fn size(&self) -> String {
        format!(
            "{} ({})",
            crate::report::labels::count(self.cases, "case", "cases"),
            self.verdicts
        )
    }
}

/// The gap groups of target column `t` (the matrix keeps them in
/// [`super::TargetColumn::gaps`]).
pub fn of_target(matrix: &Matrix, t: usize) -> Vec<GapGroup> {
    // (operation, requirement) -> (verdict counts, reason counts)
    type Tally = (BTreeMap<usize, usize>, BTreeMap<String, usize>);
    let mut groups: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for op in &matrix.operations {
        for case in op.sections.iter().flat_map(|s| &s.cases) {
            let Some(cell) = case.cells.get(t).and_then(Option::as_ref) else {
                continue;
            };
            if !matches!(
                cell.verdict,
                Verdict::Fail | Verdict::KnownGap | Verdict::Error
            ) {
                continue;
            }
            let (verdicts, reasons) = groups
                .entry((op.name.clone(), case.requirement.clone()))
                .or_default();
            let at = Verdict::ALL
                .iter()
                .position(|v| *v == cell.verdict)
                .unwrap_or(0);
            *verdicts.entry(at).or_default() += 1;
            if let Some(first) = cell
                .reason
                .as_deref()
                .and_then(|r| r.lines().next())
                .filter(|l| !l.is_empty())
            {
                *reasons.entry(first.to_string()).or_default() += 1;
            }
        }
    }
    let mut out: Vec<GapGroup> = groups
        .into_iter()
        .map(|((operation, requirement), (verdicts, reasons))| {
            let cases = verdicts.values().sum();
            let verdicts = verdicts
                .iter()
                .map(|(at, n)| format!("{n} {}", short_label(Verdict::ALL[*at])))
                .collect::<Vec<_>>()
                .join(", ");
            // The most frequent reason; ties go to the first by text (BTreeMap order).
            let reason = reasons
                .into_iter()
                .fold(None::<(String, usize)>, |best, (r, n)| match best {
                    Some((b, m)) if m >= n => Some((b, m)),
                    _ => Some((r, n)),
                })
                .map(|(r, _)| r);
            GapGroup {
                operation,
                requirement,
                cases,
                verdicts,
                reason,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.operation
            .cmp(&b.operation)
            .then(b.cases.cmp(&a.cases))
            .then(a.requirement.cmp(&b.requirement))
    });
    out
}
