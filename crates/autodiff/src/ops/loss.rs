//! The fused, numerically stable losses a VAE needs, each per sample
//! (an `n × 1` column; take [`Tape::sum`] or [`Tape::mean`] for a batch).
//!
//! Cross-entropy of `y = σ(l)` against targets `x ∈ [0, 1]`, from the logits `l`:
//!   `−[x ln y + (1 − x) ln(1 − y)] = max(l, 0) − l·x + ln(1 + e^−|l|)`,
//!   `∂/∂l = σ(l) − x`, `∂/∂x = −l`.
//! Written this way it never takes `ln 0`, however saturated the sigmoid.
//!
//! Half the squared error of `y = σ(l)` against `x`, from the logits:
//!   `½(σ(l) − x)²`, `∂/∂l = (σ(l) − x)·σ(l)(1 − σ(l))`, `∂/∂x = −(σ(l) − x)`.
//!
//! KL divergence of `N(μ, σ²)` from `N(0, 1)`, per latent dimension:
//!   from σ:       `½(μ² + σ² − ln σ² − 1)`, `∂/∂μ = μ`, `∂/∂σ = σ − 1/σ`;
//!   from ln σ² = v: `½(μ² + eᵛ − v − 1)`,   `∂/∂μ = μ`, `∂/∂v = ½(eᵛ − 1)`.

use nalgebra::DMatrix;

use crate::split::{ALIGN, for_pieces, for_pieces2};
use crate::{Float, Tape, Var};

use super::Op;

#[inline(always)]
fn bce<T: Float>(l: T, x: T) -> T {
    l.max(T::zero()) - l * x + (-l.abs()).exp_fast().ln_1p_fast()
}

#[inline(always)]
fn sigmoid<T: Float>(l: T) -> T {
    T::one() / (T::one() + (-l).exp_fast())
}

#[inline(always)]
fn half_squared_error<T: Float>(l: T, x: T) -> T {
    let d = sigmoid(l) - x;
    T::of_f64(0.5) * d * d
}

#[inline(always)]
fn kl_sigma<T: Float>(mu: T, sigma: T) -> T {
    let s2 = sigma * sigma;
    T::of_f64(0.5) * (mu * mu + s2 - s2.ln_fast() - T::one())
}

#[inline(always)]
fn kl_log_var<T: Float>(mu: T, v: T) -> T {
    T::of_f64(0.5) * (mu * mu + v.exp_fast() - v - T::one())
}

impl<T: Float> Tape<T> {
    /// Per-sample cross-entropy of `σ(logits)` against `targets` (`n × 1`).
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn bce_with_logits(&mut self, logits: Var, targets: Var) -> Var {
        self.rowwise(Op::BceWithLogits(logits, targets), logits, targets, bce)
    }

    /// Per-sample `½ Σ (σ(logits) − targets)²` (`n × 1`).
    pub fn sse_with_logits(&mut self, logits: Var, targets: Var) -> Var {
        self.rowwise(
            Op::SseWithLogits(logits, targets),
            logits,
            targets,
            half_squared_error,
        )
    }

    /// Per-sample KL divergence of `N(μ, σ²)` from `N(0, I)` (`n × 1`).
    pub fn kl_normal(&mut self, mu: Var, sigma: Var) -> Var {
        self.rowwise(Op::KlSigma(mu, sigma), mu, sigma, kl_sigma)
    }

    /// Per-sample KL divergence of `N(μ, e^v)` from `N(0, I)`, `v = ln σ²` (`n × 1`).
    pub fn kl_normal_log_var(&mut self, mu: Var, log_var: Var) -> Var {
        self.rowwise(Op::KlLogVar(mu, log_var), mu, log_var, kl_log_var)
    }

    /// Sums `f(a, b)` along each row of two equally shaped tensors.
    fn rowwise(&mut self, op: Op<T>, a: Var, b: Var, f: impl Fn(T, T) -> T + Sync) -> Var {
        let ((ra, ca), (rb, cb)) = (self.shape(a), self.shape(b));
        assert_eq!(
            (ra, ca),
            (rb, cb),
            "{op:?}: shapes {ra}×{ca} and {rb}×{cb} differ"
        );
        // One flat pass computes every element: a loop over each 100-row
        // column would leave 4 of every 100 elements to slow scalar code.
        let mut terms = self.pool.take(ra, ca);
        let (va, vb) = (self.value(a).as_slice(), self.value(b).as_slice());
        for_pieces(
            self.threads(),
            va.len(),
            ALIGN,
            terms.as_mut_slice(),
            |at, piece| {
                for ((t, &x), &y) in piece.iter_mut().zip(&va[at..]).zip(&vb[at..]) {
                    *t = f(x, y);
                }
            },
        );
        let mut out = self.pool.zeros(ra, 1);
        add_row_sums(&mut out, &terms);
        self.pool.give(terms);
        self.push(op, out, &[a, b])
    }
}

/// Adds the sum of each row of `m` to `out` (`n × 1`).
fn add_row_sums<T: Float>(out: &mut DMatrix<T>, m: &DMatrix<T>) {
    for col in m.as_slice().chunks_exact(m.nrows().max(1)) {
        for (o, &v) in out.as_mut_slice().iter_mut().zip(col) {
            *o += v;
        }
    }
}

