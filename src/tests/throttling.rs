//! Throttling is never counted against a target. A local stand-in (wiremock on 127.0.0.1)
//! answers `TooManyRequestsException` (HTTP 400, `__type`) a given number of times:
//! - set-up calls retry with exponential back-off and full jitter, then succeed;
//! - a stand-in that never stops throttling set-up gives `error` ("throttled after K
//!   attempts"), never `fail`;
//! - the request under test is retried the same way; if it stays throttled the case is an
//!   `error`, and a throttle the case injected on purpose is judged, not retried.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use tracing::Instrument;
use wiremock::matchers::{header, header_regex, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::case::load::parse_case;
use crate::check::Verdict;
use crate::run::CaseOutcome;
use crate::run::RunContext;
use crate::run::run_one;
use crate::target::admin::RetryPolicy;
use crate::target::{Admin, AdminError, credentials};
use crate::vocab::Capability;
use crate::wire::{HttpClient, WireSettings};

const CT: &str = "application/x-amz-json-1.1";
const TOKEN: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtb2NrIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.c2lnbmF0dXJlc2lnbmF0dXJl";

/// Short delays so the test is quick; the shape (doubling ceilings, full jitter) is the real
/// one and is unit-tested in `target::admin`.
const FAST: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    base: Duration::from_millis(1),
    cap: Duration::from_millis(8),
};

fn op(name: &str) -> wiremock::matchers::HeaderExactMatcher {
    header(
        "x-amz-target",
        format!("AWSCognitoIdentityProviderService.{name}").as_str(),
    )
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), CT)
}

fn throttled() -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_raw(
        json!({"__type": "TooManyRequestsException", "message": "Too many requests"}).to_string(),
        CT,
    )
}

/// A conforming stand-in for the whole case path. `throttle` names an operation answered
/// `TooManyRequestsException` `times` times (`None`: for ever) before it behaves.
async fn stand_in(throttle: &str, times: Option<u64>) -> MockServer {
    super::log();
    let server = MockServer::start().await;
    let throttling = Mock::given(method("POST"))
        .and(op(throttle))
        .respond_with(throttled())
        .with_priority(1);
    match times {
        Some(n) => throttling.up_to_n_times(n).mount(&server).await,
        None => throttling.mount(&server).await,
    }
    for (name, body) in [
        (
            "CreateUserPool",
            json!({"UserPool": {"Id": "us-east-1_throttle"}}),
        ),
        (
            "CreateUserPoolClient",
            json!({"UserPoolClient": {"ClientId": "client-throttle"}}),
        ),
        ("AdminCreateUser", json!({"User": {"Username": "u"}})),
        ("AdminSetUserPassword", json!({})),
        ("DeleteUserPool", json!({})),
        // An error must leave the user unchanged; this user never changes.
        (
            "AdminGetUser",
            json!({"Username": "u", "UserAttributes": [{"Name": "email", "Value": "u@example.com"}]}),
        ),
        (
            "InitiateAuth",
            json!({"AuthenticationResult": {"AccessToken": TOKEN, "IdToken": TOKEN, "RefreshToken": "refresh-token-opaque"}}),
        ),
        // The garbage-token case expects exactly this.
        ("DeleteUser", json!({})),
    ] {
        let m = Mock::given(method("POST")).and(op(name));
        let m = if name == "DeleteUser" {
            m.respond_with(
                ResponseTemplate::new(400).set_body_raw(
                    json!({"__type": "NotAuthorizedException", "message": "Invalid Access Token"})
                        .to_string(),
                    CT,
                ),
            )
        } else {
            m.respond_with(ok(body))
        };
        m.with_priority(5).mount(&server).await;
    }
    // The reference's test-control extension, for the injected-fault case.
    Mock::given(method("POST"))
        .and(header_regex(
            "x-amz-target",
            "^CognitoConformanceReference\\.",
        ))
        .respond_with(ok(json!({})))
        .with_priority(5)
        .mount(&server)
        .await;
    server
}

fn admin(server: &MockServer) -> Admin {
    let settings = WireSettings {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        max_body: 64 * 1024,
    };
    let creds = credentials::resolve(&Default::default(), true).unwrap();
    Admin::new(
        HttpClient::new(settings).unwrap(),
        &server.uri(),
        "us-east-1",
        creds,
        None,
    )
    .with_retry(FAST)
}

async fn count(server: &MockServer, name: &str) -> usize {
    let target = format!("AWSCognitoIdentityProviderService.{name}");
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.headers
                .get("x-amz-target")
                .is_some_and(|v| v.as_bytes() == target.as_bytes())
        })
        .count()
}

const GARBAGE: &str = r#"title = "garbage token"
requirement = "protocol.error-wire-format"
[given]
token = "garbage"
[when]
operation = "DeleteUser"
body = { AccessToken = "{{access_token}}" }
[then]
status = 400
error = "NotAuthorizedException"
"#;

const INJECTED: &str = r#"title = "injected throttling"
requirement = "protocol.error-wire-format"
needs = ["fault-injection"]
[given]
fault = "throttling"
[when]
operation = "DeleteUser"
body = { AccessToken = "{{access_token}}" }
[then]
status = 400
error = "TooManyRequestsException"
"#;

async fn run_case(server: &MockServer, fixture: &str) -> CaseOutcome {
    let id = "delete-user/throttle/case";
    let case = parse_case(Path::new(&format!("fixtures/{id}.toml")), id, fixture).unwrap();
    let ctx = std::sync::Arc::new(RunContext::new(
        admin(server),
        "throttling stand-in",
        crate::vocab::TargetKind::Loopback,
        BTreeSet::from([Capability::FaultInjection]),
        crate::snapshot::Goldens::none(),
    ));
    run_one(&ctx, &case).await
}

