//! Histograms, PCA, k-nearest-neighbours and summary statistics on plain slices; knows
//! nothing of tensors.
//!
//! This is the measuring layer of vaelab's report (experiment spec §7): pixel histograms
//! of inputs against reconstructions, the 2-D PCA plane of the latent means for d = 20,
//! the k-nearest-neighbour digit accuracy of the latent means, the number of active
//! latent units and per-dimension statistics; and, across seeds, the spread of a
//! configuration's results and whether one configuration beats another by more than
//! that spread ([`compare_seeds`]). It takes plain slices in and gives numbers
//! out, so it can be tested on hand-checkable inputs and reused anywhere.
//!
//! It depends only on `std` and `thiserror` (plus `serde`'s derive behind the optional
//! `serde` feature); in particular no linear-algebra crate and no other vaelab crate.
//!
//! # Data convention
//! A set of `n` vectors of dimension `dim` is a row-major `&[f32]` of length `n · dim`,
//! one vector per row. Every function checks the length, rejects empty sets and
//! non-finite values, and returns a [`MetricsError`] instead of panicking. Sums are
//! accumulated in `f64`.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod collapse;
mod eigen;
mod error;
mod histogram;
mod knn;
mod pca;
mod pixels;
mod seeds;
mod shape;
mod stats;

pub use collapse::{
    KL_ACTIVE_THRESHOLD, LatentActivity, LatentFigure, LatentState, kl_from_aggregate,
};
pub use eigen::{SymmetricEigen, symmetric_eigen};
pub use error::{MetricsError, Result};
pub use histogram::Histogram;
pub use knn::{knn_accuracy, knn_predict};
pub use pca::Pca2;
pub use pixels::{column_values, top_variance_positions};
pub use seeds::{Better, SeedComparison, Spread, Verdict, compare_seeds};
pub use stats::{ACTIVE_UNIT_THRESHOLD, Summary, active_units, column_means, column_variances};
