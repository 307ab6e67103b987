//! Token states made with the target's own signing key: a stand-in emulator that issues tokens
//! signed with a key "published in its package" (a gzipped JWK without primes, laid out as moto
//! ships it) gets the `signing-key` capability; the expired and wrong-scope cases then run
//! instead of skipping, with tokens whose signatures are valid, and a stand-in that accepts the
//! expired token fails the case.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::case::load::parse_case;
use crate::check::Verdict;
use crate::run::{CaseOutcome, RunContext, run_one};
use crate::target::signing::Signer;
use crate::target::{Admin, credentials};
use crate::wire::{HttpClient, WireSettings};

const CT: &str = "application/x-amz-json-1.1";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// An emulator root with "moto" installed: its key file holds the reference's test key as a
/// private JWK of `n`, `e`, `d` only, gzipped, where moto keeps its own.
fn emulator_root() -> tempfile::TempDir {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let key =
        rsa::RsaPrivateKey::from_pkcs1_pem(include_str!("../reference/signing_key.pem")).unwrap();
    let b = |x: &rsa::BigUint| URL_SAFE_NO_PAD.encode(x.to_bytes_be());
    let jwk = json!({"kty": "RSA", "alg": "RS256", "kid": "dummy", "n": b(key.n()), "e": b(key.e()), "d": b(key.d())});
    let root = tempfile::tempdir().unwrap();
    let dir = root
        .path()
        .join("moto/lib/python3.11/site-packages/moto/cognitoidp/resources");
    std::fs::create_dir_all(&dir).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, jwk.to_string().as_bytes()).unwrap();
    std::fs::write(dir.join("jwks-private.json.gz"), gz.finish().unwrap()).unwrap();
    root
}

/// An access token as the stand-in issues it, signed with the key under `root`.
fn issued(root: &Path) -> String {
    let signer = Signer::load("moto", root).unwrap();
    let h = URL_SAFE_NO_PAD.encode(r#"{"kid":"dummy","alg":"RS256"}"#);
    let t = now();
    let c = URL_SAFE_NO_PAD.encode(
        json!({"sub": "s-1", "token_use": "access", "scope": "aws.cognito.signin.user.admin",
               "iat": t, "auth_time": t, "exp": t + 3600, "username": "u"})
        .to_string(),
    );
    signer.resign(&format!("{h}.{c}.unsigned"), |_| {}).unwrap()
}

/// The token the operation under test received, and whether it accepts it.
#[derive(Clone)]
struct UnderTest {
    received: Arc<Mutex<Vec<String>>>,
    accepts: bool,
    deleted: Arc<Mutex<bool>>,
}

impl Respond for UnderTest {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
        if let Some(t) = body["AccessToken"].as_str() {
            self.received.lock().unwrap().push(t.to_string());
        }
        if self.accepts {
            *self.deleted.lock().unwrap() = true;
            return ResponseTemplate::new(200).set_body_raw("", CT);
        }
        ResponseTemplate::new(400).set_body_raw(
            json!({"__type": "NotAuthorizedException", "message": "Access Token has expired"})
                .to_string(),
            CT,
        )
    }
}

struct User(Arc<Mutex<bool>>);

impl Respond for User {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if *self.0.lock().unwrap() {
            return ResponseTemplate::new(400).set_body_raw(
                json!({"__type": "UserNotFoundException", "message": "User does not exist."})
                    .to_string(),
                CT,
            );
        }
        ResponseTemplate::new(200).set_body_raw(
            json!({"Username": "u", "UserAttributes": [{"Name": "sub", "Value": "s-1"}, {"Name": "email", "Value": "u@example.com"}]}).to_string(),
            CT,
        )
    }
}

async fn stand_in(token: &str, under: UnderTest) -> MockServer {
    let s = MockServer::start().await;
    let t = |op: &str| {
        header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}").as_str(),
        )
    };
    let ok = |v: Value| ResponseTemplate::new(200).set_body_raw(v.to_string(), CT);
    for (op, body) in [
        (
            "CreateUserPool",
            json!({"UserPool": {"Id": "us-east-1_signed"}}),
        ),
        (
            "CreateUserPoolClient",
            json!({"UserPoolClient": {"ClientId": "c"}}),
        ),
        ("AdminCreateUser", json!({"User": {"Username": "u"}})),
        (
            "InitiateAuth",
            json!({"AuthenticationResult": {"AccessToken": token, "IdToken": token, "RefreshToken": "refresh-opaque-0123456789"}}),
        ),
    ] {
        Mock::given(method("POST"))
            .and(t(op))
            .respond_with(ok(body))
            .mount(&s)
            .await;
    }
    for (op, under) in [("DeleteUser", under.clone())] {
        Mock::given(method("POST"))
            .and(t(op))
            .respond_with(under)
            .mount(&s)
            .await;
    }
    Mock::given(method("POST"))
        .and(t("AdminGetUser"))
        .respond_with(User(under.deleted.clone()))
        .mount(&s)
        .await;
    // Everything else (passwords, deletions) succeeds.
    Mock::given(method("POST"))
        .respond_with(ok(json!({})))
        .mount(&s)
        .await;
    s
}

