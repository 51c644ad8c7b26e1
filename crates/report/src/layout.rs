//! Where every file of a report goes, relative to the report directory.
//!
//! ```text
//! index.html  report.md  explorer.html  summary.json  timing.json
//! figures/<run>/curve-ce.{png,svg}  curve-kl.{png,svg}  curve-mse.{png,svg}
//!               reconstructions.png  histograms.png  scatter.png
//!               latent-grid.png  interpolation.png   (SVG for line charts only)
//! figures/compare/<setting>.{png,svg}     one per setting that runs differ in
//! data/metrics.csv                       the final metrics of every run
//! data/<run>/history.csv  latent-dims.csv          every run
//!            latents.csv  scatter.csv  histograms.csv  metrics.json
//!                                      (first seed of a configuration)
//! runs/<run>/model.safetensors
//! ```
//!
//! Paths use `/` so they can be written into HTML and Markdown as they are.

use crate::figures::RunFigure;

/// `figures/<run>/<stem>` (no extension).
pub fn run_figure(run: &str, figure: RunFigure) -> String {
    format!("figures/{run}/{}", figure.stem())
}

/// `figures/compare/<factor>` (no extension).
pub fn comparison_figure(factor: &str) -> String {
    format!("figures/compare/{factor}")
}

/// `data/<run>/<file>`.
pub fn run_data(run: &str, file: &str) -> String {
    format!("data/{run}/{file}")
}

/// `runs/<run>/model.safetensors`.
pub fn checkpoint(run: &str) -> String {
    format!("runs/{run}/model.safetensors")
}

/// The CSV/JSON files written for every successful run, in `data/<run>/`.
pub const RUN_DATA_FILES: [&str; 6] = [
    "history.csv",
    "latents.csv",
    "scatter.csv",
    "histograms.csv",
    "latent-dims.csv",
    "metrics.json",
];

/// The final metrics of every run in one CSV.
pub const METRICS_CSV: &str = "data/metrics.csv";

/// The interactive latent explorer of every successful run.
pub const EXPLORER: &str = "explorer.html";
