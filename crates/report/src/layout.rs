//! Where every file of a report goes, relative to the report directory.
//!
//! ```text
//! index.html  report.md  summary.json  timing.json
//! figures/<run>/curve-ce.{png,svg}  curve-kl.{png,svg}  curve-mse.{png,svg}
//!               reconstructions.png  histograms.{png,svg}  scatter.{png,svg}
//!               latent-grid.png  interpolation.png
//! figures/compare/<factor>.{png,svg}
//! data/metrics.csv                       the final metrics of every run
//! data/<run>/history.csv  latents.csv  scatter.csv  histograms.csv
//!            latent-dims.csv  metrics.json
//! runs/<run>/model.safetensors
//! ```
//!
//! Paths use `/` so they can be written into HTML and Markdown as they are.

/// The kinds of figure drawn for every run, in the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunFigure {
    /// Cross-entropy learning curves.
    CurveCe,
    /// KL learning curves.
    CurveKl,
    /// MSE learning curves.
    CurveMse,
    /// Originals above reconstructions, training and test.
    Reconstructions,
    /// Input vs reconstructed pixel values at chosen positions.
    Histograms,
    /// The classification set's μ, coloured by digit.
    Scatter,
    /// Decoded images on a grid of the latent plane.
    LatentGrid,
    /// Decoded rows between pairs of training images.
    Interpolation,
}

impl RunFigure {
    /// Every kind, in the report's order.
    pub const ALL: [RunFigure; 8] = [
        RunFigure::CurveCe,
        RunFigure::CurveKl,
        RunFigure::CurveMse,
        RunFigure::Reconstructions,
        RunFigure::Histograms,
        RunFigure::Scatter,
        RunFigure::LatentGrid,
        RunFigure::Interpolation,
    ];

    /// The file name without extension.
    pub fn stem(self) -> &'static str {
        match self {
            RunFigure::CurveCe => "curve-ce",
            RunFigure::CurveKl => "curve-kl",
            RunFigure::CurveMse => "curve-mse",
            RunFigure::Reconstructions => "reconstructions",
            RunFigure::Histograms => "histograms",
            RunFigure::Scatter => "scatter",
            RunFigure::LatentGrid => "latent-grid",
            RunFigure::Interpolation => "interpolation",
        }
    }
}

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
