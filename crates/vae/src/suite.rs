//! Suites: several runs described in one TOML file, run in parallel.
//!
//! ```toml
//! name = "seed-study"
//! dataset = "mnist"
//!
//! [defaults]          # every run starts from these (and RunConfig's defaults)
//! iterations = 2000
//!
//! [[runs]]
//! name = "relu-z20-ce"
//! activation = "relu"
//! latent = 20
//! ```
//!
//! Runs go one per thread (each single-threaded), so results do not depend
//! on how many run at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use serde::Deserialize;
use vaelab_mnist::Mnist;

use crate::analysis::{Analysis, analyse};
use crate::config::RunConfig;
use crate::data::StudyData;
use crate::error::{Result, VaeError};
use crate::model::Vae;
use crate::store::{Lookup, RunStore, data_hash};
use crate::train::{Progress, Record, Trained, train};

/// A parsed suite file.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    /// The suite's name.
    pub name: String,
    /// `mnist` or `fashion-mnist`.
    pub dataset: String,
    /// Free text for the report.
    pub description: String,
    /// The runs, each with its defaults filled in, in file order.
    pub runs: Vec<RunConfig>,
    /// The file's text, for the report's appendix.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    name: String,
    #[serde(default = "default_dataset")]
    dataset: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    defaults: toml::Table,
    runs: Vec<toml::Table>,
}

fn default_dataset() -> String {
    "mnist".into()
}

/// `base` with every key of `over` put in, tables merged key by key.
fn merge(base: &toml::Table, over: &toml::Table) -> toml::Table {
    let mut out = base.clone();
    for (key, value) in over {
        let merged = match (out.get(key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => toml::Value::Table(merge(b, o)),
            _ => value.clone(),
        };
        out.insert(key.clone(), merged);
    }
    out
}

impl Suite {
    /// Parses a suite from its text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Suite> {
        let fail = |message: String| VaeError::Suite {
            path: origin.to_string(),
            message,
        };
        let file: SuiteFile =
            toml::from_str(text).map_err(|e| fail(e.to_string().trim_end().to_string()))?;
        if !matches!(file.dataset.as_str(), "mnist" | "fashion-mnist") {
            return Err(fail(format!(
                "dataset = {:?}: expected \"mnist\" or \"fashion-mnist\"",
                file.dataset
            )));
        }
        if file.runs.is_empty() {
            return Err(fail("the suite has no [[runs]]".into()));
        }
        let mut runs: Vec<RunConfig> = Vec::new();
        for (i, table) in file.runs.iter().enumerate() {
            let label = match table.get("name") {
                Some(toml::Value::String(name)) => format!("run {name:?} (runs[{i}])"),
                _ => format!("runs[{i}]"),
            };
            let merged = merge(&file.defaults, table);
            // Parsing the merged run as text (not as a value) makes the
            // error quote the offending line, so it names the setting.
            let text = toml::to_string(&merged).map_err(|e| fail(format!("{label}: {e}")))?;
            let config: RunConfig = toml::from_str(&text)
                .map_err(|e| fail(format!("{label}: {}", e.to_string().trim_end())))?;
            if runs.iter().any(|r| r.name == config.name) {
                return Err(fail(format!(
                    "{label}: the name {:?} is used twice",
                    config.name
                )));
            }
            config.validate().map_err(|e| fail(e.to_string()))?;
            runs.push(config);
        }
        Ok(Suite {
            name: file.name,
            dataset: file.dataset,
            description: file.description,
            runs,
            source: text.into(),
        })
    }

    /// Reads and parses a suite file.
    pub fn load(path: &Path) -> Result<Suite> {
        let text = std::fs::read_to_string(path).map_err(|source| VaeError::Io {
            path: path.into(),
            source,
        })?;
        Suite::parse(&text, &path.display().to_string())
    }

    /// Keeps the runs whose name matches `pattern`: comma-separated
    /// alternatives, each with `*` matching any text.
    pub fn select(&mut self, pattern: &str) -> Result<()> {
        let alternatives: Vec<&str> = pattern
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        self.runs
            .retain(|r| alternatives.iter().any(|p| glob_match(p, &r.name)));
        if self.runs.is_empty() {
            return Err(VaeError::Suite {
                path: self.name.clone(),
                message: format!("no run matches {pattern:?}"),
            });
        }
        Ok(())
    }

    /// Sets the iteration count and/or seed of every run, then re-checks them.
    pub fn override_all(&mut self, iterations: Option<usize>, seed: Option<u64>) -> Result<()> {
        for run in &mut self.runs {
            if let Some(n) = iterations {
                // A count of updates replaces the run's epochs.
                run.iterations = n;
                run.epochs = None;
            }
            if let Some(s) = seed {
                run.seed = s;
            }
            run.validate()?;
        }
        Ok(())
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any text.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| glob_match(rest, &tail[i..]))
        }
    }
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Its settings.
    pub config: RunConfig,
    /// The trained model.
    pub model: Vae,
    /// Recorded losses.
    pub history: Vec<Record>,
    /// Report material and final numbers.
    pub analysis: Analysis,
    /// Training time (of the original training, for a reused run).
    pub train_time: Duration,
    /// Training plus analysis time.
    pub total_time: Duration,
    /// Whether the model was trained or reused, and where it is kept.
    pub checkpoint: Checkpoint,
}

