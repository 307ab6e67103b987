//! Golden tests of the matrix, from three small hand-made reports: a reference that passes,
//! an emulator with every verdict, and an interrupted strict run that lacks one case and has
//! one the others lack. Texts carry `<script>`, quotes, `&`, `|` and backticks.
//!
//! The expected outputs are committed under `src/report/matrix/testdata/`; run with
//! `UPDATE_GOLDEN=1` to rewrite them after an intended change, then review the diff (and look
//! at `matrix.html` in a browser).

use std::path::PathBuf;

use crate::check::{Mismatch, Verdict};
use crate::report::json::{JsonReport, ToolInfo};
use crate::run::events::{
    CaseOutcome, ObservedSummary, REPORT_SCHEMA_VERSION, RunSummary, TargetInfo,
};
use crate::vocab::{Capability, EvidenceLevel};

use super::{Counts, build, to_html, to_markdown, write};

const DOCS: &str = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/";
const INJECTION: &str = "<script>alert(\"pwned\")</script>";

fn outcome(id: &str, verdict: Verdict, title: &str) -> CaseOutcome {
    let mut parts = id.splitn(3, '/');
    let operation = parts.next().unwrap_or_default().to_string();
    let group = parts.next().unwrap_or_default().to_string();
    CaseOutcome {
        id: id.into(),
        operation,
        group,
        title: title.into(),
        requirements: vec![],
        requirement: format!("{title}, as the API reference says."),
        evidence_level: EvidenceLevel::Documented,
        evidence_source: DOCS.into(),
        verdict,
        mismatches: Vec::new(),
        reason: None,
        reproduction: None,
        observed: None,
        duration_ms: 10,
        generated: None,
        exchange: None,
    }
}

fn curl(port: u16, operation: &str) -> String {
    format!(
        "curl -sS -X POST http://127.0.0.1:{port}/ \\\n  -H 'Content-Type: application/x-amz-json-1.1' \\\n  -H 'X-Amz-Target: AWSCognitoIdentityProviderService.{operation}' \\\n  --data '{{\"AccessToken\":\"'\"$ACCESS_TOKEN\"'\"}}'"
    )
}

/// The cases every report has, as `(id, title)`.
const CASES: [(&str, &str); 8] = [
    (
        "DeleteUser/token/expired-token",
        "An expired access token is rejected",
    ),
    (
        "DeleteUser/token/valid-token",
        "A valid access token deletes the user",
    ),
    (
        "DeleteUser/validation/missing-token",
        "A request without AccessToken is rejected",
    ),
    (
        "DeleteUserAttributes/success/delete-custom",
        "A custom attribute can be deleted",
    ),
    (
        "UpdateUserAttributes/schema/unknown-attribute",
        "An attribute not in the schema is rejected",
    ),
    (
        "UpdateUserAttributes/token/expired-by-clock",
        "A token past its validity is rejected",
    ),
    (
        "UpdateUserAttributes/validation/immutable-attribute",
        "An immutable custom attribute cannot be updated",
    ),
    (
        "UpdateUserAttributes/validation/quoted|name",
        "A value with \"quotes\", 'apostrophes', <tags> & `ticks` round-trips",
    ),
];

fn base(id: &str, verdict: Verdict) -> CaseOutcome {
    let title = CASES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| *t)
        .unwrap_or("An extra case");
    let mut o = outcome(id, verdict, title);
    if id == "DeleteUser/token/expired-token" {
        o.evidence_level = EvidenceLevel::Observed;
        o.evidence_source = "aws-amplify/amplify-swift#3981".into();
    }
    if id.ends_with("immutable-attribute") {
        o.evidence_level = EvidenceLevel::Inferred;
        o.evidence_source =
            "\"custom:tier\" is declared immutable & <Mutable>false</Mutable>".into();
        o.requirement =
            format!("Attributes marked immutable can only be set at sign-up. {INJECTION}");
    }
    o
}

fn report(
    target: TargetInfo,
    strict: bool,
    interrupted: bool,
    cases: Vec<CaseOutcome>,
) -> JsonReport {
    let mut summary = RunSummary {
        elapsed_ms: 1234,
        strict,
        interrupted,
        pools_deleted: 1,
        ..RunSummary::default()
    };
    for c in &cases {
        summary.add(c);
    }
    let mut cases = cases;
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    JsonReport {
        schema_version: REPORT_SCHEMA_VERSION,
        tool: ToolInfo {
            name: "cognito-conformance".into(),
            version: "0.1.0".into(),
        },
        target,
        run_prefix: "ccf-test".into(),
        started_at: Some("2026-11-29T18:45:20Z".into()),
        selected: cases.len(),
        summary,
        cases,
    }
}

