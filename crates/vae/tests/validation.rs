//! The validation set: taken from the training file, disjoint from the
//! training set (and from a classification set drawn from the same file)
//! under every selection mode, sized by `data.validation`, and evaluated at
//! every record without moving a single training or test number.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;

use vaelab_vae::{ImageSet, Selection, Source, StudyData, train};

fn images(set: &ImageSet) -> HashSet<Vec<u8>> {
    (0..set.len()).map(|i| set.bytes(i).to_vec()).collect()
}

#[test]
fn validation_is_disjoint_under_every_selection() {
    let data = common::data(); // 200 training images, each unique (noise)
    for selection in [Selection::First, Selection::Random, Selection::Balanced] {
        for from in [Source::Test, Source::Train] {
            let mut c = common::tiny("v");
            c.data.train = 40;
            c.data.validation = Some(50);
            c.data.classify = 60;
            c.data.selection = selection;
            c.data.classify_from = from;
            let sets = StudyData::select(&data, &c.data, 3, "v").unwrap();
            let what = format!("{selection:?}, classify from {from:?}");
            assert_eq!(sets.validation.len(), 50, "{what}");
            let v = images(&sets.validation);
            assert_eq!(v.len(), 50, "{what}: repeated images");
            assert!(
                v.is_disjoint(&images(&sets.train)),
                "{what}: shares training images"
            );
            if from == Source::Train {
                assert!(
                    v.is_disjoint(&images(&sets.classify)),
                    "{what}: shares classification images"
                );
            }
            if selection == Selection::First && from == Source::Test {
                // Right after the training images: file images 40..90.
                for k in 0..50 {
                    assert_eq!(sets.validation.bytes(k), data.train.image(40 + k), "{what}");
                }
            }
        }
    }
}

#[test]
fn classification_images_know_their_place_in_the_training_set() {
    let data = common::data(); // 200 unique training images
    for selection in [Selection::First, Selection::Random, Selection::Balanced] {
        let mut c = common::tiny("k");
        c.data.train = 150;
        c.data.validation = Some(0);
        c.data.classify = 100;
        c.data.selection = selection;
        c.data.classify_from = Source::Train;
        let sets = StudyData::select(&data, &c.data, 5, "k").unwrap();
        let mut shared = 0;
        for (q, own) in sets.classify_in_train.iter().enumerate() {
            match own {
                Some(at) => {
                    assert_eq!(
                        sets.classify.bytes(q),
                        sets.train.bytes(*at),
                        "{selection:?}"
                    );
                    shared += 1;
                }
                None => assert!(
                    !images(&sets.train).contains(sets.classify.bytes(q)),
                    "{selection:?}: image {q} is a training image with no position"
                ),
            }
        }
        // 150 of 200 images train: at least 50 of the 100 are shared.
        assert!(shared >= 50, "{selection:?}: {shared}");
        // From the test file, nothing is shared.
        c.data.classify_from = Source::Test;
        let sets = StudyData::select(&data, &c.data, 5, "k").unwrap();
        assert!(sets.classify_in_train.iter().all(Option::is_none));
        assert_eq!(sets.classify_in_train.len(), sets.classify.len());
    }
}

#[test]
fn the_default_takes_what_is_left_and_an_explicit_count_is_exact() {
    let data = common::data();
    let mut c = common::tiny("v");
    c.data.train = 150;
    assert_eq!(c.data.validation, None);
    let sets = StudyData::select(&data, &c.data, 0, "v").unwrap();
    assert_eq!(sets.validation.len(), 50, "100 by default, 50 left");
    c.data.train = 200;
    c.batch_size = 40;
    assert!(
        StudyData::select(&data, &c.data, 0, "v")
            .unwrap()
            .validation
            .is_empty()
    );
    c.data.train = 150;
    c.data.validation = Some(100);
    let error = StudyData::select(&data, &c.data, 0, "v")
        .unwrap_err()
        .to_string();
    assert!(error.contains("data.validation = 100"), "{error}");
}

#[test]
fn evaluating_validation_changes_no_training_or_test_number() {
    let data = common::data();
    let mut with = common::tiny("v");
    with.data.validation = Some(30);
    let mut without = with.clone();
    without.data.validation = Some(0);
    let run = |c: &vaelab_vae::RunConfig| {
        let sets = StudyData::select(&data, &c.data, c.seed, &c.name).unwrap();
        train(c, &sets, &mut |_| {}).unwrap()
    };
    let (a, b) = (run(&with), run(&without));
    assert_eq!(a.history.len(), b.history.len());
    for (x, y) in a.history.iter().zip(&b.history) {
        assert_eq!(
            (x.iteration, x.train, x.test),
            (y.iteration, y.train, y.test)
        );
        assert!(x.validation.is_some_and(|v| v.is_finite()));
        assert_eq!(y.validation, None);
    }
    assert_eq!(a.model.named_params().len(), b.model.named_params().len());
    for ((_, p), (_, q)) in a
        .model
        .named_params()
        .iter()
        .zip(b.model.named_params().iter())
    {
        assert_eq!(p.value(), q.value());
    }
}
