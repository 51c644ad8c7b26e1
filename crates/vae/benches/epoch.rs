//! One training epoch of the pytorch/examples VAE (`xtask/suites/pytorch-example.toml`):
//! 784-400-20 with ReLU and the gaussian head, 20-400-784 decoder, batch 128,
//! 469 updates over 60 000 images (the last batch 96), Adam — on one thread
//! and with its matrix products split over two. About 230 GFLOP per epoch.
//!
//! The images are synthetic (seeded noise bytes): the point is the arithmetic. The
//! loop is the one of `vaelab_vae::train` without its evaluations. Run with
//! `cargo bench -p vaelab-vae --bench epoch`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vaelab_autodiff::{FlushDenormals, Tape};
use vaelab_nn::{Activation, Adam, Init, Optimizer};
use vaelab_vae::epoch::EpochOrder;
use vaelab_vae::evaluate::{fill_normal, forward};
use vaelab_vae::{Head, ImageSet, RunConfig, Vae};

const IMAGES: usize = 60_000;
const BATCH: usize = 128;

fn config() -> RunConfig {
    let mut c = RunConfig {
        name: "pytorch-example".into(),
        activation: Activation::Relu,
        latent: 20,
        head: Head::Gaussian,
        hidden: Some(vec![400]),
        init: Init::Pytorch,
        batch_size: BATCH,
        ..RunConfig::default()
    };
    c.data.train = IMAGES;
    c
}

/// One epoch: shuffle, then forward, backward and an Adam step per batch,
/// the minibatch gathered from bytes into reused buffers as `train` does.
fn epoch(
    model: &mut Vae,
    adam: &mut Adam,
    tape: &mut Tape,
    images: &ImageSet,
    rng: &mut ChaCha8Rng,
) -> f32 {
    let mut order = EpochOrder::new(images.len(), BATCH);
    order.shuffle(rng);
    let mut full = (
        DMatrix::zeros(BATCH, 784),
        DMatrix::zeros(BATCH, model.latent()),
    );
    let mut last = 0.0;
    for b in 0..order.batches() {
        let rows = order.batch(b);
        let mut partial;
        let (xs, eps) = if rows.len() == BATCH {
            (&mut full.0, &mut full.1)
        } else {
            partial = (
                DMatrix::zeros(rows.len(), 784),
                DMatrix::zeros(rows.len(), model.latent()),
            );
            (&mut partial.0, &mut partial.1)
        };
        images.fill_batch(rows, xs);
        fill_normal(eps, rng);
        tape.reset();
        let x = tape.constant(xs);
        let e = tape.constant(eps);
        let pass = forward(model, tape, x, e);
        let recon = tape.bce_with_logits(pass.logits, x);
        let kl = tape.kl_normal_log_var(pass.posterior.mu, pass.posterior.log_var);
        let per_image = tape.add(recon, kl);
        let loss = tape.mean(per_image);
        last = tape.scalar(loss);
        let grads = tape.backward(loss);
        tape.reset();
        adam.step(&mut model.params_mut(), &grads);
        tape.recycle(grads);
    }
    last
}

fn bench_epoch(c: &mut Criterion) {
    let config = config();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let pixels = (0..IMAGES * 784).map(|_| rng.random::<u8>()).collect();
    let images = ImageSet::from_bytes(pixels, vec![0; IMAGES]).expect("60 000 images of 784 bytes");
    let mut group = c.benchmark_group("epoch");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    // (threads of the pool, parts each large product is split into)
    let splits: Vec<(usize, usize)> = match std::env::var("EPOCH_SPLITS") {
        Ok(s) => s
            .split(',')
            .filter_map(|p| p.split_once('x'))
            .filter_map(|(t, k)| Some((t.parse().ok()?, k.parse().ok()?)))
            .collect(),
        Err(_) => vec![(1, 1), (2, 2)],
    };
    for (threads, parts) in splits {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .start_handler(|_| std::mem::forget(FlushDenormals::enable()))
            .build()
            .expect("a thread pool");
        group.bench_function(
            format!("pytorch-example/threads={threads}/parts={parts}"),
            |b| {
                pool.install(|| {
                    let _flush = FlushDenormals::enable();
                    let mut model = Vae::new(&config, &mut ChaCha8Rng::seed_from_u64(1));
                    let mut adam = Adam::new(config.adam);
                    adam.set_threads(parts);
                    let mut tape = Tape::new();
                    tape.set_threads(parts);
                    let mut rng = ChaCha8Rng::seed_from_u64(2);
                    b.iter(|| {
                        black_box(epoch(&mut model, &mut adam, &mut tape, &images, &mut rng))
                    });
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_epoch);
criterion_main!(benches);
