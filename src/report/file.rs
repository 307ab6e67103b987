//! Writing a report file whole or not at all: the content goes to a temporary file next to
//! the target and is renamed over it, so an interrupted write never leaves half a report
//! for CI to parse. Missing parent directories are created.

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
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_string());
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, content).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        fail(source)
    })
}
