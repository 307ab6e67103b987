//! Secrets never leave the process: a target that hands out known tokens and echoes them back
//! in error messages and bodies is run through every reporter at full verbosity and with
//! trace-level logging, with a known AWS secret key; no output (terminal, JSON, JUnit,
//! Markdown, log lines on stderr or in the log file) may contain any token, the password, the
//! key, the session token, or a part of a token the suite derives others from.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use tracing_subscriber::fmt::MakeWriter;

use cognito_conformance::case::load::parse_case;
use cognito_conformance::logging::{self, LogConfig};
use cognito_conformance::report::{
    JsonReporter, JunitReporter, MarkdownReporter, Reporter, TargetInfo, TerminalOptions,
    TerminalReporter,
};
use cognito_conformance::run::{RunContext, RunOptions, run};
use cognito_conformance::secrets::Redactor;
use cognito_conformance::snapshot::{Golden, GoldenStore, Info, Provenance};
use cognito_conformance::target::{Admin, Provisioner};
use cognito_conformance::wire::sigv4::AwsCredentials;
use cognito_conformance::wire::{HttpClient, WireSettings};

const CT: &str = "application/x-amz-json-1.1";
const ACCESS: &str = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJsZWFrIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.QUJDREVGR0hJSktMTU5PUA";
const ID: &str =
    "eyJraWQiOiJrMiIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJsZWFrIiwidG9rZW5fdXNlIjoiaWQifQ.UVJTVFVWV1hZWg";
const REFRESH: &str = "opaqueRefreshTokenValue-0123456789abcdef";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const SESSION: &str = "SessionTokenSecretValue123456";
/// A five-part JWE (the shape of Cognito's refresh tokens) that the target blurts out in its
/// error bodies and that nobody registered: only the JWT/JWE shape can catch it.
const STRAY_JWE: &str = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.\
    RW5jcnlwdGVkS2V5U3RyYXk.SVZzdHJheTEy.Q2lwaGVydGV4dFN0cmF5U2VjcmV0.VGFnU3RyYXlTZWNyZXQ";

/// Echoes the whole request body (and so the token) back inside an error message.
struct Echo;

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&req.body).into_owned();
        ResponseTemplate::new(400)
            .insert_header("x-echo", body.replace(['\n', '\r'], " ").as_str())
            .set_body_raw(json!({"__type": "NotAuthorizedException", "message": format!("bad token in {body}"), "echo": body, "debug": STRAY_JWE}).to_string(), CT)
    }
}

fn ok(v: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(v.to_string(), CT)
}

/// Records the password the suite chose (it is random per run) from AdminCreateUser.
#[derive(Clone, Default)]
struct Passwords(Arc<Mutex<Vec<String>>>);

impl Respond for Passwords {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&req.body)
            && let Some(p) = v.get("TemporaryPassword").and_then(|p| p.as_str())
        {
            self.0.lock().unwrap().push(p.to_string());
        }
        ok(json!({}))
    }
}

async fn target(passwords: Passwords) -> MockServer {
    let s = MockServer::start().await;
    let t = |op: &str| {
        header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}").as_str(),
        )
    };
    for (op, body) in [
        (
            "CreateUserPool",
            json!({"UserPool": {"Id": "us-east-1_leak"}}),
        ),
        (
            "CreateUserPoolClient",
            json!({"UserPoolClient": {"ClientId": "c"}}),
        ),
        ("AdminSetUserPassword", json!({})),
        ("DeleteUserPool", json!({})),
        ("GlobalSignOut", json!({})),
        (
            "AdminGetUser",
            json!({"UserAttributes": [{"Name": "email", "Value": "x@example.com"}]}),
        ),
        (
            "InitiateAuth",
            json!({"AuthenticationResult": {"AccessToken": ACCESS, "IdToken": ID, "RefreshToken": REFRESH}}),
        ),
    ] {
        Mock::given(method("POST"))
            .and(t(op))
            .respond_with(ok(body))
            .mount(&s)
            .await;
    }
    Mock::given(method("POST"))
        .and(t("AdminCreateUser"))
        .respond_with(passwords)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .respond_with(Echo)
        .mount(&s)
        .await;
    s
}

/// Every secret the run knows or derives from, with a name for the failure message.
fn secrets(password: &str) -> Vec<(&'static str, String)> {
    let part = |t: &str, i: usize| t.split('.').nth(i).unwrap().to_string();
    vec![
        ("access token", ACCESS.into()),
        ("ID token", ID.into()),
        ("refresh token", REFRESH.into()),
        ("AWS secret key", AWS_SECRET.into()),
        ("session token", SESSION.into()),
        ("password", password.into()),
        // Tampered, alg-none and swapped tokens are made of these parts.
        ("access token claims", part(ACCESS, 1)),
        ("access token signature", part(ACCESS, 2)),
        ("ID token claims", part(ID, 1)),
        // What a three-part-only pattern would leave of a JWE.
        ("stray JWE ciphertext", part(STRAY_JWE, 3)),
        ("stray JWE tag", part(STRAY_JWE, 4)),
    ]
}

