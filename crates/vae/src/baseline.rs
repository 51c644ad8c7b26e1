//! The baseline every run must beat: a decoder that ignores its input and
//! outputs the mean training image.
//!
//! Its output is `y_p = (1/N) Σₙ x_{n,p}`, the per-pixel mean of the training
//! images — the constant image that minimises both the training CE and the
//! training SSE. A collapsed VAE (posterior equal to the prior, decoder
//! ignoring z) converges to it, so "worse than the mean image" means the
//! model has learnt nothing usable about individual images.
//!
//! The output is kept within [ε, 1 − ε], ε = [`PIXEL_FLOOR`] = 10⁻⁴: a pixel
//! that is 0 in every training image has mean 0, and ln 0 would make a test
//! image that is bright there cost infinitely much. ε bounds that cost at
//! ln 10⁴ ≈ 9.2 nats per unit of brightness. On the study's 100 training and
//! 100 test images this gives test CE 204.77 and MSE 0.0666, and the study's
//! collapsed runs (2 000 iterations) reach test CE 204.73–204.80 with the
//! same MSE: they output this image. PyTorch's floor of −100 on the
//! logarithm instead lets those few pixels dominate (test CE 225.3).
//! [`MeanImage::fit_with_floor`] takes another ε.
//!
//! On a set of images, per image and averaged over the set, as the losses
//! of [`crate::evaluate`], with `y` the clamped mean:
//! - CE = −Σ_p [x_p ln y_p + (1 − x_p) ln(1 − y_p)];
//! - SSE = ½ Σ_p (x_p − y_p)², MSE = (1/784) Σ_p (x_p − y_p)²;
//! - log-likelihood = −CE exactly: the decoder ignores z, so
//!   p(x) = ∫ p(x | z) p(z) dz = p(x | ·), with the same Bernoulli reading
//!   of grey pixels as [`crate::likelihood`]. It needs no sampling and has
//!   no Monte-Carlo error.

use serde::{Deserialize, Serialize};

use crate::data::{ImageSet, StudyData};
use crate::error::{Result, VaeError};

/// The mean image's output is kept within `[PIXEL_FLOOR, 1 − PIXEL_FLOOR]`.
pub const PIXEL_FLOOR: f64 = 1e-4;

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
    /// One value per pixel, in [ε, 1 − ε].
    pub pixels: Vec<f64>,
}

impl MeanImage {
    /// The mean of `set`'s images within [`PIXEL_FLOOR`], 1 − it; `run`
    /// names the run in the error of an empty set.
    pub fn fit(set: &ImageSet, run: &str) -> Result<MeanImage> {
        MeanImage::fit_with_floor(set, PIXEL_FLOOR, run)
    }

    /// The mean of `set`'s images, each pixel kept within [`floor`, 1 − `floor`]
    /// (`floor` in [0, 0.5)).
    pub fn fit_with_floor(set: &ImageSet, floor: f64, run: &str) -> Result<MeanImage> {
        if !(0.0..0.5).contains(&floor) {
            return Err(VaeError::Data {
                run: run.into(),
                message: format!("the mean image's pixel floor {floor} is not in [0, 0.5)"),
            });
        }
        let (n, width) = (set.len(), crate::model::IMAGE_PIXELS);
        if n == 0 {
            return Err(VaeError::Data {
                run: run.into(),
                message: "the mean-image baseline needs at least one training image".into(),
            });
        }
        let pixels = (0..width)
            .map(|p| {
                let mean = (0..n).map(|i| f64::from(set.pixel(i, p))).sum::<f64>() / n as f64;
                mean.clamp(floor, 1.0 - floor)
            })
            .collect();
        Ok(MeanImage { pixels })
    }

