//! Trains runs of the default suite on real MNIST and prints their numbers,
//! without drawing a report: for timing and for comparing with the PyTorch peer.
//!
//! `MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-vae --example train_one -- 'relu-z20-ce' [jobs]`
//! (`ITERS=N` overrides the iteration count.)

use std::path::{Path, PathBuf};
use std::time::Instant;

use vaelab_vae::{Suite, run_suite};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pattern = std::env::args().nth(1).unwrap_or_else(|| "*".into());
    let jobs = std::env::args()
        .nth(2)
        .and_then(|j| j.parse().ok())
        .unwrap_or(1);
    let dir = PathBuf::from(
        std::env::var("MNIST_DIR").map_err(|_| "set MNIST_DIR to the MNIST directory")?,
    );
    let suite_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../xtask/suites/seed-study.toml"
    );
    let mut suite = Suite::load(Path::new(suite_path))?;
    suite.select(&pattern)?;
    let iterations = std::env::var("ITERS").ok().and_then(|s| s.parse().ok());
    // The first seed only: one run per configuration.
    suite.override_all(iterations, Some(0))?;
    let data = vaelab_mnist::load(&dir)?;
    let start = Instant::now();
    let results = run_suite(&suite.runs, &data, jobs, &|_, _| {});
    let wall = start.elapsed();
    for (config, result) in suite.runs.iter().zip(results) {
        let run = result?;
        let m = &run.analysis.metrics;
        println!(
            "{:22} {:.2} ms/it, train {:5.2} s, total {:5.2} s | CE train {:6.2} test {:6.2} | KL {:8.5} | LL {:7.2} | kNN {:.3} | active {}",
            config.name,
            run.train_time.as_secs_f64() * 1e3 / config.iterations as f64,
            run.train_time.as_secs_f64(),
            run.total_time.as_secs_f64(),
            m.train.ce,
            m.test.ce,
            m.test.kl,
            m.test_log_likelihood,
            m.knn_accuracy,
            m.active_units
        );
    }
    println!(
        "wall {:.2} s for {} runs on {jobs} threads",
        wall.as_secs_f64(),
        suite.runs.len()
    );
    Ok(())
}
