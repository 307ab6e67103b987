//! Each check fails when a (mocked) target deviates and passes when it conforms, through the
//! whole case path: provisioning, the request under test, read-back, evaluation.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::case::load::parse_case;
use crate::check::{Tier, Verdict};
use crate::run::CaseOutcome;
use crate::run::RunContext;
use crate::run::run_one;
use crate::target::{Admin, credentials};
use crate::wire::{HttpClient, WireSettings};

const CT: &str = "application/x-amz-json-1.1";
/// A JWT-shaped access token (the mock never verifies it).
const TOKEN: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtb2NrIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.c2lnbmF0dXJlc2lnbmF0dXJl";

fn target(op: &str) -> wiremock::matchers::HeaderExactMatcher {
    header(
        "x-amz-target",
        format!("AWSCognitoIdentityProviderService.{op}").as_str(),
    )
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), CT)
}

/// AdminGetUser answers "deleted" once `deleted` is set, else the user: an e-mail address, a
/// sub and a name, with `after_call` applied once the operation under test was called
/// (`None` removes the attribute).
struct UserState {
    deleted: Arc<AtomicBool>,
    after_call: Vec<(&'static str, Option<&'static str>)>,
    called: Arc<AtomicBool>,
}

impl Respond for UserState {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.deleted.load(Ordering::SeqCst) {
            return ResponseTemplate::new(400).set_body_raw(
                json!({"__type": "UserNotFoundException", "message": "User does not exist."})
                    .to_string(),
                CT,
            );
        }
        let mut attrs = std::collections::BTreeMap::from([
            ("email", "u@example.com"),
            ("sub", "s-1"),
            ("name", "Ada Lovelace"),
        ]);
        if self.called.load(Ordering::SeqCst) {
            for (name, value) in &self.after_call {
                match value {
                    Some(v) => attrs.insert(name, v),
                    None => attrs.remove(name),
                };
            }
        }
        let list: Vec<Value> = attrs
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        ok(json!({"Username": "u", "UserAttributes": list}))
    }
}

/// The operation under test: marks the call, optionally deletes the user, answers `resp`.
struct UnderTest {
    resp: ResponseTemplate,
    deletes: bool,
    deleted: Arc<AtomicBool>,
    called: Arc<AtomicBool>,
}

impl Respond for UnderTest {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.called.store(true, Ordering::SeqCst);
        if self.deletes {
            self.deleted.store(true, Ordering::SeqCst);
        }
        self.resp.clone()
    }
}

struct Scenario {
    op: &'static str,
    resp: ResponseTemplate,
    deletes: bool,
    after_call: Vec<(&'static str, Option<&'static str>)>,
}

