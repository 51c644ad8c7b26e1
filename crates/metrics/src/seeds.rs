//! Results over seeds: the spread of one configuration's per-seed values,
//! and whether one configuration beats another across seeds.
//!
//! A configuration run with seeds 0…n−1 gives one value per seed (a test CE,
//! a kNN accuracy). [`Spread`] summarises them; [`compare_seeds`] pairs two
//! configurations seed by seed and says in how many seeds each wins and
//! whether the difference is larger than the seed-to-seed spread.
//!
//! # The tie rule
//! Let `a_i`, `b_i` be the values of seed `i` (seeds where either value is
//! missing, e.g. a collapsed run's kNN accuracy, are left out), `d_i` the
//! improvement of A over B in seed `i` (`b_i − a_i` when lower is better,
//! `a_i − b_i` when higher is), `d̄` its mean, and `s` the larger of the two
//! sample standard deviations of the `a_i` and of the `b_i` (the
//! seed-to-seed spread). Then:
//! - fewer than two paired seeds: [`Verdict::Unresolved`] (no spread to
//!   compare with);
//! - `|d̄| ≤ s`: [`Verdict::Tie`] — the difference is within what changing
//!   the seed alone does;
//! - otherwise [`Verdict::A`] or [`Verdict::B`] by the sign of `d̄`.
//!
//! The per-seed counts ([`SeedComparison::a_wins`], …) are reported beside
//! the verdict, so that "A beats B in 5/5 seeds" and "a tie (A ahead in 3/5)"
//! can both be written from it.

use crate::error::{MetricsError, Result};

/// Mean, sample standard deviation and range of per-seed values.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Spread {
    /// How many values (seeds).
    pub n: usize,
    /// The arithmetic mean.
    pub mean: f64,
    /// The sample standard deviation (divides by `n − 1`); `None` for one value.
    pub sd: Option<f64>,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

impl Spread {
    /// Summarises per-seed values. Errors if empty or if a value is not finite.
    pub fn of(values: &[f64]) -> Result<Spread> {
        const WHAT: &str = "per-seed values";
        if values.is_empty() {
            return Err(MetricsError::Empty { what: WHAT });
        }
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(MetricsError::NonFinite { what: WHAT, index });
        }
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = (n > 1).then(|| {
            let squares = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
            (squares / (n - 1) as f64).sqrt()
        });
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Ok(Spread {
            n,
            mean,
            sd,
            min,
            max,
        })
    }
}

/// Which direction of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Losses: lower is better.
    Lower,
    /// Accuracies, log-likelihoods: higher is better.
    Higher,
}

/// The outcome of a comparison across seeds (see the module's tie rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Verdict {
    /// A is better by more than the seed-to-seed spread.
    A,
    /// B is better by more than the seed-to-seed spread.
    B,
    /// The mean difference is within the seed-to-seed spread.
    Tie,
    /// Fewer than two seeds have both values: the spread is unknown.
    Unresolved,
}

/// Two configurations compared seed by seed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SeedComparison {
    /// Seeds where both values are present (the `n` of "k of n seeds").
    pub paired: usize,
    /// Seeds left out because a value is missing (e.g. a collapsed run).
    pub excluded: usize,
    /// Seeds in which A is strictly better.
    pub a_wins: usize,
    /// Seeds in which B is strictly better.
    pub b_wins: usize,
    /// Seeds in which both are equal.
    pub equal: usize,
    /// The mean improvement of A over B, `d̄` (positive: A better); 0 when
    /// nothing is paired.
    pub mean_improvement: f64,
    /// The seed-to-seed spread `s`; `None` below two paired seeds.
    pub spread: Option<f64>,
    /// The verdict of the tie rule.
    pub verdict: Verdict,
}

