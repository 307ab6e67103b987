//! Loopback tests of the attribute-operation family (AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes, AddCustomAttributes, GetUserAttributeVerificationCode) and of
//! SigV4 authentication and IAM authorization, over real HTTP like `tests.rs`.

use std::time::Duration;

use serde_json::{Value, json};

use super::ReferenceConfig;
use super::tests::{Fixture, Harness, PASSWORD, Resp, access};
use crate::wire::Request;
use crate::wire::sigv4::{AwsCredentials, SigningFault, sign_request};

pub(super) const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

pub(super) fn expect(r: &Resp, ty: &str, msg: &str) {
    assert_eq!(
        (r.status, r.error_type(), r.message()),
        (400, ty.to_string(), msg.to_string()),
        "{}",
        r.text
    );
}

pub(super) async fn with_user(h: &Harness, verify_before_update: bool) -> Fixture {
    let f = h.provision(verify_before_update).await;
    h.create_user(
        &f,
        "uma",
        &[
            ("email", "uma@example.com"),
            ("email_verified", "true"),
            ("custom:badge", "gold"),
            ("name", "Uma"),
            ("phone_number", "+15555550123"),
        ],
    )
    .await;
    f
}

pub(super) async fn sub_of(h: &Harness, f: &Fixture, username: &str) -> String {
    h.attributes(f, username).await.unwrap()["sub"].clone()
}

pub(super) async fn code(
    h: &Harness,
    f: &Fixture,
    username: &str,
    attribute: &str,
) -> Option<Value> {
    let r = h
        .control(
            "GetVerificationCode",
            json!({"UserPoolId": f.pool, "Username": username, "AttributeName": attribute}),
        )
        .await;
    (r.status == 200).then(|| r.json())
}

pub(super) fn key_pair(v: &Value) -> AwsCredentials {
    AwsCredentials {
        access_key_id: v["AccessKeyId"].as_str().unwrap().to_string(),
        secret_access_key: v["SecretAccessKey"].as_str().unwrap().to_string(),
        session_token: None,
        source: "registered".into(),
    }
}

// ------------------------------------------------------------------ SigV4 and IAM

