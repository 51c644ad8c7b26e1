//! Verification against checksum tables.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use vaelab_mnist::{
    Checksums, DatasetKind, Digest, Encoding, MnistError, StandardFile, load, load_kind, load_with,
    md5_hex,
};

#[test]
fn fixtures_fail_the_canonical_mnist_table_naming_the_first_file() {
    let dir = tempfile::tempdir().unwrap();
    common::write_dir(dir.path(), Encoding::Gzip);
    let error = load(dir.path()).unwrap_err();
    assert!(
        matches!(error, MnistError::ChecksumMismatch { ref file, .. } if file.ends_with("train-images-idx3-ubyte.gz")),
        "{error}"
    );
    // Opting out (a custom dataset) loads the same files.
    assert!(load_with(dir.path(), None).is_ok());
}

#[test]
fn a_matching_table_verifies_raw_and_gzip_alike() {
    for encoding in [Encoding::Raw, Encoding::Gzip] {
        let dir = tempfile::tempdir().unwrap();
        let (train, test) = common::write_dir(dir.path(), encoding);
        let table = common::fixture_checksums(&train, &test);
        let loaded = load_with(dir.path(), Some(&table)).unwrap();
        assert!(loaded.verified);
        assert_eq!(loaded.train, train);
    }
}

#[test]
fn one_changed_label_fails_naming_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = common::write_dir(dir.path(), Encoding::Raw);
    let table = common::fixture_checksums(&train, &test);
    let path = dir.path().join("t10k-labels-idx1-ubyte");
    let mut bytes = fs::read(&path).unwrap();
    bytes[8] = (bytes[8] + 1) % 10; // still a valid digit: only the checksum can notice
    fs::write(&path, bytes).unwrap();
    let error = load_with(dir.path(), Some(&table)).unwrap_err();
    match &error {
        MnistError::ChecksumMismatch {
            file,
            expected,
            actual,
            ..
        } => {
            assert!(file.ends_with("t10k-labels-idx1-ubyte"), "{error}");
            assert_eq!(expected, table.get(StandardFile::TestLabels).hex());
            assert_ne!(expected, actual);
        }
        other => panic!("expected a checksum mismatch, got {other}"),
    }
}

#[test]
fn md5_of_gzip_files_verifies_and_rejects() {
    let dir = tempfile::tempdir().unwrap();
    common::write_dir(dir.path(), Encoding::Gzip);
    let digests = StandardFile::ALL
        .map(|f| Digest::Md5Gzip(md5_hex(&fs::read(dir.path().join(f.gz_name())).unwrap())));
    let table = Checksums::new(digests.clone());
    assert!(load_with(dir.path(), Some(&table)).unwrap().verified);
    let mut wrong = digests;
    wrong[1] = Digest::Md5Gzip(md5_hex(b"something else"));
    let error = load_with(dir.path(), Some(&Checksums::new(wrong))).unwrap_err();
    assert!(
        matches!(error, MnistError::ChecksumMismatch { ref file, .. } if file.ends_with("train-labels-idx1-ubyte.gz")),
        "{error}"
    );
}

#[test]
fn uncompressed_fashion_files_are_unverifiable_not_silently_accepted() {
    let dir = tempfile::tempdir().unwrap();
    common::write_dir(dir.path(), Encoding::Raw);
    let error = load_kind(dir.path(), DatasetKind::FashionMnist).unwrap_err();
    assert!(matches!(error, MnistError::Unverifiable { .. }), "{error}");
}
