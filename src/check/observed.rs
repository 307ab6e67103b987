//! What the runner saw: the response to the request under test and the read-backs.

use std::collections::BTreeMap;

use crate::wire::{Response, WireError};

/// The result of a read-back probe (state, token, sign-in).
#[derive(Debug)]
pub enum Probe<T> {
    /// Not asked for by the case.
    NotChecked,
    /// Could not be determined, with the reason (the target failed the probe itself).
    Unknown(String),
    /// The value read back.
    Seen(T),
}

/// Everything observed for one case.
#[derive(Debug)]
pub struct Observed {
    /// The response to the request under test, or why there is none.
    pub response: Result<Response, WireError>,
    /// The user's attributes before the call (`None`: the user did not exist).
    pub before: Probe<Option<BTreeMap<String, String>>>,
    /// The user's attributes after the call (`None`: the user does not exist).
    pub after: Probe<Option<BTreeMap<String, String>>>,
    /// The other user's attributes before the call (`given.other_user` cases).
    pub other_before: Probe<Option<BTreeMap<String, String>>>,
    /// The other user's attributes after the call.
    pub other_after: Probe<Option<BTreeMap<String, String>>>,
    /// The pool's schema after the call (DescribeUserPool; `None`: the pool does not exist),
    /// when an outcome names attributes of it.
    pub schema_after: Probe<Option<crate::check::pool_schema::SchemaAttributes>>,
    /// Whether GetUser accepted the user's access token afterwards.
    pub token_usable: Probe<bool>,
    /// Whether the user could sign in afterwards.
    pub sign_in_works: Probe<bool>,
}
