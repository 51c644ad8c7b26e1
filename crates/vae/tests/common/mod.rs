//! Synthetic digit-like data for the VAE's tests: each class is a bright bar
//! at its own place and angle on a dark 28×28 canvas, with seeded noise, so
//! that a few dozen iterations already learn something measurable.
#![allow(dead_code, clippy::unwrap_used)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vaelab_mnist::{Dataset, Mnist};
use vaelab_vae::RunConfig;

fn images(n: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut pixels = Vec::with_capacity(n * 784);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let class = (i % 10) as u8;
        let (cx, cy) = (
            6.0 + 1.6 * f32::from(class),
            8.0 + f32::from(class % 5) * 3.0,
        );
        let angle = f32::from(class) * 0.3;
        for y in 0..28 {
            for x in 0..28 {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let across = (dx * angle.cos() + dy * angle.sin()).abs();
                let along = (-dx * angle.sin() + dy * angle.cos()).abs();
                let v: f32 = if across < 1.5 && along < 7.0 {
                    220.0
                } else {
                    0.0
                } + rng.random_range(0.0..30.0);
                pixels.push(v.min(255.0) as u8);
            }
        }
        labels.push(class);
    }
    Dataset::new(pixels, labels, 28, 28).unwrap()
}

/// 200 training and 300 test images.
pub fn data() -> Mnist {
    Mnist {
        train: images(200, 1),
        test: images(300, 2),
        files: Default::default(),
        verified: false,
    }
}

/// A run small enough for a test: 40 images, 30 iterations.
pub fn tiny(name: &str) -> RunConfig {
    let mut c = RunConfig {
        name: name.into(),
        iterations: 30,
        batch_size: 40,
        eval_every: 5,
        ..RunConfig::default()
    };
    c.activation = vaelab_nn::Activation::Relu;
    c.adam.lr = 3e-3;
    c.data.train = 40;
    c.data.test = 30;
    c.data.classify = 100;
    c.analysis.loglik_samples = 20;
    c
}
