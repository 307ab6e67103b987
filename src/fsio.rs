//! Writing the files the suite rewrites (baselines, reports, the matrix, golden snapshots and
//! their `.snap.new`) whole or not at all, and checking before a run that they can be written.
//!
//! [`write_atomic`] writes to a temporary file in the target's directory and renames it over
//! the target, so an interrupted or failed write leaves the old file byte-identical and a
//! reader (CI parsing a report, `git diff` of a baseline) never sees half a file. A leaf
//! module: it knows nothing of what the files hold.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replace `path` with `contents` atomically: a temporary file beside it (same directory, so
/// the rename cannot cross file systems), synced, then renamed over it. The parent directory
/// must exist. A file that exists keeps its permissions; a new one gets the usual
/// `0666 & !umask`, like [`std::fs::write`]. A symlink is written through (its target is
/// replaced, the link stays). On any error the old file is untouched and no temporary file is
/// left behind.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    let target = resolve_symlink(path);
    // Only a file's permissions are carried over; a directory in the way makes the rename
    // below fail.
    let existing = fs::metadata(&target).ok().filter(fs::Metadata::is_file);
    let dir = parent_dir(&target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Narrowed by the umask at creation, as `File::create` would be (a temporary file
        // is otherwise owner-only).
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    // On failure the temporary file is dropped, which deletes it.
    let mut tmp = builder.tempfile_in(dir).map_err(plain)?;
    if let Some(meta) = &existing {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file_mut().write_all(contents.as_ref())?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| plain(e.error))?;
    Ok(())
}

/// The operating system's error without tempfile's ` at path "DIR/.NAME.XXXXXX.tmp"`: the
/// temporary name means nothing to the user, and the caller names the real path. (tempfile
/// wraps the error in a private type whose `source` skips it, so only its text is left.)
fn plain(e: io::Error) -> io::Error {
    let text = e.get_ref().map(ToString::to_string);
    match text.as_deref().and_then(|t| t.split_once(" at path \"")) {
        Some((cause, _)) => io::Error::new(e.kind(), cause.to_string()),
        None => e,
    }
}

/// A symlink's final target (so writing replaces the file it points at, not the link);
/// anything else, or a dangling link, as it is.
fn resolve_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or(path.into()),
        _ => path.to_path_buf(),
    }
}

/// The directory a file lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An output path given on the command line cannot be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputPathError {
    /// The path names a directory.
    #[error("{flag} {path}: is a directory")]
    IsDirectory {
        /// The flag that gave the path (`--json`).
        flag: String,
        /// The path.
        path: PathBuf,
    },
    /// A component of the path's directory exists but is not a directory.
    #[error("{flag} {path}: {ancestor} is not a directory")]
    NotADirectory {
        /// The flag that gave the path.
        flag: String,
        /// The path.
        path: PathBuf,
        /// The component that is a file (or something else).
        ancestor: PathBuf,
    },
    /// No file can be created where the path's file would go.
    #[error("{flag} {path}: cannot create a file in {dir}")]
    NotWritable {
        /// The flag that gave the path.
        flag: String,
        /// The path.
        path: PathBuf,
        /// The directory that refused (the parent, or its nearest existing ancestor).
        dir: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// Check, before any work is done, that [`write_atomic`] will be able to write `path` (after
/// its missing parent directories are created, as the report writers do): the path is not a
/// directory, the nearest existing ancestor of its parent is a directory, and a file can be
/// created and removed there. `flag` names the option in the error (`--json`).
pub fn check_output(flag: &str, path: &Path) -> Result<(), OutputPathError> {
    let target = resolve_symlink(path);
    if target.is_dir() {
        return Err(OutputPathError::IsDirectory {
            flag: flag.into(),
            path: path.into(),
        });
    }
    // The nearest ancestor that exists (missing directories are created at write time).
    let mut dir = parent_dir(&target);
    let meta = loop {
        match fs::metadata(dir) {
            Ok(m) => break m,
            // ENOTDIR: a file further up; found as the nearest existing ancestor.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                match dir.parent() {
                    Some(p) if !p.as_os_str().is_empty() => dir = p,
                    _ if dir.is_relative() && dir != Path::new(".") => dir = Path::new("."),
                    _ => return Err(not_writable(flag, path, dir, e)),
                }
            }
            Err(e) => return Err(not_writable(flag, path, dir, e)),
        }
    };
    if !meta.is_dir() {
        return Err(OutputPathError::NotADirectory {
            flag: flag.into(),
            path: path.into(),
            ancestor: dir.into(),
        });
    }
    let probe = tempfile::Builder::new()
        .prefix(".cognito-conformance-check.")
        .tempfile_in(dir)
        .map_err(|source| not_writable(flag, path, dir, plain(source)))?;
    probe
        .close()
        .map_err(|source| not_writable(flag, path, dir, source))
}

fn not_writable(flag: &str, path: &Path, dir: &Path, source: io::Error) -> OutputPathError {
    OutputPathError::NotWritable {
        flag: flag.into(),
        path: path.into(),
        dir: dir.into(),
        source,
    }
}

