//! Which requirements of the registry (`contract/requirements.toml`) each property and each
//! answer of the oracle check, by id. The statements and the evidence live in the registry
//! only; a test checks that every id here is one of it.

use crate::contract::Model;
use crate::contract::custom_attributes::CustomAttributeError;
use crate::contract::json_types::TypeFault;
use crate::contract::validate::{Member, Violation, requirement_of};
use crate::contract::verification::VerificationError;
use crate::generate::invalid::{Constraint, Fault};
use crate::generate::protocol::ProtocolFault;
use crate::vocab::RuleId;

/// Requirement ids.
pub type Ids = Vec<&'static str>;

/// Every refusal is an AWS JSON 1.1 error.
const WIRE: &str = "protocol.error-wire-format";

/// The requirements a refusal checks: `ids`, and the error's wire format.
fn refusal(ids: &[&'static str]) -> Ids {
    let mut v = ids.to_vec();
    v.push(WIRE);
    v
}

/// A body that is not JSON.
pub fn malformed_json() -> Ids {
    refusal(&["protocol.malformed-json"])
}

/// A request that cannot be routed to an operation.
pub fn unroutable() -> Ids {
    refusal(&["protocol.unroutable-post"])
}

/// A protocol fault, by the requirements its accepted answers come from.
pub fn protocol_fault(fault: &ProtocolFault) -> Ids {
    refusal(fault.accepted().requirements)
}

/// A value of the wrong JSON type, by what was wrong.
pub fn json_type(fault: TypeFault) -> Ids {
    refusal(&[match fault {
        TypeFault::ObjectWhereScalarOrList => "protocol.object-where-scalar-or-list",
        TypeFault::ArrayWhereScalarOrMap => "protocol.array-where-scalar-or-map",
        TypeFault::ScalarWhereMap => "protocol.scalar-where-map",
        TypeFault::ScalarWhereListOrStructure => "protocol.scalar-where-list-or-structure",
        TypeFault::ScalarWhereScalar => "protocol.number-or-boolean-where-string",
    }])
}

/// The member a constraint of the model is on, by its shape.
fn member_of(c: &Constraint) -> Member {
    match c.shape.as_str() {
        "TokenModelType" => Member::AccessToken,
        "AttributeNameType" => Member::AttributeName,
        "AttributeValueType" => Member::AttributeValue,
        "UserPoolIdType" => Member::UserPoolId,
        "UsernameType" => Member::Username,
        "CustomAttributesListType" => Member::CustomAttributes,
        "CustomAttributeNameType" => Member::CustomAttributeName,
        "AttributeDataType" => Member::CustomAttributeType,
        _ if c.path.kebab().starts_with("client-metadata") => Member::ClientMetadata,
        _ => Member::Other,
    }
}

/// Input that breaks the service model's constraints.
pub fn validation(violations: &[Violation]) -> Ids {
    let mut ids: Ids = Vec::new();
    for v in violations {
        let id = requirement_of(v);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if violations.len() > 1 {
        ids.push("validation.all-violations-listed");
    }
    refusal(&ids)
}

/// A property breaking one constraint of the model.
pub fn constraint(c: &Constraint) -> Ids {
    let member = member_of(c);
    match c.fault {
        Fault::Missing | Fault::Null => refusal(&[member.requirement(true)]),
        Fault::WrongType => {
            let kind = Model::get()
                .shape(&c.shape)
                .map(|s| s.kind.clone())
                .unwrap_or_default();
            let faults: &[TypeFault] = match (c.path.0.is_empty(), kind.as_str()) {
                (true, _) => &[
                    TypeFault::ScalarWhereListOrStructure,
                    TypeFault::ArrayWhereScalarOrMap,
                ],
                (false, "map") => &[TypeFault::ScalarWhereMap, TypeFault::ArrayWhereScalarOrMap],
                (false, "list" | "structure") => &[
                    TypeFault::ScalarWhereListOrStructure,
                    TypeFault::ObjectWhereScalarOrList,
                ],
                _ => &[
                    TypeFault::ScalarWhereScalar,
                    TypeFault::ObjectWhereScalarOrList,
                    TypeFault::ArrayWhereScalarOrMap,
                ],
            };
            let mut ids: Ids = faults.iter().map(|f| json_type(*f)[0]).collect();
            ids.push(WIRE);
            ids
        }
        Fault::TooShort | Fault::TooLong | Fault::Pattern => {
            let mut ids = refusal(&[member.requirement(false)]);
            if c.fault == Fault::TooShort && c.shape == "AttributeNameType" {
                // An empty name also breaks the pattern: both violations are listed.
                ids.insert(1, "validation.all-violations-listed");
            }
            ids
        }
    }
}

/// A token that is not an access token at all.
pub fn garbage_token() -> Ids {
    refusal(&["token.garbage"])
}

/// A token revoked by GlobalSignOut.
pub fn revoked() -> Ids {
    refusal(&["token.revoked"])
}

/// The token of a user that deleted itself.
pub fn deleted_user() -> Ids {
    refusal(&["token.deleted-user"])
}

/// A successful UpdateUserAttributes.
pub fn update_applies() -> Ids {
    vec![
        "success.update-applies",
        "success.blank-deletes-optional",
        "success.update-response",
        "success.token-survives-attribute-change",
    ]
}

/// An e-mail change in a pool that auto-verifies e-mail.
pub fn verification() -> Ids {
    vec![
        "verification.email-change-sends-code",
        "verification.verify-before-update",
        "verification.code-destination-masked",
        "success.update-applies",
    ]
}

/// A successful DeleteUserAttributes.
pub fn delete_applies() -> Ids {
    vec![
        "success.delete-removes-named",
        "success.delete-absent-or-empty",
    ]
}

/// An administrator call naming a pool that does not exist.
pub fn unknown_pool() -> Ids {
    refusal(&["admin.unknown-pool"])
}

/// An administrator call naming a user that does not exist.
pub fn unknown_user() -> Ids {
    refusal(&["admin.unknown-user"])
}

/// A successful AdminDeleteUserAttributes: the named attributes gone, an empty answer.
pub fn admin_delete_applies() -> Ids {
    let mut ids = delete_applies();
    ids.push("success.empty-output-body");
    ids
}

/// An AdminUpdateUserAttributes that changes an auto-verified e-mail address (the answer is
/// `{}`: the code itself is not visible, the unverified state is).
pub fn admin_verification() -> Ids {
    vec![
        "verification.email-change-sends-code",
        "verification.verify-before-update",
        "success.update-applies",
    ]
}

/// GetUserAttributeVerificationCode sending a code. (Whether it goes to the current value or
/// one waiting for verification does not show: both mask alike, `c***@e***`; fixtures with a
/// distinct pending address check that.)
pub fn verification_code_sent() -> Ids {
    vec![
        "verification-code.sends-code",
        "verification.code-destination-masked",
    ]
}

/// GetUserAttributeVerificationCode refusing the attribute.
pub fn verification_code_refusal(e: &VerificationError) -> Ids {
    refusal(&[match e {
        VerificationError::NotVerifiable => "verification-code.attribute-name",
        _ => "verification-code.attribute-without-value",
    }])
}

/// AddCustomAttributes adding new attributes.
pub fn custom_attributes_added() -> Ids {
    vec!["custom-attribute.data-types", "success.empty-output-body"]
}

/// AddCustomAttributes refusing a definition.
pub fn custom_attribute_refusal(e: &CustomAttributeError) -> Ids {
    refusal(&[match e {
        // A missing name is a name shorter than its one character.
        CustomAttributeError::MissingName => "custom-attribute.name-length",
        CustomAttributeError::InvalidDataType => "custom-attribute.invalid-data-type",
        CustomAttributeError::RequiredCustom => "custom-attribute.required-unsupported",
        CustomAttributeError::Exists(_) => "custom-attribute.duplicate-name",
        CustomAttributeError::TooMany { .. } => "custom-attribute.limit-50",
        _ => "custom-attribute.data-types",
    }])
}

/// A successful DeleteUser.
pub fn delete_user() -> Ids {
    vec![
        "success.delete-user",
        "success.empty-output-body",
        "token.deleted-user",
    ]
}

/// GetUser returns the stored attributes.
pub fn get_user() -> Ids {
    vec![
        "success.update-applies",
        "success.token-survives-attribute-change",
    ]
}

/// GlobalSignOut revokes the tokens.
pub fn sign_out() -> Ids {
    vec!["token.revoked"]
}

/// A write an attribute rule refuses (UpdateUserAttributes).
pub fn update_rule(rule: RuleId) -> Ids {
    refusal(&[
        match rule {
            RuleId::NotInSchema => "attribute.not-in-schema",
            RuleId::Sub => "attribute.sub",
            RuleId::Immutable => "attribute.immutable",
            RuleId::ClientNotAllowed => "attribute.client-not-allowed",
            RuleId::Required => "attribute.required",
            RuleId::CustomStringLength => "attribute.custom-string-length",
            RuleId::InvalidEmail => "attribute.invalid-email",
            RuleId::InvalidPhoneNumber => "attribute.invalid-phone-number",
            RuleId::ValueMissing => "attribute.value-missing",
            RuleId::AliasExists => "attribute.username-pool-duplicate-email",
        },
        "attribute.all-or-nothing",
    ])
}

/// A name an attribute rule refuses to delete (DeleteUserAttributes).
pub fn delete_rule(rule: RuleId) -> Ids {
    refusal(&[
        match rule {
            RuleId::NotInSchema => "attribute.delete-not-in-schema",
            RuleId::Sub => "attribute.delete-sub",
            RuleId::Immutable => "attribute.delete-immutable",
            RuleId::ClientNotAllowed => "attribute.delete-client-not-allowed",
            RuleId::Required => "attribute.delete-required",
            // A delete has no value to get wrong.
            _ => "attribute.all-or-nothing",
        },
        "attribute.all-or-nothing",
    ])
}

/// The stateful sequences: every behaviour a call of a sequence can show.
pub fn sequence() -> Ids {
    let mut ids = update_applies();
    ids.extend(delete_applies());
    ids.extend(delete_user());
    ids.extend(sign_out());
    ids.extend(verification());
    for r in crate::generate::attributes::GENERATED_RULES {
        ids.extend(update_rule(r));
        ids.extend(delete_rule(r));
    }
    let mut seen = std::collections::BTreeSet::new();
    ids.retain(|id| seen.insert(*id));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Registry;

    #[test]
    fn every_cited_id_is_a_requirement() {
        let registry = Registry::get();
        let mut all = sequence();
        all.extend(malformed_json());
        all.extend(unroutable());
        for f in [
            ProtocolFault::MissingTarget,
            ProtocolFault::WrongMethod("GET".into()),
            ProtocolFault::Truncated(1),
        ] {
            all.extend(protocol_fault(&f));
        }
        all.extend(garbage_token());
        all.extend(get_user());
        for f in [
            TypeFault::ObjectWhereScalarOrList,
            TypeFault::ArrayWhereScalarOrMap,
            TypeFault::ScalarWhereMap,
            TypeFault::ScalarWhereListOrStructure,
            TypeFault::ScalarWhereScalar,
        ] {
            all.extend(json_type(f));
        }
        for p in super::super::catalogue() {
            all.extend(p.requirements.iter().copied());
        }
        for id in all {
            assert!(
                registry.requirement(id).is_some(),
                "`{id}` is not in the registry"
            );
        }
    }
}
