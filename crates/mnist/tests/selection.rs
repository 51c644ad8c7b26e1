//! Subsets: by range, seeded random sample, and class-balanced sample.

#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use vaelab_mnist::{Dataset, MnistError};

/// `n` 1×2 images whose two pixels spell the index (high byte, low byte),
/// so every selected image can be traced back. Labels follow `i % 10`
/// except that class 9 is rare (every 9 becomes a 0 after the first 20).
fn indexed(n: usize) -> Dataset {
    let pixels = (0..n)
        .flat_map(|i| [(i / 256) as u8, (i % 256) as u8])
        .collect();
    let labels = (0..n)
        .map(|i| {
            if i % 10 == 9 && i >= 20 {
                0
            } else {
                (i % 10) as u8
            }
        })
        .collect();
    Dataset::new(pixels, labels, 1, 2).unwrap()
}

/// The original index of every image in `part`, checking its label still fits.
fn origins(part: &Dataset, whole: &Dataset) -> Vec<usize> {
    (0..part.len())
        .map(|j| {
            let image = part.image(j);
            let i = usize::from(image[0]) * 256 + usize::from(image[1]);
            assert_eq!(
                part.label(j),
                whole.label(i),
                "label travelled with its image"
            );
            i
        })
        .collect()
}

#[test]
fn range_selects_exactly_that_range() {
    let whole = indexed(300);
    let part = whole.select_range(250..300).unwrap();
    assert_eq!(origins(&part, &whole), (250..300).collect::<Vec<_>>());
    assert!(whole.select_range(0..0).unwrap().is_empty());
    assert!(matches!(
        whole.select_range(299..301),
        Err(MnistError::InvalidSelection { .. })
    ));
}

#[test]
fn random_sample_has_k_distinct_images_and_depends_only_on_the_seed() {
    let whole = indexed(1000);
    let a = whole.select_random(100, 7).unwrap();
    let b = whole.select_random(100, 7).unwrap();
    let c = whole.select_random(100, 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let picked = origins(&a, &whole);
    assert_eq!(picked.iter().collect::<HashSet<_>>().len(), 100);
    assert!(
        picked.windows(2).all(|w| w[0] < w[1]),
        "kept in original order"
    );
    assert_eq!(whole.select_random(1000, 1).unwrap(), whole);
    assert!(matches!(
        whole.select_random(1001, 1),
        Err(MnistError::InvalidSelection { .. })
    ));
}

#[test]
fn random_sample_covers_the_whole_range() {
    // Over many seeds every index gets picked at least once; a sampler stuck
    // at the front (or the back) would fail this.
    let whole = indexed(50);
    let mut seen = HashSet::new();
    for seed in 0..200 {
        seen.extend(origins(&whole.select_random(5, seed).unwrap(), &whole));
    }
    assert_eq!(seen.len(), 50);
}

#[test]
fn balanced_sample_has_k_of_every_class() {
    let whole = indexed(1000);
    // Class 9 has only 2 images (9 and 19); the others about 100 or more.
    assert_eq!(whole.class_counts()[9], 2);
    let part = whole.select_balanced(2, 11).unwrap();
    assert_eq!(part.class_counts(), [2; 10]);
    assert_eq!(part, whole.select_balanced(2, 11).unwrap());
    assert_ne!(part, whole.select_balanced(2, 12).unwrap());
    let picked = origins(&part, &whole);
    assert_eq!(picked.iter().collect::<HashSet<_>>().len(), 20);
    assert!(
        picked.contains(&9) && picked.contains(&19),
        "the only two nines"
    );
}

#[test]
fn balanced_sample_fails_naming_the_short_class() {
    let error = indexed(1000).select_balanced(3, 0).unwrap_err();
    assert!(matches!(error, MnistError::InvalidSelection { .. }));
    assert!(error.to_string().contains("class 9"), "{error}");
}

#[test]
fn select_indices_rejects_out_of_range() {
    let whole = indexed(10);
    assert_eq!(
        origins(&whole.select_indices(&[3, 3, 0]).unwrap(), &whole),
        [3, 3, 0]
    );
    assert!(matches!(
        whole.select_indices(&[10]),
        Err(MnistError::InvalidSelection { .. })
    ));
}
