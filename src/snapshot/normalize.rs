//! Stable, numbered placeholders for run-specific values, on top of the secret redaction.
//!
//! A golden snapshot must be byte-identical between two runs of the same case, and between
//! the reference and any target that behaves the same. Everything a run invents (usernames,
//! pool and client ids, subs, request ids, addresses, masked destinations) therefore becomes
//! `[KIND_n]`, numbered per kind in order of first appearance, so that links between values
//! survive ("the sub in the body is the sub of the user") while the values themselves do not.
//!
//! Secrets are replaced first, by the [`Redactor`] (the one redaction policy), so a token never
//! reaches a snapshot even when a target echoes it somewhere unexpected.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::secrets::Redactor;

/// What a run-specific value is (the placeholder's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A username the run created.
    Username,
    /// A user pool id.
    PoolId,
    /// An app client id.
    ClientId,
    /// A user's `sub`.
    Sub,
    /// An address the run made up.
    Email,
    /// A request id (`x-amzn-RequestId`).
    RequestId,
    /// A masked code-delivery destination.
    Destination,
    /// Any other UUID.
    Uuid,
    /// Any other name carrying the run prefix.
    RunName,
    /// A date-time.
    Timestamp,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Username => "USERNAME",
            Kind::PoolId => "POOL_ID",
            Kind::ClientId => "CLIENT_ID",
            Kind::Sub => "SUB",
            Kind::Email => "EMAIL",
            Kind::RequestId => "REQUEST_ID",
            Kind::Destination => "DESTINATION",
            Kind::Uuid => "UUID",
            Kind::RunName => "RUN_NAME",
            Kind::Timestamp => "TIMESTAMP",
        }
    }
}

/// Values no run can predict, found by shape when nobody registered them.
static SHAPES: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    let uuid = r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b";
    vec![
        (Regex::new(uuid).expect("uuid regex"), Kind::Uuid),
        (
            Regex::new(r"\b[a-z]{2}(?:-[a-z]+)+-\d_[0-9A-Za-z]+\b").expect("pool id regex"),
            Kind::PoolId,
        ),
        (
            Regex::new(r"\bccf-\d+-[0-9a-z]+(?:[-.][0-9A-Za-z_]+)*").expect("run name regex"),
            Kind::RunName,
        ),
        (
            Regex::new(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
                .expect("timestamp regex"),
            Kind::Timestamp,
        ),
        (
            // SigV4's basic form (`X-Amz-Date`), as signature-expired messages quote it.
            Regex::new(r"\b\d{8}T\d{6}Z\b").expect("basic timestamp regex"),
            Kind::Timestamp,
        ),
    ]
});

/// The placeholder policy of one case: the secret redaction plus the values the case knows.
#[derive(Debug, Clone)]
pub struct Normalizer {
    redactor: Redactor,
    known: Vec<(String, Kind)>,
}

impl Normalizer {
    /// A normalizer that first applies `redactor`.
    pub fn new(redactor: Redactor) -> Normalizer {
        Normalizer {
            redactor,
            known: Vec::new(),
        }
    }

    /// Register a value the case knows to be run-specific. Values shorter than 3 characters
    /// are ignored (replacing them would mangle ordinary text).
    pub fn know(&mut self, value: &str, kind: Kind) {
        if value.chars().count() >= 3 && !self.known.iter().any(|(v, _)| v == value) {
            self.known.push((value.to_string(), kind));
            // Longest first: an address containing the username is replaced whole.
            self.known.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
        }
    }

    #[cfg(test)]
    /// Builder form of [`Normalizer::know`].
    pub fn with(mut self, value: &str, kind: Kind) -> Normalizer {
        self.know(value, kind);
        self
    }

