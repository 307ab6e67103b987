//! Stateful sequences: UpdateUserAttributes, DeleteUserAttributes, GetUser, GlobalSignOut and
//! DeleteUser in any order, with the contract model ([`super::oracle`]) as the reference state
//! machine. proptest-state-machine generates each next call from the model's current state
//! and shrinks a failing sequence by dropping and simplifying calls while it stays valid.

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use super::action::{Action, GenCase};
use super::oracle::{UserModel, expect, pool_model};
use super::strategies::{given, next_call};
use crate::case::fixture::Given;

/// Longest sequence generated.
pub const MAX_CALLS: usize = 8;

/// The model's state between calls.
#[derive(Debug, Clone)]
pub struct SequenceState {
    /// Pool, client and the user's first attributes.
    pub given: Given,
    /// The user as the contract sees it.
    pub user: UserModel,
}

/// The reference state machine of self-service sequences.
pub struct Sequences;

impl ReferenceStateMachine for Sequences {
    type State = SequenceState;
    type Transition = Action;

    fn init_state() -> BoxedStrategy<SequenceState> {
        given()
            .prop_map(|given| SequenceState {
                user: UserModel::initial(&given),
                given,
            })
            .boxed()
    }

    fn transitions(state: &SequenceState) -> BoxedStrategy<Action> {
        next_call(
            &pool_model(state.given.pool, state.given.client),
            &state.user,
        )
    }

    fn apply(mut state: SequenceState, call: &Action) -> SequenceState {
        let pool = pool_model(state.given.pool, state.given.client);
        state.user = expect(&pool, &state.user, call).after;
        state
    }
}

/// Sequences of one to [`MAX_CALLS`] calls, with the counter proptest-state-machine uses to
/// drop the calls after a failure when shrinking.
pub fn sequences() -> BoxedStrategy<super::Generated> {
    Sequences::sequential_strategy(1..=MAX_CALLS)
        .prop_map(|(state, calls, seen)| super::Generated {
            case: GenCase {
                given: state.given,
                actions: calls,
            },
            seen,
        })
        .boxed()
}
