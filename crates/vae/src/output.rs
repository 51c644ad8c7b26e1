//! Writing what training itself produces: any file atomically, CSV built in
//! memory, and the loss history. Every file is written to a temporary name
//! and renamed, so none is ever seen half-written. The report's other files
//! (latent codes, figures, summaries) are written by `vaelab-report`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Result, VaeError};
use crate::suite::RunOutcome;

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| VaeError::Io {
        path: path.into(),
        source,
    };
    let tmp = temp_path(path);
    let mut file = std::fs::File::create(&tmp).map_err(io)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".tmp{}", std::process::id()));
    path.with_file_name(name)
}

/// Builds a CSV file in memory from a header and rows.
pub fn csv_bytes(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>> {
    let err = |source| VaeError::Csv {
        path: path.into(),
        source,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner().map_err(|e| VaeError::Io {
        path: path.into(),
        source: e.into_error(),
    })
}

/// The recorded losses, one row per recorded iteration (the columns of
/// [`crate::store::HISTORY_HEADER`]).
pub fn write_history(path: &Path, run: &RunOutcome) -> Result<()> {
    write_atomic(path, &crate::store::history_csv(path, &run.history)?)
}
