//! Loopback tests of the attribute-operation family (AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes, AddCustomAttributes, GetUserAttributeVerificationCode) and of
//! SigV4 authentication and IAM authorization, over real HTTP like `tests.rs`.

use std::time::Duration;

use serde_json::{Value, json};

use super::ReferenceConfig;
use super::tests::{Fixture, Harness, PASSWORD, Resp, access};
use crate::wire::Request;
use crate::wire::sigv4::{AwsCredentials, SigningFault, sign_request};

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

fn expect(r: &Resp, ty: &str, msg: &str) {
    assert_eq!(
        (r.status, r.error_type(), r.message()),
        (400, ty.to_string(), msg.to_string()),
        "{}",
        r.text
    );
}

async fn with_user(h: &Harness, verify_before_update: bool) -> Fixture {
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

async fn sub_of(h: &Harness, f: &Fixture, username: &str) -> String {
    h.attributes(f, username).await.unwrap()["sub"].clone()
}

async fn code(h: &Harness, f: &Fixture, username: &str, attribute: &str) -> Option<Value> {
    let r = h
        .control(
            "GetVerificationCode",
            json!({"UserPoolId": f.pool, "Username": username, "AttributeName": attribute}),
        )
        .await;
    (r.status == 200).then(|| r.json())
}

fn key_pair(v: &Value) -> AwsCredentials {
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

// ------------------------------------------------------------------ AdminDeleteUserAttributes

#[tokio::test]
async fn admin_delete_user_attributes_removes_names_and_answers_empty_object() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    h.admin(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributes": [{"Name": "custom:team", "Value": "red"}]}),
    )
    .await;
    let r = h
        .call_prefixed(
            super::tests::COGNITO,
            "AdminDeleteUserAttributes",
            &json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributeNames": ["name", "custom:team"]}),
            true,
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    let a = h.attributes(&f, "uma").await.unwrap();
    assert!(!a.contains_key("name") && !a.contains_key("custom:team"));
    assert_eq!(a["email"], "uma@example.com");
    h.reference.shutdown().await;
}

#[tokio::test]
async fn admin_delete_user_attributes_empty_list_and_absent_names_succeed() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let before = h.attributes(&f, "uma").await.unwrap();
    for names in [json!([]), json!(["nickname", "custom:tier"])] {
        let out = h
            .admin(
                "AdminDeleteUserAttributes",
                json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributeNames": names}),
            )
            .await;
        assert_eq!(out, json!({}));
    }
    assert_eq!(h.attributes(&f, "uma").await.unwrap(), before);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn admin_delete_user_attributes_refuses_required_immutable_sub_and_unknown() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let before = h.attributes(&f, "uma").await.unwrap();
    let cases = [
        (
            json!(["email"]),
            "user.email: Required attribute cannot be deleted.",
        ),
        (
            json!(["custom:badge"]),
            "user.custom:badge: Attribute cannot be updated.\n",
        ),
        (
            json!(["sub"]),
            "Cannot modify the non-mutable attribute sub",
        ),
        (
            json!(["nope"]),
            "user.nope: Attribute does not exist in the schema.\n",
        ),
        (
            json!(["name", "custom:badge"]),
            "user.custom:badge: Attribute cannot be updated.\n",
        ),
    ];
    for (names, msg) in cases {
        let r = h
            .signed_as(
                "AdminDeleteUserAttributes",
                &json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributeNames": names}),
                &h.creds,
                None,
            )
            .await;
        expect(&r, "InvalidParameterException", msg);
    }
    assert_eq!(
        h.attributes(&f, "uma").await.unwrap(),
        before,
        "refusals are atomic"
    );
    let r = h
        .signed_as(
            "AdminDeleteUserAttributes",
            &json!({"UserPoolId": f.pool, "Username": "uma"}),
            &h.creds,
            None,
        )
        .await;
    expect(
        &r,
        "InvalidParameterException",
        "1 validation error detected: Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn admin_delete_user_attributes_unknown_pool_and_user() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let r = h
        .signed_as(
            "AdminDeleteUserAttributes",
            &json!({"UserPoolId": "us-east-1_nothere00", "Username": "uma", "UserAttributeNames": ["name"]}),
            &h.creds,
            None,
        )
        .await;
    expect(
        &r,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere00 does not exist.",
    );
    let r = h
        .signed_as(
            "AdminDeleteUserAttributes",
            &json!({"UserPoolId": f.pool, "Username": "ghost", "UserAttributeNames": ["name"]}),
            &h.creds,
            None,
        )
        .await;
    expect(&r, "UserNotFoundException", "User does not exist.");
    h.reference.shutdown().await;
}

#[tokio::test]
async fn admin_attribute_operations_accept_alias_and_sub_as_username() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let sub = sub_of(&h, &f, "uma").await;
    h.admin(
        "AdminDeleteUserAttributes",
        json!({"UserPoolId": f.pool, "Username": "uma@example.com", "UserAttributeNames": ["name"]}),
    )
    .await;
    assert!(!h.attributes(&f, "uma").await.unwrap().contains_key("name"));
    h.admin(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": f.pool, "Username": sub, "UserAttributes": [{"Name": "given_name", "Value": "U"}]}),
    )
    .await;
    h.admin(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": f.pool, "Username": "uma@example.com", "UserAttributes": [{"Name": "family_name", "Value": "M"}]}),
    )
    .await;
    h.admin(
        "AdminDeleteUserAttributes",
        json!({"UserPoolId": f.pool, "Username": sub, "UserAttributeNames": ["phone_number"]}),
    )
    .await;
    let a = h.attributes(&f, "uma").await.unwrap();
    assert_eq!(
        (a["given_name"].as_str(), a["family_name"].as_str()),
        ("U", "M")
    );
    assert!(!a.contains_key("phone_number"));
    // An unverified email is no alias.
    h.create_user(&f, "vic", &[("email", "vic@example.com")])
        .await;
    let r = h
        .signed_as(
            "AdminUpdateUserAttributes",
            &json!({"UserPoolId": f.pool, "Username": "vic@example.com", "UserAttributes": [{"Name": "name", "Value": "V"}]}),
            &h.creds,
            None,
        )
        .await;
    expect(&r, "UserNotFoundException", "User does not exist.");
    h.reference.shutdown().await;
}

// ------------------------------------------------------------------ AdminUpdateUserAttributes

#[tokio::test]
async fn admin_update_writes_verified_flags_without_client_limits() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let out = h
        .admin(
            "AdminUpdateUserAttributes",
            json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributes": [
                {"Name": "phone_number_verified", "Value": "true"},
                {"Name": "email_verified", "Value": "false"},
                {"Name": "custom:team", "Value": "blue"}
            ]}),
        )
        .await;
    assert_eq!(out, json!({}));
    let a = h.attributes(&f, "uma").await.unwrap();
    assert_eq!(
        (
            a["phone_number_verified"].as_str(),
            a["email_verified"].as_str(),
            a["custom:team"].as_str()
        ),
        ("true", "false", "blue")
    );
    assert!(
        code(&h, &f, "uma", "email").await.is_none(),
        "no value changed"
    );
    let r = h
        .signed_as(
            "AdminUpdateUserAttributes",
            &json!({"UserPoolId": f.pool, "Username": "ghost", "UserAttributes": [{"Name": "name", "Value": "x"}]}),
            &h.creds,
            None,
        )
        .await;
    expect(&r, "UserNotFoundException", "User does not exist.");
    h.reference.shutdown().await;
}

