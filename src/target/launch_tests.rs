//! Tests of the emulator launcher (`super::launch`), kept apart to keep that file small.

use super::*;
use std::os::unix::fs::PermissionsExt;

#[test]
fn pins_are_one_place_and_parse() {
    let p = pins();
    assert_eq!(p["moto"].version, "5.2.5");
    assert_eq!(p["cognito-local"].version, "5.3.0");
    assert_eq!(p["ministack"].version, "1.5.33");
    assert_eq!(p["fakecloud"].version, "0.51.0");
    assert_eq!(p["fakecloud"].registry, "crates.io");
    for (name, pin) in &p {
        assert!(
            pin.install.contains(&pin.version),
            "{name}: {}",
            pin.install
        );
        assert!(
            pin.install.contains(&pin.package),
            "{name}: {}",
            pin.install
        );
        assert!(
            pin.install.contains(&format!(".emulators/{name}")),
            "{name} must install where the suite looks: {}",
            pin.install
        );
    }
}

#[test]
fn every_pin_has_a_recipe_and_every_recipe_a_pin() {
    let root = Path::new(".emulators");
    for name in pins().keys() {
        assert!(
            recipe(name, root).is_some(),
            "{name} is pinned but cannot be launched"
        );
    }
    for name in ["moto", "cognito-local", "ministack", "fakecloud"] {
        assert!(pins().contains_key(name), "{name} has no pin");
    }
}

#[tokio::test]
async fn unknown_and_missing_emulators_say_what_to_do() {
    assert!(matches!(
        launch("localstack", LaunchOptions::default()).await,
        Err(LaunchError::Unknown(..))
    ));
    let dir = tempfile::tempdir().unwrap();
    for (name, install) in [
        ("moto", "pip install 'moto[server]==5.2.5'"),
        (
            "ministack",
            "python3 -m venv .emulators/ministack && .emulators/ministack/bin/pip install 'ministack==1.5.33'",
        ),
        (
            "fakecloud",
            "cargo install fakecloud --version 0.51.0 --locked --root .emulators/fakecloud",
        ),
    ] {
        let e = launch_from(
            name,
            dir.path(),
            Some(dir.path().as_os_str()),
            LaunchOptions::default(),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("not installed") && e.contains(install), "{e}");
        assert!(
            e.contains(&format!("{name}/bin/")),
            "says where it looked: {e}"
        );
    }
}

/// A Python package's metadata in the virtual environment `root/venv`, as pip writes it.
fn dist_info(root: &Path, venv: &str, dist: &str, version: &str) {
    let info = root.join(format!(
        "{venv}/lib/python3.11/site-packages/{dist}-{version}.dist-info"
    ));
    std::fs::create_dir_all(&info).unwrap();
    std::fs::write(
        info.join("METADATA"),
        format!("Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\nSummary: x\n\nVersion: 0.0.0 in the description\n"),
    )
    .unwrap();
}

/// A fake moto 5.2.5 install whose server is python's http.server (it listens on the
/// port given, which is all `Ready::Listening` asks), and which leaves a mark when run.
fn fake_moto(root: &Path, version: Option<&str>) -> PathBuf {
    let mark = root.join("moto-ran");
    script(
        root,
        "moto/bin/moto_server",
        &format!(
            "touch '{}'\nexec python3 -m http.server --bind \"$2\" \"$4\"",
            mark.display()
        ),
    );
    if let Some(v) = version {
        dist_info(root, "moto", "moto", v);
    }
    mark
}

const ALLOW: LaunchOptions = LaunchOptions {
    allow_version_mismatch: true,
};

#[tokio::test]
async fn another_moto_version_is_refused_with_both_versions_and_the_install_command() {
    let root = tempfile::tempdir().unwrap();
    let mark = fake_moto(root.path(), Some("5.2.1"));
    let e = launch_from("moto", root.path(), None, LaunchOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, LaunchError::VersionMismatch { .. }), "{e}");
    let text = e.to_string();
    assert!(text.contains("moto 5.2.1 found at"), "{text}");
    assert!(text.contains("pins moto 5.2.5"), "{text}");
    assert!(text.contains(&pins()["moto"].install), "{text}");
    assert!(
        text.contains("install the pinned version (moto[server] 5.2.5 from pypi) with:"),
        "the package and its registry: {text}"
    );
    assert!(text.contains("--allow-version-mismatch"), "{text}");
    assert!(!mark.exists(), "a refused emulator must not be started");
}

