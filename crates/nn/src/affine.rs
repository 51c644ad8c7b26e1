//! The affine layer `y = x·W + b`.
//!
//! One sample per row: a batch `xs` of `n × inputs` becomes `n × outputs`.
//! `W` is `inputs × outputs` and `b` one row of `outputs`, repeated down the
//! batch. Stored column-major, `W` has exactly the bytes of PyTorch's
//! row-major `[out, in]` `Linear.weight`, which is what checkpoints rely on.

use rand_chacha::ChaCha8Rng;
use vaelab_autodiff::{Float, Param, Tape, Var};

use crate::Init;

/// A fully connected layer `y = x·W + b`.
#[derive(Debug, Clone)]
pub struct Affine<T: Float = f32> {
    /// `inputs × outputs`.
    pub weight: Param<T>,
    /// `1 × outputs`.
    pub bias: Param<T>,
}

impl<T: Float> Affine<T> {
    /// A layer with weights, then biases, drawn from `init` (biases are
    /// zero except under [`Init::Pytorch`]).
    pub fn new(inputs: usize, outputs: usize, init: Init, rng: &mut ChaCha8Rng) -> Self {
        let weight = Param::new(init.weights(inputs, outputs, rng));
        let bias = Param::new(init.bias(inputs, outputs, rng));
        Affine { weight, bias }
    }

    /// Records `xs·W + b` on the tape.
    ///
    /// # Panics
    /// If `xs` does not have [`Affine::inputs`] columns.
    pub fn forward(&self, tape: &mut Tape<T>, xs: Var) -> Var {
        let (w, b) = (tape.param(&self.weight), tape.param(&self.bias));
        affine(tape, xs, w, b)
    }

    /// The number of input features.
    pub fn inputs(&self) -> usize {
        self.weight.shape().0
    }

    /// The number of output features.
    pub fn outputs(&self) -> usize {
        self.weight.shape().1
    }
}

/// `xs·w + b` from handles already on the tape.
pub(crate) fn affine<T: Float>(tape: &mut Tape<T>, xs: Var, w: Var, b: Var) -> Var {
    tape.affine(xs, w, b)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;
    use rand::SeedableRng;

    #[test]
    fn forward_by_hand() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut layer = Affine::<f64>::new(2, 3, Init::default(), &mut rng);
        assert_eq!((layer.inputs(), layer.outputs()), (2, 3));
        assert!(layer.bias.value().iter().all(|&b| b == 0.0));
        *layer.weight.value_mut() = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        *layer.bias.value_mut() = DMatrix::from_row_slice(1, 3, &[0.5, -0.5, 1.0]);
        let mut tape = Tape::new();
        let xs = tape.constant(&DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 1.0, -1.0]));
        let ys = layer.forward(&mut tape, xs);
        // Row 1: [1, 0]·W + b; row 2: [1, −1]·W + b.
        let expected = DMatrix::from_row_slice(2, 3, &[1.5, 1.5, 4.0, -2.5, -3.5, -2.0]);
        assert_eq!(tape.value(ys), &expected);
    }
}
