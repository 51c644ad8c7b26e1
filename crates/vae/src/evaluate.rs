//! The losses of spec §4, measured on a whole image set.
//!
//! All four are per image, averaged over the set, whatever objective trains:
//! CE = −Σᵢ [xᵢ ln yᵢ + (1 − xᵢ) ln(1 − yᵢ)], SSE = ½ Σᵢ (xᵢ − yᵢ)²,
//! MSE = mean over pixels of (xᵢ − yᵢ)², KL = ½ Σⱼ (μⱼ² + σⱼ² − ln σⱼ² − 1).

use nalgebra::DMatrix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::{Tape, Var};

use crate::data::ImageSet;
use crate::model::{Posterior, Vae};

/// Per-image losses, averaged over a set.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Losses {
    /// Cross-entropy.
    pub ce: f64,
    /// Half the sum of squared errors.
    pub sse: f64,
    /// Mean squared error per pixel.
    pub mse: f64,
    /// KL divergence of the posterior from the prior.
    pub kl: f64,
}

impl Losses {
    /// Whether every value is finite.
    pub fn is_finite(&self) -> bool {
        [self.ce, self.sse, self.mse, self.kl]
            .iter()
            .all(|v| v.is_finite())
    }
}

/// Fills `eps` with independent N(0, 1) draws.
pub fn fill_normal(eps: &mut DMatrix<f32>, rng: &mut ChaCha8Rng) {
    for e in eps.iter_mut() {
        *e = rng.sample(StandardNormal);
    }
}

/// The nodes of one forward pass through the whole model.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    /// The encoder's output.
    pub posterior: Posterior,
    /// The sampled codes.
    pub z: Var,
    /// The decoder's logits.
    pub logits: Var,
}

/// Records encoder, sampling with noise `eps` and decoder on `tape`.
pub fn forward(model: &Vae, tape: &mut Tape, xs: Var, eps: Var) -> Pass {
    let posterior = model.encode(tape, xs);
    let z = model.sample(tape, &posterior, eps);
    let logits = model.decode_logits(tape, z);
    Pass {
        posterior,
        z,
        logits,
    }
}

/// The losses of `model` on `set`, with sampling noise drawn from `rng`.
pub fn evaluate(model: &Vae, tape: &mut Tape, set: &ImageSet, rng: &mut ChaCha8Rng) -> Losses {
    tape.reset();
    let n = set.len();
    let mut eps = DMatrix::zeros(n, model.latent());
    fill_normal(&mut eps, rng);
    let xs = tape.constant(&set.xs);
    let eps = tape.constant_owned(eps);
    let pass = forward(model, tape, xs, eps);
    let ce = tape.bce_with_logits(pass.logits, xs);
    let kl = tape.kl_normal_log_var(pass.posterior.mu, pass.posterior.log_var);
    let ys = tape.sigmoid(pass.logits);
    let (sse, mse) = squared_errors(tape.value(ys), &set.xs);
    let mean = |v: &DMatrix<f32>| v.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
    Losses {
        ce: mean(tape.value(ce)),
        sse,
        mse,
        kl: mean(tape.value(kl)),
    }
}

/// (SSE, MSE) per image of the outputs `ys` against `xs`, averaged.
pub fn squared_errors(ys: &DMatrix<f32>, xs: &DMatrix<f32>) -> (f64, f64) {
    // Squares in f32 (vectorised), their sum in f64 (78 400 terms).
    let total: f64 = ys
        .as_slice()
        .iter()
        .zip(xs.as_slice())
        .map(|(&y, &x)| f64::from((x - y) * (x - y)))
        .sum();
    let (n, pixels) = xs.shape();
    (0.5 * total / n as f64, total / (n * pixels) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squared_errors_by_hand() {
        // Outputs 0.5 everywhere; targets 0 and 1 differ from them by 0.5.
        let ys = DMatrix::from_element(2, 2, 0.5);
        let xs = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 0.5, 0.5]);
        let (sse, mse) = squared_errors(&ys, &xs);
        // Image 1: ½(0.25 + 0.25) = 0.25; image 2: 0. Mean 0.125.
        assert!((sse - 0.125).abs() < 1e-12);
        // Pixels: 0.25, 0.25, 0, 0 → 0.125.
        assert!((mse - 0.125).abs() < 1e-12);
    }
}
