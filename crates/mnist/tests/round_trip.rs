//! Writing fixtures with the crate's writer and reading them back, raw and gzip.

#![allow(clippy::unwrap_used)]

mod common;

use vaelab_mnist::idx::{read_images, read_labels};
use vaelab_mnist::{Encoding, StandardFile, load_with};

#[test]
fn directory_round_trip_raw_and_gzip() {
    for encoding in [Encoding::Raw, Encoding::Gzip] {
        let dir = tempfile::tempdir().unwrap();
        let (train, test) = common::write_dir(dir.path(), encoding);
        let loaded = load_with(dir.path(), None).unwrap();
        assert_eq!(loaded.train, train, "{encoding:?}");
        assert_eq!(loaded.test, test, "{encoding:?}");
        assert!(!loaded.verified);
        let expected_name = match encoding {
            Encoding::Raw => "t10k-labels-idx1-ubyte",
            Encoding::Gzip => "t10k-labels-idx1-ubyte.gz",
        };
        assert!(loaded.files[3].ends_with(expected_name));
        // Only the four files are left: the atomic writer cleaned up its temporaries.
        assert_eq!(common::entries(dir.path()).len(), 4);
    }
}

#[test]
fn reader_round_trip_keeps_shape_and_bytes() {
    let data = common::dataset(13);
    for encoding in [Encoding::Raw, Encoding::Gzip] {
        let images_bytes = common::encode(StandardFile::TrainImages, &data, encoding);
        let images = read_images(images_bytes.as_slice(), "images").unwrap();
        assert_eq!(
            (images.count, images.rows, images.cols),
            (13, common::ROWS, common::COLS)
        );
        assert_eq!(images.pixels, data.pixels());
        let labels_bytes = common::encode(StandardFile::TrainLabels, &data, encoding);
        assert_eq!(
            read_labels(labels_bytes.as_slice(), "labels").unwrap(),
            data.labels()
        );
    }
}

#[test]
fn gzip_is_detected_by_content_not_by_name() {
    // Gzip bytes under the plain name and plain bytes under the .gz name.
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = common::write_dir(dir.path(), Encoding::Raw);
    let plain = dir.path().join("train-images-idx3-ubyte");
    std::fs::write(
        &plain,
        common::encode(StandardFile::TrainImages, &train, Encoding::Gzip),
    )
    .unwrap();
    let labels = dir.path().join("t10k-labels-idx1-ubyte");
    std::fs::rename(&labels, dir.path().join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let loaded = load_with(dir.path(), None).unwrap();
    assert_eq!(loaded.train, train);
    assert_eq!(loaded.test, test);
}

#[test]
fn an_empty_dataset_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let empty = common::dataset(0);
    for split in [vaelab_mnist::Split::Train, vaelab_mnist::Split::Test] {
        vaelab_mnist::save_split(dir.path(), split, &empty, Encoding::Gzip).unwrap();
    }
    let loaded = load_with(dir.path(), None).unwrap();
    assert!(loaded.train.is_empty() && loaded.test.is_empty());
    assert_eq!(
        (loaded.train.rows(), loaded.train.cols()),
        (common::ROWS, common::COLS)
    );
}
