//! What the report shows of a trained model (the study, `docs/study.md` §7): reconstructions,
//! pixel distributions, the latent space, and numbers beyond the seed.
//!
//! Reconstructions, the scatter and the interpolations use the posterior
//! means μ (no sampling noise), so a figure shows what the model has learnt
//! rather than one draw of its noise.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::Tape;
use vaelab_metrics::{
    ACTIVE_UNIT_THRESHOLD, Histogram, KL_ACTIVE_THRESHOLD, LatentActivity, LatentFigure, Pca2,
    active_units, kl_from_aggregate, knn_accuracy_leaving_out, top_positions_by_variance,
};

use crate::baseline::{MeanImageBaseline, mean_image_baseline};
use crate::config::RunConfig;
use crate::data::{ImageSet, StudyData, row_major};
use crate::error::{Result, VaeError};
use crate::evaluate::{EVAL_CHUNK, Losses, evaluate_draws};
use crate::likelihood::log_likelihood;
use crate::model::{IMAGE_PIXELS, Vae};
use crate::rng::{Stream, stream};

/// The run's final numbers, for the metrics table and `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalMetrics {
    /// Losses on the training set after the last iteration, averaged over
    /// `loss_draws` noise draws (with one draw: the history's last record).
    pub train: Losses,
    /// Losses on the test set, likewise.
    pub test: Losses,
    /// Noise draws S behind `train` and `test` (`analysis.loss_draws`).
    #[serde(default)]
    pub loss_draws: usize,
    /// Standard deviation over the S draws of the training losses (0 for S = 1).
    #[serde(default)]
    pub train_sd: Losses,
    /// Standard deviation over the S draws of the test losses (0 for S = 1).
    #[serde(default)]
    pub test_sd: Losses,
    /// Training losses with `z = μ`: the deterministic reconstruction.
    #[serde(default)]
    pub train_at_mean: Losses,
    /// Test losses with `z = μ`.
    #[serde(default)]
    pub test_at_mean: Losses,
    /// Importance-sampled log-likelihood of the test set, nats per image.
    pub test_log_likelihood: f64,
    /// Its Monte-Carlo standard error by batch means (none with one sample
    /// per image; see [`crate::likelihood::LogLikelihood::standard_error`]).
    #[serde(default)]
    pub test_log_likelihood_se: Option<f64>,
    /// Median effective sample size of the importance weights over the
    /// test images (see [`crate::likelihood::LogLikelihood::effective_samples`]).
    #[serde(default)]
    pub test_log_likelihood_ess: f64,
    /// Samples per image behind it (K).
    pub log_likelihood_samples: usize,
    /// kNN digit accuracy of the classification set's μ (training μ as reference).
    pub knn_accuracy: f64,
    /// Latent dimensions whose μ varies over the classification set (variance
    /// above [`ACTIVE_UNIT_THRESHOLD`]).
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
    /// (rows, columns) of the images, as the data set gives them: where a
    /// pixel index of [`PixelHistogram::position`] lies.
    pub image_shape: (usize, usize),
}

/// μ, ln σ² of every image of `set`, encoded [`EVAL_CHUNK`] images at a time.
pub fn encode_means(model: &Vae, set: &ImageSet) -> (DMatrix<f32>, DMatrix<f32>) {
    let d = model.latent();
    let mut mu = DMatrix::zeros(set.len(), d);
    let mut log_var = DMatrix::zeros(set.len(), d);
    for range in set.chunks(EVAL_CHUNK) {
        let (m, v) = encode_means_of(model, set, range.clone());
        mu.rows_mut(range.start, range.len()).copy_from(&m);
        log_var.rows_mut(range.start, range.len()).copy_from(&v);
    }
    (mu, log_var)
}

