//! Writing a run's results: the history and latent codes as CSV, the final
//! metrics as JSON, the checkpoint as safetensors. Every file is written to
//! a temporary name and renamed, so none is ever seen half-written.

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

/// The classification set's μ with each image's digit.
pub fn write_latents(path: &Path, run: &RunOutcome) -> Result<()> {
    let d = run.config.latent;
    let mut header = vec!["label".to_string()];
    header.extend((1..=d).map(|j| format!("mu{j}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let a = &run.analysis;
    let rows = a.scatter.labels.iter().enumerate().map(|(i, label)| {
        let mut row = vec![label.to_string()];
        row.extend(
            a.classify_mu[i * d..(i + 1) * d]
                .iter()
                .map(|v| v.to_string()),
        );
        row
    });
    write_atomic(path, &csv_bytes(path, &header, rows)?)
}

/// The settings and final numbers as JSON.
pub fn write_metrics(path: &Path, run: &RunOutcome) -> Result<()> {
    let value = serde_json::json!({ "config": run.config, "metrics": run.analysis.metrics });
    let text = serde_json::to_string_pretty(&value).map_err(|e| VaeError::Io {
        path: path.into(),
        source: std::io::Error::other(e),
    })?;
    write_atomic(path, text.as_bytes())
}

/// Writes `history.csv`, `latents.csv`, `metrics.json` and
/// `model.safetensors` into `dir` (created if needed).
pub fn write_run(dir: &Path, run: &RunOutcome) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| VaeError::Io {
        path: dir.into(),
        source,
    })?;
    write_history(&dir.join("history.csv"), run)?;
    write_latents(&dir.join("latents.csv"), run)?;
    write_metrics(&dir.join("metrics.json"), run)?;
    crate::checkpoint::save(&dir.join("model.safetensors"), &run.model, &run.config)
}
