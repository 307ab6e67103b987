//! How every report words a [`Finding`]: its category (`security` before `finding`) and one
//! line saying what was found, so the terminal, JUnit and Markdown views say the same.

use super::labels;
use crate::run::events::{Finding, FindingKind};

/// `DeleteUser echoes a secret it was sent, in 3 cases`.
pub(crate) fn what(f: &Finding) -> String {
    let cases = labels::count(f.cases.len(), "case", "cases");
    match f.kind {
        FindingKind::MissingOperation => format!(
            "the target does not implement {}: {cases} skipped",
            f.subject
        ),
        FindingKind::SecretEcho => {
            format!("{} echoes a secret it was sent, in {cases}", f.subject)
        }
    }
}

/// The findings, security first.
pub(crate) fn ordered(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    v.sort_by_key(|f| (f.kind.category() != "security", f.kind, f.subject.clone()));
    v
}
