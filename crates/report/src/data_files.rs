//! The numbers behind the figures, as CSV (and JSON), plus checkpoints.
//!
//! Everything here is a function of the seed and the settings only, so two
//! reproductions with the same seed on the same machine write byte-identical
//! files (times live in `timing.json`).

use std::path::Path;

use crate::error::{IoContext, ReportError, Result};
use vaelab_vae::RunOutcome;
use vaelab_vae::output::{csv_bytes, write_atomic, write_history};

use super::columns;
use super::facts::RunFacts;
use super::figures::pixel_position;
use super::layout;

/// Writes `data/<run>/…` and `runs/<run>/model.safetensors` under `dir`.
pub fn write_run(dir: &Path, run: &RunOutcome, representative: bool) -> Result<()> {
    let name = &run.config.name;
    let data = dir.join(layout::run_data(name, ""));
    std::fs::create_dir_all(&data).io_context(|| format!("cannot create {}", data.display()))?;
    let path = |file: &str| dir.join(layout::run_data(name, file));
    write_history(&path("history.csv"), run)?;
    write_metrics(&path("metrics.json"), run)?;
    write_latent_dims(&path("latent-dims.csv"), run)?;
    // The data behind the per-run figures exist for the representative
    // seed only, as the figures do (they are most of a report's size).
    if representative {
        write_latents(&path("latents.csv"), run)?;
        write_scatter(&path("scatter.csv"), run)?;
        write_histograms(&path("histograms.csv"), run)?;
    }
    let checkpoint = dir.join(layout::checkpoint(name));
    if let Some(parent) = checkpoint.parent() {
        std::fs::create_dir_all(parent)
            .io_context(|| format!("cannot create {}", parent.display()))?;
    }
    vaelab_vae::checkpoint::save(&checkpoint, &run.model, &run.config)?;
    Ok(())
}

/// The classification set's μ with each image's digit.
/// The data files of a run: every one of [`layout::RUN_DATA_FILES`] for a
/// configuration's representative run, else those behind metrics and curves.
pub fn run_data_files(representative: bool) -> Vec<&'static str> {
    layout::RUN_DATA_FILES
        .iter()
        .copied()
        .filter(|f| representative || SEED_DATA_FILES.contains(f))
        .collect()
}

/// The data files every seed's run has.
const SEED_DATA_FILES: [&str; 3] = ["history.csv", "metrics.json", "latent-dims.csv"];

/// Where the per-configuration aggregates go.
pub const AGGREGATES_CSV: &str = "data/aggregates.csv";

/// Writes `data/aggregates.csv`: one row per configuration and metric
/// column, with n, mean, sd, min and max over the seeds where it exists
/// (empty cells where it exists in none, or sd for one seed).
pub fn write_aggregates(dir: &Path, aggregates: &[crate::configs::Aggregate]) -> Result<()> {
    let path = dir.join(AGGREGATES_CSV);
    let header = [
        "configuration",
        "runs",
        "collapsed",
        "metric",
        "n",
        "mean",
        "sd",
        "min",
        "max",
    ];
    let rows = aggregates.iter().flat_map(|a| {
        a.metrics.iter().map(move |m| {
            let mut row = vec![
                a.name.clone(),
                a.n.to_string(),
                a.collapsed.to_string(),
                m.key.to_string(),
            ];
            match m.spread {
                Some(s) => row.extend([
                    s.n.to_string(),
                    s.mean.to_string(),
                    s.sd.map_or_else(String::new, |sd| sd.to_string()),
                    s.min.to_string(),
                    s.max.to_string(),
                ]),
                None => row.extend([
                    "0".to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]),
            }
            row
        })
    });
    Ok(write_atomic(&path, &csv_bytes(&path, &header, rows)?)?)
}

fn write_latents(path: &Path, run: &RunOutcome) -> Result<()> {
    let d = run.config.latent;
    let mut header = vec!["label".to_string()];
    header.extend((1..=d).map(|j| format!("mu{j}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let a = &run.analysis;
    let rows = a.scatter.labels.iter().enumerate().map(|(i, label)| {
        let mut row = vec![label.to_string()];
        row.extend(
            a.classify_mu[i * d..(i + 1) * d]
                .iter()
                .map(|v| v.to_string()),
        );
        row
    });
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// The settings and final numbers as JSON.
fn write_metrics(path: &Path, run: &RunOutcome) -> Result<()> {
    let value = serde_json::json!({ "config": run.config, "metrics": run.analysis.metrics });
    let text = serde_json::to_string_pretty(&value).map_err(|source| ReportError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(write_atomic(path, text.as_bytes())?)
}

/// The plotted 2-D points (μ itself for d = 2, its PCA projection else).
fn write_scatter(path: &Path, run: &RunOutcome) -> Result<()> {
    let s = &run.analysis.scatter;
    let header = ["label", s.axes[0].as_str(), s.axes[1].as_str()];
    let rows = s
        .points
        .iter()
        .zip(&s.labels)
        .map(|(p, l)| vec![l.to_string(), p[0].to_string(), p[1].to_string()]);
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// One row per bin of every pixel histogram.
fn write_histograms(path: &Path, run: &RunOutcome) -> Result<()> {
    let header = [
        "position", "row", "col", "set", "series", "bin_lo", "bin_hi", "count",
    ];
    let mut rows = Vec::new();
    for h in &run.analysis.pixel_histograms {
        let (row, col) = pixel_position(h.position, run.analysis.image_shape.1);
        for (set, pair) in [("train", &h.train), ("test", &h.test)] {
            for (series, hist) in ["input", "reconstruction"].iter().zip(pair.iter()) {
                for (i, count) in hist.counts.iter().enumerate() {
                    rows.push(vec![
                        h.position.to_string(),
                        row.to_string(),
                        col.to_string(),
                        set.to_string(),
                        (*series).to_string(),
                        hist.edges[i].to_string(),
                        hist.edges[i + 1].to_string(),
                        count.to_string(),
                    ]);
                }
            }
        }
    }
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// Variance of μ and mean KL of every latent dimension.
fn write_latent_dims(path: &Path, run: &RunOutcome) -> Result<()> {
    let m = &run.analysis.metrics;
    let rows = m
        .mu_variance
        .iter()
        .zip(&m.kl_per_dim)
        .enumerate()
        .map(|(j, (v, kl))| vec![(j + 1).to_string(), v.to_string(), kl.to_string()]);
    let header = ["dim", "mu_variance", "kl"];
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// The final metrics of every successful run, one row each: its study
/// settings, then every [`columns::COLUMNS`] entry.
pub fn write_metrics_table(dir: &Path, facts: &[RunFacts]) -> Result<()> {
    let path = dir.join(layout::METRICS_CSV);
    let mut header = vec!["run", "activation", "latent", "head", "objective"];
    header.extend(columns::COLUMNS.iter().map(|c| c.key));
    let rows = facts.iter().map(|f| {
        let c = &f.config;
        let mut row = vec![
            f.name.clone(),
            c.activation.to_string(),
            c.latent.to_string(),
            c.head.to_string(),
            c.objective.to_string().to_lowercase(),
        ];
        row.extend(
            columns::COLUMNS
                .iter()
                .map(|col| (col.value)(f).to_string()),
        );
        row
    });
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .io_context(|| format!("cannot create {}", parent.display()))?;
    }
    Ok(write_atomic(&path, &csv_bytes(&path, &header, rows)?)?)
}
