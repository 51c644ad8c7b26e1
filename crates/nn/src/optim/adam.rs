//! Adam (Kingma & Ba, 2015) exactly as PyTorch's `torch.optim.Adam`
//! computes it (single-tensor path, `amsgrad = False`):
//!
//! ```text
//! g  ← g + λ·p                      (only if weight_decay λ > 0: L2, not AdamW)
//! m  ← lerp(m, g, 1 − β₁)           (= β₁·m + (1 − β₁)·g)
//! v  ← β₂·v + (1 − β₂)·g²
//! step_size = lr / (1 − β₁ᵗ)
//! denom     = √v / √(1 − β₂ᵗ) + ε
//! p  ← p − step_size · m / denom
//! ```
//!
//! `t` counts the steps in which the parameter had a gradient. The scalar
//! factors are computed in `f64`, as Python computes them, then rounded to
//! the parameter's type; the elementwise work runs in that type.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::{Float, Gradients, PARALLEL_MIN_ELEMENTS, Param, ParamId};

use super::{Optimizer, check_lr, check_unit, gradient_of};
use crate::NnError;

/// Adam's hyperparameters. The defaults are PyTorch's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamConfig {
    /// Learning rate. Default `1e-3`.
    pub lr: f64,
    /// Decay of the first moment. Default `0.9`.
    pub beta1: f64,
    /// Decay of the second moment. Default `0.999`.
    pub beta2: f64,
    /// Added to the denominator for stability. Default `1e-8`.
    pub eps: f64,
    /// L2 penalty added to the gradient (PyTorch's `weight_decay`, not
    /// AdamW's decoupled decay). Default `0`.
    pub weight_decay: f64,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

impl AdamConfig {
    /// Checks every value's range; the error names the setting (`adam.lr`, …).
    pub fn validate(&self) -> Result<(), NnError> {
        check_lr("adam.lr", self.lr)?;
        check_unit("adam.beta1", self.beta1)?;
        check_unit("adam.beta2", self.beta2)?;
        if !(self.eps.is_finite() && self.eps > 0.0) {
            return Err(NnError::config(
                "adam.eps",
                format!("must be positive and finite, got {}", self.eps),
            ));
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return Err(NnError::config(
                "adam.weight_decay",
                format!("must be zero or positive, got {}", self.weight_decay),
            ));
        }
        Ok(())
    }
}

/// The moments of one parameter.
#[derive(Debug)]
struct Moments<T> {
    m: Vec<T>,
    v: Vec<T>,
    step: u64,
}

/// The Adam optimiser.
#[derive(Debug)]
pub struct Adam<T: Float = f32> {
    config: AdamConfig,
    state: HashMap<ParamId, Moments<T>>,
    /// Threads a large parameter's update may use (see [`Adam::set_threads`]).
    threads: usize,
}

impl<T: Float> Adam<T> {
    /// An optimiser with no state yet. The configuration is used as given;
    /// see [`Adam::try_new`] for a checked one.
    pub fn new(config: AdamConfig) -> Self {
        Adam {
            config,
            state: HashMap::new(),
            threads: 1,
        }
    }

    /// Lets the update of each parameter with at least
    /// [`PARALLEL_MIN_ELEMENTS`] elements run in pieces on up to `threads`
    /// threads of the current rayon pool (0 and 1 mean one). Every element
    /// is updated by the same code whatever its piece, so the parameters
    /// are the same bit for bit at any count. Default 1.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// [`Adam::new`] after [`AdamConfig::validate`].
    pub fn try_new(config: AdamConfig) -> Result<Self, NnError> {
        config.validate()?;
        Ok(Adam::new(config))
    }

    /// The hyperparameters.
    pub fn config(&self) -> &AdamConfig {
        &self.config
    }

    /// How many updates `param` has received.
    pub fn steps(&self, param: ParamId) -> u64 {
        self.state.get(&param).map_or(0, |s| s.step)
    }
}

