//! Request generation from the service model: valid values per shape, one invalid variant per
//! constraint, protocol faults, and valid or faulty attribute writes for a pool's schema.
//!
//! Everything here is a [`proptest`] strategy derived from data: the botocore model slice in
//! `contract/cognito-idp.json` ([`crate::contract::Model`]) for request shapes, and a pool's
//! [`crate::contract::schema::PoolSchema`] for attribute names and values. No strategy is written
//! per operation: a new operation in the model gets its valid bodies and invalid variants for free.
//!
//! Generated strings are *templates* in the fixture placeholder language: the caller's access
//! token is `{{access_token}}` and e-mail addresses embed `{{username}}` (so that they are unique
//! in the pool, which treats e-mail as an alias). A generated case is therefore a fixture in all
//! but name, and a failing one is saved as one. Free text never contains `{{`, so it can never be
//! mistaken for a placeholder.

pub mod attributes;
pub mod invalid;
pub mod protocol;
pub mod shape;
pub mod text;

/// The placeholder for the access token under test.
pub const ACCESS_TOKEN: &str = "{{access_token}}";
/// The placeholder for the case's username.
pub const USERNAME: &str = "{{username}}";
/// The placeholder for the case's user pool id (the administrator operations).
pub const POOL_ID: &str = "{{pool_id}}";
/// The placeholder for the user's `sub` (a form of `Username` the administrator operations
/// accept).
pub const SUB: &str = "{{sub}}";

/// The stand-in of each placeholder ([`concretize`]).
const STAND_INS: [(&str, &str); 4] = [
    (ACCESS_TOKEN, "standIn.TOKEN.value"),
    (USERNAME, "ccf-1700000000-abcdef-c1000000"),
    (POOL_ID, "us-east-1_standIn1"),
    (SUB, "00000000-0000-4000-8000-000000000000"),
];

/// Replace the placeholders of a template with stand-ins of the same kind, so that the contract
/// functions can judge a template: a token that matches `TokenModelType`'s pattern, a username
/// like the ones the suite provisions, a pool id of the form Cognito gives.
pub fn concretize(template: &str) -> String {
    STAND_INS
        .iter()
        .fold(template.to_string(), |t, (p, s)| t.replace(p, s))
}

/// The placeholders back in a text computed from a concretized template (a validation message
/// echoing a pool id), so that the run expands them to the case's values.
pub fn templated(text: &str) -> String {
    STAND_INS.iter().fold(text.to_string(), |t, (p, s)| {
        // Messages echo values of up to 131,072 characters: search fast, copy only on a hit.
        if memchr::memmem::find(t.as_bytes(), s.as_bytes()).is_some() {
            t.replace(s, p)
        } else {
            t
        }
    })
}
