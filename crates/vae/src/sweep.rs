//! Merging a sweep: the run directories that the shards of a suite wrote,
//! possibly on many machines, checked and analysed as one suite.
//!
//! [`find_runs`] looks through the run directories given and refuses, by
//! name, any directory of another suite file or of an incompatible vaelab;
//! [`analyse_stored`] then loads each run of the suite from its directory
//! (checking its settings and data hashes, see [`crate::store`]) and runs
//! the analysis, which is deterministic from the checkpoint. Nothing here
//! trains: a run without a directory is reported missing.
//!
//! [`train_suite`] is the other half: it trains runs into a store and
//! stops there (no analysis), reusing every finished run it finds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vaelab_mnist::Mnist;

use crate::config::RunConfig;
use crate::data::StudyData;
use crate::error::{Result, VaeError};
use crate::outcome::{FigureRuns, Retention};
use crate::store::{
    Lookup, MANIFEST, RunStore, data_hash, incompatibility, read_manifest, read_run,
};
use crate::suite::{Checkpoint, RunOutcome, finish};
use crate::train::{Progress, train};

/// The error of a run that has no run directory (with `allow_missing`).
pub const MISSING: &str = "missing: no finished run directory";

/// The finished runs found in a set of run stores.
#[derive(Debug, Default)]
pub struct Found {
    /// Run name → its directory.
    pub runs: BTreeMap<String, PathBuf>,
    /// Half-written directories seen (`.<run>.tmp-…`): ignored.
    pub half_written: Vec<PathBuf>,
}

fn sweep_error(message: String) -> VaeError {
    VaeError::Suite {
        path: "run directories".into(),
        message,
    }
}

/// Every finished run directory under `stores` (each a `--runs-dir`),
/// checked to belong to the suite file of hash `suite_sha256` and to this
/// vaelab. Every offending directory is named in one error; so is a run
/// found in two stores.
pub fn find_runs(stores: &[PathBuf], suite_sha256: &str) -> Result<Found> {
    let mut found = Found::default();
    let mut foreign = Vec::new();
    let mut incompatible = Vec::new();
    let mut twice = Vec::new();
    for store in stores {
        let entries = std::fs::read_dir(store).map_err(|source| VaeError::Io {
            path: store.clone(),
            source,
        })?;
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                if name.contains(".tmp-") || name.contains(".old-") {
                    found.half_written.push(dir);
                }
                continue;
            }
            if !dir.join(MANIFEST).is_file() {
                continue;
            }
            let manifest = match read_manifest(&dir) {
                Ok(m) => m,
                Err(e) => {
                    incompatible.push(format!("{} ({e})", dir.display()));
                    continue;
                }
            };
            if let Some(reason) = incompatibility(&manifest) {
                incompatible.push(format!("{} ({reason})", dir.display()));
            } else if manifest.suite_sha256.as_deref() != Some(suite_sha256) {
                foreign.push(dir.display().to_string());
            } else if let Some(first) = found.runs.get(&name) {
                twice.push(format!("{} and {}", first.display(), dir.display()));
            } else {
                found.runs.insert(name, dir);
            }
        }
    }
    let mut problems = Vec::new();
    if !foreign.is_empty() {
        problems.push(format!(
            "run directories of another suite file (its SHA-256 differs): {}",
            foreign.join(", ")
        ));
    }
    if !incompatible.is_empty() {
        problems.push(format!(
            "run directories this vaelab cannot read: {}",
            incompatible.join(", ")
        ));
    }
    if !twice.is_empty() {
        problems.push(format!("a run found twice: {}", twice.join("; ")));
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(sweep_error(problems.join("; ")))
    }
}

/// Loads the run `config` from `dir` and analyses it; the outcome's
/// checkpoint is [`Checkpoint::Reused`].
pub fn analyse_one(config: &RunConfig, data: &Mnist, dir: &Path) -> Result<RunOutcome> {
    let start = std::time::Instant::now();
    let sets = StudyData::select(data, &config.data, config.seed, &config.name)?;
    let data_sha256 = crate::store::data_hash(&sets);
    let trained = read_run(dir, config, &data_sha256)
        .map_err(|reason| sweep_error(format!("{}: cannot be used: {reason}", dir.display())))?;
    finish(
        config,
        &sets,
        trained,
        Checkpoint::Reused(dir.to_path_buf()),
        &mut |_| {},
        start,
    )
}