/// μ, ln σ² of the images `range` of `set`.
pub fn encode_means_of(
    model: &Vae,
    set: &ImageSet,
    range: std::ops::Range<usize>,
) -> (DMatrix<f32>, DMatrix<f32>) {
    let mut tape = Tape::new();
    let xs = tape.constant_owned(set.rows(range.start, range.end));
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

/// What the analysis keeps of one set's pass through the model.
struct SetPass {
    /// μ of every image, `n × d`.
    mu: DMatrix<f32>,
    /// ln σ² of every image, `n × d`.
    log_var: DMatrix<f32>,
    /// The first images and their reconstructions from μ.
    inputs: Vec<Vec<f32>>,
    outputs: Vec<Vec<f32>>,
    /// At each histogram position: every image's input and reconstructed value.
    pixel_inputs: Vec<Vec<f32>>,
    pixel_outputs: Vec<Vec<f32>>,
}

/// Encodes `set` and decodes its μ chunk by chunk, keeping only the codes,
/// the first `shown` images with their reconstructions, and the values at
/// `positions`: memory grows with n × (d + positions), not n × 784.
fn pass_set(model: &Vae, set: &ImageSet, shown: usize, positions: &[usize]) -> SetPass {
    let d = model.latent();
    let mut pass = SetPass {
        mu: DMatrix::zeros(set.len(), d),
        log_var: DMatrix::zeros(set.len(), d),
        inputs: Vec::new(),
        outputs: Vec::new(),
        pixel_inputs: vec![Vec::with_capacity(set.len()); positions.len()],
        pixel_outputs: vec![Vec::with_capacity(set.len()); positions.len()],
    };
    for range in set.chunks(EVAL_CHUNK) {
        let (mu, log_var) = encode_means_of(model, set, range.clone());
        pass.mu.rows_mut(range.start, range.len()).copy_from(&mu);
        pass.log_var
            .rows_mut(range.start, range.len())
            .copy_from(&log_var);
        if range.start >= shown && positions.is_empty() {
            continue; // nothing of the reconstructions is needed
        }
        let out = decode(model, &mu);
        for (r, i) in range.clone().enumerate() {
            if i < shown {
                pass.inputs.push(set.image(i));
                pass.outputs.push(out.row(r).iter().copied().collect());
            }
            for (k, &p) in positions.iter().enumerate() {
                pass.pixel_inputs[k].push(set.pixel(i, p));
                pass.pixel_outputs[k].push(out[(r, p)]);
            }
        }
    }
    pass
}

/// The population variance of every pixel over `set`, computed as
/// `vaelab_metrics::column_variances` does on the `f32` pixels (two passes,
/// f64 sums image after image) but straight from the bytes.
fn pixel_variances(set: &ImageSet) -> Vec<f64> {
    let n = set.len() as f64;
    let table: Vec<f64> = (0..=255u8)
        .map(|p| f64::from(f32::from(p) / 255.0))
        .collect();
    let mut sums = vec![0.0f64; IMAGE_PIXELS];
    for image in set.all_bytes().chunks_exact(IMAGE_PIXELS) {
        for (sum, &p) in sums.iter_mut().zip(image) {
            *sum += table[usize::from(p)];
        }
    }
    let means: Vec<f64> = sums.into_iter().map(|s| s / n).collect();
    let mut squares = vec![0.0f64; IMAGE_PIXELS];
    for image in set.all_bytes().chunks_exact(IMAGE_PIXELS) {
        for ((sum, &p), mean) in squares.iter_mut().zip(image).zip(&means) {
            *sum += (table[usize::from(p)] - mean).powi(2);
        }
    }
    squares.into_iter().map(|s| s / n).collect()
}

fn rows(m: &DMatrix<f32>, count: usize) -> Vec<Vec<f32>> {
    (0..count.min(m.nrows()))
        .map(|i| m.row(i).iter().copied().collect())
        .collect()
}

/// Runs every analysis of the study's §7 on a trained model.
pub fn analyse(model: &Vae, data: &StudyData, config: &RunConfig) -> Result<Analysis> {
    let metrics_err = |context: &str| {
        let context = format!("{}: {context}", config.name);
        move |source| VaeError::Metrics { context, source }
    };
    let a = &config.analysis;
    let d = model.latent();

    // Pixel positions: highest variance over the training inputs, at least
    // four pixels apart so that they sample different strokes.
    let positions = top_positions_by_variance(
        &pixel_variances(&data.train),
        a.histogram_pixels,
        data.image_shape.1,
        4.0,
    )
    .map_err(metrics_err("pixel positions"))?;
    let train = pass_set(model, &data.train, a.reconstructions, &positions);
    let test = pass_set(model, &data.test, a.reconstructions, &positions);
    let classify_pass = pass_set(model, &data.classify, 0, &[]);
    let (train_mu, classify_mu, classify_log_var) =
        (&train.mu, &classify_pass.mu, &classify_pass.log_var);

    let reconstructions = Reconstructions {
        train_inputs: train.inputs.clone(),
        train_outputs: train.outputs.clone(),
        test_inputs: test.inputs.clone(),
        test_outputs: test.outputs.clone(),
    };
    let hist = |values: &[f32]| {
        Histogram::unit(values, a.histogram_bins).map_err(metrics_err("histogram"))
    };
    let mut pixel_histograms = Vec::new();
    for (k, &p) in positions.iter().enumerate() {
        pixel_histograms.push(PixelHistogram {
            position: p,
            train: [
                hist(&train.pixel_inputs[k])?,
                hist(&train.pixel_outputs[k])?,
            ],
            test: [hist(&test.pixel_inputs[k])?, hist(&test.pixel_outputs[k])?],
        });
    }

    let classify_rm = row_major(classify_mu);
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
        train_mu,
        &data.train.labels,
        a.interpolation_pairs,
        a.interpolation_steps,
    );

    // A classification image that is also a training image (classify_from =
    // "train") would find itself at distance 0: it is left out of its own
    // neighbours, one fewer reference to choose from.
    let overlap = data.classify_in_train.iter().any(Option::is_some);
    let knn = knn_accuracy_leaving_out(
        &row_major(train_mu),
        &data.train.labels,
        &classify_rm,
        &data.classify.labels,
        d,
        a.knn_k.min(data.train.len() - usize::from(overlap)),
        &data.classify_in_train,
    )
    .map_err(metrics_err("kNN accuracy"))?;
    let (active, mu_variance) = active_units(&classify_rm, n_classify, d, ACTIVE_UNIT_THRESHOLD)
        .map_err(metrics_err("active units"))?;
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
        kl_from_aggregate(&classify_rm, &row_major(classify_log_var), n_classify, d)
            .map_err(metrics_err("KL from the aggregate posterior"))?;
    let latent_activity = LatentActivity::from_kl(&kl_from_aggregate, KL_ACTIVE_THRESHOLD)
        .map_err(metrics_err("latent activity"))?;
    let knn_figure = latent_activity
        .figure(|| Ok(knn))
        .map_err(metrics_err("kNN accuracy"))?;
    let likelihood = log_likelihood(model, &data.test, a.loglik_samples, config.seed);
    // The evaluation stream restarts, training set first, exactly as for
    // every record of the history: one draw reproduces its last record.
    let mut eval_rng = stream(config.seed, Stream::Eval);
    let mut tape = Tape::new();
    let train_losses = evaluate_draws(
        model,
        &mut tape,
        &data.train,
        &mut eval_rng,
        a.loss_draws,
        EVAL_CHUNK,
    );
    let test_losses = evaluate_draws(
        model,
        &mut tape,
        &data.test,
        &mut eval_rng,
        a.loss_draws,
        EVAL_CHUNK,
    );

    Ok(Analysis {
        metrics: FinalMetrics {
            train: train_losses.sampled,
            test: test_losses.sampled,
            loss_draws: train_losses.draws,
            train_sd: train_losses.sampled_sd,
            test_sd: test_losses.sampled_sd,
            train_at_mean: train_losses.at_mean,
            test_at_mean: test_losses.at_mean,
            test_log_likelihood: likelihood.mean,
            test_log_likelihood_se: likelihood.standard_error,
            test_log_likelihood_ess: likelihood.effective_samples,
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
        image_shape: data.image_shape,
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
