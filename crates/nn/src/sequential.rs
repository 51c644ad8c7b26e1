//! A chain of layers, built from a specification such as
//! `[Affine(784, 100), ReLU, Affine(100, 100), …]`.
//!
//! Parameters are named as PyTorch's `nn.Sequential` names them: the layer's
//! index in the chain, activations counted, then `weight` or `bias`
//! (`encoder.0.weight`, `encoder.2.bias`, …). A checkpoint therefore maps one
//! to one onto the equivalent PyTorch model.

use std::fmt;

use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::{Float, Param, Tape, Var};

use crate::affine::affine;
use crate::{Activation, Affine, Init, NnError};

/// One entry of a layer specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerSpec {
    /// An affine layer with its input and output widths.
    Affine {
        /// Input features.
        inputs: usize,
        /// Output features.
        outputs: usize,
    },
    /// An activation.
    Act(Activation),
}

impl fmt::Display for LayerSpec {
    /// `Affine(784, 100)`, or PyTorch's name of the activation (`ReLU`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerSpec::Affine { inputs, outputs } => write!(f, "Affine({inputs}, {outputs})"),
            LayerSpec::Act(a) => f.write_str(a.torch_name()),
        }
    }
}

/// Checks that each affine layer takes as many inputs as the previous one
/// gives out.
pub fn check_specs(specs: &[LayerSpec]) -> Result<(), NnError> {
    let mut previous = None;
    for (index, spec) in specs.iter().enumerate() {
        if let LayerSpec::Affine { inputs, outputs } = *spec {
            match previous {
                Some(previous) if previous != inputs => {
                    return Err(NnError::LayerChain {
                        index,
                        inputs,
                        previous,
                    });
                }
                _ => previous = Some(outputs),
            }
        }
    }
    Ok(())
}

/// A layer of a [`Sequential`].
#[derive(Debug, Clone)]
pub enum Layer<T: Float = f32> {
    /// An affine layer with its parameters.
    Affine(Affine<T>),
    /// An activation.
    Act(Activation),
}

impl<T: Float> Layer<T> {
    /// The specification this layer was built from.
    pub fn spec(&self) -> LayerSpec {
        match self {
            Layer::Affine(a) => LayerSpec::Affine {
                inputs: a.inputs(),
                outputs: a.outputs(),
            },
            Layer::Act(act) => LayerSpec::Act(*act),
        }
    }
}

/// Layers applied one after another, under a name that prefixes their
/// parameters' names.
///
/// Cloning keeps the parameters' ids, so a clone is a snapshot of the same
/// parameters rather than a new model.
#[derive(Debug, Clone)]
pub struct Sequential<T: Float = f32> {
    name: String,
    layers: Vec<Layer<T>>,
}

impl<T: Float> Sequential<T> {
    /// Builds the layers of `specs`, drawing affine weights from `init` in
    /// order. Use [`check_specs`] (or [`Sequential::try_new`]) first if the
    /// specification comes from the user: a chain that does not fit panics
    /// in [`Sequential::forward`].
    pub fn new(name: &str, specs: &[LayerSpec], init: Init, rng: &mut ChaCha8Rng) -> Self {
        let layers = specs
            .iter()
            .map(|spec| match *spec {
                LayerSpec::Affine { inputs, outputs } => {
                    Layer::Affine(Affine::new(inputs, outputs, init, rng))
                }
                LayerSpec::Act(a) => Layer::Act(a),
            })
            .collect();
        Sequential {
            name: name.to_owned(),
            layers,
        }
    }

    /// [`Sequential::new`] after checking that the layers chain and that
    /// `init` is valid.
    pub fn try_new(
        name: &str,
        specs: &[LayerSpec],
        init: Init,
        rng: &mut ChaCha8Rng,
    ) -> Result<Self, NnError> {
        check_specs(specs)?;
        init.validate()?;
        Ok(Sequential::new(name, specs, init, rng))
    }

    /// A container around existing layers.
    pub fn from_layers(name: &str, layers: Vec<Layer<T>>) -> Self {
        Sequential {
            name: name.to_owned(),
            layers,
        }
    }

    /// Records the chain applied to `xs` on the tape.
    ///
    /// # Panics
    /// If the widths do not chain (see [`check_specs`]).
    pub fn forward(&self, tape: &mut Tape<T>, xs: Var) -> Var {
        self.layers.iter().fold(xs, |h, layer| match layer {
            Layer::Affine(a) => a.forward(tape, h),
            Layer::Act(act) => act.apply(tape, h),
        })
    }

