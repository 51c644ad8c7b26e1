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
fn other_files_fail_the_fashion_table_raw_or_gzip() {
    for encoding in [Encoding::Raw, Encoding::Gzip] {
        let dir = tempfile::tempdir().unwrap();
        common::write_dir(dir.path(), encoding);
        let error = load_kind(dir.path(), DatasetKind::FashionMnist).unwrap_err();
        assert!(
            matches!(error, MnistError::ChecksumMismatch { ref file, algorithm, .. }
                if file.contains("train-images-idx3-ubyte") && algorithm.starts_with("SHA-256")),
            "{error}"
        );
    }
}

#[test]
fn either_digest_verifies_raw_recompressed_and_published_gz_files() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = common::write_dir(dir.path(), Encoding::Gzip);
    let sha = common::fixture_checksums(&train, &test);
    let md5_of = |f: StandardFile| md5_hex(&fs::read(dir.path().join(f.gz_name())).unwrap());
    let table = |sha_ok: bool| {
        Checksums::new(StandardFile::ALL.map(|f| Digest::Sha256OrMd5Gzip {
            sha256: if sha_ok {
                sha.get(f).hex().into()
            } else {
                "0".repeat(64)
            },
            md5_gzip: md5_of(f),
        }))
    };
    // The published .gz files verify by their MD5 alone.
    assert!(load_with(dir.path(), Some(&table(false))).unwrap().verified);
    // Recompressed (here: decompressed and stored raw) they verify by SHA-256.
    let raw = tempfile::tempdir().unwrap();
    common::write_dir(raw.path(), Encoding::Raw);
    assert!(load_with(raw.path(), Some(&table(true))).unwrap().verified);
    let error = load_with(raw.path(), Some(&table(false))).unwrap_err();
    assert!(
        matches!(error, MnistError::ChecksumMismatch { .. }),
        "{error}"
    );
}
