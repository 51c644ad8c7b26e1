//! Trains runs of the default suite briefly on real MNIST and writes their
//! latent explorer: a page to open from disk and drag points around in.
//!
//! `MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-report --example explorer_demo -- explorer.html 'relu-z*-ce'`
//! (`ITERS=N` sets the iterations, 500 by default.)
//!
//! `explorer::from_vae` turns each trained `vaelab_vae::Vae` and its
//! classification means into the page's data; the report does the same for
//! every successful run (`explorer.html`).

use std::path::{Path, PathBuf};

use vaelab_report::explorer;
use vaelab_vae::{Suite, run_one};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or("explorer.html".into()));
    let pattern = std::env::args().nth(2).unwrap_or("relu-z*-ce".into());
    let dir = std::env::var("MNIST_DIR").map_err(|_| "set MNIST_DIR to the MNIST directory")?;
    let suite_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../xtask/suites/seed-study.toml"
    );
    let mut suite = Suite::load(Path::new(suite_path))?;
    suite.select(&pattern)?;
    let iterations = std::env::var("ITERS").ok().and_then(|s| s.parse().ok());
    // The first seed only: one run per configuration.
    suite.override_all(Some(iterations.unwrap_or(500)), Some(0))?;
    let data = vaelab_mnist::load(Path::new(&dir))?;

    let mut runs = Vec::new();
    for config in &suite.runs {
        eprintln!(
            "training {} for {} iterations",
            config.name, config.iterations
        );
        let outcome = run_one(config, &data, &mut |_| {})?;
        let labels = &outcome.analysis.scatter.labels;
        runs.push(explorer::from_vae(
            &config.name,
            &outcome.model,
            &outcome.analysis.classify_mu,
            labels,
            None,
        )?);
    }
    let html = explorer::page(
        "vaelab latent explorer (demo)",
        "vaelab 潜在空間エクスプローラー（デモ）",
        &runs,
    )?;
    std::fs::write(&out, html)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
