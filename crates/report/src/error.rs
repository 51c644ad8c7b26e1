//! What can go wrong while writing a report. Every message names the file
//! or directory concerned; the underlying error is kept as the source.

use std::path::PathBuf;

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or directory operation failed; the message says which and
    /// where (e.g. "cannot create reports.tmp-12").
    #[error("{what}")]
    Io {
        /// What was attempted, naming the paths.
        what: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The report cannot replace what `--out` points at, or cannot be
    /// created there; the message says why and what to do.
    #[error("{0}")]
    Target(String),
    /// A file written through `vaelab-vae` (CSV, checkpoint) failed.
    #[error(transparent)]
    Vae(#[from] vaelab_vae::VaeError),
    /// A PNG could not be decoded or re-encoded.
    #[error("cannot {action} {}", path.display())]
    Png {
        /// `decode` or `encode`.
        action: &'static str,
        /// The figure.
        path: PathBuf,
        /// The codec's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A JSON file could not be encoded.
    #[error("cannot encode {}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The encoder's error.
        #[source]
        source: serde_json::Error,
    },
    /// The latent explorer could not be built from a run.
    #[error("cannot write the latent explorer: {0}")]
    Explorer(#[from] crate::explorer::ExplorerError),
    /// The written pages link to files the report does not contain (a bug
    /// in the writer, caught before the report replaces the old one).
    #[error("the report links to files it does not contain: {}", .0.join(", "))]
    BrokenLinks(Vec<String>),
    /// A run whose figures are drawn came without its figure material (the
    /// suite ran with another grouping than [`crate::figure_runs`]).
    #[error(
        "run {0} is its configuration's first successful seed, but its figure material was \
         dropped while the suite ran (run the suite with vaelab_report::figure_runs)"
    )]
    FigureMaterialDropped(String),
}

/// The report's result type.
pub type Result<T, E = ReportError> = std::result::Result<T, E>;

/// Names the operation of a failed file operation, as `anyhow`'s context
/// would, but as a [`ReportError::Io`].
pub(crate) trait IoContext<T> {
    /// On error, a [`ReportError::Io`] whose message is `what()`.
    fn io_context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn io_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| ReportError::Io {
            what: what(),
            source,
        })
    }
}
