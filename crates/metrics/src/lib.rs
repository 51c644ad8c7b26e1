//! Histograms, PCA, k-nearest-neighbours and summary statistics on plain slices; knows
//! nothing of tensors.
//!
//! This is the measuring layer of vaelab's report (the study, docs/study.md §7): pixel histograms
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
//!
//! # Example
//! Four 2-D points of two classes: their PCA plane, a histogram of one coordinate,
//! the active dimensions and the k-nearest-neighbour accuracy. The `clusters`
//! example does the same on a larger synthetic set:
//! `cargo run -p vaelab-metrics --example clusters`.
//!
//! ```
//! # fn main() -> Result<(), vaelab_metrics::MetricsError> {
//! use vaelab_metrics::{
//!     ACTIVE_UNIT_THRESHOLD, Histogram, Pca2, active_units, column_values, knn_accuracy,
//! };
//!
//! // Rows (x, y): class 0 on the left, class 1 on the right, all at the same height.
//! let points = [0.0, 1.0, 1.0, 1.0, 9.0, 1.0, 10.0, 1.0];
//! let labels = [0, 0, 1, 1];
//! let (n, dim) = (4, 2);
//!
//! // All the spread is along x, so the first principal direction is the x axis.
//! let pca = Pca2::fit(&points, n, dim)?;
//! assert!((pca.explained_ratio()[0] - 1.0).abs() < 1e-9);
//! assert!((pca.components[0][0] - 1.0).abs() < 1e-9);
//!
//! // y never changes: one active dimension out of two.
//! let (active, variances) = active_units(&points, n, dim, ACTIVE_UNIT_THRESHOLD)?;
//! assert_eq!((active, variances[1]), (1, 0.0));
//!
//! // Two bins over [0, 10]: two x values in each.
//! let xs = column_values(&points, n, dim, 0)?;
//! assert_eq!(Histogram::new(&xs, 2, 0.0, 10.0)?.counts, [2, 2]);
//!
//! // Each query's nearest reference point has the query's label.
//! let queries = [0.5, 1.0, 9.5, 1.0];
//! assert_eq!(knn_accuracy(&points, &labels, &queries, &[0, 1], dim, 1)?, 1.0);
//!
//! // Bad input is an error, not a panic.
//! assert!(Pca2::fit(&points, 3, dim).is_err());
//! # Ok(()) }
//! ```

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
pub use knn::{knn_accuracy, knn_accuracy_leaving_out, knn_predict};
pub use pca::Pca2;
pub use pixels::{column_values, top_positions_by_variance, top_variance_positions};
pub use seeds::{Better, SeedComparison, Spread, Verdict, compare_seeds};
pub use stats::{ACTIVE_UNIT_THRESHOLD, Summary, active_units, column_means, column_variances};
