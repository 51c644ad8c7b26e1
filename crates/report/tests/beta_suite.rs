//! A suite the report has no special code for — three runs differing only in
//! β — trained on synthetic images and written with `vaelab-report` alone:
//! the factor engine must find `beta` and compare the runs along it in the
//! figures, the tables and the discussion.

#![allow(clippy::unwrap_used)]

mod synthetic;

use vaelab_vae::{Suite, run_suite};

const SUITE: &str = r#"
name = "beta-sweep"
dataset = "mnist"

[defaults]
activation = "relu"
iterations = 20
batch_size = 40
eval_every = 10
data = { train = 40, test = 30, classify = 40 }
analysis = { loglik_samples = 5, grid_size = 3, interpolation_pairs = 1, interpolation_steps = 3, knn_k = 3 }

[[runs]]
name = "beta-1"
beta = 1.0

[[runs]]
name = "beta-half"
beta = 0.5
"#;

#[test]
fn a_suite_varying_only_beta_is_compared_along_beta() {
    let suite = Suite::parse(SUITE, "beta").unwrap();
    let data = synthetic::data();
    let results = run_suite(&suite.runs, &data, 1, &|_, _| {});
    let dir = tempfile::tempdir().unwrap();
    let (out, written) = synthetic::write_report(&suite, &results, dir.path());
    assert!(
        written.figure_failures.is_empty(),
        "{:?}",
        written.figure_failures
    );

    assert!(out.join("figures/compare/beta.png").is_file());
    assert!(out.join("figures/compare/beta.svg").is_file());
    // None of the study's factors varies, so none has a comparison.
    assert!(!out.join("figures/compare/latent.png").exists());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("#### 3.2.1 beta: beta = 1.0 vs beta = 0.5"),
        "{md}"
    );
    assert!(md.contains("### 4.6 The effect of beta"), "{md}");
    assert!(md.contains("`beta` = 0.5"), "{md}");
    assert!(md.contains("#### seed head, CE, beta = 0.5"), "{md}");
    // Every metric column is in the CSV.
    let csv = std::fs::read_to_string(out.join("data/metrics.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    for column in vaelab_report::columns::COLUMNS {
        assert!(header.split(',').any(|h| h == column.key), "{header}");
    }
}

/// The runs of the latent explorer's embedded data, with their notes.
fn explorer_runs(page: &str) -> Vec<(String, Option<String>)> {
    let start = page.find("id=\"explorer-data\">").unwrap() + "id=\"explorer-data\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    data.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["note"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn the_report_has_an_explorer_of_exactly_its_successful_runs() {
    let suite = Suite::parse(SUITE, "beta").unwrap();
    let data = synthetic::data();
    let mut results = run_suite(&suite.runs, &data, 1, &|_, _| {});
    // The second run failed: the explorer must leave it out.
    results[1] = Err(vaelab_vae::VaeError::Data {
        run: "beta-half".into(),
        message: "made to fail by the test".into(),
    });
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = synthetic::write_report(&suite, &results, dir.path());
    let page = std::fs::read_to_string(out.join("explorer.html")).unwrap();
    let runs = explorer_runs(&page);
    let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["beta-1"]);
    // The note says "collapsed" exactly when the run's latent space is.
    let outcome = results[0].as_ref().unwrap();
    let collapsed =
        outcome.analysis.metrics.latent_activity.state == vaelab_metrics::LatentState::Collapsed;
    assert_eq!(runs[0].1.as_deref() == Some("collapsed"), collapsed);
    for file in ["index.html", "report.md"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(text.contains("explorer.html"), "{file} does not link it");
    }
}
