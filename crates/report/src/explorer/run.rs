//! The explorer's plain data: a run's decoder as dense layers, its latent
//! points and its plane, with the checks that make a page drawable and the
//! Rust reference of the page's forward pass.

use super::{ExplorerError, IMAGE_PIXELS, IMAGE_SIDE, Result};

/// An elementwise nonlinearity, as in `vaelab_nn::Activation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `max(x, 0)`.
    Relu,
    /// `1 / (1 + e^−x)`.
    Sigmoid,
    /// `tanh x`.
    Tanh,
    /// `x` unchanged.
    Identity,
}

impl Activation {
    /// The name the page's script knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Identity => "identity",
        }
    }

    fn apply(self, x: f64) -> f64 {
        match self {
            Activation::Relu => x.max(0.0),
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::Tanh => x.tanh(),
            Activation::Identity => x,
        }
    }
}

/// One affine layer followed by its activation: `y = act(W·x + b)`.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseLayer {
    /// Input features.
    pub inputs: usize,
    /// Output features.
    pub outputs: usize,
    /// Row-major `outputs × inputs`: `weights[o * inputs + i]` carries input
    /// `i` into output `o`. This is PyTorch's `Linear.weight` layout and
    /// exactly the slice of a `vaelab_nn::Affine` weight (`inputs × outputs`,
    /// stored column-major), so `affine.weight.value().as_slice()` fits as is.
    pub weights: Vec<f32>,
    /// `outputs` biases.
    pub bias: Vec<f32>,
    /// Applied after the affine map (`Identity` for none).
    pub activation: Activation,
}

/// What turns the last layer's values into pixel intensities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The last layer gives logits; a pixel is their sigmoid (vaelab's VAE).
    Sigmoid,
    /// The last layer gives the pixels themselves (clamped to [0, 1] for
    /// display only).
    Identity,
}

/// One classification image's place in the latent space.
#[derive(Debug, Clone, PartialEq)]
pub struct LatentPoint {
    /// The encoder's mean μ, `latent_dim` values.
    pub mu: Vec<f32>,
    /// The digit shown, 0–9.
    pub label: u8,
}

/// The plane the page shows when `latent_dim > 2`: a point `(a, b)` of the
/// plane is the latent code `mean + a·components[0] + b·components[1]`, so
/// every other direction sits at its mean.
#[derive(Debug, Clone, PartialEq)]
pub struct PcaPlane {
    /// The mean of the latent points, `latent_dim` values.
    pub mean: Vec<f32>,
    /// Two orthonormal directions, `latent_dim` values each.
    pub components: [Vec<f32>; 2],
}

/// Everything the page needs about one run.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplorerRun {
    /// The run's name, unique within a page (used in `#run=NAME`).
    pub name: String,
    /// Shown after the name in the run selector, e.g. "collapsed".
    pub note: Option<String>,
    /// The latent dimension d.
    pub latent_dim: usize,
    /// The decoder's layers, from the latent code to the image; the last has
    /// [`IMAGE_PIXELS`] outputs.
    pub decoder: Vec<DenseLayer>,
    /// How the last layer's values become pixels.
    pub output: Output,
    /// The points drawn on the scatter plot.
    pub points: Vec<LatentPoint>,
    /// The plane to show; required when `latent_dim != 2`, and used instead
    /// of the raw coordinates when given for `latent_dim == 2`.
    pub pca: Option<PcaPlane>,
}

