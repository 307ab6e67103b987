//! Which requirements of the registry (`contract/requirements.toml`) each property and each
//! answer of the oracle check, by id. The statements and the evidence live in the registry
//! only; a test checks that every id here is one of it.

use crate::contract::Model;
use crate::contract::json_types::TypeFault;
use crate::contract::validate::{Constraint as ValidationConstraint, Violation};
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

/// The member a constraint is on, as the registry tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    AccessToken,
    AttributeName,
    AttributeValue,
    ClientMetadata,
    Other,
}

/// The member at a validation message's path (`userAttributes.1.member.name`).
fn member_at(path: &str) -> Member {
    if path == "accessToken" {
        Member::AccessToken
    } else if path.starts_with("clientMetadata") {
        Member::ClientMetadata
    } else if path.starts_with("userAttributeNames") || path.ends_with(".name") {
        Member::AttributeName
    } else if path.ends_with(".value") {
        Member::AttributeValue
    } else {
        Member::Other
    }
}

/// The member a constraint of the model is on, by its shape.
fn member_of(c: &Constraint) -> Member {
    match c.shape.as_str() {
        "TokenModelType" => Member::AccessToken,
        "AttributeNameType" => Member::AttributeName,
        "AttributeValueType" => Member::AttributeValue,
        _ if c.path.kebab().starts_with("client-metadata") => Member::ClientMetadata,
        _ => Member::Other,
    }
}

/// The requirement a constraint violation on `member` breaks.
fn validation_of(member: Member, missing: bool) -> &'static str {
    match (missing, member) {
        (true, Member::AccessToken) => "validation.access-token-missing",
        (true, _) => "validation.required-member-missing",
        (false, Member::AccessToken) => "validation.access-token-pattern",
        (false, Member::AttributeName) => "validation.attribute-name",
        (false, Member::AttributeValue) => "validation.attribute-value-length",
        (false, Member::ClientMetadata) => "validation.client-metadata-length",
        (false, Member::Other) => "validation.required-member-missing",
    }
}

/// Input that breaks the service model's constraints.
pub fn validation(violations: &[Violation]) -> Ids {
    let mut ids: Ids = Vec::new();
    for v in violations {
        let missing = v.constraint == ValidationConstraint::NotNull;
        let id = validation_of(member_at(&v.path), missing);
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
        Fault::Missing | Fault::Null => refusal(&[validation_of(member, true)]),
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
            let mut ids = refusal(&[validation_of(member, false)]);
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
