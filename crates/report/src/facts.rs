//! The numbers the report's text is built from, one record per run.
//!
//! Besides the final metrics of the run, a few derived numbers back the
//! discussion's claims: how much the reconstructions differ from one another
//! (near zero when the posterior has collapsed and the decoder outputs the
//! same image for every input), how much the latent grid's images differ,
//! where the test cross-entropy was lowest, and how far μ spreads.

use serde::Serialize;
use vaelab_metrics::{Histogram, column_variances};
use vaelab_vae::{FinalMetrics, RunConfig, RunOutcome};

/// One run's settings and numbers, as the discussion compares them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunFacts {
    /// The run's name (`relu-z2-ce-seed-3` when its configuration runs
    /// several seeds).
    pub name: String,
    /// Its configuration's name (`relu-z2-ce`): runs with the same
    /// configuration differ only in the seed ([`crate::configs`]).
    pub configuration: String,
    /// Every setting of the run (activation, latent dimension, head,
    /// objective, …); [`crate::factors`] compares runs on them.
    pub config: RunConfig,
    /// Images in the training set.
    pub train_images: usize,
    /// The final numbers: losses, log-likelihood, kNN accuracy, active
    /// units ([`crate::columns`] lists them).
    pub metrics: FinalMetrics,
    /// The lowest recorded test CE and its iteration.
    pub best_test_ce: (usize, f64),
    /// The last recorded iteration.
    pub last_iteration: usize,
    /// Spread (mean per-pixel variance across images) of the shown test
    /// reconstructions divided by that of their inputs: ~0 when every
    /// input gives the same output.
    pub output_spread: f64,
    /// Mean per-pixel variance across the latent grid's images.
    pub grid_spread: f64,
    /// Range of the scatter's points along each axis.
    pub mu_range: [(f64, f64); 2],
    /// The latent grid covers `[−extent, extent]²`.
    pub grid_extent: f64,
    /// Over the test set's pixel histograms: the share of input values in
    /// the outermost bins (near 0 or 1), and the same for reconstructions.
    pub extreme_share: (f64, f64),
    /// Over the test set's pixel histograms: Σ min(input share, output
    /// share) per bin, averaged over positions (1 = same distribution).
    pub histogram_overlap: f64,
}

impl RunFacts {
    /// The facts of a finished run.
    pub fn of(run: &RunOutcome) -> Self {
        let config = &run.config;
        let a = &run.analysis;
        let best_test_ce = run.history.iter().map(|r| (r.iteration, r.test.ce)).fold(
            (0, f64::INFINITY),
            |best, r| if r.1 < best.1 { r } else { best },
        );
        let inputs = spread(&a.reconstructions.test_inputs);
        let outputs = spread(&a.reconstructions.test_outputs);
        let range = |axis: usize| {
            a.scatter
                .points
                .iter()
                .map(|p| p[axis])
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                })
        };
        RunFacts {
            name: config.name.clone(),
            configuration: config.name.clone(),
            config: config.clone(),
            train_images: config.data.train,
            metrics: a.metrics.clone(),
            best_test_ce,
            last_iteration: run.history.last().map_or(0, |r| r.iteration),
            output_spread: if inputs > 0.0 { outputs / inputs } else { 0.0 },
            grid_spread: spread(&a.grid.images),
            mu_range: [range(0), range(1)],
            grid_extent: a.grid.extent,
            extreme_share: extreme_share(a),
            histogram_overlap: histogram_overlap(a),
        }
    }

    /// The model's name in the study's terms, e.g. `relu-z20`.
    pub fn model(&self) -> String {
        self.config.model_name()
    }
}

/// Share of test-set input and output values in the first and last bins.
fn extreme_share(a: &vaelab_vae::Analysis) -> (f64, f64) {
    let (mut inputs, mut outputs, mut total_in, mut total_out) = (0u64, 0u64, 0u64, 0u64);
    for h in &a.pixel_histograms {
        let [input, output] = &h.test;
        let ends = |c: &[u64]| {
            c.first().copied().unwrap_or(0) + if c.len() > 1 { c[c.len() - 1] } else { 0 }
        };
        inputs += ends(&input.counts);
        outputs += ends(&output.counts);
        total_in += input.counts.iter().sum::<u64>();
        total_out += output.counts.iter().sum::<u64>();
    }
    let share = |n: u64, d: u64| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    (share(inputs, total_in), share(outputs, total_out))
}

/// Mean over positions of the test histograms' overlap.
fn histogram_overlap(a: &vaelab_vae::Analysis) -> f64 {
    let overlaps: Vec<f64> = a
        .pixel_histograms
        .iter()
        .map(|h| overlap(&h.test[0], &h.test[1]))
        .collect();
    if overlaps.is_empty() {
        return 0.0;
    }
    overlaps.iter().sum::<f64>() / overlaps.len() as f64
}

/// Σ min(p, q) of two histograms' shares of their values.
pub fn overlap(a: &Histogram, b: &Histogram) -> f64 {
    a.fractions()
        .iter()
        .zip(b.fractions())
        .map(|(&p, q)| p.min(q))
        .sum()
}

/// Mean over pixels of the variance across `images` (0 for fewer than two).
pub fn spread(images: &[Vec<f32>]) -> f64 {
    let n = images.len();
    let pixels = images.first().map_or(0, Vec::len);
    if n < 2 || pixels == 0 {
        return 0.0;
    }
    let data: Vec<f32> = images.concat();
    match column_variances(&data, n, pixels) {
        Ok(variances) => variances.iter().sum::<f64>() / pixels as f64,
        Err(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_by_hand() {
        // Pixel 0: values 0 and 1, variance 0.25; pixel 1: 0.5 twice, 0.
        let images = vec![vec![0.0, 0.5], vec![1.0, 0.5]];
        assert!((spread(&images) - 0.125).abs() < 1e-12);
        assert_eq!(spread(&images[..1]), 0.0);
        assert_eq!(spread(&[]), 0.0);
    }

    fn histogram(counts: &[u64]) -> Histogram {
        let values: Vec<f32> = counts
            .iter()
            .enumerate()
            .flat_map(|(bin, &c)| {
                std::iter::repeat_n((bin as f32 + 0.5) / counts.len() as f32, c as usize)
            })
            .collect();
        Histogram::unit(&values, counts.len()).unwrap()
    }

    #[test]
    fn overlap_by_hand() {
        let h = histogram;
        assert!((overlap(&h(&[2, 2]), &h(&[2, 2])) - 1.0).abs() < 1e-12);
        assert!(overlap(&h(&[4, 0]), &h(&[0, 4])).abs() < 1e-12);
        // Shares (0.75, 0.25) and (0.25, 0.75): 0.25 + 0.25.
        assert!((overlap(&h(&[3, 1]), &h(&[1, 3])) - 0.5).abs() < 1e-12);
        assert_eq!(overlap(&h(&[0, 0]), &h(&[1, 1])), 0.0);
    }
}
