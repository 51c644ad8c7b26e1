//! `cargo xtask train` and `cargo xtask report`: a sweep split over the
//! tasks of a job array, then merged into one report.
//!
//! ```text
//! cargo xtask train  --suite FILE --runs-dir DIR [--shard I/N] [suite options]
//! cargo xtask report --suite FILE --runs-dir DIR... --out DIR [--allow-missing]
//!                    [suite options]
//! ```
//!
//! `train` trains the runs of one shard ([`vaelab_vae::Shard`]: a stable
//! assignment by name and seed, balanced by cost) into the run store and
//! writes no report. Without `--shard`, the shard comes from
//! `SLURM_ARRAY_TASK_ID`/`SLURM_ARRAY_TASK_COUNT` or
//! `JOB_COMPLETION_INDEX`/`VAELAB_SHARD_COUNT` when set, else every run is
//! trained. A finished run is never trained again; a half-written one is
//! removed and trained again.
//!
//! `report` reads the run directories of every `--runs-dir` (made on any
//! machine), refuses those of another suite file or vaelab by name, runs
//! the analysis (deterministic from each checkpoint) and writes the same
//! report `reproduce` would. The suite options (`--iterations`, `--runs`,
//! `--seed`, `--seeds`, `--dataset`, the data) must be those given to `train`: a run
//! trained with other settings is refused, not silently mixed in.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use vaelab_vae::Shard;
use vaelab_vae::sweep::MISSING;

use crate::reproduce::{Done, Mode, ReproduceArgs, Reproduced, SuiteArgs, execute};

/// Options of `cargo xtask train`.
#[derive(Debug, Clone, clap::Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub suite: SuiteArgs,
    /// Where the run directories go (shared by every shard).
    #[arg(long, value_name = "DIR")]
    pub runs_dir: PathBuf,
    /// Train only shard I of N (0 ≤ I < N) [default: from
    /// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX
    /// with VAELAB_SHARD_COUNT; else every run].
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Train again even runs already finished in the store.
    #[arg(long)]
    pub retrain: bool,
}

/// Options of `cargo xtask report`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub suite: SuiteArgs,
    /// A directory of run directories; give it once per store to merge.
    #[arg(long, value_name = "DIR", required = true, num_args = 1..)]
    pub runs_dir: Vec<PathBuf>,
    /// Where the report goes (replaced once the new one is complete).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write the report even if runs are missing; it marks them.
    #[arg(long)]
    pub allow_missing: bool,
}

/// Runs `cargo xtask train` with the data cache under `root`; `env` looks
/// up environment variables (for the job array's shard).
pub fn train(args: &TrainArgs, root: &Path, env: impl Fn(&str) -> Option<String>) -> Result<()> {
    let shard = match args.shard {
        Some(shard) => Some(shard),
        None => Shard::from_env(env).context("cannot tell this task's shard")?,
    };
    let reproduce = ReproduceArgs {
        runs_dir: Some(args.runs_dir.clone()),
        retrain: args.retrain,
        suite: args.suite.clone(),
        ..ReproduceArgs::default()
    };
    match execute(&reproduce, root, &Mode::Train(shard))? {
        Done::Trained => Ok(()),
        Done::Report(_) => bail!("internal error: train wrote a report"),
    }
}

/// Runs `cargo xtask report` with the data cache under `root`.
pub fn report(args: &ReportArgs, root: &Path) -> Result<Reproduced> {
    let reproduce = ReproduceArgs {
        out: Some(args.out.clone()),
        runs_dir: args.runs_dir.first().cloned(),
        suite: args.suite.clone(),
        ..ReproduceArgs::default()
    };
    let mode = Mode::Report {
        stores: args.runs_dir.clone(),
        allow_missing: args.allow_missing,
    };
    match execute(&reproduce, root, &mode)? {
        // Missing runs were allowed: the report marks them, the exit is 0.
        Done::Report(mut done) => {
            done.failed.retain(|f| !f.error.contains(MISSING));
            Ok(done)
        }
        Done::Trained => bail!("internal error: report wrote no report"),
    }
}
