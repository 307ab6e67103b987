//! Generated cases end to end against the embedded reference: a failure is shrunk, reported
//! with its seed, rerun command and a curl reproduction without secrets, and saved as a fixture
//! the catalogue loads.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use cognito_conformance::case::fixture::InjectedFault;
use cognito_conformance::case::load_dir;
use cognito_conformance::check::Verdict;
use cognito_conformance::property::{self, Settings, run_property};
use cognito_conformance::reference::Reference;
use cognito_conformance::report::TargetInfo;
use cognito_conformance::run::RunContext;
use cognito_conformance::secrets::Redactor;
use cognito_conformance::snapshot::Goldens;
use cognito_conformance::target::{Admin, Provisioner, control, credentials, endpoint};
use cognito_conformance::wire::{HttpClient, WireSettings};

fn context(runtime: &tokio::runtime::Runtime, url: &str) -> Arc<RunContext> {
    let env: BTreeMap<String, String> = BTreeMap::new();
    let creds = credentials::resolve(&env, true).unwrap();
    let http = HttpClient::new(WireSettings::default()).unwrap();
    let admin = Admin::new(http, url, &endpoint::region(None, &env), creds, None);
    let capabilities = runtime.block_on(control::discover(&admin));
    let provisioner = Provisioner::new(admin);
    Arc::new(RunContext {
        redactor: Redactor::new().with(provisioner.password(), "PASSWORD"),
        provisioner,
        capabilities: capabilities.clone(),
        target: TargetInfo {
            name: "reference".into(),
            url: url.into(),
            kind: "reference".into(),
            capabilities: capabilities.into_iter().collect(),
        },
        goldens: Goldens::none(),
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_failing_property_is_shrunk_reported_and_saved() {
    let rt = runtime();
    let reference = rt
        .block_on(Reference::start(([127, 0, 0, 1], 0).into()))
        .unwrap();
    let ctx = context(&rt, &reference.url());
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
    let stop = AtomicBool::new(false);
    let o = run_property(&ctx, &prop, &settings, 1_000_000, rt.handle(), &stop);
    assert_eq!(o.verdict, Verdict::Fail, "{o:?}");
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
    let outcome = rt.block_on(cognito_conformance::run::execute::execute(&ctx, case, 0));
    assert_eq!(outcome.verdict, Verdict::Pass, "{outcome:?}");
    rt.block_on(ctx.provisioner.cleanup());
    rt.block_on(reference.shutdown());
}

#[test]
fn every_property_holds_against_the_reference_with_its_seed() {
    let rt = runtime();
    let reference = rt
        .block_on(Reference::start(([127, 0, 0, 1], 0).into()))
        .unwrap();
    let ctx = context(&rt, &reference.url());
    let plan = property::Plan {
        properties: property::catalogue()
            .into_iter()
            .filter(|p| p.id.contains("/rule-") || p.id.starts_with("generated/sequence/"))
            .collect(),
        settings: Settings {
            cases: 4,
            seed: 42,
            strict: true,
            ..Settings::default()
        },
    };
    let mut outcomes = Vec::new();
    let interrupted = rt.block_on(property::run_all(ctx.clone(), &plan, 2, &mut |o| {
        outcomes.push(o)
    }));
    assert!(!interrupted);
    assert_eq!(outcomes.len(), plan.properties.len());
    for o in &outcomes {
        assert_eq!(o.verdict, Verdict::Pass, "{} {:?}", o.id, o.reason);
        assert_eq!(o.group, "generated");
    }
    rt.block_on(ctx.provisioner.cleanup());
    rt.block_on(reference.shutdown());
}