#[tokio::test]
async fn admin_update_sends_a_code_only_for_a_real_change_without_verified_true() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let update =
        |attrs: Value| json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributes": attrs});
    // Same value: nothing.
    assert_eq!(
        h.admin(
            "AdminUpdateUserAttributes",
            update(json!([{"Name": "email", "Value": "uma@example.com"}]))
        )
        .await,
        json!({})
    );
    assert!(code(&h, &f, "uma", "email").await.is_none());
    // Changed together with email_verified=true: nothing, and verified.
    h.admin(
        "AdminUpdateUserAttributes",
        update(json!([{"Name": "email", "Value": "uma2@example.com"}, {"Name": "email_verified", "Value": "true"}])),
    )
    .await;
    assert!(code(&h, &f, "uma", "email").await.is_none());
    assert_eq!(
        h.attributes(&f, "uma").await.unwrap()["email_verified"],
        "true"
    );
    // Changed alone: a code to the new value, the response still {}.
    let out = h
        .admin(
            "AdminUpdateUserAttributes",
            update(json!([{"Name": "email", "Value": "uma3@example.com"}])),
        )
        .await;
    assert_eq!(out, json!({}));
    let sent = code(&h, &f, "uma", "email").await.unwrap();
    assert_eq!(sent["Destination"], "uma3@example.com");
    assert_eq!(sent["DeliveryMedium"], "EMAIL");
    assert_eq!(sent["Code"].as_str().unwrap().len(), 6);
    assert_eq!(
        h.attributes(&f, "uma").await.unwrap()["email_verified"],
        "false"
    );
    // Changed with email_verified=false: a code too.
    h.admin(
        "AdminUpdateUserAttributes",
        update(json!([{"Name": "email", "Value": "uma4@example.com"}, {"Name": "email_verified", "Value": "false"}])),
    )
    .await;
    assert_eq!(
        code(&h, &f, "uma", "email").await.unwrap()["Destination"],
        "uma4@example.com"
    );
    // phone_number is not auto-verified in this pool: no code.
    h.admin(
        "AdminUpdateUserAttributes",
        update(json!([{"Name": "phone_number", "Value": "+15555550999"}])),
    )
    .await;
    assert!(code(&h, &f, "uma", "phone_number").await.is_none());
    h.reference.shutdown().await;
}

