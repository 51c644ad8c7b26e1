//! `vaelab-autodiff`: 2-D tensors with reverse-mode automatic differentiation.
//!
//! This is the bottom of vaelab's numeric stack. It depends only on nalgebra
//! (matrices) and gemm (the product kernel) and knows nothing of
//! layers, models or data sets: `vaelab-nn` builds layers from its operations.
//!
//! A [`Tape`] records operations on matrices (one sample per row) and returns
//! [`Var`] handles to their results. [`Tape::backward`] replays the record in
//! reverse and returns the gradients of every [`Param`] as a [`Gradients`]
//! map. There are no `.grad` fields and nothing to zero.
//!
//! ```
//! use nalgebra::DMatrix;
//! use vaelab_autodiff::{Param, Tape};
//!
//! let w = Param::new(DMatrix::from_row_slice(2, 1, &[0.5, -1.0]));
//! let mut tape = Tape::<f64>::new();
//! let xs = tape.constant(&DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
//! let w_var = tape.param(&w);
//! let ys = tape.matmul(xs, w_var);
//! let loss = tape.mean(ys);
//! let grads = tape.backward(loss);
//! // ∂/∂w of mean(xs·w) is the column means of xs.
//! assert_eq!(grads.get(&w).unwrap().as_slice(), &[3.0, 4.0]);
//! ```
//!
//! The engine is generic over [`Float`] (`f32` for training, `f64` for the
//! finite-difference [`mod@gradcheck`]). Between iterations, [`Tape::reset`] keeps
//! every buffer for reuse and [`Tape::recycle`] takes back the gradients', so
//! a training loop allocates no matrices once warm. Wrap the loop in
//! [`FlushDenormals`] so that saturated sigmoids do not slow it down.
//!
//! The `fit_sine` example trains a small network on `sin(x)` with nothing but
//! the tape and a hand-written gradient-descent step:
//! `cargo run --release -p vaelab-autodiff --example fit_sine`.

mod denormal;
pub mod fastmath;
mod float;
pub mod gradcheck;
mod ops;
mod param;
mod split;
mod tape;

pub use denormal::FlushDenormals;
pub use float::{Float, PARALLEL_MIN_WORK, Trans, gemm, gemm_threaded};
pub use gradcheck::{GradcheckConfig, GradcheckError, gradcheck};
pub use ops::{Binary, Unary};
pub use param::{Param, ParamId};
pub use split::PARALLEL_MIN_ELEMENTS;
pub use tape::{Gradients, Tape, Var};

/// The matrix type of the engine (column-major storage, one sample per row).
pub type Matrix<T = f32> = nalgebra::DMatrix<T>;
