//! The importance-sampled log-likelihood estimate
//!
//! `log p(x) ≈ log (1/K) Σₖ p(x | zₖ) p(zₖ) / q(zₖ | x)`, `zₖ ~ q(z | x)`,
//!
//! with the decoder read as independent Bernoulli pixels (so `−ln p(x | z)`
//! is the cross-entropy) and the sum taken as a log-sum-exp shifted by its
//! largest term, which cannot overflow. With K = 1 it is the single-sample
//! ELBO; as K grows it rises towards `log p(x)` from below.

use nalgebra::DMatrix;
use rand_chacha::ChaCha8Rng;
use vaelab_autodiff::Tape;

use crate::analysis::encode_means;
use crate::data::ImageSet;
use crate::evaluate::fill_normal;
use crate::model::Vae;
use crate::rng::{Stream, stream};

/// Samples decoded at once: bounds memory at `CHUNK × 784` floats.
const CHUNK: usize = 250;

/// The mean over `set` of the estimate with `samples` samples per image,
/// noise from the run's analysis stream.
pub fn log_likelihood(model: &Vae, set: &ImageSet, samples: usize, seed: u64) -> f64 {
    let mut rng = stream(seed, Stream::Analysis);
    let per_image = log_likelihoods(model, set, samples, &mut rng);
    per_image.iter().sum::<f64>() / per_image.len().max(1) as f64
}

/// The estimate for each image of `set`.
pub fn log_likelihoods(
    model: &Vae,
    set: &ImageSet,
    samples: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<f64> {
    let (mu, log_var) = encode_means(model, set);
    let d = model.latent();
    let half_log_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
    let mut tape = Tape::new();
    let mut out = Vec::with_capacity(set.len());
    for i in 0..set.len() {
        let mut log_w = Vec::with_capacity(samples);
        let mut done = 0;
        while done < samples {
            let k = CHUNK.min(samples - done);
            let mut eps = DMatrix::<f32>::zeros(k, d);
            fill_normal(&mut eps, rng);
            let mut zs = DMatrix::<f32>::zeros(k, d);
            // ln q(z|x) − ln p(z), per sample, from ε and σ without forming z twice.
            let mut log_q_minus_p = vec![0.0f64; k];
            for j in 0..d {
                let (m, v) = (f64::from(mu[(i, j)]), f64::from(log_var[(i, j)]));
                let sigma = (0.5 * v).exp();
                for s in 0..k {
                    let e = f64::from(eps[(s, j)]);
                    let z = m + sigma * e;
                    zs[(s, j)] = z as f32;
                    let log_q = -0.5 * e * e - 0.5 * v - half_log_2pi;
                    let log_p = -0.5 * z * z - half_log_2pi;
                    log_q_minus_p[s] += log_q - log_p;
                }
            }
            // The image repeated in every row: column p is x_p throughout.
            let mut targets = DMatrix::<f32>::zeros(k, set.xs.ncols());
            for (p, column) in targets.as_mut_slice().chunks_exact_mut(k).enumerate() {
                column.fill(set.xs[(i, p)]);
            }
            tape.reset();
            let z = tape.constant_owned(zs);
            let x = tape.constant_owned(targets);
            let logits = model.decode_logits(&mut tape, z);
            let ce = tape.bce_with_logits(logits, x);
            for (s, &c) in tape.value(ce).iter().enumerate() {
                log_w.push(-f64::from(c) - log_q_minus_p[s]);
            }
            done += k;
        }
        out.push(log_mean_exp(&log_w));
    }
    out
}

/// `ln((1/K) Σ eˣ)` without overflow: shift by the largest term first.
pub fn log_mean_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    let sum: f64 = xs.iter().map(|x| (x - max).exp()).sum();
    max + (sum / xs.len() as f64).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_mean_exp_is_stable_and_exact() {
        assert!((log_mean_exp(&[0.0, 0.0]) - 0.0).abs() < 1e-15);
        // ln((e¹ + e³)/2) computed directly.
        let direct = ((1f64.exp() + 3f64.exp()) / 2.0).ln();
        assert!((log_mean_exp(&[1.0, 3.0]) - direct).abs() < 1e-12);
        // Terms of −1000 would underflow to 0 if exponentiated unshifted.
        assert!((log_mean_exp(&[-1000.0, -1000.0]) + 1000.0).abs() < 1e-9);
    }
}
