//! The one error type of the crate.

use thiserror::Error;

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, MetricsError>;

/// What can be wrong with the input to a metric. `what` names the argument.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MetricsError {
    /// A slice has the wrong length for the stated shape.
    #[error("{what}: expected {expected} values, got {got}")]
    Shape {
        /// The argument that is wrong, e.g. `"knn reference"`.
        what: &'static str,
        /// The length the other arguments imply.
        expected: usize,
        /// The length actually passed.
        got: usize,
    },
    /// A set that must hold at least one value (or vector) is empty.
    #[error("{what}: empty input")]
    Empty {
        /// The argument that is empty.
        what: &'static str,
    },
    /// A value is NaN or infinite where a finite number is needed.
    #[error("{what}: value at index {index} is not finite")]
    NonFinite {
        /// The argument holding the value.
        what: &'static str,
        /// The flat index of the first non-finite value.
        index: usize,
    },
    /// A parameter is out of range (k = 0, bins = 0, lo ≥ hi, ...).
    #[error("invalid {what}: {reason}")]
    InvalidArgument {
        /// The parameter, e.g. `"k"`.
        what: &'static str,
        /// Why it is invalid, in words.
        reason: String,
    },
}
