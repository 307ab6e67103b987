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
    /// verification-code.attribute-name
    AnyAttributeGetsCode,
    /// verification-code.sends-code
    CodeRequestAnswersEmpty,
    /// verification-code.attribute-without-value
    MissingValueCrashesMailer,
    /// verification-code.already-verified
    CodeRequestUnverifies,
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
use Shows::{Contract, Strict};

/// Requirement -> mutation: every break, one per requirement.
pub const TABLE: &[Entry] = &[
    row(
        B::QueryStyleErrors,
        "protocol.error-wire-format",
        Contract,
        "errors drop x-amzn-ErrorType and `__type` and name the type the query protocol's way, `{\"Error\":{\"Code\",\"Message\"}}`: nothing a JSON 1.1 client reads (protocol::respond)",
    ),
    row(
        B::FaultAs400,
        "protocol.internal-error",
        Contract,
        "a service fault answers InternalErrorException with HTTP 400, like every other error (ops::fault_error)",
    ),
    row(
        B::ThrottlingAs429,
        "protocol.throttling",
        Contract,
        "throttling answers HTTP 429 ThrottlingException, the generic AWS answer (ops::fault_error)",
    ),
    row(
        B::MalformedJsonCrashes,
        "protocol.malformed-json",
        Contract,
        "a body that does not parse escapes the parser: 500 InternalErrorException (protocol::parse_body)",
    ),
    row(
        B::EmptyBodyCrashes,
        "protocol.empty-body",
        Contract,
        "an empty body escapes the parser: 500 InternalErrorException (protocol::parse_body)",
    ),
    row(
        B::ContentTypeIgnored,
        "protocol.unroutable-post",
        Contract,
        "any Content-Type is read as AWS JSON 1.1 and the operation runs (protocol::process)",
    ),
    row(
        B::GetDispatched,
        "protocol.unroutable-get",
        Contract,
        "a GET is dispatched by its X-Amz-Target like a POST (protocol::process)",
    ),
    row(
        B::ObjectWhereScalarCrashes,
        "protocol.object-where-scalar-or-list",
        Contract,
        "an object where a string or list belongs escapes the deserializer: 500 InternalErrorException (protocol::process)",
    ),
    row(
        B::ScalarWhereMapCrashes,
        "protocol.scalar-where-map",
        Contract,
        "a scalar where a map belongs escapes the deserializer: 500 InternalErrorException (protocol::process)",
    ),
    row(
        B::ArrayWhereScalarCrashes,
        "protocol.array-where-scalar-or-map",
        Contract,
        "an array where a scalar, map or structure belongs escapes the deserializer: 500 InternalErrorException (protocol::process)",
    ),
    row(
        B::ScalarWhereListCrashes,
        "protocol.scalar-where-list-or-structure",
        Contract,
        "a scalar where a list or structure belongs escapes the deserializer: 500 InternalErrorException (protocol::process)",
    ),
    row(
        B::NumberWhereStringCrashes,
        "protocol.number-or-boolean-where-string",
        Contract,
        "a number or boolean where a string belongs escapes the deserializer: 500 InternalErrorException (protocol::process)",
    ),
    row(
        B::UnsignedAccepted,
        "auth.unsigned-request",
        Contract,
        "an admin request without a SigV4 signature is served as if an administrator had signed it (iam::authenticate)",
    ),
    row(
        B::UnknownKeyAccepted,
        "auth.unrecognized-client",
        Contract,
        "a request signed with an access key nobody holds is served (iam::authenticate)",
    ),
    row(
        B::SignatureNotVerified,
        "auth.invalid-signature",
        Contract,
        "the signature is not compared: a known access key with a wrong secret is served (iam::authenticate)",
    ),
    row(
        B::StaleSignatureAccepted,
        "auth.signature-expired",
        Contract,
        "X-Amz-Date is not checked against the clock: a stale signature is served (iam::authenticate)",
    ),
    row(
        B::IamNotEvaluated,
        "auth.access-denied",
        Contract,
        "IAM permissions are not evaluated: any principal that signs is allowed every operation (iam::authorize)",
    ),
    row(
        B::TokenOperationsSigned,
        "auth.token-operations-unsigned",
        Contract,
        "the token-authorized operations demand a SigV4 signature too: unsigned, they answer MissingAuthenticationTokenException (protocol::process)",
    ),
    row(
        B::GarbageTokenCrashes,
        "token.garbage",
        Contract,
        "an AccessToken that is not a JWT escapes the token decoder: 500 InternalErrorException (ops::self_service::caller)",
    ),
    row(
        B::SignatureUnchecked,
        "token.signature-invalid",
        Contract,
        "the token's claims are read without verifying its signature, so altered, alg-none and swapped-claims tokens authorize (sessions::authorize)",
    ),
    row(
        B::AnyIssuedToken,
        "token.not-access-token",
        Contract,
        "any token the server issued authorizes its user: an ID token or a refresh token passes as an access token (sessions::authorize)",
    ),
    row(
        B::ExpiryUnchecked,
        "token.expired",
        Contract,
        "`exp` is not checked: an expired access token authorizes (sessions::authorize)",
    ),
    row(
        B::RevocationUnchecked,
        "token.revoked",
        Contract,
        "revocations are not checked: a token GlobalSignOut revoked still authorizes (sessions::authorize)",
    ),
    row(
        B::ScopeUnchecked,
        "token.missing-scope",
        Contract,
        "scopes are not checked: a token without aws.cognito.signin.user.admin authorizes (sessions::authorize)",
    ),
    row(
        B::DeletedUserNoOp,
        "token.deleted-user",
        Contract,
        "the token of a deleted user is accepted and the call answers 200 without doing anything (ops::self_service::caller_or_gone)",
    ),
    row(
        B::DisableKeepsTokens,
        "token.disabled-user",
        Contract,
        "AdminDisableUser only stops sign-in: the tokens already issued keep authorizing (ops::users::admin_disable_user)",
    ),
    row(
        B::ConfirmationUnchecked,
        "token.unconfirmed-user",
        Contract,
        "the user's confirmation is not checked: an unconfirmed user's token authorizes (sessions::authorize)",
    ),
    row(
        B::DeletedPoolAsNoUser,
        "token.deleted-pool",
        Contract,
        "a token whose pool is gone is refused as if its user were: UserNotFoundException (sessions::authorize)",
    ),
    row(
        B::MissingTokenAsInvalid,
        "validation.access-token-missing",
        Contract,
        "a missing or null AccessToken is refused as an invalid token, NotAuthorizedException, not as a validation error (protocol::process)",
    ),
    row(
        B::TokenPatternUnchecked,
        "validation.access-token-pattern",
        Contract,
        "AccessToken's pattern and length are not validated: the token goes straight to verification (NotAuthorizedException) (protocol::process)",
    ),
    row(
        B::MissingListAsEmpty,
        "validation.required-member-missing",
        Contract,
        "a missing or null required member is taken as empty: the list as [], an entry without Name is skipped (protocol::process)",
    ),
    row(
        B::NameConstraintsUnchecked,
        "validation.attribute-name",
        Strict,
        "attribute names are not validated against the model: an empty, over-long or off-pattern name goes to the schema check instead, whose message it gets (protocol::process)",
    ),
    row(
        B::FirstViolationOnly,
        "validation.all-violations-listed",
        Strict,
        "only the first model-constraint violation is reported, as '1 validation error detected' (protocol::process)",
    ),
    row(
        B::LongValuesStored,
        "validation.attribute-value-length",
        Contract,
        "attribute values longer than 2048 characters are not refused: they are stored (protocol::process)",
    ),
    row(
        B::MetadataLengthUnchecked,
        "validation.client-metadata-length",
        Contract,
        "ClientMetadata keys and values are not length-checked: the call goes through (protocol::process)",
    ),
    row(
        B::PoolIdUnchecked,
        "validation.user-pool-id",
        Contract,
        "UserPoolId is not validated: an off-pattern id is looked up and answers ResourceNotFoundException (protocol::process)",
    ),
    row(
        B::UsernameUnchecked,
        "validation.username",
        Contract,
        "Username is not validated: an off-pattern name is looked up and answers UserNotFoundException (protocol::process)",
    ),
    row(
        B::UnknownAttributesStored,
        "attribute.not-in-schema",
        Contract,
        "writes skip the schema check: a name the schema lacks is stored as a free-form string (waives rules::all_in_schema in updates)",
    ),
    row(
        B::SubWritable,
        "attribute.sub",
        Contract,
        "writes skip the `sub` check: sub is overwritten (waives rules::not_sub in updates)",
    ),
    row(
        B::ImmutableOverwritten,
        "attribute.immutable",
        Contract,
        "writes ignore Mutable = false: immutable attributes get overwritten (waives the immutability check of rules::writable in updates)",
    ),
    row(
        B::NullValueDeletes,
        "attribute.value-missing",
        Contract,
        "an attribute without a Value is taken as a blank one, which deletes it (waives the null check of rules::plan_update)",
    ),
    row(
        B::FirstUnknownOnly,
        "attribute.several-schema-errors",
        Strict,
        "of several names the schema lacks, only the first is reported (ops::broken::bend_refusal)",
    ),
    row(
        B::ImmutableBeforeNull,
        "attribute.null-before-immutable",
        Strict,
        "immutability is checked before the missing value: an immutable attribute without Value answers the immutability message (ops::broken::refuse_early)",
    ),
    row(
        B::RestrictedUnknownCrashes,
        "attribute.unknown-via-restricted-client",
        Contract,
        "the write-permission check of a client with explicit WriteAttributes looks the name up in the schema and fails on one it lacks: 500 InternalErrorException (ops::broken::refuse_early)",
    ),
    row(
        B::ClientScopeIgnored,
        "attribute.client-not-allowed",
        Contract,
        "writes ignore the app client's WriteAttributes (waives rules::client_may_write in updates)",
    ),
    row(
        B::RequiredBlankable,
        "attribute.required",
        Contract,
        "a blank value removes a required attribute (waives the required check of rules::plan_update)",
    ),
    row(
        B::CustomLengthUnchecked,
        "attribute.custom-string-length",
        Contract,
        "custom string lengths are not checked: any length is stored (waives rules::check_value's length check in updates)",
    ),
    row(
        B::EmailFormatUnchecked,
        "attribute.invalid-email",
        Contract,
        "email values are not checked: any text is stored (waives rules::check_value's email check in updates)",
    ),
    row(
        B::PhoneFormatUnchecked,
        "attribute.invalid-phone-number",
        Contract,
        "phone_number values are not checked: any text is stored (waives rules::check_value's phone check in updates)",
    ),
    row(
        B::PartialWrites,
        "attribute.all-or-nothing",
        Contract,
        "a refused request still applies, one by one, each attribute or name that passes on its own, then answers the refusal (ops::self_service)",
    ),
    row(
        B::AliasTakenRefused,
        "attribute.alias-pool-duplicate-email",
        Contract,
        "an email alias is treated like a username attribute: taking another user's email is refused with AliasExistsException (ops::self_service::update_schema)",
    ),
    row(
        B::UsernameEmailTakenAccepted,
        "attribute.username-pool-duplicate-email",
        Contract,
        "where email is a username attribute, another user's email is stored anyway (waives rules::plan_update's alias check)",
    ),
    row(
        B::VerifiedFlagsWrittenThenRefused,
        "attribute.verified-flags-self-service",
        Contract,
        "email_verified / phone_number_verified written through UpdateUserAttributes are stored, then the call is refused with NotAuthorizedException: the permission check runs after the write (ops::self_service::update_user_attributes)",
    ),
    row(
        B::DuplicateNamesCrash,
        "attribute.duplicate-names",
        Contract,
        "a name given twice in one request breaks the handler's map: 500 InternalErrorException (ops::self_service)",
    ),
    row(
        B::RequiredDeletable,
        "attribute.delete-required",
        Contract,
        "deletes skip the required check: a required attribute is removed (waives rules::plan_delete's required check)",
    ),
    row(
        B::SubDeletable,
        "attribute.delete-sub",
        Contract,
        "deletes skip the `sub` check: sub is removed (waives rules::not_sub in deletes)",
    ),
    row(
        B::ImmutableDeletable,
        "attribute.delete-immutable",
        Contract,
        "deletes ignore Mutable = false: an immutable attribute is removed (waives the immutability check of rules::writable in deletes)",
    ),
    row(
        B::UnknownDeleteAccepted,
        "attribute.delete-not-in-schema",
        Contract,
        "deletes skip the schema check: a name the schema lacks is accepted and nothing happens (waives rules::all_in_schema in deletes)",
    ),
    row(
        B::DeleteScopeIgnored,
        "attribute.delete-client-not-allowed",
        Contract,
        "deletes ignore the app client's WriteAttributes (waives rules::client_may_write in deletes)",
    ),
    row(
        B::FirstAttributeOnly,
        "success.update-applies",
        Contract,
        "an update stores only the first attribute of its list; the rest are answered 200 and dropped (ops::self_service::update_user_attributes)",
    ),
    row(
        B::BlankStored,
        "success.blank-deletes-optional",
        Contract,
        "a blank value is stored as \"\" instead of deleting the attribute (ops::self_service::update_user_attributes)",
    ),
    row(
        B::ExclusiveBounds,
        "success.custom-string-bounds-inclusive",
        Contract,
        "custom string bounds are exclusive: exactly MinLength or MaxLength characters is refused (ops::self_service::update_schema)",
    ),
    row(
        B::MetadataStored,
        "success.client-metadata-not-stored",
        Contract,
        "ClientMetadata entries are stored as attributes of the user (ops::self_service::update_user_attributes)",
    ),
    row(
        B::RestrictedClientReadOnly,
        "success.client-write-permissions",
        Contract,
        "an app client with an explicit WriteAttributes list may write nothing (ops::self_service::write_scope)",
    ),
    row(
        B::UpdateAnswersEmpty,
        "success.update-response",
        Contract,
        "UpdateUserAttributes always answers {}: the codes it sends are not listed (ops::self_service::update_user_attributes)",
    ),
    row(
        B::EmptyListCrashes,
        "success.update-empty-list",
        Contract,
        "an empty UserAttributes list breaks the handler: 500 InternalErrorException (ops::self_service::update_user_attributes)",
    ),
    row(
        B::FirstNameDeletedOnly,
        "success.delete-removes-named",
        Contract,
        "a delete removes only the first name of its list; the rest are answered 200 and kept (ops::self_service::delete_user_attributes)",
    ),
    row(
        B::AbsentDeleteRefused,
        "success.delete-absent-or-empty",
        Contract,
        "deleting a name the user has no value for, or an empty list, is refused with InvalidParameterException (ops::self_service::delete_user_attributes)",
    ),
    row(
        B::NullOutputBody,
        "success.empty-output-body",
        Contract,
        "operations without output answer the JSON document `null` (protocol::process)",
    ),
    row(
        B::DeleteUserKeepsUser,
        "success.delete-user",
        Contract,
        "DeleteUser signs the user out everywhere but keeps the user (ops::self_service::delete_user)",
    ),
    row(
        B::ChangeSignsOut,
        "success.token-survives-attribute-change",
        Contract,
        "a successful attribute update or delete revokes every session of the user (ops::self_service)",
    ),
    row(
        B::EmailStoredVerified,
        "verification.email-change-sends-code",
        Contract,
        "a new email is stored verified and no code is sent (ops::self_service::update_user_attributes)",
    ),
    row(
        B::PendingValueApplied,
        "verification.verify-before-update",
        Contract,
        "AttributesRequireVerificationBeforeUpdate is ignored: the new email replaces the verified one at once, unverified (ops::self_service::update_user_attributes)",
    ),
    row(
        B::PhoneAutoVerified,
        "verification.no-code-without-auto-verify",
        Contract,
        "phone_number is treated as auto-verified: a change sends an SMS code and clears phone_number_verified (ops::self_service::update_user_attributes)",
    ),
    row(
        B::DestinationUnmasked,
        "verification.code-destination-masked",
        Contract,
        "code deliveries name the destination in full, unmasked (ops::self_service::update_user_attributes)",
    ),
    row(
        B::SameValueSendsCode,
        "verification.same-value-no-code",
        Contract,
        "writing email or phone_number with the value it already has sends a code anyway and marks it unverified (ops::broken::bend_update)",
    ),
    row(
        B::DeliveryFailureAsInternal,
        "verification.code-delivery-failure",
        Contract,
        "a verification message that cannot be sent surfaces as 500 InternalErrorException, the mailer's failure unwrapped (ops::fault_error)",
    ),
    row(
        B::ClientContentTypeCrashes,
        "protocol.client-content-types",
        Contract,
        "a Content-Type other than exactly application/x-amz-json-1.1 (application/json, a charset) breaks the router: 500 InternalErrorException (protocol::process)",
    ),
    row(
        B::MessageAsList,
        "protocol.error-message-string",
        Contract,
        "an error's message member is sent as a list of texts, `[\"...\"]` (protocol::respond)",
    ),
    row(
        B::AdminVerifiedFlagIgnored,
        "verification.admin-sets-verified",
        Contract,
        "AdminUpdateUserAttributes ignores email_verified / phone_number_verified = true sent with a new value: the value is stored unverified (ops::broken::bend_admin_update)",
    ),
    row(
        B::DuplicateCustomIgnored,
        "custom-attribute.duplicate-name",
        Contract,
        "a custom attribute whose name exists is skipped silently: 200, the schema unchanged (ops::custom_attributes)",
    ),
    row(
        B::CustomNameLengthUnchecked,
        "custom-attribute.name-length",
        Contract,
        "the Name of a new custom attribute is not validated against the model: an over-long or empty name goes to the schema rules (protocol::process)",
    ),
    row(
        B::CustomListBoundsUnchecked,
        "custom-attribute.list-bounds",
        Contract,
        "the CustomAttributes list's length is not validated: an empty list or more than 25 entries goes to the schema rules (protocol::process)",
    ),
    row(
        B::RequiredCustomAccepted,
        "custom-attribute.required-unsupported",
        Contract,
        "Required = true on a new custom attribute is ignored: the attribute is added, optional (ops::custom_attributes)",
    ),
    row(
        B::DataTypeDefaultsToString,
        "custom-attribute.invalid-data-type",
        Contract,
        "AttributeDataType is not validated (neither the model's enum nor the schema rule): a missing or unknown type defaults to String and the attribute is added (protocol::process, ops::custom_attributes)",
    ),
    row(
        B::OnlyStringAndNumberTypes,
        "custom-attribute.data-types",
        Contract,
        "Only String and Number custom attributes are added (the types the developer guide names): DateTime and Boolean are refused as an invalid AttributeDataType (ops::custom_attributes)",
    ),
    row(
        B::AnyAttributeGetsCode,
        "verification-code.attribute-name",
        Contract,
        "a code is sent for any attribute name, by e-mail to the user's email (ops::verification)",
    ),
    row(
        B::CodeRequestAnswersEmpty,
        "verification-code.sends-code",
        Contract,
        "GetUserAttributeVerificationCode answers {} and sends nothing (ops::verification)",
    ),
    row(
        B::MissingValueCrashesMailer,
        "verification-code.attribute-without-value",
        Contract,
        "a code for an attribute the user has no value for crashes the mailer: 500 InternalErrorException (ops::verification)",
    ),
    row(
        B::CodeRequestUnverifies,
        "verification-code.already-verified",
        Contract,
        "requesting a code marks the attribute unverified until the code is used (ops::verification)",
    ),
    row(
        B::UnknownPoolAsNoUser,
        "admin.unknown-pool",
        Contract,
        "an unknown pool answers UserNotFoundException, as if the user were missing (ops::broken::bend_admin_error)",
    ),
    row(
        B::UnknownUserNoOp,
        "admin.unknown-user",
        Contract,
        "an unknown user answers 200 and nothing happens (ops::broken::bend_admin_error)",
    ),
    row(
        B::UsernameOnly,
        "admin.username-forms",
        Contract,
        "the admin operations find the user by its username only: an alias or a sub answers UserNotFoundException (ops::admin_attributes::username)",
    ),
    row(
        B::AdminHeldToClientScope,
        "admin.no-client-permissions",
        Contract,
        "AdminDeleteUserAttributes is held to the WriteAttributes of one of the pool's restricted app clients: an attribute it may not write is refused (ops::admin_attributes)",
    ),
    row(
        B::InactiveUserHidden,
        "admin.user-status",
        Contract,
        "the admin attribute operations do not find a user who cannot sign in (unconfirmed or disabled): UserNotFoundException (ops::admin_attributes::username)",
    ),
];

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
