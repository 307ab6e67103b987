//! Deliberate breaks: the reference made to violate one requirement of the registry
//! (`contract/requirements.toml`) on request, the way an emulator plausibly might, so the suite
//! can show that some case catches every violation: its own mutation score
//! (`docs/detection.md`). `serve --break ID` and [`super::ReferenceConfig::breaking`] switch
//! them on; nothing else does.
//!
//! [`TABLE`] is the whole mapping, requirement -> mutation. Each break has one switch point,
//! an `if breaks.has(Break::X)` (or a waived rule, [`Break::waiver`]) where the rule lives, which
//! the table names. A requirement the table lacks either has no case yet or says in the
//! registry why it cannot be broken alone (`unbreakable`).

use std::collections::BTreeSet;
use std::fmt;

use crate::contract::Registry;
use crate::contract::json_types::TypeFault;
use crate::contract::rules::Waivers;
use crate::vocab::RuleId;

mod table;
pub use table::TABLE;

/// One deliberate violation, named after what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Break {
    /// protocol.error-wire-format
    QueryStyleErrors,
    /// protocol.internal-error
    FaultAs400,
    /// protocol.throttling
    ThrottlingAs429,
    /// protocol.malformed-json
    MalformedJsonCrashes,
    /// protocol.empty-body
    EmptyBodyCrashes,
    /// protocol.unroutable-post
    ContentTypeIgnored,
    /// protocol.unroutable-get
    GetDispatched,
    /// protocol.object-where-scalar-or-list
    ObjectWhereScalarCrashes,
    /// protocol.scalar-where-map
    ScalarWhereMapCrashes,
    /// protocol.array-where-scalar-or-map
    ArrayWhereScalarCrashes,
    /// protocol.scalar-where-list-or-structure
    ScalarWhereListCrashes,
    /// protocol.number-or-boolean-where-string
    NumberWhereStringCrashes,
    /// auth.unsigned-request
    UnsignedAccepted,
    /// auth.unrecognized-client
    UnknownKeyAccepted,
    /// auth.invalid-signature
    SignatureNotVerified,
    /// auth.signature-expired
    StaleSignatureAccepted,
    /// auth.access-denied
    IamNotEvaluated,
    /// auth.token-operations-unsigned
    TokenOperationsSigned,
    /// token.garbage
    GarbageTokenCrashes,
    /// token.signature-invalid
    SignatureUnchecked,
    /// token.not-access-token
    AnyIssuedToken,
    /// token.expired
    ExpiryUnchecked,
    /// token.revoked
    RevocationUnchecked,
    /// token.missing-scope
    ScopeUnchecked,
    /// token.deleted-user
    DeletedUserNoOp,
    /// token.disabled-user
    DisableKeepsTokens,
    /// token.unconfirmed-user
    ConfirmationUnchecked,
    /// token.deleted-pool
    DeletedPoolAsNoUser,
    /// validation.access-token-missing
    MissingTokenAsInvalid,
    /// validation.access-token-pattern
    TokenPatternUnchecked,
    /// validation.required-member-missing
    MissingListAsEmpty,
    /// validation.attribute-name
    NameConstraintsUnchecked,
    /// validation.all-violations-listed
    FirstViolationOnly,
    /// validation.attribute-value-length
    LongValuesStored,
    /// validation.client-metadata-length
    MetadataLengthUnchecked,
    /// validation.user-pool-id
    PoolIdUnchecked,
    /// validation.username
    UsernameUnchecked,
    /// attribute.not-in-schema
    UnknownAttributesStored,
    /// attribute.sub
    SubWritable,
    /// attribute.immutable
    ImmutableOverwritten,
    /// attribute.value-missing
    NullValueDeletes,
    /// attribute.several-schema-errors
    FirstUnknownOnly,
    /// attribute.null-before-immutable
    ImmutableBeforeNull,
    /// attribute.unknown-via-restricted-client
    RestrictedUnknownCrashes,
    /// attribute.client-not-allowed
    ClientScopeIgnored,
    /// attribute.required
    RequiredBlankable,
    /// attribute.custom-string-length
    CustomLengthUnchecked,
    /// attribute.invalid-email
    EmailFormatUnchecked,
    /// attribute.invalid-phone-number
    PhoneFormatUnchecked,
    /// attribute.all-or-nothing
    PartialWrites,
    /// attribute.alias-pool-duplicate-email
    AliasTakenRefused,
    /// attribute.username-pool-duplicate-email
    UsernameEmailTakenAccepted,
    /// attribute.verified-flags-self-service
    VerifiedFlagsWrittenThenRefused,
    /// attribute.duplicate-names
    DuplicateNamesCrash,
    /// attribute.delete-required
    RequiredDeletable,
    /// attribute.delete-sub
    SubDeletable,
    /// attribute.delete-immutable
    ImmutableDeletable,
    /// attribute.delete-not-in-schema
    UnknownDeleteAccepted,
    /// attribute.delete-client-not-allowed
    DeleteScopeIgnored,
    /// success.update-applies
    FirstAttributeOnly,
    /// success.blank-deletes-optional
    BlankStored,
    /// success.custom-string-bounds-inclusive
    ExclusiveBounds,
    /// success.client-metadata-not-stored
    MetadataStored,
    /// success.client-write-permissions
    RestrictedClientReadOnly,
    /// success.update-response
    UpdateAnswersEmpty,
    /// success.update-empty-list
    EmptyListCrashes,
    /// success.delete-removes-named
    FirstNameDeletedOnly,
    /// success.delete-absent-or-empty
    AbsentDeleteRefused,
    /// success.empty-output-body
    NullOutputBody,
    /// success.delete-user
    DeleteUserKeepsUser,
    /// success.token-survives-attribute-change
    ChangeSignsOut,
    /// verification.email-change-sends-code
    EmailStoredVerified,
    /// verification.verify-before-update
    PendingValueApplied,
    /// verification.no-code-without-auto-verify
    PhoneAutoVerified,
    /// verification.code-destination-masked
    DestinationUnmasked,
    /// verification.same-value-no-code
    SameValueSendsCode,
    /// verification.code-delivery-failure
    DeliveryFailureAsInternal,
    /// protocol.client-content-types
    ClientContentTypeCrashes,
    /// protocol.error-message-string
    MessageAsList,
    /// verification.admin-sets-verified
    AdminVerifiedFlagIgnored,
    /// custom-attribute.duplicate-name
    DuplicateCustomIgnored,
    /// custom-attribute.name-length
    CustomNameLengthUnchecked,
    /// custom-attribute.list-bounds
    CustomListBoundsUnchecked,
    /// custom-attribute.required-unsupported
    RequiredCustomAccepted,
    /// custom-attribute.invalid-data-type
    DataTypeDefaultsToString,
    /// custom-attribute.data-types
    OnlyStringAndNumberTypes,
    /// custom-attribute.prefix-added
    CustomPrefixNotRepeated,
    /// custom-attribute.defaults
    MutableByDefault,
    /// custom-attribute.writable-after-add
    AddedAttributesImmutable,
    /// custom-attribute.client-permissions-not-granted
    AddedAttributesGrantedToClients,
    /// custom-attribute.developer-only
    DeveloperOnlyClientWritable,
    /// custom-attribute.limit-50
    CustomAttributeLimitUnchecked,
    /// custom-attribute.permanent
    RedefinitionAccepted,
    /// custom-attribute.standard-name
    StandardNameRedefined,
    /// verification-code.attribute-name
    AnyAttributeGetsCode,
    /// verification-code.sends-code
    CodeRequestAnswersEmpty,
    /// verification-code.attribute-without-value
    MissingValueCrashesMailer,
    /// verification-code.already-verified
    CodeRequestUnverifies,
    /// verification-code.pending-update-targets-current
    CodeToPendingValue,
    /// admin.unknown-pool
    UnknownPoolAsNoUser,
    /// admin.unknown-user
    UnknownUserNoOp,
    /// admin.username-forms
    UsernameOnly,
    /// admin.no-client-permissions
    AdminHeldToClientScope,
    /// admin.user-status
    InactiveUserHidden,
}

