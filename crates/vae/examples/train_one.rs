//! Trains one run of the default suite on real MNIST and prints its numbers.
//!
//! `MNIST_DIR=../shared/data/mnist cargo run --release -p vaelab-vae --example train_one -- relu-z20-ce`

use std::path::PathBuf;

use vaelab_vae::{Suite, run_one};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "relu-z20-ce".into());
    let dir = PathBuf::from(
        std::env::var("MNIST_DIR").map_err(|_| "set MNIST_DIR to the MNIST directory")?,
    );
    let suite_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../xtask/suites/seed-study.toml"
    );
    let mut suite = Suite::load(std::path::Path::new(suite_path))?;
    suite.select(&name)?;
    let data = vaelab_mnist::load(&dir)?;
    let iters: Option<usize> = std::env::var("ITERS").ok().and_then(|s| s.parse().ok());
    suite.override_all(iters, None)?;
    for config in &suite.runs {
        let run = run_one(config, &data, &mut |_| {})?;
        let m = &run.analysis.metrics;
        println!(
            "{}: train {:.1} ms/iteration ({:.2} s), total {:.2} s; train CE {:.2} test CE {:.2} KL {:.4} | LL {:.2} kNN {:.3} active {}",
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
    Ok(())
}
