//! Loading the catalogue: every problem in every file is reported at once, each naming the
//! file, line and field and saying what was expected.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::fixture::{Fixture, Outcome, StateExpectation, Then, TokenState, When};
use super::locate::{field_at_line, line_col, line_of_field, line_of_text};
use super::placeholder::{Placeholder, scan};
use super::{Case, GENERATED_DIR};
use crate::contract::Model;
use crate::vocab::{Capability, InjectedFault, Operation};

/// One problem in one fixture file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Dotted field path (`then.status`), when known.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// The catalogue could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The fixtures directory cannot be read.
    #[error("cannot read fixtures in {path}: {source}")]
    Io {
        /// Directory or file.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// One or more fixtures are invalid.
    #[error("{} invalid fixture(s):\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<FixtureError>),
    /// The directory holds no fixture at all.
    #[error("no fixture files (*.toml) under {0}")]
    Empty(PathBuf),
}

/// Load every `*.toml` under `root` (except `schema.json` and friends), sorted by id.
pub fn load_dir(root: &Path) -> Result<Vec<Case>, LoadError> {
    let mut files = Vec::new();
    walk(root, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Empty(root.to_path_buf()));
    }
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        let source = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let id = rel.with_extension("").to_string_lossy().replace('\\', "/");
        match parse_case(&path, &id, &source) {
            Ok(case) => cases.push(case),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for c in &cases {
        let path = c.path.clone().unwrap_or_default();
        if let Some(first) = seen.insert(c.id.to_ascii_lowercase(), path.clone()) {
            errors.push(FixtureError {
                path,
                line: None,
                column: None,
                field: None,
                message: format!(
                    "duplicate case id `{}` (also {}); ids compare case-insensitively",
                    c.id,
                    first.display()
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(LoadError::Invalid(errors))
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parse and check one fixture.
pub fn parse_case(path: &Path, id: &str, source: &str) -> Result<Case, Vec<FixtureError>> {
    let fixture: Fixture = toml::from_str(source).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_col(source, s.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        let field = line.and_then(|l| field_at_line(source, l));
        vec![FixtureError {
            path: path.to_path_buf(),
            line,
            column,
            field,
            message: e.message().trim().to_string(),
        }]
    })?;
    let errors = check(path, id, source, &fixture);
    if errors.is_empty() {
        Ok(Case::from_fixture(id, Some(path.to_path_buf()), fixture))
    } else {
        Err(errors)
    }
}

/// One call of a fixture as the checks see it: the prefix of its fields (`""` for the first
/// call, `next[2].` for the second follow-on call), its request and its outcomes.
struct Call<'a> {
    prefix: String,
    when: &'a When,
    then: &'a Then,
    first: bool,
}

/// Every call of the fixture, the first one (`when`/`then`) first.
fn calls(f: &Fixture) -> Vec<Call<'_>> {
    let mut out = vec![Call {
        prefix: String::new(),
        when: &f.when,
        then: &f.then,
        first: true,
    }];
    out.extend(f.next.iter().enumerate().map(|(i, n)| Call {
        prefix: format!("next[{}].", i + 1),
        when: &n.when,
        then: &n.then,
        first: false,
    }));
    out
}

/// Semantic checks serde cannot express.
fn check(path: &Path, id: &str, source: &str, f: &Fixture) -> Vec<FixtureError> {
    let mut errs = Vec::new();
    let mut err = |field: &str, message: String| {
        errs.push(FixtureError {
            path: path.to_path_buf(),
            line: line_of_field(source, field),
            column: None,
            field: Some(field.to_string()),
            message,
        });
    };
    let op = f.when.operation;
    if !op.is_covered() {
        err(
            "when.operation",
            format!(
                "`{op}` is not an operation the catalogue covers; expected one of {} (a later call, `[[next]]`, may send any operation)",
                Operation::COVERED.map(Operation::name).join(", ")
            ),
        );
    } else {
        let parts: Vec<&str> = id.split('/').collect();
        let dir = op.dir();
        // Saved failures of generated cases live under fixtures/generated/<operation>/.
        let generated = parts.len() == 3 && parts[0] == GENERATED_DIR && parts[1] == dir;
        if !generated && (parts.len() != 3 || parts[0] != dir) {
            err(
                "when.operation",
                format!(
                    "a `{op}` case must live at fixtures/{dir}/<group>/<fault>.toml (or fixtures/{GENERATED_DIR}/{dir}/<name>.toml), not fixtures/{id}.toml"
                ),
            );
        }
    }
    if f.title.trim().is_empty() {
        err("title", "must not be empty".into());
    }
    let registry = crate::contract::Registry::get();
    if f.requirement.as_slice().is_empty() {
        err(
            "requirement",
            "name at least one requirement id (see docs/contract.md)".into(),
        );
    }
    for id in f.requirement.as_slice() {
        if registry.requirement(id).is_none() {
            err(
                "requirement",
                format!(
                    "unknown requirement `{id}`: cite an id of contract/requirements.toml (listed in docs/contract.md)"
                ),
            );
        }
    }
    for call in calls(f) {
        let p = &call.prefix;
        if call.when.body.is_some() && call.when.raw_body.is_some() {
            err(
                &format!("{p}when.raw_body"),
                "give either `body` or `raw_body`, not both".into(),
            );
        }
        if let Some(path) = call.when.path.as_deref().filter(|p| !p.starts_with('/')) {
            err(
                &format!("{p}when.path"),
                format!("a path starts with `/` (got {path:?}), e.g. \"/?Action=DeleteUser\""),
            );
        }
        let many = call.then.outcomes.len() > 1;
        for (i, o) in call.then.outcomes.iter().enumerate() {
            let at = |field: &str| {
                if many {
                    format!("{p}then[{}].{field}", i + 1)
                } else {
                    format!("{p}then.{field}")
                }
            };
            for (field, message) in outcome_problems(call.when.operation, call.first, f, o) {
                err(&at(field), message);
            }
        }
    }
    // Capabilities the given state requires.
    let needs = |c: Capability| f.needs.contains(&c);
    let token_need = f.given.token.made_with().first().copied();
    if let Some(c) = token_need.filter(|c| !needs(*c)) {
        err(
            "given.token",
            format!("this token state needs `needs = [\"{}\"]`", kebab(c)),
        );
    }
    if let Some(c) = f
        .given
        .signing
        .and_then(|s| s.made_with())
        .filter(|c| !needs(*c))
    {
        err(
            "given.signing",
            format!("this signing needs `needs = [\"{}\"]`", kebab(c)),
        );
    }
    if f.given.fault.is_some() && !needs(Capability::FaultInjection) {
        err(
            "given.fault",
            "an injected fault needs `needs = [\"fault-injection\"]`".into(),
        );
    }
    if f.given.token == TokenState::OtherUserClaims && f.given.other_user.is_none() {
        err(
            "given.token",
            "`other-user-claims` needs a `given.other_user`".into(),
        );
    }
    // Placeholders: known, and bound in this case.
    let has_other = f.given.other_user.is_some();
    let mut texts: Vec<String> = Vec::new();
    texts.extend(f.given.user.attributes.values().cloned());
    if let Some(o) = &f.given.other_user {
        texts.extend(o.attributes.values().cloned());
    }
    for call in calls(f) {
        let when = call.when;
        if let Some(b) = &when.body {
            collect_strings(&toml::Value::Table(b.clone()), &mut texts);
        }
        texts.extend(when.raw_body.iter().cloned());
        texts.extend(when.headers.values().cloned());
        texts.extend(when.path.iter().cloned());
        for o in &call.then.outcomes {
            texts.extend(
                o.strict
                    .message
                    .iter()
                    .flat_map(|m| m.as_slice().iter().cloned()),
            );
            for state in [&o.state, &o.other_user_state] {
                if let Some(StateExpectation::Attributes(a)) = state {
                    texts.extend(a.attributes.values().cloned());
                }
            }
        }
    }
    for text in &texts {
        for (raw, parsed) in scan(text) {
            let line = line_of_text(source, &raw);
            let field = line.and_then(|l| field_at_line(source, l));
            let problem = match parsed {
                Err(m) => Some(m),
                Ok(Placeholder::OtherUser(_) | Placeholder::OtherUsername) if !has_other => {
                    Some(format!("`{raw}` needs a `given.other_user`"))
                }
                Ok(_) => None,
            };
            if let Some(message) = problem {
                errs.push(FixtureError {
                    path: path.to_path_buf(),
                    line,
                    column: None,
                    field,
                    message,
                });
            }
        }
    }
    errs
}

/// What is inconsistent in one outcome of a call of `op` (`first`: the fixture's first call,
/// the one an injected fault fails): `(field below then, message)`.
fn outcome_problems(
    op: Operation,
    first: bool,
    f: &Fixture,
    o: &Outcome,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if o.other_user_state.is_some() && f.given.other_user.is_none() {
        out.push((
            "other_user_state",
            "the other user's state needs a `given.other_user`".to_string(),
        ));
    }
    for name in o.schema_absent.iter().filter(|n| o.schema.contains_key(*n)) {
        out.push((
            "schema_absent",
            format!("`{name}` is expected both in the schema and absent from it"),
        ));
    }
    if o.schema
        .keys()
        .chain(&o.schema_absent)
        .any(|n| n.trim().is_empty())
    {
        out.push(("schema", "an attribute name must not be empty".to_string()));
    }
    let statuses = o.status.as_slice();
    let success = |s: &u16| (200..300).contains(s);
    for s in statuses {
        if !(100..600).contains(s) {
            out.push(("status", format!("{s} is not an HTTP status")));
        }
    }
    match &o.error {
        None if !statuses.iter().all(success) => out.push((
            "error",
            "a non-2xx status needs the acceptable error type(s) in `error`".to_string(),
        )),
        Some(_) if statuses.iter().all(success) => out.push((
            "error",
            "an error type was given but every acceptable status is 2xx".to_string(),
        )),
        Some(errors) => {
            let model = Model::get();
            let registry = crate::contract::Registry::get();
            let cited = f.requirement.as_slice();
            for e in errors.as_slice() {
                if !model.may_return(op.name(), e) && !registry.names_error(cited, e) {
                    out.push((
                        "error",
                        format!(
                            "`{e}` is neither a modeled error of {op} nor a protocol error, and no cited requirement names it"
                        ),
                    ));
                }
            }
            if let Some(s) = &o.strict.error
                && !errors.accepts(s)
            {
                out.push((
                    "strict.error",
                    format!("`{s}` is not among the contract's acceptable errors"),
                ));
            }
        }
        None => {}
    }
    if let Some(s) = o.strict.status
        && !o.status.accepts(&s)
    {
        out.push((
            "strict.status",
            format!("{s} is not among the contract's acceptable statuses"),
        ));
    }
    if o.code_delivery.is_some() && !statuses.iter().all(success) {
        out.push((
            "code_delivery",
            "code deliveries can only be expected of a success".to_string(),
        ));
    }
    if o.user_attributes.is_some() && !statuses.iter().all(success) {
        out.push((
            "user_attributes",
            "returned attributes can only be expected of a success".to_string(),
        ));
    }
    if let Some(body) = &o.strict.body
        && !body.is_empty()
        && serde_json::from_str::<serde_json::Value>(body).is_err()
    {
        out.push((
            "strict.body",
            "must be \"\" (empty body) or JSON text".to_string(),
        ));
    }
    if first && f.given.fault == Some(InjectedFault::InternalError) && !o.status.accepts(&500) {
        out.push((
            "status",
            "an injected internal error answers 500".to_string(),
        ));
    }
    out
}

fn collect_strings(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        toml::Value::Table(t) => t.iter().for_each(|(k, x)| {
            out.push(k.clone());
            collect_strings(x, out)
        }),
        _ => {}
    }
}

fn kebab(c: Capability) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"title = "t"
requirement = "protocol.error-wire-format"
# A token that is no JWT is refused (comment keeps the line numbers of the tests).

[when]
operation = "DeleteUser"
body = { AccessToken = "{{access_token}}" }

[then]
status = 400
error = "NotAuthorizedException"
"#;

    fn parse(src: &str) -> Result<Case, Vec<FixtureError>> {
        parse_case(
            Path::new("fixtures/delete-user/token/x.toml"),
            "delete-user/token/x",
            src,
        )
    }

    #[test]
    fn a_good_fixture_parses() {
        let c = parse(GOOD).unwrap();
        assert_eq!(
            (c.operation(), c.group()),
            (crate::vocab::Operation::DeleteUser, "token")
        );
    }

    #[test]
    fn unknown_keys_name_file_line_and_field() {
        let src = GOOD.replace("status = 400", "status = 400\nstatuz = 401");
        let e = &parse(&src).unwrap_err()[0];
        assert_eq!(e.line, Some(11));
        assert_eq!(e.field.as_deref(), Some("then.statuz"));
        assert!(
            e.message.contains("unknown field `statuz`"),
            "{}",
            e.message
        );
        assert!(
            e.to_string()
                .starts_with("fixtures/delete-user/token/x.toml:11:"),
            "{e}"
        );
    }

    #[test]
    fn wrong_types_and_syntax_errors_are_located() {
        let e = &parse(&GOOD.replace("status = 400", "status = \"four hundred\"")).unwrap_err()[0];
        assert_eq!(
            (e.line, e.field.as_deref()),
            (Some(10), Some("then.status"))
        );
        let e = &parse(&GOOD.replace("[then]", "[then")).unwrap_err()[0];
        assert_eq!(e.line, Some(9));
    }

    #[test]
    fn unknown_operation_and_placeholder_and_error() {
        let errs = parse(&GOOD.replace("\"DeleteUser\"", "\"DeleteUsr\"")).unwrap_err();
        assert!(
            errs[0].message.contains("unknown variant `DeleteUsr`"),
            "{}",
            errs[0].message
        );
        let errs = parse(&GOOD.replace("\"DeleteUser\"", "\"GetUser\"")).unwrap_err();
        assert!(
            errs[0]
                .message
                .contains("`GetUser` is not an operation the catalogue covers"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].line, Some(6));
        let errs = parse(&GOOD.replace("{{access_token}}", "{{acces_token}}")).unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].field.as_deref()),
            (Some(7), Some("when.body"))
        );
        let errs =
            parse(&GOOD.replace("NotAuthorizedException", "NotAuthorisedException")).unwrap_err();
        assert!(errs[0].message.contains("neither a modeled error"));
        let errs = parse(&GOOD.replace(
            "\"protocol.error-wire-format\"",
            "\"protocol.no-such-requirement\"",
        ))
        .unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].field.as_deref()),
            (Some(2), Some("requirement"))
        );
        assert!(
            errs[0]
                .message
                .contains("unknown requirement `protocol.no-such-requirement`"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn inconsistent_outcomes_are_rejected() {
        let errs = parse(&GOOD.replace("status = 400", "status = 200")).unwrap_err();
        assert!(errs[0].message.contains("every acceptable status is 2xx"));
        let errs = parse(&GOOD.replace("error = \"NotAuthorizedException\"\n", "")).unwrap_err();
        assert_eq!(errs[0].field.as_deref(), Some("then.error"));
        let errs = parse(&format!("{GOOD}strict.error = \"UserNotFoundException\"\n")).unwrap_err();
        assert_eq!(errs[0].field.as_deref(), Some("then.strict.error"));
    }

    #[test]
    fn capabilities_must_be_declared() {
        let src = GOOD.replace("[when]", "[given]\ntoken = \"expired\"\n\n[when]");
        let errs = parse(&src).unwrap_err();
        assert!(
            errs[0].message.contains("clock-control"),
            "{}",
            errs[0].message
        );
    }

    const STEPS: &str = r#"title = "t"
requirement = "custom-attribute.writable-after-add"

[given]
pool_scope = "own"

[when]
operation = "AddCustomAttributes"
body = { UserPoolId = "{{pool_id}}", CustomAttributes = [{ Name = "later", AttributeDataType = "String", Mutable = true }] }

[then]
status = 200
schema = { "custom:later" = { data_type = "String", mutable = true } }

[[next]]
when = { operation = "AdminUpdateUserAttributes", body = { UserPoolId = "{{pool_id}}", Username = "{{username}}", UserAttributes = [{ Name = "custom:later", Value = "x" }] } }
then = { status = 200, state = { attributes = { "custom:later" = "x" } } }

[[next]]
[next.when]
operation = "GetUser"
body = { AccessToken = "{{access_token}}" }

[[next.then]]
status = 200

[[next.then]]
status = 400
error = "NotAuthorizedException"
"#;

    fn parse_steps(src: &str) -> Result<Case, Vec<FixtureError>> {
        parse_case(
            Path::new("fixtures/add-custom-attributes/schema/x.toml"),
            "add-custom-attributes/schema/x",
            src,
        )
    }

    #[test]
    fn next_calls_become_steps_in_order() {
        let c = parse_steps(STEPS).unwrap();
        let ops: Vec<Operation> = c.steps.iter().map(|s| s.when.operation).collect();
        assert_eq!(
            ops,
            [
                Operation::AddCustomAttributes,
                Operation::AdminUpdateUserAttributes,
                Operation::GetUser
            ]
        );
        assert_eq!(c.steps[2].then.outcomes.len(), 2);
        assert_eq!(c.operation(), Operation::AddCustomAttributes);
        assert!(c.steps[0].then.outcomes[0].reads_schema());
    }

    #[test]
    fn a_bad_next_call_names_its_place() {
        // serde: an unknown key inside an inline `then` of the first follow-on call.
        let e = &parse_steps(&STEPS.replace(
            "then = { status = 200, state",
            "then = { statuz = 200, state",
        ))
        .unwrap_err()[0];
        assert_eq!(
            (e.line, e.field.as_deref()),
            (Some(17), Some("next[1].then"))
        );
        assert!(
            e.message.contains("unknown field `statuz`"),
            "{}",
            e.message
        );
        // serde: a misspelt data type in the schema expectation.
        let e = &parse_steps(&STEPS.replace("data_type = \"String\"", "data_type = \"Text\""))
            .unwrap_err()[0];
        assert_eq!(e.line, Some(13));
        assert!(
            e.message.contains("unknown variant `Text`"),
            "{}",
            e.message
        );
        // checks: an error the operation cannot answer, in the second alternative of call 3.
        let errs = parse_steps(&STEPS.replace(
            "error = \"NotAuthorizedException\"",
            "error = \"NoSuchException\"",
        ))
        .unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].field.as_deref()),
            (Some(29), Some("next[2].then[2].error"))
        );
        assert!(errs[0].message.contains("GetUser"), "{}", errs[0].message);
        // checks: a success expected with an error type, in an inline table.
        let errs = parse_steps(&STEPS.replace(
            "then = { status = 200, state",
            "then = { status = 200, error = \"InvalidParameterException\", state",
        ))
        .unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].field.as_deref()),
            (Some(17), Some("next[1].then.error"))
        );
        // checks: a placeholder nobody binds, in a later call's body.
        let errs =
            parse_steps(&STEPS.replace("Value = \"x\"", "Value = \"{{nope}}\"")).unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].field.as_deref()),
            (Some(16), Some("next[1].when"))
        );
        // A later call may send an operation no fixture starts with; the first may not.
        let errs = parse_steps(&STEPS.replace(
            "operation = \"AddCustomAttributes\"",
            "operation = \"DescribeUserPool\"",
        ))
        .unwrap_err();
        assert_eq!(errs[0].field.as_deref(), Some("when.operation"));
        assert!(
            errs[0].message.contains("later call"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn schema_expectations_must_agree() {
        let errs = parse_steps(&STEPS.replace(
            "mutable = true } }",
            "mutable = true } }\nschema_absent = [\"custom:later\"]",
        ))
        .unwrap_err();
        assert_eq!(errs[0].field.as_deref(), Some("then.schema_absent"));
        assert_eq!(errs[0].line, Some(14));
    }

    #[test]
    fn an_error_type_the_model_lacks_is_accepted_when_a_cited_requirement_names_it() {
        let refused = |requirement: &str| {
            format!(
                "title = \"t\"\nrequirement = \"{requirement}\"\n\n[when]\noperation = \"AddCustomAttributes\"\nbody = {{ UserPoolId = \"{{{{pool_id}}}}\" }}\n\n[then]\nstatus = 400\nerror = [\"InvalidParameterException\", \"LimitExceededException\"]\n"
            )
        };
        assert!(parse_steps(&refused("custom-attribute.limit-50")).is_ok());
        let errs = parse_steps(&refused("custom-attribute.defaults")).unwrap_err();
        assert!(
            errs[0].message.contains("no cited requirement names it"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn a_principal_without_permission_must_be_declared() {
        let src = GOOD.replace(
            "[when]",
            "[given]\nsigning = \"principal-without-permission\"\n\n[when]",
        );
        let errs = parse(&src).unwrap_err();
        assert_eq!(errs[0].field.as_deref(), Some("given.signing"));
        assert!(
            errs[0].message.contains("sigv4-principals"),
            "{}",
            errs[0].message
        );
        let declared = src.replace("[given]", "needs = [\"sigv4-principals\"]\n\n[given]");
        assert!(parse(&declared).is_ok());
    }

    #[test]
    fn empty_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(load_dir(dir.path()), Err(LoadError::Empty(_))));
    }
}