// ------------------------------------------------------------------ AddCustomAttributes

async fn add(h: &Harness, pool: &str, attrs: Value) -> Resp {
    h.signed_as(
        "AddCustomAttributes",
        &json!({"UserPoolId": pool, "CustomAttributes": attrs}),
        &h.creds,
        None,
    )
    .await
}

async fn schema_entry(h: &Harness, pool: &str, name: &str) -> Option<Value> {
    let d = h
        .admin("DescribeUserPool", json!({"UserPoolId": pool}))
        .await;
    d["UserPool"]["SchemaAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == name)
        .cloned()
}

#[tokio::test]
async fn add_custom_attributes_lists_new_entries_in_describe_user_pool() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    let r = add(
        &h,
        &f.pool,
        json!([
            {"Name": "plan", "AttributeDataType": "String", "Mutable": true, "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "15"}},
            {"Name": "score", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"}},
            {"Name": "since", "AttributeDataType": "DateTime"},
            {"Name": "custom:twice", "AttributeDataType": "String"},
            {"Name": "secret", "AttributeDataType": "Boolean", "DeveloperOnlyAttribute": true, "Mutable": true}
        ]),
    )
    .await;
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    assert_eq!(
        schema_entry(&h, &f.pool, "custom:plan").await.unwrap(),
        json!({"Name": "custom:plan", "AttributeDataType": "String", "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false, "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "15"}})
    );
    assert_eq!(
        schema_entry(&h, &f.pool, "custom:score").await.unwrap(),
        json!({"Name": "custom:score", "AttributeDataType": "Number", "DeveloperOnlyAttribute": false, "Mutable": false, "Required": false, "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"}})
    );
    assert_eq!(
        schema_entry(&h, &f.pool, "custom:since").await.unwrap()["Mutable"],
        false
    );
    assert_eq!(
        schema_entry(&h, &f.pool, "custom:custom:twice")
            .await
            .unwrap()["StringAttributeConstraints"],
        json!({"MinLength": "0", "MaxLength": "2048"})
    );
    assert!(schema_entry(&h, &f.pool, "custom:twice").await.is_none());
    let dev = schema_entry(&h, &f.pool, "dev:custom:secret")
        .await
        .unwrap();
    assert_eq!(
        (
            dev["DeveloperOnlyAttribute"].clone(),
            dev["Mutable"].clone()
        ),
        (json!(true), json!(true))
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn add_custom_attributes_refusals_are_atomic() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    let before = h
        .admin("DescribeUserPool", json!({"UserPoolId": f.pool}))
        .await["UserPool"]["SchemaAttributes"]
        .clone();
    let ok = json!({"Name": "fresh", "AttributeDataType": "String"});
    let cases = [
        (
            json!({"Name": "r", "AttributeDataType": "String", "Required": true}),
            "Required custom attributes are not supported currently.",
        ),
        (
            json!({"Name": "tier", "AttributeDataType": "String"}),
            "custom:tier: Existing attribute already has name custom:tier.",
        ),
        (
            json!({"Name": "fresh", "AttributeDataType": "Number"}),
            "custom:fresh: Existing attribute already has name custom:fresh.",
        ),
        (
            json!({"Name": "t"}),
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
        ),
        (
            json!({"Name": "s", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "9", "MaxLength": "2"}}),
            "Invalid StringAttributeConstraints for attribute custom:s.",
        ),
        (
            json!({"Name": "n", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "x"}}),
            "Invalid NumberAttributeConstraints for attribute custom:n.",
        ),
    ];
    for (bad, msg) in cases {
        let r = add(&h, &f.pool, json!([ok, bad])).await;
        expect(&r, "InvalidParameterException", msg);
    }
    let after = h
        .admin("DescribeUserPool", json!({"UserPoolId": f.pool}))
        .await["UserPool"]["SchemaAttributes"]
        .clone();
    assert_eq!(before, after, "nothing was added");
    // The model's constraints answer first.
    let r = add(
        &h,
        &f.pool,
        json!([{"Name": "x", "AttributeDataType": "Blob"}]),
    )
    .await;
    expect(
        &r,
        "InvalidParameterException",
        "1 validation error detected: Value 'Blob' at 'customAttributes.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, DateTime, Boolean]",
    );
    let r = add(&h, &f.pool, json!([])).await;
    assert!(r.message().contains("at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{}", r.text);
    let r = add(&h, "us-east-1_nothere00", json!([ok])).await;
    expect(
        &r,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere00 does not exist.",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn add_custom_attributes_stops_at_fifty() {
    let h = Harness::start().await;
    let f = h.provision(false).await; // has custom:tier, custom:badge, custom:team
    let batch = |from: usize, n: usize| -> Value {
        (from..from + n)
            .map(|i| json!({"Name": format!("a{i}"), "AttributeDataType": "String"}))
            .collect()
    };
    assert_eq!(add(&h, &f.pool, batch(0, 25)).await.status, 200);
    assert_eq!(add(&h, &f.pool, batch(25, 22)).await.status, 200);
    let r = add(&h, &f.pool, batch(47, 1)).await;
    expect(
        &r,
        "InvalidParameterException",
        "The user pool cannot have more than 50 custom attributes: it has 50 and the request adds 1.",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn added_attributes_are_honoured_by_later_updates() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let r = add(
        &h,
        &f.pool,
        json!([
            {"Name": "plan", "AttributeDataType": "String", "Mutable": true, "StringAttributeConstraints": {"MaxLength": "5"}},
            {"Name": "origin", "AttributeDataType": "String"},
            {"Name": "flag", "AttributeDataType": "String", "DeveloperOnlyAttribute": true, "Mutable": true}
        ]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Administrator: mutable and developer-only writable, immutable refused.
    h.admin(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributes": [{"Name": "custom:plan", "Value": "pro"}, {"Name": "dev:custom:flag", "Value": "on"}]}),
    )
    .await;
    let a = h.attributes(&f, "uma").await.unwrap();
    assert_eq!(
        (a["custom:plan"].as_str(), a["dev:custom:flag"].as_str()),
        ("pro", "on")
    );
    let r = h
        .signed_as(
            "AdminUpdateUserAttributes",
            &json!({"UserPoolId": f.pool, "Username": "uma", "UserAttributes": [{"Name": "custom:origin", "Value": "x"}]}),
            &h.creds,
            None,
        )
        .await;
    expect(
        &r,
        "InvalidParameterException",
        "user.custom:origin: Attribute cannot be updated.\n",
    );
    // A client without WriteAttributes gains the new attribute; one with a list does not.
    let full = access(&h.tokens(&f.full, "uma").await);
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": full, "UserAttributes": [{"Name": "custom:plan", "Value": "basic"}]}),
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": full, "UserAttributes": [{"Name": "custom:plan", "Value": "platinum"}]}),
        )
        .await;
    expect(
        &r,
        "InvalidParameterException",
        "user.custom:plan: String must be no longer than 5 characters\n",
    );
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": full, "UserAttributes": [{"Name": "custom:origin", "Value": "x"}]}),
        )
        .await;
    expect(
        &r,
        "InvalidParameterException",
        "user.custom:origin: Attribute cannot be updated.\n",
    );
    // Developer-only attributes: never through a client.
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": full, "UserAttributes": [{"Name": "dev:custom:flag", "Value": "off"}]}),
        )
        .await;
    expect(
        &r,
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    );
    let restricted = access(&h.tokens(&f.restricted, "uma").await);
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": restricted, "UserAttributes": [{"Name": "custom:plan", "Value": "x"}]}),
        )
        .await;
    expect(
        &r,
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    );
    // The restricted client keeps what it had.
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": restricted, "UserAttributes": [{"Name": "custom:tier", "Value": "gold"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        h.attributes(&f, "uma").await.unwrap()["custom:plan"],
        "basic"
    );
    h.reference.shutdown().await;
}

