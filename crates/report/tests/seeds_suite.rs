//! A suite of two configurations over two seeds, trained on synthetic
//! images and written with `vaelab-report` alone: the report must group
//! the four runs into two configurations, aggregate them, draw the per-run
//! figures for the first seed only and state its findings across seeds.

#![allow(clippy::unwrap_used)]

mod synthetic;

use vaelab_vae::{Suite, run_suite};

const SUITE: &str = r#"
name = "seeds"
dataset = "mnist"

[defaults]
activation = "relu"
seeds = [0, 1]
iterations = 20
batch_size = 40
eval_every = 10
data = { train = 40, test = 30, classify = 40 }
analysis = { loglik_samples = 5, grid_size = 3, interpolation_pairs = 1, interpolation_steps = 3, knn_k = 3 }

[[runs]]
name = "z2"
latent = 2

[[runs]]
name = "z3"
latent = 3
"#;

#[test]
fn seeds_are_aggregated_per_configuration() {
    let mut suite = Suite::parse(SUITE, "seeds").unwrap();
    // As `cargo xtask reproduce` does: runs are told apart by their label.
    suite.runs = suite.labelled_runs();
    let data = synthetic::data();
    let results = run_suite(&suite.runs, &data, 1, &|_, _| {});
    let dir = tempfile::tempdir().unwrap();
    let (out, written) = synthetic::write_report(&suite, &results, dir.path());
    assert!(
        written.figure_failures.is_empty(),
        "{:?}",
        written.figure_failures
    );

    // Figures and figure data for the first seed only; metrics for both.
    for name in ["z2", "z3"] {
        let first = format!("{name}-seed-0");
        let second = format!("{name}-seed-1");
        assert!(out.join(format!("figures/{first}/scatter.png")).is_file());
        assert!(out.join(format!("figures/{first}/curve-ce.png")).is_file());
        assert!(!out.join(format!("figures/{second}")).exists());
        assert!(out.join(format!("data/{first}/latents.csv")).is_file());
        assert!(!out.join(format!("data/{second}/latents.csv")).exists());
        assert!(out.join(format!("data/{second}/history.csv")).is_file());
        // A second seed's metrics.json would repeat its summary.json entry.
        assert!(out.join(format!("data/{first}/metrics.json")).is_file());
        assert!(!out.join(format!("data/{second}/metrics.json")).exists());
    }

    // Appendix C of both editions links every data file of every run, and
    // nothing else under data/<run>/ (a configuration per row).
    let mut data_files = Vec::new();
    for run in std::fs::read_dir(out.join("data")).unwrap() {
        let run = run.unwrap();
        if run.file_type().unwrap().is_dir() {
            for file in std::fs::read_dir(run.path()).unwrap() {
                let file = file.unwrap().file_name();
                data_files.push(format!(
                    "data/{}/{}",
                    run.file_name().to_string_lossy(),
                    file.to_string_lossy()
                ));
            }
        }
    }
    // Six files for each first seed (five for z2, whose scatter plots
    // latents.csv itself), two for each second seed.
    assert_eq!(data_files.len(), (6 + 2) + (5 + 2), "{data_files:?}");
    assert!(!data_files.contains(&"data/z2-seed-0/scatter.csv".to_string()));
    for edition in ["report.md", "report.ja.md"] {
        let md = std::fs::read_to_string(out.join(edition)).unwrap();
        let start = md.find("<a id=\"files\"></a>").unwrap();
        let end = start + md[start..].find("<a id=\"suite-file\"></a>").unwrap();
        let appendix = &md[start..end];
        for file in &data_files {
            assert!(
                appendix.contains(&format!("]({file})")),
                "{edition}: {file}"
            );
        }
        assert_eq!(appendix.matches("](data/").count(), data_files.len());
        // One row per configuration.
        assert_eq!(appendix.matches("\n| `z").count(), 2, "{appendix}");
    }

    // summary.json: one run per line.
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| ["z2", "z3"]
                .iter()
                .any(|c| l.starts_with(&format!("{{\"name\":\"{c}-seed-"))))
            .filter(|l| l.ends_with("},") || l.ends_with('}'))
            .count(),
        4,
        "{text}"
    );

    // summary.json: every run, and the two configurations' aggregates,
    // whose mean is that of the two seeds' values.
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(summary["runs"].as_array().unwrap().len(), 4);
    let configs = summary["configurations"].as_array().unwrap();
    assert_eq!(configs.len(), 2);
    assert_eq!(configs[0]["name"], "z2");
    assert_eq!(configs[0]["n"], 2);
    assert_eq!(configs[0]["seeds"], serde_json::json!([0, 1]));
    let ce = |run: usize| {
        summary["runs"][run]["metrics"]["test"]["ce"]
            .as_f64()
            .unwrap()
    };
    let test_ce = configs[0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "test_ce")
        .unwrap();
    let mean = test_ce["spread"]["mean"].as_f64().unwrap();
    assert!((mean - (ce(0) + ce(1)) / 2.0).abs() < 1e-9, "{mean}");
    assert_eq!(test_ce["spread"]["n"], 2);
    let csv = std::fs::read_to_string(out.join("data/aggregates.csv")).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("z3,2,")), "{csv}");

    // The report: key findings before the purpose, one results row per
    // configuration with mean ± sd, every seed in the appendix.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let findings = md.find("## Key findings").unwrap();
    assert!(findings < md.find("## 1 Purpose").unwrap(), "{md}");
    assert!(md.contains("| z2 | 2 |"), "{md}");
    assert!(md.contains(" ± "), "{md}");
    assert!(md.contains("| z3-seed-1 |"), "{md}");
    assert!(md.contains("seeds"), "{md}");
}