impl ExplorerRun {
    /// Checks that the layers chain from `latent_dim` to [`IMAGE_PIXELS`],
    /// that every vector has its length, every number is finite and every
    /// label is a digit.
    pub fn validate(&self) -> Result<()> {
        let fail = |problem: String| {
            Err(ExplorerError::Invalid {
                run: self.name.clone(),
                problem,
            })
        };
        if self.name.is_empty() {
            return fail("the run name is empty".into());
        }
        if self.latent_dim == 0 {
            return fail("latent_dim is 0".into());
        }
        let mut width = self.latent_dim;
        for (k, layer) in self.decoder.iter().enumerate() {
            if layer.inputs != width {
                return fail(format!(
                    "decoder layer {k} takes {} inputs but receives {width}",
                    layer.inputs
                ));
            }
            if layer.weights.len() != layer.inputs * layer.outputs {
                return fail(format!(
                    "decoder layer {k} has {} weights, expected {} × {}",
                    layer.weights.len(),
                    layer.outputs,
                    layer.inputs
                ));
            }
            if layer.bias.len() != layer.outputs {
                return fail(format!(
                    "decoder layer {k} has {} biases, expected {}",
                    layer.bias.len(),
                    layer.outputs
                ));
            }
            if !all_finite(&layer.weights) || !all_finite(&layer.bias) {
                return fail(format!("decoder layer {k} holds a non-finite number"));
            }
            width = layer.outputs;
        }
        if self.decoder.is_empty() || width != IMAGE_PIXELS {
            return fail(format!(
                "the decoder must end with {IMAGE_PIXELS} outputs ({IMAGE_SIDE}×{IMAGE_SIDE}), \
                 it ends with {width}"
            ));
        }
        for (i, p) in self.points.iter().enumerate() {
            if p.mu.len() != self.latent_dim || !all_finite(&p.mu) {
                return fail(format!(
                    "point {i} needs {} finite coordinates, has {:?}",
                    self.latent_dim, p.mu
                ));
            }
            if p.label > 9 {
                return fail(format!("point {i} has label {}, not a digit", p.label));
            }
        }
        match &self.pca {
            Some(pca) => {
                for (what, v) in [
                    ("mean", &pca.mean),
                    ("first component", &pca.components[0]),
                    ("second component", &pca.components[1]),
                ] {
                    if v.len() != self.latent_dim || !all_finite(v) {
                        return fail(format!(
                            "the PCA {what} needs {} finite values, has {}",
                            self.latent_dim,
                            v.len()
                        ));
                    }
                }
            }
            None if self.latent_dim != 2 => {
                return fail(format!(
                    "latent_dim is {}, so the page needs a PCA plane to draw",
                    self.latent_dim
                ));
            }
            None => {}
        }
        Ok(())
    }

    /// The image the page draws for latent code `z`: the reference for the
    /// script's forward pass (both accumulate in `f64`).
    pub fn decode(&self, z: &[f32]) -> Result<Vec<f32>> {
        self.validate()?;
        if z.len() != self.latent_dim {
            return Err(ExplorerError::Invalid {
                run: self.name.clone(),
                problem: format!("z has {} values, expected {}", z.len(), self.latent_dim),
            });
        }
        let mut h: Vec<f64> = z.iter().map(|&v| f64::from(v)).collect();
        for layer in &self.decoder {
            h = layer
                .weights
                .chunks_exact(layer.inputs)
                .zip(&layer.bias)
                .map(|(row, &b)| {
                    let s: f64 = row.iter().zip(&h).map(|(&w, &x)| f64::from(w) * x).sum();
                    layer.activation.apply(s + f64::from(b))
                })
                .collect();
        }
        let out = match self.output {
            Output::Sigmoid => Activation::Sigmoid,
            Output::Identity => Activation::Identity,
        };
        // Narrowing to f32 is the point: the page's pixels are compared in f32.
        Ok(h.into_iter().map(|v| out.apply(v) as f32).collect())
    }
}

