//! JUnit XML for CI systems: one `<testsuite>` per operation, one `<testcase>` per case
//! (name = case id, classname = `operation.group`).
//!
//! Mapping: fail -> `<failure>` (type = first mismatch's field, text = every mismatch and
//! the reproduction); error -> `<error>`; skip -> `<skipped>` with the reason; known gap ->
//! `<skipped message="known gap: ...">` (accepted by the baseline, so not a failure);
//! non-strict -> passes with the strict mismatches in `<system-out>`, or `<failure>` when
//! the run is strict.

use std::path::PathBuf;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::{Tier, Verdict};

use super::collect::RunLog;
use super::mismatch;
use crate::run::events::{CaseOutcome, Event, ReportError, Reporter, RunSummary};

/// Writes a JUnit XML file when the run completes.
#[derive(Debug)]
pub struct JunitReporter {
    path: PathBuf,
    log: RunLog,
}

impl JunitReporter {
    /// A reporter writing to `path` (parent directories are created).
    pub fn new(path: impl Into<PathBuf>) -> JunitReporter {
        JunitReporter {
            path: path.into(),
            log: RunLog::default(),
        }
    }

    fn report(&self, summary: &RunSummary) -> Report {
        let mut report = Report::new("cognito-conformance");
        report.set_time(Duration::from_millis(summary.elapsed_ms));
        for (operation, groups) in self.log.grouped() {
            let mut suite = TestSuite::new(operation);
            let time: u64 = groups.values().flatten().map(|c| c.duration_ms).sum();
            suite.set_time(Duration::from_millis(time));
            for case in groups.values().flatten() {
                suite.add_test_case(test_case(case, summary.strict));
            }
            report.add_test_suite(suite);
        }
        if !summary.findings.is_empty() {
            report.add_test_suite(findings_suite(summary));
        }
        report
    }
}

impl Reporter for JunitReporter {
    fn event(&mut self, event: &Event) -> Result<(), ReportError> {
        let Some(summary) = self.log.observe(event) else {
            return Ok(());
        };
        self.log.start("JUnit")?;
        let xml = self
            .report(summary)
            .to_string()
            .map_err(|e| ReportError::Serialize {
                format: "JUnit",
                reason: e.to_string(),
            })?;
        super::file::write_whole(&self.path, xml.as_bytes())
    }
}

/// The run's findings as one `<testsuite name="findings">`, a `<testcase>` each (classname
/// `findings.<category>`): a security finding is a `<failure type="secret-echo">`, so CI shows
/// it red; any other finding is `<skipped>` with what was found.
fn findings_suite(summary: &RunSummary) -> TestSuite {
    let mut suite = TestSuite::new("findings");
    for f in super::findings::ordered(&summary.findings) {
        let what = super::findings::what(f);
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut status = if f.kind.category() == "security" {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(kind.as_str());
            s
        } else {
            TestCaseStatus::skipped()
        };
        status.set_message(format!("{what} ({})", f.detail));
        status.set_description(format!(
            "{}\ncases:\n{}\n",
            f.detail,
            f.cases
                .iter()
                .map(|c| format!("  {c}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
        let mut case = TestCase::new(format!("{kind}/{}", f.subject), status);
        case.set_classname(format!("findings.{}", f.kind.category()));
        suite.add_test_case(case);
    }
    suite
}

fn test_case(case: &CaseOutcome, strict: bool) -> TestCase {
    let reason = case.reason.as_deref().unwrap_or("no reason given");
    let status = match case.verdict {
        Verdict::Pass => TestCaseStatus::success(),
        Verdict::NonStrict if !strict => TestCaseStatus::success(),
        Verdict::Fail | Verdict::NonStrict => failure(case),
        Verdict::Error => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_message(reason.lines().next().unwrap_or(reason))
                .set_description(description(case));
            status
        }
        Verdict::Skip | Verdict::Interrupted => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(reason.lines().next().unwrap_or(reason));
            status
        }
        Verdict::KnownGap => {
            let mut status = TestCaseStatus::skipped();
            status
                .set_message(format!("known gap: {reason}"))
                .set_description(description(case));
            status
        }
    };
    let mut test_case = TestCase::new(case.id.as_str(), status);
    test_case.set_classname(format!("{}.{}", case.operation, case.group));
    test_case.set_time(Duration::from_millis(case.duration_ms));
    if case.verdict == Verdict::NonStrict && !strict {
        test_case.set_system_out(description(case));
    }
    // A generated property's facts, for tools that read JUnit properties.
    if let Some(g) = &case.generated {
        let mut add = |name: &str, value: String| {
            test_case.add_property(quick_junit::Property::new(name, value));
        };
        add("seed", g.seed.to_string());
        add("cases_asked", g.cases_asked.to_string());
        add("cases_run", g.cases_run.to_string());
        add("shrink_steps", g.shrink_steps.to_string());
        add("fully_shrunk", g.fully_shrunk.to_string());
        if let Some(c) = g.failing_call {
            add("failing_call", c.to_string());
        }
        if let Some(c) = &g.minimal_case {
            add("minimal_case", c.clone());
        }
        add("rerun", g.rerun.clone());
        if let Some(p) = &g.saved_as {
            add("saved_as", p.clone());
        }
    }
    test_case
}

/// `<failure message="status: expected 400, got 200 [contract]" type="status">`: the type
/// is the first contract-tier mismatch's field (what made the case fail), or the first
/// mismatch's field for a non-strict case failing under strict.
fn failure(case: &CaseOutcome) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    let first = case
        .mismatches
        .iter()
        .find(|m| m.tier == Tier::Contract)
        .or(case.mismatches.first());
    if let Some(first) = first {
        let message = if mismatch::is_long(first) {
            format!("{}: expected and got differ", first.field)
        } else {
            mismatch::inline(first)
        };
        status.set_type(first.field.as_str()).set_message(message);
    }
    status.set_description(description(case));
    status
}

/// The case's title, mismatches and reproduction as plain text.
fn description(case: &CaseOutcome) -> String {
    let mut lines = vec![
        case.title.clone(),
        format!("requirement: {}", case.requirement),
    ];
    if let Some(reason) = &case.reason {
        lines.push(format!("reason: {reason}"));
    }
    lines.extend(case.mismatches.iter().flat_map(mismatch::plain_lines));
    if let Some(repro) = &case.reproduction {
        lines.push("reproduce:".to_string());
        lines.extend(repro.lines().map(|l| format!("  {l}")));
    }
    lines.join("\n") + "\n"
}
