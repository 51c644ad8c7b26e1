//! A trained `vaelab_vae::Vae` as the explorer's plain data: its decoder's
//! affine layers with the activation that follows each (weights as stored),
//! a sigmoid on the logits, and the classification set's means with their
//! PCA plane when d > 2.

use vaelab_metrics::Pca2;
use vaelab_nn::{Activation as NnActivation, Layer};
use vaelab_vae::Vae;

use super::{
    Activation, DenseLayer, ExplorerError, ExplorerRun, LatentPoint, Output, PcaPlane, Result,
};

/// The explorer's run `name` for `vae`, with one point per classification
/// image: `mus` is row-major `labels.len() × d`. `note` is shown after the
/// name in the run selector (e.g. "collapsed").
pub fn from_vae(
    name: &str,
    vae: &Vae,
    mus: &[f32],
    labels: &[u8],
    note: Option<String>,
) -> Result<ExplorerRun> {
    let invalid = |problem: String| ExplorerError::Invalid {
        run: name.to_string(),
        problem,
    };
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
                    .ok_or_else(|| invalid("the decoder starts with an activation".into()))?;
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
    if mus.len() != labels.len() * d {
        return Err(invalid(format!(
            "{} latent values for {} labels of dimension {d}",
            mus.len(),
            labels.len()
        )));
    }
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
        let fit = Pca2::fit(mus, labels.len(), d)
            .map_err(|e| invalid(format!("no PCA plane of the means: {e}")))?;
        let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        Some(PcaPlane {
            mean: f32s(&fit.mean),
            components: [f32s(&fit.components[0]), f32s(&fit.components[1])],
        })
    };
    Ok(ExplorerRun {
        name: name.into(),
        note,
        latent_dim: d,
        decoder,
        output: Output::Sigmoid,
        points,
        pca,
    })
}
