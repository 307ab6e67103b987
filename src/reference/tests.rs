//! Loopback tests of the reference server: real HTTP over 127.0.0.1 with reqwest, provisioning
//! exactly as the suite does. Each assertion is specific enough to fail on a wrong server.

use std::net::SocketAddr;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::{Reference, ReferenceConfig};
use crate::wire::Request;
use crate::wire::sigv4::{AwsCredentials, SigningFault, sign_request, sign_request_with_fault};

pub(super) const PASSWORD: &str = "Aa1!correct-horse";
pub(super) const COGNITO: &str = "AWSCognitoIdentityProviderService";

pub(super) struct Resp {
    pub(super) status: u16,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) text: String,
}

impl Resp {
    pub(super) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
    pub(super) fn error_type(&self) -> String {
        self.json()["__type"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    pub(super) fn message(&self) -> String {
        let j = self.json();
        j["message"]
            .as_str()
            .or(j["Message"].as_str())
            .unwrap_or_default()
            .to_string()
    }
}

pub(super) struct Harness {
    pub(super) reference: Reference,
    pub(super) http: reqwest::Client,
    pub(super) creds: AwsCredentials,
}

pub(super) struct Fixture {
    pub(super) pool: String,
    pub(super) full: String,
    pub(super) restricted: String,
}

impl Harness {
    pub(super) async fn start() -> Harness {
        Harness::start_with(ReferenceConfig::default()).await
    }

    pub(super) async fn start_with(config: ReferenceConfig) -> Harness {
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let reference = Reference::start_with(addr, config).await.unwrap();
        let creds = reference.credentials();
        Harness {
            reference,
            http: reqwest::Client::new(),
            creds,
        }
    }

    pub(super) async fn raw(&self, headers: &[(&str, &str)], body: &str) -> Resp {
        let mut req = self.http.post(self.reference.url());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.body(body.to_string()).send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        Resp {
            status,
            headers,
            text: r.text().await.unwrap(),
        }
    }

    /// Send a prepared request as is.
    pub(super) async fn send(&self, req: &Request) -> Resp {
        let headers: Vec<(&str, &str)> = req
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.raw(&headers, &String::from_utf8_lossy(&req.body))
            .await
    }

    /// A Cognito call signed with `creds` as the suite signs (now, us-east-1), or wrongly.
    pub(super) async fn signed_as(
        &self,
        op: &str,
        body: &Value,
        creds: &AwsCredentials,
        fault: Option<SigningFault>,
    ) -> Resp {
        let mut req = Request::json(op, body);
        let url = self.reference.url();
        let now = SystemTime::now();
        match fault {
            None => sign_request(&mut req, &url, creds, "us-east-1", now).unwrap(),
            Some(f) => sign_request_with_fault(&mut req, &url, creds, "us-east-1", now, f).unwrap(),
        }
        self.send(&req).await
    }

    pub(super) async fn call_prefixed(
        &self,
        prefix: &str,
        op: &str,
        body: &Value,
        signed: bool,
    ) -> Resp {
        if signed && prefix == COGNITO {
            return self.signed_as(op, body, &self.creds, None).await;
        }
        let target = format!("{prefix}.{op}");
        let headers = vec![
            ("X-Amz-Target", target.as_str()),
            ("Content-Type", "application/x-amz-json-1.1"),
        ];
        self.raw(&headers, &body.to_string()).await
    }

    pub(super) async fn call(&self, op: &str, body: Value) -> Resp {
        self.call_prefixed(COGNITO, op, &body, false).await
    }

    pub(super) async fn admin(&self, op: &str, body: Value) -> Value {
        let r = self.call_prefixed(COGNITO, op, &body, true).await;
        assert_eq!(r.status, 200, "{op}: {}", r.text);
        r.json()
    }

    pub(super) async fn control(&self, op: &str, body: Value) -> Resp {
        self.call_prefixed("CognitoConformanceReference", op, &body, false)
            .await
    }

    pub(super) async fn provision(&self, verify_before_update: bool) -> Fixture {
        let mut input = json!({
            "PoolName": "ccr-test-default",
            "AliasAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "Schema": [
                {"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true},
                {"Name": "tier", "AttributeDataType": "String", "Mutable": true, "StringAttributeConstraints": {"MinLength": "3", "MaxLength": "10"}},
                {"Name": "badge", "AttributeDataType": "String", "Mutable": false},
                {"Name": "team", "AttributeDataType": "String", "Mutable": true}
            ],
            "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": true}},
            "UserPoolTags": {"cognito-conformance-run": "ccr-test"}
        });
        if verify_before_update {
            input["UserAttributeUpdateSettings"] =
                json!({"AttributesRequireVerificationBeforeUpdate": ["email"]});
        }
        let pool = self.admin("CreateUserPool", input).await["UserPool"]["Id"]
            .as_str()
            .unwrap()
            .to_string();
        let flows = json!([
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH"
        ]);
        let client = |write: Option<Value>| {
            let mut c = json!({"UserPoolId": pool, "ClientName": "ccr-test-client", "GenerateSecret": false, "ExplicitAuthFlows": flows});
            if let Some(w) = write {
                c["WriteAttributes"] = w;
            }
            c
        };
        let full =
            self.admin("CreateUserPoolClient", client(None)).await["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap()
                .to_string();
        let restricted = self
            .admin(
                "CreateUserPoolClient",
                client(Some(json!(["email", "name", "custom:tier"]))),
            )
            .await["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_string();
        Fixture {
            pool,
            full,
            restricted,
        }
    }

    pub(super) async fn create_user(&self, f: &Fixture, username: &str, attrs: &[(&str, &str)]) {
        let attrs: Vec<Value> = attrs
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        self.admin(
            "AdminCreateUser",
            json!({"UserPoolId": f.pool, "Username": username, "TemporaryPassword": PASSWORD, "MessageAction": "SUPPRESS", "UserAttributes": attrs}),
        )
        .await;
        self.admin(
            "AdminSetUserPassword",
            json!({"UserPoolId": f.pool, "Username": username, "Password": PASSWORD, "Permanent": true}),
        )
        .await;
    }

    pub(super) async fn sign_in(&self, client: &str, username: &str) -> Resp {
        self.call("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client, "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}}))
            .await
    }

    pub(super) async fn tokens(&self, client: &str, username: &str) -> Value {
        let r = self.sign_in(client, username).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["AuthenticationResult"].clone()
    }

    pub(super) async fn attributes(
        &self,
        f: &Fixture,
        username: &str,
    ) -> Option<std::collections::BTreeMap<String, String>> {
        let r = self
            .call_prefixed(
                "AWSCognitoIdentityProviderService",
                "AdminGetUser",
                &json!({"UserPoolId": f.pool, "Username": username}),
                true,
            )
            .await;
        if r.status != 200 {
            assert_eq!(r.error_type(), "UserNotFoundException", "{}", r.text);
            assert_eq!(r.message(), "User does not exist.");
            return None;
        }
        Some(
            r.json()["UserAttributes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    (
                        a["Name"].as_str().unwrap().to_string(),
                        a["Value"].as_str().unwrap().to_string(),
                    )
                })
                .collect(),
        )
    }
}