async fn mock(s: Scenario) -> MockServer {
    let server = MockServer::start().await;
    let deleted = Arc::new(AtomicBool::new(false));
    let called = Arc::new(AtomicBool::new(false));
    let simple = [
        (
            "CreateUserPool",
            json!({"UserPool": {"Id": "us-east-1_mock"}}),
        ),
        (
            "CreateUserPoolClient",
            json!({"UserPoolClient": {"ClientId": "client-mock"}}),
        ),
        ("AdminCreateUser", json!({"User": {"Username": "u"}})),
        ("AdminSetUserPassword", json!({})),
        ("DeleteUserPool", json!({})),
        (
            "InitiateAuth",
            json!({"AuthenticationResult": {"AccessToken": TOKEN, "IdToken": TOKEN, "RefreshToken": "refresh-token-opaque", "ExpiresIn": 3600, "TokenType": "Bearer"}}),
        ),
    ];
    for (op, body) in simple {
        Mock::given(method("POST"))
            .and(target(op))
            .respond_with(ok(body))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(target("AdminGetUser"))
        .respond_with(UserState {
            deleted: deleted.clone(),
            after_call: s.after_call,
            called: called.clone(),
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(target(s.op))
        .respond_with(UnderTest {
            resp: s.resp,
            deletes: s.deletes,
            deleted,
            called,
        })
        .mount(&server)
        .await;
    server
}

async fn run_case(server: &MockServer, fixture: &str) -> CaseOutcome {
    let dir = if fixture.contains("\"UpdateUserAttributes\"") {
        "update-user-attributes"
    } else {
        "delete-user"
    };
    let id = format!("{dir}/mock/case");
    let case =
        parse_case(Path::new(&format!("fixtures/{id}.toml")), &id, fixture).expect("fixture");
    run_prepared(server, &case).await
}

async fn run_prepared(server: &MockServer, case: &crate::case::Case) -> CaseOutcome {
    let settings = WireSettings {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        max_body: 64 * 1024,
    };
    let http = HttpClient::new(settings).unwrap();
    let creds = credentials::resolve(&Default::default(), true).unwrap();
    let admin = Admin::new(http, &server.uri(), "us-east-1", creds, None);
    let ctx = std::sync::Arc::new(RunContext::new(
        admin,
        "mock",
        crate::vocab::TargetKind::Loopback,
        BTreeSet::new(),
        crate::snapshot::Goldens::none(),
    ));
    run_one(&ctx, case).await
}

const GARBAGE: &str = r#"title = "garbage token"
requirement = "protocol.error-wire-format"
[when]
operation = "DeleteUser"
body = { AccessToken = "{{access_token}}" }
[then]
status = 400
error = "NotAuthorizedException"
state = "unchanged"
strict.message = "Invalid Access Token"
"#;

fn err(status: u16, ty: &str, msg: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(json!({"__type": ty, "message": msg}).to_string(), CT)
}

fn under(op: &'static str, resp: ResponseTemplate) -> Scenario {
    Scenario {
        op,
        resp,
        deletes: false,
        after_call: vec![],
    }
}

#[tokio::test]
async fn conforming_error_passes() {
    let s = mock(under(
        "DeleteUser",
        err(400, "NotAuthorizedException", "Invalid Access Token"),
    ))
    .await;
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Pass, "{o:#?}");
    assert!(o.reproduction.as_deref().unwrap().contains("$ACCESS_TOKEN"));
    assert!(
        !o.reproduction.as_deref().unwrap().contains(TOKEN),
        "token leaked into the reproduction"
    );
}

#[tokio::test]
async fn error_type_only_in_the_header_is_equivalent() {
    let resp = ResponseTemplate::new(400)
        .insert_header(
            "x-amzn-errortype",
            "NotAuthorizedException:http://internal.amazon.com/coral/",
        )
        .set_body_raw(json!({"message": "Invalid Access Token"}).to_string(), CT);
    let s = mock(under("DeleteUser", resp)).await;
    assert_eq!(run_case(&s, GARBAGE).await.verdict, Verdict::Pass);
}

#[tokio::test]
async fn namespaced_dunder_type_is_equivalent() {
    let s = mock(under(
        "DeleteUser",
        err(
            400,
            "com.amazonaws.cognito#NotAuthorizedException",
            "Invalid Access Token",
        ),
    ))
    .await;
    assert_eq!(run_case(&s, GARBAGE).await.verdict, Verdict::Pass);
}

#[tokio::test]
async fn different_message_is_non_strict() {
    let s = mock(under(
        "DeleteUser",
        err(400, "NotAuthorizedException", "token invalid"),
    ))
    .await;
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::NonStrict);
    assert_eq!(
        (o.mismatches[0].field.as_str(), o.mismatches[0].tier),
        ("message", Tier::Strict)
    );
}

#[tokio::test]
async fn terminal_escapes_in_a_message_reach_no_report_raw() {
    let s = mock(under(
        "DeleteUser",
        err(
            400,
            "NotAuthorizedException",
            "\u{1b}]0;owned\u{7}\u{1b}[2Jbad\u{0}",
        ),
    ))
    .await;
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::NonStrict);
    let json = serde_json::to_string(&o).unwrap();
    let shown = format!(
        "{json}{}",
        o.observed.as_ref().unwrap().message.as_deref().unwrap()
    );
    assert!(
        !shown.chars().any(|c| c.is_control()),
        "a raw control character survived: {shown}"
    );
    assert_eq!(o.mismatches[0].actual, "␛]0;owned␇␛[2Jbad␀");
}

#[tokio::test]
async fn wrong_error_type_fails() {
    let s = mock(under(
        "DeleteUser",
        err(400, "InvalidParameterException", "Invalid Access Token"),
    ))
    .await;
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Fail);
    assert_eq!(o.mismatches[0].field, "error");
    assert_eq!(o.mismatches[0].expected, "NotAuthorizedException");
    assert_eq!(o.mismatches[0].actual, "InvalidParameterException");
}

