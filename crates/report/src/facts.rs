//! The numbers the report's text is built from, one record per run.
//!
//! Besides the final metrics of the run, a few derived numbers back the
//! discussion's claims: how much the reconstructions differ from one another
//! (near zero when the posterior has collapsed and the decoder outputs the
//! same image for every input), how much the latent grid's images differ,
//! the best iteration (chosen on the validation set, never on the test
//! set), and how far μ spreads.

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
    /// The recorded iteration of lowest validation CE, with the test CE
    /// there; `None` without a validation set (`data.validation = 0`).
    pub best: Option<BestIteration>,
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

/// The iteration a validation set picks: where its cross-entropy was lowest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BestIteration {
    /// The recorded iteration of lowest validation CE (the first, on a tie).
    pub iteration: usize,
    /// The validation CE there.
    pub validation_ce: f64,
    /// The test CE recorded at that iteration (same noise as the history).
    pub test_ce: f64,
    /// The test CE of the last record, for comparison.
    pub last_test_ce: f64,
}

impl BestIteration {
    /// The best iteration of a history, chosen on validation CE alone.
    pub fn of(history: &[vaelab_vae::Record]) -> Option<Self> {
        let last = history.last()?;
        history
            .iter()
            .filter_map(|r| r.validation.map(|v| (r, v.ce)))
            .fold(
                None,
                |best: Option<(&vaelab_vae::Record, f64)>, (r, ce)| match best {
                    Some((_, b)) if b <= ce => best,
                    _ => Some((r, ce)),
                },
            )
            .map(|(r, validation_ce)| BestIteration {
                iteration: r.iteration,
                validation_ce,
                test_ce: r.test.ce,
                last_test_ce: last.test.ce,
            })
    }
}

impl RunFacts {
    /// The facts of a finished run.
    pub fn of(run: &RunOutcome) -> Self {
        let config = &run.config;
        let a = &run.analysis;
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
            best: BestIteration::of(&run.history),
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
    fn the_best_iteration_follows_validation_not_test() {
        let losses = |ce| vaelab_vae::Losses {
            ce,
            ..Default::default()
        };
        let record = |iteration, test, validation: Option<f64>| vaelab_vae::Record {
            iteration,
            train: losses(50.0),
            test: losses(test),
            validation: validation.map(losses),
        };
        // Test CE is lowest at 10, validation CE at 20 (tied again at 30).
        let history = [
            record(0, 200.0, Some(210.0)),
            record(10, 100.0, Some(150.0)),
            record(20, 120.0, Some(140.0)),
            record(30, 130.0, Some(140.0)),
        ];
        let best = BestIteration::of(&history).unwrap();
        assert_eq!(
            best,
            BestIteration {
                iteration: 20,
                validation_ce: 140.0,
                test_ce: 120.0,
                last_test_ce: 130.0
            }
        );
        let none: Vec<_> = history
            .iter()
            .map(|r| vaelab_vae::Record {
                validation: None,
                ..*r
            })
            .collect();
        assert_eq!(BestIteration::of(&none), None);
        assert_eq!(BestIteration::of(&[]), None);
    }

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