pub(super) fn access(t: &Value) -> String {
    t["AccessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn sign_in_issues_rs256_access_token_with_cognito_claims() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "ada",
        &[("email", "ada@example.com"), ("email_verified", "true")],
    )
    .await;
    let t = h.tokens(&f.full, "ada").await;
    assert_eq!(t["ExpiresIn"], 3600);
    assert_eq!(t["TokenType"], "Bearer");
    let at = access(&t);
    let header = jsonwebtoken::decode_header(&at).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let claims: Value = jsonwebtoken::dangerous::insecure_decode(&at)
        .unwrap()
        .claims;
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(claims["username"], "ada");
    assert_eq!(claims["client_id"], f.full.as_str());
    assert_eq!(claims["iss"], format!("{}/{}", h.reference.url(), f.pool));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    let id: Value = jsonwebtoken::dangerous::insecure_decode(t["IdToken"].as_str().unwrap())
        .unwrap()
        .claims;
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "ada");
    assert_eq!(id["aud"], f.full.as_str());
    let refresh = t["RefreshToken"].as_str().unwrap();
    assert!(
        refresh
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=.".contains(&b))
    );
    assert!(jsonwebtoken::decode_header(refresh).is_err());
    // Read-back and alias sign-in.
    let me = h.call("GetUser", json!({"AccessToken": at})).await;
    assert_eq!(me.json()["Username"], "ada");
    assert_eq!(h.sign_in(&f.full, "ada@example.com").await.status, 200);
    let wrong = h
        .call("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": f.full, "AuthParameters": {"USERNAME": "ada", "PASSWORD": "Aa1!wrong-pass"}}))
        .await;
    assert_eq!(
        (wrong.error_type(), wrong.message()),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
    // Refresh keeps working until GlobalSignOut.
    let refreshed = h
        .call(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": f.full, "AuthParameters": {"REFRESH_TOKEN": refresh}}),
        )
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert!(
        refreshed.json()["AuthenticationResult"]
            .get("RefreshToken")
            .is_none()
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn global_sign_out_revokes_access_and_refresh_tokens() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "bob",
        &[("email", "bob@example.com"), ("email_verified", "true")],
    )
    .await;
    let first = h.tokens(&f.full, "bob").await;
    let second = h.tokens(&f.full, "bob").await;
    assert_eq!(
        h.call("GlobalSignOut", json!({"AccessToken": access(&second)}))
            .await
            .status,
        200
    );
    for t in [&first, &second] {
        let r = h
            .call(
                "UpdateUserAttributes",
                json!({"AccessToken": access(t), "UserAttributes": [{"Name": "name", "Value": "B"}]}),
            )
            .await;
        assert_eq!(
            (r.status, r.error_type(), r.message()),
            (
                400,
                "NotAuthorizedException".into(),
                "Access Token has been revoked".into()
            )
        );
    }
    let refresh = first["RefreshToken"].as_str().unwrap();
    let r = h
        .call(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": f.full, "AuthParameters": {"REFRESH_TOKEN": refresh}}),
        )
        .await;
    assert_eq!(r.error_type(), "NotAuthorizedException");
    assert!(!h.attributes(&f, "bob").await.unwrap().contains_key("name"));
    // A new sign-in after the sign-out works.
    let fresh = h.tokens(&f.full, "bob").await;
    assert_eq!(
        h.call("GetUser", json!({"AccessToken": access(&fresh)}))
            .await
            .status,
        200
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn delete_user_empty_body_then_token_and_sign_in_fail() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "cat",
        &[("email", "cat@example.com"), ("email_verified", "true")],
    )
    .await;
    let t = h.tokens(&f.full, "cat").await;
    let r = h
        .call("DeleteUser", json!({"AccessToken": access(&t)}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "");
    assert_eq!(r.headers["content-type"], "application/x-amz-json-1.1");
    assert!(r.headers.contains_key("x-amzn-requestid"));
    assert_eq!(h.attributes(&f, "cat").await, None);
    let again = h.call("GetUser", json!({"AccessToken": access(&t)})).await;
    assert_eq!(
        (again.error_type(), again.message()),
        (
            "UserNotFoundException".into(),
            "User does not exist.".into()
        )
    );
    assert_eq!(
        h.sign_in(&f.full, "cat").await.error_type(),
        "UserNotFoundException"
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn token_states_are_refused_in_contract_order() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "dan",
        &[("email", "dan@example.com"), ("email_verified", "true")],
    )
    .await;
    let t = h.tokens(&f.full, "dan").await;
    let at = access(&t);
    let expect = |r: Resp, ty: &str, msg: &str| {
        assert_eq!(
            (r.status, r.error_type(), r.message()),
            (400, ty.to_string(), msg.to_string()),
            "{}",
            r.text
        );
    };
    let body = |tok: &str| json!({"AccessToken": tok, "UserAttributeNames": ["name"]});
    expect(
        h.call("DeleteUserAttributes", body("garbage.garbage"))
            .await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    expect(
        h.call("DeleteUserAttributes", body(t["IdToken"].as_str().unwrap()))
            .await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    expect(
        h.call(
            "DeleteUserAttributes",
            body(t["RefreshToken"].as_str().unwrap()),
        )
        .await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    let mut parts: Vec<&str> = at.split('.').collect();
    let alg_none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
    expect(
        h.call("DeleteUserAttributes", body(&alg_none)).await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    let other_sig = "A".repeat(parts[2].len());
    parts[2] = &other_sig;
    expect(
        h.call("DeleteUserAttributes", body(&parts.join("."))).await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    // Missing scope and unconfirmed users via token minting.
    let mint = |user: &str, scope: &str| json!({"UserPoolId": f.pool, "ClientId": f.full, "Username": user, "Scope": scope});
    let no_scope = h
        .control("MintAccessToken", mint("dan", "openid email"))
        .await
        .json()["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    expect(
        h.call("DeleteUserAttributes", body(&no_scope)).await,
        "NotAuthorizedException",
        "Access Token does not have required scopes",
    );
    let signed_up = h.call("SignUp", json!({"ClientId": f.full, "Username": "eve", "Password": PASSWORD, "UserAttributes": [{"Name": "email", "Value": "eve@example.com"}]})).await;
    assert_eq!(
        signed_up.json()["CodeDeliveryDetails"]["Destination"],
        "e***@e***"
    );
    let unconfirmed = h
        .control(
            "MintAccessToken",
            mint("eve", "aws.cognito.signin.user.admin"),
        )
        .await
        .json()["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    expect(
        h.call("DeleteUserAttributes", body(&unconfirmed)).await,
        "UserNotConfirmedException",
        "User is not confirmed.",
    );
    expect(
        h.sign_in(&f.full, "eve").await,
        "UserNotConfirmedException",
        "User is not confirmed.",
    );
    // Expiry through the clock; expiry is checked before revocation.
    assert_eq!(h.call("DeleteUserAttributes", body(&at)).await.status, 200);
    assert_eq!(
        h.control("AdvanceClock", json!({"Seconds": 3600}))
            .await
            .status,
        200
    );
    expect(
        h.call("DeleteUserAttributes", body(&at)).await,
        "NotAuthorizedException",
        "Access Token has expired",
    );
    // Deleted pool.
    let fresh = access(&h.tokens(&f.full, "dan").await);
    h.admin("DeleteUserPool", json!({"UserPoolId": f.pool}))
        .await;
    expect(
        h.call("DeleteUserAttributes", body(&fresh)).await,
        "ResourceNotFoundException",
        &format!("User pool {} does not exist.", f.pool),
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn admin_deleted_user_token_is_user_not_found() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "fay",
        &[("email", "fay@example.com"), ("email_verified", "true")],
    )
    .await;
    let at = access(&h.tokens(&f.full, "fay").await);
    let r = h
        .call_prefixed(
            "AWSCognitoIdentityProviderService",
            "AdminDeleteUser",
            &json!({"UserPoolId": f.pool, "Username": "fay"}),
            true,
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (200, ""));
    // Re-created with the same name: the old token is still someone else's.
    h.create_user(
        &f,
        "fay",
        &[("email", "fay@example.com"), ("email_verified", "true")],
    )
    .await;
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "name", "Value": "F"}]}),
        )
        .await;
    assert_eq!(
        (r.error_type(), r.message()),
        (
            "UserNotFoundException".into(),
            "User does not exist.".into()
        )
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn update_round_trip_and_rules() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "gus",
        &[
            ("email", "gus@example.com"),
            ("email_verified", "true"),
            ("custom:badge", "gold"),
            ("name", "Gus"),
        ],
    )
    .await;
    h.create_user(
        &f,
        "hal",
        &[("email", "hal@example.com"), ("email_verified", "true")],
    )
    .await;
    let at = access(&h.tokens(&f.full, "gus").await);
    let update = |attrs: Value| json!({"AccessToken": at, "UserAttributes": attrs});
    let r = h.call("UpdateUserAttributes", update(json!([{"Name": "custom:tier", "Value": "silver"}, {"Name": "given_name", "Value": "G"}, {"Name": "name", "Value": ""}]))).await;
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    let a = h.attributes(&f, "gus").await.unwrap();
    assert_eq!(a["custom:tier"], "silver");
    assert_eq!(a["given_name"], "G");
    assert!(!a.contains_key("name"));
    let me = h.call("GetUser", json!({"AccessToken": at})).await.json();
    assert!(
        me["UserAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["Name"] == "custom:tier" && x["Value"] == "silver")
    );
    let cases = [
        (
            json!([{"Name": "tier", "Value": "gold"}]),
            "InvalidParameterException",
            "user.tier: Attribute does not exist in the schema.\n",
        ),
        (
            json!([{"Name": "custom:badge", "Value": "x"}]),
            "InvalidParameterException",
            "user.custom:badge: Attribute cannot be updated.\n",
        ),
        (
            json!([{"Name": "sub", "Value": "x"}]),
            "InvalidParameterException",
            "Cannot modify the non-mutable attribute sub",
        ),
        (
            json!([{"Name": "name"}]),
            "InvalidParameterException",
            "Attribute value for name must not be null",
        ),
        (
            json!([{"Name": "email", "Value": ""}]),
            "InvalidParameterException",
            "user.email: Required attribute cannot be deleted.",
        ),
        (
            json!([{"Name": "custom:tier", "Value": "ab"}]),
            "InvalidParameterException",
            "user.custom:tier: String must be no shorter than 3 characters\n",
        ),
        (
            json!([{"Name": "email", "Value": "nope"}]),
            "InvalidParameterException",
            "Invalid email address format.",
        ),
        (
            json!([{"Name": "phone_number", "Value": "12345"}]),
            "InvalidParameterException",
            "Invalid phone number format.",
        ),
        (
            json!([{"Name": "given_name", "Value": "X"}, {"Name": "custom:badge", "Value": "x"}]),
            "InvalidParameterException",
            "user.custom:badge: Attribute cannot be updated.\n",
        ),
    ];
    for (attrs, ty, msg) in cases {
        let r = h.call("UpdateUserAttributes", update(attrs.clone())).await;
        assert_eq!(
            (r.status, r.error_type(), r.message()),
            (400, ty.to_string(), msg.to_string()),
            "{attrs}"
        );
    }
    assert_eq!(
        h.attributes(&f, "gus").await.unwrap(),
        a,
        "refused updates changed nothing"
    );
    // Restricted client.
    let rt = access(&h.tokens(&f.restricted, "gus").await);
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": rt, "UserAttributes": [{"Name": "custom:team", "Value": "red"}]}),
        )
        .await;
    assert_eq!(
        (r.error_type(), r.message()),
        (
            "NotAuthorizedException".into(),
            "A client attempted to write unauthorized attribute".into()
        )
    );
    let r = h
        .call(
            "DeleteUserAttributes",
            json!({"AccessToken": rt, "UserAttributeNames": ["phone_number"]}),
        )
        .await;
    assert_eq!(r.error_type(), "NotAuthorizedException");
    // DeleteUserAttributes.
    let r = h
        .call(
            "DeleteUserAttributes",
            json!({"AccessToken": at, "UserAttributeNames": ["given_name", "nickname"]}),
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    assert!(
        !h.attributes(&f, "gus")
            .await
            .unwrap()
            .contains_key("given_name")
    );
    let r = h
        .call(
            "DeleteUserAttributes",
            json!({"AccessToken": at, "UserAttributeNames": ["email"]}),
        )
        .await;
    assert_eq!(
        r.message(),
        "user.email: Required attribute cannot be deleted."
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn email_change_sends_masked_code() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "ivy",
        &[("email", "ivy@example.com"), ("email_verified", "true")],
    )
    .await;
    let at = access(&h.tokens(&f.full, "ivy").await);
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "email", "Value": "bea@elsewhere.org"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"CodeDeliveryDetailsList": [{"Destination": "b***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}]})
    );
    let a = h.attributes(&f, "ivy").await.unwrap();
    assert_eq!(
        (a["email"].as_str(), a["email_verified"].as_str()),
        ("bea@elsewhere.org", "false")
    );
    assert_eq!(h.sign_in(&f.full, "ivy").await.status, 200);

    let g = h.provision(true).await;
    h.create_user(
        &g,
        "jon",
        &[("email", "jon@example.com"), ("email_verified", "true")],
    )
    .await;
    let at = access(&h.tokens(&g.full, "jon").await);
    let r = h
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "email", "Value": "kim@example.net"}]}),
        )
        .await;
    assert_eq!(
        r.json()["CodeDeliveryDetailsList"][0]["Destination"],
        "k***@e***"
    );
    let a = h.attributes(&g, "jon").await.unwrap();
    assert_eq!(
        (a["email"].as_str(), a["email_verified"].as_str()),
        ("jon@example.com", "true")
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn protocol_layers_validation_and_faults() {
    let h = Harness::start().await;
    let f = h.provision(false).await;
    h.create_user(
        &f,
        "lee",
        &[
            ("email", "lee@example.com"),
            ("email_verified", "true"),
            ("name", "Lee"),
        ],
    )
    .await;
    let at = access(&h.tokens(&f.full, "lee").await);
    let target = "AWSCognitoIdentityProviderService.DeleteUserAttributes";
    let json_ct = ("Content-Type", "application/x-amz-json-1.1");
    let good = json!({"AccessToken": at, "UserAttributeNames": ["name"]}).to_string();

    let r = h
        .call(
            "DeleteUserAttributes",
            json!({"UserAttributeNames": ["name", ""]}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_type(), "InvalidParameterException");
    assert_eq!(
        r.message(),
        "3 validation errors detected: Value '' at 'userAttributeNames.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'userAttributeNames.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+; Value at 'accessToken' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(r.headers["x-amzn-errortype"], "InvalidParameterException:");
    let r = h
        .call("DeleteUser", json!({"AccessToken": "has space"}))
        .await;
    assert_eq!(
        r.message(),
        "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+"
    );

    let r = h
        .raw(
            &[("X-Amz-Target", target), json_ct],
            &format!(
                "{{\"AccessToken\": {{\"t\": \"{at}\"}}, \"UserAttributeNames\": [\"name\"]}}"
            ),
        )
        .await;
    assert_eq!(
        (r.error_type(), r.json()["Message"].as_str()),
        (
            "SerializationException".into(),
            Some("Start of structure or map found where not expected.")
        )
    );
    for bad in [
        "",
        "{\"AccessToken\": ",
        "[1]",
        "{\"AccessToken\": 5, \"UserAttributeNames\": []}",
    ] {
        assert_eq!(
            h.raw(&[("X-Amz-Target", target), json_ct], bad)
                .await
                .error_type(),
            "SerializationException",
            "{bad:?}"
        );
    }
    for headers in [
        vec![json_ct],
        vec![
            (
                "X-Amz-Target",
                "AWSCognitoIdentityProviderService.DeleteUserAttributesz",
            ),
            json_ct,
        ],
        vec![("X-Amz-Target", target), ("Content-Type", "text/plain")],
    ] {
        let r = h.raw(&headers, &good).await;
        assert_eq!(
            (r.status, r.error_type()),
            (400, "UnknownOperationException".into()),
            "{headers:?}"
        );
    }
    let r = h
        .call("CreateUserPool", json!({"PoolName": "unsigned"}))
        .await;
    assert_eq!(r.error_type(), "MissingAuthenticationTokenException");

    assert_eq!(
        h.control(
            "InjectFault",
            json!({"Operation": "DeleteUserAttributes", "Error": "InternalErrorException"})
        )
        .await
        .status,
        200
    );
    let r = h.raw(&[("X-Amz-Target", target), json_ct], &good).await;
    assert_eq!(
        (r.status, r.error_type(), r.message()),
        (
            500,
            "InternalErrorException".into(),
            "Internal server error.".into()
        )
    );
    assert_eq!(
        h.control(
            "InjectFault",
            json!({"Operation": "DeleteUserAttributes", "Error": "TooManyRequestsException"})
        )
        .await
        .status,
        200
    );
    let r = h.raw(&[("X-Amz-Target", target), json_ct], &good).await;
    assert_eq!(
        (r.status, r.error_type(), r.message()),
        (
            400,
            "TooManyRequestsException".into(),
            "Too many requests".into()
        )
    );
    assert!(
        h.attributes(&f, "lee").await.unwrap().contains_key("name"),
        "faults and protocol errors changed nothing"
    );
    assert_eq!(
        h.raw(&[("X-Amz-Target", target), json_ct], &good)
            .await
            .status,
        200,
        "a fault fires once"
    );

    let caps = h.control("Describe", json!({})).await.json();
    assert_eq!(
        caps["Capabilities"],
        json!([
            "clock-control",
            "token-minting",
            "fault-injection",
            "sigv4-principals",
            "verification-codes"
        ])
    );
    h.reference.shutdown().await;
}

#[tokio::test]
async fn list_user_pools_paginates() {
    let h = Harness::start().await;
    for _ in 0..3 {
        h.provision(false).await;
    }
    let first = h.admin("ListUserPools", json!({"MaxResults": 2})).await;
    assert_eq!(first["UserPools"].as_array().unwrap().len(), 2);
    let token = first["NextToken"].as_str().unwrap();
    let second = h
        .admin(
            "ListUserPools",
            json!({"MaxResults": 2, "NextToken": token}),
        )
        .await;
    assert_eq!(second["UserPools"].as_array().unwrap().len(), 1);
    assert!(second.get("NextToken").is_none());
    h.reference.shutdown().await;
}

#[tokio::test]
async fn garbage_never_kills_the_server() {
    let h = Harness::start().await;
    let target = "AWSCognitoIdentityProviderService.UpdateUserAttributes";
    let huge = "x".repeat(super::protocol::MAX_BODY_BYTES + 10);
    let bodies = [
        "\u{0}\u{1}",
        "{\"AccessToken\": \"a\", \"UserAttributes\": [null, 1, {\"Name\": {}}]}",
        "1e999999",
        "\"str\"",
        huge.as_str(),
    ];
    for b in bodies {
        let r = h
            .raw(
                &[
                    ("X-Amz-Target", target),
                    ("Content-Type", "application/x-amz-json-1.1"),
                ],
                b,
            )
            .await;
        assert!(r.status >= 400 && r.status < 500, "{}", r.status);
        assert!(!r.error_type().is_empty());
    }
    let r = h
        .raw(
            &[
                (
                    "X-Amz-Target",
                    "CognitoConformanceReference.MintAccessToken",
                ),
                ("Content-Type", "application/json"),
            ],
            "{\"UserPoolId\": 1}",
        )
        .await;
    assert_eq!(r.error_type(), "InvalidParameterException");
    // Still serving.
    assert_eq!(h.control("Describe", json!({})).await.status, 200);
    h.reference.shutdown().await;
}

#[tokio::test]
async fn non_http_bytes_on_the_socket_do_not_stop_serve() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(super::serve(listener, super::Breaks::none()));
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    sock.write_all(b"\x16\x03\x01\x00\xa5garbage\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        sock.read_to_end(&mut buf),
    )
    .await;
    let r = reqwest::Client::new()
        .post(format!("http://{addr}"))
        .header("X-Amz-Target", "CognitoConformanceReference.Describe")
        .header("Content-Type", "application/x-amz-json-1.1")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(!server.is_finished());
    server.abort();
}
