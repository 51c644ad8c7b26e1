//! Nothing trained is lost: a reproduction killed right after a run's
//! training ended leaves that run in the run store; the next reproduction
//! reuses it (says so, trains only the rest), its checkpoint reproduces the
//! logged losses, and the report is the same as one whose runs were all
//! trained afresh.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{listing, reproduce_args, stderr, tree_hashes, two_run_suite, write_dataset, xtask};
use vaelab_autodiff::Tape;
use vaelab_vae::evaluate::evaluate;
use vaelab_vae::rng::{Stream, stream};
use vaelab_vae::store::read_history;
use vaelab_vae::{StudyData, checkpoint};
use xtask::reproduce::ABORT_AFTER_SAVE;

/// `summary.json`, every CSV and every figure of a report.
fn results(report: &Path) -> BTreeMap<String, String> {
    tree_hashes(report)
        .into_iter()
        .filter(|(path, _)| {
            path == "summary.json"
                || (path.starts_with("data/") && path.ends_with(".csv"))
                || path.starts_with("figures/")
        })
        .collect()
}

#[test]
fn a_run_killed_after_training_is_reused_not_retrained() {
    let work = tempfile::tempdir().unwrap();
    let data = write_dataset(&work.path().join("idx"));
    let suite = work.path().join("suite.toml");
    std::fs::write(&suite, two_run_suite(15)).unwrap();
    let (suite, data_text) = (suite.display().to_string(), data.display().to_string());
    let out = work.path().join("report");
    let out_text = out.display().to_string();
    let runs = work.path().join("report-runs"); // where reproduce_args puts them
    let args = |extra: &[&'static str]| {
        let mut args = reproduce_args(&suite, &data_text, &out_text);
        args.extend(["--jobs", "1", "--seed", "3"]);
        args.extend(extra);
        args
    };

    // Killed (aborted) the moment the first run is saved: no report, one run.
    let killed = xtask(&args(&[]), work.path())
        .env(ABORT_AFTER_SAVE, "1")
        .output()
        .unwrap();
    assert!(!killed.status.success(), "{}", stderr(&killed));
    assert!(!out.exists(), "a report was written before the kill");
    let saved = listing(&runs);
    assert_eq!(saved.len(), 1, "{saved:?}");
    let (done, other) = if saved[0] == "relu-z2" {
        ("relu-z2", "sigmoid-z3")
    } else {
        ("sigmoid-z3", "relu-z2")
    };
    assert_eq!(saved[0], done);
    assert!(stderr(&killed).contains(&format!("{done}: trained; saved in")));

    // The next reproduction reuses it and trains only the other run.
    let resumed = xtask(&args(&[]), work.path()).output().unwrap();
    let log = stderr(&resumed);
    assert!(resumed.status.success(), "{log}");
    assert!(
        log.contains(&format!("{done}: reused the finished run")),
        "{log}"
    );
    assert!(
        log.contains(&format!("{other}: trained; saved in")),
        "{log}"
    );
    assert!(!log.contains(&format!("{done}: trained")), "{log}");

    // The reloaded checkpoint reproduces the losses the report logged.
    let (config, model) = checkpoint::load(&runs.join(done).join("model.safetensors")).unwrap();
    let mnist = vaelab_mnist::load_with(&data, None).unwrap();
    let sets = StudyData::select(&mnist, &config.data, config.seed, &config.name).unwrap();
    let mut rng = stream(config.seed, Stream::Eval);
    let mut tape = Tape::new();
    let train = evaluate(&model, &mut tape, &sets.train, &mut rng);
    let test = evaluate(&model, &mut tape, &sets.test, &mut rng);
    // The run store keeps the history at full precision (the report rounds).
    let logged = read_history(&runs.join(done).join("history.csv")).unwrap();
    let last = logged.last().unwrap();
    assert_eq!(last.iteration, 15);
    assert_eq!((train, test), (last.train, last.test));

    // The same report as from runs all trained now (--retrain on the same store).
    let fresh = work.path().join("fresh");
    let fresh_text = fresh.display().to_string();
    let runs_text = runs.display().to_string();
    let retrain_args = [
        "reproduce",
        "--suite",
        &suite,
        "--data-dir",
        &data_text,
        "--out",
        &fresh_text,
        "--no-verify",
        "--jobs",
        "1",
        "--seed",
        "3",
        "--runs-dir",
        &runs_text,
        "--retrain",
    ];
    let retrained = xtask(&retrain_args, work.path()).output().unwrap();
    let log = stderr(&retrained);
    assert!(retrained.status.success(), "{log}");
    assert!(!log.contains("reused"), "{log}");
    assert!(log.contains("trained again (--retrain)"), "{log}");
    let (reused, trained) = (results(&out), results(&fresh));
    assert!(
        reused.contains_key("summary.json") && reused.len() > 10,
        "{reused:?}"
    );
    assert_eq!(reused, trained, "a reused run changed the report");
}