    /// Redact secrets, then replace run-specific values by numbered placeholders, then write
    /// runs of one character (24 or more) as `c×N`.
    pub fn normalize(&self, text: &str) -> String {
        let text = self.redactor.redact(text);
        let mut spans: Vec<(usize, usize, Kind)> = Vec::new();
        let free = |spans: &[(usize, usize, Kind)], s: usize, e: usize| {
            spans.iter().all(|&(a, b, _)| e <= a || s >= b)
        };
        for (value, kind) in &self.known {
            for (s, _) in text.match_indices(value.as_str()) {
                let e = s + value.len();
                if free(&spans, s, e) {
                    spans.push((s, e, *kind));
                }
            }
        }
        for (re, kind) in SHAPES.iter() {
            for m in re.find_iter(&text) {
                if !is_placeholder(&text, m.start()) && free(&spans, m.start(), m.end()) {
                    spans.push((m.start(), m.end(), *kind));
                }
            }
        }
        spans.sort_by_key(|&(s, _, _)| s);
        let mut numbers: BTreeMap<(Kind, &str), usize> = BTreeMap::new();
        let mut per_kind: BTreeMap<Kind, usize> = BTreeMap::new();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (s, e, kind) in spans {
            let value = &text[s..e];
            let n = *numbers.entry((kind, value)).or_insert_with(|| {
                let c = per_kind.entry(kind).or_insert(0);
                *c += 1;
                *c
            });
            out.push_str(&text[at..s]);
            out.push_str(&format!("[{}_{n}]", kind.label()));
            at = e;
        }
        out.push_str(&text[at..]);
        // A boundary value (up to 131,073 characters) reads as `a×131073`: the golden stays
        // small and its diff readable, and the length is still compared.
        crate::text::abbreviate(&out)
    }
}

/// Whether the match starting at `at` sits inside a placeholder already (`[JWT]`...).
fn is_placeholder(text: &str, at: usize) -> bool {
    text[..at].ends_with('[')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n() -> Normalizer {
        Normalizer::new(Redactor::new().with("s3cr3t-password", "PASSWORD"))
            .with("ccf-17-abc123-u1", Kind::Username)
            .with("ccf-17-abc123-u1-new@example.com", Kind::Email)
            .with("us-east-1_Abc", Kind::PoolId)
    }

    #[test]
    fn known_values_are_numbered_per_kind_in_order_of_appearance() {
        let out = n().normalize(
            "user ccf-17-abc123-u1 in us-east-1_Abc, mail ccf-17-abc123-u1-new@example.com, \
             again ccf-17-abc123-u1",
        );
        assert_eq!(
            out,
            "user [USERNAME_1] in [POOL_ID_1], mail [EMAIL_1], again [USERNAME_1]"
        );
    }

    #[test]
    fn sigv4_dates_in_messages_are_timestamps() {
        let out = n().normalize(
            "Signature expired: 20261129T193008Z is now earlier than 20261129T193508Z (20261129T195008Z - 15 min.)",
        );
        assert_eq!(
            out,
            "Signature expired: [TIMESTAMP_1] is now earlier than [TIMESTAMP_2] ([TIMESTAMP_3] - 15 min.)"
        );
    }

    #[test]
    fn unknown_uuids_keep_their_links() {
        let a = "0e2f1b1c-1111-4222-8333-444455556666";
        let b = "9e2f1b1c-1111-4222-8333-444455556666";
        let out = n().normalize(&format!("{a} {b} {a}"));
        assert_eq!(out, "[UUID_1] [UUID_2] [UUID_1]");
    }

    #[test]
    fn secrets_go_before_anything_else() {
        let out = n().normalize("password s3cr3t-password for ccf-17-abc123-u1");
        assert_eq!(out, "password [PASSWORD] for [USERNAME_1]");
    }

    #[test]
    fn run_names_and_pool_ids_nobody_registered_are_found_by_shape() {
        let out = Normalizer::new(Redactor::new()).normalize(
            "pool eu-west-3_XyZ9 named ccf-99-zz99zz-kind.label at 2026-11-22T10:00:00Z",
        );
        assert_eq!(out, "pool [POOL_ID_1] named [RUN_NAME_1] at [TIMESTAMP_1]");
    }

    #[test]
    fn the_same_input_normalizes_the_same_way_whatever_the_values() {
        let one = Normalizer::new(Redactor::new())
            .with("ccf-1-aaaaaa-x", Kind::Username)
            .normalize("ccf-1-aaaaaa-x / 11111111-1111-4111-8111-111111111111");
        let two = Normalizer::new(Redactor::new())
            .with("ccf-2-bbbbbb-x", Kind::Username)
            .normalize("ccf-2-bbbbbb-x / 22222222-2222-4222-8222-222222222222");
        assert_eq!(one, two);
    }

    #[test]
    fn short_values_are_not_registered() {
        let out = Normalizer::new(Redactor::new())
            .with("ab", Kind::Username)
            .normalize("about");
        assert_eq!(out, "about");
    }

    #[test]
    fn boundary_values_are_abbreviated_after_placeholders() {
        let long = format!("{{\"V\":\"{}\",\"U\":\"ccf-user\"}}", "a".repeat(131_073));
        let out = Normalizer::new(Redactor::new())
            .with("ccf-user", Kind::Username)
            .normalize(&long);
        assert_eq!(out, "{\"V\":\"a×131073\",\"U\":\"[USERNAME_1]\"}");
    }
}