fn reference() -> JsonReport {
    let target = TargetInfo {
        name: "reference".into(),
        url: "http://127.0.0.1:4566".into(),
        kind: crate::vocab::TargetKind::Reference,
        capabilities: vec![Capability::ClockControl, Capability::TokenMinting],
    };
    report(
        target,
        false,
        false,
        CASES
            .iter()
            .map(|(id, _)| base(id, Verdict::Pass))
            .collect(),
    )
}

/// An emulator with every verdict.
fn moto() -> JsonReport {
    let target = TargetInfo {
        name: "moto 5.2.5".into(),
        url: "http://127.0.0.1:5000".into(),
        kind: crate::vocab::TargetKind::Loopback,
        capabilities: vec![],
    };
    let mut expired = base("DeleteUser/token/expired-token", Verdict::Fail);
    expired.mismatches = vec![
        Mismatch::contract("status", "400", "200"),
        Mismatch::contract("error", "NotAuthorizedException", "(none)"),
        Mismatch::contract("state.exists", "true", "false"),
    ];
    expired.reproduction = Some(curl(5000, "DeleteUser"));
    expired.observed = Some(ObservedSummary {
        status: 200,
        error_type: None,
        message: None,
        body: "{}".into(),
    });

    let mut missing = base("DeleteUser/validation/missing-token", Verdict::NonStrict);
    missing.mismatches = vec![Mismatch::strict(
        "message",
        "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null",
        "Missing required parameter AccessToken",
    )];
    let mut snapshot = Mismatch::strict(
        "snapshot",
        "the golden exchange, documented (documented: API reference)",
        "2 line(s) differ",
    );
    snapshot.diff = Some(format!(
        "--- golden\n+++ observed\n@@ -1,3 +1,3 @@\n response:\n-  message: Invalid Access Token\n+  message: {INJECTION} ```\n   status: 400\n"
    ));
    missing.mismatches.push(snapshot);
    missing.reproduction = Some(curl(5000, "DeleteUser"));
    missing.observed = Some(ObservedSummary {
        status: 400,
        error_type: Some("InvalidParameterException".into()),
        message: Some("Missing required parameter AccessToken".into()),
        body: "{\"__type\":\"InvalidParameterException\",\"message\":\"Missing required parameter AccessToken\"}".into(),
    });

    let mut setup = base("DeleteUserAttributes/success/delete-custom", Verdict::Error);
    setup.reason = Some(
        "set-up failed: AdminCreateUser returned 500 InternalErrorException\nafter 3 attempts"
            .into(),
    );

    let mut unknown = base(
        "UpdateUserAttributes/schema/unknown-attribute",
        Verdict::KnownGap,
    );
    unknown.reason = Some("moto accepts unknown attributes (baseline: moto.toml)".into());
    unknown.mismatches = vec![Mismatch::contract("status", "400", "200")];

    let mut clock = base("UpdateUserAttributes/token/expired-by-clock", Verdict::Skip);
    clock.reason = Some("the target lacks capability clock-control".into());

    let mut immutable = base(
        "UpdateUserAttributes/validation/immutable-attribute",
        Verdict::Fail,
    );
    immutable.mismatches = vec![
        Mismatch::strict(
            "message",
            "user.custom:tier: Attribute cannot be updated.\n<immutable> & fixed | since sign-up",
            format!("user.custom:tier: {INJECTION}\n<mutable> & changed | just now"),
        ),
        Mismatch::contract(
            "state.custom:tier",
            "gold",
            "platinum | <b>bold</b> & \"more\"",
        ),
    ];
    immutable.reproduction = Some(curl(5000, "UpdateUserAttributes"));
    immutable.observed = Some(ObservedSummary {
        status: 200,
        error_type: None,
        message: None,
        body: format!("{{\"note\":\"{INJECTION}\"}}"),
    });

    let cases = vec![
        expired,
        base("DeleteUser/token/valid-token", Verdict::Pass),
        missing,
        setup,
        unknown,
        clock,
        immutable,
        base("UpdateUserAttributes/validation/quoted|name", Verdict::Pass),
    ];
    report(target, false, false, cases)
}

