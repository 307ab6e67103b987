//! Observed vs expected: a list of typed mismatches, each with its tier, and the verdict.
//!
//! Contract-tier mismatches make a case `fail`; strict-tier ones make it `non-strict` (a
//! failure only under `--strict`). Nothing here is a string comparison of whole reports: each
//! mismatch names the field, what was expected and what was seen.

pub mod body;
pub mod evaluate;
pub mod observed;
pub mod state;

pub use evaluate::evaluate;
pub use observed::{Observed, Probe};

use serde::{Deserialize, Serialize};

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
        }
    }

    /// Whether this verdict makes a run non-conformant (`strict`: non-strict counts too).
    pub fn is_gap(self, strict: bool) -> bool {
        matches!(self, Verdict::Fail) || (strict && self == Verdict::NonStrict)
    }

    /// All verdicts in report order.
    pub const ALL: [Verdict; 6] = [
        Verdict::Pass,
        Verdict::NonStrict,
        Verdict::Fail,
        Verdict::KnownGap,
        Verdict::Skip,
        Verdict::Error,
    ];
}

/// Most characters of one mismatch text (or diff line) a report shows.
pub const SHOWN: usize = 2048;

/// `text` made [`visible`], with runs of one character abbreviated (`a×131073`), then cut at
/// [`SHOWN`] characters with a note of how many were left out.
pub fn clip(text: &str) -> String {
    let text = visible(text);
    if text.chars().count() <= SHOWN {
        return text;
    }
    let short = crate::generate::text::abbreviate(&text);
    let n = short.chars().count();
    if n <= SHOWN {
        return short;
    }
    let kept: String = short.chars().take(SHOWN).collect();
    format!("{kept}… ({} more characters)", n - SHOWN)
}

/// `text` with control characters other than newline and tab shown as symbols (`␀`, `␇`,
/// `␛`, `␡`; C1 controls as `\u{9b}`): a target's bytes reach terminals and pages, where a raw
/// escape sequence would recolour, retitle or clear the reader's terminal.
pub fn visible(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c as u32 {
            0x0a | 0x09 => c.to_string(),
            n @ 0..=0x1f => char::from_u32(0x2400 + n).map_or_else(String::new, String::from),
            0x7f => "\u{2421}".to_string(),
            n if c.is_control() => format!("\\u{{{n:x}}}"),
            _ => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn long_runs_are_abbreviated_and_long_texts_cut() {
        assert_eq!(clip("short"), "short");
        let run = format!("Value '{}' at x", "a".repeat(131_073));
        assert_eq!(clip(&run), "Value 'a×131073' at x");
        let varied: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let c = clip(&varied);
        assert!(c.starts_with(&varied[..SHOWN]), "{c}");
        assert!(c.ends_with("… (2952 more characters)"), "{c}");
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            visible("a\u{1b}[2Jb\u{0}\u{7}\u{7f}\u{9b}\nc\td"),
            "a␛[2Jb␀␇␡\\u{9b}\nc\td"
        );
        assert_eq!(clip("na\u{7}me"), "na␇me");
        let m = Mismatch::contract("state.\u{0}", "x", "y").shown(|t| t.to_string());
        assert_eq!(m.field, "state.␀");
    }

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
    }
}
