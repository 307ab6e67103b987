//! Secrets never leave the process, through the binary: a target that hands out known tokens
//! and echoes them back in error messages and bodies is run with every report, at trace-level
//! logging (on stderr, then in a file) and with a known AWS secret key; no output may contain
//! any token, the password, the key, the session token, or a part of a token the suite derives
//! others from. The in-process half of this test is `src/tests/secrets.rs`.

#[path = "support/leaky.rs"]
mod leaky;

use leaky::*;

/// The binary path: `run --log-level trace` with every report, the log on stderr, then again
/// with the log in a file; credentials come from the environment as a user would set them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_at_trace_level_leaks_nothing() {
    let passwords = Passwords::default();
    let server = target(passwords.clone()).await;
    let fixtures = tempfile::tempdir().unwrap();
    for (token, op, dir, name) in [
        ("access", "DeleteUser", "delete-user", "access"),
        ("id", "UpdateUserAttributes", "update-user-attributes", "id"),
        (
            "refresh",
            "DeleteUserAttributes",
            "delete-user-attributes",
            "refresh",
        ),
        ("revoked", "DeleteUser", "delete-user", "revoked"),
        (
            "tampered-signature",
            "DeleteUser",
            "delete-user",
            "tampered",
        ),
        ("alg-none", "DeleteUser", "delete-user", "alg-none"),
    ] {
        let d = fixtures.path().join(dir).join("leak");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(format!("{name}.toml")), fixture_text(token, op)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let log_file = out.path().join("run.log");
    for to_file in [false, true] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-conformance"));
        cmd.args([
            "run",
            "--endpoint",
            &server.uri(),
            "--no-progress",
            "--verbose",
            "--strict",
        ])
        // The generated properties run too (their failure reports and reproductions are
        // outputs), kept small: the stand-in fails them all and each failure shrinks.
        .args(["--cases", "2", "--max-shrink-iters", "4"])
        .args(["--log-level", "trace", "--fixtures"])
        .arg(fixtures.path())
        .arg("--json")
        .arg(out.path().join("r.json"))
        .arg("--junit")
        .arg(out.path().join("r.xml"))
        .arg("--markdown")
        .arg(out.path().join("r.md"))
        .env("AWS_ACCESS_KEY_ID", "AKIALEAKTEST")
        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
        .env("AWS_SESSION_TOKEN", SESSION)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env_remove("COGNITO_CONFORMANCE_LOG");
        if to_file {
            cmd.arg("--log-file").arg(&log_file);
        }
        let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(1),
            "the probes ran and failed:\n{stderr}"
        );
        let password = passwords.0.lock().unwrap().last().cloned().unwrap();
        let secrets = secrets(&password);
        let mut outputs = vec![("stdout", stdout), ("stderr", stderr.clone())];
        for f in ["r.json", "r.xml", "r.md"] {
            outputs.push((f, std::fs::read_to_string(out.path().join(f)).unwrap()));
        }
        let log = if to_file {
            assert!(
                !stderr.contains("TRACE"),
                "the log went to the file, not stderr"
            );
            std::fs::read_to_string(&log_file).unwrap()
        } else {
            stderr
        };
        outputs.push(("log", log.clone()));
        for (name, text) in &outputs {
            assert_clean(
                &format!("{name} (log in a file: {to_file})"),
                text,
                &secrets,
            );
        }
        assert_logged_bodies(&log);
    }
}
