//! Fixtures shared by the integration tests of the real `xtask` binary:
//! tiny IDX datasets written byte by byte (so that tests can corrupt them),
//! tiny suites, a way to run the binary, and a hash of a directory tree.
//!
//! The fixtures are not canonical MNIST, so every command that should get
//! past loading runs with `--no-verify`, which skips only the checksum check.

#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vaelab_mnist::Encoding;
use vaelab_mnist::idx::{write_images, write_labels};

/// Images per side of the fixtures.
pub const SIDE: usize = 28;
/// Training images in the fixture.
pub const TRAIN_IMAGES: usize = 60;
/// Test images in the fixture.
pub const TEST_IMAGES: usize = 80;

/// The canonical names of the four files, in the order train images, train
/// labels, test images, test labels.
pub const TRAIN_IMAGES_FILE: &str = "train-images-idx3-ubyte";
/// See [`TRAIN_IMAGES_FILE`].
pub const TRAIN_LABELS_FILE: &str = "train-labels-idx1-ubyte";
/// See [`TRAIN_IMAGES_FILE`].
pub const TEST_IMAGES_FILE: &str = "t10k-images-idx3-ubyte";
/// See [`TRAIN_IMAGES_FILE`].
pub const TEST_LABELS_FILE: &str = "t10k-labels-idx1-ubyte";

/// A small deterministic generator (xorshift64*), so that fixtures never
/// change and need no random-number crate.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

/// `count` images of `SIDE × SIDE` pixels and their labels (0–9, balanced):
/// a bar whose position and direction depend on the digit, plus a little
/// noise, so that training has something to learn.
pub fn images(count: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut pixels = Vec::with_capacity(count * SIDE * SIDE);
    let mut labels = Vec::with_capacity(count);
    for i in 0..count {
        let digit = (i * 7 + i / 10) % 10;
        let at = 4 + 2 * digit;
        for y in 0..SIDE {
            for x in 0..SIDE {
                let on = if digit % 2 == 0 { x } else { y };
                let ink = if on.abs_diff(at) <= 1 { 230 } else { 0 };
                let noise = if rng.between(0, 30) == 0 { 60 } else { 0 };
                pixels.push((ink + noise).min(255) as u8);
            }
        }
        labels.push(digit as u8);
    }
    (pixels, labels)
}

/// The bytes of an IDX images file.
pub fn images_file(pixels: &[u8], rows: usize, cols: usize, encoding: Encoding) -> Vec<u8> {
    let mut out = Vec::new();
    write_images(&mut out, encoding, pixels, rows, cols).unwrap();
    out
}

/// The bytes of an IDX labels file.
pub fn labels_file(labels: &[u8], encoding: Encoding) -> Vec<u8> {
    let mut out = Vec::new();
    write_labels(&mut out, encoding, labels).unwrap();
    out
}

/// Writes a valid raw dataset of [`TRAIN_IMAGES`] and [`TEST_IMAGES`]
/// images into `dir` (created if needed) and returns `dir`.
pub fn write_dataset(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for (images_name, labels_name, count, seed) in [
        (TRAIN_IMAGES_FILE, TRAIN_LABELS_FILE, TRAIN_IMAGES, 1),
        (TEST_IMAGES_FILE, TEST_LABELS_FILE, TEST_IMAGES, 2),
    ] {
        let (pixels, labels) = images(count, seed);
        let images = images_file(&pixels, SIDE, SIDE, Encoding::Raw);
        std::fs::write(dir.join(images_name), images).unwrap();
        std::fs::write(dir.join(labels_name), labels_file(&labels, Encoding::Raw)).unwrap();
    }
    dir.to_path_buf()
}

/// A suite of `runs` (each the body of a `[[runs]]` table) on the fixture,
/// with small defaults: 50 training images, 40 test and 40 classification
/// images, `iterations` updates and a cheap analysis.
pub fn suite(iterations: usize, runs: &[&str]) -> String {
    let mut text = format!(
        r#"name = "tiny"
dataset = "mnist"
description = "A suite of the xtask integration tests."

[defaults]
iterations = {iterations}
batch_size = 25
eval_every = 5
data = {{ train = 50, test = 40, classify = 40 }}
analysis = {{ reconstructions = 4, histogram_pixels = 2, histogram_bins = 5, grid_size = 3, interpolation_steps = 3, interpolation_pairs = 1, loglik_samples = 5, knn_k = 3 }}
"#
    );
    for run in runs {
        text.push_str("\n[[runs]]\n");
        text.push_str(run);
        text.push('\n');
    }
    text
}

/// A two-run suite that trains in well under a second each.
pub fn two_run_suite(iterations: usize) -> String {
    suite(
        iterations,
        &[
            "name = \"relu-z2\"\nactivation = \"relu\"",
            "name = \"sigmoid-z3\"\nlatent = 3\nseed = 4",
        ],
    )
}

/// A command for the real binary with a clean environment: no dataset
/// variables (so nothing is taken from the machine) and no backtraces.
pub fn xtask(args: &[&str], cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("MNIST_DIR")
        .env_remove("FASHION_MNIST_DIR")
        .env("RUST_BACKTRACE", "0");
    command
}

/// Runs the binary to completion.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    xtask(args, cwd).output().unwrap()
}

/// Text of a process's stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `reproduce` on the fixture in `data`, writing to `out`, with `extra`
/// arguments appended. Finished runs go to `<out>-runs` beside the report,
/// so that tests never share (or race on) the workspace's run store.
pub fn reproduce_args<'a>(suite: &'a str, data: &'a str, out: &'a str) -> Vec<&'a str> {
    // Leaked: a few bytes per call, for the life of a test process.
    let runs: &'static str = Box::leak(format!("{out}-runs").into_boxed_str());
    vec![
        "reproduce",
        "--suite",
        suite,
        "--data-dir",
        data,
        "--out",
        out,
        "--no-verify",
        "--runs-dir",
        runs,
    ]
}

/// The SHA-256 of every file under `dir`, by path relative to `dir`
/// (directories appear with an empty hash, so empty ones count too).
pub fn tree_hashes(dir: &Path) -> BTreeMap<String, String> {
    let mut hashes = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                pending.push(path);
                hashes.insert(format!("{relative}/"), String::new());
            } else {
                let bytes = std::fs::read(&path).unwrap();
                hashes.insert(relative, vaelab_mnist::sha256_hex(&bytes));
            }
        }
    }
    hashes
}

/// Names of the entries of `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
