//! The losses of the study (`docs/study.md` §4), measured on a whole image set.
//!
//! All four are per image, averaged over the set, whatever objective trains:
//! CE = −Σᵢ [xᵢ ln yᵢ + (1 − xᵢ) ln(1 − yᵢ)], SSE = ½ Σᵢ (xᵢ − yᵢ)²,
//! MSE = mean over pixels of (xᵢ − yᵢ)², KL = ½ Σⱼ (μⱼ² + σⱼ² − ln σⱼ² − 1).
//!
//! A set is evaluated [`EVAL_CHUNK`] images at a time, so memory does not
//! grow with its size; the noise is drawn for the whole set first, so the
//! chunk size changes no draw. [`evaluate_draws`] averages S draws and adds
//! the deterministic losses at `z = μ`.

use nalgebra::DMatrix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::{Tape, Var};

use crate::data::ImageSet;
use crate::model::{IMAGE_PIXELS, Posterior, Vae};

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

/// Images per forward pass of an evaluation: bounds its memory at a few
/// `EVAL_CHUNK × 784` matrices (some 3 MB each) whatever the set's size.
pub const EVAL_CHUNK: usize = 1000;

/// The losses of `model` on `set`, with sampling noise drawn from `rng`
/// (one `n × d` draw, in the stream's order), in chunks of [`EVAL_CHUNK`].
pub fn evaluate(model: &Vae, tape: &mut Tape, set: &ImageSet, rng: &mut ChaCha8Rng) -> Losses {
    evaluate_chunked(model, tape, set, rng, EVAL_CHUNK)
}

/// [`evaluate`] with `chunk` images per forward pass. The noise is drawn for
/// the whole set first (`n × d` floats, column by column as a matrix fills),
/// so the draws, and hence the losses, do not depend on `chunk`.
pub fn evaluate_chunked(
    model: &Vae,
    tape: &mut Tape,
    set: &ImageSet,
    rng: &mut ChaCha8Rng,
    chunk: usize,
) -> Losses {
    let mut eps = DMatrix::zeros(set.len(), model.latent());
    fill_normal(&mut eps, rng);
    losses_with(model, tape, set, Some(&eps), chunk)
}

/// The losses with `z = μ` (no sampling noise): the deterministic
/// reconstruction of each image. KL is the same as in [`evaluate`].
pub fn evaluate_at_mean(model: &Vae, tape: &mut Tape, set: &ImageSet, chunk: usize) -> Losses {
    losses_with(model, tape, set, None, chunk)
}

/// Losses averaged over several noise draws, beside those at `z = μ`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The mean over the draws of each draw's set-averaged losses.
    pub sampled: Losses,
    /// The standard deviation over the draws of those set averages
    /// (divisor S − 1; 0 with a single draw).
    pub sampled_sd: Losses,
    /// Noise draws behind `sampled` (S).
    pub draws: usize,
    /// The losses with `z = μ`.
    pub at_mean: Losses,
}

/// [`evaluate`] `draws` times in a row on `rng` (the first draw is exactly
/// [`evaluate`]'s), averaged, and the losses at `z = μ` beside them.
pub fn evaluate_draws(
    model: &Vae,
    tape: &mut Tape,
    set: &ImageSet,
    rng: &mut ChaCha8Rng,
    draws: usize,
    chunk: usize,
) -> Evaluation {
    let each: Vec<Losses> = (0..draws.max(1))
        .map(|_| evaluate_chunked(model, tape, set, rng, chunk))
        .collect();
    let field = |f: fn(&Losses) -> f64| -> (f64, f64) {
        let values: Vec<f64> = each.iter().map(f).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd = if values.len() < 2 {
            0.0
        } else {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64)
                .sqrt()
        };
        (mean, sd)
    };
    let (ce, sse, mse, kl) = (
        field(|l| l.ce),
        field(|l| l.sse),
        field(|l| l.mse),
        field(|l| l.kl),
    );
    Evaluation {
        sampled: Losses {
            ce: ce.0,
            sse: sse.0,
            mse: mse.0,
            kl: kl.0,
        },
        sampled_sd: Losses {
            ce: ce.1,
            sse: sse.1,
            mse: mse.1,
            kl: kl.1,
        },
        draws: each.len(),
        at_mean: evaluate_at_mean(model, tape, set, chunk),
    }
}

/// The losses of `set` in chunks of `chunk` images, with `z = μ + σ·ε` for
/// the rows of `eps` (one per image), or `z = μ` without it. Sums run in
/// f64 image after image, so for a set within one chunk the result is
/// exactly that of a single pass.
fn losses_with(
    model: &Vae,
    tape: &mut Tape,
    set: &ImageSet,
    eps: Option<&DMatrix<f32>>,
    chunk: usize,
) -> Losses {
    let n = set.len();
    let d = model.latent();
    let (mut ce, mut kl, mut squares) = (0.0f64, 0.0f64, 0.0f64);
    let mut xs = DMatrix::<f32>::zeros(0, IMAGE_PIXELS);
    let mut noise = DMatrix::<f32>::zeros(0, d);
    for range in set.chunks(chunk) {
        let rows = range.len();
        if xs.nrows() != rows {
            xs = DMatrix::zeros(rows, IMAGE_PIXELS);
            noise = DMatrix::zeros(rows, d);
        }
        set.fill_rows(range.start, &mut xs);
        tape.reset();
        let x = tape.constant(&xs);
        let posterior = model.encode(tape, x);
        let z = match eps {
            Some(eps) => {
                noise.copy_from(&eps.rows(range.start, rows));
                let e = tape.constant(&noise);
                model.sample(tape, &posterior, e)
            }
            None => posterior.mu,
        };
        let logits = model.decode_logits(tape, z);
        let ce_rows = tape.bce_with_logits(logits, x);
        let kl_rows = tape.kl_normal_log_var(posterior.mu, posterior.log_var);
        let ys = tape.sigmoid(logits);
        for &v in tape.value(ce_rows).iter() {
            ce += f64::from(v);
        }
        for &v in tape.value(kl_rows).iter() {
            kl += f64::from(v);
        }
        squares += squared_sum(tape.value(ys), &xs);
    }
    tape.reset();
    Losses {
        ce: ce / n as f64,
        sse: 0.5 * squares / n as f64,
        mse: squares / (n * IMAGE_PIXELS) as f64,
        kl: kl / n as f64,
    }
}

/// Σ (x − y)² over every element, squares in f32 (vectorised), sum in f64.
fn squared_sum(ys: &DMatrix<f32>, xs: &DMatrix<f32>) -> f64 {
    ys.as_slice()
        .iter()
        .zip(xs.as_slice())
        .map(|(&y, &x)| f64::from((x - y) * (x - y)))
        .sum()
}

/// (SSE, MSE) per image of the outputs `ys` against `xs`, averaged.
pub fn squared_errors(ys: &DMatrix<f32>, xs: &DMatrix<f32>) -> (f64, f64) {
    let total = squared_sum(ys, xs);
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
