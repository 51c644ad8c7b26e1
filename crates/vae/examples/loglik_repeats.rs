//! How far the log-likelihood estimate moves between independent repeats,
//! beside the standard errors it prints: the check behind
//! [`vaelab_vae::likelihood::LogLikelihood::standard_error`].
//!
//! `MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-vae --example loglik_repeats -- RUN_DIR [R] [K]`
//!
//! `RUN_DIR` is a run directory of the run store (`--runs-dir`), e.g.
//! `target/vaelab-runs/seed-study/relu-z20-gaussian`. The estimate is
//! repeated R times (default 20) with K samples per image (default: the
//! run's), each with noise from its own seed; the first repeat is the
//! report's. Printed: each repeat's estimate, its printed and delta-method
//! errors and median ESS, then the spread of the R estimates.

use std::path::PathBuf;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use vaelab_vae::StudyData;
use vaelab_vae::likelihood::{IMAGE_CHUNK, SAMPLE_BLOCK, estimates, summarise};
use vaelab_vae::rng::{Stream, stream};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let run_dir = PathBuf::from(args.next().ok_or("usage: loglik_repeats RUN_DIR [R] [K]")?);
    let repeats: usize = args.next().map_or(Ok(20), |s| s.parse())?;
    let dir = PathBuf::from(
        std::env::var("MNIST_DIR").map_err(|_| "set MNIST_DIR to the MNIST directory")?,
    );
    let (config, model) = vaelab_vae::checkpoint::load(&run_dir.join("model.safetensors"))?;
    let samples: usize = args
        .next()
        .map_or(Ok(config.analysis.loglik_samples), |s| s.parse())?;
    let data = vaelab_mnist::load(&dir)?;
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name)?;
    let mut means = Vec::new();
    for r in 0..repeats {
        let mut rng = if r == 0 {
            stream(config.seed, Stream::Analysis)
        } else {
            let mut rng = ChaCha8Rng::seed_from_u64(1_000_003 * r as u64 + config.seed);
            rng.set_stream(Stream::Analysis as u64);
            rng
        };
        let per_image = estimates(
            &model,
            &sets.test,
            samples,
            &mut rng,
            IMAGE_CHUNK,
            SAMPLE_BLOCK,
        );
        let l = summarise(&per_image, samples);
        println!(
            "repeat {r:2}: {:.3} ± {:.3} (printed) ± {:.3} (delta), median ESS {:.1}",
            l.mean,
            l.standard_error.unwrap_or(f64::NAN),
            l.delta_standard_error.unwrap_or(f64::NAN),
            l.effective_samples
        );
        means.push(l.mean);
    }
    let n = means.len() as f64;
    let mean = means.iter().sum::<f64>() / n;
    let sd = (means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let (lo, hi) = means
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &m| {
            (a.min(m), b.max(m))
        });
    println!(
        "{}: K = {samples}, {repeats} repeats: mean {mean:.3}, sd {sd:.3}, range {lo:.3} … {hi:.3}",
        config.name
    );
    Ok(())
}
