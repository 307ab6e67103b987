//! A generated case as the runner's [`Case`]: the `given`, and one step per call whose `then`
//! is what the contract model ([`super::oracle`]) says that call does to the user as the
//! previous calls left it. The model starts from the user the `given` creates, so every
//! expectation is known before anything is sent: the case is data, like a fixture.

use std::collections::BTreeMap;

use super::Property;
use super::action::{Action, GenCase};
use super::oracle::{Expectation, TokenModel, UserModel, expect, pool_model};
use crate::case::fixture::{Fixture, Given, TokenState};
use crate::case::{Case, Step};

/// A generated case ready to run, with the model's view of each call.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The case.
    pub case: Case,
    /// For each call: the user as the model sees it before the call.
    pub before: Vec<UserModel>,
    /// For each call: what the contract says it does.
    pub expectations: Vec<Expectation>,
}

/// Plan `g` as a case of property `prop`.
pub fn plan(prop: &Property, g: &GenCase) -> Planned {
    let pool = pool_model(g.given.pool, g.given.client);
    let mut user = UserModel::initial(&g.given);
    let mut before = Vec::new();
    let mut expectations = Vec::new();
    let mut steps = Vec::new();
    for action in &g.actions {
        let exp = expect(&pool, &user, action);
        steps.push(Step {
            when: action.when(),
            then: exp.then.clone(),
        });
        before.push(user);
        user = exp.after.clone();
        expectations.push(exp);
    }
    Planned {
        case: Case {
            id: prop.id.clone(),
            path: None,
            title: prop.title.clone(),
            requirements: prop.requirements.iter().map(|s| s.to_string()).collect(),
            needs: vec![],
            given: g.given.clone(),
            steps,
        },
        before,
        expectations,
    }
}

impl Planned {
    /// The fault class of call `step`: what the contract says it does (its label) and the
    /// requirements that says so. Shrinking keeps a failure in its class: a simpler case that
    /// fails for another reason is another failure, not a smaller one.
    pub fn fault_class(&self, step: usize) -> String {
        match self.expectations.get(step) {
            Some(e) => format!("{} ({})", e.label, e.requirements.join(", ")),
            None => String::new(),
        }
    }

    /// Call `step` as a regression fixture: the user's state just before it as `given`, the
    /// call as `when`, the contract's answer as `then`.
    pub fn fixture(&self, step: usize, actions: &[Action]) -> Option<Fixture> {
        let exp = self.expectations.get(step)?;
        let action = actions.get(step)?;
        Some(Fixture {
            title: exp.title.clone(),
            requirement: crate::case::fixture::OneOrMany::Many(
                exp.requirements.iter().map(|s| s.to_string()).collect(),
            ),
            needs: vec![],
            given: given_at(&self.case.given, self.before.get(step)?),
            when: action.when(),
            then: exp.then.clone(),
            next: vec![],
        })
    }
}

/// The `given` that recreates `user`: its attributes over the defaults (`""` drops a default),
/// only those of the pool's schema (a target may add its own), and the token's state.
pub fn given_at(given: &Given, user: &UserModel) -> Given {
    let mut g = given.clone();
    g.token = match user.token {
        TokenModel::Valid => TokenState::Access,
        TokenModel::Revoked => TokenState::Revoked,
        // The user is deleted again by the set-up; its attributes stay the given ones.
        TokenModel::UserDeleted => {
            return Given {
                token: TokenState::DeletedUser,
                ..g
            };
        }
    };
    let schema = pool_model(given.pool, given.client).schema;
    let defaults = UserModel::initial(&Given::default()).attributes;
    let mut attrs: BTreeMap<String, String> = user
        .attributes
        .iter()
        .filter(|(k, v)| *k != "sub" && schema.get(k).is_some() && defaults.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for k in defaults
        .keys()
        .filter(|k| !user.attributes.contains_key(*k))
    {
        attrs.insert(k.clone(), String::new());
    }
    g.user.attributes = attrs;
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{ClientKind, PoolKind};

    #[test]
    fn given_at_recreates_the_model_over_the_defaults() {
        let given = Given {
            pool: PoolKind::Default,
            client: ClientKind::Full,
            ..Given::default()
        };
        let mut user = UserModel::initial(&given);
        user.attributes.remove("email_verified");
        user.attributes.insert("name".into(), "Ada".into());
        user.attributes.insert("sub".into(), "s-1".into());
        user.attributes.insert("cognito:extra".into(), "x".into());
        user.token = TokenModel::Revoked;
        let g = given_at(&given, &user);
        assert_eq!(g.token, TokenState::Revoked);
        assert_eq!(
            g.user.attributes,
            BTreeMap::from([
                ("email_verified".to_string(), String::new()),
                ("name".to_string(), "Ada".to_string())
            ])
        );
        user.token = TokenModel::UserDeleted;
        assert_eq!(given_at(&given, &user).token, TokenState::DeletedUser);
    }

    #[test]
    fn every_call_gets_the_models_expectation_in_order() {
        let prop = super::super::catalogue()
            .into_iter()
            .find(|p| p.id == "generated/sequence/agrees-with-model")
            .expect("the sequence property");
        let g = GenCase {
            given: Given::default(),
            actions: vec![Action::DeleteUser, Action::GetUser],
        };
        let p = plan(&prop, &g);
        assert_eq!(p.case.steps.len(), 2);
        assert_eq!(p.before[1].token, TokenModel::UserDeleted);
        let second = &p.case.steps[1].then.outcomes[0];
        assert_eq!(second.status.as_slice(), [400]);
        assert!(p.fixture(1, &g.actions).is_some());
    }
}
