//! The requirement registry: what the suite believes Amazon Cognito does, each belief stated once
//! (`contract/requirements.toml`) with the evidence behind it, and the public sources that
//! evidence cites (`contract/sources/*.toml`: issue threads, test suites, SDK code and AWS
//! documentation, each opened and checked, with what it shows quoted). Both are compiled into
//! the binary; `docs/contract.md` is rendered from them ([`render_markdown`]).
//!
//! Fixtures and properties cite requirements by id (`attribute.immutable`); a case's evidence
//! level is its requirements' strongest one. Nothing here links outside the repository: a
//! source's address is the public place it was read (a GitHub thread, a URL), and what it shows
//! is quoted in the file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::vocab::EvidenceLevel;

const REQUIREMENTS: &str = include_str!("../../contract/requirements.toml");
const SOURCES: [(&str, &str); 3] = [
    (
        "contract/sources/self-service.toml",
        include_str!("../../contract/sources/self-service.toml"),
    ),
    (
        "contract/sources/attribute-family.toml",
        include_str!("../../contract/sources/attribute-family.toml"),
    ),
    (
        "contract/sources/documentation.toml",
        include_str!("../../contract/sources/documentation.toml"),
    ),
];

/// One behaviour of the contract.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// `<section>.<name>`, e.g. `attribute.immutable`.
    pub id: String,
    /// One line.
    pub title: String,
    /// What the contract requires, in our words: the contract tier and what is exact.
    pub statement: String,
    /// The operations it applies to.
    pub operations: Vec<String>,
    /// Every message text real Cognito was seen to answer for it (several where captures
    /// differ); none when no text was ever captured.
    pub strict_texts: Vec<String>,
    /// Texts derived from a captured format or from the documented service model but never
    /// captured verbatim (Coral's validation text at another member path, the model's newer
    /// pattern): the strict tier may assert them, and `docs/contract.md` lists them apart.
    #[serde(default)]
    pub derived_texts: Vec<String>,
    /// Why the suite believes it.
    pub evidence: Vec<Evidence>,
    /// Why no case checks it, when none does.
    #[serde(default)]
    pub uncovered_reason: Option<String>,
    /// Why the embedded reference cannot be made to violate it alone, when it cannot (the
    /// suite's mutation test, `reference::breaks` and `docs/detection.md`).
    #[serde(default)]
    pub unbreakable: Option<String>,
}

/// One piece of evidence for a requirement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// How strong it is.
    pub level: EvidenceLevel,
    /// A source id (`none` for reasoning alone).
    pub source: String,
    /// The operation the source shows.
    pub operation: String,
    /// What it shows, with the exact text.
    pub shows: String,
    /// When.
    pub date: String,
    /// For sibling and inferred evidence: why it carries over.
    #[serde(default)]
    pub reasoning: Option<String>,
}

/// A public source, as read and checked.
#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    /// Stable id (`amplify-js-3540`).
    pub id: String,
    /// issue, pull-request, test-suite, sdk-code, documentation, service-model, ...
    pub kind: String,
    /// Where it was read (`owner/repo#N`, `owner/repo:path@commit`, a URL).
    pub address: String,
    /// Its title.
    pub title: String,
    /// When the relevant part was written.
    pub date: String,
    /// Whether the text came from a live Cognito pool (`yes`, `no`, `unclear`, `n/a`).
    pub real_cognito: String,
    /// Why that is believed.
    pub real_cognito_why: String,
    /// verified, partly, contradicted, unreachable...
    pub verified: String,
    /// What it shows.
    #[serde(default)]
    pub shows: Vec<Shows>,
}

/// One fact a source shows.
#[derive(Debug, Clone, Deserialize)]
pub struct Shows {
    /// The Cognito operation that produced it.
    pub operation: String,
    /// HTTP status, when shown.
    #[serde(default)]
    pub status: Option<u16>,
    /// Error type, when shown.
    #[serde(default)]
    pub error_type: Option<String>,
    /// The exact text.
    #[serde(default)]
    pub text: Option<String>,
    /// Which request produced it, and where in the source.
    pub context: String,
}

/// Requirements and sources.
#[derive(Debug)]
pub struct Registry {
    /// Every requirement, in file order.
    pub requirements: Vec<Requirement>,
    /// Every source by id.
    pub sources: BTreeMap<String, Source>,
}

#[derive(Deserialize)]
struct RequirementsFile {
    requirement: Vec<Requirement>,
}

#[derive(Deserialize)]
struct SourcesFile {
    source: Vec<Source>,
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    Registry::parse().unwrap_or_else(|e| {
        panic!("the embedded registry is invalid (a unit test catches this): {e}")
    })
});

