//! Trains a small classifier on the "two moons" data set with a `Sequential`
//! network and `Adam`, saves it as a safetensors checkpoint, loads the file
//! into a freshly initialised network and checks that it predicts the same.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release -p vaelab-nn --example two_moons [-- checkpoint.safetensors]
//! ```
//!
//! Without an argument the checkpoint goes to the system's temporary directory.
//! It prints the loss and accuracy as training goes, the parameter names as
//! PyTorch would name them, the checkpoint's path and metadata, and a coarse
//! ASCII map of the learnt decision regions. One seed drives every random
//! choice, so two runs print the same.

use std::collections::BTreeMap;
use std::error::Error;
use std::f32::consts::PI;
use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use vaelab_autodiff::{FlushDenormals, Matrix, Tape};
use vaelab_nn::{
    Activation, Adam, AdamConfig, Init, LayerSpec, Optimizer, Sequential, load_safetensors,
    save_safetensors,
};

/// Points per moon.
const PER_MOON: usize = 200;
/// Standard deviation of the Gaussian noise added to every coordinate.
const NOISE: f32 = 0.15;
/// Full-batch Adam steps.
const STEPS: usize = 1_500;
/// The one seed behind the data, the initial weights and the reloaded copy.
const SEED: u64 = 7;

/// Two interleaved half circles: class 0 is the upper moon centred at the
/// origin, class 1 the lower moon shifted to (1, 0.5). Returns the points
/// (`n × 2`) and their labels (`n × 1`, 0 or 1).
fn two_moons(rng: &mut ChaCha8Rng) -> Result<(Matrix, Matrix), Box<dyn Error>> {
    let noise = Normal::new(0.0, NOISE)?;
    let mut points = Vec::with_capacity(4 * PER_MOON);
    let mut labels = Vec::with_capacity(2 * PER_MOON);
    for class in 0..2 {
        for _ in 0..PER_MOON {
            let angle = rng.random_range(0.0..PI);
            let (x, y) = if class == 0 {
                (angle.cos(), angle.sin())
            } else {
                (1.0 - angle.cos(), 0.5 - angle.sin())
            };
            points.push(x + noise.sample(rng));
            points.push(y + noise.sample(rng));
            labels.push(class as f32);
        }
    }
    let n = labels.len();
    Ok((
        Matrix::from_row_slice(n, 2, &points),
        Matrix::from_column_slice(n, 1, &labels),
    ))
}

/// The network's logits for `xs`, as a plain matrix.
fn logits(net: &Sequential, tape: &mut Tape, xs: &Matrix) -> Matrix {
    tape.reset();
    let x = tape.constant(xs);
    let out = net.forward(tape, x);
    tape.value(out).clone()
}

/// Fraction of rows whose logit has the sign of its label (logit > 0 ⇔ class 1).
fn accuracy(logits: &Matrix, labels: &Matrix) -> f32 {
    let right = logits
        .iter()
        .zip(labels.iter())
        .filter(|&(&z, &t)| (z > 0.0) == (t > 0.5))
        .count();
    right as f32 / labels.len() as f32
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).map_or_else(
        || std::env::temp_dir().join("vaelab-nn-two-moons.safetensors"),
        PathBuf::from,
    );
    let _flush = FlushDenormals::enable();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let (xs, labels) = two_moons(&mut rng)?;

    // 2 → 16 → 16 → 1, ReLU between; the output is a logit.
    let specs = [
        LayerSpec::Affine {
            inputs: 2,
            outputs: 16,
        },
        LayerSpec::Act(Activation::Relu),
        LayerSpec::Affine {
            inputs: 16,
            outputs: 16,
        },
        LayerSpec::Act(Activation::Relu),
        LayerSpec::Affine {
            inputs: 16,
            outputs: 1,
        },
    ];
    let mut net = Sequential::<f32>::try_new("classifier", &specs, Init::HeNormal, &mut rng)?;
    let mut adam = Adam::try_new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })?;
    println!(
        "two moons: {} points, network {} ({} parameters), Adam lr 0.01",
        labels.len(),
        net.describe().join(" → "),
        net.num_parameters()
    );

    let mut tape = Tape::new();
    for step in 0..=STEPS {
        tape.reset();
        let x = tape.constant(&xs);
        let t = tape.constant(&labels);
        let z = net.forward(&mut tape, x);
        let per_point = tape.bce_with_logits(z, t);
        let loss = tape.mean(per_point);
        let loss_value = tape.scalar(loss);
        if step % 300 == 0 {
            let acc = accuracy(tape.value(z), &labels);
            println!(
                "step {step:>5}  cross-entropy {loss_value:.4}  accuracy {:.1}%",
                100.0 * acc
            );
        }
        if step == STEPS {
            break;
        }
        let grads = tape.backward(loss);
        // Releasing the tape's references lets Adam update the weights in place.
        tape.reset();
        adam.step(&mut net.params_mut(), &grads);
        tape.recycle(grads);
    }
    let trained = logits(&net, &mut tape, &xs);

    // Save with PyTorch's names and a little metadata.
    let names: Vec<String> = net.named_params().into_iter().map(|(n, _)| n).collect();
    println!("parameters: {}", names.join(", "));
    let metadata = BTreeMap::from([
        ("example".to_owned(), "two_moons".to_owned()),
        ("steps".to_owned(), STEPS.to_string()),
        ("seed".to_owned(), SEED.to_string()),
    ]);
    save_safetensors(&path, &net.named_params(), &metadata)?;
    println!("saved {}", path.display());

    // Reload into a network initialised differently, and compare.
    let checkpoint = load_safetensors(&path)?;
    let mut restored = Sequential::<f32>::try_new(
        "classifier",
        &specs,
        Init::default(),
        &mut ChaCha8Rng::seed_from_u64(SEED + 1),
    )?;
    restored.load_from(&checkpoint)?;
    let reloaded = logits(&restored, &mut tape, &xs);
    let largest_difference = trained
        .iter()
        .zip(reloaded.iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    println!(
        "reloaded {} tensors, metadata {:?}; largest logit difference {largest_difference}",
        checkpoint.tensors.len(),
        checkpoint.metadata
    );
    if largest_difference != 0.0 {
        return Err("the reloaded network predicts differently from the trained one".into());
    }

    // The decision regions on a grid over the data: '0' and '1' are the
    // predicted class, '.' marks points the network is unsure of (p in 0.3..0.7).
    let (cols, rows) = (48, 16);
    let grid = Matrix::from_fn(cols * rows, 2, |i, j| {
        let (c, r) = (i % cols, i / cols);
        if j == 0 {
            -1.5 + 4.0 * c as f32 / (cols - 1) as f32
        } else {
            1.6 - 2.8 * r as f32 / (rows - 1) as f32
        }
    });
    let regions = logits(&restored, &mut tape, &grid);
    println!("\ndecision regions of the reloaded network, x in [-1.5, 2.5], y in [-1.2, 1.6]:");
    for r in 0..rows {
        let line: String = (0..cols)
            .map(|c| {
                let p = 1.0 / (1.0 + (-regions[r * cols + c]).exp());
                match p {
                    p if p < 0.3 => '0',
                    p if p > 0.7 => '1',
                    _ => '.',
                }
            })
            .collect();
        println!("  {line}");
    }
    Ok(())
}