/// Compares A and B seed by seed: `a[i]` and `b[i]` come from the same seed;
/// `None` marks a value that does not exist (the seed is left out). Errors if
/// the lengths differ or a present value is not finite.
pub fn compare_seeds(
    a: &[Option<f64>],
    b: &[Option<f64>],
    better: Better,
) -> Result<SeedComparison> {
    if a.len() != b.len() {
        return Err(MetricsError::Shape {
            what: "per-seed values of B",
            expected: a.len(),
            got: b.len(),
        });
    }
    for (what, values) in [("per-seed values of A", a), ("per-seed values of B", b)] {
        if let Some(index) = values
            .iter()
            .position(|v| v.is_some_and(|v| !v.is_finite()))
        {
            return Err(MetricsError::NonFinite { what, index });
        }
    }
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter_map(|(&a, &b)| Some((a?, b?)))
        .collect();
    let improvement = |(a, b): (f64, f64)| match better {
        Better::Lower => b - a,
        Better::Higher => a - b,
    };
    let d: Vec<f64> = pairs.iter().copied().map(improvement).collect();
    let paired = pairs.len();
    let mean_improvement = if paired == 0 {
        0.0
    } else {
        d.iter().sum::<f64>() / paired as f64
    };
    let spread = if paired < 2 {
        None
    } else {
        let sd_of = |values: Vec<f64>| Spread::of(&values).map(|s| s.sd.unwrap_or(0.0));
        let sd_a = sd_of(pairs.iter().map(|p| p.0).collect())?;
        let sd_b = sd_of(pairs.iter().map(|p| p.1).collect())?;
        Some(sd_a.max(sd_b))
    };
    let verdict = match spread {
        None => Verdict::Unresolved,
        Some(s) if mean_improvement.abs() <= s => Verdict::Tie,
        Some(_) if mean_improvement > 0.0 => Verdict::A,
        Some(_) => Verdict::B,
    };
    Ok(SeedComparison {
        paired,
        excluded: a.len() - paired,
        a_wins: d.iter().filter(|&&x| x > 0.0).count(),
        b_wins: d.iter().filter(|&&x| x < 0.0).count(),
        equal: d.iter().filter(|&&x| x == 0.0).count(),
        mean_improvement,
        spread,
        verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().copied().map(Some).collect()
    }

    #[test]
    fn spread_matches_hand_computation() {
        // Mean 5; squared deviations 9 + 1 + 1 + 9 = 20; sample variance 20/3.
        let s = Spread::of(&[2.0, 4.0, 6.0, 8.0]).unwrap();
        assert_eq!((s.n, s.mean, s.min, s.max), (4, 5.0, 2.0, 8.0));
        assert!((s.sd.unwrap() - (20.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let one = Spread::of(&[3.5]).unwrap();
        assert_eq!(
            (one.n, one.mean, one.sd, one.min, one.max),
            (1, 3.5, None, 3.5, 3.5)
        );
        assert!(Spread::of(&[]).is_err());
        assert_eq!(
            Spread::of(&[1.0, f64::NAN]),
            Err(MetricsError::NonFinite {
                what: "per-seed values",
                index: 1
            })
        );
    }

    #[test]
    fn a_clear_win_holds_in_every_seed() {
        // Test CE, lower is better: A is 10 below B in every seed, spread ~1.6.
        let a = some(&[100.0, 102.0, 101.0, 99.0, 103.0]);
        let b = some(&[110.0, 112.0, 111.0, 109.0, 113.0]);
        let c = compare_seeds(&a, &b, Better::Lower).unwrap();
        assert_eq!(
            (c.paired, c.excluded, c.a_wins, c.b_wins, c.equal),
            (5, 0, 5, 0, 0)
        );
        assert_eq!(c.mean_improvement, 10.0);
        assert!((c.spread.unwrap() - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(c.verdict, Verdict::A);
        // The same numbers as accuracies (higher is better) make B the winner.
        let flipped = compare_seeds(&a, &b, Better::Higher).unwrap();
        assert_eq!(
            (flipped.a_wins, flipped.b_wins, flipped.verdict),
            (0, 5, Verdict::B)
        );
    }

    #[test]
    fn a_difference_within_the_spread_is_a_tie_even_if_one_side_wins_most_seeds() {
        // A is lower in 4 of 5 seeds, but by a mean of 1 against a spread of ~7.9.
        let a = some(&[100.0, 110.0, 120.0, 105.0, 115.0]);
        let b = some(&[101.0, 111.0, 121.0, 106.0, 112.0]);
        let c = compare_seeds(&a, &b, Better::Lower).unwrap();
        assert_eq!((c.a_wins, c.b_wins), (4, 1));
        assert!((c.mean_improvement - 0.2).abs() < 1e-12);
        assert_eq!(c.verdict, Verdict::Tie);
    }

    #[test]
    fn the_boundary_counts_as_a_tie() {
        // Both sides have sample sd exactly 1 (values 0, 1, 2 around their mean).
        let a = some(&[0.0, 1.0, 2.0]);
        let b = some(&[1.0, 2.0, 3.0]);
        let c = compare_seeds(&a, &b, Better::Higher).unwrap();
        assert_eq!((c.spread, c.mean_improvement), (Some(1.0), -1.0));
        assert_eq!(c.verdict, Verdict::Tie);
        // Half a unit more and B wins, in every seed and overall.
        let b = some(&[1.5, 2.5, 3.5]);
        let c = compare_seeds(&a, &b, Better::Higher).unwrap();
        assert_eq!((c.b_wins, c.verdict), (3, Verdict::B));
    }

    #[test]
    fn missing_values_are_left_out_and_never_win() {
        // Seeds 1 and 3 of A collapsed: no kNN figure, so no comparison there.
        let a = vec![Some(0.9), None, Some(0.8), None];
        let b = some(&[0.5, 0.95, 0.55, 0.99]);
        let c = compare_seeds(&a, &b, Better::Higher).unwrap();
        assert_eq!((c.paired, c.excluded, c.a_wins, c.b_wins), (2, 2, 2, 0));
        assert_eq!(c.verdict, Verdict::A);
        // Everything missing: nothing paired, nothing decided.
        let none = compare_seeds(&[None, None], &[Some(1.0), None], Better::Higher).unwrap();
        assert_eq!((none.paired, none.a_wins, none.b_wins), (0, 0, 0));
        assert_eq!(none.verdict, Verdict::Unresolved);
        // One seed: a win is counted, but no verdict without a spread.
        let one = compare_seeds(&[Some(2.0)], &[Some(1.0)], Better::Higher).unwrap();
        assert_eq!((one.a_wins, one.verdict), (1, Verdict::Unresolved));
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(matches!(
            compare_seeds(&[Some(1.0)], &[], Better::Lower),
            Err(MetricsError::Shape {
                expected: 1,
                got: 0,
                ..
            })
        ));
        assert!(matches!(
            compare_seeds(
                &[Some(1.0), Some(f64::INFINITY)],
                &[None, None],
                Better::Lower
            ),
            Err(MetricsError::NonFinite { index: 1, .. })
        ));
    }
}
