//! Named properties: generated requests run against any target, each reported as one case
//! (`generated/<operation>/<property>`) through the same verdicts, reports and matrix as the
//! fixtures.
//!
//! A property is a proptest strategy of [`action::GenCase`]s (from [`crate::generate`]) and one
//! claim: every call of every case does what the contract model ([`oracle`]) says, judged by
//! the fixture checks ([`crate::check`]). The invalid-input properties are derived from the
//! service model: each operation gets one per fault family its input shape can exhibit, so a
//! new operation in the model gets them for free. On failure proptest shrinks the case to a
//! minimal one, which is printed with the seed, a curl reproduction and (with
//! `--save-failures`) written as a regression fixture under `fixtures/generated/`.

pub mod action;
pub mod case;
pub mod contested;
pub mod family;
pub mod job;
pub mod machine;
pub mod oracle;
pub mod requirements;
pub mod save;
pub mod shrink;
pub mod strategies;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use proptest::strategy::{BoxedStrategy, Strategy};

pub use job::{PropertyJob, run_property};

use crate::case::{GENERATED_DIR, operation_dir};
use crate::generate::attributes::{GENERATED_RULES, applies_to_delete};
use crate::generate::invalid::{Constraint, Fault, constraints};
use crate::generate::shape::bounds;
use crate::run::Job;
use crate::vocab::Operation;
use crate::vocab::RuleId;
use action::GenCase;

/// Generated cases per property unless `--cases` says otherwise (the single-fault properties
/// run a quarter of them, [`Property::cases`]); CI and exploration raise it (`--cases 1000`).
pub const DEFAULT_CASES: u32 = 16;

/// The share of `--cases` a single-fault property runs: its cases differ only in where and how
/// one member is broken (and in the incidental valid rest), so a few cover its class, while the
/// semantic properties, whose cases differ in what they do, get all of them. With 187
/// properties this keeps a default run near the size of one with only the self-service
/// operations.
pub const SINGLE_FAULT_SHARE: u32 = 4;
/// Seed unless `--seed` says otherwise (fixed, so CI runs are deterministic).
pub const DEFAULT_SEED: u64 = 1;

/// One generated value: the case, and for sequences the counter proptest-state-machine reads
/// to drop the calls after a failure when shrinking.
#[derive(Clone)]
pub struct Generated {
    /// The case.
    pub case: GenCase,
    /// Calls executed, for the state-machine shrinker.
    pub seen: Option<Arc<AtomicUsize>>,
}

impl fmt::Debug for Generated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.case.fmt(f)
    }
}

/// What a property generates.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// One call broken at one model constraint.
    Invalid(Constraint),
    /// One call whose body is not JSON.
    MalformedJson,
    /// One call that cannot be routed.
    Unroutable,
    /// A valid update, then GetUser.
    RoundTrip,
    /// An update breaking one attribute rule.
    UpdateRule(RuleId),
    /// A valid delete.
    DeleteExact,
    /// The same valid delete twice.
    DeleteIdempotent,
    /// A delete naming an attribute one rule refuses.
    DeleteRule(RuleId),
    /// DeleteUser, then GetUser and DeleteUser with the same token.
    DeleteUser,
    /// A valid AdminUpdateUserAttributes, then GetUser.
    AdminRoundTrip,
    /// An AdminUpdateUserAttributes breaking one attribute rule.
    AdminUpdateRule(RuleId),
    /// A valid AdminDeleteUserAttributes, then GetUser.
    AdminDeleteExact,
    /// An AdminDeleteUserAttributes naming an attribute one rule refuses.
    AdminDeleteRule(RuleId),
    /// GetUserAttributeVerificationCode, sometimes after a write.
    VerificationCode,
    /// AddCustomAttributes of new attributes.
    CustomAttributesAdded,
    /// A sequence of self-service calls.
    Sequence,
}

/// A named property.
#[derive(Debug, Clone)]
pub struct Property {
    /// `generated/<operation>/<name>`.
    pub id: String,
    /// The operation (`Sequence` for sequences of several).
    pub operation: String,
    /// Kebab-case name.
    pub name: String,
    /// What it claims, in one line.
    pub title: String,
    /// The requirements it checks (`contract/requirements.toml`).
    pub requirements: requirements::Ids,
    kind: Kind,
}