fn assert_clean(name: &str, text: &str, secrets: &[(&str, String)]) {
    for (what, s) in secrets {
        assert!(!s.is_empty());
        assert!(!text.contains(s.as_str()), "{name} leaks the {what}");
    }
}

fn cases() -> Vec<cognito_conformance::case::Case> {
    vec![
        fixture("access", "DeleteUser", "delete-user", "access"),
        fixture("id", "UpdateUserAttributes", "update-user-attributes", "id"),
        fixture(
            "refresh",
            "DeleteUserAttributes",
            "delete-user-attributes",
            "refresh",
        ),
        fixture("revoked", "DeleteUser", "delete-user", "revoked"),
        fixture(
            "tampered-signature",
            "DeleteUser",
            "delete-user",
            "tampered",
        ),
        fixture("alg-none", "DeleteUser", "delete-user", "alg-none"),
    ]
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Buf {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fixture_text(token: &str, op: &str) -> String {
    format!(
        r#"title = "leak probe"
requirement = "r"
evidence = {{ level = "inferred", source = "s" }}
[given]
token = "{token}"
[when]
operation = "{op}"
body = {{ AccessToken = "{{{{access_token}}}}", Extra = "{{{{access_token}}}}" }}
[then]
status = 200
"#
    )
}

fn fixture(token: &str, op: &str, dir: &str, fault: &str) -> cognito_conformance::case::Case {
    let id = format!("{dir}/leak/{fault}");
    let src = fixture_text(token, op);
    parse_case(Path::new(&format!("fixtures/{id}.toml")), &id, &src).expect("fixture")
}

impl<'a> MakeWriter<'a> for Buf {
    type Writer = Buf;
    fn make_writer(&'a self) -> Buf {
        self.clone()
    }
}

/// The library path: every reporter, plus the log at trace level through the suite's own
/// subscriber (the same sink the binary installs), on this test's thread.
#[tokio::test]
async fn no_secret_reaches_any_output() {
    let log = Buf::default();
    let filter = LogConfig {
        level: Some("trace".into()),
        ..Default::default()
    }
    .filter()
    .unwrap();
    let _logging =
        tracing::subscriber::set_default(logging::subscriber(filter, log.clone(), false));

    let passwords = Passwords::default();
    let server = target(passwords.clone()).await;
    let creds = AwsCredentials {
        access_key_id: "AKIALEAKTEST".into(),
        secret_access_key: AWS_SECRET.into(),
        session_token: Some(SESSION.into()),
        source: "test".into(),
    };
    let http = HttpClient::new(WireSettings::default()).unwrap();
    let admin = Admin::new(http, &server.uri(), "us-east-1", creds, None);
    let provisioner = Provisioner::new(admin);
    let password = provisioner.password().to_string();
    let redactor = Redactor::new()
        .with(AWS_SECRET, "AWS_SECRET_ACCESS_KEY")
        .with(SESSION, "AWS_SESSION_TOKEN")
        .with(&password, "PASSWORD");
    let target = TargetInfo {
        name: "leaky".into(),
        url: server.uri(),
        kind: "loopback".into(),
        capabilities: vec![],
    };
    let ctx = Arc::new(RunContext {
        provisioner,
        capabilities: BTreeSet::new(),
        redactor,
        target,
        goldens: cognito_conformance::snapshot::Goldens::none(),
    });
    let dir = tempfile::tempdir().unwrap();
    let term = Buf::default();
    let opts = TerminalOptions {
        color: false,
        progress: false,
        verbose: true,
        strict: true,
    };
    let mut reporters: Vec<Box<dyn Reporter>> = vec![
        Box::new(TerminalReporter::new(Box::new(term.clone()), opts)),
        Box::new(JsonReporter::new(dir.path().join("r.json"))),
        Box::new(JunitReporter::new(dir.path().join("r.xml"))),
        Box::new(MarkdownReporter::new(dir.path().join("r.md"))),
    ];
    let result = run(cases(), ctx, &RunOptions::default(), &mut reporters)
        .await
        .unwrap();
    assert_eq!(result.summary.executed(), 6, "every probe must run");
    assert_eq!(passwords.0.lock().unwrap()[0], password);

    let mut outputs = vec![("terminal".to_string(), term.text())];
    for f in ["r.json", "r.xml", "r.md"] {
        outputs.push((
            f.to_string(),
            std::fs::read_to_string(dir.path().join(f)).unwrap(),
        ));
    }
    outputs.push(("outcomes (Debug)".into(), format!("{:?}", result.outcomes)));
    // Golden snapshots, written as `record` writes them.
    let store = GoldenStore::new(dir.path().join("snapshots"));
    for o in &result.outcomes {
        let golden = Golden {
            info: Info {
                case: o.id.clone(),
                provenance: Provenance::documented(o.evidence_level, &o.evidence_source),
            },
            description: o.title.clone(),
            content: o.exchange.clone().expect("every probe exchanged"),
        };
        let path = store.write(&golden, true, "secrets test").unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            text.contains("bad token in") && (text.contains("_TOKEN]") || text.contains("[JWT]")),
            "the echo is kept, redacted: {text}"
        );
        outputs.push((format!("snapshot of {}", o.id), text));
    }
    let log = log.text();
    let secrets = secrets(&password);
    for (name, text) in &outputs {
        assert!(
            text.contains("leak probe") || name.contains("Debug"),
            "{name} is not the report it should be"
        );
        assert_clean(name, text, &secrets);
    }
    assert_clean("the trace log", &log, &secrets);
    // The echo made it through, redacted: the reports still show what the target said.
    assert!(
        outputs[1].1.contains("bad token in") && outputs[1].1.contains("[ACCESS_TOKEN]"),
        "{}",
        outputs[1].1
    );
    assert!(
        outputs[0].1.contains("$ACCESS_TOKEN"),
        "reproductions use the variable"
    );
    assert_logged_bodies(&log);
}

/// The log really was at trace level and shows the bodies, with placeholders where the
/// secrets were.
fn assert_logged_bodies(log: &str) {
    assert!(
        log.contains("TRACE") && log.contains("response body"),
        "{log}"
    );
    for label in ["[ACCESS_TOKEN]", "[PASSWORD]", "[REFRESH_TOKEN]", "[JWT]"] {
        assert!(log.contains(label), "no {label} in the log:\n{log}");
    }
}

/// The binary path: `run --log-level trace` with every report, the log on stderr, then again
/// with the log in a file; credentials come from the environment as a user would set them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_at_trace_level_leaks_nothing() {
    let passwords = Passwords::default();
    let server = target(passwords.clone()).await;
    let fixtures = tempfile::tempdir().unwrap();
    for (token, op, dir, name) in [
        ("access", "DeleteUser", "delete-user", "access"),
        ("id", "UpdateUserAttributes", "update-user-attributes", "id"),
        (
            "refresh",
            "DeleteUserAttributes",
            "delete-user-attributes",
            "refresh",
        ),
        ("revoked", "DeleteUser", "delete-user", "revoked"),
        (
            "tampered-signature",
            "DeleteUser",
            "delete-user",
            "tampered",
        ),
        ("alg-none", "DeleteUser", "delete-user", "alg-none"),
    ] {
        let d = fixtures.path().join(dir).join("leak");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(format!("{name}.toml")), fixture_text(token, op)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let log_file = out.path().join("run.log");
    for to_file in [false, true] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-conformance"));
        cmd.args([
            "run",
            "--endpoint",
            &server.uri(),
            "--no-progress",
            "--verbose",
            "--strict",
        ])
        // The generated properties run too (their failure reports and reproductions are
        // outputs), kept small: the stand-in fails them all and each failure shrinks.
        .args(["--cases", "2", "--max-shrink-iters", "4"])
        .args(["--log-level", "trace", "--fixtures"])
        .arg(fixtures.path())
        .arg("--json")
        .arg(out.path().join("r.json"))
        .arg("--junit")
        .arg(out.path().join("r.xml"))
        .arg("--markdown")
        .arg(out.path().join("r.md"))
        .env("AWS_ACCESS_KEY_ID", "AKIALEAKTEST")
        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
        .env("AWS_SESSION_TOKEN", SESSION)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env_remove("COGNITO_CONFORMANCE_LOG");
        if to_file {
            cmd.arg("--log-file").arg(&log_file);
        }
        let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(1),
            "the probes ran and failed:\n{stderr}"
        );
        let password = passwords.0.lock().unwrap().last().cloned().unwrap();
        let secrets = secrets(&password);
        let mut outputs = vec![("stdout", stdout), ("stderr", stderr.clone())];
        for f in ["r.json", "r.xml", "r.md"] {
            outputs.push((f, std::fs::read_to_string(out.path().join(f)).unwrap()));
        }
        let log = if to_file {
            assert!(
                !stderr.contains("TRACE"),
                "the log went to the file, not stderr"
            );
            std::fs::read_to_string(&log_file).unwrap()
        } else {
            stderr
        };
        outputs.push(("log", log.clone()));
        for (name, text) in &outputs {
            assert_clean(
                &format!("{name} (log in a file: {to_file})"),
                text,
                &secrets,
            );
        }
        assert_logged_bodies(&log);
    }
}
