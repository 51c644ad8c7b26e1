//! Runs paired along one factor, and sentences that compare the pairs.
//!
//! A claim such as "ReLU reconstructs better" is stated with how many pairs
//! support it and the mean values, so the reader can weigh it; when the pairs
//! disagree the sentence says so instead of picking a winner.

use vaelab_vae::RunConfig;

use super::factors::{self, Factor};
use super::facts::RunFacts;

/// Runs that differ only in one factor, with the two values it takes.
#[derive(Debug)]
pub struct Pairs<'a> {
    /// The first value (the smaller number, or the value met first).
    pub a: String,
    /// The second value.
    pub b: String,
    /// (run with `a`, run with `b`).
    pub pairs: Vec<(&'a RunFacts, &'a RunFacts)>,
}

/// The pairs of `runs` along `factor` (see [`factors::pairs`]), if there is
/// at least one.
pub fn pairs<'a>(runs: &'a [RunFacts], factor: &Factor) -> Option<Pairs<'a>> {
    let configs: Vec<&RunConfig> = runs.iter().map(|r| &r.config).collect();
    let found = factors::pairs(&configs, factor)?;
    let pairs = found
        .pairs
        .into_iter()
        .map(|(i, j)| (&runs[i], &runs[j]))
        .collect();
    Some(Pairs {
        a: found.a,
        b: found.b,
        pairs,
    })
}

/// Mean of `metric` over the `a` runs and over the `b` runs.
pub fn means(p: &Pairs<'_>, metric: fn(&RunFacts) -> f64) -> (f64, f64) {
    let n = p.pairs.len() as f64;
    let a = p.pairs.iter().map(|(x, _)| metric(x)).sum::<f64>() / n;
    let b = p.pairs.iter().map(|(_, y)| metric(y)).sum::<f64>() / n;
    (a, b)
}

/// Two values within this relative difference count as a tie: collapsed
/// runs differ by noise, and "lower in 2 of 4 pairs" should not rest on it.
pub const TIE: f64 = 0.01;

/// Whether `x` and `y` differ by less than [`TIE`] relatively or `floor`
/// absolutely (e.g. two KLs of collapsed runs, 2.7e-5 and 6.5e-5 nats).
fn tied(x: f64, y: f64, floor: f64) -> bool {
    (x - y).abs() <= (TIE * x.abs().max(y.abs())).max(floor)
}

/// One quantity compared across pairs.
#[derive(Debug, Clone, Copy)]
pub struct Measure<'m> {
    /// Its name in the sentence, e.g. "test MSE".
    pub what: &'m str,
    /// Its value in a run.
    pub metric: fn(&RunFacts) -> f64,
    /// Whether higher is better.
    pub higher: bool,
    /// How the means are written.
    pub show: fn(f64) -> String,
    /// Differences up to this size are ties whatever the relative size.
    pub floor: f64,
}

impl<'m> Measure<'m> {
    /// A measure where lower is better, shown with [`num`], no floor.
    pub fn lower(what: &'m str, metric: fn(&RunFacts) -> f64) -> Self {
        Measure {
            what,
            metric,
            higher: false,
            show: num,
            floor: 0.0,
        }
    }

    /// The same measure with higher better.
    pub fn higher(self) -> Self {
        Measure {
            higher: true,
            ..self
        }
    }

    /// The same measure shown as a percentage.
    pub fn percent(self) -> Self {
        Measure { show: pct, ..self }
    }

    /// The same measure with an absolute tie floor.
    pub fn floor(self, floor: f64) -> Self {
        Measure { floor, ..self }
    }

    /// How many pairs the `a` and the `b` runs win.
    fn wins(&self, p: &Pairs<'_>) -> (usize, usize) {
        let m = self.metric;
        let better =
            |x: f64, y: f64| !tied(x, y, self.floor) && if self.higher { x > y } else { x < y };
        let a = p.pairs.iter().filter(|(x, y)| better(m(x), m(y))).count();
        let b = p.pairs.iter().filter(|(x, y)| better(m(y), m(x))).count();
        (a, b)
    }
}