#[tokio::test]
async fn unsigned_admin_call_is_missing_authentication_token() {
    let h = Harness::start().await;
    let r = h.call("ListUserPools", json!({"MaxResults": 10})).await;
    expect(
        &r,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    );
    let mut req = Request::json("ListUserPools", &json!({"MaxResults": 10}));
    req.set_header("Authorization", "Bearer abc");
    expect(
        &h.send(&req).await,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn reference_credentials_sign_admin_calls() {
    let h = Harness::start_with(ReferenceConfig::strict()).await;
    assert!(h.creds.access_key_id.starts_with("AKIA"));
    assert_eq!(h.creds.secret_access_key.len(), 40);
    let r = h
        .signed_as("ListUserPools", &json!({"MaxResults": 10}), &h.creds, None)
        .await;
    assert_eq!((r.status, r.json()), (200, json!({"UserPools": []})));
    // Each server makes its own pair.
    let other = Harness::start().await;
    assert_ne!(other.creds, h.creds);
    let r = other
        .signed_as("ListUserPools", &json!({"MaxResults": 10}), &h.creds, None)
        .await;
    expect(
        &r,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    );
    other.reference.shutdown().await;
    h.reference.shutdown().await;
}

#[tokio::test]
async fn unknown_access_key_is_unrecognized_client() {
    let h = Harness::start().await;
    let r = h
        .signed_as(
            "ListUserPools",
            &json!({"MaxResults": 10}),
            &h.creds,
            Some(SigningFault::UnknownAccessKey),
        )
        .await;
    expect(
        &r,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    );
    assert_eq!(
        r.headers["x-amzn-errortype"],
        "UnrecognizedClientException:"
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_tampered_signature_and_changed_body_are_signature_mismatches() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    let body = json!({"UserPoolId": f.pool});
    for fault in [SigningFault::WrongSecret, SigningFault::TamperedSignature] {
        let r = h
            .signed_as("DescribeUserPool", &body, &h.creds, Some(fault))
            .await;
        expect(&r, "InvalidSignatureException", MISMATCH);
    }
    let mut req = Request::json("DescribeUserPool", &body);
    sign_request(
        &mut req,
        &h.reference.url(),
        &h.creds,
        "us-east-1",
        std::time::SystemTime::now(),
    )
    .unwrap();
    req.body = json!({"UserPoolId": "us-east-1_other"})
        .to_string()
        .into_bytes();
    expect(&h.send(&req).await, "InvalidSignatureException", MISMATCH);
    // A changed signed header too.
    let mut req = Request::json("DescribeUserPool", &body);
    sign_request(
        &mut req,
        &h.reference.url(),
        &h.creds,
        "us-east-1",
        std::time::SystemTime::now(),
    )
    .unwrap();
    req.set_header("Content-Type", "application/json");
    expect(&h.send(&req).await, "InvalidSignatureException", MISMATCH);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn signing_with_another_region_is_accepted() {
    let h = Harness::start().await;
    let mut req = Request::json("ListUserPools", &json!({"MaxResults": 1}));
    sign_request(
        &mut req,
        &h.reference.url(),
        &h.creds,
        "eu-west-1",
        std::time::SystemTime::now(),
    )
    .unwrap();
    assert_eq!(h.send(&req).await.status, 200);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn stale_x_amz_date_is_signature_expired() {
    let h = Harness::start().await;
    let r = h
        .signed_as(
            "ListUserPools",
            &json!({"MaxResults": 10}),
            &h.creds,
            Some(SigningFault::Stale(Duration::from_secs(16 * 60))),
        )
        .await;
    assert_eq!(
        (r.status, r.error_type()),
        (400, "InvalidSignatureException".into())
    );
    let m = r.message();
    let re = regex::Regex::new(
        r"^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$",
    )
    .unwrap();
    let caps = re.captures(&m).unwrap_or_else(|| panic!("{m}"));
    assert!(caps[1] < caps[2] && caps[2] < caps[3], "{m}");
    // 14 minutes is still fresh.
    let r = h
        .signed_as(
            "ListUserPools",
            &json!({"MaxResults": 10}),
            &h.creds,
            Some(SigningFault::Stale(Duration::from_secs(14 * 60))),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn future_x_amz_date_is_signature_not_yet_current() {
    let h = Harness::start().await;
    let r = h
        .signed_as(
            "ListUserPools",
            &json!({"MaxResults": 10}),
            &h.creds,
            Some(SigningFault::Ahead(Duration::from_secs(20 * 60))),
        )
        .await;
    assert_eq!(r.error_type(), "InvalidSignatureException");
    assert!(
        r.message().starts_with("Signature not yet current: ")
            && r.message().ends_with(" + 15 min.)"),
        "{}",
        r.text
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn advanced_clock_keeps_fresh_signatures_valid() {
    let h = Harness::start().await;
    assert_eq!(
        h.control("AdvanceClock", json!({"Seconds": 7200}))
            .await
            .status,
        200
    );
    assert_eq!(
        h.admin("ListUserPools", json!({"MaxResults": 1})).await["UserPools"],
        json!([])
    );
    let r = h
        .signed_as(
            "ListUserPools",
            &json!({"MaxResults": 1}),
            &h.creds,
            Some(SigningFault::Ahead(Duration::from_secs(7200))),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn incomplete_authorization_header_is_incomplete_signature() {
    let h = Harness::start().await;
    let mut req = Request::json("ListUserPools", &json!({}));
    let auth = "AWS4-HMAC-SHA256 SignedHeaders=host";
    req.set_header("Authorization", auth);
    req.set_header("X-Amz-Date", "20260101T000000Z");
    expect(
        &h.send(&req).await,
        "IncompleteSignatureException",
        &format!(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization={auth}"
        ),
    );
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={}/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
        h.creds.access_key_id
    );
    let mut req = Request::json("ListUserPools", &json!({}));
    req.set_header("Authorization", &auth);
    expect(
        &h.send(&req).await,
        "IncompleteSignatureException",
        &format!(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={auth}"
        ),
    );
    let mut req = Request::json("ListUserPools", &json!({}));
    req.set_header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101, SignedHeaders=host, Signature=00",
    );
    req.set_header("X-Amz-Date", "20260101T000000Z");
    expect(
        &h.send(&req).await,
        "IncompleteSignatureException",
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20260101'",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn wrong_service_scope_is_invalid_signature() {
    let h = Harness::start().await;
    let mut req = Request::json("ListUserPools", &json!({}));
    sign_request(
        &mut req,
        &h.reference.url(),
        &h.creds,
        "us-east-1",
        std::time::SystemTime::now(),
    )
    .unwrap();
    let auth = req
        .header("authorization")
        .unwrap()
        .replace("/cognito-idp/", "/cognito-identity/");
    req.set_header("Authorization", &auth);
    expect(
        &h.send(&req).await,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'cognito-idp'.",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn principal_without_permission_is_access_denied_with_pool_arn() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    let r = h
        .control(
            "RegisterPrincipal",
            json!({"Name": "reader", "Actions": ["cognito-idp:DescribeUserPool"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let out = r.json();
    assert_eq!(out["Arn"], "arn:aws:iam::000000000000:user/reader");
    assert_eq!(out["Actions"], json!(["cognito-idp:DescribeUserPool"]));
    let reader = key_pair(&out);
    let ok = h
        .signed_as(
            "DescribeUserPool",
            &json!({"UserPoolId": f.pool}),
            &reader,
            None,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let body = json!({"UserPoolId": f.pool, "CustomAttributes": [{"Name": "x", "AttributeDataType": "String"}]});
    let r = h
        .signed_as("AddCustomAttributes", &body, &reader, None)
        .await;
    expect(
        &r,
        "AccessDeniedException",
        &format!(
            "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: cognito-idp:AddCustomAttributes on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/{} because no identity-based policy allows the cognito-idp:AddCustomAttributes action",
            f.pool
        ),
    );
    let describe = h
        .admin("DescribeUserPool", json!({"UserPoolId": f.pool}))
        .await;
    assert!(
        !describe.to_string().contains("custom:x"),
        "a denied call changes nothing"
    );
    // Without any action; resource `*` for CreateUserPool; denial comes before validation.
    let nobody = key_pair(&h.control("RegisterPrincipal", json!({})).await.json());
    let r = h
        .signed_as("CreateUserPool", &json!({}), &nobody, None)
        .await;
    assert_eq!(r.error_type(), "AccessDeniedException");
    assert!(
        r.message().contains(
            "is not authorized to perform: cognito-idp:CreateUserPool on resource: * because"
        ),
        "{}",
        r.text
    );
    // Everything allowed.
    let all = key_pair(
        &h.control("RegisterPrincipal", json!({"Actions": ["*"]}))
            .await
            .json(),
    );
    let r = h.signed_as("AddCustomAttributes", &body, &all, None).await;
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    // Bad control input.
    for bad in [
        json!({"Actions": "AdminGetUser"}),
        json!({"Actions": [1]}),
        json!({"Name": "has space"}),
        json!({"Arn": "user/x"}),
    ] {
        assert_eq!(
            h.control("RegisterPrincipal", bad.clone())
                .await
                .error_type(),
            "InvalidParameterException",
            "{bad}"
        );
    }
    h.reference.shutdown().await;
}

#[tokio::test]
async fn token_operations_ignore_signatures() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let at = access(&h.tokens(&f.full, "uma").await);
    for op in ["GetUser", "GetUserAttributeVerificationCode"] {
        let body = json!({"AccessToken": at, "AttributeName": "email"});
        let r = h
            .signed_as(op, &body, &h.creds, Some(SigningFault::UnknownAccessKey))
            .await;
        assert_eq!(r.status, 200, "{op}: {}", r.text);
        let r = h
            .signed_as(
                op,
                &body,
                &h.creds,
                Some(SigningFault::Stale(Duration::from_secs(86_400))),
            )
            .await;
        assert_eq!(r.status, 200, "{op}: {}", r.text);
    }
    let r = h
        .signed_as(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": f.full, "AuthParameters": {"USERNAME": "uma", "PASSWORD": PASSWORD}}),
            &h.creds,
            Some(SigningFault::WrongSecret),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn loopback_placeholder_is_accepted_by_default_and_verified() {
    let placeholder = AwsCredentials {
        access_key_id: super::iam::LOOPBACK_PLACEHOLDER_ACCESS_KEY_ID.into(),
        secret_access_key: super::iam::LOOPBACK_PLACEHOLDER_SECRET.into(),
        session_token: None,
        source: "loopback placeholder".into(),
    };
    let h = Harness::start().await;
    let body = json!({"MaxResults": 1});
    assert_eq!(
        h.signed_as("ListUserPools", &body, &placeholder, None)
            .await
            .status,
        200
    );
    expect(
        &h.signed_as(
            "ListUserPools",
            &body,
            &placeholder,
            Some(SigningFault::WrongSecret),
        )
        .await,
        "InvalidSignatureException",
        MISMATCH,
    );
    h.reference.shutdown().await;
    let strict = Harness::start_with(ReferenceConfig::strict()).await;
    expect(
        &strict
            .signed_as("ListUserPools", &body, &placeholder, None)
            .await,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    );
    strict.reference.shutdown().await;
}
