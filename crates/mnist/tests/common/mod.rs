//! Fixtures shared by the integration tests: small datasets written with the
//! crate's own IDX writer into temporary directories.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use vaelab_mnist::idx::{write_images, write_labels};
use vaelab_mnist::{
    Checksums, Dataset, Digest, Encoding, Split, StandardFile, save_split, sha256_hex,
};

/// Rows and columns of the fixture images: deliberately not square, so a
/// swapped dimension would show.
pub const ROWS: usize = 3;
pub const COLS: usize = 4;

/// `n` images; image i has label `(i * 7) % 10` and pixels `i*12 + j` (mod
/// 256), so every image is distinguishable and every class is present once
/// n ≥ 10.
pub fn dataset(n: usize) -> Dataset {
    let per = ROWS * COLS;
    let pixels = (0..n * per).map(|k| (k % 256) as u8).collect();
    let labels = (0..n).map(|i| ((i * 7) % 10) as u8).collect();
    Dataset::new(pixels, labels, ROWS, COLS).unwrap()
}

/// A directory with a 30-image training set and a 10-image test set.
pub fn write_dir(dir: &Path, encoding: Encoding) -> (Dataset, Dataset) {
    let (train, test) = (dataset(30), dataset(10));
    save_split(dir, Split::Train, &train, encoding).unwrap();
    save_split(dir, Split::Test, &test, encoding).unwrap();
    (train, test)
}

/// The uncompressed IDX bytes of the standard file `file` for `train`/`test`.
pub fn raw_bytes(file: StandardFile, train: &Dataset, test: &Dataset) -> Vec<u8> {
    let data = match file {
        StandardFile::TrainImages | StandardFile::TrainLabels => train,
        StandardFile::TestImages | StandardFile::TestLabels => test,
    };
    encode(file, data, Encoding::Raw)
}

/// The bytes of `file` for `data`, raw or gzip.
pub fn encode(file: StandardFile, data: &Dataset, encoding: Encoding) -> Vec<u8> {
    let mut out = Vec::new();
    if file.is_images() {
        write_images(&mut out, encoding, data.pixels(), data.rows(), data.cols()).unwrap();
    } else {
        write_labels(&mut out, encoding, data.labels()).unwrap();
    }
    out
}

/// A checksum table matching the fixtures of [`write_dir`].
pub fn fixture_checksums(train: &Dataset, test: &Dataset) -> Checksums {
    Checksums::new(
        StandardFile::ALL
            .map(|f| Digest::Sha256Uncompressed(sha256_hex(&raw_bytes(f, train, test)))),
    )
}

/// Names of the entries in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
