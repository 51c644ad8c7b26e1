//! `cargo xtask reproduce`: find the data, run a suite, write its report.
//!
//! ```text
//! cargo xtask reproduce [--suite FILE] [--out DIR] [--dataset NAME] [--data-dir DIR] [--no-verify]
//!                       [--iterations N] [--runs PATTERN] [--jobs N]
//!                       [--seed S | --seeds N] [--runs-dir DIR] [--retrain]
//! ```
//!
//! [`run_in`] goes down the layers once: it makes the output directory safe
//! (`vaelab_report::atomic`, first, so that a previous run killed mid-swap is
//! repaired whatever happens next, and a bad `--out` is refused before any
//! training), reads the suite (`vaelab-vae`'s settings, which name the data
//! set), loads the data (`vaelab-mnist`, through [`crate::data`]), trains
//! every run (`vaelab_vae::run_suite`, with [`crate::progress`]), and hands
//! the results to `vaelab_report::write`.
//!
//! Every run is saved in the run store (`--runs-dir`, see
//! [`vaelab_vae::store`]) the moment its training ends, before any analysis;
//! the next invocation reuses a finished run with the same settings on the
//! same data instead of training it again, and says so.
//!
//! With several seeds per configuration, each seed's run is reported as a
//! run of its own, named `{name}-seed-{seed}` ([`Suite::label`]); with one
//! seed, runs keep their plain names.
//!
//! A run that fails (e.g. diverges) does not stop the others: the report
//! marks it, and [`Reproduced::into_result`] turns it into an error so the
//! command exits non-zero after the report is written.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};
use vaelab_mnist::{DatasetKind, Mnist};
use vaelab_vae::model::IMAGE_PIXELS;
use vaelab_vae::store::suite_hash;
use vaelab_vae::sweep::{self, train_suite};
use vaelab_vae::{Checkpoint, RunStore, Shard, Suite, first_seeds, run_suite_stored};

use crate::data::resolve;
use crate::progress::SuiteProgress;
use vaelab_report::{self as report, DataSource, Environment, Invocation, ReportInput, RunEntry};

/// The default suite, relative to the workspace root.
pub const DEFAULT_SUITE: &str = "xtask/suites/seed-study.toml";
/// The default report directory, relative to the workspace root.
pub const DEFAULT_OUT: &str = "reports";
/// The default run store, relative to the workspace root; the suite's name
/// is appended. It lies outside the report, which is replaced as a whole.
pub const DEFAULT_RUNS_DIR: &str = "target/vaelab-runs";
/// Test hook: when this environment variable is set, the process aborts
/// (as if killed) right after the first run directory is saved.
pub const ABORT_AFTER_SAVE: &str = "VAELAB_ABORT_AFTER_SAVE";

/// Which suite runs, on which data, with which overrides: the options
/// `reproduce`, `train` and `report` share (`train` and `report` must be
/// given the same ones).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SuiteArgs {
    /// The suite file [default: xtask/suites/seed-study.toml in the workspace].
    #[arg(long = "suite", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Directory holding the four IDX files (plain or .gz). Without it:
    /// $MNIST_DIR (or $FASHION_MNIST_DIR), else the cache data/DATASET/,
    /// downloaded into when files are missing.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The dataset, mnist or fashion-mnist, instead of the suite's
    /// `dataset`; its files are found as `--data-dir` says. The default
    /// run store becomes target/vaelab-runs/SUITE-DATASET/ when it differs
    /// from the suite's.
    #[arg(long, value_name = "NAME")]
    pub dataset: Option<DatasetKind>,
    /// Skip the checksum check (for a custom dataset in the same format,
    /// such as test fixtures); the files' structure is still checked.
    #[arg(long)]
    pub no_verify: bool,
    /// Train every run for N iterations instead of the suite's count.
    #[arg(long, value_name = "N")]
    pub iterations: Option<usize>,
    /// Only the runs whose names match: comma-separated patterns, `*` for
    /// any text (e.g. `relu-*,*-gaussian`).
    #[arg(long, value_name = "PATTERN")]
    pub runs: Option<String>,
    /// Runs trained at once, one per thread [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Seed every run with S instead of the suite's seeds.
    #[arg(long, value_name = "S", conflicts_with = "seeds")]
    pub seed: Option<u64>,
    /// Run every configuration with the seeds 0, 1, …, N−1 instead of the
    /// suite's seeds.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub seeds: Option<u16>,
}