/// A strict, interrupted run that lacks one case and has one the others lack.
fn cognito_local() -> JsonReport {
    let target = TargetInfo {
        name: "cognito-local 3.23.2".into(),
        url: "http://127.0.0.1:9229".into(),
        kind: crate::vocab::TargetKind::Loopback,
        capabilities: vec![Capability::ClockControl],
    };
    let mut expired = base("DeleteUser/token/expired-token", Verdict::Fail);
    expired.mismatches = vec![Mismatch::contract(
        "error",
        "NotAuthorizedException",
        "InvalidParameterException",
    )];
    let mut missing = base("DeleteUser/validation/missing-token", Verdict::NonStrict);
    missing.mismatches = vec![Mismatch::strict(
        "content-type",
        "application/x-amz-json-1.1",
        "application/json",
    )];
    let mut unknown = base(
        "UpdateUserAttributes/schema/unknown-attribute",
        Verdict::Fail,
    );
    unknown.mismatches = vec![Mismatch::contract("status", "400", "500")];
    unknown.reason = Some(format!("the server crashed: {INJECTION}"));
    let mut extra = outcome(
        "DeleteUser/token/revoked-token",
        Verdict::Pass,
        "A revoked access token is rejected",
    );
    extra.evidence_source = String::new();
    let cases = vec![
        expired,
        base("DeleteUser/token/valid-token", Verdict::Pass),
        missing,
        unknown,
        base("UpdateUserAttributes/token/expired-by-clock", Verdict::Pass),
        base(
            "UpdateUserAttributes/validation/immutable-attribute",
            Verdict::Pass,
        ),
        base("UpdateUserAttributes/validation/quoted|name", Verdict::Pass),
        extra,
    ];
    report(target, true, true, cases)
}

fn reports() -> Vec<JsonReport> {
    vec![reference(), moto(), cognito_local()]
}

fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/report/matrix/testdata")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create testdata");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("committed", "actual")
            .to_string();
        panic!(
            "{} is out of date (rerun with UPDATE_GOLDEN=1 to rewrite it, then review the diff):\n{diff}",
            path.display()
        );
    }
}

#[test]
fn markdown_matches_golden() {
    assert_golden("matrix.md", &to_markdown(&build(&reports())));
}

#[test]
fn html_matches_golden() {
    assert_golden("matrix.html", &to_html(&build(&reports())));
}

#[test]
fn cases_are_the_union_and_absent_cells_are_none() {
    let m = build(&reports());
    let names: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["reference", "moto 5.2.5", "cognito-local 3.23.2"]);
    assert_eq!(m.cases().count(), 9);
    let ops: Vec<&str> = m.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        ops,
        ["DeleteUser", "DeleteUserAttributes", "UpdateUserAttributes"]
    );

    let revoked = m
        .cases()
        .find(|c| c.id == "DeleteUser/token/revoked-token")
        .expect("extra case");
    assert!(revoked.cells[0].is_none() && revoked.cells[1].is_none());
    assert_eq!(
        revoked.cells[2].as_ref().map(|c| c.verdict),
        Some(Verdict::Pass)
    );
    let custom = m
        .cases()
        .find(|c| c.id == "DeleteUserAttributes/success/delete-custom")
        .expect("case");
    assert!(custom.cells[2].is_none());

    // moto: every verdict once or more; executed = 8 - 1 skip; conformant = 2 pass + 1 n-s.
    let moto = &m.targets[1].totals;
    assert_eq!(moto.verdicts, [2, 1, 2, 1, 1, 1, 0]);
    assert_eq!((moto.absent, moto.executed(), moto.conformant()), (1, 7, 3));
    assert_eq!(moto.percent(), "42.8%");
    assert_eq!(
        (m.targets[0].totals.percent(), m.targets[0].totals.absent),
        ("100%".to_string(), 1)
    );
}

#[test]
fn percentages_round_down_and_nothing_run_is_a_dash() {
    let c = |verdicts| Counts {
        verdicts,
        absent: 0,
    };
    assert_eq!(c([1, 0, 0, 0, 0, 0, 0]).percent(), "100%");
    assert_eq!(c([1, 1, 1, 0, 0, 0, 0]).percent(), "66.6%");
    assert_eq!(c([999, 0, 1, 0, 0, 0, 0]).percent(), "99.9%");
    assert_eq!(c([0, 0, 0, 0, 3, 0, 0]).percent(), "—");
    assert_eq!(c([0, 0, 1, 1, 0, 1, 0]).percent(), "0%");
}