impl Registry {
    /// The registry compiled into the binary.
    pub fn get() -> &'static Registry {
        &REGISTRY
    }

    fn parse() -> Result<Registry, String> {
        let file: RequirementsFile =
            toml::from_str(REQUIREMENTS).map_err(|e| format!("contract/requirements.toml: {e}"))?;
        let mut sources = BTreeMap::new();
        for (path, text) in SOURCES {
            let f: SourcesFile = toml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
            for s in f.source {
                if let Some(old) = sources.insert(s.id.clone(), s) {
                    return Err(format!("{path}: source `{}` is listed twice", old.id));
                }
            }
        }
        Ok(Registry {
            requirements: file.requirement,
            sources,
        })
    }

    /// The requirement with this id.
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    #[cfg(test)]
    /// What is wrong with the registry itself: unknown sources, duplicate ids, requirements
    /// without evidence, inferred evidence without reasoning.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for r in &self.requirements {
            if !seen.insert(r.id.as_str()) {
                out.push(format!("requirement `{}` is listed twice", r.id));
            }
            if r.evidence.is_empty() {
                out.push(format!("requirement `{}` has no evidence", r.id));
            }
            for e in &r.evidence {
                if e.source != "none" && !self.sources.contains_key(&e.source) {
                    out.push(format!(
                        "requirement `{}` cites unknown source `{}`",
                        r.id, e.source
                    ));
                }
                let needs_reason = matches!(
                    e.level,
                    EvidenceLevel::Inferred | EvidenceLevel::ObservedSibling
                );
                if needs_reason && e.reasoning.as_deref().is_none_or(str::is_empty) {
                    out.push(format!(
                        "requirement `{}`: {} evidence from `{}` needs its reasoning",
                        r.id,
                        e.level.label(),
                        e.source
                    ));
                }
            }
        }
        out
    }
}

impl Registry {
    /// Whether `text` is one real Cognito was seen to answer for one of the requirements `ids`
    /// (their `strict_texts`, where `<...>` stands for any value). A strict expectation that
    /// is not is the suite's guess, and reports say so.
    pub fn seen<S: AsRef<str>>(&self, ids: &[S], text: &str) -> bool {
        ids.iter()
            .filter_map(|id| self.requirement(id.as_ref()))
            .flat_map(|r| r.strict_texts.iter())
            .any(|pattern| matches_text(pattern, text))
    }

    /// Whether `text` is seen ([`Registry::seen`]) or derived from a captured format or the
    /// documented model (`derived_texts`) for one of the requirements `ids`: the texts a
    /// fixture's strict tier may assert.
    pub fn supported<S: AsRef<str>>(&self, ids: &[S], text: &str) -> bool {
        self.seen(ids, text)
            || ids
                .iter()
                .filter_map(|id| self.requirement(id.as_ref()))
                .flat_map(|r| r.derived_texts.iter())
                .any(|pattern| matches_text(pattern, text))
    }
}

impl Registry {
    /// Whether the statement of one of the requirements `ids` names the error type `error`
    /// (as a whole word): an answer the evidence makes plausible although the service model
    /// does not list it for the operation (custom-attribute.limit-50 names
    /// LimitExceededException), which a fixture may therefore accept.
    pub fn names_error<S: AsRef<str>>(&self, ids: &[S], error: &str) -> bool {
        ids.iter()
            .filter_map(|id| self.requirement(id.as_ref()))
            .any(|r| {
                r.statement
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == error)
            })
    }
}

/// `text` against a captured text in which `<...>` stands for any non-empty value.
fn matches_text(pattern: &str, text: &str) -> bool {
    let mut re = String::from("(?s)^");
    let mut rest = pattern;
    while let Some(open) = rest.find('<') {
        match rest[open..].find('>') {
            Some(close) => {
                re.push_str(&regex::escape(&rest[..open]));
                re.push_str(".+?");
                rest = &rest[open + close + 1..];
            }
            None => break,
        }
    }
    re.push_str(&regex::escape(rest));
    re.push('$');
    regex::Regex::new(&re).is_ok_and(|r| r.is_match(text))
}

impl Requirement {
    /// The strongest level of its evidence.
    pub fn level(&self) -> EvidenceLevel {
        self.evidence
            .iter()
            .map(|e| e.level)
            .min()
            .unwrap_or(EvidenceLevel::Inferred)
    }

