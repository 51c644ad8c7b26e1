//! Summary statistics of a list of numbers and per-column statistics of a set of vectors.

use crate::error::{MetricsError, Result};
use crate::shape::check_rows;

/// The variance of a latent mean over the data above which its unit counts as active
/// (the study, docs/study.md §7, after Burda et al.'s "active units").
pub const ACTIVE_UNIT_THRESHOLD: f64 = 0.01;

/// Count, mean, population standard deviation, extremes and median of a list of numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Summary {
    /// How many values.
    pub count: usize,
    /// The arithmetic mean.
    pub mean: f64,
    /// The population standard deviation (divides by `count`, not `count − 1`).
    pub std: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// The middle value; for an even count the mean of the two middle values.
    pub median: f64,
}

impl Summary {
    /// Summarises `f32` values. Errors if empty or if any value is not finite.
    pub fn from_f32(values: &[f32]) -> Result<Self> {
        let values: Vec<f64> = values.iter().map(|&v| f64::from(v)).collect();
        Self::from_f64(&values)
    }

    /// Summarises `f64` values. Errors if empty or if any value is not finite.
    pub fn from_f64(values: &[f64]) -> Result<Self> {
        const WHAT: &str = "summary values";
        if values.is_empty() {
            return Err(MetricsError::Empty { what: WHAT });
        }
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(MetricsError::NonFinite { what: WHAT, index });
        }
        let count = values.len();
        let mean = values.iter().sum::<f64>() / count as f64;
        // Two passes: subtracting the mean first avoids the cancellation of Σx² − n·mean².
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / count as f64;
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mid = count / 2;
        let median = if count % 2 == 1 {
            sorted[mid]
        } else {
            0.5 * (sorted[mid - 1] + sorted[mid])
        };
        Ok(Self {
            count,
            mean,
            std: variance.sqrt(),
            min: sorted[0],
            max: sorted[count - 1],
            median,
        })
    }
}

/// The mean of each of the `dim` columns of `n` row-major vectors.
pub fn column_means(data: &[f32], n: usize, dim: usize) -> Result<Vec<f64>> {
    check_rows(data, n, dim, "column data")?;
    let mut sums = vec![0.0f64; dim];
    for row in data.chunks_exact(dim) {
        for (sum, &v) in sums.iter_mut().zip(row) {
            *sum += f64::from(v);
        }
    }
    Ok(sums.into_iter().map(|s| s / n as f64).collect())
}

/// The population variance (divides by `n`) of each of the `dim` columns of `n`
/// row-major vectors.
pub fn column_variances(data: &[f32], n: usize, dim: usize) -> Result<Vec<f64>> {
    let means = column_means(data, n, dim)?;
    let mut sums = vec![0.0f64; dim];
    for row in data.chunks_exact(dim) {
        for ((sum, &v), mean) in sums.iter_mut().zip(row).zip(&means) {
            *sum += (f64::from(v) - mean).powi(2);
        }
    }
    Ok(sums.into_iter().map(|s| s / n as f64).collect())
}

/// Active latent units: the number of columns whose population variance over the set
/// exceeds `threshold` (strictly), and the variances themselves.
///
/// Pass the latent means μ of a data set as `data` and [`ACTIVE_UNIT_THRESHOLD`] as
/// `threshold`; a unit whose μ hardly moves with the input has collapsed to the prior.
pub fn active_units(
    data: &[f32],
    n: usize,
    dim: usize,
    threshold: f64,
) -> Result<(usize, Vec<f64>)> {
    if !threshold.is_finite() {
        return Err(MetricsError::InvalidArgument {
            what: "active-unit threshold",
            reason: format!("must be finite, got {threshold}"),
        });
    }
    let variances = column_variances(data, n, dim)?;
    let active = variances.iter().filter(|&&v| v > threshold).count();
    Ok((active, variances))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn summary_of_odd_count() {
        // Sum 45 over 9 values: mean 5; sorted 2 4 4 4 5 5 5 7 9: median 5.
        let s = Summary::from_f64(&[9.0, 2.0, 4.0, 4.0, 5.0, 4.0, 5.0, 7.0, 5.0]).unwrap();
        assert_eq!(s.count, 9);
        assert!(close(s.mean, 5.0));
        // Squared deviations 16 + 9 + 1 + 1 + 0 + 1 + 0 + 4 + 0 = 32, / 9.
        assert!(close(s.std, (32.0f64 / 9.0).sqrt()));
        assert_eq!((s.min, s.max, s.median), (2.0, 9.0, 5.0));
    }

    #[test]
    fn summary_of_even_count_uses_population_std() {
        let s = Summary::from_f32(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert!(close(s.mean, 5.0));
        assert!(close(s.std, 2.0));
        assert!(close(s.median, 4.5));
    }

    #[test]
    fn summary_rejects_empty_and_nan() {
        assert_eq!(
            Summary::from_f64(&[]),
            Err(MetricsError::Empty {
                what: "summary values"
            })
        );
        assert!(matches!(
            Summary::from_f32(&[1.0, f32::INFINITY]),
            Err(MetricsError::NonFinite { index: 1, .. })
        ));
    }

    #[test]
    fn column_statistics() {
        // Rows (1, 10), (2, 10), (3, 10), (6, 10): means 3 and 10, variances 3.5 and 0.
        let data = [1.0, 10.0, 2.0, 10.0, 3.0, 10.0, 6.0, 10.0];
        assert_eq!(column_means(&data, 4, 2).unwrap(), vec![3.0, 10.0]);
        // Squared deviations 4 + 1 + 0 + 9 = 14, / 4 = 3.5.
        assert_eq!(column_variances(&data, 4, 2).unwrap(), vec![3.5, 0.0]);
        assert!(column_means(&data, 3, 2).is_err());
    }

    #[test]
    fn active_units_counts_variance_above_threshold() {
        // Column 0 varies (variance 0.25), column 1 barely (variance 0.0025), column 2 not.
        let data = [0.0, 0.1, 1.0, 1.0, 0.0, 1.0];
        let (active, variances) = active_units(&data, 2, 3, ACTIVE_UNIT_THRESHOLD).unwrap();
        assert_eq!(active, 1);
        assert!(close(variances[0], 0.25));
        assert!((variances[1] - 0.0025).abs() < 1e-9);
        assert_eq!(variances[2], 0.0);
        assert!(active_units(&data, 2, 3, f64::NAN).is_err());
    }
}