impl Property {
    fn new(
        operation: &str,
        name: &str,
        kind: Kind,
        title: String,
        requirements: requirements::Ids,
    ) -> Property {
        Property {
            id: format!("{GENERATED_DIR}/{}/{name}", operation_dir(operation)),
            operation: operation.to_string(),
            name: name.to_string(),
            title,
            requirements,
            kind,
        }
    }

    /// How many cases it runs when `asked` are asked for (`--cases`): a single-fault property
    /// (one constraint, a malformed body, an unroutable request) [`SINGLE_FAULT_SHARE`] times
    /// fewer, at least one.
    pub fn cases(&self, asked: u32) -> u32 {
        match self.kind {
            Kind::Invalid(_) | Kind::MalformedJson | Kind::Unroutable => {
                asked.div_ceil(SINGLE_FAULT_SHARE)
            }
            _ => asked,
        }
    }

    /// The strategy of its cases.
    pub fn strategy(&self) -> BoxedStrategy<Generated> {
        let plain =
            |s: BoxedStrategy<GenCase>| s.prop_map(|case| Generated { case, seen: None }).boxed();
        let op = self
            .operation
            .parse::<Operation>()
            .unwrap_or(Operation::GetUser);
        match &self.kind {
            Kind::Invalid(c) => plain(strategies::invalid_input(op, c.clone())),
            Kind::MalformedJson => plain(strategies::protocol_fault(op, true)),
            Kind::Unroutable => plain(strategies::protocol_fault(op, false)),
            Kind::RoundTrip => plain(strategies::round_trip()),
            Kind::UpdateRule(r) => plain(strategies::update_rule_violation(*r)),
            Kind::DeleteExact => plain(strategies::delete_exact()),
            Kind::DeleteIdempotent => plain(strategies::delete_idempotent()),
            Kind::DeleteRule(r) => plain(strategies::delete_rule_violation(*r)),
            Kind::DeleteUser => plain(strategies::delete_user()),
            Kind::AdminRoundTrip => plain(strategies::admin_round_trip()),
            Kind::AdminUpdateRule(r) => plain(strategies::admin_update_rule_violation(*r)),
            Kind::AdminDeleteExact => plain(strategies::admin_delete_exact()),
            Kind::AdminDeleteRule(r) => plain(strategies::admin_delete_rule_violation(*r)),
            Kind::VerificationCode => plain(strategies::verification_codes()),
            Kind::CustomAttributesAdded => plain(strategies::custom_attributes_added()),
            Kind::Sequence => machine::sequences(),
        }
    }
}

/// Every property, in a stable order: per covered operation one per constraint of its input
/// shape (from the model), the protocol faults and its semantic properties; then the stateful
/// sequences.
pub fn catalogue() -> Vec<Property> {
    let mut out = Vec::new();
    for operation in GENERATED_OPERATIONS {
        let op = operation.name();
        for c in constraints(op) {
            let ids = requirements::constraint(&c);
            out.push(Property::new(
                op,
                &c.name(),
                Kind::Invalid(c.clone()),
                constraint_title(op, &c),
                ids,
            ));
        }
        out.push(Property::new(
            op,
            "malformed-json",
            Kind::MalformedJson,
            format!("{op} refuses a body that is not JSON"),
            requirements::malformed_json(),
        ));
        out.push(Property::new(
            op,
            "unroutable-request",
            Kind::Unroutable,
            format!("{op} refuses a request without its X-Amz-Target or AWS JSON content type"),
            requirements::unroutable(),
        ));
        out.extend(semantic(operation));
    }
    out.push(Property::new(
        SEQUENCE,
        "agrees-with-model",
        Kind::Sequence,
        "Sequences of UpdateUserAttributes, DeleteUserAttributes, GetUser, GlobalSignOut and DeleteUser agree with the contract model at every call".into(),
        requirements::sequence(),
    ));
    out
}

