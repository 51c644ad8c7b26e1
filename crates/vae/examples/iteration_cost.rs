//! Trains one configuration of the default suite, then analyses it, on a
//! small cached slice of MNIST: for counting instructions per training
//! iteration under callgrind without decompressing 70 000 images there.
//!
//! `MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-vae --example iteration_cost -- relu-z20-ce 20 [analyse]`
//!
//! The first run writes the slice (the first 100 training and 1 100 test
//! images) to `$CACHE` (default `/tmp/vaelab-iteration-cost.bin`); later
//! runs read it. Under callgrind, `--toggle-collect='*train_here*'` counts
//! the training loop alone: the difference between two iteration counts,
//! divided by the difference, is the cost of one iteration.

use std::path::{Path, PathBuf};

use vaelab_mnist::{Dataset, Mnist};
use vaelab_vae::{StudyData, Suite, analyse, train};

const TRAIN: usize = 100;
const TEST: usize = 1100;

fn cached(cache: &Path) -> Result<Mnist, Box<dyn std::error::Error>> {
    let bytes = match std::fs::read(cache) {
        Ok(bytes) => bytes,
        Err(_) => {
            let dir = PathBuf::from(
                std::env::var("MNIST_DIR").map_err(|_| "set MNIST_DIR to the MNIST directory")?,
            );
            let data = vaelab_mnist::load(&dir)?;
            let mut bytes = Vec::new();
            bytes.extend_from_slice(&data.train.pixels()[..TRAIN * 784]);
            bytes.extend_from_slice(&data.train.labels()[..TRAIN]);
            bytes.extend_from_slice(&data.test.pixels()[..TEST * 784]);
            bytes.extend_from_slice(&data.test.labels()[..TEST]);
            std::fs::write(cache, &bytes)?;
            bytes
        }
    };
    let (train_pixels, rest) = bytes.split_at(TRAIN * 784);
    let (train_labels, rest) = rest.split_at(TRAIN);
    let (test_pixels, test_labels) = rest.split_at(TEST * 784);
    Ok(Mnist {
        train: Dataset::new(train_pixels.to_vec(), train_labels.to_vec(), 28, 28)?,
        test: Dataset::new(test_pixels.to_vec(), test_labels.to_vec(), 28, 28)?,
        files: Default::default(),
        verified: false,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "relu-z20-ce".into());
    let iterations: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let also_analyse = std::env::args().nth(3).as_deref() == Some("analyse");
    let cache = std::env::var("CACHE").unwrap_or_else(|_| "/tmp/vaelab-iteration-cost.bin".into());
    let data = cached(Path::new(&cache))?;
    let suite_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../xtask/suites/seed-study.toml"
    );
    let mut suite = Suite::load(Path::new(suite_path))?;
    suite.select(&name)?;
    suite.override_all(Some(iterations), None)?;
    let config = suite.runs.first().ok_or("no such run")?;
    let study = StudyData::select(&data, &config.data, config.seed, &config.name)?;
    let trained = train(config, &study, &mut |_| {})?;
    let last = trained.history.last().ok_or("no record")?;
    println!(
        "{name}: {iterations} iterations, train CE {:.6}, test CE {:.6}, {:.3} s",
        last.train.ce,
        last.test.ce,
        trained.elapsed.as_secs_f64()
    );
    if also_analyse {
        let analysis = analyse(&trained.model, &study, config)?;
        println!(
            "log-likelihood {:.6}, kNN {:.4}",
            analysis.metrics.test_log_likelihood, analysis.metrics.knn_accuracy
        );
    }
    Ok(())
}
