//! Where each expectation of the oracle comes from: the same citations the catalogue's
//! fixtures give for the same behaviour (`../shared/contract/evidence.md`), so that a saved
//! failure cites its evidence like every other fixture.

use crate::case::fixture::Evidence;
use crate::contract::rules::RuleError;
use crate::vocab::EvidenceLevel;
use crate::vocab::RuleId;

/// Evidence with the requirement it supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    /// documented, observed or inferred.
    pub level: EvidenceLevel,
    /// Citation.
    pub source: String,
    /// The documented behaviour, in our words.
    pub requirement: String,
}

impl Cite {
    fn new(level: EvidenceLevel, source: &str, requirement: &str) -> Cite {
        Cite {
            level,
            source: source.to_string(),
            requirement: requirement.to_string(),
        }
    }

    /// As a fixture's `evidence`.
    pub fn evidence(&self) -> Evidence {
        Evidence {
            level: self.level,
            source: self.source.clone(),
        }
    }
}

const VALIDATION_FORMAT: &str = "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest";

/// Protocol faults (routing, JSON syntax): inferred, with the fixtures' source.
pub fn protocol(source: &str) -> Cite {
    Cite::new(
        EvidenceLevel::Inferred,
        source,
        "AWS JSON 1.1 selects the operation by X-Amz-Target and reads an application/x-amz-json-1.1 JSON body; a request that cannot be routed or read is rejected with a 4xx and nothing happens.",
    )
}

/// A value of the wrong JSON type.
pub fn json_types() -> Cite {
    Cite::new(
        EvidenceLevel::Observed,
        "aws-amplify/amplify-js#5165; aws-amplify/amplify-js#4738 (SerializationException on other Cognito operations)",
        "The body is deserialized into the operation's input shape; a value of the wrong JSON type fails with SerializationException and nothing happens.",
    )
}

/// A service-model constraint violation.
pub fn validation() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        &format!(
            "service model (botocore cognito-idp 2016-04-18: required, min, max, pattern); message format observed in {VALIDATION_FORMAT}"
        ),
        "Input members are validated against the service model's constraints; every violation is reported in one InvalidParameterException and nothing happens.",
    )
}

/// A token that is not an access token at all.
pub fn garbage_token() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "API reference: NotAuthorizedException (the access token is not valid)",
        "Only a valid access token authorizes the call; anything else is refused with NotAuthorizedException and nothing happens.",
    )
}

/// A token revoked by GlobalSignOut.
pub fn revoked() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "GlobalSignOut API reference; aws-amplify/amplify-js#3435; aws-amplify/amplify-js#2205",
        "GlobalSignOut revokes the user's access tokens; a revoked token authorizes nothing afterwards.",
    )
}

/// The token of a user that deleted itself.
pub fn deleted_user() -> Cite {
    Cite::new(
        EvidenceLevel::Inferred,
        "inferred: evidence.md open question (token used after the user was deleted); NotAuthorizedException and UserNotFoundException are both in the operation's error list",
        "A token whose user no longer exists authorizes nothing; the user stays deleted.",
    )
}

/// A successful UpdateUserAttributes.
pub fn update_applies() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "API reference: UpdateUserAttributes",
        "UpdateUserAttributes stores the new value of every attribute it writes (a blank value deletes an optional attribute) and leaves the others unchanged; attributes that need no verification send no code.",
    )
}

/// An e-mail change in a pool that auto-verifies e-mail.
pub fn verification() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "developer guide (email and phone verification); aws/aws-sdk-net#925",
        "Changing email in a pool that auto-verifies email stores the new address as unverified (or keeps the verified one pending verification when the pool requires verification before update) and sends a code by email.",
    )
}

/// A successful DeleteUserAttributes.
pub fn delete_applies() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "API reference: DeleteUserAttributes",
        "DeleteUserAttributes removes the named attributes (names the user lacks are fine) and leaves every other attribute as it was.",
    )
}

/// A successful DeleteUser.
pub fn delete_user() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "API reference: DeleteUser; cognito-local#380",
        "DeleteUser deletes the user the access token belongs to; its tokens stop working.",
    )
}

/// GetUser.
pub fn get_user() -> Cite {
    Cite::new(
        EvidenceLevel::Documented,
        "API reference: GetUser",
        "GetUser returns the signed-in user's attributes as stored.",
    )
}

/// A refusal by one attribute rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Kebab-case name.
    pub label: &'static str,
    /// What is refused, as in "UpdateUserAttributes refuses <phrase>".
    pub phrase: &'static str,
    /// Evidence for UpdateUserAttributes.
    pub cite: Cite,
}

/// The rule behind a refusal: the rule the contract names, never recovered from a message.
pub fn rule(e: &RuleError) -> Rule {
    rule_of(e.rule)
}

/// The citation of an attribute rule.
pub fn rule_of(id: RuleId) -> Rule {
    let (phrase, level, source, requirement) = RULES
        .iter()
        .find(|(r, ..)| *r == id)
        .map(|(_, p, lv, s, r)| (*p, *lv, *s, *r))
        .unwrap_or((
            "a write the attribute rules forbid",
            EvidenceLevel::Inferred,
            "inferred: contract/rules.rs",
            "Writes the attribute rules forbid are refused and change nothing.",
        ));
    Rule {
        label: id.label(),
        phrase,
        cite: Cite::new(level, source, requirement),
    }
}

