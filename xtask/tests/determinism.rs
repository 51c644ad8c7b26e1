//! The same suite with the same seed gives the same numbers: two
//! reproductions write byte-identical `summary.json` and CSV files, whether
//! the runs share one thread or two. (Elapsed times and timestamps live in
//! `timing.json`, which is the one file allowed to differ.)

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{reproduce_args, run, stderr, tree_hashes, two_run_suite, write_dataset};

/// The hashes of `summary.json` and every CSV under `data/`.
fn reproducible_files(report: &Path) -> BTreeMap<String, String> {
    tree_hashes(report)
        .into_iter()
        .filter(|(path, _)| {
            path == "summary.json" || (path.starts_with("data/") && path.ends_with(".csv"))
        })
        .collect()
}

/// Runs the two-run suite into `work/<name>` with `--jobs jobs`.
fn reproduce(work: &Path, name: &str, jobs: &str) -> BTreeMap<String, String> {
    let out = work.join(name);
    let (suite, data, out_text) = (
        work.join("suite.toml"),
        work.join("idx"),
        out.display().to_string(),
    );
    let (suite, data) = (suite.display().to_string(), data.display().to_string());
    let mut args = reproduce_args(&suite, &data, &out_text);
    args.extend(["--jobs", jobs, "--seed", "11"]);
    let output = run(&args, work);
    assert!(output.status.success(), "{name}: {}", stderr(&output));
    reproducible_files(&out)
}

#[test]
fn the_same_seed_gives_byte_identical_summary_and_csv_at_any_job_count() {
    let work = tempfile::tempdir().unwrap();
    write_dataset(&work.path().join("idx"));
    std::fs::write(work.path().join("suite.toml"), two_run_suite(12)).unwrap();

    let first = reproduce(work.path(), "first", "1");
    let second = reproduce(work.path(), "second", "1");
    let parallel = reproduce(work.path(), "parallel", "2");

    // The comparison covers what it should: the summary, the metrics table
    // and every run's CSV files.
    assert!(first.contains_key("summary.json"), "{first:?}");
    assert!(first.contains_key("data/metrics.csv"), "{first:?}");
    for run in ["relu-z2", "sigmoid-z3"] {
        for file in [
            "history.csv",
            "latents.csv",
            "histograms.csv",
            "latent-dims.csv",
        ] {
            let path = format!("data/{run}/{file}");
            assert!(first.contains_key(&path), "missing {path}");
        }
    }
    // sigmoid-z3's scatter is a projection, so it has points of its own.
    assert!(
        first.contains_key("data/sigmoid-z3/scatter.csv"),
        "{first:?}"
    );
    assert_eq!(first, second, "two runs with --jobs 1 differ");
    assert_eq!(first, parallel, "--jobs 1 and --jobs 2 differ");

    // The seed given on the command line is the one used, so a different
    // seed must change the numbers (else the comparison proves nothing).
    let summary = std::fs::read_to_string(work.path().join("first/summary.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(parsed["seeds"], serde_json::json!([11]));
    let suite = work.path().join("suite.toml").display().to_string();
    let data = work.path().join("idx").display().to_string();
    let other = work.path().join("other").display().to_string();
    let mut args = reproduce_args(&suite, &data, &other);
    args.extend(["--jobs", "2", "--seed", "12"]);
    let output = run(&args, work.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let reseeded = reproducible_files(&work.path().join("other"));
    assert_ne!(
        first["data/relu-z2/history.csv"],
        reseeded["data/relu-z2/history.csv"]
    );
}
