//! Observed vs expected: a list of typed mismatches, each with its tier, and the verdict.
//!
//! Contract-tier mismatches make a case `fail`; strict-tier ones make it `non-strict` (a
//! failure only under `--strict`). Nothing here is a string comparison of whole reports: each
//! mismatch names the field, what was expected and what was seen.

pub mod basis;
pub mod body;
pub mod envelope;
pub mod evaluate;
pub mod observed;
pub mod pool_schema;
pub mod state;

pub use evaluate::evaluate;
pub use observed::{Observed, Probe};

use serde::{Deserialize, Serialize};

use crate::text::{clip, visible};

/// Which tier of the contract a mismatch breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// What every conforming implementation must do.
    Contract,
    /// Detail real Cognito shows (messages, headers, exact bodies).
    Strict,
}

/// One difference between expectation and observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Mismatch {
    /// What differs: `status`, `error`, `message`, `body`, `content-type`, `state.email`,
    /// `token`, `sign_in`, `code_delivery`, `response`...
    pub field: String,
    /// What the contract expects (human-readable).
    pub expected: String,
    /// What the target did (redacted).
    pub actual: String,
    /// Contract or strict.
    pub tier: Tier,
    /// A unified diff (golden vs observed) when the difference spans many lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// A strict expectation no capture of real Cognito supports: the suite's best guess, which
    /// reports say (see [`basis`]). Never set on a contract-tier mismatch.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guess: bool,
}

impl Mismatch {
    /// The mismatch as reports carry it: `redact` applied to every text, then each text
    /// [`clip`]ped and a diff clipped line by line. A boundary value is up to 131,073
    /// characters, and echoed back it would otherwise fill every report with it.
    pub fn shown(self, redact: impl Fn(&str) -> String) -> Mismatch {
        Mismatch {
            field: visible(&self.field),
            expected: clip(&redact(&self.expected)),
            actual: clip(&redact(&self.actual)),
            diff: self
                .diff
                .map(|d| redact(&d).lines().map(clip).collect::<Vec<_>>().join("\n")),
            ..self
        }
    }

    /// A contract-tier mismatch.
    pub fn contract(
        field: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Mismatch {
            field: field.into(),
            expected: expected.into(),
            actual: actual.into(),
            tier: Tier::Contract,
            diff: None,
            guess: false,
        }
    }
    /// A strict-tier mismatch.
    pub fn strict(
        field: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Mismatch {
            field: field.into(),
            expected: expected.into(),
            actual: actual.into(),
            tier: Tier::Strict,
            diff: None,
            guess: false,
        }
    }
}

/// The result of one case.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Contract and strict detail hold.
    Pass,
    /// The contract holds; strict detail differs.
    NonStrict,
    /// The contract is broken.
    Fail,
    /// A failure listed in the target's baseline.
    KnownGap,
    /// The target lacks a capability the case needs.
    Skip,
    /// The harness could not run the case.
    Error,
    /// The run was interrupted (Ctrl-C) while the case was running: not judged.
    Interrupted,
}

impl Verdict {
    /// The verdict of a set of mismatches.
    pub fn of(mismatches: &[Mismatch]) -> Verdict {
        if mismatches.iter().any(|m| m.tier == Tier::Contract) {
            Verdict::Fail
        } else if mismatches.is_empty() {
            Verdict::Pass
        } else {
            Verdict::NonStrict
        }
    }

    /// Lowercase label (`non-strict`).
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::NonStrict => "non-strict",
            Verdict::Fail => "fail",
            Verdict::KnownGap => "known-gap",
            Verdict::Skip => "skip",
            Verdict::Error => "error",
            Verdict::Interrupted => "interrupted",
        }
    }

    /// Whether this verdict makes a run non-conformant (`strict`: non-strict counts too).
    pub fn is_gap(self, strict: bool) -> bool {
        matches!(self, Verdict::Fail) || (strict && self == Verdict::NonStrict)
    }

    /// How many verdicts there are.
    pub const COUNT: usize = 7;

    /// All verdicts in report order.
    pub const ALL: [Verdict; Verdict::COUNT] = [
        Verdict::Pass,
        Verdict::NonStrict,
        Verdict::Fail,
        Verdict::KnownGap,
        Verdict::Skip,
        Verdict::Error,
        Verdict::Interrupted,
    ];
}

#[cfg(test)]
mod shown_tests {
    use super::*;

    #[test]
    fn shown_redacts_then_clips_every_text() {
        let m = Mismatch {
            diff: Some(format!("- {}\n+ secret", "b".repeat(3000))),
            ..Mismatch::contract("message", "secret", "x".repeat(3000))
        }
        .shown(|t| t.replace("secret", "[S]"));
        assert_eq!(m.expected, "[S]");
        assert_eq!(m.actual, "x×3000");
        assert_eq!(m.diff.as_deref(), Some("- b×3000\n+ [S]"));
        let m = Mismatch::contract("state.\u{0}", "x", "y").shown(|t| t.to_string());
        assert_eq!(m.field, "state.␀");
    }
}
