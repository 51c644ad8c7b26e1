//! The baseline every run must beat: a decoder that ignores its input and
//! outputs the mean training image.
//!
//! Its output is `y_p = (1/N) Σₙ x_{n,p}`, the per-pixel mean of the training
//! images — the constant image that minimises both the training CE and the
//! training SSE. A collapsed VAE (posterior equal to the prior, decoder
//! ignoring z) converges to it, so "worse than the mean image" means the
//! model has learnt nothing usable about individual images.
//!
//! On a set of images, per image and averaged over the set, as the losses
//! of [`crate::evaluate`]:
//! - CE = −Σ_p [x_p ln y_p + (1 − x_p) ln(1 − y_p)], each logarithm clamped
//!   at −100 as PyTorch's `binary_cross_entropy` does (a pixel that is 0 in
//!   every training image has y_p = 0, and ln 0 would make one bright test
//!   pixel cost infinitely much);
//! - SSE = ½ Σ_p (x_p − y_p)², MSE = (1/784) Σ_p (x_p − y_p)²;
//! - log-likelihood = −CE exactly: the decoder ignores z, so
//!   p(x) = ∫ p(x | z) p(z) dz = p(x | ·), with the same Bernoulli reading
//!   of grey pixels as [`crate::likelihood`]. It needs no sampling and has
//!   no Monte-Carlo error.

use serde::{Deserialize, Serialize};

use crate::data::{ImageSet, StudyData};
use crate::error::{Result, VaeError};

/// The logarithm's floor in the CE, as in PyTorch.
pub const LOG_FLOOR: f64 = -100.0;

/// The mean-image decoder's losses on one set, per image.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BaselineLosses {
    /// Cross-entropy.
    pub ce: f64,
    /// Half the sum of squared errors.
    pub sse: f64,
    /// Mean squared error per pixel.
    pub mse: f64,
    /// Log-likelihood, nats per image (= −CE).
    pub log_likelihood: f64,
}

/// The mean-image baseline of a run's data.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MeanImageBaseline {
    /// On the training images (the ones the mean is taken over).
    pub train: BaselineLosses,
    /// On the test images.
    pub test: BaselineLosses,
}

/// The per-pixel mean of a set of images.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanImage {
    /// One value per pixel, in [0, 1].
    pub pixels: Vec<f64>,
}

impl MeanImage {
    /// The mean of `set`'s images; `run` names the run in the error of an
    /// empty set.
    pub fn fit(set: &ImageSet, run: &str) -> Result<MeanImage> {
        let (n, width) = set.xs.shape();
        if n == 0 {
            return Err(VaeError::Data {
                run: run.into(),
                message: "the mean-image baseline needs at least one training image".into(),
            });
        }
        let pixels = (0..width)
            .map(|p| set.xs.column(p).iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64)
            .collect();
        Ok(MeanImage { pixels })
    }

    /// Its losses on `set` (images as wide as the mean), averaged per image.
    pub fn losses(&self, set: &ImageSet) -> BaselineLosses {
        let (n, width) = set.xs.shape();
        let (mut ce, mut squares) = (0.0f64, 0.0f64);
        for i in 0..n {
            for (p, &y) in self.pixels.iter().enumerate().take(width) {
                let x = f64::from(set.xs[(i, p)]);
                let ln_y = y.ln().max(LOG_FLOOR);
                let ln_1my = (1.0 - y).ln().max(LOG_FLOOR);
                ce -= x * ln_y + (1.0 - x) * ln_1my;
                squares += (x - y) * (x - y);
            }
        }
        let per_image = n.max(1) as f64;
        let ce = ce / per_image;
        BaselineLosses {
            ce,
            sse: 0.5 * squares / per_image,
            mse: squares / (per_image * width.max(1) as f64),
            log_likelihood: -ce,
        }
    }
}

/// The mean of the training images, measured on the training and test sets.
pub fn mean_image_baseline(data: &StudyData, run: &str) -> Result<MeanImageBaseline> {
    let mean = MeanImage::fit(&data.train, run)?;
    Ok(MeanImageBaseline {
        train: mean.losses(&data.train),
        test: mean.losses(&data.test),
    })
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;

    fn set(rows: usize, values: &[f32]) -> ImageSet {
        ImageSet {
            xs: DMatrix::from_row_slice(rows, values.len() / rows, values),
            labels: vec![0; rows],
        }
    }

    #[test]
    fn losses_match_a_hand_computation() {
        // Training images (0, 1) and (1, 1): the mean is (0.5, 1).
        let mean = MeanImage::fit(&set(2, &[0.0, 1.0, 1.0, 1.0]), "t").expect("two images");
        assert_eq!(mean.pixels, [0.5, 1.0]);
        // Test image (1, 0.5): pixel 1 costs −ln 0.5; pixel 2 costs
        // −(0.5 ln 1 + 0.5 ln 0) = −0.5 · (−100) = 50 with the floor.
        let l = mean.losses(&set(1, &[1.0, 0.5]));
        let ce = std::f64::consts::LN_2 + 50.0;
        assert!((l.ce - ce).abs() < 1e-12, "{}", l.ce);
        assert_eq!(l.log_likelihood, -l.ce);
        // Squared errors 0.25 and 0.25: SSE ½ · 0.5, MSE 0.5 / 2.
        assert!((l.sse - 0.25).abs() < 1e-12 && (l.mse - 0.25).abs() < 1e-12);
    }

    #[test]
    fn on_binary_training_images_the_ce_is_the_summed_binary_entropy() {
        // Four binary images of 784 pixels, pixel p on in (p mod 5) of them
        // (capped at 4): the mean is q_p = min(p mod 5, 4) / 4, and the CE
        // of the mean on the same images is Σ_p H(q_p), H the binary entropy.
        let (n, width) = (4, 784);
        let mut values = vec![0.0f32; n * width];
        for p in 0..width {
            for i in 0..(p % 5).min(4) {
                values[i * width + p] = 1.0;
            }
        }
        let images = set(n, &values);
        let baseline = MeanImage::fit(&images, "t")
            .expect("four images")
            .losses(&images);
        let entropy = |q: f64| {
            if q == 0.0 || q == 1.0 {
                0.0
            } else {
                -(q * q.ln() + (1.0 - q) * (1.0 - q).ln())
            }
        };
        let expected: f64 = (0..width)
            .map(|p| entropy((p % 5).min(4) as f64 / 4.0))
            .sum();
        assert!(
            (baseline.ce - expected).abs() < 1e-9,
            "{} vs {expected}",
            baseline.ce
        );
        // The SSE is half the summed per-pixel variance q(1 − q).
        let variance: f64 = (0..width)
            .map(|p| {
                let q = (p % 5).min(4) as f64 / 4.0;
                q * (1.0 - q)
            })
            .sum();
        assert!((baseline.sse - 0.5 * variance).abs() < 1e-9);
    }

    #[test]
    fn an_empty_training_set_is_refused_by_run() {
        let empty = ImageSet {
            xs: DMatrix::zeros(0, 784),
            labels: Vec::new(),
        };
        let err = MeanImage::fit(&empty, "relu-z2-ce")
            .expect_err("no images")
            .to_string();
        assert!(err.contains("relu-z2-ce"), "{err}");
    }
}