#[tokio::test]
async fn an_allowed_mismatch_runs_and_is_labelled_with_the_version_found() {
    let root = tempfile::tempdir().unwrap();
    let mark = fake_moto(root.path(), Some("5.2.1"));
    let l = launch_from("moto", root.path(), None, ALLOW).await.unwrap();
    assert_eq!(l.label, "moto 5.2.1");
    let warning = l.version_warning.clone().unwrap();
    assert!(
        warning.contains("moto 5.2.1") && warning.contains("5.2.5"),
        "{warning}"
    );
    assert!(mark.exists());
    l.stop().await;
    // The pinned version needs no flag and carries no warning.
    let root = tempfile::tempdir().unwrap();
    fake_moto(root.path(), Some("5.2.5"));
    let l = launch_from("moto", root.path(), None, LaunchOptions::default())
        .await
        .unwrap();
    assert_eq!(
        (l.label.as_str(), l.version_warning.as_deref()),
        ("moto 5.2.5", None)
    );
    l.stop().await;
}

#[tokio::test]
async fn an_unknown_version_is_refused_with_the_reason_unless_allowed() {
    let root = tempfile::tempdir().unwrap();
    let mark = fake_moto(root.path(), None);
    let e = launch_from("moto", root.path(), None, LaunchOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, LaunchError::VersionUnknown { .. }), "{e}");
    let text = e.to_string();
    assert!(text.contains("cannot tell which version of moto"), "{text}");
    assert!(text.contains("(moto[server] 5.2.5 from pypi)"), "{text}");
    assert!(text.contains("no moto-*.dist-info"), "{text}");
    assert!(text.contains("pins moto 5.2.5"), "{text}");
    assert!(text.contains(&pins()["moto"].install), "{text}");
    assert!(!mark.exists());
    let l = launch_from("moto", root.path(), None, ALLOW).await.unwrap();
    assert_eq!(l.label, "moto (version unknown)");
    assert!(l.version_warning.is_some());
    l.stop().await;
}

