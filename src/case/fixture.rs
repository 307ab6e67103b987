//! The fixture file format: one contract case per TOML file.
//!
//! A fixture lives at `fixtures/<operation>/<group>/<fault>.toml`; its path without the extension
//! is its id. `group` is the contract section the case belongs to (`token`, `validation`,
//! `schema`, `protocol`, `success`...). Unknown keys are errors (`deny_unknown_fields`), so a typo
//! never silently weakens a case. `docs/fixtures.md` is the guide; `fixtures/schema.json` is the
//! JSON Schema generated from these types (a test keeps it in sync).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::vocab::{
    Capability, ClientKind, InjectedFault, Operation, PoolKind, PoolScope, Signing,
};

/// One contract case.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// One line naming the fault, e.g. "An immutable custom attribute cannot be updated".
    pub title: String,
    /// The requirement(s) the case checks, by id (`attribute.immutable`): statements and
    /// evidence live in the registry, `contract/requirements.toml` (`docs/contract.md`).
    pub requirement: OneOrMany<String>,
    /// Target capabilities the case needs; without them the case is skipped with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Capability>,
    /// Set-up: pool, app client, users and the token the request carries.
    #[serde(default)]
    pub given: Given,
    /// The request.
    pub when: When,
    /// The expected outcome.
    pub then: Then,
    /// Further calls (`[[next]]`), sent in order after `when` against the same user, pool and
    /// token, each judged by its own `then` like the first: what a request did to the pool
    /// shows in what later requests may do (a custom attribute added, then written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<NextCall>,
}

/// A later call of a case and what it must do.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextCall {
    /// The request; any operation the suite can send (`GetUser` too), signed as the first
    /// call's `given.signing` says or, without it, as the operation's `authtype` says.
    pub when: When,
    /// The expected outcome: a table, or an array of tables for alternatives.
    pub then: Then,
}

/// Set-up of a case. Every case gets its own user(s); pools and clients are shared per run.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// Which pool configuration the user lives in.
    #[serde(default)]
    pub pool: PoolKind,
    /// The run's shared pool of that kind, or a pool of the case's own (for changes to the
    /// pool itself, such as AddCustomAttributes), deleted when the case ends.
    #[serde(default, skip_serializing_if = "PoolScope::is_shared")]
    pub pool_scope: PoolScope,
    /// How the request under test is SigV4-signed; by default signed with the target's
    /// administrator credentials when the model marks the operation `authtype: v4`, unsigned
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing: Option<Signing>,
    /// Which app client issued the token.
    #[serde(default)]
    pub client: ClientKind,
    /// State of the token that `{{access_token}}` expands to.
    #[serde(default)]
    pub token: TokenState,
    /// The user the token belongs to.
    #[serde(default, skip_serializing_if = "UserSpec::is_empty")]
    pub user: UserSpec,
    /// A second user in the same pool (alias conflicts, swapped claims).
    pub other_user: Option<UserSpec>,
    /// Make the target fail the request under test with this error (needs `fault-injection`).
    pub fault: Option<InjectedFault>,
}

/// What `{{access_token}}` is when the request is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TokenState {
    /// A fresh access token from `InitiateAuth` (USER_PASSWORD_AUTH).
    #[default]
    Access,
    /// The ID token of the same sign-in.
    Id,
    /// The refresh token of the same sign-in.
    Refresh,
    /// An access token revoked by `GlobalSignOut`.
    Revoked,
    /// An access token past its `exp` (needs `clock-control`).
    Expired,
    /// An access token whose signature was altered.
    TamperedSignature,
    /// The access token re-encoded with header `alg: none` and no signature.
    AlgNone,
    /// The user's token header and signature with the other user's claims (needs `other_user`).
    OtherUserClaims,
    /// A string that matches the token pattern but is no JWT.
    Garbage,
    /// A valid access token whose user was then deleted by an administrator.
    DeletedUser,
    /// A valid access token whose user an administrator then disabled (AdminDisableUser).
    DisabledUser,
    /// A valid access token whose user pool was then deleted (the case gets its own pool).
    DeletedPool,
    /// An access token without the `aws.cognito.signin.user.admin` scope (needs `token-minting`).
    MissingAdminScope,
    /// An access token of a user that is not confirmed (needs `token-minting`).
    UnconfirmedUser,
}