/// Options of `cargo xtask reproduce`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReproduceArgs {
    /// The suite, its data and overrides.
    #[command(flatten)]
    pub suite: SuiteArgs,
    /// Where the report goes [default: reports/ in the workspace]. An
    /// existing report there is replaced once the new one is complete; a
    /// non-empty directory that holds no report is refused.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Where finished runs (checkpoint, history, settings) are kept and
    /// reused from [default: target/vaelab-runs/SUITE/ in the workspace, SUITE the suite's name].
    #[arg(long, value_name = "DIR")]
    pub runs_dir: Option<PathBuf>,
    /// Train every run even if a finished run with the same settings is
    /// in the run store (it is replaced).
    #[arg(long)]
    pub retrain: bool,
}

/// A failed run: its name and error.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedRun {
    /// The run's name.
    pub name: String,
    /// Why it failed.
    pub error: String,
}

/// What a reproduction produced.
#[derive(Debug)]
pub struct Reproduced {
    /// The report directory.
    pub report: PathBuf,
    /// Runs that failed (the report marks them).
    pub failed: Vec<FailedRun>,
    /// Figures that could not be drawn, with the error.
    pub figure_failures: Vec<(String, String)>,
    /// The final metrics table as plain text.
    pub table: String,
}

impl Reproduced {
    /// `Ok` if every run and figure succeeded, else an error naming them.
    pub fn into_result(self) -> Result<()> {
        let mut problems: Vec<String> = self
            .failed
            .iter()
            .map(|f| format!("run {} failed: {}", f.name, f.error))
            .collect();
        problems.extend(
            self.figure_failures
                .iter()
                .map(|(stem, e)| format!("figure {stem} not drawn: {e}")),
        );
        if problems.is_empty() {
            return Ok(());
        }
        bail!(
            "the report in {} is complete but {}",
            self.report.display(),
            problems.join("; ")
        )
    }
}

/// Runs `cargo xtask reproduce` with defaults under the workspace root.
pub fn run(args: &ReproduceArgs) -> Result<Reproduced> {
    run_in(args, &crate::workspace_root())
}

/// Runs `cargo xtask reproduce` with defaults and the data cache under `root`.
pub fn run_in(args: &ReproduceArgs, root: &Path) -> Result<Reproduced> {
    match execute(args, root, &Mode::Reproduce)? {
        Done::Report(done) => Ok(done),
        Done::Trained => bail!("internal error: reproduce wrote no report"),
    }
}

/// What [`execute`] does after reading the suite and the data.
#[derive(Debug)]
pub(crate) enum Mode {
    /// Train (or reuse) every run, then write the report.
    Reproduce,
    /// Train (or reuse) the runs of one shard (all without one); no report.
    Train(Option<Shard>),
    /// Write the report from the run directories in these stores.
    Report {
        stores: Vec<PathBuf>,
        allow_missing: bool,
    },
}

/// What [`execute`] produced.
#[derive(Debug)]
pub(crate) enum Done {
    /// A report.
    Report(Reproduced),
    /// Runs in the store.
    Trained,
}

