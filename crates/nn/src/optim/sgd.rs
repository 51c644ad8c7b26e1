//! Stochastic gradient descent with optional momentum, as PyTorch's
//! `torch.optim.SGD` computes it (no dampening, not Nesterov):
//!
//! ```text
//! b ← g                 on a parameter's first step
//! b ← μ·b + g           afterwards
//! p ← p − lr·b          (with μ = 0: p ← p − lr·g)
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use vaelab_autodiff::{Float, Gradients, Param, ParamId};

use super::{Optimizer, check_lr, check_unit, gradient_of};
use crate::NnError;

/// SGD's hyperparameters. The defaults are PyTorch's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SgdConfig {
    /// Learning rate. Default `1e-3`.
    pub lr: f64,
    /// Momentum factor μ. Default `0` (plain gradient descent).
    pub momentum: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        SgdConfig {
            lr: 1e-3,
            momentum: 0.0,
        }
    }
}

impl SgdConfig {
    /// Checks every value's range; the error names the setting (`sgd.lr`, …).
    pub fn validate(&self) -> Result<(), NnError> {
        check_lr("sgd.lr", self.lr)?;
        check_unit("sgd.momentum", self.momentum)
    }
}

/// Gradient descent with momentum.
#[derive(Debug)]
pub struct Sgd<T: Float = f32> {
    config: SgdConfig,
    buffers: HashMap<ParamId, Vec<T>>,
}

impl<T: Float> Sgd<T> {
    /// An optimiser with no state yet. The configuration is used as given;
    /// see [`Sgd::try_new`] for a checked one.
    pub fn new(config: SgdConfig) -> Self {
        Sgd {
            config,
            buffers: HashMap::new(),
        }
    }

    /// [`Sgd::new`] after [`SgdConfig::validate`].
    pub fn try_new(config: SgdConfig) -> Result<Self, NnError> {
        config.validate()?;
        Ok(Sgd::new(config))
    }

    /// The hyperparameters.
    pub fn config(&self) -> &SgdConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Sgd<T> {
    fn step(&mut self, params: &mut [&mut Param<T>], grads: &Gradients<T>) {
        let lr = T::of_f64(self.config.lr);
        let momentum = T::of_f64(self.config.momentum);
        for param in params.iter_mut() {
            let Some(g) = gradient_of(param, grads) else {
                continue;
            };
            let id = param.id();
            let values = param.value_mut().as_mut_slice();
            if self.config.momentum == 0.0 {
                for (p, &g) in values.iter_mut().zip(g.iter()) {
                    *p -= lr * g;
                }
                continue;
            }
            // The first step copies the gradient into the buffer, as PyTorch does.
            let mut first = false;
            let buffer = self.buffers.entry(id).or_insert_with(|| {
                first = true;
                g.as_slice().to_vec()
            });
            for ((p, &g), b) in values.iter_mut().zip(g.iter()).zip(buffer.iter_mut()) {
                if !first {
                    *b = momentum * *b + g;
                }
                *p -= lr * *b;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::optim::testing::{W0, quadratic};
    use nalgebra::DMatrix;
    use vaelab_autodiff::Tape;

    /// Runs two steps on `Σ cᵢ (wᵢ − ½)²` and returns w after each.
    fn two_steps(config: SgdConfig) -> Vec<Vec<f64>> {
        let mut w = Param::new(DMatrix::from_row_slice(1, 3, &W0));
        let mut sgd = Sgd::new(config);
        let mut tape = Tape::new();
        (0..2)
            .map(|_| {
                let (_, grads) = quadratic(&mut tape, &w);
                sgd.step(&mut [&mut w], &grads);
                w.value().as_slice().to_vec()
            })
            .collect()
    }

    fn assert_close(got: &[f64], want: &[f64]) {
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?} against {want:?}");
        }
    }

    // By hand: ∇ = 2c(w − ½). From w0 = [1, −2, 3], c = [1, 2, 3]:
    // g0 = [1, −10, 15], w1 = w0 − 0.1·g0 = [0.9, −1, 1.5],
    // g1 = [0.8, −6, 6].

    #[test]
    fn plain_steps_by_hand() {
        let w = two_steps(SgdConfig {
            lr: 0.1,
            momentum: 0.0,
        });
        assert_close(&w[0], &[0.9, -1.0, 1.5]);
        // w2 = w1 − 0.1·g1.
        assert_close(&w[1], &[0.82, -0.4, 0.9]);
    }

    #[test]
    fn momentum_steps_by_hand() {
        let w = two_steps(SgdConfig {
            lr: 0.1,
            momentum: 0.9,
        });
        // The first step is a plain one (b = g0).
        assert_close(&w[0], &[0.9, -1.0, 1.5]);
        // b = 0.9·g0 + g1 = [1.7, −15, 19.5]; w2 = w1 − 0.1·b.
        assert_close(&w[1], &[0.73, 0.5, -0.45]);
    }

    #[test]
    fn validation_names_the_setting() {
        assert!(SgdConfig::default().validate().is_ok());
        let err = Sgd::<f32>::try_new(SgdConfig {
            lr: -1.0,
            momentum: 0.0,
        })
        .unwrap_err();
        assert!(err.to_string().starts_with("sgd.lr"), "{err}");
        let err = SgdConfig {
            lr: 0.1,
            momentum: 1.5,
        }
        .validate()
        .unwrap_err();
        assert!(err.to_string().starts_with("sgd.momentum"), "{err}");
    }
}
