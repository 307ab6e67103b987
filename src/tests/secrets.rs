//! Secrets never leave the process, in-process half (the binary half is `tests/secrets.rs`): a
//! target that hands out known tokens and echoes them back in error messages and bodies is run
//! through every reporter at full verbosity, with trace-level logging through the suite's own
//! subscriber and with a known AWS secret key; no output, log line or golden snapshot may
//! contain any token, the password, the key, the session token, or a part of a token the suite
//! derives others from.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

#[path = "../../tests/support/leaky.rs"]
mod leaky;

use leaky::*;

use crate::case::load::parse_case;
use crate::report::{
    JsonReporter, JunitReporter, MarkdownReporter, TerminalOptions, TerminalReporter,
};
use crate::run::{Reporter, RunOptions, TargetSpec, case_jobs, connect, run};
use crate::snapshot::{Golden, GoldenStore, Goldens, Info, Provenance};

fn cases() -> Vec<crate::case::Case> {
    vec![
        fixture("access", "DeleteUser", "delete-user", "access"),
        fixture("id", "UpdateUserAttributes", "update-user-attributes", "id"),
        fixture(
            "refresh",
            "DeleteUserAttributes",
            "delete-user-attributes",
            "refresh",
        ),
        fixture("revoked", "DeleteUser", "delete-user", "revoked"),
        fixture(
            "tampered-signature",
            "DeleteUser",
            "delete-user",
            "tampered",
        ),
        fixture("alg-none", "DeleteUser", "delete-user", "alg-none"),
    ]
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Buf {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fixture(token: &str, op: &str, dir: &str, fault: &str) -> crate::case::Case {
    let id = format!("{dir}/leak/{fault}");
    let src = fixture_text(token, op);
    parse_case(Path::new(&format!("fixtures/{id}.toml")), &id, &src).expect("fixture")
}

impl<'a> MakeWriter<'a> for Buf {
    type Writer = Buf;
    fn make_writer(&'a self) -> Buf {
        self.clone()
    }
}

/// The library path: every reporter, plus the log at trace level through the suite's own
/// subscriber (the same sink the binary installs), on this test's thread.
#[tokio::test]
async fn no_secret_reaches_any_output() {
    let log = super::log();

    let passwords = Passwords::default();
    let server = target(passwords.clone()).await;
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIALEAKTEST"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_SESSION_TOKEN", SESSION),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let spec = TargetSpec {
        endpoint: Some(server.uri()),
        env,
        ..TargetSpec::default()
    };
    let connected = connect(spec, Goldens::none()).await.unwrap();
    let ctx = connected.ctx.clone();
    let password = ctx.provisioner.password().to_string();
    let dir = tempfile::tempdir().unwrap();
    let term = Buf::default();
    let opts = TerminalOptions {
        color: false,
        progress: false,
        verbose: true,
        strict: true,
    };
    let mut reporters: Vec<Box<dyn Reporter>> = vec![
        Box::new(TerminalReporter::new(Box::new(term.clone()), opts)),
        Box::new(JsonReporter::new(dir.path().join("r.json"))),
        Box::new(JunitReporter::new(dir.path().join("r.xml"))),
        Box::new(MarkdownReporter::new(dir.path().join("r.md"))),
    ];
    let result = run(
        case_jobs(cases()),
        ctx,
        &RunOptions::default(),
        &mut reporters,
    )
    .await
    .unwrap();
    assert_eq!(result.summary.executed(), 6, "every probe must run");
    assert_eq!(passwords.0.lock().unwrap()[0], password);

    let mut outputs = vec![("terminal".to_string(), term.text())];
    for f in ["r.json", "r.xml", "r.md"] {
        outputs.push((
            f.to_string(),
            std::fs::read_to_string(dir.path().join(f)).unwrap(),
        ));
    }
    outputs.push(("outcomes (Debug)".into(), format!("{:?}", result.outcomes)));
    // Golden snapshots, written as `record` writes them.
    let store = GoldenStore::new(dir.path().join("snapshots"));
    for o in &result.outcomes {
        let golden = Golden {
            info: Info {
                case: o.id.clone(),
                provenance: Provenance::model(&o.requirements),
            },
            description: o.title.clone(),
            content: o.exchange.clone().expect("every probe exchanged"),
        };
        let path = store.write(&golden, true, "secrets test").unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            text.contains("bad token in") && (text.contains("_TOKEN]") || text.contains("[JWT]")),
            "the echo is kept, redacted: {text}"
        );
        outputs.push((format!("snapshot of {}", o.id), text));
    }
    let log = log.text();
    let secrets = secrets(&password);
    for (name, text) in &outputs {
        assert!(
            text.contains("leak probe") || name.contains("Debug"),
            "{name} is not the report it should be"
        );
        assert_clean(name, text, &secrets);
    }
    assert_clean("the trace log", &log, &secrets);
    // The echo made it through, redacted: the reports still show what the target said.
    assert!(
        outputs[1].1.contains("bad token in") && outputs[1].1.contains("[ACCESS_TOKEN]"),
        "{}",
        outputs[1].1
    );
    assert!(
        outputs[0].1.contains("$ACCESS_TOKEN"),
        "reproductions use the variable"
    );
    assert_logged_bodies(&log);
    // Echoing the token it was sent is a security finding of its own, per operation, in every
    // report (and the value itself still in none, checked above).
    use crate::run::FindingKind;
    let echoes: Vec<&crate::run::Finding> = result
        .summary
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::SecretEcho)
        .collect();
    let ops: Vec<&str> = echoes.iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(
        ops,
        ["DeleteUser", "DeleteUserAttributes", "UpdateUserAttributes"],
        "{echoes:?}"
    );
    let delete = echoes[0];
    assert_eq!(delete.cases.len(), 4, "{delete:?}");
    assert!(
        delete.detail.contains("[ACCESS_TOKEN]")
            && delete.detail.contains("the error message")
            && delete.detail.contains("header x-echo"),
        "{delete:?}"
    );
    for (name, text) in &outputs[..4] {
        let says = match name.as_str() {
            "terminal" => "SECURITY   DeleteUser echoes a secret it was sent, in 4 cases",
            "r.json" => "\"kind\": \"secret-echo\"",
            "r.xml" => "type=\"secret-echo\"",
            _ => "**security**: DeleteUser echoes a secret it was sent, in 4 cases",
        };
        assert!(
            text.contains(says),
            "{name} lacks the security finding: {text}"
        );
    }
}
