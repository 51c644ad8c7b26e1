//! Fixed-width histograms, e.g. of pixel values at one image position.

use crate::error::{MetricsError, Result};

/// A histogram with `bins` equal-width bins over `[lo, hi]`.
///
/// Bin `i` holds the values `v` with `edges[i] ≤ v < edges[i + 1]`; the last bin is
/// closed on the right, so `v == hi` lands in it. Values below `lo`, above `hi` or NaN
/// are not binned but counted in [`outside`](Self::outside).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Histogram {
    /// The `bins + 1` bin edges, from `lo` to `hi` (both exact).
    pub edges: Vec<f64>,
    /// The number of values in each bin.
    pub counts: Vec<u64>,
    /// The number of values outside `[lo, hi]` or NaN.
    pub outside: u64,
}

impl Histogram {
    /// Counts `values` into `bins` equal-width bins over `[lo, hi]`.
    ///
    /// An empty `values` gives an all-zero histogram. Errors if `bins == 0` or the range
    /// is not finite with `lo < hi`.
    pub fn new(values: &[f32], bins: usize, lo: f64, hi: f64) -> Result<Self> {
        if bins == 0 {
            return Err(MetricsError::InvalidArgument {
                what: "histogram bins",
                reason: "need at least one bin".into(),
            });
        }
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(MetricsError::InvalidArgument {
                what: "histogram range",
                reason: format!("need finite lo < hi, got [{lo}, {hi}]"),
            });
        }
        let width = (hi - lo) / bins as f64;
        let mut edges: Vec<f64> = (0..=bins).map(|i| lo + i as f64 * width).collect();
        // Rounding may leave the computed last edge a hair off `hi`; the range is exact.
        edges[bins] = hi;

        let mut counts = vec![0u64; bins];
        let mut outside = 0u64;
        for &value in values {
            let v = f64::from(value);
            // `!(lo <= v && v <= hi)` is also true for NaN.
            if !(lo <= v && v <= hi) {
                outside += 1;
                continue;
            }
            let mut bin = (((v - lo) / width) as usize).min(bins - 1);
            // The division can round across an edge; nudge the index so the bin always
            // agrees with the stored edges.
            if v < edges[bin] {
                bin -= 1;
            } else if bin + 1 < bins && v >= edges[bin + 1] {
                bin += 1;
            }
            counts[bin] += 1;
        }
        Ok(Self {
            edges,
            counts,
            outside,
        })
    }

    /// Counts `values` into `bins` equal-width bins over `[0, 1]`, the pixel range.
    pub fn unit(values: &[f32], bins: usize) -> Result<Self> {
        Self::new(values, bins, 0.0, 1.0)
    }

    /// The number of bins.
    pub fn bins(&self) -> usize {
        self.counts.len()
    }

    /// The width of every bin.
    pub fn bin_width(&self) -> f64 {
        self.edges[1] - self.edges[0]
    }

    /// The centre of each bin.
    pub fn centers(&self) -> Vec<f64> {
        self.edges.windows(2).map(|e| 0.5 * (e[0] + e[1])).collect()
    }

    /// The number of binned values (excluding [`outside`](Self::outside)).
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Each bin's share of the binned values; sums to 1 (all zero if nothing was binned).
    pub fn fractions(&self) -> Vec<f64> {
        let total = self.total();
        if total == 0 {
            return vec![0.0; self.bins()];
        }
        self.counts
            .iter()
            .map(|&c| c as f64 / total as f64)
            .collect()
    }

    /// The probability density in each bin, so that Σ density · width = 1 (all zero if
    /// nothing was binned). Densities of histograms with different bin widths compare.
    pub fn densities(&self) -> Vec<f64> {
        let width = self.bin_width();
        self.fractions().into_iter().map(|f| f / width).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_values_into_half_open_bins_with_closed_last_bin() {
        let h = Histogram::new(&[0.0, 0.24, 0.25, 0.5, 0.99, 1.0], 4, 0.0, 1.0).unwrap();
        assert_eq!(h.edges, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(h.counts, vec![2, 1, 1, 2]);
        assert_eq!(h.outside, 0);
        assert_eq!(h.total(), 6);
        assert_eq!(h.centers(), vec![0.125, 0.375, 0.625, 0.875]);
    }

    #[test]
    fn counts_out_of_range_and_nan_separately() {
        let h = Histogram::unit(&[-0.1, 1.1, f32::NAN, 0.5], 2).unwrap();
        assert_eq!(h.counts, vec![0, 1]);
        assert_eq!(h.outside, 3);
        assert_eq!(h.total(), 1);
    }

    #[test]
    fn densities_integrate_to_one() {
        // Range [-1, 3] with 2 bins of width 2: counts 3 and 1.
        let h = Histogram::new(&[-1.0, 0.0, 0.5, 2.0], 2, -1.0, 3.0).unwrap();
        assert_eq!(h.counts, vec![3, 1]);
        assert_eq!(h.fractions(), vec![0.75, 0.25]);
        assert_eq!(h.densities(), vec![0.375, 0.125]);
        let integral: f64 = h.densities().iter().map(|d| d * h.bin_width()).sum();
        assert!((integral - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bins_agree_with_edges_for_values_on_edges() {
        // Tenths are not exact in binary; each must still land in the bin its edges say.
        let values: Vec<f32> = (0..=10).map(|i| i as f32 / 10.0).collect();
        let h = Histogram::unit(&values, 10).unwrap();
        let mut expected = vec![0u64; 10];
        for &v in &values {
            let v = f64::from(v);
            let bin = (0..10)
                .find(|&i| h.edges[i] <= v && (v < h.edges[i + 1] || i == 9))
                .unwrap();
            expected[bin] += 1;
        }
        assert_eq!(h.counts, expected);
        assert_eq!(h.total(), 11);
    }

    #[test]
    fn empty_values_give_zero_fractions() {
        let h = Histogram::unit(&[], 3).unwrap();
        assert_eq!(h.total(), 0);
        assert_eq!(h.fractions(), vec![0.0; 3]);
        assert_eq!(h.densities(), vec![0.0; 3]);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(Histogram::unit(&[0.5], 0).is_err());
        assert!(Histogram::new(&[0.5], 2, 1.0, 1.0).is_err());
        assert!(Histogram::new(&[0.5], 2, 0.0, f64::NAN).is_err());
    }
}
