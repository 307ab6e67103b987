//! The end of a run as a person reads it (the default; `--verbose` shows every case in full):
//! per operation, one line per failing requirement with its number of cases and a few ids;
//! then the worst few cases in full; then one line naming the cases without a golden snapshot,
//! and one line each for the non-strict differences, the known gaps and the skips, counted,
//! not listed. The report files (`--json`, `--markdown`, `--junit`) keep every case in full.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::check::{Tier, Verdict};
use crate::run::events::CaseOutcome;

use super::super::labels;
use super::paint::Paint;

/// Cases shown in full by default.
pub(crate) const WORST_SHOWN: usize = 3;
/// Ids named on a requirement's line.
const IDS_SHOWN: usize = 2;

/// Whether a case is a failure of the run (fail, error, and non-strict under strict).
pub(crate) fn failing(c: &CaseOutcome, strict: bool) -> bool {
    c.verdict.is_gap(strict) || c.verdict == Verdict::Error
}

/// How bad a failing case is, worst first: a broken contract before a harness error before a
/// strict-detail difference; then more contract-tier mismatches; then fixtures (a short
/// reproduction) before generated cases.
fn severity(c: &CaseOutcome) -> (u8, usize, bool) {
    let rank = match c.verdict {
        Verdict::Fail => 0,
        Verdict::Error => 1,
        _ => 2,
    };
    let contract = c
        .mismatches
        .iter()
        .filter(|m| m.tier == Tier::Contract)
        .count();
    (rank, usize::MAX - contract, c.generated.is_some())
}

/// `DeleteUser` / `  FAIL  token.revoked  A revoked token is refused: 3 cases (a, b and 1 more)`.
pub(crate) fn requirements(out: &mut String, cases: &[&CaseOutcome], strict: bool, paint: &Paint) {
    // operation -> requirement -> cases
    let mut by_op: BTreeMap<&str, BTreeMap<(&str, &str), Vec<&CaseOutcome>>> = BTreeMap::new();
    for c in cases.iter().copied().filter(|c| failing(c, strict)) {
        let id = c.requirements.first().map(String::as_str).unwrap_or("");
        by_op
            .entry(c.operation.as_str())
            .or_default()
            .entry((id, c.requirement.as_str()))
            .or_default()
            .push(c);
    }
    if by_op.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", paint.heading("failing requirements:"));
    for (op, reqs) in by_op {
        let _ = writeln!(out, "  {op}");
        let mut reqs: Vec<_> = reqs.into_iter().collect();
        reqs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        for ((id, title), mut list) in reqs {
            list.sort_by(|a, b| severity(a).cmp(&severity(b)).then(a.id.cmp(&b.id)));
            let worst = list[0].verdict;
            let label = format!("{:<10}", labels::verdict_upper(worst));
            let named: Vec<&str> = list.iter().take(IDS_SHOWN).map(|c| c.id.as_str()).collect();
            let more = list.len() - named.len();
            let ids = if more > 0 {
                format!("{} and {more} more", named.join(", "))
            } else {
                named.join(", ")
            };
            let name = if id.is_empty() {
                title.to_string()
            } else {
                format!("{id}  {title}")
            };
            let _ = writeln!(
                out,
                "    {} {name}: {} {}",
                paint.verdict(worst, strict, &label),
                labels::count(list.len(), "case", "cases"),
                paint.dim(&format!("({ids})"))
            );
        }
    }
}

/// The failing cases worth reading in full: the worst of each failing requirement first, at
/// most [`WORST_SHOWN`].
pub(crate) fn worst<'a>(cases: &[&'a CaseOutcome], strict: bool) -> (Vec<&'a CaseOutcome>, usize) {
    let mut failing: Vec<&CaseOutcome> = cases
        .iter()
        .copied()
        .filter(|c| failing(c, strict))
        .collect();
    failing.sort_by(|a, b| severity(a).cmp(&severity(b)).then(a.id.cmp(&b.id)));
    let total = failing.len();
    let mut shown: Vec<&CaseOutcome> = Vec::new();
    let mut requirements = std::collections::HashSet::new();
    // One per requirement first, then the next worst, so three cases cover three problems.
    for c in &failing {
        if shown.len() < WORST_SHOWN && requirements.insert(c.requirement.as_str()) {
            shown.push(c);
        }
    }
    for c in &failing {
        if shown.len() < WORST_SHOWN && !shown.iter().any(|s| s.id == c.id) {
            shown.push(c);
        }
    }
    (shown, total)
}

/// One line each for what is counted, not listed: non-strict differences (unless strict),
/// known gaps, skips (by reason).
pub(crate) fn collapsed(out: &mut String, cases: &[&CaseOutcome], strict: bool, paint: &Paint) {
    let count = |v: Verdict| cases.iter().filter(|c| c.verdict == v).count();
    let mut lines = Vec::new();
    // A missing golden is no difference: nothing was recorded to differ from, and the fix is
    // to record one. So those cases are named on a line of their own, under --strict too
    // (where they are failures, but the fix is the same).
    let no_golden: Vec<&str> = cases
        .iter()
        .filter(|c| c.mismatches.iter().any(is_missing_golden))
        .map(|c| c.id.as_str())
        .collect();
    if !no_golden.is_empty() {
        let named = &no_golden[..no_golden.len().min(IDS_SHOWN)];
        let more = no_golden.len() - named.len();
        let ids = if more > 0 {
            format!("{} and {more} more", named.join(", "))
        } else {
            named.join(", ")
        };
        lines.push(format!(
            "{} {} without a golden snapshot ({ids}); `cognito-conformance record --filter ID` records one",
            paint.verdict(Verdict::NonStrict, strict, "no golden"),
            labels::count(no_golden.len(), "case", "cases"),
        ));
    }
    let non_strict = cases
        .iter()
        .filter(|c| {
            c.verdict == Verdict::NonStrict && c.mismatches.iter().any(|m| !is_missing_golden(m))
        })
        .count();
    if !strict && non_strict > 0 {
        lines.push(format!(
            "{} {}: the contract holds, strict detail (a message, a snapshot) differs; --verbose or --strict shows them",
            paint.verdict(Verdict::NonStrict, strict, "non-strict"),
            labels::count(non_strict, "case", "cases")
        ));
    }
    let gaps = count(Verdict::KnownGap);
    if gaps > 0 {
        lines.push(format!(
            "{} {}, as the baseline lists them; --verbose shows them",
            paint.verdict(Verdict::KnownGap, strict, "known gaps"),
            labels::count(gaps, "case", "cases")
        ));
    }
    let mut skips: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.verdict == Verdict::Skip) {
        let reason = c
            .reason
            .as_deref()
            .and_then(|r| r.lines().next())
            .unwrap_or("no reason given");
        *skips.entry(reason).or_default() += 1;
    }
    for (reason, n) in skips {
        lines.push(format!(
            "{} {}: {reason}",
            paint.verdict(Verdict::Skip, strict, "skipped"),
            labels::count(n, "case", "cases")
        ));
    }
    if !lines.is_empty() {
        out.push('\n');
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
}

/// The strict-tier mismatch of a case that was to be compared with a golden but has none.
fn is_missing_golden(m: &crate::check::Mismatch) -> bool {
    m.field == "snapshot" && m.actual == crate::snapshot::MISSING_GOLDEN
}
