//! Loopback tests of the attribute operations themselves (AdminDeleteUserAttributes,
//! AdminUpdateUserAttributes, AddCustomAttributes, GetUserAttributeVerificationCode); the
//! SigV4 and IAM tests and the shared helpers are in `family_tests.rs`.

use serde_json::{Value, json};

use super::family_tests::{code, expect, sub_of, with_user};
use super::tests::{Harness, Resp, access};

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
