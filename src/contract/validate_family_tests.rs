//! Model validation ([`super::validate`]) of the attribute-operation family's inputs, which the
//! shipped model covers since `scripts/extract-model.py --merge` added the three operations.

use serde_json::json;

use super::Model;
use super::validate::{validate_input, validation_message};

fn message(op: &str, body: serde_json::Value) -> Option<String> {
    validation_message(&validate_input(op, &body))
}

#[test]
fn the_model_has_the_three_operations_with_their_auth_types() {
    let m = Model::get();
    for (op, auth) in [
        ("AdminDeleteUserAttributes", "v4"),
        ("AddCustomAttributes", "v4"),
        ("GetUserAttributeVerificationCode", "none"),
    ] {
        let o = m.operation(op).unwrap_or_else(|| panic!("{op}"));
        assert_eq!(o.authtype, auth, "{op}");
    }
    assert!(m.may_return("AddCustomAttributes", "UserImportInProgressException"));
    assert!(m.may_return(
        "GetUserAttributeVerificationCode",
        "CodeDeliveryFailureException"
    ));
    assert!(
        m.operation("AdminDeleteUserAttributes")
            .unwrap()
            .output
            .is_some()
    );
}

#[test]
fn admin_delete_user_attributes_inputs_are_validated() {
    assert_eq!(
        validate_input(
            "AdminDeleteUserAttributes",
            &json!({"UserPoolId": "us-east-1_abc", "Username": "u", "UserAttributeNames": []})
        ),
        vec![]
    );
    let m = message("AdminDeleteUserAttributes", json!({})).unwrap();
    assert!(m.starts_with("3 validation errors detected: "), "{m}");
    assert!(
        m.contains(
            "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
        ),
        "{m}"
    );
    assert!(
        m.contains("Value at 'username' failed to satisfy constraint: Member must not be null"),
        "{m}"
    );
    assert!(m.contains("Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null"), "{m}");
    let m = message(
        "AdminDeleteUserAttributes",
        json!({"UserPoolId": "bad pool", "Username": "u", "UserAttributeNames": [""]}),
    )
    .unwrap();
    assert!(m.contains("Value 'bad pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"), "{m}");
    assert!(m.contains("Value '' at 'userAttributeNames.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{m}");
}

#[test]
fn add_custom_attributes_inputs_are_validated() {
    let ok = json!({"UserPoolId": "us-east-1_abc", "CustomAttributes": [{"Name": "tier", "AttributeDataType": "String"}]});
    assert_eq!(validate_input("AddCustomAttributes", &ok), vec![]);
    let m = message(
        "AddCustomAttributes",
        json!({"UserPoolId": "us-east-1_abc", "CustomAttributes": []}),
    )
    .unwrap();
    assert_eq!(
        m,
        "1 validation error detected: Value '[]' at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
    let many: Vec<_> = (0..26)
        .map(|i| json!({"Name": format!("a{i}"), "AttributeDataType": "String"}))
        .collect();
    let v = validate_input(
        "AddCustomAttributes",
        &json!({"UserPoolId": "us-east-1_abc", "CustomAttributes": many}),
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].path, "customAttributes");
    assert_eq!(
        v[0].constraint.to_string(),
        "Member must have length less than or equal to 25"
    );
    let m = message(
        "AddCustomAttributes",
        json!({"UserPoolId": "us-east-1_abc", "CustomAttributes": [{"Name": "a".repeat(21), "AttributeDataType": "Text"}]}),
    )
    .unwrap();
    assert!(m.starts_with("2 validation errors detected: "), "{m}");
    assert!(m.contains("at 'customAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20"), "{m}");
    assert!(m.contains("Value 'Text' at 'customAttributes.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, DateTime, Boolean]"), "{m}");
    let m = message(
        "AddCustomAttributes",
        json!({"UserPoolId": "us-east-1_abc", "CustomAttributes": [{"Name": "has space", "AttributeDataType": "String"}]}),
    )
    .unwrap();
    assert!(m.contains("Value 'has space' at 'customAttributes.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"), "{m}");
}

#[test]
fn get_user_attribute_verification_code_inputs_are_validated() {
    assert_eq!(
        validate_input(
            "GetUserAttributeVerificationCode",
            &json!({"AccessToken": "a.b", "AttributeName": "email", "ClientMetadata": {"k": "v"}})
        ),
        vec![]
    );
    let m = message("GetUserAttributeVerificationCode", json!({})).unwrap();
    assert_eq!(
        m,
        "2 validation errors detected: Value at 'accessToken' failed to satisfy constraint: Member must not be null; Value null at 'attributeName' failed to satisfy constraint: Member must not be null"
    );
    let m = message(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": "secret token", "AttributeName": ""}),
    )
    .unwrap();
    assert!(!m.contains("secret"), "{m}");
    assert!(m.contains("Value '' at 'attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{m}");
}
