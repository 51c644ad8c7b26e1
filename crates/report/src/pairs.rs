//! Runs paired along one factor, and sentences that compare the pairs
//! across seeds.
//!
//! Runs pair when they differ in one factor only, seed included, so each
//! pair comes from one seed. The pairs of the same two configurations form
//! a [`ConfigPair`], compared seed by seed with
//! [`vaelab_metrics::compare_seeds`]: a claim such as "ReLU gives the lower
//! test CE" says in how many seeds it holds, and a mean difference within
//! the seed-to-seed spread is called a tie. With one seed per configuration
//! there is no spread; two values within [`TIE`] then count as a tie.
//!
//! A seed in which either run collapsed compares a model with the mean
//! image, or the mean image with itself: it says nothing about the factor.
//! It is left out of its pair's count of seeds and of the means, and the
//! sentence says how many seeds were. A pair of configurations in which a
//! side collapses in every seed is left out of every count of wins and ties
//! ([`ConfigPair::evidence`]), and the sentences say how many.
//!
//! A seed counts as a win for a side only when the two runs differ by more
//! than [`TIE`] (or the measure's absolute floor); otherwise it is even.

use vaelab_metrics::{Better, Verdict, compare_seeds};
use vaelab_vae::RunConfig;

use super::factors::{self, Factor};
use super::facts::RunFacts;
use super::lang::Lang;

mod sentences;

pub use sentences::{brief, contrast};
pub(crate) use sentences::{in_seeds, side, space_after};

/// Runs that differ only in one factor, with the two values it takes.
#[derive(Debug)]
pub struct Pairs<'a> {
    /// The first value (the smaller number, or the value met first).
    pub a: String,
    /// The second value.
    pub b: String,
    /// (run with `a`, run with `b`), each pair from one seed.
    pub pairs: Vec<(&'a RunFacts, &'a RunFacts)>,
    /// The same pairs grouped by configuration.
    pub configs: Vec<ConfigPair<'a>>,
}

/// Two configurations that differ in one factor, seed by seed.
#[derive(Debug)]
pub struct ConfigPair<'a> {
    /// The configuration with the factor's first value.
    pub a: String,
    /// The configuration with the second.
    pub b: String,
    /// (run of `a`, run of `b`) per seed.
    pub seeds: Vec<(&'a RunFacts, &'a RunFacts)>,
}

impl ConfigPair<'_> {
    /// Whether the pair is evidence about its factor: neither side
    /// collapses in every seed (a side that does outputs the mean image).
    pub fn evidence(&self) -> bool {
        let always = |b: bool| {
            self.seeds
                .iter()
                .all(|&(x, y)| crate::discussion::collapsed(if b { y } else { x }))
        };
        !(always(false) || always(true))
    }
}

impl Pairs<'_> {
    /// The pairs of configurations in which a side collapses in every seed,
    /// left out of every comparison.
    pub fn left_out(&self) -> usize {
        self.configs.iter().filter(|c| !c.evidence()).count()
    }
}

/// The pairs of `runs` along `factor` (see [`factors::pairs`]), if there is
/// at least one.
pub fn pairs<'a>(runs: &'a [RunFacts], factor: &Factor) -> Option<Pairs<'a>> {
    let configs: Vec<&RunConfig> = runs.iter().map(|r| &r.config).collect();
    let found = factors::pairs(&configs, factor)?;
    let pairs: Vec<(&RunFacts, &RunFacts)> = found
        .pairs
        .into_iter()
        .map(|(i, j)| (&runs[i], &runs[j]))
        .collect();
    let mut grouped: Vec<ConfigPair<'a>> = Vec::new();
    for &(x, y) in &pairs {
        match grouped
            .iter_mut()
            .find(|c| c.a == x.configuration && c.b == y.configuration)
        {
            Some(c) => c.seeds.push((x, y)),
            None => grouped.push(ConfigPair {
                a: x.configuration.clone(),
                b: y.configuration.clone(),
                seeds: vec![(x, y)],
            }),
        }
    }
    Some(Pairs {
        a: found.a,
        b: found.b,
        pairs,
        configs: grouped,
    })
}