/// "{winner} gives the lower {what} in k of n pairs (mean … against …)",
/// or a statement that the pairs are split; ties are counted apart.
pub fn contrast(p: &Pairs<'_>, m: Measure<'_>) -> String {
    let n = p.pairs.len();
    let (ma, mb) = means(p, m.metric);
    let (k_a, k_b) = m.wins(p);
    let ties = n - k_a - k_b;
    let word = if m.higher { "higher" } else { "lower" };
    let pairs = if n == 1 { "pair" } else { "pairs" };
    let tie_note = match ties {
        0 => String::new(),
        1 if n == 1 => " (a tie)".to_string(),
        t => format!(", {t} tied"),
    };
    let what = m.what;
    if k_a == k_b {
        return format!(
            "{} and {} are even on {what}: each is {word} in {k_a} of {n} {pairs}{tie_note} \
             (mean {} vs {})",
            p.a,
            p.b,
            (m.show)(ma),
            (m.show)(mb)
        );
    }
    let (winner, loser, k, k_other, mw, ml) = if k_b > k_a {
        (&p.b, &p.a, k_b, k_a, mb, ma)
    } else {
        (&p.a, &p.b, k_a, k_b, ma, mb)
    };
    let other = if k_other > 0 {
        format!(", {loser} in {k_other}")
    } else {
        String::new()
    };
    format!(
        "{winner} gives the {word} {what} in {k} of {n} {pairs}{other}{tie_note} (mean {} against \
         {} for {loser})",
        (m.show)(mw),
        (m.show)(ml)
    )
}

/// Which side of the pairs wins on `m`: `Some(true)` when the `b` runs win
/// more pairs, `Some(false)` for `a`, `None` when even.
pub fn b_wins(p: &Pairs<'_>, m: Measure<'_>) -> Option<bool> {
    let (k_a, k_b) = m.wins(p);
    (k_a != k_b).then_some(k_b > k_a)
}

/// A number with as many digits as its size calls for.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        format!("{v}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else if a >= 0.01 || a == 0.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.1e}")
    }
}

