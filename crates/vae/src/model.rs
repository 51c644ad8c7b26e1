//! The VAE of the study (`docs/study.md` §3): encoder, μ/σ head, reparameterised sampling, decoder.
//!
//! The decoder's last layer is recorded as logits; its sigmoid output `y` is
//! taken only where a value is needed, so that cross-entropy can be computed
//! from the logits without ever taking `ln 0`. Likewise the seed head's σ is
//! also kept as `ln σ² = 2 ln σ(a)`, computed stably, for the KL term.

use rand_chacha::ChaCha8Rng;
use vaelab_autodiff::{Param, Tape, Var};
use vaelab_nn::{Activation, Affine, Init, Layer, LayerSpec, Sequential};

use crate::config::{Head, HiddenLayers, RunConfig};
use crate::rng::{Stream, stream};

/// Pixels per image.
pub const IMAGE_PIXELS: usize = 784;
/// Units of every hidden layer of the study's model (the seed head's always).
pub const HIDDEN: usize = 100;

/// The encoder's view of a batch: the posterior `N(μ, σ²)` per image.
#[derive(Debug, Clone, Copy)]
pub struct Posterior {
    /// Means, `n × d`.
    pub mu: Var,
    /// Standard deviations, `n × d`.
    pub sigma: Var,
    /// `ln σ²`, `n × d`.
    pub log_var: Var,
}

/// A VAE with one of the two heads.
#[derive(Debug, Clone)]
pub struct Vae {
    head: Head,
    latent: usize,
    encoder: Sequential,
    mu: Sequential,
    spread: Sequential,
    decoder: Sequential,
}

fn affine(inputs: usize, outputs: usize) -> LayerSpec {
    LayerSpec::Affine { inputs, outputs }
}

impl Vae {
    /// A freshly initialised model for `config`, drawing weights from `rng`
    /// in a fixed order (encoder, μ head, σ head, decoder).
    pub fn new(config: &RunConfig, rng: &mut ChaCha8Rng) -> Self {
        Self::build_with(
            config.activation,
            config.latent,
            config.head,
            &config.hidden_layers(),
            config.init,
            rng,
        )
    }

    /// The study's model (100-unit hidden layers) from its parts' settings.
    pub fn build(
        activation: Activation,
        latent: usize,
        head: Head,
        init: Init,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let hidden = RunConfig::default().hidden_layers();
        Self::build_with(activation, latent, head, &hidden, init, rng)
    }

    /// A model with the given hidden layers (the seed head ignores them:
    /// [`RunConfig::validate`] refuses other widths for it).
    pub fn build_with(
        activation: Activation,
        latent: usize,
        head: Head,
        hidden: &HiddenLayers,
        init: Init,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let act = LayerSpec::Act(activation);
        let d = latent;
        let study = RunConfig::default().hidden_layers();
        let hidden = if head == Head::Seed { &study } else { hidden };
        // input → [Affine, act] per hidden width → output (when given).
        let chain = |input: usize, widths: &[usize], output: Option<usize>| {
            let mut specs = Vec::new();
            let mut from = input;
            for &w in widths {
                specs.extend([affine(from, w), act]);
                from = w;
            }
            if let Some(out) = output {
                specs.push(affine(from, out));
                from = out;
            }
            (specs, from)
        };
        let (encoder, head_in) = match head {
            Head::Seed => chain(IMAGE_PIXELS, &hidden.encoder, Some(d)),
            Head::Gaussian => chain(IMAGE_PIXELS, &hidden.encoder, None),
        };
        let (mu, spread, spread_name) = match head {
            Head::Seed => (
                vec![affine(d, d), LayerSpec::Act(Activation::Sigmoid)],
                vec![affine(d, d), LayerSpec::Act(Activation::Sigmoid)],
                "sigma",
            ),
            Head::Gaussian => (vec![affine(head_in, d)], vec![affine(head_in, d)], "logvar"),
        };
        let (decoder, _) = chain(d, &hidden.decoder, Some(IMAGE_PIXELS));
        Vae {
            head,
            latent,
            encoder: Sequential::new("encoder", &encoder, init, rng),
            mu: Sequential::new("mu", &mu, init, rng),
            spread: Sequential::new(spread_name, &spread, init, rng),
            decoder: Sequential::new("decoder", &decoder, init, rng),
        }
    }

