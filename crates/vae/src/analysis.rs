//! What the report shows of a trained model (spec §7): reconstructions,
//! pixel distributions, the latent space, and numbers beyond the seed.
//!
//! Reconstructions, the scatter and the interpolations use the posterior
//! means μ (no sampling noise), so a figure shows what the model has learnt
//! rather than one draw of its noise.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::Tape;
use vaelab_metrics::{
    Histogram, KL_ACTIVE_THRESHOLD, LatentActivity, LatentFigure, Pca2, active_units,
    kl_from_aggregate, knn_accuracy, top_variance_positions,
};

use crate::baseline::{MeanImageBaseline, mean_image_baseline};
use crate::config::RunConfig;
use crate::data::{ImageSet, StudyData, row_major};
use crate::error::{Result, VaeError};
use crate::evaluate::Losses;
use crate::likelihood::log_likelihood;
use crate::model::{IMAGE_PIXELS, Vae};

/// Side of an MNIST image.
pub const IMAGE_SIDE: usize = 28;

/// The run's final numbers, for the metrics table and `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalMetrics {
    /// Losses on the training set at the last iteration.
    pub train: Losses,
    /// Losses on the test set at the last iteration.
    pub test: Losses,
    /// Importance-sampled log-likelihood of the test set, nats per image.
    pub test_log_likelihood: f64,
    /// Samples per image behind it.
    pub log_likelihood_samples: usize,
    /// kNN digit accuracy of the classification set's μ (training μ as reference).
    pub knn_accuracy: f64,
    /// Latent dimensions whose μ varies (variance > 0.01) over the classification set.
    pub active_units: usize,
    /// Variance of each μ dimension over the classification set.
    pub mu_variance: Vec<f64>,
    /// Mean KL of each latent dimension over the classification set.
    pub kl_per_dim: Vec<f64>,
    /// Mean KL of each dimension's posterior from that dimension's
    /// aggregate posterior, over the classification set: zero when the code
    /// does not depend on the image ([`vaelab_metrics::kl_from_aggregate`]).
    pub kl_from_aggregate: Vec<f64>,
    /// Active dimensions (`kl_from_aggregate` > 0.1 nats) and whether the run
    /// is collapsed, partly active or active. The one criterion for
    /// latent-space claims; `active_units` above is the older variance
    /// count, kept until the report moves over.
    pub latent_activity: LatentActivity,
    /// The kNN accuracy, or why there is none: a collapsed run gets no
    /// figure (`knn_accuracy` above is then float-rounding noise).
    pub knn: LatentFigure,
    /// The mean-image decoder's losses on the same training and test images.
    pub mean_image: MeanImageBaseline,
}

/// Originals and their reconstructions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconstructions {
    /// Training images shown.
    pub train_inputs: Vec<Vec<f32>>,
    /// Their reconstructions.
    pub train_outputs: Vec<Vec<f32>>,
    /// Test images shown.
    pub test_inputs: Vec<Vec<f32>>,
    /// Their reconstructions.
    pub test_outputs: Vec<Vec<f32>>,
}

/// Input and reconstructed values of one pixel over both sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PixelHistogram {
    /// Index into the 784 pixels.
    pub position: usize,
    /// Over the training set: inputs, reconstructions.
    pub train: [Histogram; 2],
    /// Over the test set: inputs, reconstructions.
    pub test: [Histogram; 2],
}

/// Latent codes of the classification set in two dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatentScatter {
    /// One point per image.
    pub points: Vec<[f64; 2]>,
    /// Their digits.
    pub labels: Vec<u8>,
    /// Axis names: `z1`/`z2`, or `PC1`/`PC2` for a projection.
    pub axes: [String; 2],
    /// For a projection, the share of μ's variance along each axis.
    pub explained: Option<[f64; 2]>,
}

/// Decoded images on a regular grid of the latent plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatentGrid {
    /// Points per side.
    pub size: usize,
    /// Coordinates run over `[−extent, extent]`.
    pub extent: f64,
    /// Row-major, row 0 at the top (largest second coordinate).
    pub images: Vec<Vec<f32>>,
    /// Axis names, as for the scatter.
    pub axes: [String; 2],
}

/// Decoded images along a line between two training images' codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interpolation {
    /// Digit of the image at t = 1.
    pub from_digit: u8,
    /// Digit of the image at t = 0.
    pub to_digit: u8,
    /// t of each image, from 1 to 0.
    pub ts: Vec<f64>,
    /// The decoded images.
    pub images: Vec<Vec<f32>>,
}

