//! `cargo test` harness: every fixture is a trial named by its id, and so is every generated
//! property (`generated/<operation>/<property>`, `COGNITO_CONFORMANCE_CASES` cases each, 32 by
//! default, seed `COGNITO_CONFORMANCE_SEED`, 1 by default).
//!
//! Against the embedded reference (default) every case must *pass*, strict detail included:
//! the reference is the positive control. Against `COGNITO_CONFORMANCE_ENDPOINT` a non-strict
//! result passes (with a note) unless `COGNITO_CONFORMANCE_STRICT=1`, and
//! `COGNITO_CONFORMANCE_BASELINE=FILE` turns the target's listed gaps into passing notes (a
//! listed gap that passes fails its trial). Cases needing a
//! capability the target lacks are ignored, with the capability in the trial's kind.
//! libtest-mimic gives `--list`, name filters, `--exact`, `--ignored` and nextest support.

use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Failed, Trial};
use tokio::sync::RwLock;

use cognito_conformance::{
    Baseline, Case, CaseOutcome, Catalogue, DEFAULT_CASES, DEFAULT_SEED, GoldenStore, Goldens,
    Info, Parts, Property, Provenance, Session, Settings, TargetKind, TargetSpec, Tier, Verdict,
};

struct Harness {
    runtime: tokio::runtime::Runtime,
    session: Option<Session>,
    strict: bool,
    /// Cases that change target-wide state (clock, injected faults) take it exclusively.
    gate: RwLock<()>,
    baseline: Option<Baseline>,
    /// The target is the embedded reference: goldens are asserted (and written) with insta.
    against_reference: bool,
}

impl Harness {
    fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("the session lives until the end")
    }
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn snapshot_store() -> GoldenStore {
    GoldenStore::new(manifest_dir().join("snapshots"))
}

