//! The synthetic study of the report's integration tests: stripe images of
//! ten classes, and a report written from a suite's results without a
//! command line.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use vaelab_mnist::{Dataset, Mnist};
use vaelab_report::{DataSource, Environment, Invocation, ReportInput, RunEntry, Written, write};
use vaelab_vae::{RunOutcome, Suite};

/// `n` images: class `c` lights the pixels of rows `2c..2c+2`, plus noise.
pub fn stripes(n: usize, seed: u64) -> Dataset {
    let mut state = seed | 1;
    let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
    let mut pixels = Vec::new();
    for &class in &labels {
        for p in 0..784 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let row = p / 28;
            let ink = if row / 2 == usize::from(class) {
                200
            } else {
                0
            };
            pixels.push(ink + (state % 40) as u8);
        }
    }
    Dataset::new(pixels, labels, 28, 28).unwrap()
}

/// 60 training and 80 test images of [`stripes`].
pub fn data() -> Mnist {
    Mnist {
        train: stripes(60, 1),
        test: stripes(80, 2),
        files: Default::default(),
        verified: false,
    }
}

/// Writes the report of `results` (one per run of `suite`) into
/// `<dir>/report` and returns that directory with what writing found.
pub fn write_report(
    suite: &Suite,
    results: &[vaelab_vae::Result<RunOutcome>],
    dir: &Path,
) -> (PathBuf, Written) {
    let out = dir.join("report");
    let input = ReportInput {
        suite,
        runs: suite
            .runs
            .iter()
            .zip(results)
            .map(|(c, r)| RunEntry::new(c, r))
            .collect(),
        invocation: Invocation::default(),
        data: DataSource {
            origin: "test".into(),
            verified: false,
        },
        environment: Environment::capture(dir, SystemTime::now(), 1),
        training_time: Duration::ZERO,
    };
    let written = write(&input, &out, 1).unwrap();
    (out, written)
}