/// Everything the report draws of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The numbers.
    pub metrics: FinalMetrics,
    /// Originals above outputs.
    pub reconstructions: Reconstructions,
    /// Pixel distributions at the highest-variance positions.
    pub pixel_histograms: Vec<PixelHistogram>,
    /// The classification set's μ.
    pub scatter: LatentScatter,
    /// The decoded latent grid.
    pub grid: LatentGrid,
    /// Interpolation rows.
    pub interpolations: Vec<Interpolation>,
    /// μ of the classification set, row-major `n × d`.
    pub classify_mu: Vec<f32>,
}

/// μ, ln σ² of every image of `set`.
pub fn encode_means(model: &Vae, set: &ImageSet) -> (DMatrix<f32>, DMatrix<f32>) {
    let mut tape = Tape::new();
    let xs = tape.constant(&set.xs);
    let post = model.encode(&mut tape, xs);
    (
        tape.value(post.mu).clone(),
        tape.value(post.log_var).clone(),
    )
}

/// The decoder's images (sigmoid outputs) for codes `zs` (`n × d`).
pub fn decode(model: &Vae, zs: &DMatrix<f32>) -> DMatrix<f32> {
    let mut tape = Tape::new();
    let z = tape.constant(zs);
    let logits = model.decode_logits(&mut tape, z);
    let ys = tape.sigmoid(logits);
    tape.value(ys).clone()
}

fn rows(m: &DMatrix<f32>, count: usize) -> Vec<Vec<f32>> {
    (0..count.min(m.nrows()))
        .map(|i| m.row(i).iter().copied().collect())
        .collect()
}

/// Runs every analysis of spec §7 on a trained model.
pub fn analyse(
    model: &Vae,
    data: &StudyData,
    config: &RunConfig,
    last: (Losses, Losses),
) -> Result<Analysis> {
    let metrics_err = |context: &str| {
        let context = format!("{}: {context}", config.name);
        move |source| VaeError::Metrics { context, source }
    };
    let a = &config.analysis;
    let d = model.latent();
    let (train_mu, _) = encode_means(model, &data.train);
    let (test_mu, _) = encode_means(model, &data.test);
    let (classify_mu, classify_log_var) = encode_means(model, &data.classify);
    let train_out = decode(model, &train_mu);
    let test_out = decode(model, &test_mu);

    let reconstructions = Reconstructions {
        train_inputs: rows(&data.train.xs, a.reconstructions),
        train_outputs: rows(&train_out, a.reconstructions),
        test_inputs: rows(&data.test.xs, a.reconstructions),
        test_outputs: rows(&test_out, a.reconstructions),
    };

    // Pixel positions: highest variance over the training inputs, at least
    // four pixels apart so that they sample different strokes.
    let train_rm = data.train.row_major();
    let positions = top_variance_positions(
        &train_rm,
        data.train.len(),
        IMAGE_PIXELS,
        a.histogram_pixels,
        IMAGE_SIDE,
        4.0,
    )
    .map_err(metrics_err("pixel positions"))?;
    let column = |m: &DMatrix<f32>, p: usize| -> Vec<f32> { m.column(p).iter().copied().collect() };
    let hist = |values: Vec<f32>| {
        Histogram::unit(&values, a.histogram_bins).map_err(metrics_err("histogram"))
    };
    let mut pixel_histograms = Vec::new();
    for &p in &positions {
        pixel_histograms.push(PixelHistogram {
            position: p,
            train: [
                hist(column(&data.train.xs, p))?,
                hist(column(&train_out, p))?,
            ],
            test: [hist(column(&data.test.xs, p))?, hist(column(&test_out, p))?],
        });
    }

    let classify_rm = row_major(&classify_mu);
    let n_classify = data.classify.len();
    let pca = Pca2::fit(&classify_rm, n_classify, d).map_err(metrics_err("PCA of μ"))?;
    let (scatter, grid_axes) = if d == 2 {
        let points = (0..n_classify)
            .map(|i| {
                [
                    f64::from(classify_mu[(i, 0)]),
                    f64::from(classify_mu[(i, 1)]),
                ]
            })
            .collect();
        let axes = ["z1".to_string(), "z2".to_string()];
        (
            LatentScatter {
                points,
                labels: data.classify.labels.clone(),
                axes: axes.clone(),
                explained: None,
            },
            axes,
        )
    } else {
        let points = pca
            .project_all(&classify_rm, n_classify)
            .map_err(metrics_err("PCA projection"))?;
        let axes = ["PC1".to_string(), "PC2".to_string()];
        let explained = Some(pca.explained_ratio());
        (
            LatentScatter {
                points,
                labels: data.classify.labels.clone(),
                axes: axes.clone(),
                explained,
            },
            axes,
        )
    };

    let grid = latent_grid(model, &pca, a.grid_size, a.grid_extent, grid_axes);
    let interpolations = interpolate(
        model,
        &train_mu,
        &data.train.labels,
        a.interpolation_pairs,
        a.interpolation_steps,
    );

    let knn = knn_accuracy(
        &row_major(&train_mu),
        &data.train.labels,
        &classify_rm,
        &data.classify.labels,
        d,
        a.knn_k.min(data.train.len()),
    )
    .map_err(metrics_err("kNN accuracy"))?;
    let (active, mu_variance) =
        active_units(&classify_rm, n_classify, d, 0.01).map_err(metrics_err("active units"))?;
    let kl_per_dim = (0..d)
        .map(|j| {
            let total: f64 = (0..n_classify)
                .map(|i| {
                    let (m, v) = (
                        f64::from(classify_mu[(i, j)]),
                        f64::from(classify_log_var[(i, j)]),
                    );
                    0.5 * (m * m + v.exp() - v - 1.0)
                })
                .sum();
            total / n_classify as f64
        })
        .collect();
    let kl_from_aggregate =
        kl_from_aggregate(&classify_rm, &row_major(&classify_log_var), n_classify, d)
            .map_err(metrics_err("KL from the aggregate posterior"))?;
    let latent_activity = LatentActivity::from_kl(&kl_from_aggregate, KL_ACTIVE_THRESHOLD)
        .map_err(metrics_err("latent activity"))?;
    let knn_figure = latent_activity
        .figure(|| Ok(knn))
        .map_err(metrics_err("kNN accuracy"))?;
    let test_log_likelihood = log_likelihood(model, &data.test, a.loglik_samples, config.seed);

    Ok(Analysis {
        metrics: FinalMetrics {
            train: last.0,
            test: last.1,
            test_log_likelihood,
            log_likelihood_samples: a.loglik_samples,
            knn_accuracy: knn,
            active_units: active,
            mu_variance,
            kl_per_dim,
            kl_from_aggregate,
            latent_activity,
            knn: knn_figure,
            mean_image: mean_image_baseline(data, &config.name)?,
        },
        reconstructions,
        pixel_histograms,
        scatter,
        grid,
        interpolations,
        classify_mu: classify_rm,
    })
}

