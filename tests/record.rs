//! `record` and golden snapshots end to end, through the binary: goldens written from the
//! reference are byte-stable, a changed golden makes `run` non-strict (a failure under
//! `--strict`) with a readable diff, emulators are refused as a source, and a malformed
//! golden stops the run before it starts.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-conformance");
const CASE: &str = "delete-user/token/expired-token";

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn record(snaps: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "record",
        "--filter",
        CASE,
        "--snapshots",
        snaps.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn record_writes_stable_goldens_and_run_diffs_against_them() {
    let dir = tempfile::tempdir().unwrap();
    let snaps = dir.path();

    // New goldens go to .snap.new unless accepted.
    let out = record(snaps, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(snaps.join(format!("{CASE}.snap.new")).exists());
    assert!(
        text(&out).contains("1 new, 0 changed, 0 unchanged"),
        "{}",
        text(&out)
    );

    let out = record(snaps, &["--accept"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let golden = snaps.join(format!("{CASE}.snap"));
    let first = std::fs::read_to_string(&golden).unwrap();
    assert!(first.contains("provenance: model"), "{first}");
    assert!(
        first.contains("[REQUEST_ID_1]") && first.contains("[ACCESS_TOKEN]"),
        "{first}"
    );
    assert!(!snaps.join(format!("{CASE}.snap.new")).exists());

    // A second recording of the same behaviour changes nothing.
    let out = record(snaps, &[]);
    assert!(
        text(&out).contains("0 new, 0 changed, 1 unchanged"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read_to_string(&golden).unwrap(), first);

    // The reference agrees with its own golden.
    let snaps_arg = snaps.to_str().unwrap();
    let out = run(&[
        "run",
        "--filter",
        CASE,
        "--snapshots",
        snaps_arg,
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Edit the golden as if real Cognito had said something else: non-strict with a diff,
    // a failure under --strict.
    let edited = first.replace("Access Token has expired", "Token expired (recorded)");
    assert_ne!(edited, first, "the golden holds the message");
    std::fs::write(&golden, edited).unwrap();
    // --verbose: by default a non-strict case is counted in one line, not shown in full.
    let out = run(&[
        "run",
        "--filter",
        CASE,
        "--snapshots",
        snaps_arg,
        "--verbose",
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "non-strict is not a gap: {t}");
    assert!(t.contains("NON-STRICT"), "{t}");
    // A golden written from the reference is the model, not a capture: its diff is a guess.
    assert!(t.contains("snapshot [strict, a guess]"), "{t}");
    assert!(
        t.contains("- ") && t.contains("Token expired (recorded)"),
        "{t}"
    );
    assert!(
        t.contains("+ ") && t.contains("Access Token has expired"),
        "{t}"
    );
    let out = run(&[
        "run",
        "--filter",
        CASE,
        "--snapshots",
        snaps_arg,
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let out = run(&[
        "run",
        "--filter",
        CASE,
        "--snapshots",
        snaps_arg,
        "--no-snapshots",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "conflicting flags: {}",
        text(&out)
    );
    let out = run(&["run", "--filter", CASE, "--no-snapshots", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn emulators_are_not_a_source_of_goldens() {
    let dir = tempfile::tempdir().unwrap();
    let out = record(dir.path(), &["--endpoint", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("real Cognito or the embedded reference only"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_malformed_golden_stops_the_run_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{CASE}.snap"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "status: 400\n").unwrap();
    let out = run(&[
        "run",
        "--filter",
        CASE,
        "--snapshots",
        dir.path().to_str().unwrap(),
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(
        t.contains("expired-token.snap") && t.contains("first line must be `---`"),
        "{t}"
    );
}