/// Every run of `runs` loaded from its directory in `found` and analysed on
/// up to `jobs` threads, in the runs' order. A run without a directory is
/// an error naming it (all missing runs at once) unless `allow_missing`;
/// then its entry is an error saying it was not found, for the report to
/// mark. A directory that does not fit its run (settings or data changed)
/// is always an error. Figure material is kept as `keep` says (see
/// [`crate::run_suite_stored`]).
pub fn analyse_stored(
    runs: &[RunConfig],
    data: &Mnist,
    found: &Found,
    jobs: usize,
    allow_missing: bool,
    keep: &FigureRuns,
) -> Result<Vec<Result<RunOutcome>>> {
    let missing: Vec<&str> = runs
        .iter()
        .filter(|r| !found.runs.contains_key(&r.name))
        .map(|r| r.name.as_str())
        .collect();
    if !missing.is_empty() && !allow_missing {
        return Err(sweep_error(format!(
            "{} of {} runs have no finished run directory: {} \
             (train them, or pass --allow-missing to report the rest)",
            missing.len(),
            runs.len(),
            missing.join(", ")
        )));
    }
    let threads = (jobs / runs.len().max(1)).max(1);
    let one = |config: &RunConfig| -> Result<RunOutcome> {
        let config = RunConfig {
            threads,
            ..config.clone()
        };
        match found.runs.get(&config.name) {
            Some(dir) => analyse_one(&config, data, dir),
            None => Err(sweep_error(format!("run {}: {MISSING}", config.name))),
        }
    };
    let retention = Retention::new(runs.len(), keep);
    let work = || {
        runs.par_iter()
            .enumerate()
            .for_each(|(i, config)| retention.finish(i, one(config)));
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => {
            for (i, config) in runs.iter().enumerate() {
                retention.finish(i, one(config));
            }
        }
    }
    let results = retention.into_results();
    // A directory that exists but does not fit is not a gap: refuse it.
    let unusable: Vec<String> = runs
        .iter()
        .zip(&results)
        .filter(|(r, res)| found.runs.contains_key(&r.name) && res.is_err())
        .filter_map(|(_, res)| res.as_ref().err().map(ToString::to_string))
        .filter(|e| e.contains("cannot be used"))
        .collect();
    if !unusable.is_empty() {
        return Err(sweep_error(unusable.join("; ")));
    }
    Ok(results)
}

/// Trains `runs` into `store` on up to `jobs` threads, without analysing
/// them: a finished run that fits is reused ([`Checkpoint::Reused`]), any
/// other is trained and saved ([`Checkpoint::Saved`]). `saved` hears each
/// run's index and checkpoint as soon as it is known. A run that could not
/// be saved is an error: nothing of it would be left for the report.
pub fn train_suite(
    runs: &[RunConfig],
    data: &Mnist,
    jobs: usize,
    store: &RunStore,
    progress: &(dyn Fn(usize, &Progress) + Sync),
    saved: &(dyn Fn(usize, &Checkpoint) + Sync),
) -> Vec<Result<Checkpoint>> {
    let threads = (jobs / runs.len().max(1)).max(1);
    let one = |i: usize, config: &RunConfig| -> Result<Checkpoint> {
        let config = RunConfig {
            threads,
            ..config.clone()
        };
        let sets = StudyData::select(data, &config.data, config.seed, &config.name)?;
        let data_sha256 = data_hash(&sets);
        let replaced = match store.lookup(&config, &data_sha256) {
            Lookup::Found(_) => {
                let checkpoint = Checkpoint::Reused(store.run_dir(&config.name));
                saved(i, &checkpoint);
                return Ok(checkpoint);
            }
            Lookup::Stale(reason) => Some(reason),
            Lookup::Missing => None,
        };
        let trained = train(&config, &sets, &mut |p: &Progress| progress(i, p))?;
        let dir = store.save(&config, &data_sha256, &trained)?;
        let checkpoint = Checkpoint::Saved { dir, replaced };
        saved(i, &checkpoint);
        Ok(checkpoint)
    };
    let work = || -> Vec<Result<Checkpoint>> {
        runs.par_iter()
            .enumerate()
            .map(|(i, config)| one(i, config))
            .collect()
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => runs.iter().enumerate().map(|(i, c)| one(i, c)).collect(),
    }
}
