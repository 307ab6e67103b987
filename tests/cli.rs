//! The binary's contract with its user: clear errors and exit code 2 for every bad input.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-conformance");

const GOOD: &str = r#"title = "t"
requirement = "protocol.error-wire-format"
# A token that is no JWT is refused (comment keeps the line numbers of the tests).

[when]
operation = "DeleteUser"
body = { AccessToken = "{{access_token}}" }

[then]
status = 400
error = "NotAuthorizedException"
"#;

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .output()
        .unwrap()
}

fn with_fixture(name: &str, text: &str) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("delete-user/token");
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(path.join(name), text).unwrap();
    let out = run(&["list", "--fixtures", dir.path().to_str().unwrap()]);
    (dir, out)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_fixture_error(text: &str, line: usize, field: &str, what: &str) {
    let (_d, out) = with_fixture("bad.toml", text);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("bad.toml:{line}")),
        "line {line} not named: {err}"
    );
    assert!(
        err.contains(&format!("field `{field}`")),
        "field {field} not named: {err}"
    );
    assert!(err.contains(what), "{what:?} not said: {err}");
}

#[test]
fn good_fixture_lists() {
    let (_d, out) = with_fixture("ok.toml", GOOD);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("delete-user/token/ok"));
}

#[test]
fn syntax_error() {
    let (_d, out) = with_fixture("bad.toml", &GOOD.replace("[then]", "[then"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.toml:9"), "{}", stderr(&out));
}

#[test]
fn unknown_key() {
    assert_fixture_error(
        &GOOD.replace("status = 400", "status = 400\nstatsu = 1"),
        11,
        "then.statsu",
        "unknown field `statsu`",
    );
}

#[test]
fn wrong_type() {
    assert_fixture_error(
        &GOOD.replace("status = 400", "status = \"400\""),
        10,
        "then.status",
        "",
    );
}

#[test]
fn unknown_operation() {
    assert_fixture_error(
        &GOOD.replace("\"DeleteUser\"", "\"DeleteUsers\""),
        6,
        "when.operation",
        "unknown variant `DeleteUsers`, expected one of `DeleteUser`",
    );
}

#[test]
fn unknown_placeholder() {
    assert_fixture_error(
        &GOOD.replace("{{access_token}}", "{{acess_token}}"),
        7,
        "when.body",
        "unknown placeholder",
    );
}

#[test]
fn duplicate_id() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("delete-user/token");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("same.toml"), GOOD).unwrap();
    std::fs::write(p.join("Same.toml"), GOOD).unwrap();
    let out = run(&["list", "--fixtures", dir.path().to_str().unwrap()]);
    if Path::new(&p.join("Same.toml")).exists() && std::fs::read_dir(&p).unwrap().count() == 2 {
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("duplicate case id"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn empty_catalogue_and_unmatched_filter() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["list", "--fixtures", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no fixture files"),
        "{}",
        stderr(&out)
    );
    let out = run(&["list", "--filter", "no-such-operation/*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no case id matches"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_flags() {
    for args in [
        &["run", "--concurrency", "0"][..],
        &["run", "--bogus"],
        &["run", "--endpoint", "ftp://x/"],
        &["run", "--endpoint", "not a url"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn bad_log_settings() {
    let out = run(&["list", "--log-level", "loud"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = Command::new(BIN)
        .args(["list"])
        .env("COGNITO_CONFORMANCE_LOG", "cognito_conformance=loud")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid log filter")
            && stderr(&out).contains("COGNITO_CONFORMANCE_LOG"),
        "{}",
        stderr(&out)
    );
    let out = run(&["list", "--log-file", "/nonexistent-dir/x/run.log"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot open the log file /nonexistent-dir/x/run.log"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unreachable_endpoint() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(&[
        "run",
        "--endpoint",
        &format!("http://127.0.0.1:{port}"),
        "--filter",
        "delete-user/token/*",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot connect") && stderr(&out).contains("is the target running?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn real_aws_needs_opt_in() {
    let out = run(&[
        "run",
        "--endpoint",
        "https://cognito-idp.us-east-1.amazonaws.com",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--allow-real-aws"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reference_run_is_conformant_and_writes_reports() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let junit = dir.path().join("r.xml");
    let out = run(&[
        "run",
        "--no-progress",
        "--color",
        "never",
        "--filter",
        "update-user-attributes/schema/*",
        "--json",
        json.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .ends_with("0 failed, 0 skipped, 0 errors"),
        "{stdout}"
    );
    let report = cognito_conformance::read_report(&json).unwrap();
    assert!(report.cases.len() >= 10);
    assert!(
        std::fs::read_to_string(junit)
            .unwrap()
            .contains("<testsuite")
    );
}

#[test]
fn missing_or_unknown_emulator_says_what_to_do() {
    let empty = tempfile::tempdir().unwrap();
    let launch = |name: &str| {
        Command::new(BIN)
            .args(["run", "--launch", name, "--no-progress"])
            .env("COGNITO_CONFORMANCE_EMULATORS", empty.path())
            .env("PATH", empty.path())
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
            .output()
            .unwrap()
    };
    for (name, install) in [
        (
            "ministack",
            "(ministack 1.5.33 from pypi) with:\n    python3 -m venv .emulators/ministack && .emulators/ministack/bin/pip install 'ministack==1.5.33'",
        ),
        (
            "fakecloud",
            "(fakecloud 0.51.0 from crates.io) with:\n    cargo install fakecloud --version 0.51.0 --locked --root .emulators/fakecloud",
        ),
    ] {
        let out = launch(name);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("{name} ")) && err.contains("is not installed"),
            "{err}"
        );
        assert!(err.contains(install), "{err}");
    }
    let out = launch("localstack");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("unknown emulator") && err.contains("ministack") && err.contains("fakecloud"),
        "{err}"
    );
}

#[test]
fn generated_properties_run_list_and_reject_bad_flags() {
    for args in [
        &["run", "--no-generated", "--only-generated"][..],
        &["run", "--cases", "0"],
        &["run", "--seed", "minus-one"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = run(&["list", "--filter", "generated/sequence/*"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("generated/sequence/agrees-with-model"));
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    let out = run(&[
        "run",
        "--only-generated",
        "--filter",
        "generated/delete-user/access-token-*",
        "--cases",
        "2",
        "--seed",
        "9",
        "--no-progress",
        "--color",
        "never",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("seed 9"), "{}", stderr(&out));
    let report = cognito_conformance::read_report(&json).unwrap();
    assert_eq!(report.cases.len(), 4);
    assert!(report.cases.iter().all(|c| c.group == "generated"));
}

/// An HTTP server that answers 501 to everything, on a loopback port, for the life of the
/// test process.
fn not_cognito() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let body = "<html>not implemented</html>";
            let _ = write!(
                s,
                "HTTP/1.1 501 Not Implemented\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// Pointed at a server that is not Cognito, a run (generated properties included) ends at
/// once: exit 2, one message naming the likely cause, nothing judged or shrunk.
#[test]
fn an_endpoint_that_is_not_cognito_ends_fast_with_one_clear_message() {
    let url = not_cognito();
    let start = std::time::Instant::now();
    let out = run(&[
        "run",
        "--endpoint",
        &url,
        "--no-progress",
        "--color",
        "never",
    ]);
    let took = start.elapsed();
    let err = stderr(&out);
    let all = format!("{}{err}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    let hint = "HTTP 501 without an AWS error type: is it a Cognito endpoint?";
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.starts_with("error:") && l.contains(hint)),
        "{err}"
    );
    assert_eq!(err.matches(hint).count(), 1, "said once on stderr: {err}");
    assert!(
        !all.contains("falsified") && !all.contains("shrink"),
        "{all}"
    );
}

/// Ctrl-C during a long generated run stops it within two seconds: the cases in flight are
/// reported as interrupted, none as failed, and the run's pools are deleted.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_generated_run_quickly_and_fails_no_case() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let mut child = Command::new(BIN)
        .args([
            "run",
            "--only-generated",
            "--cases",
            "100000",
            "--no-progress",
            "--color",
            "never",
            "--json",
        ])
        .arg(&json)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Long enough for properties to be in flight.
    std::thread::sleep(std::time::Duration::from_secs(4));
    // SAFETY: kill only sends a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let signalled = std::time::Instant::now();
    // Waited for at most ten seconds, so that a run that ignores the signal fails the test
    // instead of hanging it.
    while child.try_wait().unwrap().is_none()
        && signalled.elapsed() < std::time::Duration::from_secs(10)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let took = signalled.elapsed();
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        took < std::time::Duration::from_secs(2),
        "took {took:?}: {err}"
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["summary"]["interrupted"], true);
    let verdicts: Vec<&str> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert!(
        verdicts.contains(&"interrupted"),
        "the cases in flight are interrupted: {verdicts:?}"
    );
    assert!(
        verdicts.iter().all(|v| *v != "fail" && *v != "error"),
        "{verdicts:?}"
    );
    assert!(
        report["summary"]["pools_left"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// An error's causes are printed once each, however the error quotes them.
#[test]
fn each_cause_is_printed_once() {
    let out = run(&[
        "run",
        "--baseline",
        "/nonexistent-dir/b.toml",
        "--no-generated",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/nonexistent-dir/b.toml"), "{err}");
    assert_eq!(err.matches("(os error 2)").count(), 1, "{err}");
}

/// An executable script at `path`.
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn launch_checks_the_installed_version_against_the_pin() {
    // A "moto 5.2.1" under .emulators: pip's metadata says 5.2.1, and its server is the
    // embedded reference (moto is started as `moto_server -H 127.0.0.1 -p PORT`).
    let root = tempfile::tempdir().unwrap();
    script(
        &root.path().join("moto/bin/moto_server"),
        &format!("exec '{BIN}' serve --host \"$2\" --port \"$4\""),
    );
    let info = root
        .path()
        .join("moto/lib/python3.12/site-packages/moto-5.2.1.dist-info");
    std::fs::create_dir_all(&info).unwrap();
    std::fs::write(info.join("METADATA"), "Name: moto\nVersion: 5.2.1\n").unwrap();
    let launch = |extra: &[&str]| {
        Command::new(BIN)
            .args([
                "run",
                "--launch",
                "moto",
                "--no-progress",
                "--filter",
                "delete-user/token/*",
            ])
            .args(extra)
            .env("COGNITO_CONFORMANCE_EMULATORS", root.path())
            .env("PATH", root.path())
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
            .output()
            .unwrap()
    };

    let out = launch(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("moto 5.2.1 found at"), "{err}");
    assert!(err.contains("emulators.toml pins moto 5.2.5"), "{err}");
    assert!(
        err.contains("install the pinned version (moto[server] 5.2.5 from pypi) with:"),
        "the package and its registry: {err}"
    );
    assert!(
        err.contains("pip install 'moto[server]==5.2.5'"),
        "the install command: {err}"
    );
    assert!(err.contains("--allow-version-mismatch"), "{err}");
    assert!(out.stdout.is_empty(), "nothing ran");

    let json = root.path().join("r.json");
    let out = launch(&["--allow-version-mismatch", "--json", json.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: running moto 5.2.1"), "{err}");
    let report = cognito_conformance::read_report(&json).unwrap();
    assert_eq!(report.target.name, "moto 5.2.1");
    assert!(String::from_utf8_lossy(&out.stdout).contains("moto 5.2.1"));

    let out = run(&["run", "--allow-version-mismatch"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "needs --launch: {}",
        stderr(&out)
    );
}

#[test]
fn unwritable_report_paths_stop_the_run_before_any_case() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, path, says) in [
        (
            "--json",
            "/proc/nope/x.json".to_string(),
            "cannot create a file in /proc",
        ),
        (
            "--junit",
            dir.path().display().to_string(),
            "is a directory",
        ),
        (
            "--markdown",
            "/dev/null/r.md".to_string(),
            "/dev/null is not a directory",
        ),
    ] {
        let start = std::time::Instant::now();
        let out = run(&["run", "--no-progress", flag, &path]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("error: {flag} {path}: {says}")),
            "{err}"
        );
        assert!(
            out.stdout.is_empty(),
            "no case ran: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "checked first"
        );
    }
    let b = dir.path().join("sub");
    std::fs::create_dir(&b).unwrap();
    let out = run(&[
        "run",
        "--baseline",
        b.to_str().unwrap(),
        "--update-baseline",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--baseline"), "{}", stderr(&out));
}

#[test]
fn a_missing_snapshots_directory_stops_the_run_before_any_case() {
    let out = run(&["run", "--no-progress", "--snapshots", "/no/such/dir"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("golden snapshots directory /no/such/dir does not exist"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no case ran");
}

#[test]
fn a_filtered_baseline_update_keeps_the_other_entries() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.toml");
    std::fs::write(
        &b,
        "target = \"reference\"\n\n[[gap]]\nid = \"update-user-attributes/schema/unrelated\"\nreason = \"kept, with its reason\"\n\n[[gap]]\nid = \"delete-user/token/expired-token\"\nreason = \"passes now\"\n",
    )
    .unwrap();
    let out = run(&[
        "run",
        "--no-progress",
        "--filter",
        "delete-user/token/*",
        "--baseline",
        b.to_str().unwrap(),
        "--update-baseline",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 removed"), "{}", stderr(&out));
    let kept = cognito_conformance::Baseline::load(&b).unwrap();
    let ids: Vec<&str> = kept.gaps.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["update-user-attributes/schema/unrelated"]);
    assert_eq!(kept.gaps[0].reason, "kept, with its reason");
}

/// `(id, verdict)` of every case of a JSON report.
fn verdicts(path: &Path) -> Vec<(String, String)> {
    let report = cognito_conformance::read_report(path).unwrap();
    report
        .cases
        .iter()
        .map(|c| (c.id.clone(), c.verdict.label().to_string()))
        .collect()
}

#[test]
fn partition_pieces_merged_equal_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    // A baseline listing a case that passes: the whole run and the joined pieces both fail it
    // ("gap closed"), so the comparison covers a failure too.
    let baseline = p("b.toml");
    std::fs::write(
        &baseline,
        "target = \"reference\"\n\n[[gap]]\nid = \"delete-user/token/expired-token\"\nreason = \"closed since\"\n",
    )
    .unwrap();
    let common = [
        "run",
        "--no-progress",
        "--cases",
        "2",
        "--filter",
        "delete-user/token/*",
        "--filter",
        "generated/delete-user/*",
    ];
    let whole = run(&[
        &common[..],
        &["--json", &p("whole.json"), "--baseline", &baseline],
    ]
    .concat());
    assert_eq!(whole.status.code(), Some(1), "{}", stderr(&whole));
    let mut pieces = Vec::new();
    for k in 1..=3 {
        let json = p(&format!("piece-{k}.json"));
        let out = run(&[
            &common[..],
            &["--partition", &format!("{k}/3"), "--json", &json],
        ]
        .concat());
        let err = stderr(&out);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
        assert!(err.contains(&format!("partition count:{k}/3")), "{err}");
        pieces.push(json);
    }
    let sizes: Vec<usize> = pieces
        .iter()
        .map(|j| verdicts(Path::new(j)).len())
        .collect();
    assert!(sizes.iter().all(|n| *n > 0), "{sizes:?}");
    let merged = p("merged.json");
    let args: Vec<&str> = ["report", "--merge"]
        .into_iter()
        .chain(pieces.iter().map(String::as_str))
        .chain(["--baseline", &baseline, "--json", &merged])
        .collect();
    let out = run(&args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{}{text}", stderr(&out));
    assert!(text.contains("gap closed"), "{text}");
    let whole_v = verdicts(&dir.path().join("whole.json"));
    assert_eq!(verdicts(&dir.path().join("merged.json")), whole_v);
    assert_eq!(whole_v.len(), sizes.iter().sum::<usize>());
    // The same closing line as the whole run's.
    let last = |s: &str| s.lines().last().unwrap_or("").to_string();
    assert_eq!(last(&text), last(&String::from_utf8_lossy(&whole.stdout)));

    // Overlapping reports are not pieces of one partition.
    let out = run(&[
        "report",
        "--merge",
        &pieces[0],
        &pieces[0],
        "--json",
        &p("x.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the reports overlap"),
        "{}",
        stderr(&out)
    );
    // A partition is K/N with 1 <= K <= N.
    let out = run(&["run", "--partition", "4/3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("K is not between 1 and N"),
        "{}",
        stderr(&out)
    );
}

/// Names of the files in `dir`, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Ctrl-C during `run --update-baseline` leaves the baseline byte-identical: an interrupted
/// run is a partial picture, so writing it (at the end or as cases finish) would drop the
/// entries of the cases it never reached. No temporary file is left beside it either.
#[cfg(unix)]
#[test]
fn an_interrupted_baseline_update_leaves_the_file_byte_identical() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.toml");
    // Hand-edited (comments a rewrite would lose), with a gap the reference closes: any write
    // changes these bytes.
    let text = "# reference gaps, edited by hand\ntarget = \"reference\"\n\n[[gap]]\nid = \"delete-user/token/expired-token\"\nreason = \"passes now\"  # a rewrite removes it\n";
    std::fs::write(&b, text).unwrap();
    let mut child = Command::new(BIN)
        .args([
            "run",
            "--verbose",
            "--no-progress",
            "--color",
            "never",
            "--filter",
            "delete-user/token/*",
            "--filter",
            "generated/delete-user/*",
            // Generated properties that outlast the test: the run is still going at the signal.
            "--cases",
            "100000",
            "--baseline",
        ])
        .arg(&b)
        .arg("--update-baseline")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.contains("delete-user/token/") {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    // The first case has finished: the run is under way.
    let started = rx.recv_timeout(std::time::Duration::from_secs(120));
    // SAFETY: kill only sends a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let signalled = std::time::Instant::now();
    while child.try_wait().unwrap().is_none()
        && signalled.elapsed() < std::time::Duration::from_secs(20)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = reader.join().unwrap();
    let err = stderr(&out);
    assert!(
        started.is_ok(),
        "no case finished before the signal: {stdout}{err}"
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}{err}");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), text, "{err}");
    assert_eq!(file_names(dir.path()), ["b.toml"], "a temporary file left");
    assert!(err.contains("not updated"), "{err}");
}

/// A fixture of your own with no golden recorded, in a snapshots directory that exists: the
/// case says "no golden", is non-strict rather than passed, and a run of it is conformant
/// (exit 0) unless `--strict` makes non-strict a gap (exit 1).
#[test]
fn a_fixture_without_a_golden_is_non_strict_at_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let group = dir.path().join("fixtures/delete-user/token");
    std::fs::create_dir_all(&group).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/delete-user/token/garbage-token.toml"
        ),
        group.join("garbage-token.toml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("snapshots")).unwrap();
    let json = dir.path().join("r.json");
    let fixtures = dir.path().join("fixtures");
    let args = |extra: &[&str]| -> Vec<String> {
        [
            "run",
            "--no-generated",
            "--no-progress",
            "--color",
            "never",
            "--fixtures",
            fixtures.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
    };
    let argv = args(&[]);
    let out = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let all = format!("{stdout}{}", stderr(&out));
    assert_eq!(
        out.status.code(),
        Some(0),
        "non-strict is no failure: {all}"
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("delete-user/token/garbage-token"))
        .unwrap_or_else(|| panic!("the case is not named: {all}"));
    assert!(line.contains("no golden"), "{line}\n{all}");
    assert_eq!(
        verdicts(&json),
        [(
            "delete-user/token/garbage-token".to_string(),
            "non-strict".to_string()
        )]
    );
    let argv = args(&["--strict"]);
    let out = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// Baseline entries naming cases that no longer exist (renamed or deleted) are said once,
/// listed in the JSON report, kept by a filtered update and dropped by an update of the whole
/// catalogue.
#[test]
fn stale_baseline_entries_are_named_and_only_a_whole_update_drops_them() {
    let dir = tempfile::tempdir().unwrap();
    // A catalogue of one fixture (and the generated properties), so a whole run is quick.
    let group = dir.path().join("fixtures/delete-user/token");
    std::fs::create_dir_all(&group).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/delete-user/token/garbage-token.toml"
        ),
        group.join("garbage-token.toml"),
    )
    .unwrap();
    let fixtures = dir.path().join("fixtures");
    let b = dir.path().join("b.toml");
    std::fs::write(
        &b,
        "target = \"reference\"\n\n[[gap]]\nid = \"delete-user/token/renamed-since\"\nreason = \"r\"\n\n[[gap]]\nid = \"generated/delete-user/access-token-null\"\nreason = \"a property of the catalogue\"\n\n[[gap]]\nid = \"old-operation/x/y\"\nreason = \"r\"\n",
    )
    .unwrap();
    let json = dir.path().join("r.json");
    let run_with = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--no-progress",
            "--color",
            "never",
            "--cases",
            "1",
            "--fixtures",
            fixtures.to_str().unwrap(),
            "--baseline",
            b.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let ids = || -> Vec<String> {
        let kept = cognito_conformance::Baseline::load(&b).unwrap();
        kept.gaps.into_iter().map(|g| g.id).collect()
    };
    let stale = "2 entries name cases that no longer exist: delete-user/token/renamed-since, old-operation/x/y;";

    // A fixtures-only run judges no property, yet knows the property is no stale entry.
    let out = run_with(&["--no-generated"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err.matches("no longer exist").count(),
        1,
        "said once: {err}"
    );
    assert!(
        err.contains(&format!(
            "{stale} `run --update-baseline` without --filter or --partition removes them"
        )),
        "{err}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        report["summary"]["stale_baseline"],
        serde_json::json!(["delete-user/token/renamed-since", "old-operation/x/y"])
    );

    // A filtered update keeps them.
    let out = run_with(&["--filter", "delete-user/*", "--update-baseline"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err.matches("no longer exist").count(),
        1,
        "said once: {err}"
    );
    assert_eq!(
        ids(),
        [
            "delete-user/token/renamed-since",
            "generated/delete-user/access-token-null",
            "old-operation/x/y"
        ]
    );

    // An update of the whole catalogue drops them (and the closed gap of the property).
    let out = run_with(&["--update-baseline"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err.matches("no longer exist").count(),
        1,
        "said once: {err}"
    );
    assert!(
        err.contains(&format!("{stale} this update removes them")),
        "{err}"
    );
    assert!(
        err.contains("updated: 0 known gap(s), 0 added, 3 removed (2 stale)"),
        "{err}"
    );
    assert!(ids().is_empty(), "{:?}", ids());

    // Nothing stale: nothing said, and the report has no such list.
    let out = run_with(&["--no-generated"]);
    assert!(
        !stderr(&out).contains("no longer exist"),
        "{}",
        stderr(&out)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(report["summary"].get("stale_baseline").is_none());
}
