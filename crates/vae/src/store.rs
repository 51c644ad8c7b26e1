//! Finished runs on disk, so that nothing trained is ever lost.
//!
//! The moment a run's training ends, before any analysis, its model and
//! history are saved in a *run directory*; a later invocation with the same
//! settings on the same data loads them instead of training again. The
//! format is self-contained (a later tool can train and report from it):
//!
//! ```text
//! <runs-dir>/<run-name>/
//!   run.json            what the run is (see RunManifest), written last
//!   model.safetensors   the parameters, with the settings in the metadata
//!                       (crate::checkpoint: loads one to one into PyTorch)
//!   history.csv         iteration, train_ce, train_sse, train_mse, train_kl,
//!                       test_ce, test_sse, test_mse, test_kl, validation_ce,
//!                       validation_sse, validation_mse, validation_kl (empty
//!                       without a validation set)
//! ```
//!
//! `run.json` holds the format version, the vaelab version, the run's full
//! settings, `settings_sha256` (SHA-256 of the settings as JSON without the
//! `analysis` table, which does not change training), `data_sha256` (of the
//! training and test images and labels the run used) and the training time.
//! A run is reused only if all three of format, settings hash and data hash
//! match and the vaelab version is the same; otherwise it is trained again
//! and the directory replaced.
//!
//! Each directory is written under a temporary name (`.<run-name>.tmp-…`)
//! and renamed into place complete, so a directory named after a run is
//! never half-written; a kill leaves at most a temporary directory, which
//! is never read and is cleared by the next save of that run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::RunConfig;
use crate::data::StudyData;
use crate::error::{Result, VaeError};
use crate::evaluate::Losses;
use crate::output::{csv_bytes, write_atomic};
use crate::train::{Record, Trained};

/// Version of the run-directory layout (2: `history.csv` has validation
/// columns).
pub const FORMAT: u32 = 2;
/// The manifest's file name.
pub const MANIFEST: &str = "run.json";
/// The checkpoint's file name.
pub const MODEL: &str = "model.safetensors";
/// The history's file name.
pub const HISTORY: &str = "history.csv";
/// Columns of `history.csv`.
pub const HISTORY_HEADER: [&str; 13] = [
    "iteration",
    "train_ce",
    "train_sse",
    "train_mse",
    "train_kl",
    "test_ce",
    "test_sse",
    "test_mse",
    "test_kl",
    "validation_ce",
    "validation_sse",
    "validation_mse",
    "validation_kl",
];

/// The contents of `run.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunManifest {
    /// [`FORMAT`] when written.
    pub format: u32,
    /// The vaelab version that trained the run.
    pub vaelab_version: String,
    /// The run's name (also the directory's).
    pub run: String,
    /// [`settings_hash`] of `settings`.
    pub settings_sha256: String,
    /// [`data_hash`] of the run's training and test sets.
    pub data_sha256: String,
    /// Wall time of the training loop, seconds.
    pub train_seconds: f64,
    /// Every setting of the run.
    pub settings: RunConfig,
    /// [`suite_hash`] of the suite file the run belongs to (absent in run
    /// directories written without a suite file). `cargo xtask report`
    /// refuses a run directory of another suite file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_sha256: Option<String>,
}

/// SHA-256 (hex) of a suite file's text.
pub fn suite_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Reads a run directory's `run.json`.
pub fn read_manifest(dir: &Path) -> std::result::Result<RunManifest, String> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Why a manifest was written by an incompatible vaelab, if it was.
pub fn incompatibility(manifest: &RunManifest) -> Option<String> {
    if manifest.format != FORMAT {
        return Some(format!("format {} (expected {FORMAT})", manifest.format));
    }
    if manifest.vaelab_version != env!("CARGO_PKG_VERSION") {
        return Some(format!(
            "trained by vaelab {} (this is {})",
            manifest.vaelab_version,
            env!("CARGO_PKG_VERSION")
        ));
    }
    None
}

/// SHA-256 (hex) of the settings that decide training: everything but the
/// `analysis` table, as JSON.
pub fn settings_hash(config: &RunConfig) -> String {
    let mut value = serde_json::to_value(config).unwrap_or_default();
    if let Some(table) = value.as_object_mut() {
        table.remove("analysis");
    }
    hex(&Sha256::digest(value.to_string().as_bytes()))
}