    /// The latent dimension d.
    pub fn latent(&self) -> usize {
        self.latent
    }

    /// The head.
    pub fn head(&self) -> Head {
        self.head
    }

    /// The four parts, in the order their parameters are listed.
    pub fn parts(&self) -> [&Sequential; 4] {
        [&self.encoder, &self.mu, &self.spread, &self.decoder]
    }

    /// Every parameter with its PyTorch-style name (`encoder.0.weight`, …).
    pub fn named_params(&self) -> Vec<(String, &Param)> {
        self.parts()
            .into_iter()
            .flat_map(|p| p.named_params())
            .collect()
    }

    /// Every parameter, in the order of [`Vae::named_params`].
    pub fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut all = Vec::new();
        for part in [
            &mut self.encoder,
            &mut self.mu,
            &mut self.spread,
            &mut self.decoder,
        ] {
            all.extend(part.params_mut());
        }
        all
    }

    /// Mutable access to the parts, for loading a checkpoint.
    pub fn parts_mut(&mut self) -> [&mut Sequential; 4] {
        [
            &mut self.encoder,
            &mut self.mu,
            &mut self.spread,
            &mut self.decoder,
        ]
    }

    /// The posterior of each image of `xs` (`n × 784`).
    pub fn encode(&self, tape: &mut Tape, xs: Var) -> Posterior {
        let h = self.encoder.forward(tape, xs);
        let mu = self.mu.forward(tape, h);
        match self.head {
            Head::Seed => {
                // σ = sigmoid(a); ln σ² = 2 ln sigmoid(a), finite even where σ
                // rounds to 0 in f32 (the KL term would otherwise be −ln 0).
                let a = first_affine(&self.spread).forward(tape, h);
                let sigma = tape.sigmoid(a);
                let log_sigma = tape.log_sigmoid(a);
                let log_var = tape.scale(log_sigma, 2.0);
                Posterior { mu, sigma, log_var }
            }
            Head::Gaussian => {
                let log_var = self.spread.forward(tape, h);
                let half = tape.scale(log_var, 0.5);
                let sigma = tape.exp(half);
                Posterior { mu, sigma, log_var }
            }
        }
    }

    /// `z = μ + σ ⊙ ε` for noise `eps` (`n × d`).
    pub fn sample(&self, tape: &mut Tape, posterior: &Posterior, eps: Var) -> Var {
        let spread = tape.mul(posterior.sigma, eps);
        tape.add(posterior.mu, spread)
    }

    /// The decoder's logits for latent codes `z` (`n × d`); the image is
    /// their sigmoid.
    pub fn decode_logits(&self, tape: &mut Tape, z: Var) -> Var {
        self.decoder.forward(tape, z)
    }

    /// One row per layer, for the architecture tables of the report:
    /// (part, layers).
    pub fn describe(&self) -> Vec<(String, String)> {
        self.parts()
            .iter()
            .map(|p| (p.name().to_string(), p.describe().join(" · ")))
            .collect()
    }

    /// How many numbers the model learns.
    pub fn parameter_count(&self) -> usize {
        self.named_params()
            .iter()
            .map(|(_, p)| p.value().len())
            .sum()
    }

    /// [`describe`](Self::describe) and
    /// [`parameter_count`](Self::parameter_count) of the model `config`
    /// defines, without a trained one (e.g. for a run that failed).
    pub fn architecture(config: &RunConfig) -> (Vec<(String, String)>, usize) {
        let model = Vae::new(config, &mut stream(config.seed, Stream::Init));
        (model.describe(), model.parameter_count())
    }
}

