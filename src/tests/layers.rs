//! The architecture invariant, pinned: modules are layered and every `crate::` path in a
//! module's (non-test) code points to its own layer's module or to a lower layer. Adding an
//! upward import fails this test with the file, the line and the two layers.
//!
//! ```text
//! text, vocab, fsio, stdout, partition -> secrets -> logging -> contract -> wire -> target | reference -> case
//!   -> generate -> check -> snapshot -> run -> property | baseline | report
//!   -> catalogue -> session (the facade) -> cli
//! ```
//! Modules on one rank (`target` and `reference`; `property`, `baseline` and `report`) may not
//! import each other either: they are siblings.

use std::path::Path;

/// Every top-level module of the library and its rank.
const LAYERS: &[(&str, u32)] = &[
    ("text", 0),
    ("vocab", 0),
    ("fsio", 0),
    ("stdout", 0),
    ("partition", 0),
    ("secrets", 1),
    ("logging", 2),
    ("contract", 3),
    ("wire", 4),
    ("target", 5),
    ("reference", 5),
    ("case", 6),
    ("generate", 7),
    ("check", 8),
    ("snapshot", 9),
    ("run", 10),
    ("property", 11),
    ("baseline", 11),
    ("report", 11),
    ("catalogue", 12),
    ("session", 13),
    ("cli", 14),
];

fn rank(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// `(line, imported module)` for every `crate::<module>` in the code of `text`, up to its
/// `#[cfg(test)]` section (tests may reach across layers to set things up).
fn imports(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if line.trim() == "#[cfg(test)]" {
            break;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let tail = &rest[at + "crate::".len()..];
            let name: String = tail
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
            rest = tail;
        }
    }
    out
}

/// Every upward or sideways import under `src/`.
fn violations(src: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (module, own) in LAYERS {
        let dir = src.join(module);
        let mut files = vec![src.join(format!("{module}.rs"))];
        walk(&dir, &mut files);
        for file in files.into_iter().filter(|f| f.is_file()) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (line, target) in imports(&text) {
                if target == *module {
                    continue;
                }
                match rank(&target) {
                    Some(r) if r < *own => {}
                    Some(r) => out.push(format!(
                        "{}:{line}: `{module}` (layer {own}) imports `{target}` (layer {r})",
                        file.display()
                    )),
                    None => out.push(format!(
                        "{}:{line}: `{module}` imports `{target}`, which has no layer: add it to LAYERS",
                        file.display()
                    )),
                }
            }
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_import_points_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports against the layers:\n{}",
        found.join("\n")
    );
    // Every module of the library has a layer.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line
            .trim()
            .strip_prefix("pub mod ")
            .or_else(|| line.trim().strip_prefix("mod "))
            .and_then(|r| r.strip_suffix(';'))
            && name != "tests"
        {
            assert!(rank(name).is_some(), "module `{name}` has no layer");
        }
    }
}

#[test]
fn an_upward_import_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("wire")).unwrap();
    std::fs::write(
        dir.path().join("wire/mod.rs"),
        "use crate::text::clip;\nuse crate::run::RunContext;\n#[cfg(test)]\nmod t { use crate::session::Session; }\n",
    )
    .unwrap();
    let found = violations(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("wire/mod.rs:2: `wire` (layer 4) imports `run` (layer 10)"),
        "{found:?}"
    );
}
