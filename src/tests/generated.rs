//! Generated cases end to end against the embedded reference: a failure is shrunk, reported
//! with its seed, rerun command and a curl reproduction without secrets, and saved as a fixture
//! the catalogue loads.

use super::runtime;
use crate::case::load_dir;
use crate::catalogue::Catalogue;
use crate::check::Verdict;
use crate::property::{self, Settings};
use crate::run::{RunOptions, TargetSpec};
use crate::session::Session;
use crate::target::control;
use crate::vocab::InjectedFault;

#[test]
fn a_failing_property_is_shrunk_reported_and_saved() {
    let rt = runtime();
    let session = rt
        .block_on(Session::connect(TargetSpec::reference()))
        .unwrap();
    let ctx = session.context().clone();
    let prop = property::catalogue()
        .into_iter()
        .find(|p| p.id == "generated/delete-user/access-token-null")
        .unwrap();
    let saved = tempfile::tempdir().unwrap();
    let settings = Settings {
        cases: 4,
        seed: 7,
        save_failures: Some(saved.path().join("generated")),
        ..Settings::default()
    };
    // The next DeleteUser answers 500 whatever its body: the first case fails, the rerun of
    // the same case while shrinking holds (the fault is consumed).
    rt.block_on(control::inject_fault(
        ctx.provisioner.admin(),
        "DeleteUser",
        InjectedFault::InternalError,
    ))
    .unwrap();
    let o = rt.block_on(session.run_property(&prop, &settings));
    assert_eq!(o.verdict, Verdict::Fail, "{o:?}");
    // The same facts a program reads, as fields.
    let g = o
        .generated
        .clone()
        .expect("a property's outcome says what it generated");
    assert_eq!((g.seed, g.cases_asked, g.failing_call), (7, 4, Some(1)));
    assert!(g.cases_run >= 1 && g.fully_shrunk, "{g:?}");
    assert!(
        g.minimal_case
            .as_deref()
            .is_some_and(|c| c.contains(r#"{"AccessToken":null}"#)),
        "{g:?}"
    );
    assert!(
        g.rerun
            .starts_with("cognito-conformance run --only-generated"),
        "{g:?}"
    );
    assert!(g.saved_as.is_some(), "{g:?}");
    let reason = o.reason.clone().unwrap();
    assert!(reason.contains("seed 7"), "{reason}");
    assert!(
        reason.contains("rerun: cognito-conformance run --only-generated --filter 'generated/delete-user/access-token-null' --seed 7 --cases 4"),
        "{reason}"
    );
    assert!(
        reason.contains(r#"DeleteUser [accessToken: null] {"AccessToken":null}"#),
        "{reason}"
    );
    assert!(
        o.mismatches
            .iter()
            .any(|m| m.field == "status" && m.actual == "500"),
        "{:?}",
        o.mismatches
    );
    let repro = o.reproduction.clone().unwrap();
    assert!(
        repro.contains("curl") && repro.contains("DeleteUser"),
        "{repro}"
    );
    let text = format!("{o:?}");
    assert!(
        !text.contains(ctx.provisioner.password()),
        "the password leaked"
    );
    assert!(!text.contains("eyJ"), "a token leaked: {text}");
    // The saved fixture loads as part of a catalogue, under generated/delete-user/.
    let cases = load_dir(saved.path()).unwrap();
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    assert!(
        case.id
            .starts_with("generated/delete-user/access-token-null-"),
        "{}",
        case.id
    );
    assert_eq!(case.group(), "generated");
    assert!(reason.contains("saved as"), "{reason}");
    // And it passes against the reference, as every catalogue fixture must.
    let outcome = rt.block_on(session.run_case(case));
    assert_eq!(outcome.verdict, Verdict::Pass, "{outcome:?}");
    rt.block_on(session.close());
}

#[test]
fn every_property_holds_against_the_reference_with_its_seed() {
    let rt = runtime();
    let session = rt
        .block_on(Session::connect(TargetSpec::reference()))
        .unwrap();
    let selection = Catalogue {
        cases: vec![],
        properties: property::catalogue()
            .into_iter()
            .filter(|p| p.id.contains("/rule-") || p.id.starts_with("generated/sequence/"))
            .collect(),
    };
    let n = selection.properties.len();
    let settings = Settings {
        cases: 4,
        seed: 42,
        strict: true,
        ..Settings::default()
    };
    let opts = RunOptions {
        concurrency: 2,
        strict: true,
        ..RunOptions::default()
    };
    let result = rt
        .block_on(session.run(selection, &opts, settings, &mut []))
        .unwrap();
    assert!(!result.summary.interrupted);
    assert!(
        result.summary.findings.is_empty(),
        "the reference echoes no secret and lacks no operation: {:?}",
        result.summary.findings
    );
    assert_eq!(result.outcomes.len(), n);
    for o in &result.outcomes {
        assert_eq!(o.verdict, Verdict::Pass, "{} {:?}", o.id, o.reason);
        assert_eq!(o.group, "generated");
        assert_eq!(o.generated.as_ref().map(|g| g.cases_run), Some(4));
    }
    rt.block_on(session.close());
}

#[test]
fn a_spent_shrinking_budget_is_reported_as_not_fully_shrunk() {
    let rt = runtime();
    let session = rt
        .block_on(Session::connect(TargetSpec::reference()))
        .unwrap();
    let ctx = session.context().clone();
    let prop = property::catalogue()
        .into_iter()
        .find(|p| p.id == "generated/delete-user/access-token-null")
        .unwrap();
    for (settings, budget_flag) in [
        (
            Settings {
                cases: 4,
                seed: 7,
                max_shrink_time: std::time::Duration::ZERO,
                ..Settings::default()
            },
            "--max-shrink-time",
        ),
        (
            Settings {
                cases: 4,
                seed: 7,
                shrink_budget: std::sync::Arc::new(crate::property::shrink::RunClock::new(
                    std::time::Duration::ZERO,
                )),
                ..Settings::default()
            },
            "--shrink-budget",
        ),
    ] {
        rt.block_on(control::inject_fault(
            ctx.provisioner.admin(),
            "DeleteUser",
            InjectedFault::InternalError,
        ))
        .unwrap();
        let o = rt.block_on(session.run_property(&prop, &settings));
        assert_eq!(o.verdict, Verdict::Fail, "{o:?}");
        let g = o.generated.clone().unwrap();
        assert!(!g.fully_shrunk, "{g:?}");
        assert_eq!(g.shrink_steps, 0, "{g:?}");
        let reason = o.reason.unwrap();
        assert!(reason.contains("not fully shrunk"), "{reason}");
        assert!(reason.contains(budget_flag), "{reason}");
    }
    rt.block_on(session.close());
}