/// Decodes a `size × size` grid over `[−extent, extent]²`: the latent plane
/// itself for d = 2, else the plane of the two principal directions through
/// the mean of μ (for d = 2 the PCA is not used).
pub fn latent_grid(
    model: &Vae,
    pca: &Pca2,
    size: usize,
    extent: f64,
    axes: [String; 2],
) -> LatentGrid {
    let d = model.latent();
    let coord = |k: usize| -extent + 2.0 * extent * k as f64 / (size - 1) as f64;
    let mut zs = DMatrix::zeros(size * size, d);
    for row in 0..size {
        for col in 0..size {
            let (c1, c2) = (coord(col), coord(size - 1 - row));
            let z: Vec<f64> = if d == 2 {
                vec![c1, c2]
            } else {
                pca.point([c1, c2])
            };
            for (j, v) in z.iter().enumerate() {
                zs[(row * size + col, j)] = *v as f32;
            }
        }
    }
    let images = decode(model, &zs);
    LatentGrid {
        size,
        extent,
        images: rows(&images, size * size),
        axes,
    }
}

/// Rows of decoded `t·z1 + (1 − t)·z2` between training images of different
/// digits: the first image of one digit and the first of the next digit
/// present, pair after pair.
pub fn interpolate(
    model: &Vae,
    mu: &DMatrix<f32>,
    labels: &[u8],
    pairs: usize,
    steps: usize,
) -> Vec<Interpolation> {
    let mut firsts: Vec<(u8, usize)> = Vec::new();
    for (i, &l) in labels.iter().enumerate() {
        if !firsts.iter().any(|&(d, _)| d == l) {
            firsts.push((l, i));
        }
    }
    firsts.sort_unstable();
    let m = firsts.len();
    if m < 2 {
        return Vec::new();
    }
    let ts: Vec<f64> = (0..steps)
        .map(|s| 1.0 - s as f64 / (steps - 1) as f64)
        .collect();
    (0..pairs)
        .map(|p| {
            let (a, b) = (firsts[(2 * p) % m], firsts[(2 * p + 1) % m]);
            let mut zs = DMatrix::zeros(steps, mu.ncols());
            for (s, &t) in ts.iter().enumerate() {
                for j in 0..mu.ncols() {
                    zs[(s, j)] = (t as f32) * mu[(a.1, j)] + (1.0 - t as f32) * mu[(b.1, j)];
                }
            }
            Interpolation {
                from_digit: a.0,
                to_digit: b.0,
                ts: ts.clone(),
                images: rows(&decode(model, &zs), steps),
            }
        })
        .collect()
}
