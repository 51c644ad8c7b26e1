//! One training iteration (forward, backward, Adam step) of the study's
//! largest network at batch 100: encoder 784-100-100-20 with ReLU, two
//! 20-20 sigmoid heads μ and σ, z = μ + σ ⊙ ε, decoder 20-100-100-100-784
//! with ReLU, loss = mean over the batch of CE(logits, xs) + KL(μ, σ).
//!
//! The data and noise are synthetic constants: the point is the arithmetic,
//! about 99 MFLOP per iteration. Run with
//! `cargo bench -p vaelab-nn --bench iteration`.

use criterion::{Criterion, criterion_group, criterion_main};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use vaelab_autodiff::{FlushDenormals, Param, Tape};
use vaelab_nn::{Activation, Adam, AdamConfig, Init, LayerSpec, Optimizer, Sequential};

const BATCH: usize = 100;
const PIXELS: usize = 784;
const LATENT: usize = 20;

/// `Affine(a, b)` followed by `act`, for each consecutive pair of `widths`,
/// with no activation after the last.
fn chain(widths: &[usize], act: Activation) -> Vec<LayerSpec> {
    let mut specs = Vec::new();
    for (k, pair) in widths.windows(2).enumerate() {
        if k > 0 {
            specs.push(LayerSpec::Act(act));
        }
        specs.push(LayerSpec::Affine {
            inputs: pair[0],
            outputs: pair[1],
        });
    }
    specs
}

struct Model {
    encoder: Sequential,
    mu: Sequential,
    sigma: Sequential,
    decoder: Sequential,
}

impl Model {
    fn new(rng: &mut ChaCha8Rng) -> Self {
        let head = [
            LayerSpec::Affine {
                inputs: LATENT,
                outputs: LATENT,
            },
            LayerSpec::Act(Activation::Sigmoid),
        ];
        let init = Init::default();
        Model {
            encoder: Sequential::new(
                "encoder",
                &chain(&[PIXELS, 100, 100, LATENT], Activation::Relu),
                init,
                rng,
            ),
            mu: Sequential::new("mu", &head, init, rng),
            sigma: Sequential::new("sigma", &head, init, rng),
            decoder: Sequential::new(
                "decoder",
                &chain(&[LATENT, 100, 100, 100, PIXELS], Activation::Relu),
                init,
                rng,
            ),
        }
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut params = self.encoder.params_mut();
        params.extend(self.mu.params_mut());
        params.extend(self.sigma.params_mut());
        params.extend(self.decoder.params_mut());
        params
    }
}

/// Forward, backward and one Adam step; returns the loss.
fn iteration(
    tape: &mut Tape,
    model: &mut Model,
    adam: &mut Adam,
    xs: &DMatrix<f32>,
    eps: &DMatrix<f32>,
) -> f32 {
    tape.reset();
    let x = tape.constant(xs);
    let noise = tape.constant(eps);
    let h = model.encoder.forward(tape, x);
    let mu = model.mu.forward(tape, h);
    let sigma = model.sigma.forward(tape, h);
    let spread = tape.mul(sigma, noise);
    let z = tape.add(mu, spread);
    let logits = model.decoder.forward(tape, z);
    let ce = tape.bce_with_logits(logits, x);
    let kl = tape.kl_normal(mu, sigma);
    let per_sample = tape.add(ce, kl);
    let total = tape.sum(per_sample);
    let loss = tape.scale(total, 1.0 / BATCH as f32);
    let value = tape.scalar(loss);
    let grads = tape.backward(loss);
    // The tape shares the parameters' buffers; releasing them before the
    // step lets Adam update in place instead of copying every parameter.
    tape.reset();
    adam.step(&mut model.params_mut(), &grads);
    tape.recycle(grads);
    value
}

fn bench_iteration(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut model = Model::new(&mut rng);
    // Pixel-like data in [0, 1]: mostly dark, some bright, some in between.
    let xs = DMatrix::from_fn(BATCH, PIXELS, |_, _| {
        let u: f32 = rng.random();
        if u < 0.8 { 0.0 } else { (u - 0.8) * 5.0 }
    });
    let eps = DMatrix::from_fn(BATCH, LATENT, |_, _| rng.sample::<f32, _>(StandardNormal));
    let mut adam = Adam::new(AdamConfig::default());
    let mut tape = Tape::new();
    let _flush = FlushDenormals::enable();
    // Warm up the pools and the optimiser state before timing.
    let first = iteration(&mut tape, &mut model, &mut adam, &xs, &eps);
    assert!(first.is_finite());
    c.bench_function("vae_784-100-100-20_batch100_iteration", |b| {
        b.iter(|| iteration(&mut tape, &mut model, &mut adam, &xs, &eps))
    });
}

criterion_group!(benches, bench_iteration);
criterion_main!(benches);