/// "DeleteUser refuses a request without accessToken", from the constraint.
fn constraint_title(op: &str, c: &Constraint) -> String {
    let shape = crate::contract::Model::get().shape(&c.shape);
    let (min, max) = shape.map(bounds).unwrap_or((0, None));
    let at = &c.path;
    match c.fault {
        Fault::Missing => format!("{op} refuses a request without {at}"),
        Fault::Null => format!("{op} refuses a null {at}"),
        Fault::WrongType if c.path.0.is_empty() => {
            format!("{op} refuses a body that is not a JSON object")
        }
        Fault::WrongType => format!("{op} refuses a value of the wrong JSON type for {at}"),
        Fault::TooShort => format!("{op} refuses {at} shorter than {min}"),
        Fault::TooLong => format!("{op} refuses {at} longer than {}", max.unwrap_or(0)),
        Fault::Pattern => format!("{op} refuses {at} outside its pattern"),
    }
}

/// The operations the properties generate cases for (the sequences send the self-service
/// ones).
pub const GENERATED_OPERATIONS: [Operation; 7] = [
    Operation::DeleteUser,
    Operation::DeleteUserAttributes,
    Operation::UpdateUserAttributes,
    Operation::AdminUpdateUserAttributes,
    Operation::AdminDeleteUserAttributes,
    Operation::AddCustomAttributes,
    Operation::GetUserAttributeVerificationCode,
];

/// The rules an administrator can break (no app client's write list holds it).
fn admin_rules() -> impl Iterator<Item = RuleId> {
    GENERATED_RULES
        .into_iter()
        .filter(|r| *r != RuleId::ClientNotAllowed)
}

/// The operation label of the stateful sequences.
pub const SEQUENCE: &str = "Sequence";

fn semantic(operation: Operation) -> Vec<Property> {
    let op = operation.name();
    match operation {
        Operation::UpdateUserAttributes => vec![Property::new(
            op,
            "round-trip",
            Kind::RoundTrip,
            "Valid writes of writable attributes are stored and GetUser returns them".into(),
            {
                let mut ids = requirements::update_applies();
                ids.extend(requirements::verification());
                ids.dedup();
                ids
            },
        )]
        .into_iter()
        .chain(GENERATED_RULES.into_iter().map(|r| {
            Property::new(
                op,
                &format!("rule-{}", r.label()),
                Kind::UpdateRule(r),
                format!("{op} refuses {} and changes nothing", oracle::phrase(r)),
                requirements::update_rule(r),
            )
        }))
        .collect(),
        Operation::DeleteUserAttributes => vec![
            Property::new(
                op,
                "removes-exactly-named",
                Kind::DeleteExact,
                format!("{op} removes exactly the named attributes"),
                requirements::delete_applies(),
            ),
            Property::new(
                op,
                "idempotent",
                Kind::DeleteIdempotent,
                format!("Repeating a {op} call succeeds and changes nothing more"),
                requirements::delete_applies(),
            ),
        ]
        .into_iter()
        .chain(
            GENERATED_RULES
                .into_iter()
                .filter(|r| applies_to_delete(*r))
                .map(|r| {
                    Property::new(
                        op,
                        &format!("rule-{}", r.label()),
                        Kind::DeleteRule(r),
                        format!("{op} refuses {} and changes nothing", oracle::phrase(r)),
                        requirements::delete_rule(r),
                    )
                }),
        )
        .collect(),
        Operation::DeleteUser => vec![Property::new(
            op,
            "deletes-user",
            Kind::DeleteUser,
            format!(
                "{op} deletes the user; its token then authorizes neither GetUser nor another {op}"
            ),
            requirements::delete_user(),
        )],
        Operation::AdminUpdateUserAttributes => std::iter::once(Property::new(
            op,
            "round-trip",
            Kind::AdminRoundTrip,
            "Valid administrator writes of mutable attributes are stored and GetUser returns them"
                .into(),
            {
                let mut ids = requirements::update_applies();
                ids.extend(requirements::admin_verification());
                ids.dedup();
                ids
            },
        ))
        .chain(admin_rules().map(|r| {
            Property::new(
                op,
                &format!("rule-{}", r.label()),
                Kind::AdminUpdateRule(r),
                format!("{op} refuses {} and changes nothing", oracle::phrase(r)),
                requirements::update_rule(r),
            )
        }))
        .collect(),
        Operation::AdminDeleteUserAttributes => std::iter::once(Property::new(
            op,
            "removes-exactly-named",
            Kind::AdminDeleteExact,
            format!("{op} removes exactly the named attributes and GetUser agrees"),
            requirements::admin_delete_applies(),
        ))
        .chain(admin_rules().filter(|r| applies_to_delete(*r)).map(|r| {
            Property::new(
                op,
                &format!("rule-{}", r.label()),
                Kind::AdminDeleteRule(r),
                format!("{op} refuses {} and changes nothing", oracle::phrase(r)),
                requirements::delete_rule(r),
            )
        }))
        .collect(),
        Operation::GetUserAttributeVerificationCode => vec![Property::new(
            op,
            "sends-code-to-current-value",
            Kind::VerificationCode,
            format!(
                "{op} sends a code for email or phone_number to the masked current value and refuses other names"
            ),
            {
                let mut ids = requirements::verification_code_sent();
                ids.push("verification-code.attribute-name");
                ids.push("verification-code.attribute-without-value");
                ids
            },
        )],
        Operation::AddCustomAttributes => vec![Property::new(
            op,
            "adds-new-attributes",
            Kind::CustomAttributesAdded,
            format!("{op} adds new attributes of every data type and answers an empty success"),
            requirements::custom_attributes_added(),
        )],
        _ => vec![],
    }
}

