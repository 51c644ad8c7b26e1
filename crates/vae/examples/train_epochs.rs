//! Trains one run of a suite on real MNIST, with no analysis, printing an
//! epoch log and one JSON line at the end: for timing the epoch-based suites
//! (and comparing with `bench/torch_vae.py`).
//!
//! `MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-vae --example train_epochs -- [SUITE] [RUN] [THREADS]`
//!
//! SUITE defaults to `xtask/suites/pytorch-example.toml`, RUN to its first
//! run, THREADS (threads of the run's matrix products) to 2.

use std::path::{Path, PathBuf};

use vaelab_vae::{StudyData, Suite, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let suite_path = args.first().cloned().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../xtask/suites/pytorch-example.toml"
        )
        .into()
    });
    let mut suite = Suite::load(Path::new(&suite_path))?;
    if let Some(pattern) = args.get(1) {
        suite.select(pattern)?;
    }
    let threads: usize = match args.get(2) {
        Some(t) => t
            .parse()
            .map_err(|_| format!("THREADS = {t:?} is not a number"))?,
        None => 2,
    };
    let dir = PathBuf::from(
        std::env::var("MNIST_DIR").map_err(|_| "set MNIST_DIR to the MNIST directory")?,
    );
    let mut config = suite.runs.first().ok_or("the suite has no runs")?.clone();
    config.threads = threads;
    let data = vaelab_mnist::load(&dir)?;
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name)?;
    let mut epochs = Vec::new();
    let trained = train(&config, &sets, &mut |p| {
        if let Some(e) = p.epoch {
            let test = p.record.map_or(f64::NAN, |r| r.test.ce + r.test.kl);
            println!(
                "epoch {:>3}/{}: train loss {:8.3}  test loss {:8.3}  {:6.3} s  (+{:.3} s evaluation)",
                e.epoch, e.epochs, e.train_loss, test, e.seconds, e.eval_seconds
            );
            epochs.push(format!(
                "{{\"epoch\":{},\"train_loss\":{:.4},\"test_loss\":{:.4},\"seconds\":{:.4},\"eval_seconds\":{:.4}}}",
                e.epoch, e.train_loss, test, e.seconds, e.eval_seconds
            ));
        }
    })?;
    let per_iteration = trained.elapsed.as_secs_f64() * 1e3 / config.iterations as f64;
    println!(
        "{{\"side\":\"vaelab\",\"run\":\"{}\",\"threads\":{threads},\"iterations\":{},\"ms_per_iteration_with_eval\":{per_iteration:.4},\"seconds\":{:.3},\"epochs\":[{}]}}",
        config.name,
        config.iterations,
        trained.elapsed.as_secs_f64(),
        epochs.join(",")
    );
    Ok(())
}