/// What became of a run's model in the run store.
#[derive(Debug, Clone, PartialEq)]
pub enum Checkpoint {
    /// No run store was given: nothing saved before the analysis.
    NotStored,
    /// Trained and saved in `dir` before the analysis; `replaced` says why
    /// a finished run found there was not reused.
    Saved {
        /// The run directory.
        dir: PathBuf,
        /// Why an earlier run in `dir` did not fit, if there was one.
        replaced: Option<String>,
    },
    /// Trained, but the run directory could not be written (the error).
    NotSaved(String),
    /// Loaded from this run directory instead of training.
    Reused(PathBuf),
}

/// Selects the data, trains and analyses one run.
pub fn run_one(
    config: &RunConfig,
    data: &Mnist,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<RunOutcome> {
    run_one_stored(config, data, None, progress, &mut |_| {})
}

/// [`run_one`] with a run store: a finished run with the same settings on
/// the same data is loaded from it instead of trained; a run trained here is
/// saved in it the moment training ends, before the analysis. `saved` hears
/// what happened, as soon as it has.
pub fn run_one_stored(
    config: &RunConfig,
    data: &Mnist,
    store: Option<&RunStore>,
    progress: &mut (dyn FnMut(&Progress) + Send),
    saved: &mut dyn FnMut(&Checkpoint),
) -> Result<RunOutcome> {
    let start = std::time::Instant::now();
    let sets = StudyData::select(data, &config.data, config.seed, &config.name)?;
    let (trained, checkpoint) = match store {
        None => (train(config, &sets, progress)?, Checkpoint::NotStored),
        Some(store) => {
            let data_sha256 = data_hash(&sets);
            let replaced = match store.lookup(config, &data_sha256) {
                Lookup::Found(trained) => {
                    let dir = store.run_dir(&config.name);
                    return finish(
                        config,
                        &sets,
                        *trained,
                        Checkpoint::Reused(dir),
                        saved,
                        start,
                    );
                }
                Lookup::Stale(reason) => Some(reason),
                Lookup::Missing => None,
            };
            let trained = train(config, &sets, progress)?;
            // Saved now, before the analysis: a crash there loses nothing.
            let checkpoint = match store.save(config, &data_sha256, &trained) {
                Ok(dir) => Checkpoint::Saved { dir, replaced },
                Err(e) => Checkpoint::NotSaved(e.to_string()),
            };
            (trained, checkpoint)
        }
    };
    finish(config, &sets, trained, checkpoint, saved, start)
}

/// Reports what became of the model, then analyses it.
fn finish(
    config: &RunConfig,
    sets: &StudyData,
    trained: Trained,
    checkpoint: Checkpoint,
    saved: &mut dyn FnMut(&Checkpoint),
    start: std::time::Instant,
) -> Result<RunOutcome> {
    saved(&checkpoint);
    let analysis = analyse(&trained.model, sets, config)?;
    Ok(RunOutcome {
        config: config.clone(),
        model: trained.model,
        history: trained.history,
        analysis,
        train_time: trained.elapsed,
        total_time: start.elapsed(),
        checkpoint,
    })
}

/// Runs `runs` on up to `jobs` threads; results come back in the runs' order,
/// one failed run leaving the others to finish. `progress` hears each run's
/// index and progress. With fewer runs than threads, each run splits its
/// large matrix products over `jobs / runs` threads (same results).
pub fn run_suite(
    runs: &[RunConfig],
    data: &Mnist,
    jobs: usize,
    progress: &(dyn Fn(usize, &Progress) + Sync),
) -> Vec<Result<RunOutcome>> {
    run_suite_stored(runs, data, jobs, None, progress, &|_, _| {})
}

/// [`run_suite`] with a run store (see [`run_one_stored`]); `saved` hears
/// each run's index and what became of its model.
pub fn run_suite_stored(
    runs: &[RunConfig],
    data: &Mnist,
    jobs: usize,
    store: Option<&RunStore>,
    progress: &(dyn Fn(usize, &Progress) + Sync),
    saved: &(dyn Fn(usize, &Checkpoint) + Sync),
) -> Vec<Result<RunOutcome>> {
    let threads = (jobs / runs.len().max(1)).max(1);
    let one = |i: usize, config: &RunConfig| {
        let config = RunConfig {
            threads,
            ..config.clone()
        };
        run_one_stored(
            &config,
            data,
            store,
            &mut |p: &Progress| progress(i, p),
            &mut |c: &Checkpoint| saved(i, c),
        )
    };
    let work = || -> Vec<Result<RunOutcome>> {
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
        // Without a pool of our own (threads exhausted), run one at a time.
        Err(_) => runs.iter().enumerate().map(|(i, c)| one(i, c)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"
name = "t"
[defaults]
iterations = 5
adam = { lr = 0.01 }
[[runs]]
name = "a"
[[runs]]
name = "b"
latent = 20
adam = { beta1 = 0.5 }
"#;

    #[test]
    fn defaults_fill_in_and_tables_merge() {
        let suite = Suite::parse(SUITE, "t.toml").expect("valid");
        assert_eq!(suite.runs.len(), 2);
        assert_eq!(suite.runs[0].iterations, 5);
        assert_eq!(suite.runs[1].latent, 20);
        assert_eq!(suite.runs[1].adam.lr, 0.01);
        assert_eq!(suite.runs[1].adam.beta1, 0.5);
        assert_eq!(suite.runs[0].latent, 2);
    }

    #[test]
    fn bad_suites_name_the_file_the_run_and_the_setting() {
        let cases = [
            (SUITE.replace("latent = 20", "latnet = 20"), "latnet"),
            (SUITE.replace("latent = 20", "latent = \"big\""), "latent"),
            (SUITE.replace("latent = 20", "latent = 0"), "latent"),
            (SUITE.replace("beta1 = 0.5", "lr = -1.0"), "adam"),
            (
                SUITE.replace("iterations = 5", "iterations = 0"),
                "iterations",
            ),
            (SUITE.replace("name = \"b\"", "name = \"a\""), "used twice"),
            (
                SUITE.replace("name = \"t\"", "name = \"t\"\nextra = 1"),
                "extra",
            ),
        ];
        for (text, needle) in cases {
            let err = Suite::parse(&text, "t.toml").expect_err(needle).to_string();
            assert!(
                err.contains("t.toml") && err.contains(needle),
                "{needle}: {err}"
            );
        }
    }

    #[test]
    fn selection_by_pattern() {
        assert!(glob_match("relu-*", "relu-z2-ce"));
        assert!(glob_match("*-ce", "relu-z2-ce"));
        assert!(!glob_match("*-sse", "relu-z2-ce"));
        assert!(glob_match("relu-*-ce", "relu-z20-ce"));
        let mut suite = Suite::parse(SUITE, "t.toml").expect("valid");
        suite.select("b, c*").expect("b matches");
        assert_eq!(suite.runs.len(), 1);
        assert!(suite.select("zzz").is_err());
    }
}