/// `reproduce`, `train` and `report`: one path down the layers, which
/// differ only in where the runs come from and whether a report is made.
pub(crate) fn execute(args: &ReproduceArgs, root: &Path, mode: &Mode) -> Result<Done> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let suite_path = args
        .suite
        .file
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_SUITE));
    let out = args.out.clone().unwrap_or_else(|| root.join(DEFAULT_OUT));
    let reporting = !matches!(mode, Mode::Train(_));
    // A run killed earlier may have left its staging directory, or even the
    // previous report moved aside: put things right before anything else.
    if reporting {
        for line in report::atomic::recover(&out)? {
            eprintln!("{line}");
        }
    }
    let mut suite = Suite::load(&suite_path)?;
    let suite_sha256 = suite_hash(&suite.source);
    if let Some(pattern) = &args.suite.runs {
        suite.select(pattern)?;
    }
    suite.override_all(args.suite.iterations, args.suite.seed)?;
    if let Some(n) = args.suite.seeds {
        suite.set_seeds(&first_seeds(n.into()))?;
    }
    // Each seed's run gets its own name (and files); the report groups them
    // back into configurations.
    suite.runs = suite.labelled_runs();
    // Refuse a bad --out before spending minutes on training.
    if reporting {
        report::atomic::check_target(&out)?;
    }
    let suite_kind: DatasetKind = suite
        .dataset
        .parse()
        .with_context(|| format!("{}: dataset", suite_path.display()))?;
    let kind = args.suite.dataset.unwrap_or(suite_kind);
    // The report names the data set the runs were trained on.
    suite.dataset = kind.to_string();
    let resolved = resolve(
        kind,
        args.suite.data_dir.as_deref(),
        args.suite.no_verify,
        root,
    )?;
    check_image_size(&resolved.data)?;
    let jobs = args.suite.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let runs_dir = args.runs_dir.clone().unwrap_or_else(|| {
        let name = if kind == suite_kind {
            suite.name.clone()
        } else {
            format!("{}-{kind}", suite.name)
        };
        root.join(DEFAULT_RUNS_DIR).join(safe_name(&name))
    });
    let store = RunStore::new(&runs_dir, args.retrain).with_suite(suite_sha256.clone());

    if let Mode::Train(shard) = mode {
        let runs = match shard {
            Some(shard) => shard.select(&suite.runs),
            None => suite.runs.clone(),
        };
        let shard_text = shard.map_or_else(String::new, |s| format!(" (shard {s})"));
        let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
        for dir in store.half_written(&names) {
            eprintln!(
                "{}: half-written by a process that was stopped; removed, its run is trained again",
                dir.display()
            );
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        let progress = SuiteProgress::new(&runs, std::io::stderr().is_terminal());
        progress.line(&format!(
            "suite {}: {} of {} runs{shard_text} on {jobs} threads into {}; {kind} loaded from {} in {:.1} s",
            suite.name,
            runs.len(),
            suite.runs.len(),
            runs_dir.display(),
            resolved.location.dir.display(),
            started.elapsed().as_secs_f64()
        ));
        let abort_after_save = std::env::var_os(ABORT_AFTER_SAVE).is_some();
        let results = train_suite(
            &runs,
            &resolved.data,
            jobs,
            &store,
            &|i, p| progress.update(i, p),
            &|i, checkpoint| {
                progress.line(&checkpoint_line(&runs[i].name, checkpoint));
                if abort_after_save && matches!(checkpoint, Checkpoint::Saved { .. }) {
                    std::process::abort();
                }
            },
        );
        progress.clear();
        let failed: Vec<String> = runs
            .iter()
            .zip(&results)
            .filter_map(|(r, res)| res.as_ref().err().map(|e| format!("{}: {e}", r.name)))
            .collect();
        let reused = results
            .iter()
            .filter(|r| matches!(r, Ok(Checkpoint::Reused(_))))
            .count();
        println!(
            "{} runs{shard_text} in {}: {} trained, {reused} reused, {} failed ({:.1} s)",
            runs.len(),
            runs_dir.display(),
            runs.len() - reused - failed.len(),
            failed.len(),
            started.elapsed().as_secs_f64()
        );
        if !failed.is_empty() {
            bail!("{} runs failed: {}", failed.len(), failed.join("; "));
        }
        return Ok(Done::Trained);
    }

    let terminal = std::io::stderr().is_terminal();
    let progress = SuiteProgress::new(&suite.runs, terminal);
    progress.line(&format!(
        "suite {}: {} runs on {jobs} threads; {kind} loaded from {} in {:.1} s",
        suite.name,
        suite.runs.len(),
        resolved.location.dir.display(),
        started.elapsed().as_secs_f64()
    ));
    let suite_start = Instant::now();
    let results = match mode {
        Mode::Report {
            stores,
            allow_missing,
        } => {
            let found = sweep::find_runs(stores, &suite_sha256)?;
            for dir in &found.half_written {
                progress.line(&format!(
                    "ignored {}: half-written (its run is trained again by the next `train`)",
                    dir.display()
                ));
            }
            let results = sweep::analyse_stored(
                &suite.runs,
                &resolved.data,
                &found,
                jobs,
                *allow_missing,
                &report::figure_runs(&suite, &suite.runs),
            )?;
            for (config, result) in suite.runs.iter().zip(&results) {
                progress.line(&match result {
                    Ok(outcome) => checkpoint_line(&config.name, &outcome.checkpoint),
                    Err(e) => format!("{}: not in the report: {e}", config.name),
                });
            }
            results
        }
        _ => {
            let abort_after_save = std::env::var_os(ABORT_AFTER_SAVE).is_some();
            run_suite_stored(
                &suite.runs,
                &resolved.data,
                jobs,
                Some(&store),
                &report::figure_runs(&suite, &suite.runs),
                &|i, p| progress.update(i, p),
                &|i, checkpoint| {
                    progress.line(&checkpoint_line(&suite.runs[i].name, checkpoint));
                    if abort_after_save && matches!(checkpoint, Checkpoint::Saved { .. }) {
                        std::process::abort();
                    }
                },
            )
        }
    };
    progress.finish(&results);
    let training_time = suite_start.elapsed();
    // The images are not needed for the report: free them before it
    // (MNIST's training set alone is 47 MB).
    let data = DataSource {
        origin: resolved.location.origin.to_string(),
        verified: resolved.verified,
    };
    drop(resolved);

    let runs: Vec<RunEntry<'_>> = suite
        .runs
        .iter()
        .zip(&results)
        .map(|(config, result)| RunEntry::new(config, result))
        .collect();
    let input = ReportInput {
        suite: &suite,
        runs,
        invocation: Invocation {
            iterations: args.suite.iterations,
            seed: args.suite.seed,
            runs: args.suite.runs.clone(),
            command: match mode {
                Mode::Report { .. } => report_command_line(args),
                _ => command_line(args),
            },
            // Relative to the repository when the suite is in it, so that
            // a committed report names no local directory.
            suite_file: suite_path
                .strip_prefix(root)
                .unwrap_or(&suite_path)
                .display()
                .to_string(),
        },
        data,
        environment: Environment::capture(root, started_at, jobs),
        training_time,
    };
    progress.line("writing the report…");
    let written = report::write(&input, &out, jobs)
        .with_context(|| format!("cannot write the report to {}", out.display()))?;
    let failed: Vec<_> = input
        .runs
        .iter()
        .filter_map(|r| {
            r.outcome.as_ref().err().map(|e| FailedRun {
                name: r.config.name.clone(),
                error: e.clone(),
            })
        })
        .collect();

    println!(
        "report: {} (suite {:.1} s, report {:.1} s, total {:.1} s)",
        out.join("index.html").display(),
        training_time.as_secs_f64(),
        written.elapsed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!();
    print!("{}", written.table);
    Ok(Done::Report(Reproduced {
        report: out,
        failed,
        figure_failures: written.figure_failures,
        table: written.table,
    }))
}

/// Every model reads square images of `IMAGE_PIXELS` pixels (MNIST's 28 × 28):
/// a dataset of another size (valid for
/// `cargo xtask data`) is refused here, naming its file, rather than failing
/// every run and replacing the previous report with one of failures.
fn check_image_size(data: &Mnist) -> Result<()> {
    let (rows, cols) = (data.train.rows(), data.train.cols());
    let side = IMAGE_PIXELS.isqrt();
    if (rows, cols) != (side, side) {
        bail!(
            "{}: the images are {rows}×{cols} pixels, but the models need \
             {side}×{side} ({IMAGE_PIXELS} pixels)",
            data.files[0].display()
        );
    }
    Ok(())
}

/// `name` as one path component: characters other than letters, digits,
/// `-`, `_` and `.` become `_` (a suite's name is free text).
fn safe_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.trim_matches('.').is_empty() {
        "suite".into()
    } else {
        safe
    }
}

