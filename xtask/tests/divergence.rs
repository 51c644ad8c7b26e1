//! A run that diverges stops with an error naming the run and the
//! iteration; the other runs finish; the report marks the failed run and
//! why; and the exit status says that something failed.

#![allow(clippy::unwrap_used)]

mod common;

use common::{reproduce_args, run, stderr, suite, write_dataset};

#[test]
fn a_diverging_run_is_reported_and_the_healthy_one_finishes() {
    let work = tempfile::tempdir().unwrap();
    let data = write_dataset(&work.path().join("idx"));
    // Adam with a step of a million on the unbounded Gaussian head and the
    // unbounded sum of squares: the loss overflows within a few updates.
    let text = suite(
        20,
        &[
            "name = \"healthy\"\nactivation = \"relu\"",
            "name = \"exploding\"\nhead = \"gaussian\"\nobjective = \"sse\"\nadam = { lr = 1e6 }",
        ],
    );
    let suite_path = work.path().join("suite.toml");
    std::fs::write(&suite_path, text).unwrap();
    let out = work.path().join("report");
    let (suite_text, data_text, out_text) = (
        suite_path.display().to_string(),
        data.display().to_string(),
        out.display().to_string(),
    );
    let mut args = reproduce_args(&suite_text, &data_text, &out_text);
    args.extend(["--jobs", "2"]);
    let output = run(&args, work.path());
    let err = stderr(&output);

    // The command fails, cleanly, naming the run and the iteration.
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let error_line = err
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line: {err}"));
    assert!(
        error_line.contains("run exploding failed")
            && error_line.contains("non-finite at iteration"),
        "{error_line}"
    );
    assert!(!error_line.contains("healthy"), "{error_line}");

    // The healthy run finished and is in the report with its figures.
    assert!(err.contains("healthy trained"), "{err}");
    for file in [
        "figures/healthy/curve-ce.png",
        "data/healthy/history.csv",
        "runs/healthy/model.safetensors",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    assert!(!out.join("figures/exploding").exists());

    // summary.json marks the failed run and says why.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let runs = summary["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(
        (&runs[0]["name"], &runs[0]["status"]),
        (&"healthy".into(), &"ok".into())
    );
    assert!(
        runs[0]["metrics"]["test"]["ce"]
            .as_f64()
            .unwrap()
            .is_finite()
    );
    assert_eq!(
        (&runs[1]["name"], &runs[1]["status"]),
        (&"exploding".into(), &"failed".into())
    );
    let why = runs[1]["error"].as_str().unwrap();
    assert!(
        why.contains("exploding") && why.contains("non-finite at iteration"),
        "{why}"
    );
    let failed = summary["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["name"], "exploding");
    assert_eq!(failed[0]["error"], why);

    // So do report.md and index.html, and the metrics table keeps a row.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for (name, page) in [("report.md", &md), ("index.html", &html)] {
        assert!(
            page.contains("`exploding` failed") || page.contains("<code>exploding</code> failed"),
            "{name} does not mark the failed run"
        );
        assert!(
            page.contains("non-finite at iteration"),
            "{name} does not say why"
        );
    }
    let table = std::fs::read_to_string(out.join("data/metrics.csv")).unwrap();
    assert!(table.contains("healthy"), "{table}");
}
