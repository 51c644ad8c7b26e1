//! Posterior collapse as a state of a run, read off its per-dimension KL.
//!
//! The criterion: latent dimension `j` is *active* when
//!
//! `KL_j = mean_i KL( N(μ_ij, σ_ij²) ‖ N(m_j, s_j²) ) > 0.1 nats`,
//!
//! the mean over a set of images `i` of the KL of each image's posterior from
//! the *aggregate* posterior of that dimension, the Gaussian with the same
//! mean and variance as all the posteriors pooled: `m_j = mean_i μ_ij`,
//! `s_j² = mean_i σ_ij² + var_i μ_ij` ([`kl_from_aggregate`]). It is zero
//! exactly when the posterior does not depend on the image, whatever that
//! constant posterior is. The usual KL to the prior N(0, 1) is not: a head
//! whose output cannot reach the prior, or an encoder that settles on one
//! constant posterior away from it, pays KL for carrying no information (the
//! study's `relu-z2-sse` has KL 0.5 nats in one dimension whose μ varies by
//! 10⁻¹²). When the aggregate posterior is the prior, the two coincide.
//!
//! A run is [`LatentState::Collapsed`] when no dimension is active,
//! [`LatentState::Active`] when all are, and [`LatentState::PartlyActive`]
//! otherwise. Latent-space figures (kNN accuracy, scatter statistics) mean
//! nothing on a collapsed run — μ varies by float rounding — so
//! [`LatentActivity::figure`] gives [`LatentFigure::NoFigure`] with the
//! reason instead of a number.

use crate::error::{MetricsError, Result};

/// Mean KL from the aggregate posterior (nats, over the images) above which
/// a latent dimension is active.
pub const KL_ACTIVE_THRESHOLD: f64 = 0.1;

/// What a run's latent space is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LatentState {
    /// No dimension is active: the encoder ignores the input.
    Collapsed,
    /// Some but not all dimensions are active.
    PartlyActive,
    /// Every dimension is active.
    Active,
}

/// The active dimensions of a run and the state they put it in.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LatentActivity {
    /// The state.
    pub state: LatentState,
    /// Dimensions whose mean KL exceeds `threshold`.
    pub active: usize,
    /// All latent dimensions.
    pub dims: usize,
    /// The threshold used, in nats.
    pub threshold: f64,
}

/// A latent-space figure, or why there is none.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LatentFigure {
    /// The figure.
    Value(f64),
    /// No figure; the reason, as a sentence for a table note.
    NoFigure(String),
}

impl LatentFigure {
    /// The number, if there is one.
    pub fn value(&self) -> Option<f64> {
        match self {
            LatentFigure::Value(v) => Some(*v),
            LatentFigure::NoFigure(_) => None,
        }
    }
}

/// Per dimension, the mean over `n` images of the KL of each image's
/// posterior `N(μ, exp(log_var))` from the dimension's aggregate posterior
/// (see the module documentation). `mu` and `log_var` are row-major `n × dim`.
pub fn kl_from_aggregate(mu: &[f32], log_var: &[f32], n: usize, dim: usize) -> Result<Vec<f64>> {
    crate::shape::check_rows(mu, n, dim, "posterior means")?;
    crate::shape::check_rows(log_var, n, dim, "posterior log-variances")?;
    let mut out = Vec::with_capacity(dim);
    for j in 0..dim {
        let column = |m: &[f32]| -> Vec<f64> {
            m.iter()
                .skip(j)
                .step_by(dim)
                .map(|&v| f64::from(v))
                .collect()
        };
        let (means, log_vars) = (column(mu), column(log_var));
        let m = means.iter().sum::<f64>() / n as f64;
        let var_mu = means.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n as f64;
        let mean_var = log_vars.iter().map(|lv| lv.exp()).sum::<f64>() / n as f64;
        let s2 = mean_var + var_mu;
        let kl = means
            .iter()
            .zip(&log_vars)
            .map(|(&mu_i, &lv_i)| {
                let var_i = lv_i.exp();
                0.5 * ((var_i + (mu_i - m).powi(2)) / s2 - 1.0 - (lv_i - s2.ln()))
            })
            .sum::<f64>()
            / n as f64;
        // Rounding can leave a constant posterior a hair below zero.
        out.push(kl.max(0.0));
    }
    Ok(out)
}

