//! A fixture in the oracle's terms: its `given` as the oracle's pool and user, its `when` as an
//! action, its `then` with placeholders expanded into the oracle's template space.
//!
//! The oracle ([`crate::property::oracle`]) works on templates: the caller's token is
//! `{{access_token}}` and values may embed `{{username}}`. A fixture's other placeholders are
//! expanded to templates the set-up would produce (`run::setup`: the user's e-mail is
//! `<username>@example.com`, the fresh address `<username>-new@example.com`), so the two sides
//! name the same values. A fixture the oracle cannot express (a token state it does not model,
//! a second user, an injected fault) gets the reason instead.

use std::collections::BTreeMap;

use crate::case::Case;
use crate::case::fixture::{Given, Then, TokenState, When};
use crate::case::placeholder::{Bindings, expand, expand_toml};
use crate::generate::{ACCESS_TOKEN, POOL_ID, SUB, USERNAME};
use crate::property::action::Action;
use crate::property::oracle::{PoolModel, TokenModel, UserModel, pool_model};
use crate::run::setup::GARBAGE_TOKEN;

use super::agreement::Attrs;
use super::kebab;

/// One call in a modelled state: what both sides are asked about.
#[derive(Debug, Clone)]
pub struct Situation {
    /// The fixture's `given`.
    pub given: Given,
    /// The pool and client.
    pub pool: PoolModel,
    /// The user as the oracle sees it before the call.
    pub user: UserModel,
    /// The call.
    pub action: Action,
    /// The user's attributes as a read-back shows them before the call (`None`: no user).
    pub before: Option<Attrs>,
}

impl Situation {
    /// The situation of a generated step: the user `user` in `given`'s pool, calling `action`.
    pub fn generated(given: &Given, user: &UserModel, action: &Action) -> Situation {
        Situation {
            given: given.clone(),
            pool: pool_model(given.pool, given.client),
            before: (user.token != TokenModel::UserDeleted).then(|| user.attributes.clone()),
            user: user.clone(),
            action: action.clone(),
        }
    }
}

/// A fixture as a situation, with its `then` in the same template space.
#[derive(Debug, Clone)]
pub struct Expressed {
    /// The situation.
    pub situation: Situation,
    /// The fixture's acceptable outcomes, placeholders expanded.
    pub then: Then,
}

/// `case` in the oracle's terms, or why it cannot be.
pub fn express(case: &Case) -> Result<Expressed, String> {
    let [step] = case.steps.as_slice() else {
        return Err(format!(
            "a case of {} calls (fixtures are asked one call at a time)",
            case.steps.len()
        ));
    };
    let operation = step.when.operation;
    if !crate::property::GENERATED_OPERATIONS.contains(&operation) {
        return Err(format!(
            "{operation}: the oracle models the operations the properties generate, not this one yet"
        ));
    }
    let given = &case.given;
    if let Some(fault) = given.fault {
        return Err(format!(
            "an injected {} fault: the oracle models Cognito's answers, not its failures",
            kebab(&fault)
        ));
    }
    if let Some(signing) = given.signing
        && signing != crate::vocab::Signing::Signed
    {
        return Err(format!(
            "signing `{}`: the oracle models requests signed as the operation requires",
            kebab(&signing)
        ));
    }
    if given.other_user.is_some() {
        return Err(
            "a second user: the oracle models the signed-in user alone (no other user holds an alias)"
                .into(),
        );
    }
    let token = match given.token {
        TokenState::Access | TokenState::Garbage => TokenModel::Valid,
        TokenState::Revoked => TokenModel::Revoked,
        TokenState::DeletedUser => TokenModel::UserDeleted,
        other => {
            return Err(format!(
                "token `{}`: the oracle models a fresh access token, one revoked by GlobalSignOut, one whose user is gone and a string that is not an access token",
                kebab(&other)
            ));
        }
    };
    let mut bindings = Bindings {
        access_token: if given.token == TokenState::Garbage {
            GARBAGE_TOKEN.to_string()
        } else {
            ACCESS_TOKEN.to_string()
        },
        username: USERNAME.to_string(),
        unique_email: format!("{USERNAME}-new@example.com"),
        pool_id: POOL_ID.to_string(),
        sub: Some(SUB.to_string()),
        ..Default::default()
    };
    let mut attributes = BTreeMap::new();
    for (k, v) in &given.user.attributes {
        let v = expand(v, &bindings).map_err(|e| format!("given.user.attributes: {e}"))?;
        attributes.insert(k.clone(), v);
    }
    let user = UserModel {
        token,
        ..UserModel::initial(&Given {
            user: crate::case::fixture::UserSpec { attributes },
            ..given.clone()
        })
    };
    bindings.user = user.attributes.clone();
    let when = when(&step.when, &bindings)?;
    let then = step
        .then
        .expanded(&bindings)
        .map_err(|e| format!("then: {e}"))?;
    let pool = pool_model(given.pool, given.client);
    let before = (token != TokenModel::UserDeleted).then(|| user.attributes.clone());
    let user = if token == TokenModel::UserDeleted {
        UserModel {
            attributes: BTreeMap::new(),
            token,
        }
    } else {
        user
    };
    Ok(Expressed {
        situation: Situation {
            given: given.clone(),
            pool,
            user,
            action: Action::Raw {
                when,
                fault: "fixture".into(),
                name: case.id.clone(),
            },
            before,
        },
        then,
    })
}

/// The request with its placeholders expanded to templates, its body as JSON text (as the
/// oracle reads a raw request). Every other field of `when` is kept as it is.
fn when(w: &When, b: &Bindings) -> Result<When, String> {
    let raw_body = match (&w.body, &w.raw_body) {
        (Some(body), _) => Some(
            expand_toml(&toml::Value::Table(body.clone()), b)
                .map_err(|e| format!("when.body: {e}"))?
                .to_string(),
        ),
        (None, Some(raw)) => Some(expand(raw, b).map_err(|e| format!("when.raw_body: {e}"))?),
        (None, None) => None,
    };
    let mut headers = BTreeMap::new();
    for (k, v) in &w.headers {
        headers.insert(
            k.clone(),
            expand(v, b).map_err(|e| format!("when.headers: {e}"))?,
        );
    }
    Ok(When {
        body: None,
        raw_body,
        headers,
        ..w.clone()
    })
}
