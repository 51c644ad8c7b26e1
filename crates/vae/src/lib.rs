//! `vaelab-vae`: the variational autoencoder of the study and everything
//! needed to train, evaluate and compare it.
//!
//! It sits on top of the numeric stack — `vaelab-autodiff` (tape),
//! `vaelab-nn` (layers, Adam, safetensors) — and takes its images from
//! `vaelab-mnist` and its statistics from `vaelab-metrics`. It prints nothing
//! and draws nothing: progress goes to a callback, results come back as
//! values (and files: the checkpoint through [`checkpoint`], the loss history
//! through [`output`]) for `vaelab-report` to report.
//!
//! - [`RunConfig`]: one run's settings, with the study's defaults.
//! - [`Vae`]: the model of the study (`docs/study.md` §3) with the `seed` or `gaussian` head.
//! - [`train()`]: Adam on CE or SSE plus KL, recording both sets' losses.
//! - [`analyse`]: reconstructions, pixel histograms, latent scatter and
//!   grid, interpolations, log-likelihood, kNN accuracy, active units.
//! - [`baseline`]: the mean-image decoder every run must beat.
//! - [`Suite`]: a TOML file of runs (listed, or expanded from grids, each
//!   over its seeds), run in parallel by [`run_suite`].
//! - [`RunStore`]: finished runs saved the moment training ends and
//!   reused by the next invocation (see [`store`] for the format).
//! - [`Shard`]: a suite split over the tasks of a job array; [`sweep`]:
//!   their run directories checked and analysed as one suite.

pub mod analysis;
pub mod baseline;
pub mod checkpoint;
pub mod config;
pub mod data;
pub mod epoch;
mod error;
pub mod evaluate;
pub mod grid;
pub mod likelihood;
pub mod model;
pub mod outcome;
pub mod output;
pub mod rng;
pub mod shard;
pub mod store;
pub mod suite;
pub mod sweep;
pub mod train;

pub use analysis::{Analysis, FinalMetrics, analyse};
pub use baseline::{BaselineLosses, MeanImageBaseline, mean_image_baseline};
pub use config::{
    AnalysisConfig, Binarize, DataConfig, Head, HiddenLayers, Objective, RunConfig, Selection,
    Source,
};
pub use data::{ImageSet, StudyData};
pub use error::{Result, VaeError};
pub use evaluate::Losses;
pub use model::Vae;
pub use outcome::FigureRuns;
pub use shard::Shard;
pub use store::RunStore;
pub use suite::{
    Checkpoint, Configuration, RunOutcome, Suite, first_seeds, run_one, run_one_stored, run_suite,
    run_suite_stored,
};
pub use train::{EpochEnd, Progress, Record, Trained, train};
