//! Fits `sin(x)` on [-π, π] with a 1-16-1 tanh network, using nothing but the
//! tape: the forward pass records operations, `backward()` returns the
//! gradients as a map, and a hand-written gradient-descent step updates the
//! parameters. No layers, no optimiser crate.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release -p vaelab-autodiff --example fit_sine
//! ```
//!
//! It prints the mean squared error as training goes, then the fitted curve
//! next to `sin(x)` at a few points. Everything is deterministic: the weights
//! come from a fixed-seed generator written below, so two runs print the same.

use std::f32::consts::PI;

use vaelab_autodiff::{FlushDenormals, Matrix, Param, Tape};

/// Number of training points, evenly spaced on [-π, π].
const POINTS: usize = 64;
/// Width of the hidden layer.
const HIDDEN: usize = 16;
/// Full-batch gradient-descent steps.
const STEPS: usize = 10_000;
/// Step size of the plain gradient-descent update.
const LEARNING_RATE: f32 = 0.05;

/// A tiny deterministic generator (xorshift64*), so that the example needs no
/// crate beyond the engine itself. Returns values uniform in [-1, 1).
struct Uniform(u64);

impl Uniform {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40; // 24 random bits
        bits as f32 / (1u64 << 23) as f32 - 1.0
    }

    /// A `rows × cols` matrix with entries uniform in [-bound, bound).
    fn matrix(&mut self, rows: usize, cols: usize, bound: f32) -> Matrix {
        Matrix::from_fn(rows, cols, |_, _| bound * self.next())
    }
}

/// The network's four parameters: `y = tanh(x·W1 + b1)·W2 + b2`.
struct Mlp {
    w1: Param,
    b1: Param,
    w2: Param,
    b2: Param,
}

impl Mlp {
    /// PyTorch-style uniform initialisation, bound 1/√fan_in.
    fn new(rng: &mut Uniform) -> Self {
        let bound2 = 1.0 / (HIDDEN as f32).sqrt();
        Mlp {
            w1: Param::new(rng.matrix(1, HIDDEN, 1.0)),
            b1: Param::new(rng.matrix(1, HIDDEN, 1.0)),
            w2: Param::new(rng.matrix(HIDDEN, 1, bound2)),
            b2: Param::new(rng.matrix(1, 1, bound2)),
        }
    }

    /// Records the forward pass of a column of inputs and returns the outputs.
    fn forward(&self, tape: &mut Tape, xs: &Matrix) -> vaelab_autodiff::Var {
        let xs = tape.constant(xs);
        let (w1, b1) = (tape.param(&self.w1), tape.param(&self.b1));
        let (w2, b2) = (tape.param(&self.w2), tape.param(&self.b2));
        let hidden = tape.affine(xs, w1, b1);
        let hidden = tape.tanh(hidden);
        tape.affine(hidden, w2, b2)
    }

    fn params_mut(&mut self) -> [&mut Param; 4] {
        [&mut self.w1, &mut self.b1, &mut self.w2, &mut self.b2]
    }
}

fn main() {
    // Saturated tanh units produce denormal gradients; flushing them keeps the
    // loop fast. The guard restores the previous mode when it goes out of scope.
    let _flush = FlushDenormals::enable();

    let xs = Matrix::from_fn(POINTS, 1, |i, _| {
        -PI + 2.0 * PI * i as f32 / (POINTS - 1) as f32
    });
    let targets = xs.map(f32::sin);

    let mut net = Mlp::new(&mut Uniform(0x5EED));
    let mut tape = Tape::new();
    println!(
        "fitting sin(x) on [-π, π]: {POINTS} points, 1-{HIDDEN}-1 tanh network, plain gradient descent (lr {LEARNING_RATE})"
    );
    for step in 0..=STEPS {
        // Forward: mean squared error between the network and sin(x).
        let predictions = net.forward(&mut tape, &xs);
        let targets_var = tape.constant(&targets);
        let error = tape.sub(predictions, targets_var);
        let squared = tape.square(error);
        let loss = tape.mean(squared);
        let loss_value = tape.scalar(loss);

        // Backward: one gradient matrix per parameter, looked up by parameter.
        let grads = tape.backward(loss);
        // Dropping the recorded nodes releases the tape's shared references to
        // the parameters, so the update below writes in place without copying.
        tape.reset();
        if step % 1_000 == 0 {
            println!("step {step:>5}  mse {loss_value:.6}");
        }
        if step == STEPS {
            break;
        }
        for param in net.params_mut() {
            let grad = grads
                .get(param)
                .expect("every parameter takes part in the loss");
            // The whole optimiser: w ← w − lr · ∂loss/∂w.
            for (w, g) in param.value_mut().iter_mut().zip(grad.iter()) {
                *w -= LEARNING_RATE * g;
            }
        }
        tape.recycle(grads);
    }

    // Evaluate at a few points between the training points.
    let probe = Matrix::from_row_slice(7, 1, &[-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]);
    let outputs = net.forward(&mut tape, &probe);
    let fitted = tape.value(outputs).clone();
    println!("\n     x    sin(x)    network");
    let mut worst = 0.0f32;
    for (x, y) in probe.iter().zip(fitted.iter()) {
        worst = worst.max((y - x.sin()).abs());
        println!("{x:>6.2}  {:>8.4}  {y:>9.4}", x.sin());
    }
    println!("largest error at these points: {worst:.4}");
}