/// Which tier of a case a break shows in: the contract (status, error type, body shape, state)
/// or only the strict detail (a message's wording), for requirements that are about wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// A case fails.
    Contract,
    /// A case's strict tier differs (`non-strict`): the requirement is about exact text.
    Strict,
}

/// One row of [`TABLE`].
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The break.
    pub name: Break,
    /// The requirement it violates.
    pub requirement: &'static str,
    /// Which tier of a case shows it.
    pub shows: Shows,
    /// What the broken reference does instead (and where the switch is).
    pub mutation: &'static str,
}

const fn row(
    name: Break,
    requirement: &'static str,
    shows: Shows,
    mutation: &'static str,
) -> Entry {
    Entry {
        name,
        requirement,
        shows,
        mutation,
    }
}

use Break as B;

impl Break {
    /// Its row of [`TABLE`].
    pub fn entry(self) -> &'static Entry {
        TABLE
            .iter()
            .find(|e| e.name == self)
            .unwrap_or_else(|| unreachable!("every break has a row (a unit test checks)"))
    }

    /// The requirement it violates.
    pub fn requirement(self) -> &'static str {
        self.entry().requirement
    }

    /// The break of requirement `id`.
    pub fn of(id: &str) -> Result<Break, BreakError> {
        if let Some(e) = TABLE.iter().find(|e| e.requirement == id) {
            return Ok(e.name);
        }
        let registry = Registry::get();
        match registry.requirement(id) {
            Some(r) => Err(BreakError::NotBreakable {
                id: id.to_string(),
                why: r.unbreakable.clone().unwrap_or_else(|| {
                    "no break is implemented for it yet (reference::breaks::TABLE)".to_string()
                }),
            }),
            None => Err(BreakError::Unknown {
                id: id.to_string(),
                close: close_ids(id, registry),
            }),
        }
    }

    /// The rule of `contract::rules` it waives in attribute writes (updates), if that is how it
    /// breaks its requirement.
    fn update_waiver(self) -> Option<RuleId> {
        Some(match self {
            B::UnknownAttributesStored => RuleId::NotInSchema,
            B::SubWritable => RuleId::Sub,
            B::ImmutableOverwritten => RuleId::Immutable,
            B::NullValueDeletes => RuleId::ValueMissing,
            B::ClientScopeIgnored => RuleId::ClientNotAllowed,
            B::RequiredBlankable => RuleId::Required,
            B::CustomLengthUnchecked => RuleId::CustomStringLength,
            B::EmailFormatUnchecked => RuleId::InvalidEmail,
            B::PhoneFormatUnchecked => RuleId::InvalidPhoneNumber,
            B::UsernameEmailTakenAccepted => RuleId::AliasExists,
            _ => return None,
        })
    }

    /// The rule it waives in attribute deletes, if that is how it breaks its requirement.
    fn delete_waiver(self) -> Option<RuleId> {
        Some(match self {
            B::RequiredDeletable => RuleId::Required,
            B::SubDeletable => RuleId::Sub,
            B::ImmutableDeletable => RuleId::Immutable,
            B::UnknownDeleteAccepted => RuleId::NotInSchema,
            B::DeleteScopeIgnored => RuleId::ClientNotAllowed,
            _ => return None,
        })
    }

    /// The JSON type fault it lets escape as a 500, if that is how it breaks its requirement.
    fn crashes_on(self) -> Option<TypeFault> {
        Some(match self {
            B::ObjectWhereScalarCrashes => TypeFault::ObjectWhereScalarOrList,
            B::ScalarWhereMapCrashes => TypeFault::ScalarWhereMap,
            B::ArrayWhereScalarCrashes => TypeFault::ArrayWhereScalarOrMap,
            B::ScalarWhereListCrashes => TypeFault::ScalarWhereListOrStructure,
            B::NumberWhereStringCrashes => TypeFault::ScalarWhereScalar,
            _ => return None,
        })
    }

    /// Whether it drops the model-constraint violations of its requirement (validation.*).
    fn drops_violations(self) -> bool {
        matches!(
            self,
            B::TokenPatternUnchecked
                | B::MissingListAsEmpty
                | B::NameConstraintsUnchecked
                | B::LongValuesStored
                | B::MetadataLengthUnchecked
                | B::PoolIdUnchecked
                | B::UsernameUnchecked
                | B::CustomNameLengthUnchecked
                | B::CustomListBoundsUnchecked
                | B::DataTypeDefaultsToString
        )
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.requirement())
    }
}