#[tokio::test]
async fn html_500_fails_without_crashing() {
    let resp = ResponseTemplate::new(500)
        .set_body_raw("<!doctype html><h1>Internal Server Error</h1>", "text/html");
    let s = mock(under("DeleteUser", resp)).await;
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Fail);
    let fields: Vec<&str> = o.mismatches.iter().map(|m| m.field.as_str()).collect();
    assert!(fields.contains(&"status"), "{fields:?}");
}

#[tokio::test]
async fn a_hanging_target_fails_with_a_timeout() {
    let resp = err(400, "NotAuthorizedException", "Invalid Access Token")
        .set_delay(Duration::from_secs(5));
    let s = mock(under("DeleteUser", resp)).await;
    let started = std::time::Instant::now();
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Fail);
    assert_eq!(o.mismatches[0].field, "response");
    assert!(
        o.mismatches[0].actual.contains("no complete response"),
        "{:?}",
        o.mismatches
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_huge_body_fails_at_the_cap() {
    let resp = ResponseTemplate::new(400).set_body_raw("x".repeat(200 * 1024), CT);
    let s = mock(under("DeleteUser", resp)).await;
    let o = run_case(&s, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Fail);
    assert!(o.mismatches[0].actual.contains("cap"), "{:?}", o.mismatches);
}

const UPDATE_IMMUTABLE: &str = r#"title = "immutable"
requirement = "protocol.error-wire-format"
[when]
operation = "UpdateUserAttributes"
body = { AccessToken = "{{access_token}}", UserAttributes = [{ Name = "email", Value = "x@example.com" }] }
[then]
status = 400
error = "InvalidParameterException"
state = "unchanged"
"#;

#[tokio::test]
async fn an_error_that_still_changes_state_fails() {
    let mut sc = under(
        "UpdateUserAttributes",
        err(400, "InvalidParameterException", "no"),
    );
    sc.after_call = vec![("email", Some("x@example.com"))];
    let s = mock(sc).await;
    let o = run_case(&s, UPDATE_IMMUTABLE).await;
    assert_eq!(o.verdict, Verdict::Fail);
    assert!(
        o.mismatches.iter().any(|m| m.field == "state.email"),
        "{:?}",
        o.mismatches
    );
}

const DELETE_OK: &str = r#"title = "delete"
requirement = "protocol.error-wire-format"
[when]
operation = "DeleteUser"
body = { AccessToken = "{{access_token}}" }
[then]
status = 200
state = "deleted"
strict.body = ""
"#;

#[tokio::test]
async fn delete_user_success_and_its_deviations() {
    let conform = Scenario {
        op: "DeleteUser",
        resp: ResponseTemplate::new(200).set_body_raw("", CT),
        deletes: true,
        after_call: vec![],
    };
    assert_eq!(
        run_case(&mock(conform).await, DELETE_OK).await.verdict,
        Verdict::Pass
    );
    // `{}` is accepted by clients (Smithy) but is not what Cognito sends.
    let braces = Scenario {
        op: "DeleteUser",
        resp: ok(json!({})),
        deletes: true,
        after_call: vec![],
    };
    assert_eq!(
        run_case(&mock(braces).await, DELETE_OK).await.verdict,
        Verdict::NonStrict
    );
    // 200 but the user is still there.
    let liar = Scenario {
        op: "DeleteUser",
        resp: ResponseTemplate::new(200).set_body_raw("", CT),
        deletes: false,
        after_call: vec![],
    };
    let o = run_case(&mock(liar).await, DELETE_OK).await;
    assert_eq!(o.verdict, Verdict::Fail);
    assert_eq!(o.mismatches[0].field, "state");
}

#[tokio::test]
async fn setup_failure_is_an_error_not_a_fail() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            json!({"__type": "UnknownOperationException"}).to_string(),
            CT,
        ))
        .mount(&server)
        .await;
    let o = run_case(&server, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Error);
    assert!(
        o.reason.as_deref().unwrap().contains("CreateUserPool"),
        "{:?}",
        o.reason
    );
}

