//! The situations the properties generate: every property's strategy sampled with a fixed
//! seed, each case planned by the oracle exactly as a run plans it ([`plan`]), and every call
//! kept with the user the model saw before it.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::property::action::Action;
use crate::property::case::plan;
use crate::property::oracle::Expectation;
use crate::property::{SEQUENCE, catalogue};

use super::situation::Situation;

/// Cases drawn per property. Drawing one costs about 20 ms in a debug build, so the sample is
/// spent where situations vary: a property whose calls are all malformed requests (refused
/// before the user matters) gets [`RAW`]; one that calls the operation proper gets [`PROPER`];
/// the stateful sequences, which reach revoked tokens and deleted users, get [`SEQUENCES`].
pub const RAW: usize = 4;
/// See [`RAW`].
pub const PROPER: usize = 16;
/// See [`RAW`].
pub const SEQUENCES: usize = 48;

/// One generated call.
#[derive(Debug, Clone)]
pub struct Step {
    /// The property that generated it.
    pub property: String,
    /// The call in its state.
    pub situation: Situation,
    /// What the oracle expects of it.
    pub expectation: Expectation,
    /// The whole generated case, as a run would print it.
    pub case: String,
}

/// Every call of a sample of every property's cases (seed fixed: the same steps every time). A
/// property that cannot draw a case (every draw rejected) contributes none.
pub fn steps() -> Vec<Step> {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let mut out = Vec::new();
    for property in catalogue() {
        let strategy = property.strategy();
        let mut wanted = if property.operation == SEQUENCE {
            SEQUENCES
        } else {
            PROPER
        };
        let mut drawn = 0;
        while drawn < wanted {
            drawn += 1;
            let Ok(tree) = strategy.new_tree(&mut runner) else {
                continue;
            };
            let generated = tree.current();
            if generated.case.actions.iter().all(Action::is_raw) {
                wanted = RAW;
            }
            let planned = plan(&property, &generated.case);
            let shown = format!("{:?}", generated.case);
            let actions: &[Action] = &generated.case.actions;
            for ((action, before), expectation) in actions
                .iter()
                .zip(&planned.before)
                .zip(planned.expectations)
            {
                out.push(Step {
                    property: property.id.clone(),
                    situation: Situation::generated(&generated.case.given, before, action),
                    expectation,
                    case: shown.clone(),
                });
            }
        }
    }
    out
}
