//! The run store: a run saved when training ends is found again with the
//! same settings and data, reproduces its logged losses, and is not reused
//! when anything that decides training differs.
#![allow(clippy::unwrap_used)]

mod common;

use vaelab_autodiff::Tape;
use vaelab_vae::evaluate::evaluate;
use vaelab_vae::rng::{Stream, stream};
use vaelab_vae::store::{Lookup, MANIFEST, RunStore, data_hash};
use vaelab_vae::{Checkpoint, StudyData, run_one_stored};

#[test]
fn a_saved_run_is_reused_and_reproduces_its_logged_losses() {
    let dir = tempfile::tempdir().unwrap();
    let store = RunStore::new(dir.path().join("runs"), false);
    let data = common::data();
    let config = common::tiny("stored");

    let mut events = Vec::new();
    let first = run_one_stored(&config, &data, Some(&store), &mut |_| {}, &mut |c| {
        events.push(c.clone());
    })
    .unwrap();
    let run_dir = store.run_dir("stored");
    assert_eq!(
        events,
        vec![Checkpoint::Saved {
            dir: run_dir.clone(),
            replaced: None
        }]
    );
    for file in [MANIFEST, "model.safetensors", "history.csv"] {
        assert!(run_dir.join(file).is_file(), "{file} missing");
    }

    // The next invocation trains nothing: the progress callback never fires.
    let mut iterations = 0;
    let second = run_one_stored(
        &config,
        &data,
        Some(&store),
        &mut |_| iterations += 1,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(iterations, 0, "a finished run was trained again");
    assert_eq!(second.checkpoint, Checkpoint::Reused(run_dir.clone()));
    assert_eq!(second.history, first.history);
    assert_eq!(second.analysis, first.analysis);
    // The original training time is kept (to the microsecond).
    let gap = second.train_time.abs_diff(first.train_time);
    assert!(
        gap.as_micros() < 1,
        "{:?} vs {:?}",
        second.train_time,
        first.train_time
    );
    // Its total counts that training too: never less than the training time.
    assert!(
        second.total_time >= second.train_time,
        "total {:?} < training {:?}",
        second.total_time,
        second.train_time
    );

    // The reloaded model reproduces the last logged losses exactly.
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let mut rng = stream(config.seed, Stream::Eval);
    let mut tape = Tape::new();
    let train = evaluate(&second.model, &mut tape, &sets.train, &mut rng);
    let test = evaluate(&second.model, &mut tape, &sets.test, &mut rng);
    let last = second.history.last().unwrap();
    assert_eq!((train, test), (last.train, last.test));
}

#[test]
fn changed_settings_data_or_retrain_mean_training_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = RunStore::new(dir.path(), false);
    let data = common::data();
    let mut config = common::tiny("again");
    config.iterations = 5;
    run_one_stored(&config, &data, Some(&store), &mut |_| {}, &mut |_| {}).unwrap();
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let hash = data_hash(&sets);
    assert!(matches!(store.lookup(&config, &hash), Lookup::Found(_)));

    // Analysis settings do not change training: still reused.
    let mut analysis = config.clone();
    analysis.analysis.loglik_samples = 3;
    assert!(matches!(store.lookup(&analysis, &hash), Lookup::Found(_)));

    let mut seed = config.clone();
    seed.seed = 9;
    assert!(matches!(store.lookup(&seed, &hash), Lookup::Stale(r) if r.contains("settings")));
    assert!(matches!(store.lookup(&config, "other"), Lookup::Stale(r) if r.contains("data")));
    let retrain = RunStore::new(dir.path(), true);
    assert!(matches!(retrain.lookup(&config, &hash), Lookup::Stale(_)));
    let mut other = config.clone();
    other.name = "never-run".into();
    assert!(matches!(store.lookup(&other, &hash), Lookup::Missing));

    // Retraining with new settings replaces the directory and says why.
    let mut events = Vec::new();
    run_one_stored(&seed, &data, Some(&store), &mut |_| {}, &mut |c| {
        events.push(c.clone())
    })
    .unwrap();
    assert!(
        matches!(&events[..], [Checkpoint::Saved { replaced: Some(r), .. }] if r.contains("settings")),
        "{events:?}"
    );
    assert!(matches!(store.lookup(&seed, &hash), Lookup::Found(_)));
    // No temporary or moved-aside directory is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["again".to_string()]);
}

#[test]
fn a_damaged_run_directory_is_not_reused() {
    let dir = tempfile::tempdir().unwrap();
    let store = RunStore::new(dir.path(), false);
    let data = common::data();
    let mut config = common::tiny("damaged");
    config.iterations = 5;
    run_one_stored(&config, &data, Some(&store), &mut |_| {}, &mut |_| {}).unwrap();
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let history = store.run_dir("damaged").join("history.csv");
    let text = std::fs::read_to_string(&history).unwrap();
    // Drop the last record, as a truncated file would.
    let kept: Vec<&str> = text.lines().collect();
    std::fs::write(&history, kept[..kept.len() - 1].join("\n")).unwrap();
    assert!(
        matches!(store.lookup(&config, &data_hash(&sets)), Lookup::Stale(r) if r.contains("history.csv"))
    );
}