/// `x` as a percentage.
pub fn pct(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.001 {
        "under 0.1%".to_string()
    } else if x.abs() < 0.1 {
        format!("{:.1}%", 100.0 * x)
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

/// `` `name` `` for each run, joined with commas and "and".
pub fn names(runs: &[&RunFacts]) -> String {
    let quoted: Vec<String> = runs.iter().map(|r| format!("`{}`", r.name)).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use vaelab_nn::Activation;
    use vaelab_vae::{FinalMetrics, Losses, Objective, RunConfig};

    use super::*;

    /// A healthy run; tests change what they need.
    pub fn run(name: &str, activation: &str, latent: usize, objective: Objective) -> RunFacts {
        let activation: Activation = activation.parse().unwrap();
        let losses = |ce: f64| Losses {
            ce,
            sse: ce / 10.0,
            mse: ce / 3000.0,
            kl: 10.0,
        };
        RunFacts {
            name: name.into(),
            configuration: name.into(),
            config: RunConfig {
                name: name.into(),
                activation,
                latent,
                objective,
                ..RunConfig::default()
            },
            train_images: 100,
            metrics: FinalMetrics {
                train: losses(100.0),
                test: losses(104.0),
                test_log_likelihood: -110.0,
                log_likelihood_samples: 1000,
                knn_accuracy: 0.7,
                active_units: latent,
                mu_variance: vec![1.0; latent],
                kl_per_dim: vec![10.0 / latent as f64; latent],
                loss_draws: 1,
                train_sd: Losses::default(),
                test_sd: Losses::default(),
                train_at_mean: losses(99.0),
                test_at_mean: losses(103.0),
                test_log_likelihood_se: Some(0.5),
                kl_from_aggregate: vec![10.0 / latent as f64; latent],
                latent_activity: vaelab_metrics::LatentActivity::from_kl(
                    &vec![10.0 / latent as f64; latent],
                    0.1,
                )
                .unwrap(),
                knn: vaelab_metrics::LatentFigure::Value(0.7),
                mean_image: Default::default(),
            },
            best_test_ce: (2000, 104.0),
            last_iteration: 2000,
            output_spread: 0.6,
            grid_spread: 0.05,
            mu_range: [(-1.5, 1.5), (-1.5, 1.5)],
            grid_extent: 2.0,
            extreme_share: (0.8, 0.5),
            histogram_overlap: 0.6,
        }
    }

    #[test]
    fn runs_pair_only_when_everything_else_agrees() {
        let mut runs = vec![
            run("s2", "sigmoid", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
            run("r2", "relu", 2, Objective::Ce),
            run("r20", "relu", 20, Objective::Sse),
        ];
        let p = pairs(&runs, &Factor::activation()).unwrap();
        assert_eq!((p.a.as_str(), p.b.as_str()), ("Sigmoid", "ReLU"));
        let names: Vec<(&str, &str)> = p.pairs.iter().map(|(a, b)| (&*a.name, &*b.name)).collect();
        assert_eq!(names, vec![("s2", "r2")]);
        runs[2].config.beta = 2.0;
        assert!(pairs(&runs, &Factor::activation()).is_none());
    }

    #[test]
    fn contrast_names_the_winner_or_a_draw() {
        let mut runs = vec![
            run("s2", "sigmoid", 2, Objective::Ce),
            run("r2", "relu", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
            run("r20", "relu", 20, Objective::Ce),
        ];
        runs[1].metrics.test.mse = 0.01;
        runs[3].metrics.test.mse = 0.01;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, Measure::lower("test MSE", |r| r.metrics.test.mse));
        assert!(
            text.starts_with("ReLU gives the lower test MSE in 2 of 2 pairs (mean 0.010 against 0.035 for Sigmoid)"),
            "{text}"
        );
        runs[3].metrics.test.mse = 1.0;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, Measure::lower("test MSE", |r| r.metrics.test.mse));
        assert!(
            text.starts_with("Sigmoid and ReLU are even on test MSE: each is lower in 1 of 2"),
            "{text}"
        );
        // A difference within 1% is a tie, not a win.
        runs[3].metrics.test.mse = runs[2].metrics.test.mse * 1.005;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, Measure::lower("test MSE", |r| r.metrics.test.mse));
        assert!(
            text.starts_with("ReLU gives the lower test MSE in 1 of 2 pairs, 1 tied"),
            "{text}"
        );
        let mse = Measure::lower("test MSE", |r| r.metrics.test.mse);
        assert_eq!(b_wins(&p, mse), Some(true));
        assert_eq!(b_wins(&p, mse.higher()), Some(false));
        // An absolute floor ties small values whatever their ratio.
        runs[1].metrics.test.kl = 2e-5;
        runs[3].metrics.test.kl = 6e-5;
        runs[0].metrics.test.kl = 1e-5;
        runs[2].metrics.test.kl = 9e-5;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let kl = Measure::lower("test KL", |r| r.metrics.test.kl);
        assert_eq!(b_wins(&p, kl), None);
        let text = contrast(&p, kl.floor(0.01));
        assert!(
            text.contains("each is lower in 0 of 2 pairs, 2 tied"),
            "{text}"
        );
    }

    #[test]
    fn numbers_and_lists_read_well() {
        assert_eq!(num(123.456), "123.5");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(0.0345), "0.035");
        assert_eq!(num(0.0000123), "1.2e-5");
        assert_eq!(pct(0.256), "26%");
        assert_eq!(pct(0.02), "2.0%");
        assert_eq!(pct(0.0001), "under 0.1%");
        assert_eq!(pct(0.0), "0.0%");
        let a = run("a", "relu", 2, Objective::Ce);
        let b = run("b", "relu", 2, Objective::Ce);
        let c = run("c", "relu", 2, Objective::Ce);
        assert_eq!(names(&[&a, &b, &c]), "`a`, `b` and `c`");
    }
}