/// The DeleteUserAttributes version of an UpdateUserAttributes rule: inferred by mirroring.
pub fn mirrored(update: &Cite) -> Cite {
    Cite {
        level: EvidenceLevel::Inferred,
        source: format!(
            "inferred: mirror of the UpdateUserAttributes rule (evidence.md open question: DeleteUserAttributes on required/immutable/unknown attributes); {}",
            update.source
        ),
        requirement: update.requirement.clone(),
    }
}

type RuleRow = (
    RuleId,
    &'static str,
    EvidenceLevel,
    &'static str,
    &'static str,
);

const RULES: &[RuleRow] = &[
    (
        RuleId::NotInSchema,
        "an attribute the pool's schema lacks",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest; aws-amplify/amplify-js#2167 (AdminUpdateUserAttributes and SignUp variants)",
        "Only attributes of the pool's schema exist (custom ones carry the custom: prefix); naming another is refused with InvalidParameterException and nothing changes.",
    ),
    (
        RuleId::Sub,
        "the attribute sub",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest (AdminUpdateUserAttributes variant)",
        "sub identifies the user and can never change; the request is refused and nothing changes.",
    ),
    (
        RuleId::Immutable,
        "an immutable attribute",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest; aws-amplify/amplify-swift#3981",
        "Attributes marked immutable in the pool schema can only be set at sign-up; the request is refused and nothing changes.",
    ),
    (
        RuleId::ClientNotAllowed,
        "an attribute outside the app client's write permissions",
        EvidenceLevel::Documented,
        "developer guide (user pool attributes, app client write permissions); message observed on SignUp in aws/aws-sdk-js#1084",
        "An app client may only write the attributes in its WriteAttributes; any other is refused with NotAuthorizedException and nothing changes.",
    ),
    (
        RuleId::Required,
        "removing a required attribute",
        EvidenceLevel::Observed,
        "aws-amplify/aws-sdk-ios#4251",
        "A required attribute cannot be removed (a blank value or a delete); the request is refused and nothing changes.",
    ),
    (
        RuleId::CustomStringLength,
        "a custom string outside its length constraints",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest (AdminUpdateUserAttributes variant)",
        "A custom string attribute must respect its StringAttributeConstraints; a value out of bounds is refused and nothing changes.",
    ),
    (
        RuleId::InvalidEmail,
        "a malformed e-mail address",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest; aws-amplify/amplify-js#4176",
        "email must be an e-mail address; anything else is refused and nothing changes.",
    ),
    (
        RuleId::InvalidPhoneNumber,
        "a malformed phone number",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest; aws-amplify/amplify-js#8274",
        "phone_number must be in E.164 format (+ and up to 15 digits); anything else is refused and nothing changes.",
    ),
    (
        RuleId::ValueMissing,
        "an attribute without a value",
        EvidenceLevel::Observed,
        "iampanupat/CS499-AlphanahBackend AccountServiceUnitTest (AdminUpdateUserAttributes variant)",
        "Every written attribute needs a Value; one without is refused and nothing changes.",
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::contract::rules::{Actor, Change, plan_update};
    use crate::contract::schema::{PoolSchema, WriteScope};

    /// Every rule the generator breaks has its own citation (no fallback), and the contract
    /// names the rule of each refusal by id.
    #[test]
    fn every_generated_rule_is_cited_and_named_by_id() {
        for id in crate::generate::attributes::GENERATED_RULES {
            assert!(
                RULES.iter().any(|(r, ..)| *r == id),
                "{id:?} has no citation"
            );
        }
        let def = crate::target::provision::pool_definition("p", Default::default(), "t");
        let schema = PoolSchema::from_create_input(def.as_object().unwrap()).unwrap();
        let scope = WriteScope::Only(["name".to_string()].into());
        let user = BTreeMap::from([("email".to_string(), "a@b.c".to_string())]);
        let writes: [(&str, Option<&str>, RuleId); 9] = [
            ("nope", Some("x"), RuleId::NotInSchema),
            ("sub", Some("x"), RuleId::Sub),
            ("custom:badge", Some("x"), RuleId::Immutable),
            ("nickname", Some("x"), RuleId::ClientNotAllowed),
            ("email", Some(""), RuleId::Required),
            ("custom:tier", Some("ab"), RuleId::CustomStringLength),
            ("email", Some("no-at-sign"), RuleId::InvalidEmail),
            ("phone_number", Some("555"), RuleId::InvalidPhoneNumber),
            ("name", None, RuleId::ValueMissing),
        ];
        for (n, v, want) in writes {
            let actor = if want == RuleId::ClientNotAllowed {
                Actor::Client(&scope)
            } else {
                Actor::Admin
            };
            let change = Change {
                name: n.to_string(),
                value: v.map(str::to_string),
            };
            let e = plan_update(&schema, actor, &user, &[change], &|_, _| false).unwrap_err();
            assert_eq!(e.rule, want, "{e}");
            assert_eq!(rule(&e).label, want.label());
        }
    }
}