#[test]
fn html_loads_nothing_from_outside() {
    let html = to_html(&build(&reports()));
    let lower = html.to_ascii_lowercase();
    for attr in ["src=", "href=", "action=", "srcset=", "url(", "@import"] {
        for (at, _) in lower.match_indices(attr) {
            let value = &lower[at + attr.len()..(at + attr.len() + 12).min(lower.len())];
            assert!(
                !value.contains("http") && !value.contains("//"),
                "external reference at {at}: {}",
                &html[at..at + 40]
            );
        }
    }
    assert!(!lower.contains("<link") && !lower.contains("<img") && !lower.contains("<iframe"));
}

#[test]
fn html_escapes_injected_markup() {
    let html = to_html(&build(&reports()));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(
        !html.contains("alert(\"pwned\")"),
        "the message is escaped, quotes included"
    );
    assert!(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"));
    assert!(!html.contains("<b>bold</b>"));
    assert!(html.contains("data-id=\"UpdateUserAttributes/validation/quoted|name\""));
    assert!(html.contains("&#39;apostrophes&#39;, &lt;tags&gt; &amp; `ticks`"));
}

#[test]
fn markdown_escapes_injected_markup_and_pipes() {
    let md = to_markdown(&build(&reports()));
    // Outside code blocks nothing is markup; inside them text is shown, not interpreted.
    let mut prose = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let ticks: String = line.chars().take_while(|c| *c == '`').collect();
        match &fence {
            Some(f) if ticks.len() >= f.len() && line.trim() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => prose.push_str(line),
        }
    }
    assert!(fence.is_none(), "every code block is closed");
    assert!(md.contains("+  message: <script>"), "the diff is shown");
    let md = prose;
    assert!(!md.contains("<script>"));
    assert!(!md.contains("<b>bold</b>"));
    assert!(md.contains("`UpdateUserAttributes/validation/quoted\\|name`"));
    // Every table row has as many cells as its header: `|` in texts never splits a cell.
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(
            [5, 6, 7].contains(&cells),
            "unexpected column count in {line}"
        );
    }
}

#[test]
fn same_target_twice_gets_distinct_columns() {
    let m = build(&[moto(), moto()]);
    let names: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["moto 5.2.5", "moto 5.2.5 #2"]);
}

#[test]
fn empty_inputs_still_render() {
    let none = build(&[]);
    assert!(to_markdown(&none).contains("No report given."));
    assert!(to_html(&none).contains("No report given."));
    let mut empty = reference();
    empty.cases.clear();
    let m = build(&[empty]);
    assert!(to_markdown(&m).contains("No case in any report."));
    assert!(to_html(&m).contains("No case in any report."));
}

#[test]
fn write_writes_both_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("out/matrix.md");
    let html = dir.path().join("out/matrix.html");
    write(&reports(), Some(&md), Some(&html)).expect("write");
    let m = build(&reports());
    assert_eq!(std::fs::read_to_string(&md).expect("md"), to_markdown(&m));
    assert_eq!(std::fs::read_to_string(&html).expect("html"), to_html(&m));
    write(&reports(), None, None).expect("nothing to write");
}

#[test]
fn a_known_gaps_details_are_in_the_html_only() {
    let mut reports = reports();
    let case = reports[1]
        .cases
        .iter_mut()
        .find(|c| c.id == "DeleteUser/validation/missing-token")
        .unwrap();
    case.verdict = Verdict::KnownGap;
    case.reason = Some("known gap: the message differs".into());
    let matrix = build(&reports);
    let md = to_markdown(&matrix);
    assert!(!md.contains("+  message: <script>"), "{md}");
    assert!(md.contains("known gap: the message differs"), "{md}");
    assert!(md.contains("are in the HTML matrix"), "{md}");
    let html = to_html(&matrix);
    assert!(
        html.contains("message: &lt;script&gt;"),
        "the HTML keeps the diff"
    );
}

#[test]
fn no_report_at_all_is_still_a_page() {
    let m = build(&[]);
    assert!(to_markdown(&m).contains("No report"));
    assert!(to_html(&m).starts_with("<!DOCTYPE html>"));
}