impl<T: Float> Optimizer<T> for Adam<T> {
    fn step(&mut self, params: &mut [&mut Param<T>], grads: &Gradients<T>) {
        let c = self.config;
        let one_minus_beta1 = T::of_f64(1.0 - c.beta1);
        let beta2 = T::of_f64(c.beta2);
        let one_minus_beta2 = T::of_f64(1.0 - c.beta2);
        let eps = T::of_f64(c.eps);
        let weight_decay = T::of_f64(c.weight_decay);
        for param in params.iter_mut() {
            let Some(g) = gradient_of(param, grads) else {
                continue;
            };
            let state = self.state.entry(param.id()).or_insert_with(|| Moments {
                m: vec![T::zero(); g.len()],
                v: vec![T::zero(); g.len()],
                step: 0,
            });
            state.step += 1;
            // Python evaluates `beta ** step` with a float step: C's pow.
            let t = state.step as f64;
            let step_size = T::of_f64(c.lr / (1.0 - c.beta1.powf(t)));
            let bias2_sqrt = T::of_f64((1.0 - c.beta2.powf(t)).sqrt());

            let scalars = Scalars {
                one_minus_beta1,
                beta2,
                one_minus_beta2,
                eps,
                weight_decay,
                step_size,
                bias2_sqrt,
            };
            let values = param.value_mut().as_mut_slice();
            let (m, v) = (&mut state.m[..], &mut state.v[..]);
            // Each case gets its own loop without per-element branches, over
            // plain slices, so that the compiler vectorises it.
            let update = match (c.weight_decay > 0.0, one_minus_beta1 < T::of_f64(0.5)) {
                (false, true) => kernel::<T, false, true>,
                (false, false) => kernel::<T, false, false>,
                (true, true) => kernel::<T, true, true>,
                (true, false) => kernel::<T, true, false>,
            };
            let g = g.as_slice();
            if self.threads > 1 && values.len() >= PARALLEL_MIN_ELEMENTS {
                // Pieces of whole 64-element runs, one or two per thread.
                let piece = values.len().div_ceil(self.threads).next_multiple_of(64);
                values
                    .par_chunks_mut(piece)
                    .zip(m.par_chunks_mut(piece))
                    .zip(v.par_chunks_mut(piece))
                    .zip(g.par_chunks(piece))
                    .for_each(|(((p, m), v), g)| update(p, g, m, v, &scalars));
            } else {
                update(values, g, m, v, &scalars);
            }
        }
    }
}

/// The per-step constants of the update, in the parameter's type.
struct Scalars<T> {
    one_minus_beta1: T,
    beta2: T,
    one_minus_beta2: T,
    eps: T,
    weight_decay: T,
    step_size: T,
    bias2_sqrt: T,
}

/// The elementwise update of one parameter. `WD`: add the L2 term;
/// `NEAR_M`: the lerp weight `1 − β₁` is below ½, so lerp starts from `m`.
#[inline(always)]
fn kernel<T: Float, const WD: bool, const NEAR_M: bool>(
    p: &mut [T],
    g: &[T],
    m: &mut [T],
    v: &mut [T],
    s: &Scalars<T>,
) {
    let n = p.len();
    let (g, m, v) = (&g[..n], &mut m[..n], &mut v[..n]);
    for i in 0..n {
        let gi = if WD {
            g[i] + s.weight_decay * p[i]
        } else {
            g[i]
        };
        let mi = lerp::<T, NEAR_M>(m[i], gi, s.one_minus_beta1);
        let vi = v[i] * s.beta2 + s.one_minus_beta2 * (gi * gi);
        let denom = vi.sqrt() / s.bias2_sqrt + s.eps;
        p[i] -= s.step_size * (mi / denom);
        m[i] = mi;
        v[i] = vi;
    }
}

