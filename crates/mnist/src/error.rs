//! The one error type of the crate.
//!
//! Every variant names the file (or setting) it is about, so that a message
//! printed on its own tells the user what to fix.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, MnistError>;

/// Everything that can go wrong while finding, downloading, reading or
/// selecting from an MNIST-format dataset.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum MnistError {
    /// None of the accepted names of a standard file exists in the directory.
    #[error("{}: no {stem} or {stem}.gz in this directory; {hint}", dir.display())]
    MissingFile {
        /// The directory that was searched.
        dir: PathBuf,
        /// The file's name without `.gz`, e.g. `t10k-labels-idx1-ubyte`.
        stem: &'static str,
        /// What the user can do about it (which flag or variable to set).
        hint: String,
    },
    /// The path exists but is a directory (or another non-file).
    #[error("{}: is not a regular file", path.display())]
    NotAFile {
        /// The offending path.
        path: PathBuf,
    },
    /// The operating system refused to open or read the file.
    #[error("{file}: {source}")]
    Io {
        /// The file being read or written.
        file: String,
        /// The underlying error.
        source: io::Error,
    },
    /// The file (after decompression) holds no bytes at all.
    #[error("{file}: file is empty")]
    EmptyFile {
        /// The file's name.
        file: String,
    },
    /// The file starts like gzip but its body does not decompress.
    #[error("{file}: not a valid gzip stream: {source}")]
    BadGzip {
        /// The file's name.
        file: String,
        /// What the decompressor reported.
        source: io::Error,
    },
    /// The file ends inside its IDX header.
    #[error("{file}: IDX header is {expected} bytes, file holds only {found}")]
    TruncatedHeader {
        /// The file's name.
        file: String,
        /// The header length of this kind of file.
        expected: usize,
        /// How many bytes there were.
        found: usize,
    },
    /// The first four bytes are not the magic number of the expected kind.
    #[error("{file}: magic number is {found}, expected {expected} ({kind})")]
    WrongMagic {
        /// The file's name.
        file: String,
        /// The magic number of the expected kind (2051 images, 2049 labels).
        expected: u32,
        /// The number found.
        found: u32,
        /// The expected kind in words ("images" or "labels").
        kind: &'static str,
    },
    /// An image dimension in the header is zero.
    #[error("{file}: image size {rows}x{cols} has a zero dimension")]
    BadDimensions {
        /// The file's name.
        file: String,
        /// Rows per image.
        rows: u32,
        /// Columns per image.
        cols: u32,
    },
    /// The header claims more data than any sane dataset holds; refusing
    /// before allocating protects against corrupt or hostile headers.
    #[error("{file}: header claims {claimed} bytes of data, more than the limit of {limit}")]
    TooLarge {
        /// The file's name.
        file: String,
        /// Bytes the header implies (saturated at `u64::MAX`).
        claimed: u64,
        /// The largest payload this reader accepts.
        limit: u64,
    },
    /// The file ends before the number of items its header announces.
    #[error("{file}: expected {expected} {kind}, file holds {found}")]
    Truncated {
        /// The file's name.
        file: String,
        /// "images" or "labels".
        kind: &'static str,
        /// The count in the header.
        expected: u64,
        /// Complete items actually present.
        found: u64,
    },
    /// Bytes follow the last item the header announces.
    #[error("{file}: {extra} unexpected bytes after the {count} {kind} the header announces")]
    TrailingBytes {
        /// The file's name.
        file: String,
        /// "images" or "labels".
        kind: &'static str,
        /// The count in the header.
        count: u64,
        /// How many bytes follow.
        extra: u64,
    },
    /// A label is not a digit 0–9.
    #[error("{file}: label {index} is {value}, expected 0-9")]
    LabelOutOfRange {
        /// The file's name.
        file: String,
        /// Position of the first bad label.
        index: usize,
        /// Its value.
        value: u8,
    },
    /// An images file and its labels file disagree on the number of items.
    #[error("{images_file} holds {images} images but {labels_file} holds {labels} labels")]
    CountMismatch {
        /// The images file's name.
        images_file: String,
        /// The labels file's name.
        labels_file: String,
        /// Number of images.
        images: usize,
        /// Number of labels.
        labels: usize,
    },
    /// The training and test images have different sizes.
    #[error(
        "{train_file} holds {train_rows}x{train_cols} images but {test_file} holds {test_rows}x{test_cols}"
    )]
    ShapeMismatch {
        /// The training images file's name.
        train_file: String,
        /// Its rows per image.
        train_rows: usize,
        /// Its columns per image.
        train_cols: usize,
        /// The test images file's name.
        test_file: String,
        /// Its rows per image.
        test_rows: usize,
        /// Its columns per image.
        test_cols: usize,
    },
    /// The file's digest differs from the published one.
    #[error(
        "{file}: {algorithm} is {actual}, expected {expected}: the file is corrupt or not the canonical one (a custom dataset needs --no-verify)"
    )]
    ChecksumMismatch {
        /// The file's name.
        file: String,
        /// What was hashed, e.g. "SHA-256 of the uncompressed bytes".
        algorithm: &'static str,
        /// The published digest (lower-case hex).
        expected: String,
        /// The digest of this file.
        actual: String,
    },
    /// The file cannot be checked against the known digests (an uncompressed
    /// file checked against a table that only has the MD5 of a `.gz`).
    #[error("{file}: cannot verify: {reason}")]
    Unverifiable {
        /// The file's name.
        file: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// Parts of a [`crate::Dataset`] do not fit together.
    #[error("invalid dataset: {reason}")]
    InvalidDataset {
        /// What is inconsistent.
        reason: String,
    },
    /// A selection asks for items the dataset does not have.
    #[error("invalid selection: {reason}")]
    InvalidSelection {
        /// What was asked and what is available.
        reason: String,
    },
    /// A dataset name other than `mnist` or `fashion-mnist`.
    #[error("unknown dataset {name:?}: expected \"mnist\" or \"fashion-mnist\"")]
    UnknownDataset {
        /// The name given.
        name: String,
    },
    /// Every mirror failed for a file.
    #[error("could not download {file} into {}: {attempts}; {hint}", dir.display())]
    DownloadFailed {
        /// The file's name.
        file: String,
        /// The cache directory it was meant for.
        dir: PathBuf,
        /// One entry per mirror: the URL and why it failed.
        attempts: String,
        /// What the user can do instead (offline use).
        hint: String,
    },
}

impl MnistError {
    /// Wraps an I/O error with the name of the file it concerns.
    pub(crate) fn io(file: impl Into<String>, source: io::Error) -> Self {
        MnistError::Io {
            file: file.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_message_matches_the_issue_wording() {
        let error = MnistError::Truncated {
            file: "t10k-labels-idx1-ubyte.gz".into(),
            kind: "labels",
            expected: 10000,
            found: 9873,
        };
        assert_eq!(
            error.to_string(),
            "t10k-labels-idx1-ubyte.gz: expected 10000 labels, file holds 9873"
        );
    }

    #[test]
    fn missing_file_message_names_both_accepted_names() {
        let error = MnistError::MissingFile {
            dir: PathBuf::from("/data"),
            stem: "train-images-idx3-ubyte",
            hint: "pass --data-dir".into(),
        };
        let text = error.to_string();
        assert!(text.contains("train-images-idx3-ubyte or train-images-idx3-ubyte.gz"));
        assert!(text.starts_with("/data:"));
    }
}