    /// Records the chain with the parameters taken from `params`, one handle
    /// per parameter in [`Sequential::named_params`] order, instead of from
    /// the layers. This is how a caller differentiates with respect to other
    /// values of the parameters (a gradient check, a functional update).
    ///
    /// # Panics
    /// If `params` does not hold one handle per parameter.
    pub fn forward_with(&self, tape: &mut Tape<T>, xs: Var, params: &[Var]) -> Var {
        let affine_count = self.affines().count();
        assert_eq!(
            params.len(),
            2 * affine_count,
            "forward_with: {} handles for {} parameters",
            params.len(),
            2 * affine_count
        );
        let mut next = params.chunks_exact(2);
        self.layers.iter().fold(xs, |h, layer| match layer {
            Layer::Affine(_) => match next.next() {
                Some(&[w, b]) => affine(tape, h, w, b),
                // Unreachable: the count was checked above.
                _ => h,
            },
            Layer::Act(act) => act.apply(tape, h),
        })
    }

    /// The name prefix of the parameters.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The layers, in order.
    pub fn layers(&self) -> &[Layer<T>] {
        &self.layers
    }

    /// The specification the layers correspond to.
    pub fn specs(&self) -> Vec<LayerSpec> {
        self.layers.iter().map(Layer::spec).collect()
    }

    /// The width of the first affine layer's input, if there is one.
    pub fn inputs(&self) -> Option<usize> {
        self.affines().next().map(|(_, a)| a.inputs())
    }

    /// The width of the last affine layer's output, if there is one.
    pub fn outputs(&self) -> Option<usize> {
        self.affines().last().map(|(_, a)| a.outputs())
    }

    /// Every parameter with its PyTorch-style name (`encoder.0.weight`,
    /// `encoder.0.bias`, `encoder.2.weight`, …), in layer order.
    pub fn named_params(&self) -> Vec<(String, &Param<T>)> {
        self.affines()
            .flat_map(|(i, a)| {
                [
                    (self.param_name(i, "weight"), &a.weight),
                    (self.param_name(i, "bias"), &a.bias),
                ]
            })
            .collect()
    }

    /// Every parameter, in [`Sequential::named_params`] order.
    pub fn params(&self) -> Vec<&Param<T>> {
        self.affines()
            .flat_map(|(_, a)| [&a.weight, &a.bias])
            .collect()
    }

    /// Every parameter for updating, in [`Sequential::named_params`] order.
    pub fn params_mut(&mut self) -> Vec<&mut Param<T>> {
        self.layers
            .iter_mut()
            .filter_map(|layer| match layer {
                Layer::Affine(a) => Some([&mut a.weight, &mut a.bias]),
                Layer::Act(_) => None,
            })
            .flatten()
            .collect()
    }

    /// The number of trainable scalars.
    pub fn num_parameters(&self) -> usize {
        self.params().iter().map(|p| p.value().len()).sum()
    }

    /// One line per layer for architecture tables: `Affine(784, 100)`,
    /// `ReLU`, …
    pub fn describe(&self) -> Vec<String> {
        self.layers.iter().map(|l| l.spec().to_string()).collect()
    }

    fn param_name(&self, index: usize, kind: &str) -> String {
        param_name(&self.name, index, kind)
    }

    /// The affine layers with their indices in the chain.
    pub(crate) fn affines(&self) -> impl Iterator<Item = (usize, &Affine<T>)> {
        self.layers
            .iter()
            .enumerate()
            .filter_map(|(i, layer)| match layer {
                Layer::Affine(a) => Some((i, a)),
                Layer::Act(_) => None,
            })
    }

    /// The affine layers with their indices, for updating.
    pub(crate) fn affines_mut(&mut self) -> impl Iterator<Item = (usize, &mut Affine<T>)> {
        self.layers
            .iter_mut()
            .enumerate()
            .filter_map(|(i, layer)| match layer {
                Layer::Affine(a) => Some((i, a)),
                Layer::Act(_) => None,
            })
    }
}