/// `a + w·(b − a)` the way PyTorch's `lerp` evaluates it: from the nearer
/// end (`NEAR_A` when `w < ½`), so that the result is exact at `w = 0` and
/// `w = 1`. The caller picks the end once per parameter, not per element.
#[inline(always)]
fn lerp<T: Float, const NEAR_A: bool>(a: T, b: T, w: T) -> T {
    if NEAR_A {
        a + w * (b - a)
    } else {
        b - (b - a) * (T::one() - w)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::optim::testing::{W0, quadratic};
    use nalgebra::DMatrix;
    use vaelab_autodiff::Tape;

    #[test]
    fn matches_pytorch_on_the_reference_quadratic() {
        // torch.optim.Adam([w], lr=0.1) in float64 (from the engine issue).
        let expected = [
            [0.900000001, -1.9000000001, 2.9000000000666667],
            [0.8011874216591668, -1.8001271881790861, 2.8001271881118397],
            [0.7048712525602996, -1.7004739335578973, 2.7004739334562102],
        ];
        let mut w = Param::new(DMatrix::from_row_slice(1, 3, &W0));
        let mut adam = Adam::new(AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        });
        let mut tape = Tape::new();
        for (step, want) in expected.iter().enumerate() {
            let (_, grads) = quadratic(&mut tape, &w);
            adam.step(&mut [&mut w], &grads);
            for (i, (&got, &want)) in w.value().iter().zip(want).enumerate() {
                assert!(
                    (got - want).abs() < 1e-12,
                    "step {}, w[{i}]: {got} against PyTorch's {want}",
                    step + 1
                );
            }
            tape.recycle(grads);
        }
        assert_eq!(adam.steps(w.id()), 3);
    }

    #[test]
    fn weight_decay_is_added_to_the_gradient() {
        // One step from w = 2 with gradient 1 and λ = 0.5: g = 1 + 0.5·2 = 2.
        let mut w = Param::new(DMatrix::from_element(1, 1, 2.0f64));
        let grads = {
            let mut tape = Tape::new();
            let wv = tape.param(&w);
            let loss = tape.sum(wv);
            tape.backward(loss)
        };
        let config = AdamConfig {
            lr: 0.01,
            weight_decay: 0.5,
            ..AdamConfig::default()
        };
        Adam::new(config).step(&mut [&mut w], &grads);
        // m̂ = 2, v̂ = 4: p −= 0.01 · 2 / (2 + 1e-8).
        let expected = 2.0 - 0.01 * 2.0 / (2.0 + 1e-8);
        assert!((w.value()[(0, 0)] - expected).abs() < 1e-15);
    }

    #[test]
    fn a_small_beta1_takes_the_other_lerp_branch() {
        // From w = 2 with gradient 1, β₁ = 0.3: m̂ = 1, v̂ = 1, p −= lr / (1 + ε).
        let mut w = Param::new(DMatrix::from_element(1, 1, 2.0f64));
        let grads = {
            let mut tape = Tape::new();
            let wv = tape.param(&w);
            let loss = tape.sum(wv);
            tape.backward(loss)
        };
        let config = AdamConfig {
            lr: 0.01,
            beta1: 0.3,
            ..AdamConfig::default()
        };
        Adam::new(config).step(&mut [&mut w], &grads);
        let expected = 2.0 - 0.01 / (1.0 + 1e-8);
        assert!((w.value()[(0, 0)] - expected).abs() < 1e-15);
    }

    #[test]
    fn parameters_without_gradients_are_left_alone() {
        let mut w = Param::new(DMatrix::from_row_slice(1, 3, &W0));
        let mut other = Param::new(DMatrix::from_element(2, 2, 1.0f64));
        let mut adam = Adam::new(AdamConfig::default());
        let mut tape = Tape::new();
        let (_, grads) = quadratic(&mut tape, &w);
        adam.step(&mut [&mut w, &mut other], &grads);
        assert_eq!(other.value(), &DMatrix::from_element(2, 2, 1.0));
        assert_eq!((adam.steps(w.id()), adam.steps(other.id())), (1, 0));
    }

    #[test]
    fn state_is_allocated_once() {
        let mut w = Param::new(DMatrix::from_row_slice(1, 3, &W0));
        let mut adam = Adam::new(AdamConfig::default());
        let mut tape = Tape::new();
        let (_, grads) = quadratic(&mut tape, &w);
        adam.step(&mut [&mut w], &grads);
        let id = w.id();
        let buffers = |a: &Adam<f64>| {
            let s = &a.state[&id];
            (s.m.as_ptr(), s.v.as_ptr())
        };
        let before = buffers(&adam);
        adam.step(&mut [&mut w], &grads);
        assert_eq!(buffers(&adam), before);
    }

    #[test]
    fn config_defaults_and_validation() {
        let d = AdamConfig::default();
        assert_eq!(
            (d.lr, d.beta1, d.beta2, d.eps, d.weight_decay),
            (1e-3, 0.9, 0.999, 1e-8, 0.0)
        );
        assert!(d.validate().is_ok());
        let parsed: AdamConfig = toml::from_str("lr = 0.01").unwrap();
        assert_eq!(parsed, AdamConfig { lr: 0.01, ..d });
        assert!(toml::from_str::<AdamConfig>("learning_rate = 0.01").is_err());
        let cases = [
            (AdamConfig { lr: 0.0, ..d }, "adam.lr"),
            (AdamConfig { lr: f64::NAN, ..d }, "adam.lr"),
            (AdamConfig { beta1: 1.0, ..d }, "adam.beta1"),
            (AdamConfig { beta2: -0.1, ..d }, "adam.beta2"),
            (AdamConfig { eps: 0.0, ..d }, "adam.eps"),
            (
                AdamConfig {
                    weight_decay: -1.0,
                    ..d
                },
                "adam.weight_decay",
            ),
        ];
        for (config, setting) in cases {
            let err = Adam::<f32>::try_new(config).unwrap_err().to_string();
            assert!(err.starts_with(setting), "{err}");
        }
    }

    #[test]
    fn lerp_is_exact_at_both_ends() {
        assert_eq!(lerp::<f64, true>(1.0, 3.0, 0.0), 1.0);
        assert_eq!(lerp::<f64, false>(1.0, 3.0, 1.0), 3.0);
        assert_eq!(lerp::<f64, true>(1.0, 3.0, 0.25), 1.5);
        assert_eq!(lerp::<f64, false>(1.0, 3.0, 0.75), 2.5);
        assert_eq!(lerp::<f64, true>(0.1, 0.3, 0.0), 0.1);
    }

    #[test]
    fn threaded_updates_equal_serial_ones_bit_for_bit() {
        // A 784 × 100 weight (above the split threshold, with a piece
        // boundary inside it) and a small bias, three steps with decay.
        let config = AdamConfig {
            weight_decay: 0.01,
            ..AdamConfig::default()
        };
        let values = |rows, cols, salt: usize| {
            DMatrix::from_fn(rows, cols, |i, j| {
                (((i * 7919 + j * 104_729 + salt) % 2001) as f32 - 1000.0) / 997.0
            })
        };
        let run = |threads: usize| {
            let mut w = Param::new(values(784, 100, 1));
            let mut b = Param::new(values(1, 100, 2));
            let mut adam = Adam::<f32>::new(config);
            adam.set_threads(threads);
            for step in 0..3 {
                let mut tape = Tape::<f32>::new();
                let (wv, bv) = (tape.param(&w), tape.param(&b));
                let ws = tape.square(wv);
                let sw = tape.sum(ws);
                let bs = tape.sum(bv);
                let loss = tape.add(sw, bs);
                let loss = tape.scale(loss, 0.5 + step as f32);
                let grads = tape.backward(loss);
                drop(tape);
                adam.step(&mut [&mut w, &mut b], &grads);
            }
            (w.value().clone(), b.value().clone())
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let (serial, threaded) = pool.install(|| (run(1), run(2)));
        let bits = |m: &DMatrix<f32>| m.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let first = bits(&serial.0)
            .iter()
            .zip(bits(&threaded.0))
            .position(|(a, b)| *a != b);
        assert_eq!(first, None, "weights differ first at element {first:?}");
        assert_eq!(bits(&serial.1), bits(&threaded.1), "biases differ");
        assert_ne!(serial.0, values(784, 100, 1), "the weights did not move");
    }
}
