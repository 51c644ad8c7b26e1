//! Trains runs of the default suite briefly on real MNIST and writes their
//! latent explorer: a page to open from disk and drag points around in.
//!
//! `MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-report --example explorer_demo -- explorer.html 'relu-z*-ce'`
//! (`ITERS=N` sets the iterations, 500 by default.)
//!
//! It also shows how a trained `vaelab_vae::Vae` becomes an
//! [`ExplorerRun`]: its decoder's affine layers with the activation that
//! follows each, weights as stored, and a sigmoid on the logits.

use std::path::{Path, PathBuf};

use vaelab_metrics::Pca2;
use vaelab_nn::{Activation as NnActivation, Layer};
use vaelab_report::explorer::{
    self, Activation, DenseLayer, ExplorerRun, LatentPoint, Output, PcaPlane,
};
use vaelab_vae::{Suite, Vae, run_one};

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
    suite.override_all(Some(iterations.unwrap_or(500)), None)?;
    let data = vaelab_mnist::load(Path::new(&dir))?;

    let mut runs = Vec::new();
    for config in &suite.runs {
        eprintln!(
            "training {} for {} iterations",
            config.name, config.iterations
        );
        let outcome = run_one(config, &data, &mut |_| {})?;
        let labels = &outcome.analysis.scatter.labels;
        runs.push(explorer_run(
            &config.name,
            &outcome.model,
            &outcome.analysis.classify_mu,
            labels,
        )?);
    }
    let html = explorer::page("vaelab latent explorer (demo)", &runs)?;
    std::fs::write(&out, html)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// The explorer's data for a trained model and its classification means.
fn explorer_run(
    name: &str,
    vae: &Vae,
    mus: &[f32],
    labels: &[u8],
) -> Result<ExplorerRun, Box<dyn std::error::Error>> {
    let mut decoder: Vec<DenseLayer> = Vec::new();
    for layer in vae.parts()[3].layers() {
        match layer {
            Layer::Affine(a) => decoder.push(DenseLayer {
                inputs: a.inputs(),
                outputs: a.outputs(),
                // Column-major `inputs × outputs` is row-major `outputs × inputs`.
                weights: a.weight.value().as_slice().to_vec(),
                bias: a.bias.value().as_slice().to_vec(),
                activation: Activation::Identity,
            }),
            Layer::Act(act) => {
                let last = decoder
                    .last_mut()
                    .ok_or("the decoder starts with an activation")?;
                last.activation = match act {
                    NnActivation::Relu => Activation::Relu,
                    NnActivation::Sigmoid => Activation::Sigmoid,
                    NnActivation::Tanh => Activation::Tanh,
                    NnActivation::Identity => Activation::Identity,
                };
            }
        }
    }
    let d = vae.latent();
    let points = mus
        .chunks_exact(d)
        .zip(labels)
        .map(|(mu, &label)| LatentPoint {
            mu: mu.to_vec(),
            label,
        })
        .collect();
    let pca = if d == 2 {
        None
    } else {
        let fit = Pca2::fit(mus, labels.len(), d)?;
        let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        Some(PcaPlane {
            mean: f32s(&fit.mean),
            components: [f32s(&fit.components[0]), f32s(&fit.components[1])],
        })
    };
    Ok(ExplorerRun {
        name: name.into(),
        latent_dim: d,
        decoder,
        output: Output::Sigmoid,
        points,
        pca,
    })
}