/// Requirement ids near `id`, for a typo.
fn close_ids(id: &str, registry: &Registry) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = registry
        .requirements
        .iter()
        .map(|r| (strsim::jaro_winkler(id, &r.id), r.id.as_str()))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(5)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// A break that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BreakError {
    /// No requirement has this id.
    #[error("`{id}` is not a requirement of contract/requirements.toml{}", suggest(.close))]
    Unknown {
        /// The id given.
        id: String,
        /// Requirement ids close to it.
        close: Vec<String>,
    },
    /// The requirement has no break.
    #[error("requirement `{id}` cannot be broken: {why}")]
    NotBreakable {
        /// The requirement.
        id: String,
        /// Why.
        why: String,
    },
}

fn suggest(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    }
}

/// The breaks a reference is started with (none by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breaks(BTreeSet<Break>);

impl Breaks {
    /// No break: the reference keeps the contract.
    pub fn none() -> Breaks {
        Breaks::default()
    }

    /// The breaks of these requirement ids.
    pub fn parse<S: AsRef<str>>(ids: &[S]) -> Result<Breaks, BreakError> {
        ids.iter()
            .map(|id| Break::of(id.as_ref()))
            .collect::<Result<_, _>>()
            .map(Breaks)
    }

    /// These breaks.
    pub fn of(breaks: impl IntoIterator<Item = Break>) -> Breaks {
        Breaks(breaks.into_iter().collect())
    }