#[tokio::test]
async fn throttled_set_up_calls_back_off_and_then_succeed() {
    let server = stand_in("CreateUserPool", Some(3)).await;
    let out = admin(&server)
        .signed("CreateUserPool", &json!({"PoolName": "p"}))
        // The span's target passes the `cognito_conformance=info` filter.
        .instrument(tracing::info_span!(target: "cognito_conformance::tests", "backoff_probe"))
        .await
        .expect("the fourth attempt succeeds");
    assert_eq!(out["UserPool"]["Id"], "us-east-1_throttle");
    assert_eq!(count(&server, "CreateUserPool").await, 4);
    // One back-off per throttled answer, each drawn under its doubling ceiling.
    let text = super::log().text();
    let backoffs: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("backoff_probe") && l.contains("throttled; backing off"))
        .collect();
    assert_eq!(backoffs.len(), 3, "{text}");
    for (k, line) in backoffs.iter().enumerate() {
        let attempt = k as u32 + 1;
        assert!(line.contains(&format!("attempt={attempt}")), "{line}");
        let delay: u64 = line
            .split("delay_ms=")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|d| d.parse().ok())
            .unwrap();
        assert!(
            Duration::from_millis(delay) <= FAST.ceiling(attempt),
            "{line}"
        );
    }
}

#[tokio::test]
async fn a_set_up_call_throttled_for_ever_is_a_typed_error() {
    let server = stand_in("CreateUserPool", None).await;
    let err = admin(&server)
        .signed("CreateUserPool", &json!({"PoolName": "p"}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Throttled { attempts: 4, .. }),
        "{err:?}"
    );
    assert_eq!(count(&server, "CreateUserPool").await, 4);
}

#[tokio::test]
async fn endless_set_up_throttling_makes_the_case_an_error_not_a_failure() {
    let server = stand_in("AdminCreateUser", None).await;
    let o = run_case(&server, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Error, "{o:?}");
    let reason = o.reason.unwrap_or_default();
    assert!(
        reason.starts_with("set-up failed")
            && reason.contains("AdminCreateUser throttled after 4 attempts")
            && reason.contains("not a conformance gap"),
        "{reason}"
    );
    assert_eq!(count(&server, "AdminCreateUser").await, 4);
    assert_eq!(count(&server, "DeleteUser").await, 0, "nothing was judged");
}

#[tokio::test]
async fn set_up_throttling_that_stops_does_not_change_the_verdict() {
    let server = stand_in("AdminCreateUser", Some(2)).await;
    let o = run_case(&server, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Pass, "{o:?}");
    assert_eq!(count(&server, "AdminCreateUser").await, 3);
}

#[tokio::test]
async fn the_request_under_test_is_retried_when_throttled() {
    let server = stand_in("DeleteUser", Some(2)).await;
    let o = run_case(&server, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Pass, "{o:?}");
    assert_eq!(count(&server, "DeleteUser").await, 3);
}

#[tokio::test]
async fn a_request_under_test_throttled_for_ever_is_an_error_not_a_failure() {
    let server = stand_in("DeleteUser", None).await;
    let o = run_case(&server, GARBAGE).await;
    assert_eq!(o.verdict, Verdict::Error, "{o:?}");
    let reason = o.reason.unwrap_or_default();
    assert!(
        reason.contains("throttled 4 times in a row") && reason.contains("not judged"),
        "{reason}"
    );
    assert_eq!(count(&server, "DeleteUser").await, 4);
}

#[tokio::test]
async fn injected_throttling_is_judged_not_retried() {
    let server = stand_in("DeleteUser", None).await;
    let o = run_case(&server, INJECTED).await;
    assert_eq!(o.verdict, Verdict::Pass, "{o:?}");
    assert_eq!(count(&server, "DeleteUser").await, 1);
}

/// A generated case goes through the same executor as a fixture: its call, throttled by the
/// target, is retried and then judged on the real answer; the throttling is never a failure and
/// nothing is shrunk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_generated_call_is_retried_not_judged() {
    use crate::property::{self, Settings};
    use crate::run::TargetSpec;
    use crate::session::Session;

    let session = Session::connect(TargetSpec::reference()).await.unwrap();
    let prop = property::catalogue()
        .into_iter()
        .find(|p| p.id == "generated/delete-user/deletes-user")
        .unwrap();
    let admin = session.context().provisioner.admin();
    // The next DeleteUser (the generated case's call under test) answers
    // TooManyRequestsException.
    crate::target::control::inject_fault(
        admin,
        "DeleteUser",
        crate::vocab::InjectedFault::Throttling,
    )
    .await
    .unwrap();
    let settings = Settings {
        cases: 2,
        ..Settings::default()
    };
    let o = session.run_property(&prop, &settings).await;
    assert_eq!(
        o.verdict,
        Verdict::Pass,
        "{:?} {:?}",
        o.reason,
        o.mismatches
    );
    let g = o.generated.unwrap();
    assert_eq!((g.cases_run, g.shrink_steps), (2, 0), "{g:?}");
    // The fault was armed and consumed by the property's call: DeleteUser answers normally
    // again.
    let after = admin
        .raw("DeleteUser", &json!({"AccessToken": "not.a.token"}), false)
        .await
        .unwrap();
    assert_eq!(
        after.error_type().as_deref(),
        Some("NotAuthorizedException"),
        "{after:?}"
    );
    session.close().await;
}
