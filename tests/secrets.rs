//! Secrets never leave the process: a target that hands out known tokens and echoes them back
//! in error messages and bodies is run through every reporter at full verbosity, with a known
//! AWS secret key; no output may contain any token, the password or the key.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use cognito_conformance::case::load::parse_case;
use cognito_conformance::report::{
    JsonReporter, JunitReporter, MarkdownReporter, Reporter, TargetInfo, TerminalOptions,
    TerminalReporter,
};
use cognito_conformance::run::{RunContext, RunOptions, run};
use cognito_conformance::snapshot::{Golden, GoldenStore, Info, Provenance, Redactor};
use cognito_conformance::target::{Admin, Provisioner};
use cognito_conformance::wire::sigv4::AwsCredentials;
use cognito_conformance::wire::{HttpClient, WireSettings};

const CT: &str = "application/x-amz-json-1.1";
const ACCESS: &str = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJsZWFrIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.QUJDREVGR0hJSktMTU5PUA";
const ID: &str =
    "eyJraWQiOiJrMiIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJsZWFrIiwidG9rZW5fdXNlIjoiaWQifQ.UVJTVFVWV1hZWg";
const REFRESH: &str = "opaqueRefreshTokenValue-0123456789abcdef";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

/// Echoes the whole request body (and so the token) back inside an error message.
struct Echo;

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&req.body).into_owned();
        ResponseTemplate::new(400)
            .insert_header("x-echo", body.replace(['\n', '\r'], " ").as_str())
            .set_body_raw(json!({"__type": "NotAuthorizedException", "message": format!("bad token in {body}"), "echo": body}).to_string(), CT)
    }
}

fn ok(v: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(v.to_string(), CT)
}

async fn target() -> MockServer {
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
        ("AdminCreateUser", json!({})),
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
        .respond_with(Echo)
        .mount(&s)
        .await;
    s
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fixture(token: &str, op: &str, dir: &str, fault: &str) -> cognito_conformance::case::Case {
    let src = format!(
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
    );
    let id = format!("{dir}/leak/{fault}");
    parse_case(Path::new(&format!("fixtures/{id}.toml")), &id, &src).expect("fixture")
}

#[tokio::test]
async fn no_secret_reaches_any_output() {
    let server = target().await;
    let creds = AwsCredentials {
        access_key_id: "AKIALEAKTEST".into(),
        secret_access_key: AWS_SECRET.into(),
        session_token: Some("SessionTokenSecretValue123456".into()),
        source: "test".into(),
    };
    let http = HttpClient::new(WireSettings::default()).unwrap();
    let admin = Admin::new(http, &server.uri(), "us-east-1", creds, None);
    let provisioner = Provisioner::new(admin);
    let password = provisioner.password().to_string();
    let redactor = Redactor::new()
        .with(AWS_SECRET, "AWS_SECRET_ACCESS_KEY")
        .with("SessionTokenSecretValue123456", "AWS_SESSION_TOKEN")
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
    let cases = vec![
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
    ];
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
    let result = run(cases, ctx, &RunOptions::default(), &mut reporters)
        .await
        .unwrap();
    assert_eq!(result.summary.executed(), 6, "every probe must run");

    let mut outputs = vec![(
        "terminal".to_string(),
        String::from_utf8(term.0.lock().unwrap().clone()).unwrap(),
    )];
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
    // The tokens as derived by the suite (tampered signature, alg none) share these parts.
    let claims = ACCESS.split('.').nth(1).unwrap();
    let signature = ACCESS.split('.').nth(2).unwrap();
    let secrets = [
        ACCESS,
        ID,
        REFRESH,
        AWS_SECRET,
        "SessionTokenSecretValue123456",
        password.as_str(),
        claims,
        signature,
    ];
    for (name, text) in &outputs {
        assert!(
            text.contains("leak probe") || name.contains("Debug"),
            "{name} is not the report it should be"
        );
        for s in secrets {
            assert!(!text.contains(s), "{name} leaks a secret ({}…)", &s[..6]);
        }
    }
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
}