/// How generated cases run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cases per property.
    pub cases: u32,
    /// The run's seed (each property derives its own from it and its id).
    pub seed: u64,
    /// Strict detail (messages, exact bodies) counts as a failure and is shrunk.
    pub strict: bool,
    /// Write each minimal failure as a fixture under this directory.
    pub save_failures: Option<PathBuf>,
    /// Most shrinking steps per failing property (each one a case against the target).
    pub max_shrink_iters: u32,
    /// Most shrinking time per failing property, from its first failure.
    pub max_shrink_time: std::time::Duration,
    /// The run's shrinking time, summed over its properties (shared by the clones of these
    /// settings, so by every property of a run).
    pub shrink_budget: Arc<shrink::RunClock>,
    /// The target options to repeat in a rerun command (`--endpoint URL`), for reports.
    pub target_flags: String,
    /// Properties not to shrink: known gaps of the target's baseline, whose verdict does not
    /// depend on the minimal case (shrinking them would only cost time against the target).
    pub no_shrink: std::collections::BTreeSet<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cases: DEFAULT_CASES,
            seed: DEFAULT_SEED,
            strict: false,
            save_failures: None,
            max_shrink_iters: 512,
            max_shrink_time: shrink::DEFAULT_PROPERTY_TIME,
            shrink_budget: Arc::new(shrink::RunClock::new(shrink::DEFAULT_RUN_TIME)),
            target_flags: String::new(),
            no_shrink: Default::default(),
        }
    }
}

/// The jobs of a plan, for the run's scheduler.
pub fn jobs(plan: &Plan) -> Vec<std::sync::Arc<dyn Job>> {
    let settings = std::sync::Arc::new(plan.settings.clone());
    plan.properties
        .iter()
        .map(|p| {
            std::sync::Arc::new(PropertyJob::new(p.clone(), settings.clone()))
                as std::sync::Arc<dyn Job>
        })
        .collect()
}

/// Properties and how to run them.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The selected properties.
    pub properties: Vec<Property>,
    /// Settings.
    pub settings: Settings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_derived_from_the_model() {
        let all = catalogue();
        let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
        assert!(ids.contains(&"generated/delete-user/access-token-pattern"));
        assert!(
            !ids.contains(&"generated/delete-user/access-token-too-long"),
            "TokenModelType has no length bounds"
        );
        assert!(
            ids.contains(&"generated/update-user-attributes/user-attributes-member-name-too-long")
        );
        assert!(ids.contains(&"generated/update-user-attributes/rule-immutable"));
        assert!(ids.contains(&"generated/delete-user-attributes/rule-required"));
        assert!(!ids.contains(&"generated/delete-user-attributes/rule-invalid-email"));
        assert!(ids.contains(&"generated/sequence/agrees-with-model"));
        let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "ids are unique");
    }
}