/// What became of a run's model, for the log.
fn checkpoint_line(run: &str, checkpoint: &Checkpoint) -> String {
    match checkpoint {
        Checkpoint::NotStored => format!("{run}: trained (no run store)"),
        Checkpoint::Saved {
            dir,
            replaced: None,
        } => format!("{run}: trained; saved in {}", dir.display()),
        Checkpoint::Saved {
            dir,
            replaced: Some(reason),
        } => format!(
            "{run}: trained again ({reason}); replaced {}",
            dir.display()
        ),
        Checkpoint::NotSaved(error) => {
            format!("warning: {run}: trained, but the run could not be saved: {error}")
        }
        Checkpoint::Reused(dir) => format!(
            "{run}: reused the finished run in {} (same settings and data); not retrained",
            dir.display()
        ),
    }
}

/// The `report` command as a user would type it, for the appendix.
fn report_command_line(args: &ReproduceArgs) -> String {
    command_line(args).replacen("cargo xtask reproduce", "cargo xtask report", 1)
}

/// The command as a user would type it, for the report's appendix.
fn command_line(args: &ReproduceArgs) -> String {
    let mut parts = vec!["cargo xtask reproduce".to_string()];
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            parts.push(format!("--{name} {v}"));
        }
    };
    flag(
        "suite",
        args.suite.file.as_ref().map(|p| p.display().to_string()),
    );
    flag("out", args.out.as_ref().map(|p| p.display().to_string()));
    flag("dataset", args.suite.dataset.map(|k| k.to_string()));
    flag(
        "data-dir",
        args.suite
            .data_dir
            .as_ref()
            .map(|p| p.display().to_string()),
    );
    flag("iterations", args.suite.iterations.map(|n| n.to_string()));
    flag("runs", args.suite.runs.clone());
    flag("jobs", args.suite.jobs.map(|n| n.to_string()));
    flag("seed", args.suite.seed.map(|n| n.to_string()));
    flag(
        "runs-dir",
        args.runs_dir.as_ref().map(|p| p.display().to_string()),
    );
    flag("seeds", args.suite.seeds.map(|n| n.to_string()));
    if args.suite.no_verify {
        parts.push("--no-verify".into());
    }
    if args.retrain {
        parts.push("--retrain".into());
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: ReproduceArgs,
    }

    fn parse(argv: &[&str]) -> Result<ReproduceArgs, clap::Error> {
        Wrapper::try_parse_from(std::iter::once("reproduce").chain(argv.iter().copied()))
            .map(|w| w.args)
    }

    #[test]
    fn every_flag_is_read_and_echoed() {
        let args = parse(&[
            "--suite",
            "s.toml",
            "--out",
            "o",
            "--dataset",
            "fashion-mnist",
            "--data-dir",
            "d",
            "--iterations",
            "50",
            "--runs",
            "relu-*",
            "--jobs",
            "2",
            "--seed",
            "7",
            "--runs-dir",
            "r",
            "--retrain",
            "--no-verify",
        ])
        .unwrap();
        assert_eq!(args.suite.file.as_deref(), Some(Path::new("s.toml")));
        assert_eq!(
            (args.suite.iterations, args.suite.jobs, args.suite.seed),
            (Some(50), Some(2), Some(7))
        );
        assert!(args.suite.no_verify && args.retrain);
        assert_eq!(args.suite.dataset, Some(DatasetKind::FashionMnist));
        assert!(parse(&["--dataset", "cifar"]).is_err());
        assert_eq!(args.runs_dir.as_deref(), Some(Path::new("r")));
        assert_eq!(
            command_line(&args),
            "cargo xtask reproduce --suite s.toml --out o --dataset fashion-mnist --data-dir d \
             --iterations 50 \
             --runs relu-* --jobs 2 --seed 7 --runs-dir r --no-verify --retrain"
        );
    }

    #[test]
    fn defaults_are_empty_and_zero_jobs_is_refused() {
        let args = parse(&[]).unwrap();
        assert!(args.suite.file.is_none() && args.out.is_none() && args.suite.jobs.is_none());
        assert_eq!(command_line(&args), "cargo xtask reproduce");
        assert!(parse(&["--jobs", "0"]).is_err());
    }

    #[test]
    fn suite_names_become_one_path_component() {
        assert_eq!(safe_name("seed-study"), "seed-study");
        assert_eq!(safe_name("a/b c"), "a_b_c");
        assert_eq!(safe_name(".."), "suite");
    }

    #[test]
    fn seeds_is_read_echoed_and_exclusive_with_seed() {
        let args = parse(&["--seeds", "5"]).unwrap();
        assert_eq!(args.suite.seeds, Some(5));
        assert_eq!(command_line(&args), "cargo xtask reproduce --seeds 5");
        assert!(parse(&["--seeds", "0"]).is_err());
        assert!(parse(&["--seeds", "2", "--seed", "1"]).is_err());
    }

    #[test]
    fn a_bad_suite_or_out_fails_before_any_training() {
        let dir = tempfile::tempdir().unwrap();
        let missing = ReproduceArgs {
            suite: SuiteArgs {
                file: Some(dir.path().join("nope.toml")),
                ..SuiteArgs::default()
            },
            ..ReproduceArgs::default()
        };
        let error = run_in(&missing, dir.path()).unwrap_err().to_string();
        assert!(error.contains("nope.toml"), "{error}");

        let suite = dir.path().join("s.toml");
        std::fs::write(&suite, "name = \"s\"\n[[runs]]\nname = \"a\"\n").unwrap();
        std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
        let bad_out = ReproduceArgs {
            suite: SuiteArgs {
                file: Some(suite),
                ..SuiteArgs::default()
            },
            out: Some(dir.path().to_path_buf()),
            ..ReproduceArgs::default()
        };
        let error = run_in(&bad_out, dir.path()).unwrap_err().to_string();
        assert!(error.contains("refusing"), "{error}");
        assert!(dir.path().join("keep.txt").is_file());
    }

    #[test]
    fn failures_become_an_error_after_the_report() {
        let done = Reproduced {
            report: PathBuf::from("r"),
            failed: vec![FailedRun {
                name: "a".into(),
                error: "diverged".into(),
            }],
            figure_failures: Vec::new(),
            table: String::new(),
        };
        let error = done.into_result().unwrap_err().to_string();
        assert!(error.contains("run a failed: diverged"), "{error}");
    }
}
