//! What can go wrong in a study, each with the run or setting it concerns.

use std::path::PathBuf;

/// An error of the VAE layer.
#[derive(Debug, thiserror::Error)]
pub enum VaeError {
    /// A setting is out of its range.
    #[error("{run}: setting `{setting}` = {value}: {reason}")]
    Config {
        /// The run (or `defaults`).
        run: String,
        /// The setting's name.
        setting: &'static str,
        /// Its value, as written.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// A suite file could not be parsed.
    #[error("{path}: {message}")]
    Suite {
        /// The file.
        path: String,
        /// What is wrong, with its place.
        message: String,
    },
    /// Training diverged.
    #[error("run {run}: the {what} became non-finite at iteration {iteration}")]
    Diverged {
        /// The run.
        run: String,
        /// `loss` or a parameter's name.
        what: String,
        /// The iteration at which it was seen.
        iteration: usize,
    },
    /// The data set does not hold what the settings ask for.
    #[error("{run}: {message}")]
    Data {
        /// The run.
        run: String,
        /// What is missing.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A CSV file could not be written.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: csv::Error,
    },
    /// A checkpoint is unusable.
    #[error("{path}: {message}")]
    Checkpoint {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An error of the layers crate.
    #[error(transparent)]
    Nn(#[from] vaelab_nn::NnError),
    /// An error of the metrics crate.
    #[error("{context}: {source}")]
    Metrics {
        /// What was being computed.
        context: String,
        /// The cause.
        source: vaelab_metrics::MetricsError,
    },
    /// An error of the data crate.
    #[error(transparent)]
    Mnist(#[from] vaelab_mnist::MnistError),
}

/// The result type of this crate.
pub type Result<T, E = VaeError> = std::result::Result<T, E>;