impl TokenState {
    /// The capabilities that can each make this token state, the one a fixture declares in
    /// `needs` first: an expired token by moving the target's clock or by signing an issued
    /// token's copy with a past `exp`; a token without the admin scope by the target's minting
    /// or by signing a copy with another `scope`. Empty: the public API makes it.
    pub fn made_with(self) -> &'static [Capability] {
        match self {
            TokenState::Expired => &[Capability::ClockControl, Capability::SigningKey],
            TokenState::MissingAdminScope => &[Capability::TokenMinting, Capability::SigningKey],
            TokenState::UnconfirmedUser => &[Capability::TokenMinting],
            _ => &[],
        }
    }
}

/// A user to create for the case.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// Attributes at creation, on top of the defaults (a unique `email` with
    /// `email_verified = "true"`). A value of `""` removes a default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

impl UserSpec {
    /// Whether nothing beyond the defaults is asked for.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }
}

/// The request.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Operation under test; sets `X-Amz-Target` (a fixture must name a covered operation).
    pub operation: Operation,
    /// JSON body, written as TOML. Strings may hold placeholders.
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub body: Option<toml::Table>,
    /// Body sent byte for byte after placeholder expansion (for null, malformed JSON...).
    /// Exactly one of `body` and `raw_body`, or neither for an empty body.
    pub raw_body: Option<String>,
    /// Headers to set or override (e.g. a wrong `Content-Type` or `X-Amz-Target`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Headers to leave out (e.g. `X-Amz-Target`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_headers: Vec<String>,
    /// HTTP method; every Cognito operation is `POST` (the default). Another method tests
    /// what an unroutable request gets.
    #[serde(default, skip_serializing_if = "HttpMethod::is_post")]
    pub method: HttpMethod,
    /// Path and query, starting with `/` (default `/`), e.g. `/?Action=DeleteUser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The HTTP methods a case may use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `POST`: how every operation is called.
    #[default]
    Post,
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
}

impl HttpMethod {
    /// The method's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            HttpMethod::Post => "POST",
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Whether this is `POST` (the default, left out when written).
    pub fn is_post(&self) -> bool {
        *self == HttpMethod::Post
    }
}

/// The expected outcome: one [`Outcome`] (`[then]`), or several acceptable ones (`[[then]]`)
/// when the evidence allows more than one answer ("200 and `name` changed, or 400 and nothing
/// changed"). The observation passes if it matches one of them, each judged whole: its status,
/// error types, state, token and sign-in expectations together.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(into = "ThenSpec")]
#[schemars(with = "ThenSpec")]
pub struct Then {
    /// The acceptable outcomes, in the order given (at least one).
    pub outcomes: Vec<Outcome>,
}

/// How `then` is written: a table, or an array of tables.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ThenSpec {
    /// `[then]`: exactly one acceptable outcome.
    One(Box<Outcome>),
    /// `[[then]]`: any of these outcomes.
    Any(Vec<Outcome>),
}

/// Read by hand rather than as an untagged enum, so that a mistake inside an outcome is
/// reported with its own message and place, not as "no variant matched".
impl<'de> Deserialize<'de> for Then {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Then, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Then;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table `[then]` or an array of tables `[[then]]`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Then, A::Error> {
                let o = Outcome::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Then::one(o))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Then, A::Error> {
                let v =
                    Vec::<Outcome>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                if v.is_empty() {
                    return Err(serde::de::Error::invalid_length(0, &"at least one outcome"));
                }
                Ok(Then { outcomes: v })
            }
        }
        d.deserialize_any(Visit)
    }
}

impl From<Then> for ThenSpec {
    fn from(mut t: Then) -> ThenSpec {
        if t.outcomes.len() == 1 {
            ThenSpec::One(Box::new(t.outcomes.remove(0)))
        } else {
            ThenSpec::Any(t.outcomes)
        }
    }
}

