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
//! A suite may also declare `[grid]` axes that expand to named runs (see
//! [`crate::grid`]); grid runs come after the `[[runs]]`, and every name
//! must be unique.
//!
//! Seeds: `seeds = [0, 1, 2, 3, 4]` (in `[defaults]` or in a run) repeats a
//! configuration once per seed; a single `seed = 3` is the same as
//! `seeds = [3]`. A run's own choice wins over `[defaults]`; one table may
//! not set both. Every configuration expands to one [`RunConfig`] per seed:
//! they share the configuration's `name` and differ in `seed`, and
//! [`RunConfig::id`] (`relu-z20-ce/seed-3`) tells them apart.
//! [`Suite::runs`] lists them configuration by configuration, seeds in the
//! order given. Where a flat file name is needed, [`Suite::label`] gives the
//! plain name for a configuration with one seed (so a one-seed suite names
//! its outputs exactly as before) and `relu-z20-ce-seed-3` otherwise.
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
use crate::grid;
use crate::model::Vae;
use crate::outcome::{FigureRuns, Retention};
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
    /// The same in Japanese, for the report's Japanese edition (that
    /// edition shows `description` when it is empty).
    pub description_ja: String,
    /// The configurations, each with its defaults filled in, in file order
    /// (`[[runs]]` first, then grids).
    pub configurations: Vec<Configuration>,
    /// Every configuration once per seed, in the configurations' order:
    /// what runs. Kept in step with `configurations` by the methods below.
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
    description_ja: String,
    #[serde(default)]
    defaults: toml::Table,
    #[serde(default)]
    runs: Vec<toml::Table>,
    /// One `[grid]` table or several `[[grid]]` tables.
    grid: Option<toml::Value>,
}

/// One configuration of a suite and the seeds it runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Configuration {
    /// The settings; `config.seed` is the first of `seeds`.
    pub config: RunConfig,
    /// The seeds, at least one, none twice.
    pub seeds: Vec<u64>,
}

impl Configuration {
    /// The flat name of its run with `seed`: the plain name if the
    /// configuration has one seed, else `{name}-seed-{seed}`.
    pub fn label(&self, seed: u64) -> String {
        if self.seeds.len() == 1 {
            self.config.name.clone()
        } else {
            format!("{}-seed-{}", self.config.name, seed)
        }
    }

    /// One run per seed, in the order of `seeds`.
    pub fn runs(&self) -> impl Iterator<Item = RunConfig> + '_ {
        self.seeds.iter().map(|&seed| RunConfig {
            seed,
            ..self.config.clone()
        })
    }
}

