//! Writes the seed corpora into `fuzz/seeds/<target>/`: a few tiny valid IDX
//! files (raw and gzip, written by the library's own writer) and suite files
//! (the default suite and variations, grids and seeds included). Run from `fuzz/`:
//! `cargo run --example seeds`. The files are small enough to commit.

use std::fs;
use std::path::Path;

use vaelab_mnist::Encoding;
use vaelab_mnist::idx::{read_images, read_labels, write_images, write_labels};
use vaelab_vae::Suite;

/// Images as (name, rows, cols, count): tiny dimensions keep each file a
/// few dozen bytes, and a zero count and a non-square shape cover edges.
const IMAGE_SHAPES: [(&str, usize, usize, usize); 4] = [
    ("one-1x1", 1, 1, 1),
    ("three-2x2", 2, 2, 3),
    ("two-3x5", 3, 5, 2),
    ("none-4x4", 4, 4, 0),
];

const LABEL_SETS: [(&str, &[u8]); 3] = [
    ("digits", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    ("one", &[7]),
    ("none", &[]),
];

const MINIMAL_SUITE: &str = "name = \"minimal\"\n[[runs]]\nname = \"a\"\n";

const NESTED_SUITE: &str = r#"name = "nested"
dataset = "fashion-mnist"
description = "defaults merged key by key"

[defaults]
iterations = 5
adam = { lr = 0.01 }
data = { train = 10, selection = "balanced", binarize = "dynamic" }

[[runs]]
name = "a"
batch_size = 10
init = "xavier-uniform"

[[runs]]
name = "b.2"
latent = 20
head = "gaussian"
objective = "sse"
activation = "tanh"
beta = 0.5
batch_size = 5
init = "gaussian:0.05"
adam = { beta1 = 0.5 }

[runs.analysis]
grid_size = 2
grid_extent = 1.5
knn_k = 1
"#;

const GRID_SUITE: &str = r#"name = "grid"

[defaults]
iterations = 5
seeds = [0, 1]

[[runs]]
name = "single"
seed = 3

[[grid]]
name = "{activation}-z{latent}"
activation = ["sigmoid", "relu"]
latent = [2, 20]

[[grid]]
adam.lr = [0.001, 0.01]
init = ["xavier-uniform", { gaussian = { std = 0.1 } }]
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let (images, labels, suite) = (
        seeds.join("idx_images"),
        seeds.join("idx_labels"),
        seeds.join("suite"),
    );
    for dir in [&images, &labels, &suite] {
        fs::create_dir_all(dir)?;
    }
    let encodings = [(Encoding::Raw, "idx"), (Encoding::Gzip, "idx.gz")];
    for (name, rows, cols, count) in IMAGE_SHAPES {
        // Distinct, non-constant pixel values, so that mutations of the
        // payload are visible in the round-trip check.
        let pixels: Vec<u8> = (0..rows * cols * count)
            .map(|i| (i * 37 % 256) as u8)
            .collect();
        for (encoding, ext) in encodings {
            let mut out = Vec::new();
            write_images(&mut out, encoding, &pixels, rows, cols)?;
            // A seed the reader rejects would only teach the fuzzer errors.
            assert_eq!(read_images(out.as_slice(), name)?.pixels, pixels);
            fs::write(images.join(format!("{name}.{ext}")), out)?;
        }
    }
    for (name, values) in LABEL_SETS {
        for (encoding, ext) in encodings {
            let mut out = Vec::new();
            write_labels(&mut out, encoding, values)?;
            assert_eq!(read_labels(out.as_slice(), name)?, values);
            fs::write(labels.join(format!("{name}.{ext}")), out)?;
        }
    }
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/suites/seed-study.toml");
    fs::copy(study, suite.join("seed-study.toml"))?;
    fs::write(suite.join("minimal.toml"), MINIMAL_SUITE)?;
    fs::write(suite.join("nested.toml"), NESTED_SUITE)?;
    fs::write(suite.join("grid.toml"), GRID_SUITE)?;
    for entry in fs::read_dir(&suite)? {
        let path = entry?.path();
        Suite::load(&path)?;
    }
    println!("seeds written to {}", seeds.display());
    Ok(())
}