    /// Its losses on `set` (images as wide as the mean), averaged per image.
    pub fn losses(&self, set: &ImageSet) -> BaselineLosses {
        let (n, width) = (set.len(), crate::model::IMAGE_PIXELS);
        let (mut ce, mut squares) = (0.0f64, 0.0f64);
        for i in 0..n {
            for (p, &y) in self.pixels.iter().enumerate().take(width) {
                let x = f64::from(set.pixel(i, p));
                // 0 · ln 0 = 0: with no floor, a pixel never bright in
                // training costs nothing where it is dark.
                let term = |weight: f64, p: f64| if weight > 0.0 { weight * p.ln() } else { 0.0 };
                ce -= term(x, y) + term(1.0 - x, 1.0 - y);
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
    use super::*;
    use crate::model::IMAGE_PIXELS;

    /// `rows` images whose first pixels are `bytes` (split evenly), the
    /// rest of each image black.
    fn set(rows: usize, bytes: &[u8]) -> ImageSet {
        let width = bytes.len() / rows;
        let mut pixels = vec![0u8; rows * IMAGE_PIXELS];
        for (i, image) in bytes.chunks(width).enumerate() {
            pixels[i * IMAGE_PIXELS..i * IMAGE_PIXELS + width].copy_from_slice(image);
        }
        ImageSet::from_bytes(pixels, vec![0; rows]).expect("784 pixels an image")
    }

    #[test]
    fn losses_match_a_hand_computation() {
        // Training images (0, 1, 0, …) and (1, 1, 0, …): the mean is
        // (0.5, 1, 0, …), and the floor keeps it within [ε, 1 − ε].
        let mean = MeanImage::fit(&set(2, &[0, 255, 255, 255]), "t").expect("two images");
        let eps = PIXEL_FLOOR;
        assert_eq!(mean.pixels[..3], [0.5, 1.0 - eps, eps]);
        // Test image (1, g, 0, …), g = 51/255: pixel 1 costs −ln 0.5, pixel 2
        // −(g ln(1 − ε) + (1 − g) ln ε), each of the 782 black pixels −ln(1 − ε).
        let l = mean.losses(&set(1, &[255, 51]));
        let g = f64::from(51.0f32 / 255.0);
        let black = (IMAGE_PIXELS - 2) as f64;
        let ce = std::f64::consts::LN_2
            - (g * (1.0 - eps).ln() + (1.0 - g) * eps.ln())
            - black * (1.0 - eps).ln();
        assert!((l.ce - ce).abs() < 1e-9, "{} vs {ce}", l.ce);
        assert_eq!(l.log_likelihood, -l.ce);
        // Squared errors: SSE half their sum, MSE their mean over 784 pixels.
        let squares = 0.25 + (g - (1.0 - eps)).powi(2) + black * eps * eps;
        assert!((l.sse - 0.5 * squares).abs() < 1e-9);
        assert!((l.mse - squares / IMAGE_PIXELS as f64).abs() < 1e-12);
    }

    #[test]
    fn the_floor_is_a_setting_and_checked() {
        let images = set(2, &[0, 255, 0, 255]);
        let exact = MeanImage::fit_with_floor(&images, 0.0, "t").expect("no floor");
        assert_eq!(exact.pixels[..3], [0.0, 1.0, 0.0]);
        let wide = MeanImage::fit_with_floor(&images, 0.25, "t").expect("floor 0.25");
        assert_eq!(wide.pixels[..3], [0.25, 0.75, 0.25]);
        for bad in [-0.1, 0.5, f64::NAN] {
            let err = MeanImage::fit_with_floor(&images, bad, "relu-z2-ce")
                .expect_err("bad floor")
                .to_string();
            assert!(err.contains("relu-z2-ce") && err.contains("floor"), "{err}");
        }
    }

    #[test]
    fn on_binary_training_images_the_ce_is_the_summed_binary_entropy() {
        // Four binary images of 784 pixels, pixel p on in (p mod 5) of them
        // (capped at 4): the mean is q_p = min(p mod 5, 4) / 4, and the CE
        // of the mean on the same images is Σ_p H(q_p), H the binary entropy.
        let (n, width) = (4, 784);
        let mut values = vec![0u8; n * width];
        for p in 0..width {
            for i in 0..(p % 5).min(4) {
                values[i * width + p] = 255;
            }
        }
        let images = set(n, &values);
        // With no floor the mean is exactly q_p.
        let baseline = MeanImage::fit_with_floor(&images, 0.0, "t")
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
        let empty = ImageSet::from_bytes(Vec::new(), Vec::new()).expect("no images");
        let err = MeanImage::fit(&empty, "relu-z2-ce")
            .expect_err("no images")
            .to_string();
        assert!(err.contains("relu-z2-ce"), "{err}");
    }
}
