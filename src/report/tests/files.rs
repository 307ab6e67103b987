//! The file reporters (JSON, JUnit, Markdown) and the committed JSON Schema.

use std::path::{Path, PathBuf};

use super::{assert_golden, assert_golden_at, sample};
use crate::check::Verdict;
use crate::report::json::{JsonReporter, json_schema, read_report};
use crate::report::junit::JunitReporter;
use crate::report::markdown::MarkdownReporter;
use crate::run::events::{Event, ReportError, Reporter};

/// Feed `events` to the reporter made by `make` and return the file it wrote.
fn run<R: Reporter>(make: impl FnOnce(PathBuf) -> R, events: &[Event]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/report.out");
    let mut reporter = make(path.clone());
    for e in events {
        reporter.event(e).expect("reporter");
    }
    std::fs::read_to_string(&path).expect("report written")
}

/// The tool version changes with every release; the golden file should not.
fn without_version(json: &str) -> String {
    json.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[version]\"",
    )
}

#[test]
fn json_report_matches_golden() {
    assert_golden(
        "report.json",
        &without_version(&run(JsonReporter::new, &sample::events(false))),
    );
}

#[test]
fn json_report_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.json");
    let mut reporter = JsonReporter::new(&path);
    for e in sample::events(false) {
        reporter.event(&e).expect("reporter");
    }
    let report = read_report(&path).expect("read back");
    assert_eq!(report.cases.len(), 9);
    let ids: Vec<&str> = report.cases.iter().map(|c| c.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "cases are sorted by id");
    assert_eq!(report.summary.count(Verdict::Fail), 3);
    let g = report
        .cases
        .iter()
        .find_map(|c| c.generated.as_ref())
        .expect("a property's facts read back as fields");
    assert_eq!((g.seed, g.cases_run, g.failing_call), (7, 3, Some(1)));
}

#[test]
fn read_report_refuses_other_versions_and_garbage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, r#"{"schema_version": 99}"#).expect("write");
    assert!(matches!(
        read_report(&newer),
        Err(ReportError::UnsupportedVersion { found: 99, .. })
    ));
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "not json").expect("write");
    assert!(matches!(
        read_report(&garbage),
        Err(ReportError::Parse { .. })
    ));
    assert!(matches!(
        read_report(dir.path().join("absent.json")),
        Err(ReportError::Read { .. })
    ));
}

#[test]
fn file_reporters_need_a_start() {
    let completed = sample::events(false).pop().expect("completed");
    let mut json = JsonReporter::new("unused.json");
    assert!(matches!(
        json.event(&completed),
        Err(ReportError::NotStarted { .. })
    ));
}

#[test]
fn junit_report_matches_golden() {
    assert_golden(
        "report.junit.xml",
        &run(JunitReporter::new, &sample::events(false)),
    );
}

#[test]
fn junit_strict_report_matches_golden() {
    assert_golden(
        "report-strict.junit.xml",
        &run(JunitReporter::new, &sample::events(true)),
    );
}

#[test]
fn markdown_report_matches_golden() {
    assert_golden(
        "report.md",
        &run(MarkdownReporter::new, &sample::events(false)),
    );
}

#[test]
fn markdown_empty_run_says_no_case_ran() {
    let md = run(MarkdownReporter::new, &sample::empty_events());
    assert!(md.contains("could not run: no case ran"), "{md}");
    assert!(md.contains("No case ran."), "{md}");
}

#[test]
fn committed_json_schema_is_in_sync() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    let text = serde_json::to_string_pretty(&json_schema()).expect("schema serialises") + "\n";
    assert_golden_at(&path, &text);
}