async fn run(server: &MockServer, root: Option<&Path>, id: &str) -> CaseOutcome {
    let path = PathBuf::from(format!("{}/fixtures/{id}.toml", env!("CARGO_MANIFEST_DIR")));
    let case = parse_case(&path, id, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let settings = WireSettings {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        max_body: 64 * 1024,
    };
    let admin = Admin::new(
        HttpClient::new(settings).unwrap(),
        &server.uri(),
        "us-east-1",
        credentials::resolve(&Default::default(), true).unwrap(),
        None,
    );
    let mut ctx = RunContext::new(
        admin,
        "stand-in",
        crate::vocab::TargetKind::Loopback,
        BTreeSet::new(),
        crate::snapshot::Goldens::none(),
    );
    if let Some(root) = root {
        ctx = ctx.with_signer(Signer::load("moto", root));
    }
    run_one(&Arc::new(ctx), &case).await
}

fn under(accepts: bool) -> UnderTest {
    UnderTest {
        received: Default::default(),
        accepts,
        deleted: Default::default(),
    }
}

#[tokio::test]
async fn an_emulator_accepting_an_expired_token_with_a_valid_signature_fails() {
    let root = emulator_root();
    let token = issued(root.path());
    let signer = Signer::load("moto", root.path()).unwrap();
    // Defective: the expired token deletes the user.
    let defective = under(true);
    let s = stand_in(&token, defective.clone()).await;
    let o = run(&s, Some(root.path()), "delete-user/token/expired-token").await;
    assert_eq!(o.verdict, Verdict::Fail, "{o:#?}");
    assert!(o.mismatches.iter().any(|m| m.field == "status"), "{o:#?}");
    let sent = defective.received.lock().unwrap()[0].clone();
    assert!(signer.signs(&sent).unwrap(), "the signature is valid");
    let claims = crate::target::token::claims(&sent).unwrap();
    assert!(claims["exp"].as_i64().unwrap() < now(), "{claims}");
    assert_eq!(
        claims["sub"], "s-1",
        "the issued token's other claims are kept"
    );
    // Conforming: refused, nothing changed.
    let s = stand_in(&token, under(false)).await;
    let o = run(&s, Some(root.path()), "delete-user/token/expired-token").await;
    assert_eq!(o.verdict, Verdict::Pass, "{o:#?}");
}

#[tokio::test]
async fn a_token_without_the_admin_scope_is_signed_too() {
    let root = emulator_root();
    let token = issued(root.path());
    let refuses = under(false);
    let s = stand_in(&token, refuses.clone()).await;
    let o = run(
        &s,
        Some(root.path()),
        "delete-user/token/missing-admin-scope",
    )
    .await;
    // The stand-in answers the expired text: only the strict tier differs.
    assert_eq!(o.verdict, Verdict::NonStrict, "{o:#?}");
    let sent = refuses.received.lock().unwrap()[0].clone();
    let claims = crate::target::token::claims(&sent).unwrap();
    assert_eq!(claims["scope"], "openid email");
    assert!(
        claims["exp"].as_i64().unwrap() > now(),
        "not expired: {claims}"
    );
    let s = stand_in(&token, under(true)).await;
    let o = run(
        &s,
        Some(root.path()),
        "delete-user/token/missing-admin-scope",
    )
    .await;
    assert_eq!(o.verdict, Verdict::Fail, "{o:#?}");
}

#[tokio::test]
async fn without_the_targets_key_the_cases_are_skipped_with_the_reason() {
    let root = emulator_root();
    // No key known: skipped, saying why.
    let s = stand_in(&issued(root.path()), under(true)).await;
    let o = run(&s, None, "delete-user/token/expired-token").await;
    assert_eq!(o.verdict, Verdict::Skip, "{o:#?}");
    let why = o.reason.unwrap();
    assert!(
        why.contains("clock-control")
            && why.contains("signing-key: the target is not a pinned emulator"),
        "{why}"
    );
    // A key that did not sign the target's tokens mints nothing.
    let forged = crate::target::token::tampered_signature(&issued(root.path())).unwrap();
    let s = stand_in(&forged, under(true)).await;
    let o = run(&s, Some(root.path()), "delete-user/token/expired-token").await;
    assert_eq!(o.verdict, Verdict::Skip, "{o:#?}");
    assert!(
        o.reason
            .unwrap()
            .contains("does not sign this target's tokens"),
        "a wrong key is named"
    );
}
