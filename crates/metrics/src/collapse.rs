//! Posterior collapse as a state of a run, read off its per-dimension KL.
//!
//! A latent dimension `j` is *active* when its KL to the prior, averaged over
//! a set of images, `mean_i KL(q(z_j | x_i) ‖ N(0, 1))`, exceeds
//! [`KL_ACTIVE_THRESHOLD`] = 0.1 nats. A dimension below it carries almost no
//! information about the input: its posterior is (nearly) the prior for every
//! image. A run is [`LatentState::Collapsed`] when no dimension is active,
//! [`LatentState::Active`] when all are, and [`LatentState::PartlyActive`]
//! otherwise.
//!
//! Why KL and not the variance of μ: the variance of μ over the images says
//! nothing about σ, and a threshold on it (0.01) sits on the noise of a
//! collapsed encoder; the KL is what the objective pays for using a
//! dimension, so 0.1 nats is a cost the model chose to pay.
//!
//! Figures of the latent space (kNN accuracy, scatter statistics) mean
//! nothing on a collapsed run — μ varies by float rounding — so
//! [`LatentActivity::figure`] gives [`LatentFigure::NoFigure`] with the
//! reason instead of a number.

use crate::error::{MetricsError, Result};

/// Mean KL (nats, over the images) above which a latent dimension is active.
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
                "collapsed: no latent dimension has a mean KL above {} nats, so μ does not depend on the image",
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
