//! The one error type of the crate.
//!
//! Every variant names what was wrong and where: the file for I/O and format
//! problems, the tensor for checkpoint mismatches, the setting for bad
//! configuration values.

use std::path::PathBuf;

/// What went wrong in a layer, optimiser or checkpoint operation.
#[derive(Debug, thiserror::Error)]
pub enum NnError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file is not a valid safetensors file.
    #[error("{}: not a valid safetensors file: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What the parser reported.
        message: String,
    },
    /// A tensor in a file has a data type other than `F32`.
    #[error("{}: {tensor}: expected dtype F32, file has {found}", path.display())]
    Dtype {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
        /// The data type found in the file.
        found: String,
    },
    /// A parameter has no tensor of its name in the checkpoint.
    #[error("{tensor}: missing from the checkpoint (it has {available})")]
    MissingTensor {
        /// The parameter's name.
        tensor: String,
        /// The tensors the checkpoint does hold, comma-separated.
        available: String,
    },
    /// A tensor in the checkpoint does not have the parameter's shape.
    #[error("{tensor}: expected shape {expected:?}, file has {found:?}")]
    Shape {
        /// The tensor's name.
        tensor: String,
        /// The shape the parameter needs.
        expected: Vec<usize>,
        /// The shape in the file.
        found: Vec<usize>,
    },
    /// Two tensors to be saved share a name.
    #[error("{}: tensor name {tensor:?} appears twice", path.display())]
    DuplicateTensor {
        /// The file being written.
        path: PathBuf,
        /// The repeated name.
        tensor: String,
    },
    /// A configuration value is out of range.
    #[error("{setting}: {message}")]
    Config {
        /// The setting, e.g. `adam.lr`.
        setting: String,
        /// What is wrong with its value.
        message: String,
    },
    /// A name (activation, initialiser) could not be parsed.
    #[error("unknown {what} {input:?}: expected one of {expected}")]
    Parse {
        /// What kind of name was expected.
        what: &'static str,
        /// The text given.
        input: String,
        /// The accepted spellings.
        expected: &'static str,
    },
    /// Consecutive affine layers of a specification do not chain.
    #[error(
        "layer {index}: Affine expects {inputs} inputs but the layers before it produce {previous}"
    )]
    LayerChain {
        /// The index of the offending layer in the specification.
        index: usize,
        /// Its input count.
        inputs: usize,
        /// The output count of the previous affine layer.
        previous: usize,
    },
}

impl NnError {
    /// A [`NnError::Config`] for `setting`.
    pub(crate) fn config(setting: &str, message: String) -> Self {
        NnError::Config {
            setting: setting.to_owned(),
            message,
        }
    }
}