/// Takes `seeds` out of `table` (a `RunConfig` has one `seed`) and returns
/// the seeds the table asks for, if it names any.
fn take_seeds(
    table: &mut toml::Table,
    label: &str,
) -> std::result::Result<Option<Vec<u64>>, String> {
    let seeds = table.remove("seeds");
    match (seeds, table.get("seed")) {
        (Some(_), Some(_)) => Err(format!("{label}: set either `seed` or `seeds`, not both")),
        (None, Some(toml::Value::Integer(s))) => u64::try_from(*s)
            .map(|s| Some(vec![s]))
            .map_err(|_| format!("{label}: seed = {s}: a seed is an integer ≥ 0")),
        // Any other `seed` is left for RunConfig to refuse by name.
        (None, _) => Ok(None),
        (Some(toml::Value::Array(values)), None) => {
            let mut seeds = Vec::with_capacity(values.len().min(1024));
            for v in &values {
                let seed = v
                    .as_integer()
                    .and_then(|s| u64::try_from(s).ok())
                    .ok_or_else(|| format!("{label}: seeds: {v} is not an integer ≥ 0"))?;
                if seeds.contains(&seed) {
                    return Err(format!("{label}: seeds: {seed} is given twice"));
                }
                seeds.push(seed);
            }
            if seeds.is_empty() {
                return Err(format!("{label}: seeds = []: give at least one seed"));
            }
            Ok(Some(seeds))
        }
        (Some(other), None) => Err(format!(
            "{label}: seeds = {other}: expected a list such as [0, 1, 2, 3, 4]"
        )),
    }
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
        let mut defaults = file.defaults;
        let default_seeds = take_seeds(&mut defaults, "[defaults]").map_err(&fail)?;
        // (label, table) of every configuration: [[runs]] first, then grids.
        let mut tables: Vec<(String, toml::Table)> = Vec::new();
        for (i, table) in file.runs.into_iter().enumerate() {
            let label = match table.get("name") {
                Some(toml::Value::String(name)) => format!("run {name:?} (runs[{i}])"),
                _ => format!("runs[{i}]"),
            };
            tables.push((label, table));
        }
        let grids: Vec<(String, toml::Table)> = match file.grid {
            None => Vec::new(),
            Some(toml::Value::Table(t)) => vec![("grid".into(), t)],
            Some(toml::Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| match v {
                    toml::Value::Table(t) => Ok((format!("grid[{i}]"), t)),
                    other => Err(fail(format!("grid[{i}] = {other}: expected a table"))),
                })
                .collect::<Result<_>>()?,
            Some(other) => return Err(fail(format!("grid = {other}: expected a table"))),
        };
        for (label, grid) in &grids {
            for run in grid::expand(grid, label).map_err(&fail)? {
                tables.push((format!("run {:?} ({label})", run.name), run.table));
            }
        }
        if tables.is_empty() {
            return Err(fail("the suite has no [[runs]] and no [grid]".into()));
        }
        if tables.len() > grid::MAX_CONFIGURATIONS {
            return Err(fail(format!(
                "{} configurations; a suite holds at most {}",
                tables.len(),
                grid::MAX_CONFIGURATIONS
            )));
        }
        let mut configurations: Vec<Configuration> = Vec::new();
        for (label, mut table) in tables {
            let seeds = take_seeds(&mut table, &label).map_err(&fail)?;
            let seeds = seeds.or_else(|| default_seeds.clone());
            let mut merged = merge(&defaults, &table);
            if let Some(seeds) = &seeds {
                merged.insert("seed".into(), toml::Value::Integer(seeds[0] as i64));
            }
            // Parsing the merged run as text (not as a value) makes the
            // error quote the offending line, so it names the setting.
            let text = toml::to_string(&merged).map_err(|e| fail(format!("{label}: {e}")))?;
            let config: RunConfig = toml::from_str(&text)
                .map_err(|e| fail(format!("{label}: {}", e.to_string().trim_end())))?;
            if configurations.iter().any(|c| c.config.name == config.name) {
                return Err(fail(format!(
                    "{label}: the name {:?} is used twice",
                    config.name
                )));
            }
            config.validate().map_err(|e| fail(e.to_string()))?;
            let seeds = seeds.unwrap_or_else(|| vec![config.seed]);
            configurations.push(Configuration { config, seeds });
        }
        let mut suite = Suite {
            name: file.name,
            dataset: file.dataset,
            description: file.description,
            description_ja: file.description_ja,
            configurations,
            runs: Vec::new(),
            source: text.into(),
        };
        suite.expand().map_err(fail)?;
        Ok(suite)
    }
    /// Reads and parses a suite file.
    pub fn load(path: &Path) -> Result<Suite> {
        let text = std::fs::read_to_string(path).map_err(|source| VaeError::Io {
            path: path.into(),
            source,
        })?;
        Suite::parse(&text, &path.display().to_string())
    }

    /// Keeps the configurations whose name matches `pattern` (all their
    /// seeds): comma-separated alternatives, each with `*` matching any text.
    pub fn select(&mut self, pattern: &str) -> Result<()> {
        let alternatives: Vec<&str> = pattern
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        self.configurations
            .retain(|c| alternatives.iter().any(|p| glob_match(p, &c.config.name)));
        if self.configurations.is_empty() {
            return Err(VaeError::Suite {
                path: self.name.clone(),
                message: format!("no run matches {pattern:?}"),
            });
        }
        self.expand().map_err(|message| VaeError::Suite {
            path: self.name.clone(),
            message,
        })
    }

    /// Sets the iteration count of every run and/or runs every
    /// configuration with the one seed `seed`, then re-checks them.
    pub fn override_all(&mut self, iterations: Option<usize>, seed: Option<u64>) -> Result<()> {
        for c in &mut self.configurations {
            if let Some(n) = iterations {
                // A count of updates replaces the run's epochs.
                c.config.iterations = n;
                c.config.epochs = None;
            }
            c.config.validate()?;
        }
        match seed {
            Some(s) => self.set_seeds(&[s]),
            None => self.expand().map_err(|message| VaeError::Suite {
                path: self.name.clone(),
                message,
            }),
        }
    }

    /// Runs every configuration with `seeds` instead of its own (e.g.
    /// `--seeds 5` gives `[0, 1, 2, 3, 4]`, see [`first_seeds`]).
    pub fn set_seeds(&mut self, seeds: &[u64]) -> Result<()> {
        let path = self.name.clone();
        let fail = |message: String| VaeError::Suite { path, message };
        if seeds.is_empty() {
            return Err(fail("at least one seed is needed".into()));
        }
        if let Some(twice) = seeds
            .iter()
            .enumerate()
            .find(|(i, s)| seeds[..*i].contains(s))
        {
            return Err(fail(format!("the seed {} is given twice", twice.1)));
        }
        let count = self.configurations.len().saturating_mul(seeds.len());
        if count > MAX_RUNS {
            return Err(fail(format!(
                "{count} runs (configurations × seeds); a suite runs at most {MAX_RUNS}"
            )));
        }
        for c in &mut self.configurations {
            c.seeds = seeds.to_vec();
            c.config.seed = seeds[0];
        }
        self.expand().map_err(fail)
    }

    /// Whether any configuration runs with more than one seed.
    pub fn is_multi_seed(&self) -> bool {
        self.configurations.iter().any(|c| c.seeds.len() > 1)
    }

    /// A run's flat, file-safe name: the configuration's name if it has one
    /// seed, else `{name}-seed-{seed}`.
    pub fn label(&self, run: &RunConfig) -> String {
        self.configurations
            .iter()
            .find(|c| c.config.name == run.name)
            .map_or_else(|| run.name.clone(), |c| c.label(run.seed))
    }

    /// The runs with each name replaced by its [`label`](Self::label): for
    /// code that tells runs apart by name alone (the report, until it
    /// aggregates over seeds). Identical to [`runs`](Self::runs) when every
    /// configuration has one seed.
    pub fn labelled_runs(&self) -> Vec<RunConfig> {
        self.configurations
            .iter()
            .flat_map(|c| {
                c.runs().map(|r| RunConfig {
                    name: c.label(r.seed),
                    ..r
                })
            })
            .collect()
    }

    /// Rebuilds `runs` from `configurations`; refuses labels that clash
    /// (a configuration named `a-seed-1` beside `a` run with seed 1).
    fn expand(&mut self) -> std::result::Result<(), String> {
        let count: usize = self.configurations.iter().map(|c| c.seeds.len()).sum();
        if count > MAX_RUNS {
            return Err(format!(
                "{count} runs (configurations × seeds); a suite runs at most {MAX_RUNS}"
            ));
        }
        self.runs = self
            .configurations
            .iter()
            .flat_map(Configuration::runs)
            .collect();
        let mut labels = std::collections::HashSet::with_capacity(self.runs.len());
        for c in &self.configurations {
            for run in c.runs() {
                let label = c.label(run.seed);
                if !labels.insert(label.clone()) {
                    return Err(format!(
                        "two runs would both be named {label:?} ({}); rename the configuration",
                        run.id()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The most runs (configurations × seeds) a suite may expand to.
pub const MAX_RUNS: usize = 10_000;

/// The seeds `0, 1, …, n − 1` (what `--seeds n` asks for).
pub fn first_seeds(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
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
    /// Training plus analysis time. For a reused run: its original training
    /// plus this process's loading and analysis, so that the column never
    /// reads less than the training time beside it.
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
pub(crate) fn finish(
    config: &RunConfig,
    sets: &StudyData,
    trained: Trained,
    checkpoint: Checkpoint,
    saved: &mut dyn FnMut(&Checkpoint),
    start: std::time::Instant,
) -> Result<RunOutcome> {
    saved(&checkpoint);
    let analysis = analyse(&trained.model, sets, config)?;
    // A reused run was trained by an earlier process: `start` saw only its
    // loading and analysis here, so its training is added back.
    let total_time = match checkpoint {
        Checkpoint::Reused(_) => trained.elapsed + start.elapsed(),
        _ => start.elapsed(),
    };
    Ok(RunOutcome {
        config: config.clone(),
        model: trained.model,
        history: trained.history,
        analysis,
        train_time: trained.elapsed,
        total_time,
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
    run_suite_stored(
        runs,
        data,
        jobs,
        None,
        &FigureRuns::all(),
        progress,
        &|_, _| {},
    )
}

/// [`run_suite`] with a run store (see [`run_one_stored`]); `saved` hears
/// each run's index and what became of its model. Runs that `keep` does not
/// name as their configuration's first successful seed drop their figure
/// material as soon as that is known ([`crate::outcome`]), so what is held
/// until the report grows by numbers, not images, with every extra seed.
pub fn run_suite_stored(
    runs: &[RunConfig],
    data: &Mnist,
    jobs: usize,
    store: Option<&RunStore>,
    keep: &FigureRuns,
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
    let retention = Retention::new(runs.len(), keep);
    let work = || {
        runs.par_iter()
            .enumerate()
            .for_each(|(i, config)| retention.finish(i, one(i, config)));
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(work),
        // Without a pool of our own (threads exhausted), run one at a time.
        Err(_) => {
            for (i, config) in runs.iter().enumerate() {
                retention.finish(i, one(i, config));
            }
        }
    }
    retention.into_results()
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