    /// Whether `b` is on.
    pub fn has(&self, b: Break) -> bool {
        self.0.contains(&b)
    }

    /// Whether `b` is on and its requirement applies to `operation` (the registry's list).
    pub fn applies(&self, b: Break, operation: &str) -> bool {
        self.has(b)
            && Registry::get()
                .requirement(b.requirement())
                .is_some_and(|r| r.operations.iter().any(|o| o == operation))
    }

    /// Whether none is on.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The breaks that are on.
    pub fn iter(&self) -> impl Iterator<Item = Break> + '_ {
        self.0.iter().copied()
    }

    /// The rules attribute updates skip.
    pub fn update_waivers(&self) -> Waivers {
        Waivers::of(self.iter().filter_map(Break::update_waiver))
    }

    /// The rules attribute deletes skip.
    pub fn delete_waivers(&self) -> Waivers {
        Waivers::of(self.iter().filter_map(Break::delete_waiver))
    }

    /// Whether a JSON type fault of this kind escapes as a 500.
    pub fn crashes_on(&self, fault: TypeFault) -> bool {
        self.iter().any(|b| b.crashes_on() == Some(fault))
    }

    /// Whether a model-constraint violation of requirement `id` goes unchecked.
    pub fn drops_violation(&self, id: &str) -> bool {
        self.iter()
            .any(|b| b.drops_violations() && b.requirement() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_each_requirement_once_and_every_one_exists() {
        let registry = Registry::get();
        let mut seen = BTreeSet::new();
        for e in TABLE {
            assert!(
                registry.requirement(e.requirement).is_some(),
                "{} is not in the registry",
                e.requirement
            );
            assert!(
                seen.insert(e.requirement),
                "{} has two breaks",
                e.requirement
            );
            assert_eq!(Break::of(e.requirement), Ok(e.name));
            assert_eq!(e.name.entry().requirement, e.requirement);
            let r = registry.requirement(e.requirement).unwrap();
            assert!(
                r.unbreakable.is_none(),
                "{} has a break and says it cannot be broken",
                e.requirement
            );
        }
        let names: BTreeSet<Break> = TABLE.iter().map(|e| e.name).collect();
        assert_eq!(names.len(), TABLE.len(), "a break has two rows");
    }

    #[test]
    fn an_unknown_id_lists_close_ids() {
        let e = Break::of("atribute.immutable").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("did you mean attribute.immutable"), "{text}");
        assert!(matches!(e, BreakError::Unknown { .. }));
        let far = Break::of("nothing-like-it").unwrap_err().to_string();
        assert!(!far.contains("did you mean"), "{far}");
    }

    #[test]
    fn a_requirement_without_a_break_says_why() {
        let e = Break::of("verification.custom-message-trigger").unwrap_err();
        assert!(
            matches!(e, BreakError::NotBreakable { .. }),
            "{e}: custom-message-trigger has no break"
        );
    }

    #[test]
    fn waivers_follow_the_breaks() {
        let b = Breaks::parse(&["attribute.immutable", "attribute.delete-sub"]).unwrap();
        assert_eq!(b.update_waivers(), Waivers::of([RuleId::Immutable]));
        assert_eq!(b.delete_waivers(), Waivers::of([RuleId::Sub]));
        assert!(Breaks::none().update_waivers() == Waivers::none());
        let t = Breaks::parse(&["protocol.scalar-where-map"]).unwrap();
        assert!(t.crashes_on(TypeFault::ScalarWhereMap));
        assert!(!t.crashes_on(TypeFault::ScalarWhereScalar));
        let v = Breaks::parse(&["validation.attribute-name"]).unwrap();
        assert!(v.drops_violation("validation.attribute-name"));
        assert!(!v.drops_violation("validation.access-token-pattern"));
    }
}