/// Mean of `metric` over the `a` runs and over the `b` runs, over the seeds
/// in which neither run collapsed of the pairs of configurations that are
/// evidence ([`ConfigPair::evidence`]), or over all pairs when there is no
/// such seed.
pub fn means(p: &Pairs<'_>, metric: fn(&RunFacts) -> f64) -> (f64, f64) {
    let working = |&&(x, y): &&(&RunFacts, &RunFacts)| {
        !crate::discussion::collapsed(x) && !crate::discussion::collapsed(y)
    };
    let kept: Vec<&(&RunFacts, &RunFacts)> = p
        .configs
        .iter()
        .filter(|c| c.evidence())
        .flat_map(|c| c.seeds.iter())
        .filter(working)
        .collect();
    let runs: Vec<&(&RunFacts, &RunFacts)> = if kept.is_empty() {
        p.pairs.iter().collect()
    } else {
        kept
    };
    let n = runs.len() as f64;
    let a = runs.iter().map(|(x, _)| metric(x)).sum::<f64>() / n;
    let b = runs.iter().map(|(_, y)| metric(y)).sum::<f64>() / n;
    (a, b)
}

/// Two values (or two means over seeds) within this relative difference
/// count as a tie whatever the seed spread: collapsed runs differ by noise.
pub const TIE: f64 = 0.01;

/// Whether `x` and `y` differ by less than [`TIE`] relatively or `floor`
/// absolutely (e.g. two KLs of collapsed runs, 2.7e-5 and 6.5e-5 nats).
pub(crate) fn tied(x: f64, y: f64, floor: f64) -> bool {
    (x - y).abs() <= (TIE * x.abs().max(y.abs())).max(floor)
}

/// One quantity compared across pairs.
#[derive(Debug, Clone, Copy)]
pub struct Measure<'m> {
    /// Its name in the sentence, in the sentence's language, e.g. "test
    /// MSE" / 「テストデータの MSE」.
    pub what: &'m str,
    /// Its value in a run.
    pub metric: fn(&RunFacts) -> f64,
    /// Whether the value exists in a run (kNN accuracy does not in a
    /// collapsed one): a seed where either run lacks it is left out.
    pub present: fn(&RunFacts) -> bool,
    /// Whether higher is better.
    pub higher: bool,
    /// How the means are written.
    pub show: fn(f64) -> String,
    /// Differences up to this size are ties whatever the relative size.
    pub floor: f64,
}

/// How one pair of configurations compares on a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// `Some(false)`: A better; `Some(true)`: B better; `None`: a tie.
    pub b_better: Option<bool>,
    /// Seeds in which A is better by more than the tie band ([`TIE`] or the
    /// measure's floor).
    pub a_wins: usize,
    /// Seeds in which B is.
    pub b_wins: usize,
    /// Seeds compared.
    pub n: usize,
    /// Seeds left out because the value is missing in either run.
    pub excluded: usize,
    /// Seeds left out because either run collapsed: a collapsed run outputs
    /// the mean image, so its seed says nothing about the factor.
    pub collapsed: usize,
    /// For a tie: the means differ by less than [`TIE`] (or the measure's
    /// floor), whatever the seeds say; otherwise the tie is the seed-to-seed
    /// spread's.
    pub small: bool,
}

impl Decision {
    /// Seeds in which the better side (for a tie, the side ahead more
    /// often) is better by more than the tie band.
    pub fn k(&self) -> usize {
        match self.b_better {
            Some(true) => self.b_wins,
            Some(false) => self.a_wins,
            None => self.a_wins.max(self.b_wins),
        }
    }