#[tokio::test]
async fn versions_are_read_where_each_emulator_keeps_them() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let probe = |name| recipe(name, r).unwrap().version;
    let known = |v: &str, f: &FoundVersion| matches!(f, FoundVersion::Known { version, .. } if version == v);

    // moto / ministack: pip's METADATA in the venv (`Version:` of the header only).
    script(r, "ministack/bin/ministack", "exit 0");
    dist_info(r, "ministack", "ministack", "1.5.30");
    let f = detect_version(&probe("ministack"), &r.join("ministack/bin/ministack")).await;
    assert!(known("1.5.30", &f), "{f:?}");

    // ... else importlib.metadata through the script's own interpreter.
    script(r, "elsewhere/moto_server", "exit 0");
    let interp = r.join("elsewhere/python3");
    script(
        r,
        "elsewhere/python3",
        r#"[ "$1" = -c ] && [ "$3" = moto ] && echo 5.1.0"#,
    );
    std::fs::write(
        r.join("elsewhere/moto_server"),
        format!("#!{}\nimport moto\n", interp.display()),
    )
    .unwrap();
    let f = detect_version(&probe("moto"), &r.join("elsewhere/moto_server")).await;
    assert!(known("5.1.0", &f), "{f:?}");

    // cognito-local: package.json of the package its .bin link points into.
    let pkg = r.join("cognito-local/node_modules/cognito-local");
    script(
        r,
        "cognito-local/node_modules/cognito-local/lib/bin/start.js",
        "exit 0",
    );
    std::fs::write(
        pkg.join("package.json"),
        r#"{"name": "cognito-local", "version": "5.2.0"}"#,
    )
    .unwrap();
    std::fs::write(
        r.join("cognito-local/package.json"),
        r#"{"dependencies": {"cognito-local": "^5.3.0"}}"#,
    )
    .unwrap();
    let bin = r.join("cognito-local/node_modules/.bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        "../cognito-local/lib/bin/start.js",
        bin.join("cognito-local"),
    )
    .unwrap();
    let f = detect_version(&probe("cognito-local"), &bin.join("cognito-local")).await;
    assert!(known("5.2.0", &f), "{f:?}");

    // fakecloud: cargo install's .crates.toml, else --version.
    script(
        r,
        "fakecloud/bin/fakecloud",
        r#"[ "$1" = --version ] && echo "fakecloud 0.50.1""#,
    );
    let exe = r.join("fakecloud/bin/fakecloud");
    let f = detect_version(&probe("fakecloud"), &exe).await;
    assert!(known("0.50.1", &f), "{f:?}");
    std::fs::write(
        r.join("fakecloud/.crates.toml"),
        "[v1]\n\"fakecloud 0.51.0 (registry+https://github.com/rust-lang/crates.io-index)\" = [\"fakecloud\"]\n",
    )
    .unwrap();
    let f = detect_version(&probe("fakecloud"), &exe).await;
    assert!(known("0.51.0", &f), "{f:?}");

    // Nothing to go by: unknown, saying where it looked.
    script(r, "bare/bin/fakecloud", "echo 'usage: nope'; exit 2");
    match detect_version(&probe("fakecloud"), &r.join("bare/bin/fakecloud")).await {
        FoundVersion::Unknown { reason } => {
            assert!(
                reason.contains(".crates.toml") && reason.contains("--version"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
}

/// An executable script at `root/rel`.
fn script(root: &Path, rel: &str, body: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[tokio::test]
async fn ministack_is_started_on_loopback_and_probed_on_its_ready_path() {
    // A stand-in that serves its working directory with the port and host ministack is
    // given: it is ready only if the launcher passed them and probes `/_ministack/ready`.
    let root = tempfile::tempdir().unwrap();
    script(
        root.path(),
        "ministack/bin/ministack",
        r#"[ "$SFTP_ENABLED" = 0 ] && [ "$IOT_MTLS_ENABLED" = 0 ] || exit 3
mkdir -p _ministack && echo '{}' > _ministack/ready
exec python3 -m http.server --bind "$BIND_HOST" "$GATEWAY_PORT""#,
    );
    dist_info(root.path(), "ministack", "ministack", "1.5.33");
    let l = launch_from("ministack", root.path(), None, LaunchOptions::default())
        .await
        .unwrap();
    assert!(l.url.starts_with("http://127.0.0.1:"), "{}", l.url);
    assert_eq!(l.label, "ministack 1.5.33");
    assert_eq!(l.version_warning, None);
    let addr = l
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    l.stop().await;
    assert!(
        tokio::net::TcpStream::connect(&addr).await.is_err(),
        "stopped emulator still listens"
    );
}

#[tokio::test]
async fn a_listening_port_without_the_ready_path_is_not_ready() {
    let root = tempfile::tempdir().unwrap();
    script(
        root.path(),
        "fakecloud/bin/fakecloud",
        // Serves 404 for /_fakecloud/health: listening, never healthy.
        r#"exec python3 -m http.server --bind 127.0.0.1 "${2##*:}""#,
    );
    let r = recipe("fakecloud", root.path()).unwrap();
    let port = free_port().unwrap();
    let workdir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(&r.candidates[0]);
    (r.configure)(&mut cmd, port, workdir.path()).unwrap();
    let mut l = Launched {
        url: format!("http://127.0.0.1:{port}/"),
        label: "fakecloud".into(),
        version_warning: None,
        child: cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap(),
        workdir,
    };
    let e = wait_ready(&mut l, "fakecloud", r.ready, Duration::from_secs(3))
        .await
        .unwrap_err();
    assert!(matches!(e, LaunchError::NotReady { .. }), "{e}");
    assert!(
        tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
            .await
            .is_ok(),
        "the stand-in should have been listening"
    );
    l.stop().await;
}

#[tokio::test]
async fn an_emulator_that_dies_at_start_shows_its_output() {
    let root = tempfile::tempdir().unwrap();
    script(
        root.path(),
        "moto/bin/moto_server",
        "echo 'ImportError: no module named werkzeug' >&2; exit 7",
    );
    dist_info(root.path(), "moto", "moto", "5.2.5");
    let e = launch_from("moto", root.path(), None, LaunchOptions::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("did not answer") && e.contains("it exited"),
        "{e}"
    );
    assert!(e.contains("ImportError: no module named werkzeug"), "{e}");
}
