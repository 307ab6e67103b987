//! How verdicts and evidence levels are named in human-readable reports, so that the
//! terminal, JUnit and Markdown views use the same words.

use crate::check::{Tier, Verdict};
use crate::vocab::EvidenceLevel;

/// The evidence level as written in the registry (`observed`, `observed-sibling`...).
pub(crate) fn evidence(level: EvidenceLevel) -> &'static str {
    level.label()
}

/// The tier as written in reports (`contract`, `strict`).
pub(crate) fn tier(tier: Tier) -> &'static str {
    match tier {
        Tier::Contract => "contract",
        Tier::Strict => "strict",
    }
}

/// The tier of one mismatch as reports show it: `strict, a guess` where no capture of real
/// Cognito supports the strict expectation.
pub(crate) fn mismatch_tier(m: &crate::check::Mismatch) -> &'static str {
    match (m.tier, m.guess) {
        (Tier::Strict, true) => "strict, a guess",
        (t, _) => tier(t),
    }
}

/// The verdict in capitals, for status lines that must stand out (`NON-STRICT`).
pub(crate) fn verdict_upper(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "PASS",
        Verdict::NonStrict => "NON-STRICT",
        Verdict::Fail => "FAIL",
        Verdict::KnownGap => "KNOWN-GAP",
        Verdict::Skip => "SKIP",
        Verdict::Error => "ERROR",
        Verdict::Interrupted => "INTERRUPTED",
    }
}

/// `1 case`, `2 cases`.
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}