/// [`check_output`] for each `(flag, path)`, stopping at the first that fails.
pub fn check_outputs<'a>(
    outputs: impl IntoIterator<Item = (&'a str, &'a Path)>,
) -> Result<(), OutputPathError> {
    outputs
        .into_iter()
        .try_for_each(|(flag, path)| check_output(flag, path))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::fs::Permissions;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp") || n.starts_with(".cognito-conformance-check"))
            .collect()
    }

    #[test]
    fn writes_and_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        write_atomic(&p, "one").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "one");
        write_atomic(&p, b"two, longer").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two, longer");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    fn a_failed_rename_leaves_the_old_file_byte_identical() {
        // The rename cannot replace a non-empty directory: persist fails after the temporary
        // file was written. The directory's file is untouched and no temporary file remains.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old"), b"old bytes\n").unwrap();
        let e = write_atomic(&target, "new").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory, "{e}");
        assert_eq!(fs::read(target.join("old")).unwrap(), b"old bytes\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    /// The child half of [`a_write_that_fails_midway_leaves_the_old_file_byte_identical`]: run
    /// in a process whose file size limit is smaller than what it writes.
    #[test]
    #[ignore = "run by a_write_that_fails_midway_leaves_the_old_file_byte_identical"]
    fn child_writes_past_the_file_size_limit() {
        let (Some(target), Some(how)) = (
            std::env::var_os("FSIO_CHILD_TARGET"),
            std::env::var_os("FSIO_CHILD_HOW"),
        ) else {
            return;
        };
        let big = vec![b'n'; 64 * 1024];
        let result = if how == "atomic" {
            write_atomic(Path::new(&target), &big)
        } else {
            fs::write(&target, &big)
        };
        println!("FSIO_CHILD_RESULT {result:?}");
    }

    /// A write that fails after writing part of the new content (the file size limit,
    /// `RLIMIT_FSIZE`, stops it with EFBIG): the old file survives byte for byte. The same
    /// failure with `std::fs::write` truncates it, which shows the failure happens mid-write.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_that_fails_midway_leaves_the_old_file_byte_identical() {
        use std::os::unix::process::CommandExt;
        let old = b"target = \"moto 5.2.5\"\n# reasons written by hand\n".repeat(20);
        let run_child = |how: &str| {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("moto.toml");
            fs::write(&target, &old).unwrap();
            let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
            cmd.args([
                "--exact",
                "fsio::tests::child_writes_past_the_file_size_limit",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("FSIO_CHILD_TARGET", &target)
            .env("FSIO_CHILD_HOW", how);
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let limit = libc::rlimit {
                        rlim_cur: 4096,
                        rlim_max: 4096,
                    };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let out = cmd.output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let leftovers = leftovers(dir.path());
            (fs::read(&target).unwrap(), stdout, leftovers)
        };

        let (after, stdout, leftovers) = run_child("atomic");
        assert!(stdout.contains("FSIO_CHILD_RESULT Err("), "{stdout}");
        assert!(
            stdout.contains("FileTooLarge") || stdout.contains("File too large"),
            "{stdout}"
        );
        assert_eq!(after, old, "the old file must be byte-identical");
        assert!(leftovers.is_empty(), "{leftovers:?}");

        // Control: a plain write under the same limit destroys the old content.
        let (after, stdout, _) = run_child("plain");
        assert!(stdout.contains("FSIO_CHILD_RESULT Err("), "{stdout}");
        assert_ne!(
            after,
            old,
            "a plain write fails midway: {} bytes left",
            after.len()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_directory_leaves_the_old_file_byte_identical() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.toml");
        fs::write(&p, b"target = \"moto\"\n# a comment\n").unwrap();
        fs::set_permissions(dir.path(), Permissions::from_mode(0o555)).unwrap();
        let result = write_atomic(&p, "target = \"x\"\n");
        fs::set_permissions(dir.path(), Permissions::from_mode(0o755)).unwrap();
        if is_root() {
            // root ignores directory permissions; the write may succeed.
            return;
        }
        let e = result.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"target = \"moto\"\n# a comment\n");
    }

    /// Whether directory permissions are enforced for this process (not for root).
    #[cfg(unix)]
    fn is_root() -> bool {
        let d = tempfile::tempdir().unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(d.path(), Permissions::from_mode(0o555)).unwrap();
        let writable = fs::write(d.path().join("x"), "").is_ok();
        fs::set_permissions(d.path(), Permissions::from_mode(0o755)).unwrap();
        writable
    }

    #[cfg(unix)]
    #[test]
    fn permissions_survive_and_new_files_are_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.md");
        write_atomic(&p, "x").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_ne!(
            mode, 0o600,
            "a new report must not be owner-only like a temp file"
        );
        fs::set_permissions(&p, Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, "y").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, "new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn output_paths_are_checked_with_the_flag_named() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("r.json");
        check_output("--json", &ok).unwrap();
        assert!(!ok.exists(), "the check creates nothing");
        assert!(leftovers(dir.path()).is_empty());
        // Missing parents are fine: the writers create them.
        check_output("--json", &dir.path().join("a/b/r.json")).unwrap();
        assert!(!dir.path().join("a").exists());

        let e = check_output("--junit", dir.path()).unwrap_err();
        assert!(matches!(e, OutputPathError::IsDirectory { .. }), "{e}");
        assert!(e.to_string().starts_with("--junit "), "{e}");

        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        let e = check_output("--markdown", &file.join("x/r.md")).unwrap_err();
        assert!(matches!(e, OutputPathError::NotADirectory { .. }), "{e}");
        assert!(e.to_string().contains("file is not a directory"), "{e}");

        let e = check_output("--json", Path::new("/proc/nope/x.json")).unwrap_err();
        assert!(matches!(e, OutputPathError::NotWritable { .. }), "{e}");
        let text = e.to_string();
        assert_eq!(
            text,
            "--json /proc/nope/x.json: cannot create a file in /proc"
        );
        assert!(
            std::error::Error::source(&e).is_some(),
            "the cause is the source"
        );

        let e = check_outputs([("--json", ok.as_path()), ("--junit", dir.path())]).unwrap_err();
        assert!(e.to_string().starts_with("--junit"), "{e}");
    }
}
