//! Unix manners: every command run with its standard output already closed (the reader of
//! `cognito-conformance … | head` gone) ends quietly: no panic, no backtrace, no error
//! message, the exit status it has with stdout open (0 here, as ripgrep exits 0), and the same
//! standard error it writes with stdout open. Commands with work beyond printing (`run`,
//! `record`, `cleanup`) still do it.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_cognito-conformance");
/// A few fixture cases and no generated property: a quick run.
const FILTER: &str = "delete-user/token/*";
const CASE: &str = "delete-user/token/expired-token";

fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env_remove("COGNITO_CONFORMANCE_LOG")
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1");
    cmd
}

/// Run with standard output a pipe whose reader is already gone: the first write fails with
/// `EPIPE`, whatever the pipe buffer's size.
fn with_stdout_closed(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    command(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn with_stdout_open(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The closed-stdout run ended quietly: `code`, nothing on stderr but `expected_stderr`.
fn assert_quiet(args: &[&str], closed: &Output, code: i32, expected_stderr: &str) {
    let err = stderr(closed);
    assert_eq!(closed.status.code(), Some(code), "{args:?}: {err}");
    for bad in [
        "panicked",
        "Broken pipe",
        "broken pipe",
        "error",
        "backtrace",
    ] {
        assert!(
            !err.contains(bad),
            "{args:?} wrote {bad:?} to stderr: {err}"
        );
    }
    assert_eq!(
        err, expected_stderr,
        "{args:?}: stderr differs from the stdout-open run"
    );
}

/// A command whose standard error does not depend on anything but its arguments: the same
/// with stdout closed as with stdout open, and the same exit status.
fn assert_quiet_like_open(args: &[&str]) {
    let open = with_stdout_open(args);
    assert!(
        !open.stdout.is_empty(),
        "{args:?} prints something to stdout"
    );
    let closed = with_stdout_closed(args);
    assert_quiet(args, &closed, open.status.code().unwrap(), &stderr(&open));
}

#[test]
fn list_ends_quietly() {
    assert_quiet_like_open(&["list"]);
    assert_quiet_like_open(&["list", "--json"]);
    assert_quiet_like_open(&["list", "--filter", "generated/*"]);
}

#[test]
fn schema_ends_quietly() {
    assert_quiet_like_open(&["schema"]);
}

#[test]
fn help_and_version_end_quietly() {
    assert_quiet_like_open(&["--help"]);
    assert_quiet_like_open(&["run", "--help"]);
    assert_quiet_like_open(&["--version"]);
}

#[test]
fn run_ends_output_quietly_and_still_finishes_its_reports() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let args = [
        "run",
        "--no-progress",
        "--filter",
        FILTER,
        "--json",
        json.to_str().unwrap(),
    ];
    let open = with_stdout_open(&args);
    assert_eq!(open.status.code(), Some(0), "{}", stderr(&open));
    std::fs::remove_file(&json).unwrap();
    let closed = with_stdout_closed(&args);
    assert_quiet(&args, &closed, 0, &stderr(&open));
    let report = cognito_conformance::read_report(&json).unwrap();
    assert!(report.cases.len() >= 3, "the run went on to the end");
    // With the generated properties too (their plan line is on stderr, not stdout).
    let args = [
        "run",
        "--no-progress",
        "--only-generated",
        "--filter",
        "generated/delete-user/access-token-*",
        "--cases",
        "2",
    ];
    let open = with_stdout_open(&args);
    let closed = with_stdout_closed(&args);
    assert_quiet(&args, &closed, 0, &stderr(&open));
}

#[test]
fn report_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("m.md");
    let input = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/report/testdata/report.json"
    );
    let args = ["report", input, "--markdown", md.to_str().unwrap()];
    let open = with_stdout_open(&args);
    assert_eq!(open.status.code(), Some(0), "{}", stderr(&open));
    std::fs::remove_file(&md).unwrap();
    let closed = with_stdout_closed(&args);
    assert_quiet(&args, &closed, 0, &stderr(&open));
    assert!(md.exists());
}

#[test]
fn record_ends_output_quietly_and_still_writes_goldens() {
    let dir = tempfile::tempdir().unwrap();
    let snaps = dir.path().to_str().unwrap();
    let args = ["record", "--filter", CASE, "--snapshots", snaps];
    let closed = with_stdout_closed(&args);
    let expected = format!(
        "goldens in {snaps}: 1 new, 0 changed, 0 unchanged (pending: review with `cargo insta review`, or run again with --accept)\n"
    );
    assert_quiet(&args, &closed, 0, &expected);
    assert!(Path::new(snaps).join(format!("{CASE}.snap.new")).exists());
}

#[tokio::test]
async fn cleanup_ends_output_quietly_and_still_deletes() {
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    // A stand-in holding one pool an interrupted run left behind two hours ago.
    let server = MockServer::start().await;
    let then = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 7200;
    let prefix = format!("ccf-{then}-abc123");
    let target = |op: &str| {
        header(
            "X-Amz-Target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
    };
    Mock::given(method("POST"))
        .and(target("ListUserPools"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"UserPools": [{"Id": "us-east-1_left", "Name": format!("{prefix}-pool")}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target("DescribeUserPool"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"UserPool": {
                "Id": "us-east-1_left",
                "UserPoolTags": {"cognito-conformance-run": prefix}
            }})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target("DeleteUserPool"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    let url = server.uri();
    let args = ["cleanup", "--endpoint", url.as_str()];
    let closed = tokio::task::spawn_blocking({
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        move || with_stdout_closed(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert_quiet(&args, &closed, 0, "deleted 1 of 1 leftover pool(s)\n");
    let deletes = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| {
            r.headers
                .get("X-Amz-Target")
                .is_some_and(|v| v.as_bytes().ends_with(b".DeleteUserPool"))
        })
        .count();
    assert_eq!(deletes, 1, "cleanup went on after stdout closed");
}