impl Then {
    /// A single acceptable outcome.
    pub fn one(outcome: Outcome) -> Then {
        Then {
            outcomes: vec![outcome],
        }
    }

    /// Only a status.
    pub fn of_status(status: u16) -> Then {
        Then::one(Outcome::of_status(status))
    }
}

/// One acceptable outcome. `status`, `error`, `code_delivery`, `state`, `other_user_state`,
/// `token`, `sign_in` and `user_attributes` are the contract tier; `strict` holds the detail
/// that only `--strict` enforces.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Acceptable HTTP status (one, or a list for inferred behaviour).
    pub status: OneOrMany<u16>,
    /// Acceptable error types; absent means the call must succeed.
    pub error: Option<OneOrMany<String>>,
    /// For a success: the output must carry exactly these code deliveries (attribute and
    /// medium; the destination must be masked). `[]` means no `CodeDeliveryDetailsList` entries.
    pub code_delivery: Option<Vec<CodeDelivery>>,
    /// The user's state afterwards, read back with AdminGetUser. Defaults to `unchanged` when
    /// an error is expected.
    pub state: Option<StateExpectation>,
    /// The other user's state afterwards (needs `given.other_user`), read back the same way.
    /// Defaults to `unchanged` when an error is expected: a rejected call touches nobody.
    pub other_user_state: Option<StateExpectation>,
    /// The pool's schema afterwards, read back with DescribeUserPool: each named attribute is
    /// listed with the properties given (the others are not compared).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schema: BTreeMap<String, SchemaEntry>,
    /// Attributes the pool's schema must not list afterwards (read back the same way).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_absent: Vec<String>,
    /// Whether the request's access token works afterwards (GetUser).
    pub token: Option<TokenAfter>,
    /// Whether the user can still sign in afterwards (InitiateAuth).
    pub sign_in: Option<SignInAfter>,
    /// For a success: the `UserAttributes` of the response must be the user's stored ones
    /// (read back with AdminGetUser), as GetUser promises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attributes: Option<UserAttributesAfter>,
    /// Detail that real Cognito shows but that the contract does not guarantee.
    #[serde(default, skip_serializing_if = "Strict::is_empty")]
    pub strict: Strict,
}

impl Outcome {
    /// Only a status: no error, delivery, state, token or strict expectation.
    pub fn of_status(status: u16) -> Outcome {
        Outcome {
            status: OneOrMany::One(status),
            error: None,
            code_delivery: None,
            state: None,
            other_user_state: None,
            schema: BTreeMap::new(),
            schema_absent: Vec::new(),
            token: None,
            sign_in: None,
            user_attributes: None,
            strict: Strict::default(),
        }
    }

    /// Whether the outcome reads the pool's schema back.
    pub fn reads_schema(&self) -> bool {
        !self.schema.is_empty() || !self.schema_absent.is_empty()
    }

    /// Whether every acceptable status is a success.
    pub fn is_success(&self) -> bool {
        self.status
            .as_slice()
            .iter()
            .all(|s| (200..300).contains(s))
    }
}

/// What the response's `UserAttributes` must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UserAttributesAfter {
    /// Exactly the attributes AdminGetUser reads back.
    AsStored,
}

/// Strict-tier expectations: a difference yields `non-strict`, or `fail` under `--strict`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strict {
    /// The exact status when the contract accepts several.
    pub status: Option<u16>,
    /// The exact error type when the contract accepts several.
    pub error: Option<String>,
    /// The exact error message (`message` or `Message` member of the error body), or a list
    /// of the texts real Cognito was seen to answer where they vary (pool age, region).
    pub message: Option<OneOrMany<String>>,
    /// The exact response body: `""` for an empty body, otherwise JSON text compared as JSON.
    pub body: Option<String>,
}

impl Strict {
    /// Whether no strict detail is expected.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.error.is_none()
            && self.message.is_none()
            && self.body.is_none()
    }
}

/// One value or a list of acceptable values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// Exactly this value.
    One(T),
    /// Any of these values.
    Many(Vec<T>),
}