/// SHA-256 (hex) of the training, test and (when there is one) validation
/// images and labels of `sets`.
pub fn data_hash(sets: &StudyData) -> String {
    let mut hasher = Sha256::new();
    let validation = (!sets.validation.is_empty()).then_some(&sets.validation);
    for set in [&sets.train, &sets.test].into_iter().chain(validation) {
        hasher.update((set.len() as u64).to_le_bytes());
        hasher.update(set.all_bytes());
        hasher.update(&set.labels);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What [`RunStore::lookup`] found for a run.
#[derive(Debug)]
pub enum Lookup {
    /// A finished run with the same settings and data: reuse it.
    Found(Box<Trained>),
    /// No finished run of that name.
    Missing,
    /// A finished run that does not fit, and why (it will be replaced).
    Stale(String),
}

/// A directory of run directories (`<runs-dir>`).
#[derive(Debug, Clone)]
pub struct RunStore {
    dir: PathBuf,
    retrain: bool,
    suite_sha256: Option<String>,
}

impl RunStore {
    /// The store in `dir` (created when the first run is saved). With
    /// `retrain`, [`RunStore::lookup`] never reuses a run.
    pub fn new(dir: impl Into<PathBuf>, retrain: bool) -> Self {
        RunStore {
            dir: dir.into(),
            retrain,
            suite_sha256: None,
        }
    }

    /// The same store, recording in every run it saves that the run belongs
    /// to the suite file of hash `suite_sha256` ([`suite_hash`]). A reused
    /// run recorded under another suite file (same settings, same data) is
    /// adopted: its `run.json` is rewritten with this hash.
    pub fn with_suite(mut self, suite_sha256: String) -> Self {
        self.suite_sha256 = Some(suite_sha256);
        self
    }

    /// Half-written run directories of the runs `names` (left by a process
    /// killed while saving): `.<name>.tmp-…` and `.<name>.old-…`. Only the
    /// named runs' are listed, so that a shard never touches the temporary
    /// directories of runs another shard is saving at the same moment.
    pub fn half_written(&self, names: &[&str]) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| {
                let file = e.file_name();
                let file = file.to_string_lossy();
                names.iter().any(|name| {
                    file.strip_prefix('.')
                        .and_then(|f| f.strip_prefix(*name))
                        .is_some_and(|rest| rest.starts_with(".tmp-") || rest.starts_with(".old-"))
                })
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the run `name` is kept.
    pub fn run_dir(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The finished run for `config` on data of hash `data_sha256`, if one
    /// fits. A directory that cannot be read is reported as stale.
    pub fn lookup(&self, config: &RunConfig, data_sha256: &str) -> Lookup {
        let dir = self.run_dir(&config.name);
        if !dir.join(MANIFEST).is_file() {
            return Lookup::Missing;
        }
        if self.retrain {
            return Lookup::Stale("--retrain".into());
        }
        match read_run(&dir, config, data_sha256) {
            Ok(trained) => {
                self.adopt(&dir);
                Lookup::Found(Box::new(trained))
            }
            Err(reason) => Lookup::Stale(reason),
        }
    }

    /// Records this store's suite hash in the finished run in `dir`, if it
    /// holds another. A failure leaves the old hash, which `report` names.
    fn adopt(&self, dir: &Path) {
        let Some(hash) = &self.suite_sha256 else {
            return;
        };
        let Ok(mut manifest) = read_manifest(dir) else {
            return;
        };
        if manifest.suite_sha256.as_ref() != Some(hash) {
            manifest.suite_sha256 = Some(hash.clone());
            if let Ok(text) = serde_json::to_string_pretty(&manifest) {
                let _ = write_atomic(&dir.join(MANIFEST), text.as_bytes());
            }
        }
    }

    /// Saves a trained run (atomically, replacing any earlier one) and
    /// returns its directory.
    pub fn save(
        &self,
        config: &RunConfig,
        data_sha256: &str,
        trained: &Trained,
    ) -> Result<PathBuf> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| VaeError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let final_dir = self.run_dir(&config.name);
        let tmp = self.dir.join(format!(
            ".{}.tmp-{}-{}",
            config.name,
            std::process::id(),
            unique()
        ));
        std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        let written = (|| {
            crate::checkpoint::save(&tmp.join(MODEL), &trained.model, config)?;
            let history = tmp.join(HISTORY);
            write_atomic(&history, &history_csv(&history, &trained.history)?)?;
            let manifest = RunManifest {
                format: FORMAT,
                vaelab_version: env!("CARGO_PKG_VERSION").into(),
                run: config.name.clone(),
                settings_sha256: settings_hash(config),
                data_sha256: data_sha256.into(),
                train_seconds: trained.elapsed.as_secs_f64(),
                settings: config.clone(),
                suite_sha256: self.suite_sha256.clone(),
            };
            let path = tmp.join(MANIFEST);
            let text = serde_json::to_string_pretty(&manifest).map_err(|e| VaeError::Io {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
            write_atomic(&path, text.as_bytes())
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        // A directory cannot be renamed over a non-empty one: move the old
        // run aside first, then drop it once the new one is in place.
        let old = self.dir.join(format!(
            ".{}.old-{}-{}",
            config.name,
            std::process::id(),
            unique()
        ));
        let had_old = std::fs::rename(&final_dir, &old).is_ok();
        let moved = std::fs::rename(&tmp, &final_dir);
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        if let Err(source) = moved {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(VaeError::Io {
                path: final_dir,
                source,
            });
        }
        Ok(final_dir)
    }
}

/// A number that differs between calls in one process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Reads a run directory back, checking that it fits `config` and the data.
pub fn read_run(
    dir: &Path,
    config: &RunConfig,
    data_sha256: &str,
) -> std::result::Result<Trained, String> {
    let manifest = read_manifest(dir)?;
    if let Some(reason) = incompatibility(&manifest) {
        return Err(reason);
    }
    if manifest.settings_sha256 != settings_hash(config) {
        return Err("the settings changed".into());
    }
    if manifest.data_sha256 != data_sha256 {
        return Err("the data changed".into());
    }
    let (saved, model) = crate::checkpoint::load(&dir.join(MODEL)).map_err(|e| e.to_string())?;
    if settings_hash(&saved) != manifest.settings_sha256 {
        return Err(format!("{MODEL} does not match {MANIFEST}"));
    }
    let history = read_history(&dir.join(HISTORY))?;
    if history.last().map(|r| r.iteration) != Some(config.iterations) {
        return Err(format!("{HISTORY} does not end at the last iteration"));
    }
    Ok(Trained {
        model,
        history,
        elapsed: Duration::from_secs_f64(manifest.train_seconds.max(0.0)),
    })
}

/// `history.csv` of `history` (values in Rust's shortest round-trip form,
/// so reading them back gives the same numbers).
pub fn history_csv(path: &Path, history: &[Record]) -> Result<Vec<u8>> {
    let rows = history.iter().map(|r| {
        let (a, b) = (r.train, r.test);
        let mut row = vec![r.iteration.to_string()];
        row.extend(
            [a.ce, a.sse, a.mse, a.kl, b.ce, b.sse, b.mse, b.kl]
                .iter()
                .map(|v| v.to_string()),
        );
        match r.validation {
            Some(v) => row.extend([v.ce, v.sse, v.mse, v.kl].iter().map(|x| x.to_string())),
            None => row.extend(std::iter::repeat_n(String::new(), 4)),
        }
        row
    });
    csv_bytes(path, &HISTORY_HEADER, rows)
}

/// Reads a `history.csv` written by [`history_csv`].
pub fn read_history(path: &Path) -> std::result::Result<Vec<Record>, String> {
    let bad = |message: String| format!("{}: {message}", path.display());
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(e.to_string()))?;
    let header = reader.headers().map_err(|e| bad(e.to_string()))?;
    if header.iter().ne(HISTORY_HEADER) {
        return Err(bad(format!("unexpected columns {header:?}")));
    }
    let mut history = Vec::new();
    for (line, row) in reader.records().enumerate() {
        let row = row.map_err(|e| bad(e.to_string()))?;
        let value = |k: usize| -> std::result::Result<f64, String> {
            row[k].parse::<f64>().map_err(|e| {
                bad(format!(
                    "row {}: column {}: {e}",
                    line + 1,
                    HISTORY_HEADER[k]
                ))
            })
        };
        let losses = |k: usize| -> std::result::Result<Losses, String> {
            Ok(Losses {
                ce: value(k)?,
                sse: value(k + 1)?,
                mse: value(k + 2)?,
                kl: value(k + 3)?,
            })
        };
        history.push(Record {
            iteration: row[0]
                .parse()
                .map_err(|e| bad(format!("row {}: iteration: {e}", line + 1)))?,
            train: losses(1)?,
            test: losses(5)?,
            validation: if row[9].is_empty() {
                None
            } else {
                Some(losses(9)?)
            },
        });
    }
    Ok(history)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_hash_ignores_analysis_but_not_training_settings() {
        let base = RunConfig::default();
        let mut analysis = base.clone();
        analysis.analysis.loglik_samples = 7;
        assert_eq!(settings_hash(&base), settings_hash(&analysis));
        let mut seed = base.clone();
        seed.seed = 1;
        assert_ne!(settings_hash(&base), settings_hash(&seed));
        assert_eq!(settings_hash(&base).len(), 64);
    }

    #[test]
    fn half_written_lists_only_the_named_runs_temporary_directories() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".a.tmp-1-0",
            ".a.old-2-0",
            ".ab.tmp-1-0",
            ".b.tmp-3-1",
            "a",
            ".a",
        ] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let store = RunStore::new(dir.path(), false);
        let names = |found: Vec<PathBuf>| -> Vec<String> {
            found
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            names(store.half_written(&["a"])),
            [".a.old-2-0", ".a.tmp-1-0"]
        );
        assert_eq!(names(store.half_written(&["b", "c"])), [".b.tmp-3-1"]);
        assert!(store.half_written(&[]).is_empty());
    }

    #[test]
    fn the_suite_hash_is_of_the_whole_text() {
        assert_eq!(suite_hash("name = \"s\""), suite_hash("name = \"s\""));
        assert_ne!(suite_hash("name = \"s\""), suite_hash("name = \"s\"\n"));
    }
}
