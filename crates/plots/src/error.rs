//! The one error type of this crate.

use std::fmt::Display;
use std::path::PathBuf;

use plotters::drawing::DrawingAreaErrorKind;

/// Everything that can go wrong while checking, drawing or writing a figure.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The figure's data cannot be drawn (empty series, wrong image size, ...).
    #[error("invalid input for figure \"{figure}\": {reason}")]
    InvalidInput {
        /// The figure's title, so that the caller knows which figure is wrong.
        figure: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// Plotters failed while drawing the figure that was to go to `path`.
    #[error("drawing {} failed: {message}", path.display())]
    Draw {
        /// The file that was being produced (empty for in-memory output).
        path: PathBuf,
        /// Plotters' error, rendered as text (its error types are generic).
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The embedded font could not be registered with plotters.
    #[error("cannot register the embedded font: {0}")]
    Font(String),
}

impl PlotError {
    /// Builds an [`PlotError::InvalidInput`] for the figure titled `figure`.
    pub(crate) fn invalid(figure: &str, reason: impl Display) -> Self {
        Self::InvalidInput {
            figure: figure.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// A drawing failure before the output path is known; [`crate::output`] turns
/// it into [`PlotError::Draw`]. It exists because plotters' error type is
/// generic over the backend, so it is flattened to text at the drawing site.
#[derive(Debug)]
pub(crate) struct DrawFail(pub(crate) String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawFail {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        Self(error.to_string())
    }
}

impl DrawFail {
    /// Wraps any displayable error (such as plotters' font errors).
    pub(crate) fn msg(error: impl Display) -> Self {
        Self(error.to_string())
    }
}
