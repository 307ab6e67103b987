//! Writing a report file whole or not at all ([`crate::fsio::write_atomic`]): an interrupted
//! or failed write never leaves half a report for CI to parse, and the previous report stays
//! byte-identical. Missing parent directories are created.

use std::path::Path;

use crate::run::events::ReportError;

/// Write `content` to `path` atomically.
pub(crate) fn write_whole(path: &Path, content: &[u8]) -> Result<(), ReportError> {
    let fail = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    crate::fsio::write_atomic(path, content).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_report_write_leaves_the_old_report_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out/r.json");
        write_whole(&path, b"{\"old\": true}\n").unwrap();
        // A hard link to the old report sees any in-place write; a replacement leaves it.
        let witness = dir.path().join("witness");
        std::fs::hard_link(&path, &witness).unwrap();
        write_whole(&path, b"{\"new\": true}\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"new\": true}\n");
        assert_eq!(std::fs::read(&witness).unwrap(), b"{\"old\": true}\n");
        // A directory where the report goes: the rename fails, the directory is untouched.
        let blocked = dir.path().join("blocked.json");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("old"), b"old").unwrap();
        let e = write_whole(&blocked, b"new").unwrap_err();
        assert_eq!(e.to_string(), format!("cannot write {}", blocked.display()));
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(std::fs::read(blocked.join("old")).unwrap(), b"old");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }
}