impl LatentActivity {
    /// Classifies a run from the mean KL of each latent dimension, with
    /// `threshold` (normally [`KL_ACTIVE_THRESHOLD`]). Errors on an empty
    /// slice, a non-finite or negative KL, or a threshold that is not finite
    /// and ≥ 0.
    pub fn from_kl(kl_per_dim: &[f64], threshold: f64) -> Result<LatentActivity> {
        const WHAT: &str = "KL per dimension";
        if kl_per_dim.is_empty() {
            return Err(MetricsError::Empty { what: WHAT });
        }
        if let Some(index) = kl_per_dim.iter().position(|k| !k.is_finite()) {
            return Err(MetricsError::NonFinite { what: WHAT, index });
        }
        // A KL is ≥ 0; a slightly negative one is rounding, a clearly
        // negative one a caller's mistake.
        if let Some(index) = kl_per_dim.iter().position(|&k| k < -1e-6) {
            return Err(MetricsError::InvalidArgument {
                what: WHAT,
                reason: format!(
                    "dimension {index} has the negative KL {}",
                    kl_per_dim[index]
                ),
            });
        }
        if !(threshold.is_finite() && threshold >= 0.0) {
            return Err(MetricsError::InvalidArgument {
                what: "active-dimension threshold",
                reason: format!("must be a finite number ≥ 0, got {threshold}"),
            });
        }
        let dims = kl_per_dim.len();
        let active = kl_per_dim.iter().filter(|&&k| k > threshold).count();
        let state = match active {
            0 => LatentState::Collapsed,
            a if a == dims => LatentState::Active,
            _ => LatentState::PartlyActive,
        };
        Ok(LatentActivity {
            state,
            active,
            dims,
            threshold,
        })
    }

    /// Whether the run has collapsed.
    pub fn is_collapsed(&self) -> bool {
        self.state == LatentState::Collapsed
    }