/// Adds `∂f/∂input · gy[row]` into the input's gradient, the derivative
/// `d(a, b)` evaluated in one flat (vectorised) pass first, over each piece
/// of whole columns when the work is split over threads.
fn rowwise_backward<T: Float>(
    tape: &mut Tape<T>,
    input: Var,
    a: Var,
    b: Var,
    gy: &DMatrix<T>,
    d: impl Fn(T, T) -> T + Sync,
) {
    if !tape.needs_grad(input) {
        return;
    }
    let (rows, cols) = tape.shape(a);
    let threads = tape.threads();
    let mut slopes = tape.pool.take(rows, cols);
    let rows = rows.max(1);
    let gy = gy.as_slice();
    // Split by whole columns: each row's gradient factor is read once per column.
    tape.accumulate(input, |g, nodes| {
        let (va, vb) = (
            Tape::val(nodes, a).as_slice(),
            Tape::val(nodes, b).as_slice(),
        );
        for_pieces2(
            threads,
            rows,
            g.as_mut_slice(),
            slopes.as_mut_slice(),
            |at, g, s| {
                for ((s, &x), &y) in s.iter_mut().zip(&va[at..]).zip(&vb[at..]) {
                    *s = d(x, y);
                }
                for (gc, sc) in g.chunks_exact_mut(rows).zip(s.chunks_exact(rows)) {
                    for ((gi, &si), &gyi) in gc.iter_mut().zip(sc).zip(gy) {
                        *gi += si * gyi;
                    }
                }
            },
        );
    });
    tape.pool.give(slopes);
}

pub(super) fn backward_sse<T: Float>(
    tape: &mut Tape<T>,
    logits: Var,
    targets: Var,
    gy: &DMatrix<T>,
) {
    rowwise_backward(tape, logits, logits, targets, gy, |l, x| {
        let y = sigmoid(l);
        (y - x) * y * (T::one() - y)
    });
    rowwise_backward(tape, targets, logits, targets, gy, |l, x| x - sigmoid(l));
}

pub(super) fn backward_bce<T: Float>(
    tape: &mut Tape<T>,
    logits: Var,
    targets: Var,
    gy: &DMatrix<T>,
) {
    rowwise_backward(tape, logits, logits, targets, gy, |l, x| sigmoid(l) - x);
    rowwise_backward(tape, targets, logits, targets, gy, |l, _| -l);
}

pub(super) fn backward_kl_sigma<T: Float>(
    tape: &mut Tape<T>,
    mu: Var,
    sigma: Var,
    gy: &DMatrix<T>,
) {
    rowwise_backward(tape, mu, mu, sigma, gy, |m, _| m);
    rowwise_backward(tape, sigma, mu, sigma, gy, |_, s| s - T::one() / s);
}

pub(super) fn backward_kl_log_var<T: Float>(
    tape: &mut Tape<T>,
    mu: Var,
    log_var: Var,
    gy: &DMatrix<T>,
) {
    let half = T::of_f64(0.5);
    rowwise_backward(tape, mu, mu, log_var, gy, |m, _| m);
    rowwise_backward(tape, log_var, mu, log_var, gy, |_, v| {
        half * (v.exp_fast() - T::one())
    });
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use crate::Tape;
    use crate::gradcheck::{check, random, random_positive};

    fn row(values: &[f64]) -> DMatrix<f64> {
        DMatrix::from_row_slice(1, values.len(), values)
    }

    #[test]
    fn cross_entropy_matches_the_reference() {
        // Reference computed with PyTorch 2.15 in f64 (issue: the engine).
        let ys = [0.1, 0.5, 0.9];
        let logits: Vec<f64> = ys
            .as_slice()
            .iter()
            .map(|y: &f64| (y / (1.0 - y)).ln())
            .collect();
        let mut t = Tape::<f64>::new();
        let l = t.constant(&row(&logits));
        let x = t.constant(&row(&[0.0, 0.25, 1.0]));
        let ce = t.bce_with_logits(l, x);
        assert!(
            (t.scalar(ce) - 0.9038682118755978).abs() < 1e-12,
            "{}",
            t.scalar(ce)
        );
    }

    #[test]
    fn kl_matches_the_reference_from_sigma_and_from_log_var() {
        let mut t = Tape::<f64>::new();
        let mu = t.constant(&row(&[0.3, -0.2]));
        let sigma = t.constant(&row(&[0.8, 1.5]));
        let log_var = t.constant(&row(&[(0.8f64 * 0.8).ln(), (1.5f64 * 1.5).ln()]));
        let (a, b) = (t.kl_normal(mu, sigma), t.kl_normal_log_var(mu, log_var));
        assert!(
            (t.scalar(a) - 0.32767844320604533).abs() < 1e-12,
            "{}",
            t.scalar(a)
        );
        assert!(
            (t.scalar(b) - 0.32767844320604533).abs() < 1e-12,
            "{}",
            t.scalar(b)
        );
    }

    #[test]
    fn cross_entropy_stays_finite_when_the_sigmoid_saturates() {
        let mut t = Tape::<f32>::new();
        let l = t.constant(&DMatrix::from_row_slice(1, 2, &[-500.0, 500.0]));
        let x = t.constant(&DMatrix::from_row_slice(1, 2, &[1.0, 0.0]));
        let ce = t.bce_with_logits(l, x);
        assert_eq!(t.scalar(ce), 1000.0);
    }

    #[test]
    fn loss_gradients() {
        let targets = random(4, 3, 21).map(|v| (v + 1.0) / 2.0);
        check("bce_with_logits", &[random(4, 3, 20), targets], |t, v| {
            t.bce_with_logits(v[0], v[1])
        });
        check(
            "kl_normal",
            &[random(4, 3, 22), random_positive(4, 3, 23)],
            |t, v| t.kl_normal(v[0], v[1]),
        );
        check(
            "kl_normal_log_var",
            &[random(4, 3, 24), random(4, 3, 25)],
            |t, v| t.kl_normal_log_var(v[0], v[1]),
        );
    }
}