/// `prefix.index.kind`, or `index.kind` when the prefix is empty.
pub(crate) fn param_name(prefix: &str, index: usize, kind: &str) -> String {
    if prefix.is_empty() {
        format!("{index}.{kind}")
    } else {
        format!("{prefix}.{index}.{kind}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use vaelab_autodiff::gradcheck::uniform;
    use vaelab_autodiff::{GradcheckConfig, gradcheck};

    const ENCODER: [LayerSpec; 3] = [
        LayerSpec::Affine {
            inputs: 784,
            outputs: 100,
        },
        LayerSpec::Act(Activation::Relu),
        LayerSpec::Affine {
            inputs: 100,
            outputs: 100,
        },
    ];

    fn rng(seed: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(seed)
    }

    #[test]
    fn parameters_are_named_like_torch_sequential() {
        let mut enc = Sequential::<f32>::new("encoder", &ENCODER, Init::default(), &mut rng(0));
        let named = enc.named_params();
        let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "encoder.0.weight",
                "encoder.0.bias",
                "encoder.2.weight",
                "encoder.2.bias"
            ]
        );
        let shapes: Vec<_> = named.iter().map(|(_, p)| p.shape()).collect();
        assert_eq!(shapes, [(784, 100), (1, 100), (100, 100), (1, 100)]);
        let ids: Vec<_> = named.iter().map(|(_, p)| p.id()).collect();
        let mut_ids: Vec<_> = enc.params_mut().iter().map(|p| p.id()).collect();
        assert_eq!(ids, mut_ids);
        assert_eq!(
            enc.describe(),
            ["Affine(784, 100)", "ReLU", "Affine(100, 100)"]
        );
        assert_eq!(enc.num_parameters(), 784 * 100 + 100 + 100 * 100 + 100);
        assert_eq!((enc.inputs(), enc.outputs()), (Some(784), Some(100)));
        assert_eq!(enc.specs(), ENCODER);
        let bare = Sequential::<f32>::new("", &ENCODER, Init::default(), &mut rng(0));
        assert_eq!(bare.named_params()[2].0, "2.weight");
    }

    #[test]
    fn the_seed_fixes_every_weight() {
        let a = Sequential::<f32>::new("e", &ENCODER, Init::default(), &mut rng(7));
        let b = Sequential::<f32>::new("e", &ENCODER, Init::default(), &mut rng(7));
        let c = Sequential::<f32>::new("e", &ENCODER, Init::default(), &mut rng(8));
        let values = |s: &Sequential<f32>| -> Vec<_> {
            s.params().iter().map(|p| p.value().clone()).collect()
        };
        assert_eq!(values(&a), values(&b));
        assert_ne!(values(&a), values(&c));
        assert!(a.params()[1].value().iter().all(|&v| v == 0.0));
    }

    #[test]
    fn chains_that_do_not_fit_are_refused() {
        let bad = [
            LayerSpec::Affine {
                inputs: 4,
                outputs: 3,
            },
            LayerSpec::Act(Activation::Tanh),
            LayerSpec::Affine {
                inputs: 2,
                outputs: 1,
            },
        ];
        let err = Sequential::<f32>::try_new("m", &bad, Init::default(), &mut rng(0))
            .unwrap_err()
            .to_string();
        assert!(err.contains("layer 2") && err.contains("3"), "{err}");
        assert!(check_specs(&ENCODER).is_ok());
        let err =
            Sequential::<f32>::try_new("m", &ENCODER, Init::Gaussian { std: -1.0 }, &mut rng(0));
        assert!(err.is_err());
    }

    fn small() -> Sequential<f64> {
        let specs = [
            LayerSpec::Affine {
                inputs: 4,
                outputs: 5,
            },
            LayerSpec::Act(Activation::Tanh),
            LayerSpec::Affine {
                inputs: 5,
                outputs: 3,
            },
            LayerSpec::Act(Activation::Sigmoid),
        ];
        let mut net = Sequential::new("net", &specs, Init::XavierNormal, &mut rng(3));
        // Non-zero biases, so that their gradients are checked at a generic point.
        for (k, p) in net.params_mut().into_iter().enumerate() {
            if p.shape().0 == 1 {
                let cols = p.shape().1;
                *p.value_mut() = uniform(1, cols, 100 + k as u64);
            }
        }
        net
    }

    #[test]
    fn two_layer_gradients_pass_the_finite_difference_check() {
        let net = small();
        let mut inputs = vec![uniform(6, 4, 1)];
        inputs.extend(net.params().iter().map(|p| p.value().clone()));
        let result = gradcheck(
            &inputs,
            |tape, vars| net.forward_with(tape, vars[0], &vars[1..]),
            GradcheckConfig::default(),
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn forward_and_forward_with_agree_in_values_and_gradients() {
        let net = small();
        let xs = uniform(6, 4, 2);
        let mut tape = Tape::new();
        let x = tape.constant(&xs);
        let y = net.forward(&mut tape, x);
        let loss = tape.sum(y);
        let value = tape.scalar(loss);
        let grads = tape.backward(loss);

        let copies: Vec<Param<f64>> = net.params().into_iter().cloned().collect();
        let mut tape2 = Tape::new();
        let x2 = tape2.constant(&xs);
        let vars: Vec<Var> = copies.iter().map(|p| tape2.param(p)).collect();
        let y2 = net.forward_with(&mut tape2, x2, &vars);
        let loss2 = tape2.sum(y2);
        assert_eq!(tape2.scalar(loss2), value);
        let grads2 = tape2.backward(loss2);
        for p in net.params() {
            assert_eq!(grads.get(p).unwrap(), grads2.get(p).unwrap());
        }
        // One weight moved by hand: the forward path's gradient predicts the change.
        let mut moved = net.clone();
        let h = 1e-6;
        moved.params_mut()[2].value_mut()[(1, 2)] += h;
        let mut tape3 = Tape::new();
        let x3 = tape3.constant(&xs);
        let y3 = moved.forward(&mut tape3, x3);
        let loss3 = tape3.sum(y3);
        let slope = (tape3.scalar(loss3) - value) / h;
        let analytic = grads.get(net.params()[2]).unwrap()[(1, 2)];
        assert!((slope - analytic).abs() < 1e-5, "{slope} vs {analytic}");
    }
}