    /// A latent-space figure of this run: `compute` is called only if the
    /// run has not collapsed; a collapsed run gets [`LatentFigure::NoFigure`].
    pub fn figure(&self, compute: impl FnOnce() -> Result<f64>) -> Result<LatentFigure> {
        if self.is_collapsed() {
            return Ok(LatentFigure::NoFigure(format!(
                "collapsed: no latent dimension's posterior differs from the aggregate by more than {} nats (mean KL), so the code does not depend on the image",
                self.threshold
            )));
        }
        compute().map(LatentFigure::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_count_of_dimensions_above_the_threshold() {
        let collapsed = LatentActivity::from_kl(&[1e-9, 0.02, 0.1], KL_ACTIVE_THRESHOLD).unwrap();
        // 0.1 itself is not above the threshold.
        assert_eq!(
            (collapsed.state, collapsed.active, collapsed.dims),
            (LatentState::Collapsed, 0, 3)
        );
        let partly = LatentActivity::from_kl(&[2.5, 0.05, 0.11], KL_ACTIVE_THRESHOLD).unwrap();
        assert_eq!(
            (partly.state, partly.active),
            (LatentState::PartlyActive, 2)
        );
        let active = LatentActivity::from_kl(&[3.0, 0.2], KL_ACTIVE_THRESHOLD).unwrap();
        assert_eq!((active.state, active.active), (LatentState::Active, 2));
        // Rounding below zero is accepted as zero KL.
        let rounding = LatentActivity::from_kl(&[-1e-9], KL_ACTIVE_THRESHOLD).unwrap();
        assert!(rounding.is_collapsed());
    }

    #[test]
    fn a_collapsed_latent_never_yields_a_figure() {
        let collapsed = LatentActivity::from_kl(&[0.0, 0.0], KL_ACTIVE_THRESHOLD).unwrap();
        let mut called = false;
        let figure = collapsed
            .figure(|| {
                called = true;
                Ok(0.124)
            })
            .unwrap();
        assert!(
            !called,
            "the figure must not be computed for a collapsed run"
        );
        assert_eq!(figure.value(), None);
        match figure {
            LatentFigure::NoFigure(reason) => assert!(reason.contains("collapsed"), "{reason}"),
            LatentFigure::Value(v) => panic!("a collapsed run got the figure {v}"),
        }
        let working = LatentActivity::from_kl(&[1.0, 0.0], KL_ACTIVE_THRESHOLD).unwrap();
        assert_eq!(
            working.figure(|| Ok(0.8)).unwrap(),
            LatentFigure::Value(0.8)
        );
    }

    #[test]
    fn a_constant_posterior_has_no_kl_from_the_aggregate_whatever_it_is() {
        // Two dimensions, three images. Dimension 0: μ = 0.5, σ² = 0.25 for
        // every image (KL to N(0, 1) would be ½(0.25 + 0.25 − ln 0.25 − 1)
        // ≈ 0.443). Dimension 1: μ = −1, 1, 0 and σ² = 1: m = 0,
        // var μ = 2/3, s² = 5/3; KL_i = ½((1 + μ_i²)/s² − 1 − ln(1/s²)).
        let mu = [0.5, -1.0, 0.5, 1.0, 0.5, 0.0];
        let log_var = [0.25f32.ln(), 0.0, 0.25f32.ln(), 0.0, 0.25f32.ln(), 0.0];
        let kl = kl_from_aggregate(&mu, &log_var, 3, 2).unwrap();
        assert!(kl[0].abs() < 1e-7, "{}", kl[0]);
        let s2 = 5.0f64 / 3.0;
        let each = |m: f64| 0.5 * ((1.0 + m * m) / s2 - 1.0 + s2.ln());
        let expected = (each(-1.0) + each(1.0) + each(0.0)) / 3.0;
        assert!((kl[1] - expected).abs() < 1e-7, "{} vs {expected}", kl[1]);
        let state = LatentActivity::from_kl(&kl, KL_ACTIVE_THRESHOLD).unwrap();
        // (0.355 + 0.355 + 0.055) / 3 ≈ 0.255 > 0.1: one of two dimensions is active.
        assert!(expected > 0.1);
        assert_eq!((state.state, state.active), (LatentState::PartlyActive, 1));
        assert!(kl_from_aggregate(&mu, &log_var, 2, 2).is_err());
    }

    #[test]
    fn with_the_prior_as_aggregate_it_is_the_usual_kl() {
        // μ = ±a, σ² = 1 − a²: the aggregate is exactly N(0, 1), so the KL
        // from it equals the KL to the prior, ½(μ² + σ² − ln σ² − 1).
        let a = 0.6f64;
        let mu = [a as f32, -a as f32];
        let log_var = [((1.0 - a * a) as f32).ln(); 2];
        let kl = kl_from_aggregate(&mu, &log_var, 2, 1).unwrap();
        let v = 1.0 - a * a;
        let prior_kl = 0.5 * (a * a + v - v.ln() - 1.0);
        assert!((kl[0] - prior_kl).abs() < 1e-6, "{} vs {prior_kl}", kl[0]);
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(LatentActivity::from_kl(&[], 0.1).is_err());
        assert!(matches!(
            LatentActivity::from_kl(&[0.5, f64::NAN], 0.1),
            Err(MetricsError::NonFinite { index: 1, .. })
        ));
        assert!(LatentActivity::from_kl(&[0.5, -0.3], 0.1).is_err());
        assert!(LatentActivity::from_kl(&[0.5], f64::NAN).is_err());
        assert!(LatentActivity::from_kl(&[0.5], -1.0).is_err());
    }
}