/// The affine layer that opens a head.
fn first_affine(head: &Sequential) -> &Affine {
    match head.layers().first() {
        Some(Layer::Affine(a)) => a,
        // `Vae::build` always opens a head with an affine layer.
        _ => unreachable!("a head starts with an affine layer"),
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;
    use rand::SeedableRng;

    use super::*;

    fn model(head: Head, latent: usize) -> Vae {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        Vae::build(Activation::Relu, latent, head, Init::default(), &mut rng)
    }

    #[test]
    fn parameter_names_follow_pytorch_sequential() {
        let names: Vec<String> = model(Head::Seed, 2)
            .named_params()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        for expected in [
            "encoder.0.weight",
            "encoder.4.bias",
            "mu.0.weight",
            "sigma.0.bias",
            "decoder.6.weight",
        ] {
            assert!(
                names.contains(&expected.to_string()),
                "{expected} missing from {names:?}"
            );
        }
        let names: Vec<String> = model(Head::Gaussian, 20)
            .named_params()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert!(names.contains(&"logvar.0.weight".to_string()));
        assert!(
            !names.iter().any(|n| n.starts_with("encoder.4")),
            "{names:?}"
        );
    }

    #[test]
    fn parameter_count_matches_the_architecture_table() {
        // Seed head, d = 2: encoder 784·100+100 + 100·100+100 + 100·2+2,
        // heads 2·(2·2+2), decoder 2·100+100 + 2·(100·100+100) + 100·784+784.
        let encoder = 78_500 + 10_100 + 202;
        let heads = 2 * 6;
        let decoder = 300 + 2 * 10_100 + 79_184;
        assert_eq!(
            model(Head::Seed, 2).parameter_count(),
            encoder + heads + decoder
        );
    }

    #[test]
    fn hidden_layers_shape_the_gaussian_model() {
        // The pytorch/examples VAE: 784-400-(20, 20), 20-400-784.
        let hidden = HiddenLayers {
            encoder: vec![400],
            decoder: vec![400],
        };
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let vae = Vae::build_with(
            Activation::Relu,
            20,
            Head::Gaussian,
            &hidden,
            Init::Pytorch,
            &mut rng,
        );
        let expected = (784 * 400 + 400) + 2 * (400 * 20 + 20) + (20 * 400 + 400) + 400 * 784 + 784;
        assert_eq!(vae.parameter_count(), expected);
        let names: Vec<String> = vae.named_params().into_iter().map(|(n, _)| n).collect();
        assert!(names.contains(&"decoder.2.weight".to_string()), "{names:?}");
        assert!(
            !names.iter().any(|n| n.starts_with("decoder.4")),
            "{names:?}"
        );
        // The study's widths give the study's model, parameter for parameter.
        let study = RunConfig {
            head: Head::Gaussian,
            activation: Activation::Relu,
            latent: 20,
            ..RunConfig::default()
        };
        let a = Vae::new(&study, &mut ChaCha8Rng::seed_from_u64(5));
        let b = Vae::build(
            Activation::Relu,
            20,
            Head::Gaussian,
            Init::default(),
            &mut ChaCha8Rng::seed_from_u64(5),
        );
        for ((na, pa), (nb, pb)) in a.named_params().iter().zip(b.named_params()) {
            assert_eq!((na, pa.value()), (&nb, pb.value()));
        }
        // Encoder 2 + heads 2 + decoder 4 affine layers, a weight and a bias each.
        assert_eq!(a.named_params().len(), 16);
    }

    #[test]
    fn the_seed_head_bounds_mu_and_sigma_and_log_var_matches_sigma() {
        let vae = model(Head::Seed, 2);
        let mut tape = Tape::new();
        let xs = tape.constant(&DMatrix::from_fn(3, IMAGE_PIXELS, |i, j| {
            ((i + j) % 7) as f32 / 7.0
        }));
        let post = vae.encode(&mut tape, xs);
        let (mu, sigma, log_var) = (
            tape.value(post.mu),
            tape.value(post.sigma),
            tape.value(post.log_var),
        );
        assert!(mu.iter().chain(sigma.iter()).all(|&v| v > 0.0 && v < 1.0));
        for (&s, &lv) in sigma.iter().zip(log_var.iter()) {
            assert!((lv - 2.0 * s.ln()).abs() < 1e-5, "ln σ² = {lv}, σ = {s}");
        }
    }
}
