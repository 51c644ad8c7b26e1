//! `vaelab`: one import for the whole workspace.
//!
//! This facade re-exports the layer crates under short names so that a user can
//! write `use vaelab::mnist;` instead of depending on each `vaelab-*` crate. It
//! adds no code of its own; it also owns the end-to-end tests in `tests/`.
//!
//! ```
//! use vaelab::autodiff::{Matrix, Tape};
//!
//! let mut tape = Tape::<f64>::new();
//! let x = tape.constant(&Matrix::from_element(1, 1, 2.0));
//! let y = tape.square(x);
//! assert_eq!(tape.scalar(y), 4.0);
//! assert_eq!(vaelab::vae::RunConfig::default().model_name(), "sigmoid-z2");
//! ```

pub use vaelab_autodiff as autodiff;
pub use vaelab_metrics as metrics;
pub use vaelab_mnist as mnist;
pub use vaelab_nn as nn;
pub use vaelab_plots as plots;
pub use vaelab_report as report;
pub use vaelab_vae as vae;