/// Assert the case's exchange against its golden with insta: a difference fails the trial
/// with insta's diff and leaves `<case>.snap.new` for `cargo insta review`; a missing golden
/// is written as new (outside CI) with provenance `documented`.
fn assert_golden(case: &Case, outcome: &CaseOutcome) {
    let Some(exchange) = &outcome.exchange else {
        return;
    };
    let (dir, name) = case.id.rsplit_once('/').unwrap_or(("", case.id.as_str()));
    let info = Info {
        case: case.id.clone(),
        provenance: Provenance::model(&case.requirements),
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_store().root().join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(case.title.clone());
    settings.set_info(&info);
    settings.bind(|| insta::assert_snapshot!(name, exchange));
}

static HARNESS: OnceLock<Result<Harness, String>> = OnceLock::new();

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let root = manifest_dir().join("fixtures");
    let catalogue = match Catalogue::load(&root, Parts::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}: {}", cause(&e));
            return ExitCode::from(2);
        }
    };
    // Listing must not start servers or touch a target.
    let listing = args.list;
    let capabilities = if listing {
        Default::default()
    } else {
        match HARNESS.get_or_init(build_harness) {
            Ok(h) => h.session().capabilities().clone(),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let mut trials: Vec<Trial> = catalogue
        .cases
        .into_iter()
        .map(|case| {
            let missing = case.missing_capabilities(&capabilities);
            let kind = if !listing && !missing.is_empty() {
                let names: Vec<String> = missing.iter().map(|c| format!("{c:?}")).collect();
                format!("needs {}", names.join("+"))
            } else {
                case.group().to_string()
            };
            let ignored = !listing && !missing.is_empty();
            let id = case.id.clone();
            Trial::test(id, move || run_trial(&case))
                .with_kind(kind)
                .with_ignored_flag(ignored)
        })
        .collect();
    let settings = match generated_settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for prop in catalogue.properties {
        let settings = settings.clone();
        trials.push(
            Trial::test(prop.id.clone(), move || {
                run_property_trial(&prop, &settings)
            })
            .with_kind("generated"),
        );
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if let Some(Ok(h)) = HARNESS.get()
        && let Some(session) = h.session.as_ref()
    {
        // The session is closed through a shared reference's clean-up: pools deleted, and the
        // reference stops with the process.
        for left in h.runtime.block_on(session.clean_up()) {
            eprintln!("warning: could not delete pool {left}");
        }
    }
    if conclusion.num_passed + conclusion.num_failed == 0 && !listing {
        eprintln!("error: no trial ran (check the filter)");
        return ExitCode::from(2);
    }
    conclusion.exit_code()
}

/// The causes of an error, each once.
fn cause(e: &dyn std::error::Error) -> String {
    let mut out = Vec::new();
    let mut next = e.source();
    while let Some(c) = next {
        out.push(c.to_string());
        next = c.source();
    }
    out.join(": ")
}

fn build_harness() -> Result<Harness, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let env = |name: &str| std::env::var(name).ok().filter(|s| !s.is_empty());
    let strict_env = env("COGNITO_CONFORMANCE_STRICT").is_some_and(|v| v == "1");
    let spec = match env("COGNITO_CONFORMANCE_ENDPOINT") {
        Some(u) => TargetSpec::endpoint(&u),
        None => TargetSpec::reference(),
    };
    let baseline = match env("COGNITO_CONFORMANCE_BASELINE") {
        Some(p) => Some(Baseline::load(Path::new(&p)).map_err(|e| e.to_string())?),
        None => None,
    };
    let against_reference = spec.endpoint.is_none();
    // Against the reference the goldens are asserted with insta (so `cargo insta review`
    // works); against another target they are compared by the runner, as `run` does.
    let goldens = if against_reference {
        Goldens::none()
    } else {
        let catalogue = Catalogue::load(
            &manifest_dir().join("fixtures"),
            Parts {
                fixtures: true,
                generated: false,
            },
        )
        .map_err(|e| format!("{e}: {}", cause(&e)))?;
        Goldens::load(
            &snapshot_store(),
            catalogue.cases.iter().map(|c| c.id.as_str()),
        )
        .map_err(|e| e.to_string())?
    };
    let session = runtime
        .block_on(Session::connect_with_goldens(spec, goldens))
        .map_err(|e| format!("{e}: {}", cause(&e)))?;
    if session.target().kind == TargetKind::Aws {
        return Err("COGNITO_CONFORMANCE_ENDPOINT points at real AWS; use `cognito-conformance run --allow-real-aws` instead".into());
    }
    Ok(Harness {
        runtime,
        session: Some(session),
        strict: against_reference || strict_env,
        against_reference,
        gate: RwLock::new(()),
        baseline,
    })
}

fn run_trial(case: &Case) -> Result<(), Failed> {
    let h = match HARNESS.get() {
        Some(Ok(h)) => h,
        _ => return Err("harness not initialised".into()),
    };
    let mut outcome = h.runtime.block_on(async {
        if case.changes_target() {
            let _g = h.gate.write().await;
            h.session().run_case(case).await
        } else {
            let _g = h.gate.read().await;
            h.session().run_case(case).await
        }
    });
    judge(h, &mut outcome, Some(case))
}

/// Cases and seed of the property trials, from the environment.
fn generated_settings() -> Result<Settings, String> {
    let number = |name: &str, default: u64| -> Result<u64, String> {
        match std::env::var(name) {
            Ok(v) if !v.is_empty() => v
                .parse()
                .map_err(|_| format!("{name}={v:?} is not a number")),
            _ => Ok(default),
        }
    };
    let cases = number("COGNITO_CONFORMANCE_CASES", u64::from(DEFAULT_CASES))?;
    Ok(Settings {
        cases: u32::try_from(cases.clamp(1, 1_000_000)).unwrap_or(DEFAULT_CASES),
        seed: number("COGNITO_CONFORMANCE_SEED", DEFAULT_SEED)?,
        ..Settings::default()
    })
}

fn run_property_trial(prop: &Property, settings: &Settings) -> Result<(), Failed> {
    let h = match HARNESS.get() {
        Some(Ok(h)) => h,
        _ => return Err("harness not initialised".into()),
    };
    let settings = Settings {
        strict: h.strict,
        no_shrink: h
            .baseline
            .iter()
            .flat_map(|b| b.gaps.iter().map(|g| g.id.clone()))
            .collect(),
        ..settings.clone()
    };
    // Shares the target with the fixtures that do not change target-wide state.
    let mut outcome = h.runtime.block_on(async {
        let _g = h.gate.read().await;
        h.session().run_property(prop, &settings).await
    });
    // A property has no golden: its cases are generated afresh each run.
    judge(h, &mut outcome, None)
}

fn judge(h: &Harness, outcome: &mut CaseOutcome, case: Option<&Case>) -> Result<(), Failed> {
    if let Some(b) = &h.baseline {
        b.apply(outcome, h.strict);
    }
    if let Some(case) = case
        && h.against_reference
        && outcome.verdict == Verdict::Pass
    {
        assert_golden(case, outcome);
    }
    match outcome.verdict {
        Verdict::Pass => Ok(()),
        Verdict::KnownGap => {
            eprintln!(
                "note: {} {}",
                outcome.id,
                outcome.reason.as_deref().unwrap_or("is a known gap")
            );
            Ok(())
        }
        Verdict::NonStrict if !h.strict => {
            eprintln!("note: {} is non-strict:\n{}", outcome.id, describe(outcome));
            Ok(())
        }
        _ => Err(describe(outcome).into()),
    }
}

fn describe(o: &CaseOutcome) -> String {
    let mut s = format!(
        "{}: {}\n  requirement: {}\n  evidence: {:?} ({})\n",
        o.verdict.label(),
        o.title,
        o.requirement,
        o.evidence_level,
        o.evidence_source
    );
    if let Some(r) = &o.reason {
        s.push_str(&format!("  reason: {r}\n"));
    }
    for m in &o.mismatches {
        let tier = if m.tier == Tier::Contract {
            "contract"
        } else {
            "strict"
        };
        s.push_str(&format!(
            "  [{tier}] {}: expected {}, got {}\n",
            m.field, m.expected, m.actual
        ));
    }
    if let Some(r) = &o.reproduction {
        s.push_str("  reproduce:\n");
        for line in r.lines() {
            s.push_str(&format!("    {line}\n"));
        }
    }
    s
}
