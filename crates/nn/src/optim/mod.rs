//! Optimisers: they turn a [`Gradients`] map into parameter updates.
//!
//! An optimiser keeps its state (moments, momentum buffers) per
//! [`ParamId`](vaelab_autodiff::ParamId), allocated the first time a
//! parameter gets a gradient and reused afterwards, so a training step
//! allocates nothing once warm. Parameters without a gradient in the map are
//! skipped: neither they nor their state change.
//!
//! Call [`Tape::reset`](vaelab_autodiff::Tape::reset) before
//! [`Optimizer::step`]: the tape shares the parameters' buffers, and while it
//! holds them an update has to copy each parameter first.

mod adam;
mod sgd;

pub use adam::{Adam, AdamConfig};
pub use sgd::{Sgd, SgdConfig};

use vaelab_autodiff::{Float, Gradients, Param};

use crate::NnError;

/// Something that updates parameters from their gradients.
pub trait Optimizer<T: Float = f32> {
    /// Applies one update to every parameter that has a gradient in `grads`.
    ///
    /// # Panics
    /// If a gradient's shape differs from its parameter's (a bug in the
    /// caller: the gradient belongs to another parameter).
    fn step(&mut self, params: &mut [&mut Param<T>], grads: &Gradients<T>);
}

/// Checks that a learning rate is positive and finite.
fn check_lr(setting: &str, lr: f64) -> Result<(), NnError> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        Err(NnError::config(
            setting,
            format!("must be positive and finite, got {lr}"),
        ))
    }
}

/// Checks that a decay factor lies in `[0, 1)`.
fn check_unit(setting: &str, value: f64) -> Result<(), NnError> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(NnError::config(
            setting,
            format!("must lie in [0, 1), got {value}"),
        ))
    }
}

/// The gradient of `param`, checked against its shape.
fn gradient_of<'g, T: Float>(
    param: &Param<T>,
    grads: &'g Gradients<T>,
) -> Option<&'g nalgebra::DMatrix<T>> {
    let g = grads.get(param)?;
    assert_eq!(
        g.shape(),
        param.shape(),
        "optimiser: gradient of shape {:?} for a parameter of shape {:?}",
        g.shape(),
        param.shape()
    );
    Some(g)
}

#[cfg(test)]
pub(crate) mod testing {
    //! The quadratic `Σ cᵢ (wᵢ − ½)²` the optimiser tests minimise, taken
    //! through the tape so that the real gradient path is exercised.

    use nalgebra::DMatrix;
    use vaelab_autodiff::{Gradients, Param, Tape};

    pub(crate) const C: [f64; 3] = [1.0, 2.0, 3.0];
    pub(crate) const W0: [f64; 3] = [1.0, -2.0, 3.0];

    /// The loss and its gradients at `w`.
    pub(crate) fn quadratic(tape: &mut Tape<f64>, w: &Param<f64>) -> (f64, Gradients<f64>) {
        tape.reset();
        let wv = tape.param(w);
        let c = tape.constant(&DMatrix::from_row_slice(1, 3, &C));
        let shifted = tape.add_scalar(wv, -0.5);
        let sq = tape.square(shifted);
        let weighted = tape.mul(c, sq);
        let loss = tape.sum(weighted);
        let value = tape.scalar(loss);
        let grads = tape.backward(loss);
        tape.reset();
        (value, grads)
    }
}