impl<T: PartialEq> OneOrMany<T> {
    /// All acceptable values.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }
    /// Whether `v` is acceptable.
    pub fn accepts(&self, v: &T) -> bool {
        self.as_slice().contains(v)
    }
}

/// An expected entry of `CodeDeliveryDetailsList`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeDelivery {
    /// e.g. `email`.
    pub attribute_name: String,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: String,
}

/// The user's state after the call.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum StateExpectation {
    /// `unchanged` (every attribute as before) or `deleted` (AdminGetUser: UserNotFoundException).
    Simple(SimpleState),
    /// Exact values for some attributes and attributes that must be absent; the rest unchanged.
    Attributes(AttributeState),
}

/// Whole-user state expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SimpleState {
    /// Every attribute is as before the call.
    Unchanged,
    /// The user no longer exists.
    Deleted,
}

/// Attribute-level state expectations.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeState {
    /// Attributes that must have exactly these values (placeholders allowed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Attributes that must be absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<String>,
    /// Attributes whose value the call may legitimately change (e.g. `email_verified` where the
    /// evidence conflicts); every other attribute must be unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub may_change: Vec<String>,
}

/// One attribute of the pool's schema as DescribeUserPool lists it (`SchemaAttributes`). Only
/// the properties given are compared; the constraints are strings, as the service sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaEntry {
    /// `AttributeDataType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<AttributeDataType>,
    /// `Mutable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutable: Option<bool>,
    /// `Required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// `DeveloperOnlyAttribute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_only: Option<bool>,
    /// `StringAttributeConstraints.MinLength`, e.g. `"0"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<String>,
    /// `StringAttributeConstraints.MaxLength`, e.g. `"2048"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<String>,
    /// `NumberAttributeConstraints.MinValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    /// `NumberAttributeConstraints.MaxValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
}

impl SchemaEntry {
    /// `(DescribeUserPool member path, expected JSON value)` of every property given.
    pub fn expected(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::Value;
        let text = |v: &Option<String>| v.clone().map(Value::String);
        [
            (
                "AttributeDataType",
                self.data_type.map(|t| Value::String(t.name().into())),
            ),
            ("Mutable", self.mutable.map(Value::Bool)),
            ("Required", self.required.map(Value::Bool)),
            (
                "DeveloperOnlyAttribute",
                self.developer_only.map(Value::Bool),
            ),
            (
                "StringAttributeConstraints.MinLength",
                text(&self.min_length),
            ),
            (
                "StringAttributeConstraints.MaxLength",
                text(&self.max_length),
            ),
            ("NumberAttributeConstraints.MinValue", text(&self.min_value)),
            ("NumberAttributeConstraints.MaxValue", text(&self.max_value)),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }
}

/// The data types of a user-pool attribute (`AttributeDataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum AttributeDataType {
    /// `String`.
    String,
    /// `Number`.
    Number,
    /// `DateTime`.
    DateTime,
    /// `Boolean`.
    Boolean,
}

impl AttributeDataType {
    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            AttributeDataType::String => "String",
            AttributeDataType::Number => "Number",
            AttributeDataType::DateTime => "DateTime",
            AttributeDataType::Boolean => "Boolean",
        }
    }
}

/// Whether the access token still authorizes GetUser afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TokenAfter {
    /// GetUser succeeds.
    Usable,
    /// GetUser fails with a 400 (NotAuthorizedException or UserNotFoundException).
    Rejected,
}

/// Whether the user can still sign in afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SignInAfter {
    /// InitiateAuth returns tokens.
    Succeeds,
    /// InitiateAuth fails with a 400.
    Fails,
}

/// The JSON Schema of the fixture format, as published in `fixtures/schema.json`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Fixture)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn published_schema_is_in_sync_with_the_types() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/schema.json");
        let published: serde_json::Value = std::fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        assert!(
            published == super::json_schema(),
            "fixtures/schema.json is out of date; regenerate it with `cargo run -- schema > fixtures/schema.json`"
        );
    }
}
