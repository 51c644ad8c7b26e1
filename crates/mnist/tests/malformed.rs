//! Every way a file can be broken gives its own error, naming the file.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use vaelab_mnist::{Encoding, MnistError, StandardFile, load_with};

/// A valid raw fixture directory with `file` replaced by `bytes`.
fn dir_with(file: StandardFile, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::write_dir(dir.path(), Encoding::Raw);
    let path = dir.path().join(file.stem());
    fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn valid_raw(file: StandardFile) -> Vec<u8> {
    common::raw_bytes(file, &common::dataset(30), &common::dataset(10))
}

/// Loads `dir`, expecting an error whose message names `path`.
fn load_err(dir: &Path, path: &Path) -> MnistError {
    let error = load_with(dir, None).unwrap_err();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        error.to_string().contains(&name),
        "{error} should name {name}"
    );
    error
}

#[test]
fn truncated_labels_report_expected_and_found_counts() {
    let mut bytes = valid_raw(StandardFile::TestLabels);
    bytes.truncate(bytes.len() - 3);
    let (dir, path) = dir_with(StandardFile::TestLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::Truncated {
                expected: 10,
                found: 7,
                kind: "labels",
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .ends_with("expected 10 labels, file holds 7"),
        "{error}"
    );
}

#[test]
fn truncated_images_count_only_complete_images() {
    let mut bytes = valid_raw(StandardFile::TrainImages);
    bytes.truncate(bytes.len() - common::ROWS * common::COLS - 1);
    let (dir, path) = dir_with(StandardFile::TrainImages, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::Truncated {
                expected: 30,
                found: 28,
                kind: "images",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn trailing_bytes_are_an_error() {
    let mut bytes = valid_raw(StandardFile::TrainLabels);
    bytes.extend_from_slice(&[0, 0]);
    let (dir, path) = dir_with(StandardFile::TrainLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::TrailingBytes {
                extra: 2,
                count: 30,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn wrong_magic_is_reported_with_both_numbers() {
    // An images file where the labels file should be.
    let bytes = valid_raw(StandardFile::TestImages);
    let (dir, path) = dir_with(StandardFile::TestLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::WrongMagic {
                expected: 2049,
                found: 2051,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn short_header_is_its_own_error() {
    let bytes = &valid_raw(StandardFile::TrainImages)[..10];
    let (dir, path) = dir_with(StandardFile::TrainImages, bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::TruncatedHeader {
                expected: 16,
                found: 10,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn zero_image_dimension_is_rejected() {
    let mut bytes = valid_raw(StandardFile::TrainImages);
    bytes[8..12].copy_from_slice(&0u32.to_be_bytes());
    let (dir, path) = dir_with(StandardFile::TrainImages, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::BadDimensions {
                rows: 0,
                cols: 4,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn header_claiming_billions_is_refused() {
    let mut bytes = valid_raw(StandardFile::TrainImages);
    bytes[4..8].copy_from_slice(&3_000_000_000u32.to_be_bytes());
    let (dir, path) = dir_with(StandardFile::TrainImages, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::TooLarge {
                claimed: 36_000_000_000,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn count_mismatch_names_both_files() {
    let short = common::dataset(9);
    let bytes = common::encode(StandardFile::TestLabels, &short, Encoding::Raw);
    let (dir, path) = dir_with(StandardFile::TestLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::CountMismatch {
                images: 10,
                labels: 9,
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error.to_string().contains("t10k-images-idx3-ubyte"),
        "{error}"
    );
}

#[test]
fn label_ten_is_out_of_range() {
    let mut bytes = valid_raw(StandardFile::TrainLabels);
    bytes[8 + 5] = 10;
    let (dir, path) = dir_with(StandardFile::TrainLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::LabelOutOfRange {
                index: 5,
                value: 10,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn garbage_after_a_gzip_header_is_bad_gzip() {
    let mut bytes = common::encode(
        StandardFile::TestImages,
        &common::dataset(10),
        Encoding::Gzip,
    );
    bytes.truncate(10); // keep the gzip header only
    bytes.extend_from_slice(b"this is not a deflate stream at all");
    let (dir, path) = dir_with(StandardFile::TestImages, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(matches!(error, MnistError::BadGzip { .. }), "{error}");
}

#[test]
fn gzip_with_a_wrong_crc_is_bad_gzip() {
    let mut bytes = common::encode(
        StandardFile::TestLabels,
        &common::dataset(10),
        Encoding::Gzip,
    );
    let crc_at = bytes.len() - 8; // trailer: CRC-32 then length
    bytes[crc_at] ^= 0xff;
    let (dir, path) = dir_with(StandardFile::TestLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(matches!(error, MnistError::BadGzip { .. }), "{error}");
}

#[test]
fn cut_gzip_stream_is_bad_gzip() {
    let mut bytes = common::encode(
        StandardFile::TrainImages,
        &common::dataset(30),
        Encoding::Gzip,
    );
    bytes.truncate(bytes.len() / 2);
    let (dir, path) = dir_with(StandardFile::TrainImages, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(matches!(error, MnistError::BadGzip { .. }), "{error}");
}

#[test]
fn empty_file_is_its_own_error() {
    let (dir, path) = dir_with(StandardFile::TrainLabels, &[]);
    let error = load_err(dir.path(), &path);
    assert!(matches!(error, MnistError::EmptyFile { .. }), "{error}");
}

#[test]
fn empty_gzip_stream_is_an_empty_file() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::flush(&mut encoder).unwrap();
    let bytes = encoder.finish().unwrap();
    let (dir, path) = dir_with(StandardFile::TrainLabels, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(matches!(error, MnistError::EmptyFile { .. }), "{error}");
}

#[test]
fn a_directory_in_place_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    common::write_dir(dir.path(), Encoding::Raw);
    let path = dir.path().join("t10k-images-idx3-ubyte");
    fs::remove_file(&path).unwrap();
    fs::create_dir(&path).unwrap();
    let error = load_err(dir.path(), &path);
    assert!(matches!(error, MnistError::NotAFile { .. }), "{error}");
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    common::write_dir(dir.path(), Encoding::Gzip);
    let path = dir.path().join("train-labels-idx1-ubyte.gz");
    fs::remove_file(&path).unwrap();
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::MissingFile {
                stem: "train-labels-idx1-ubyte",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn train_and_test_image_sizes_must_agree() {
    let wide = vaelab_mnist::Dataset::new(vec![0; 10 * 6], vec![0; 10], 2, 3).unwrap();
    let bytes = common::encode(StandardFile::TestImages, &wide, Encoding::Raw);
    let (dir, path) = dir_with(StandardFile::TestImages, &bytes);
    let error = load_err(dir.path(), &path);
    assert!(
        matches!(
            error,
            MnistError::ShapeMismatch {
                train_rows: 3,
                train_cols: 4,
                test_rows: 2,
                test_cols: 3,
                ..
            }
        ),
        "{error}"
    );
}
