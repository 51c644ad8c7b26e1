//! `vaelab-mnist`: the data layer. It reads, writes, verifies and (with the
//! `download` feature) fetches MNIST-format IDX files, and hands out images as
//! plain bytes or `f32` slices. It knows nothing of tensors or models; it
//! depends only on `flate2` (gzip), `sha2`/`md-5` (checksums), `rand` (seeded
//! subsets) and, for downloads, `ureq`.
//!
//! Loading the four standard files from a directory, checked against the
//! published MNIST checksums (the `inspect` example does this and prints
//! counts per digit: `cargo run -p vaelab-mnist --example inspect -- DIR`):
//!
//! ```no_run
//! # fn main() -> Result<(), vaelab_mnist::MnistError> {
//! let data = vaelab_mnist::load(std::path::Path::new("data/mnist"))?;
//! assert_eq!(data.train.len(), 60_000);
//! let xs = data.train.select_balanced(100, 0)?.to_f32(); // 1000 × 784
//! # Ok(()) }
//! ```
//!
//! The [`idx`] module reads and writes single IDX files (plain or gzip) from
//! any reader or writer, and [`Dataset`] holds images with their labels. Here
//! two 2×3 images go through an in-memory file and back:
//!
//! ```
//! # fn main() -> Result<(), vaelab_mnist::MnistError> {
//! use vaelab_mnist::{Dataset, Encoding, idx};
//!
//! let pixels = [0, 255, 0, 255, 0, 255, /* second image */ 9, 9, 9, 9, 9, 9];
//! let mut images_file = Vec::new();
//! idx::write_images(&mut images_file, Encoding::Gzip, &pixels, 2, 3)?;
//! let mut labels_file = Vec::new();
//! idx::write_labels(&mut labels_file, Encoding::Raw, &[7, 1])?;
//!
//! // Readers detect gzip by its magic bytes and check the header's sizes.
//! let images = idx::read_images(images_file.as_slice(), "images")?;
//! let labels = idx::read_labels(labels_file.as_slice(), "labels")?;
//! assert_eq!((images.count, images.rows, images.cols), (2, 2, 3));
//!
//! let set = Dataset::new(images.pixels, labels, images.rows, images.cols)?;
//! assert_eq!(set.label(0), 7);
//! assert_eq!(set.image(1), &[9; 6]);
//! assert_eq!(set.class_counts()[1], 1);
//! assert_eq!(set.to_f32()[1], 1.0); // pixels as f32 in [0, 1]
//!
//! // A truncated file is an error naming it, not a panic.
//! let err = idx::read_labels(&labels_file[..9], "labels").unwrap_err();
//! assert!(err.to_string().starts_with("labels:"));
//! # Ok(()) }
//! ```

mod checksum;
mod dataset;
#[cfg(feature = "download")]
pub mod download;
mod error;
mod files;
pub mod idx;
mod source;

use std::path::{Path, PathBuf};

pub use checksum::{Checksums, Digest, md5_hex, sha256_hex};
pub use dataset::Dataset;
pub use error::{MnistError, Result};
pub use files::{Split, StandardFile, missing_files, save_split};
pub use idx::{Encoding, NUM_CLASSES};
pub use source::{DatasetKind, Location, Origin, locate, locate_from_env};

/// A dataset's training and test sets, as read from one directory.
#[derive(Debug, Clone)]
pub struct Mnist {
    /// The training set (60 000 images in MNIST).
    pub train: Dataset,
    /// The test set (10 000 images in MNIST).
    pub test: Dataset,
    /// The files read, in [`StandardFile::ALL`] order.
    pub files: [PathBuf; 4],
    /// Whether every file matched a checksum table.
    pub verified: bool,
}

/// Loads the four standard MNIST files from `dir` (plain or `.gz`) and checks
/// them against the canonical MNIST checksums.
pub fn load(dir: &Path) -> Result<Mnist> {
    load_kind(dir, DatasetKind::Mnist)
}

/// Loads a known dataset from `dir`, checked against its published checksums.
pub fn load_kind(dir: &Path, kind: DatasetKind) -> Result<Mnist> {
    load_with(dir, Some(&Checksums::for_kind(kind)))
}

/// Loads the four standard files from `dir`, checked against `checksums`, or
/// only for structure when `checksums` is `None` (a custom dataset).
pub fn load_with(dir: &Path, checksums: Option<&Checksums>) -> Result<Mnist> {
    let find = |file: StandardFile| {
        file.find_in(dir).ok_or_else(|| MnistError::MissingFile {
            dir: dir.into(),
            stem: file.stem(),
            hint: "pass the directory that holds them (--data-dir DIR, or MNIST_DIR / FASHION_MNIST_DIR)".into(),
        })
    };
    let train_images = find(StandardFile::TrainImages)?;
    let train_labels = find(StandardFile::TrainLabels)?;
    let test_images = find(StandardFile::TestImages)?;
    let test_labels = find(StandardFile::TestLabels)?;
    let (train, train_shape) = load_split(&train_images, &train_labels, Split::Train, checksums)?;
    let (test, test_shape) = load_split(&test_images, &test_labels, Split::Test, checksums)?;
    if train_shape != test_shape {
        return Err(MnistError::ShapeMismatch {
            train_file: display(&train_images),
            train_rows: train_shape.0,
            train_cols: train_shape.1,
            test_file: display(&test_images),
            test_rows: test_shape.0,
            test_cols: test_shape.1,
        });
    }
    Ok(Mnist {
        train,
        test,
        files: [train_images, train_labels, test_images, test_labels],
        verified: checksums.is_some(),
    })
}

fn load_split(
    images_path: &Path,
    labels_path: &Path,
    split: Split,
    checksums: Option<&Checksums>,
) -> Result<(Dataset, (usize, usize))> {
    let (images_file, labels_file) = StandardFile::of_split(split);
    let (images_name, labels_name) = (display(images_path), display(labels_path));
    let digest = |file: StandardFile| checksums.map(|c| c.get(file));
    let images = files::read_file(
        images_path,
        &images_name,
        digest(images_file),
        files::parse_images,
    )?;
    let labels = files::read_file(
        labels_path,
        &labels_name,
        digest(labels_file),
        files::parse_labels,
    )?;
    if images.count != labels.len() {
        return Err(MnistError::CountMismatch {
            images_file: images_name,
            labels_file: labels_name,
            images: images.count,
            labels: labels.len(),
        });
    }
    let shape = (images.rows, images.cols);
    Ok((
        Dataset::new(images.pixels, labels, images.rows, images.cols)?,
        shape,
    ))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