// ------------------------------------------------------------------ GetUserAttributeVerificationCode

#[tokio::test]
async fn get_user_attribute_verification_code_sends_masked_email_and_sms_codes() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let at = access(&h.tokens(&f.full, "uma").await);
    let r = h
        .call(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at, "AttributeName": "email", "ClientMetadata": {"k": "v"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"CodeDeliveryDetails": {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}})
    );
    let first = code(&h, &f, "uma", "email").await.unwrap();
    assert_eq!(first["Destination"], "uma@example.com");
    let r = h
        .call(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at, "AttributeName": "phone_number"}),
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"CodeDeliveryDetails": {"Destination": "+*******0123", "DeliveryMedium": "SMS", "AttributeName": "phone_number"}})
    );
    assert_eq!(
        code(&h, &f, "uma", "phone_number").await.unwrap()["DeliveryMedium"],
        "SMS"
    );
    // The attribute is verified already: still a code (inferred).
    assert_eq!(
        h.attributes(&f, "uma").await.unwrap()["email_verified"],
        "true"
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn get_user_attribute_verification_code_refuses_other_names_and_missing_values() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    h.create_user(
        &f,
        "wes",
        &[("email", "wes@example.com"), ("email_verified", "true")],
    )
    .await;
    let at = access(&h.tokens(&f.full, "wes").await);
    for name in ["name", "email_verified", "custom:tier", "phone"] {
        let r = h
            .call(
                "GetUserAttributeVerificationCode",
                json!({"AccessToken": at, "AttributeName": name}),
            )
            .await;
        expect(
            &r,
            "InvalidParameterException",
            "Invalid attribute name. Only phone_number and email can be verified.",
        );
    }
    let r = h
        .call(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at, "AttributeName": "phone_number"}),
        )
        .await;
    expect(
        &r,
        "InvalidParameterException",
        "User does not have a value for the attribute phone_number.",
    );
    let r = h
        .call(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at}),
        )
        .await;
    expect(
        &r,
        "InvalidParameterException",
        "1 validation error detected: Value null at 'attributeName' failed to satisfy constraint: Member must not be null",
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn get_user_attribute_verification_code_goes_to_the_original_value_while_an_update_waits() {
    let h = Harness::start().await;
    let f = with_user(&h, true).await;
    let at = access(&h.tokens(&f.full, "uma").await);
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "email", "Value": "zed@example.org"}]}),
        )
        .await;
    assert_eq!(
        r.json()["CodeDeliveryDetailsList"][0]["Destination"],
        "z***@e***"
    );
    assert_eq!(
        code(&h, &f, "uma", "email").await.unwrap()["Destination"],
        "zed@example.org"
    );
    let r = h
        .call(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": at, "AttributeName": "email"}),
        )
        .await;
    assert_eq!(
        r.json()["CodeDeliveryDetails"]["Destination"],
        "u***@e***",
        "{}",
        r.text
    );
    assert_eq!(
        code(&h, &f, "uma", "email").await.unwrap()["Destination"],
        "uma@example.com"
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn get_user_attribute_verification_code_runs_the_token_checks() {
    let h = Harness::start().await;
    let f = with_user(&h, false).await;
    let at = access(&h.tokens(&f.full, "uma").await);
    let body = |t: &str| json!({"AccessToken": t, "AttributeName": "email"});
    expect(
        &h.call("GetUserAttributeVerificationCode", body("garbage.garbage"))
            .await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    let no_scope = h
        .control(
            "MintAccessToken",
            json!({"UserPoolId": f.pool, "ClientId": f.full, "Username": "uma", "Scope": "openid"}),
        )
        .await
        .json()["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    expect(
        &h.call("GetUserAttributeVerificationCode", body(&no_scope))
            .await,
        "NotAuthorizedException",
        "Access Token does not have required scopes",
    );
    h.control("AdvanceClock", json!({"Seconds": 3600})).await;
    expect(
        &h.call("GetUserAttributeVerificationCode", body(&at)).await,
        "NotAuthorizedException",
        "Access Token has expired",
    );
    let fresh = access(&h.tokens(&f.full, "uma").await);
    h.admin(
        "AdminDeleteUser",
        json!({"UserPoolId": f.pool, "Username": "uma"}),
    )
    .await;
    expect(
        &h.call("GetUserAttributeVerificationCode", body(&fresh))
            .await,
        "UserNotFoundException",
        "User does not exist.",
    );
    h.reference.shutdown().await;
}