fn all_finite(values: &[f32]) -> bool {
    values.iter().all(|v| v.is_finite())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(super) mod tests {
    use super::*;

    /// `2 → 2` (ReLU) then `2 → 784` (identity) that copies the hidden
    /// units into even and odd pixels, so each pixel is checkable by hand.
    pub(crate) fn tiny(name: &str) -> ExplorerRun {
        let copy: Vec<f32> = (0..IMAGE_PIXELS)
            .flat_map(|o| if o % 2 == 0 { [1.0, 0.0] } else { [0.0, 1.0] })
            .collect();
        ExplorerRun {
            name: name.into(),
            note: None,
            latent_dim: 2,
            decoder: vec![
                DenseLayer {
                    inputs: 2,
                    outputs: 2,
                    weights: vec![1.0, 2.0, -3.0, 4.0],
                    bias: vec![0.5, -1.0],
                    activation: Activation::Relu,
                },
                DenseLayer {
                    inputs: 2,
                    outputs: IMAGE_PIXELS,
                    weights: copy,
                    bias: vec![0.0; IMAGE_PIXELS],
                    activation: Activation::Identity,
                },
            ],
            output: Output::Identity,
            points: vec![LatentPoint {
                mu: vec![0.5, -0.5],
                label: 3,
            }],
            pca: None,
        }
    }

    #[test]
    fn decode_by_hand_reads_weights_as_out_by_in() {
        let run = tiny("t");
        // h = relu([1·2 + 2·1 + 0.5, −3·2 + 4·1 − 1]) = [4.5, 0].
        let y = run.decode(&[2.0, 1.0]).unwrap();
        assert_eq!((y[0], y[1], y[782], y[783]), (4.5, 0.0, 4.5, 0.0));
        // h = relu([−1 + 2 + 0.5, 3 + 4 − 1]) = [1.5, 6].
        let y = run.decode(&[-1.0, 1.0]).unwrap();
        assert_eq!((y[0], y[1]), (1.5, 6.0));
        let mut logits = run.clone();
        logits.output = Output::Sigmoid;
        let y = logits.decode(&[-1.0, 1.0]).unwrap();
        assert!(
            (y[1] - 1.0 / (1.0 + (-6f32).exp())).abs() < 1e-7,
            "{}",
            y[1]
        );
        assert!(run.decode(&[1.0]).is_err());
    }

    fn problem(run: &ExplorerRun) -> String {
        run.validate().unwrap_err().to_string()
    }

    #[test]
    fn malformed_runs_are_refused_with_the_run_and_the_reason() {
        assert!(tiny("ok").validate().is_ok());
        let mut r = tiny("chain");
        r.decoder[1].inputs = 3;
        assert!(problem(&r).contains("\"chain\": decoder layer 1 takes 3 inputs"));
        let mut r = tiny("w");
        r.decoder[0].weights.pop();
        assert!(
            problem(&r).contains("3 weights, expected 2 × 2"),
            "{}",
            problem(&r)
        );
        let mut r = tiny("b");
        r.decoder[1].bias.push(0.0);
        assert!(problem(&r).contains("785 biases"));
        let mut r = tiny("nan");
        r.decoder[0].weights[0] = f32::NAN;
        assert!(problem(&r).contains("non-finite"));
        let mut r = tiny("short");
        r.decoder.truncate(1);
        assert!(problem(&r).contains("end with 784 outputs"));
        let mut r = tiny("label");
        r.points[0].label = 10;
        assert!(problem(&r).contains("label 10"));
        let mut r = tiny("mu");
        r.points[0].mu.push(1.0);
        assert!(problem(&r).contains("point 0 needs 2"));
        let mut r = tiny("d3");
        r.latent_dim = 3;
        r.decoder[0].inputs = 3;
        r.decoder[0].weights = vec![0.0; 6];
        r.points.clear();
        assert!(problem(&r).contains("needs a PCA plane"), "{}", problem(&r));
        r.pca = Some(PcaPlane {
            mean: vec![0.0; 3],
            components: [vec![1.0, 0.0, 0.0], vec![0.0, 1.0]],
        });
        assert!(problem(&r).contains("second component needs 3"));
        r.pca.as_mut().unwrap().components[1].push(0.0);
        assert!(r.validate().is_ok());
    }
}