    /// The addresses of the sources behind its strongest evidence, for one-line citations.
    pub fn citation(&self, registry: &Registry) -> String {
        let level = self.level();
        let mut out: Vec<String> = Vec::new();
        for e in self.evidence.iter().filter(|e| e.level == level) {
            let text = match registry.sources.get(&e.source) {
                Some(s) => s.address.clone(),
                None => "reasoning (no source)".to_string(),
            };
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out.join("; ")
    }
}

/// One requirement in Markdown: its statement, the texts seen, and its evidence, each piece
/// quoting what its source shows (`explain ID` prints it).
pub fn render_requirement(r: &Requirement, registry: &Registry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### `{}`: {}\n", r.id, r.title);
    let _ = writeln!(out, "{}\n", r.statement.trim());
    let _ = writeln!(
        out,
        "- level: **{}**; operations: {}",
        r.level().label(),
        r.operations.join(", ")
    );
    if r.strict_texts.is_empty() {
        out.push_str("- texts seen: none (no exact text is asserted)\n");
    } else {
        let texts: Vec<String> = r
            .strict_texts
            .iter()
            .map(|t| format!("`{}`", t.replace('\n', "\\n")))
            .collect();
        let _ = writeln!(out, "- texts seen: {}", texts.join(" · "));
    }
    if !r.derived_texts.is_empty() {
        let texts: Vec<String> = r
            .derived_texts
            .iter()
            .map(|t| format!("`{}`", t.replace('\n', "\\n")))
            .collect();
        let _ = writeln!(
            out,
            "- texts derived from a captured format or the documented model (never captured verbatim): {}",
            texts.join(" · ")
        );
    }
    if let Some(why) = &r.uncovered_reason {
        let _ = writeln!(out, "- no case: {why}");
    }
    if let Some(why) = &r.unbreakable {
        let _ = writeln!(out, "- cannot be broken alone: {why}");
    }
    out.push_str("- evidence:\n");
    for e in &r.evidence {
        let source = registry
            .sources
            .get(&e.source)
            .map_or("reasoning".to_string(), |s| {
                format!("[{}](#source-{})", s.address, s.id)
            });
        let _ = writeln!(
            out,
            "  - {} · {} · {} ({}): {}",
            e.level.label(),
            source,
            e.operation,
            e.date,
            e.shows.replace('\n', " ")
        );
        if let Some(why) = e.reasoning.as_deref().filter(|w| !w.is_empty()) {
            let _ = writeln!(out, "    - why it carries over: {}", why.replace('\n', " "));
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
/// `docs/contract.md`: every requirement with its statement, the texts seen, and its evidence,
/// each piece quoting what its source shows; then every source.
pub fn render_markdown(registry: &Registry) -> String {
    let mut out = String::new();
    out.push_str("# The contract: what the suite believes Amazon Cognito does\n\n");
    out.push_str("Generated from `contract/requirements.toml` and `contract/sources/*.toml` (`UPDATE_GOLDEN=1 cargo test --lib registry` rewrites it). Every fixture and generated property cites requirements by id. Evidence levels, strongest first: **observed** (a live Cognito answer to this operation was published), **documented** (API reference, developer guide, service model), **observed-sibling** (a live answer of another operation through the same layer), **inferred** (reasoning; the contract tier then accepts every plausible answer). A source's address is where it was read; what it shows is quoted here.\n\n");
    let mut section = "";
    for r in &registry.requirements {
        let s = r.id.split('.').next().unwrap_or("");
        if s != section {
            section = s;
            let _ = writeln!(out, "## {section}\n");
        }
        out.push_str(&render_requirement(r, registry));
    }
    out.push_str("## Sources\n\n");
    for s in registry.sources.values() {
        let _ = writeln!(
            out,
            "<a id=\"source-{}\"></a>**{}** — {} ({}, {}; real Cognito: {}; {})",
            s.id,
            s.address,
            s.title.replace('\n', " "),
            s.kind,
            s.date,
            s.real_cognito,
            s.verified
        );
        for sh in &s.shows {
            let mut what = sh.operation.clone();
            if let Some(st) = sh.status {
                let _ = write!(what, " {st}");
            }
            if let Some(t) = &sh.error_type {
                let _ = write!(what, " {t}");
            }
            if let Some(t) = &sh.text {
                let _ = write!(what, " `{}`", t.replace('\n', "\\n").replace('`', "'"));
            }
            let _ = writeln!(out, "- {what}: {}", sh.context.replace('\n', " "));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_parses_and_holds_together() {
        let r = Registry::parse().expect("the registry parses");
        assert!(r.requirements.len() > 50);
        let problems = r.problems();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn docs_contract_md_is_rendered_from_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/contract.md");
        let actual = render_markdown(Registry::get());
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &actual).expect("write docs/contract.md");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == actual,
            "docs/contract.md is out of date: rerun with UPDATE_GOLDEN=1"
        );
    }

    #[test]
    fn captured_texts_match_with_their_placeholders() {
        assert!(matches_text(
            "user.<name>: Attribute cannot be updated.\n",
            "user.custom:badge: Attribute cannot be updated.\n"
        ));
        assert!(!matches_text(
            "user.<name>: Attribute cannot be updated.\n",
            "user.custom:badge: Attribute cannot be updated."
        ));
        assert!(matches_text("Too many requests", "Too many requests"));
        assert!(!matches_text("Too many requests", "Too many requests!"));
        let r = Registry::get();
        assert!(r.seen(&["protocol.throttling"], "Rate exceeded"));
        assert!(!r.seen(&["token.signature-invalid"], "Invalid Access Token"));
    }

    #[test]
    fn a_level_is_the_strongest_of_its_evidence() {
        let r = Registry::get()
            .requirement("token.revoked")
            .expect("token.revoked");
        assert!(r.level() <= EvidenceLevel::ObservedSibling);
        assert!(!r.citation(Registry::get()).is_empty());
    }
}