/// The fixtures whose evidence allows several answers list each one whole: a target that
/// refuses the call yet changes the user matches none of them and fails, while a refusal that
/// changes nothing, or an acceptance that does what it says, passes.
#[tokio::test]
async fn a_refusal_that_changes_state_fails_every_fixture_with_alternatives() {
    let cases: [(&str, &'static str, Option<&'static str>); 5] = [
        (
            "update-user-attributes/validation/duplicate-attribute-names",
            "name",
            Some("Grace Murray"),
        ),
        (
            "delete-user-attributes/validation/duplicate-attribute-names",
            "name",
            None,
        ),
        (
            "update-user-attributes/validation/user-attributes-empty-list",
            "name",
            Some("Someone Else"),
        ),
        (
            "update-user-attributes/verification/email-verified-written-directly",
            "email_verified",
            Some("false"),
        ),
        (
            "update-user-attributes/verification/phone-number-verified-written-directly",
            "phone_number_verified",
            Some("true"),
        ),
    ];
    for (id, attr, value) in cases {
        let path = format!("{}/fixtures/{id}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let case = parse_case(Path::new(&path), id, &text).expect("fixture");
        assert!(
            case.steps[0].then.outcomes.len() > 1,
            "{id} lists alternatives"
        );
        let op = case.operation().name();
        let refused = || err(400, "InvalidParameterException", "invalid");
        // A refusal that changed the user: no alternative matches.
        let mut wrong = under(op, refused());
        wrong.after_call = vec![(attr, value)];
        let o = run_prepared(&mock(wrong).await, &case).await;
        assert_eq!(o.verdict, Verdict::Fail, "{id}: {:?}", o.mismatches);
        assert_eq!(o.mismatches[0].field, "then", "{id}: {:?}", o.mismatches);
        // A clean refusal matches the refusal outcome.
        let o = run_prepared(&mock(under(op, refused())).await, &case).await;
        assert_eq!(o.verdict, Verdict::Pass, "{id}: {:?}", o.mismatches);
    }
}

#[tokio::test]
async fn a_message_that_is_not_a_string_fails_and_is_shown_as_sent() {
    for (message, shown, reported) in [
        (json!(42), "a number: 42", "42"),
        (
            json!({"text": "Invalid Access Token"}),
            r#"an object: {"text":"Invalid Access Token"}"#,
            r#"{"text":"Invalid Access Token"}"#,
        ),
    ] {
        let body = json!({"__type": "NotAuthorizedException", "message": message});
        let resp = ResponseTemplate::new(400).set_body_raw(body.to_string(), CT);
        let o = run_case(&mock(under("DeleteUser", resp)).await, GARBAGE).await;
        assert_eq!(o.verdict, Verdict::Fail, "{o:#?}");
        let m = o
            .mismatches
            .iter()
            .find(|m| m.field == "message")
            .expect("a message mismatch");
        assert_eq!((m.tier, m.actual.as_str()), (Tier::Contract, shown));
        assert_eq!(
            o.observed.as_ref().and_then(|s| s.message.as_deref()),
            Some(reported),
            "the report shows the value as sent"
        );
    }
}

/// The content types real clients send: applied whole or refused whole passes; a 5xx, an HTML
/// page, or a refusal after the change was applied fails.
#[tokio::test]
async fn client_content_types_are_applied_or_refused_whole() {
    for ct in ["json-content-type", "charset-content-type"] {
        for (dir, attr, applied) in [
            ("update-user-attributes", "name", Some("Grace Hopper")),
            ("delete-user-attributes", "name", None),
            ("delete-user", "", None),
        ] {
            let id = format!("{dir}/protocol/{ct}");
            let path = format!("{}/fixtures/{id}.toml", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let case = parse_case(Path::new(&path), &id, &text).expect("fixture");
            let op = case.operation().name();
            let deletes = dir == "delete-user";
            let scenario = |resp: ResponseTemplate, changed: bool| Scenario {
                op,
                resp,
                deletes: deletes && changed,
                after_call: if changed && !deletes {
                    vec![(attr, applied)]
                } else {
                    vec![]
                },
            };
            let html = ResponseTemplate::new(400)
                .set_body_raw("<html><body>Bad Request</body></html>", "text/html");
            let refused = || err(400, "UnknownOperationException", "unknown");
            for (what, s, verdict) in [
                (
                    "applied",
                    scenario(ResponseTemplate::new(200).set_body_raw("", CT), true),
                    Verdict::Pass,
                ),
                ("refused", scenario(refused(), false), Verdict::Pass),
                (
                    "5xx",
                    scenario(err(500, "InternalErrorException", "boom"), false),
                    Verdict::Fail,
                ),
                ("html page", scenario(html, false), Verdict::Fail),
                (
                    "refused after applying",
                    scenario(refused(), true),
                    Verdict::Fail,
                ),
            ] {
                let o = run_prepared(&mock(s).await, &case).await;
                assert_eq!(o.verdict, verdict, "{id} {what}: {:?}", o.mismatches);
            }
        }
    }
}
