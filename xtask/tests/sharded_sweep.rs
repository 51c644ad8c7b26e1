//! A sweep split over four shards, trained separately and merged by
//! `report`, gives the same summary.json and CSVs as one `reproduce`; a
//! missing run is an error naming it unless `--allow-missing`, which marks
//! the gap; run directories of another suite file are refused by name; a
//! half-written run directory is redone and finished runs are reused.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{listing, reproduce_args, stderr, suite, tree_hashes, write_dataset, xtask};

/// `summary.json` and every CSV of a report.
fn results(report: &Path) -> BTreeMap<String, String> {
    tree_hashes(report)
        .into_iter()
        .filter(|(path, _)| path == "summary.json" || path.ends_with(".csv"))
        .collect()
}

fn five_runs() -> String {
    suite(
        10,
        &[
            "name = \"relu-z2\"\nactivation = \"relu\"",
            "name = \"sigmoid-z3\"\nlatent = 3",
            "name = \"relu-z4\"\nactivation = \"relu\"\nlatent = 4",
            "name = \"sse-z2\"\nobjective = \"sse\"",
            "name = \"long-z2\"\niterations = 20",
        ],
    )
}

struct Fixture {
    work: tempfile::TempDir,
    suite: String,
    data: String,
}

impl Fixture {
    fn new(text: &str) -> Fixture {
        let work = tempfile::tempdir().unwrap();
        let data = write_dataset(&work.path().join("idx"));
        let suite = work.path().join("suite.toml");
        std::fs::write(&suite, text).unwrap();
        Fixture {
            suite: suite.display().to_string(),
            data: data.display().to_string(),
            work,
        }
    }

    fn path(&self, name: &str) -> String {
        self.work.path().join(name).display().to_string()
    }

    fn run(&self, command: &str, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            command,
            "--suite",
            &self.suite,
            "--data-dir",
            &self.data,
            "--no-verify",
            "--jobs",
            "1",
            "--seed",
            "5",
        ];
        args.extend(extra);
        xtask(&args, self.work.path())
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX")
            .output()
            .unwrap()
    }
}

#[test]
fn four_shards_and_report_equal_one_reproduce() {
    let f = Fixture::new(&five_runs());
    // Two stores, as if two clusters' file systems were merged.
    let (store_a, store_b) = (f.path("runs-a"), f.path("runs-b"));
    let mut trained = Vec::new();
    for (shard, store) in [("0/4", &store_a), ("1/4", &store_a), ("2/4", &store_b)] {
        let out = f.run("train", &["--runs-dir", store, "--shard", shard]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!Path::new(&f.path("report")).exists());
        trained.push(stderr(&out));
    }
    // The fourth shard from a job array's environment.
    let out = xtask(
        &[
            "train",
            "--suite",
            &f.suite,
            "--data-dir",
            &f.data,
            "--no-verify",
            "--jobs",
            "1",
            "--seed",
            "5",
            "--runs-dir",
            &store_b,
        ],
        f.work.path(),
    )
    .env("SLURM_ARRAY_TASK_ID", "3")
    .env("SLURM_ARRAY_TASK_COUNT", "4")
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("(shard 3/4)"), "{}", stderr(&out));
    let mut names = listing(Path::new(&store_a));
    names.extend(listing(Path::new(&store_b)));
    names.sort();
    assert_eq!(
        names,
        ["long-z2", "relu-z2", "relu-z4", "sigmoid-z3", "sse-z2"],
        "every run in exactly one shard"
    );

    let merged = f.path("merged");
    let out = f.run(
        "report",
        &[
            "--runs-dir",
            &store_a,
            "--runs-dir",
            &store_b,
            "--out",
            &merged,
        ],
    );
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        !log.contains(": trained"),
        "report trained something: {log}"
    );

    let single = f.path("single");
    let mut args = reproduce_args(&f.suite, &f.data, &single);
    args.extend(["--jobs", "1", "--seed", "5"]);
    let out = xtask(&args, f.work.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let (merged, single) = (results(Path::new(&merged)), results(Path::new(&single)));
    assert!(
        merged.contains_key("summary.json") && merged.len() > 10,
        "{merged:?}"
    );
    assert_eq!(
        merged, single,
        "the merged report differs from one reproduce"
    );
}

#[test]
fn missing_foreign_and_half_written_runs() {
    let f = Fixture::new(&five_runs());
    let store = f.path("runs");
    let out = f.run("train", &["--runs-dir", &store, "--shard", "0/2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let done = listing(Path::new(&store));
    assert!(!done.is_empty() && done.len() < 5, "{done:?}");

    // A missing run is an error naming it, and no report is written.
    let report = f.path("report");
    let out = f.run("report", &["--runs-dir", &store, "--out", &report]);
    let log = stderr(&out);
    assert!(!out.status.success(), "{log}");
    let absent: Vec<&str> = ["long-z2", "relu-z2", "relu-z4", "sigmoid-z3", "sse-z2"]
        .into_iter()
        .filter(|n| !done.iter().any(|d| d == n))
        .collect();
    for name in &absent {
        assert!(log.contains(name), "{name} not named: {log}");
    }
    assert!(!Path::new(&report).exists());

    // --allow-missing writes a report that marks the gaps.
    let out = f.run(
        "report",
        &["--runs-dir", &store, "--out", &report, "--allow-missing"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = std::fs::read_to_string(Path::new(&report).join("summary.json")).unwrap();
    let markdown = std::fs::read_to_string(Path::new(&report).join("report.md")).unwrap();
    for name in &absent {
        assert!(summary.contains(name), "{name} not in summary.json");
        assert!(markdown.contains(name), "{name} not in report.md");
    }
    assert!(
        summary.contains("missing: no finished run directory"),
        "{summary}"
    );

    // A half-written run directory (a task killed while saving) is ignored
    // by report and redone by the next train; finished runs are reused.
    let stale = Path::new(&store).join(format!(".{}.tmp-999-0", absent[0]));
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("model.safetensors"), b"half").unwrap();
    let out = f.run("train", &["--runs-dir", &store]);
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("half-written"), "{log}");
    assert!(!stale.exists());
    for name in &done {
        assert!(
            log.contains(&format!("{name}: reused the finished run")),
            "{log}"
        );
    }
    for name in &absent {
        assert!(log.contains(&format!("{name}: trained; saved in")), "{log}");
    }

    // Run directories of another suite file are refused by name.
    let other = Fixture::new(&five_runs().replace("A suite of", "Another suite of"));
    let foreign_store = other.path("runs");
    let out = other.run("train", &["--runs-dir", &foreign_store, "--runs", "sse-z2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let foreign = Path::new(&foreign_store).join("sse-z2");
    let out = f.run(
        "report",
        &[
            "--runs-dir",
            &store,
            "--runs-dir",
            &foreign_store,
            "--out",
            &f.path("mixed"),
        ],
    );
    let log = stderr(&out);
    assert!(!out.status.success(), "{log}");
    assert!(log.contains("another suite file"), "{log}");
    assert!(log.contains(&foreign.display().to_string()), "{log}");
    assert!(!log.contains(&format!("{store}/relu-z2")), "{log}");
}
