//! The operations, one family per file. Each file keeps an operation's
//! forward computation and its derivative rule side by side, with the
//! gradient check that proves the pair consistent at the bottom.
//!
//! This module holds the record of how a node was made ([`Op`]) and sends the
//! backward pass to the right rule.

pub(crate) mod columns;
pub(crate) mod elementwise;
pub(crate) mod loss;
pub(crate) mod matmul;
pub(crate) mod pointwise;
pub(crate) mod reduce;

pub use elementwise::Binary;
pub use pointwise::Unary;

use crate::{Float, Tape, Var};

/// How a node was computed from its inputs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Op<T: Float> {
    Leaf,
    MatMul(Var, Var),
    Affine(Var, Var, Var),
    Binary(Binary, Var, Var),
    Unary(Unary, Var),
    Scale(Var, T),
    AddScalar(Var, T),
    Sum(Var),
    RowSums(Var),
    ColSums(Var),
    ConcatCols(Var, Var),
    SliceCols(Var, usize),
    BceWithLogits(Var, Var),
    SseWithLogits(Var, Var),
    KlSigma(Var, Var),
    KlLogVar(Var, Var),
}

impl<T: Float> Tape<T> {
    /// Propagates the gradient `gy` of node `out` to its inputs.
    pub(crate) fn backward_op(&mut self, op: Op<T>, out: usize, gy: &nalgebra::DMatrix<T>) {
        match op {
            Op::Leaf => {}
            Op::MatMul(a, b) => matmul::backward(self, a, b, gy),
            Op::Affine(xs, w, b) => matmul::backward_affine(self, xs, w, b, gy),
            Op::Binary(kind, a, b) => elementwise::backward(self, kind, a, b, gy),
            Op::Unary(kind, x) => pointwise::backward_unary(self, kind, x, out, gy),
            Op::Scale(x, c) => pointwise::backward_scale(self, x, c, gy),
            Op::AddScalar(x, _) => pointwise::backward_add_scalar(self, x, gy),
            Op::Sum(x) => reduce::backward_sum(self, x, gy),
            Op::RowSums(x) => reduce::backward_row_sums(self, x, gy),
            Op::ColSums(x) => reduce::backward_col_sums(self, x, gy),
            Op::ConcatCols(a, b) => columns::backward_concat(self, a, b, gy),
            Op::SliceCols(x, start) => columns::backward_slice(self, x, start, gy),
            Op::BceWithLogits(logits, targets) => loss::backward_bce(self, logits, targets, gy),
            Op::SseWithLogits(logits, targets) => loss::backward_sse(self, logits, targets, gy),
            Op::KlSigma(mu, sigma) => loss::backward_kl_sigma(self, mu, sigma, gy),
            Op::KlLogVar(mu, log_var) => loss::backward_kl_log_var(self, mu, log_var, gy),
        }
    }
}