    /// Seeds in which the two runs are within the tie band.
    pub fn even(&self) -> usize {
        self.n - self.a_wins - self.b_wins
    }
}

/// The seeds of a pair of configurations that a measure compares: the
/// values (A, B) of each seed in which neither run collapsed and both have
/// the value, and how many seeds were left out for each reason.
struct Paired {
    values: Vec<(f64, f64)>,
    excluded: usize,
    collapsed: usize,
}

impl<'m> Measure<'m> {
    /// A measure where lower is better, shown with [`num`], no floor.
    pub fn lower(what: &'m str, metric: fn(&RunFacts) -> f64) -> Self {
        Measure {
            what,
            metric,
            present: |_| true,
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

    /// The same measure, defined only where `present` holds.
    pub fn only(self, present: fn(&RunFacts) -> bool) -> Self {
        Measure { present, ..self }
    }

    /// The seeds of `c` this measure compares (see [`Paired`]).
    fn paired(&self, c: &ConfigPair<'_>) -> Paired {
        let mut p = Paired {
            values: Vec::new(),
            excluded: 0,
            collapsed: 0,
        };
        for &(x, y) in &c.seeds {
            if crate::discussion::collapsed(x) || crate::discussion::collapsed(y) {
                p.collapsed += 1;
            } else if (self.present)(x) && (self.present)(y) {
                p.values.push(((self.metric)(x), (self.metric)(y)));
            } else {
                p.excluded += 1;
            }
        }
        p
    }

    /// Compares one pair of configurations seed by seed, over the seeds in
    /// which neither run collapsed and both have the value; `None` when no
    /// seed is left.
    pub fn decide(&self, c: &ConfigPair<'_>) -> Option<Decision> {
        let Paired {
            values,
            excluded,
            collapsed,
        } = self.paired(c);
        let a: Vec<Option<f64>> = values.iter().map(|&(x, _)| Some(x)).collect();
        let b: Vec<Option<f64>> = values.iter().map(|&(_, y)| Some(y)).collect();
        let better = if self.higher {
            Better::Higher
        } else {
            Better::Lower
        };
        let cmp = compare_seeds(&a, &b, better).ok()?;
        // A seed is a win only beyond the tie band, as the pair's verdict.
        let beyond: Vec<bool> = values
            .iter()
            .filter(|&&(x, y)| !tied(x, y, self.floor))
            .map(|&(x, y)| (y < x) != self.higher)
            .collect();
        let b_wins = beyond.iter().filter(|&&b| b).count();
        let a_wins = beyond.len() - b_wins;
        let n = values.len();
        let (b_better, small) = match n {
            0 => return None,
            1 => {
                let b_better = (a_wins + b_wins > 0).then_some(b_wins > 0);
                (b_better, b_better.is_none())
            }
            _ => {
                let (ma, mb) = column_means(&values);
                // A tie by the 1% rule (or the floor) where the seeds alone
                // would name a side is `small`: said as such, not as spread.
                let within = tied(ma, mb, self.floor);
                let small = within && matches!(cmp.verdict, Verdict::A | Verdict::B);
                let b_better = match cmp.verdict {
                    _ if within => None,
                    Verdict::A => Some(false),
                    Verdict::B => Some(true),
                    Verdict::Tie | Verdict::Unresolved => None,
                };
                (b_better, small)
            }
        };
        Some(Decision {
            b_better,
            a_wins,
            b_wins,
            n,
            excluded,
            collapsed,
            small,
        })
    }

    /// The decision of every pair of configurations that is evidence
    /// ([`ConfigPair::evidence`]) and has one.
    pub(crate) fn decisions<'p>(&self, p: &'p Pairs<'_>) -> Vec<(&'p ConfigPair<'p>, Decision)> {
        p.configs
            .iter()
            .filter(|c| c.evidence())
            .filter_map(|c| self.decide(c).map(|d| (c, d)))
            .collect()
    }

    /// Whether a difference of the means within the tie rule is within
    /// [`TIE`] (rather than within the measure's absolute floor).
    fn within_tie(&self, c: &ConfigPair<'_>) -> bool {
        let (x, y) = self.means(c);
        tied(x, y, 0.0) || self.floor == 0.0
    }

    /// The means of A and of B over the seeds compared ([`Self::decide`]).
    fn means(&self, c: &ConfigPair<'_>) -> (f64, f64) {
        column_means(&self.paired(c).values)
    }

    /// How many pairs of configurations the `a` and the `b` side win.
    pub(crate) fn wins(&self, p: &Pairs<'_>) -> (usize, usize) {
        let d = self.decisions(p);
        let a = d.iter().filter(|(_, d)| d.b_better == Some(false)).count();
        let b = d.iter().filter(|(_, d)| d.b_better == Some(true)).count();
        (a, b)
    }
}

/// The mean of the A values and of the B values of `values` (0 for none).
fn column_means(values: &[(f64, f64)]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    (
        values.iter().map(|p| p.0).sum::<f64>() / n,
        values.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// Which side of the pairs wins on `m`: `Some(true)` when the `b` runs win
/// more pairs of configurations, `Some(false)` for `a`, `None` when even.
pub fn b_wins(p: &Pairs<'_>, m: Measure<'_>) -> Option<bool> {
    let (k_a, k_b) = m.wins(p);
    (k_a != k_b).then_some(k_b > k_a)
}

/// Which side wins every pair of configurations compared on `m` (at least
/// one, none tied or lost): `Some(true)` for `b`, `Some(false)` for `a`.
/// What a general sentence ("more dimensions widen the gap") needs.
pub fn every_pair(p: &Pairs<'_>, m: Measure<'_>) -> Option<bool> {
    let d = m.decisions(p);
    let first = d.first()?.1.b_better?;
    d.iter()
        .all(|(_, d)| d.b_better == Some(first))
        .then_some(first)
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

/// `x` as a percentage (notation only, so that it reads in both editions).
pub fn pct(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.001 {
        "< 0.1%".to_string()
    } else if x.abs() < 0.1 {
        format!("{:.1}%", 100.0 * x)
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

/// `` `name` `` for each run, joined the way `lang` joins a list.
pub fn names(runs: &[&RunFacts], lang: Lang) -> String {
    let quoted: Vec<String> = runs.iter().map(|r| format!("`{}`", r.name)).collect();
    lang.join(&quoted)
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
                test_log_likelihood_ess: 50.0,
                kl_from_aggregate: vec![10.0 / latent as f64; latent],
                latent_activity: vaelab_metrics::LatentActivity::from_kl(
                    &vec![10.0 / latent as f64; latent],
                    0.1,
                )
                .unwrap(),
                knn: vaelab_metrics::LatentFigure::Value(0.7),
                mean_image: Default::default(),
            },
            best: None,
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
        let text = contrast(
            &p,
            Measure::lower("test MSE", |r| r.metrics.test.mse),
            Lang::En,
        );
        assert!(
            text.starts_with("ReLU gives the lower test MSE in 2 of 2 pairs (mean 0.010 against 0.035 for Sigmoid)"),
            "{text}"
        );
        runs[3].metrics.test.mse = 1.0;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(
            &p,
            Measure::lower("test MSE", |r| r.metrics.test.mse),
            Lang::En,
        );
        assert!(
            text.starts_with("Sigmoid and ReLU are even on test MSE (mean 0.035 vs 0.505): each is lower in 1 of 2 pairs (one seed each)"),
            "{text}"
        );
        // A difference within 1% is a tie, not a win.
        runs[3].metrics.test.mse = runs[2].metrics.test.mse * 1.005;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(
            &p,
            Measure::lower("test MSE", |r| r.metrics.test.mse),
            Lang::En,
        );
        assert!(
            text.starts_with("ReLU gives the lower test MSE in 1 of 2 pairs, 1 tied"),
            "{text}"
        );
        let mse = Measure::lower("test MSE", |r| r.metrics.test.mse);
        assert_eq!(b_wins(&p, mse), Some(true));
        assert_eq!(b_wins(&p, mse.higher()), Some(false));
        // An absolute floor ties small values whatever their ratio.
        runs[1].metrics.test.kl = 0.4;
        runs[3].metrics.test.kl = 0.3;
        runs[0].metrics.test.kl = 0.2;
        runs[2].metrics.test.kl = 0.6;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let kl = Measure::lower("test KL", |r| r.metrics.test.kl);
        assert_eq!(b_wins(&p, kl), None);
        let text = contrast(&p, kl.floor(0.5), Lang::En);
        assert!(
            text.contains("each is lower in 0 of 2 pairs, 2 tied"),
            "{text}"
        );
    }

    /// `configuration` run with each seed of `values` (its test CE).
    pub(crate) fn seeds_of(configuration: &str, activation: &str, values: &[f64]) -> Vec<RunFacts> {
        values
            .iter()
            .enumerate()
            .map(|(seed, &ce)| {
                let mut r = run(
                    &format!("{configuration}-seed-{seed}"),
                    activation,
                    2,
                    Objective::Ce,
                );
                r.configuration = configuration.into();
                r.config.seed = seed as u64;
                r.metrics.test.ce = ce;
                r
            })
            .collect()
    }

    #[test]
    fn a_claim_says_in_how_many_seeds_it_holds() {
        let mut runs = seeds_of("sig", "sigmoid", &[204.0, 205.0, 204.5, 204.8, 205.2]);
        runs.extend(seeds_of(
            "relu",
            "relu",
            &[150.0, 160.0, 155.0, 210.0, 152.0],
        ));
        let p = pairs(&runs, &Factor::activation()).unwrap();
        assert_eq!(p.configs.len(), 1);
        assert_eq!(p.configs[0].seeds.len(), 5);
        let ce = Measure::lower("test CE", |r| r.metrics.test.ce);
        // ReLU is lower in 4 of 5 seeds, by a mean of 37 against a spread
        // of ~25: a win, stated with its support.
        let text = contrast(&p, ce, Lang::En);
        assert!(
            text.starts_with("ReLU gives the lower test CE in 1 of 1 pair of configurations"),
            "{text}"
        );
        assert!(text.ends_with("`relu` over `sig` in 4/5 seeds"), "{text}");
        assert_eq!(b_wins(&p, ce), Some(true));
        // Make seed 3 a wild outlier: the spread swamps the mean difference.
        runs[8].metrics.test.ce = 400.0;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, ce, Lang::En);
        assert!(
            text.contains("`sig` and `relu` tie, the difference within the seed-to-seed spread (`relu` ahead in 4/5 seeds)"),
            "{text}"
        );
        assert_eq!(b_wins(&p, ce), None);
    }

    #[test]
    fn a_collapsed_seed_never_yields_a_knn_figure_or_a_win() {
        use vaelab_metrics::LatentFigure;
        let mut runs = seeds_of("sig", "sigmoid", &[204.0; 3]);
        runs.extend(seeds_of("relu", "relu", &[150.0; 3]));
        for (i, r) in runs.iter_mut().enumerate() {
            r.metrics.knn = LatentFigure::Value(if i < 3 { 0.5 } else { 0.6 });
        }
        // Sigmoid's seed 1 collapsed, with a (noise) kNN of 0.99 left over;
        // it must neither count nor win.
        crate::discussion::tests::collapse(&mut runs[1], 0.0);
        runs[1].metrics.knn_accuracy = 0.99;
        runs[1].metrics.knn = LatentFigure::NoFigure("collapsed".into());
        let knn = Measure::lower("kNN", |r| {
            r.metrics.knn.value().unwrap_or(r.metrics.knn_accuracy)
        })
        .higher()
        .only(crate::discussion::informative);
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let d = knn.decide(&p.configs[0]).unwrap();
        assert_eq!(
            (d.n, d.excluded, d.collapsed, d.k(), d.b_better),
            (2, 0, 1, 2, Some(true))
        );
        let text = contrast(&p, knn, Lang::En);
        assert!(
            text.contains("in 2/2 seeds, 1 seed with a collapsed run left out"),
            "{text}"
        );
        // Every seed of one side collapsed: nothing is compared, nobody wins.
        for r in runs.iter_mut().take(3) {
            crate::discussion::tests::collapse(r, 0.0);
            r.metrics.knn = LatentFigure::NoFigure("collapsed".into());
        }
        let p = pairs(&runs, &Factor::activation()).unwrap();
        assert!(knn.decide(&p.configs[0]).is_none());
        assert_eq!(b_wins(&p, knn), None);
        assert!(contrast(&p, knn, Lang::En).contains("not compared"));
    }

    #[test]
    fn a_seed_with_a_collapsed_run_is_no_evidence() {
        // Sigmoid collapsed in seeds 0 and 1 (KL 0) sits at the mean image
        // and beats an overfitting ReLU on test CE there: those seeds are
        // left out of the count and of the means, and said so.
        let mut runs = seeds_of("sig", "sigmoid", &[204.0, 204.5, 205.0]);
        runs.extend(seeds_of("relu", "relu", &[230.0, 240.0, 200.0]));
        for r in runs.iter_mut().take(2) {
            crate::discussion::tests::collapse(r, 0.0);
        }
        let ce = Measure::lower("test CE", |r| r.metrics.test.ce);
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let d = ce.decide(&p.configs[0]).unwrap();
        assert_eq!(
            (d.n, d.collapsed, d.excluded, d.b_better),
            (1, 2, 0, Some(true))
        );
        let en = contrast(&p, ce, Lang::En);
        assert!(
            en.starts_with(
                "ReLU gives the lower test CE in 1 of 1 pair of configurations (mean 200.0 \
                 against 205.0 for Sigmoid): `relu` over `sig` in one seed, 2 seeds with a \
                 collapsed run left out"
            ),
            "{en}"
        );
        assert!(!en.contains("mean image"), "{en}");
        assert_eq!(means(&p, |r| r.metrics.test.ce), (205.0, 200.0));
        let ja = contrast(&p, ce, Lang::Ja);
        assert!(ja.contains("崩壊した実験を含む 2 シードは除外"), "{ja}");
        assert!(!has_english(&ja, 4), "{ja}");
        // The collapsed runs count again once they work.
        for r in runs.iter_mut().take(2) {
            r.metrics.latent_activity.state = vaelab_metrics::LatentState::Active;
        }
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let en = contrast(&p, ce, Lang::En);
        assert!(en.contains("(`sig` ahead in 2/3 seeds)"), "{en}");
        assert!(!en.contains("collapsed"), "{en}");
    }

    #[test]
    fn a_seed_is_a_win_only_beyond_the_tie_band() {
        // relu20 is lower by 0.6% in seed 1 and by 10% in the others: that
        // seed is even, not a win, though the pair is still relu20's.
        let mut runs = seeds_of("relu2", "relu", &[180.0, 177.13, 182.0, 181.0]);
        runs.extend(seeds_of("relu20", "relu", &[160.0, 176.02, 163.0, 162.0]));
        for r in &mut runs[4..] {
            r.config.latent = 20;
        }
        let ce = Measure::lower("training CE", |r| r.metrics.test.ce);
        let p = pairs(&runs, &Factor::latent()).unwrap();
        let d = ce.decide(&p.configs[0]).unwrap();
        assert_eq!((d.b_better, d.k(), d.even(), d.n), (Some(true), 3, 1, 4));
        let en = contrast(&p, ce, Lang::En);
        assert!(
            en.ends_with("`relu20` over `relu2` in 3/4 seeds, 1 even"),
            "{en}"
        );
        let ja = contrast(&p, ce, Lang::Ja);
        assert!(
            ja.ends_with("`relu20` が `relu2` より優れる（4 シード中 3 シード、1 シードは差なし）"),
            "{ja}"
        );
        // A tie names the side ahead, and the even seeds.
        runs[4].metrics.test.ce = 250.0;
        let p = pairs(&runs, &Factor::latent()).unwrap();
        let en = contrast(&p, ce, Lang::En);
        assert!(
            en.ends_with(
                "`relu2` and `relu20` tie, the difference within the seed-to-seed spread \
                 (`relu20` ahead in 2/4 seeds, 1 even)"
            ),
            "{en}"
        );
        let ja = contrast(&p, ce, Lang::Ja);
        assert!(
            ja.ends_with("`relu20` が優れるのは 4 シード中 2 シード、1 シードは差なし）"),
            "{ja}"
        );
    }

    /// Two pairs of configurations along the activation (d = 2 and d = 20),
    /// three seeds each, with the test MSE of every seed.
    fn two_pairs(sig2: f64, relu2: f64, sig20: f64, relu20: f64) -> Vec<RunFacts> {
        let mut runs = Vec::new();
        for (name, act, d, mse) in [
            ("sig2", "sigmoid", 2, sig2),
            ("relu2", "relu", 2, relu2),
            ("sig20", "sigmoid", 20, sig20),
            ("relu20", "relu", 20, relu20),
        ] {
            for mut r in seeds_of(name, act, &[0.0; 3]) {
                r.config.latent = d;
                r.metrics.test.mse = mse + r.config.seed as f64 * 1e-3;
                runs.push(r);
            }
        }
        runs
    }

    #[test]
    fn a_pair_with_a_side_collapsed_in_every_seed_is_no_evidence() {
        // sig2 collapses in every seed and outputs the mean image, which
        // beats an overfitting relu2: no evidence about the activation.
        let mut runs = two_pairs(0.066, 0.08, 0.07, 0.05);
        for r in runs.iter_mut().filter(|r| r.configuration == "sig2") {
            crate::discussion::tests::collapse(r, 1e-5);
        }
        let mse = Measure::lower("test MSE", |r| r.metrics.test.mse);
        let p = pairs(&runs, &Factor::activation()).unwrap();
        assert_eq!(p.left_out(), 1);
        let text = contrast(&p, mse, Lang::En);
        assert!(
            text.starts_with(
                "ReLU gives the lower test MSE in 1 of 1 pair of configurations (mean 0.051 \
                 against 0.071 for Sigmoid; 1 pair where a side collapses in every seed left out)"
            ),
            "{text}"
        );
        assert!(!text.contains("`sig2`"), "{text}");
        assert_eq!(mse.wins(&p), (0, 1));
        let short = brief(&p, mse, Lang::En).unwrap();
        assert!(
            short.ends_with("; 1 pair where a side collapses in every seed left out"),
            "{short}"
        );
        let ja = contrast(&p, mse, Lang::Ja);
        assert!(ja.contains("全シードで崩壊する側を含む 1 組は除外"), "{ja}");
        assert!(!has_english(&ja, 3), "{ja}");
        // A pair of two mean images is no tie either: with both Sigmoid
        // configurations collapsed nothing is compared.
        for r in runs.iter_mut().filter(|r| r.configuration == "sig20") {
            crate::discussion::tests::collapse(r, 1e-5);
        }
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, mse, Lang::En);
        assert_eq!(
            text,
            "Sigmoid and ReLU are not compared on test MSE, since in each of the 2 pairs of \
             configurations a side collapses in every seed"
        );
        assert_eq!(brief(&p, mse, Lang::En).as_deref(), Some(text.as_str()));
        assert_eq!(b_wins(&p, mse), None);
        // Collapsed in some seeds only: still compared, over the other seeds.
        let informative = vec![1.0; runs[1].config.latent];
        runs[1].metrics.test.kl = 5.0;
        runs[1].metrics.latent_activity =
            vaelab_metrics::LatentActivity::from_kl(&informative, 0.1).unwrap();
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, mse, Lang::En);
        assert!(
            text.contains("`sig2` over `relu2` in one seed, 2 seeds with a collapsed run left out"),
            "{text}"
        );
    }

    #[test]
    fn a_tie_within_one_percent_says_so_whatever_the_seeds() {
        // relu is ahead in every seed, by 0.5%, more than the seeds spread:
        // a tie by the 1% rule, not by the seed-to-seed spread.
        let sig = [200.0, 200.2, 200.4, 200.6, 200.8];
        let mut runs = seeds_of("sig", "sigmoid", &sig);
        runs.extend(seeds_of("relu", "relu", &sig.map(|v| v - 1.0)));
        let ce = Measure::lower("test CE", |r| r.metrics.test.ce);
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let d = ce.decide(&p.configs[0]).unwrap();
        // Every seed is within 1% too: no seed is a win.
        assert_eq!((d.b_better, d.k(), d.even(), d.small), (None, 0, 5, true));
        let en = contrast(&p, ce, Lang::En);
        assert!(
            en.ends_with("`sig` and `relu` tie, the difference within 1% (even in 5/5 seeds)"),
            "{en}"
        );
        let ja = contrast(&p, ce, Lang::Ja);
        assert!(
            ja.contains("`sig` と `relu` は差なし（差は 1% 以内、5 シード中 5 シードで差なし）"),
            "{ja}"
        );
        // Below an absolute floor rather than 1%: the floor is named.
        for r in &mut runs[5..] {
            r.metrics.test.ce -= 9.0;
        }
        let p = pairs(&runs, &Factor::activation()).unwrap();
        assert_eq!(ce.decide(&p.configs[0]).unwrap().b_better, Some(true));
        let en = contrast(&p, ce.floor(20.0), Lang::En);
        assert!(
            en.contains("tie, the difference below 20.00 (even in 5/5"),
            "{en}"
        );
    }

    /// Whether `text` holds a run of `n` or more lowercase English words
    /// outside inline code and link targets (ASCII parentheses): prose the
    /// Japanese edition must not have.
    pub fn has_english(text: &str, n: usize) -> bool {
        let mut outside = String::new();
        let mut depth = (false, 0usize);
        for c in text.chars() {
            match c {
                '`' => depth.0 = !depth.0,
                '(' if !depth.0 => depth.1 += 1,
                ')' if !depth.0 => depth.1 = depth.1.saturating_sub(1),
                c if !depth.0 && depth.1 == 0 => outside.push(c),
                _ => outside.push(' '),
            }
        }
        let mut run = 0;
        for w in outside.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.is_empty() {
                continue;
            }
            if w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()) {
                run += 1;
                if run >= n {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        false
    }

    #[test]
    fn numbers_and_lists_read_well() {
        assert_eq!(num(123.456), "123.5");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(0.0345), "0.035");
        assert_eq!(num(0.0000123), "1.2e-5");
        assert_eq!(pct(0.256), "26%");
        assert_eq!(pct(0.02), "2.0%");
        assert_eq!(pct(0.0001), "< 0.1%");
        assert_eq!(pct(0.0), "0.0%");
        let a = run("a", "relu", 2, Objective::Ce);
        let b = run("b", "relu", 2, Objective::Ce);
        let c = run("c", "relu", 2, Objective::Ce);
        assert_eq!(names(&[&a, &b, &c], Lang::En), "`a`, `b` and `c`");
        assert_eq!(names(&[&a, &b, &c], Lang::Ja), "`a`、`b`、`c`");
    }
}
