//! Finite-difference gradient checks.
//!
//! [`gradcheck`] compares the tape's gradients with central differences
//! `(f(x + ε) − f(x − ε)) / 2ε`, element by element, in `f64`: in `f32` the
//! rounding error of the difference quotient would hide real mistakes.
//! A function with a non-scalar output is checked through `Σ w ⊙ f(x)` with
//! fixed pseudo-random weights `w`, so every output element takes part and a
//! wrong sign in one of them cannot cancel out.

use nalgebra::DMatrix;

use crate::{Param, Tape, Var};

/// Step and tolerances of a gradient check.
#[derive(Debug, Clone, Copy)]
pub struct GradcheckConfig {
    /// Half-width of the central difference. Default `1e-6`.
    pub eps: f64,
    /// Relative tolerance. Default `1e-5`.
    pub rtol: f64,
    /// Absolute tolerance. Default `1e-7`.
    pub atol: f64,
}

impl Default for GradcheckConfig {
    fn default() -> Self {
        GradcheckConfig {
            eps: 1e-6,
            rtol: 1e-5,
            atol: 1e-7,
        }
    }
}

/// Why a gradient check failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GradcheckError {
    /// An analytic gradient disagrees with the finite difference.
    #[error(
        "input {input}, element ({row}, {col}): analytic gradient {analytic:e}, numeric {numeric:e}"
    )]
    Mismatch {
        /// Which input matrix.
        input: usize,
        /// The element's row.
        row: usize,
        /// The element's column.
        col: usize,
        /// The tape's gradient.
        analytic: f64,
        /// The central difference.
        numeric: f64,
    },
    /// The function's value is not finite at the checked point.
    #[error("the function is not finite at the checked point ({0})")]
    NotFinite(f64),
    /// The tape returned no gradient for an input the function uses.
    #[error("input {0} got no gradient")]
    MissingGradient(usize),
}

/// Checks the gradients of `f` at `inputs` against central differences.
///
/// `f` records its computation on the given tape from the given handles (one
/// per input, in order) and returns the output.
pub fn gradcheck(
    inputs: &[DMatrix<f64>],
    f: impl Fn(&mut Tape<f64>, &[Var]) -> Var,
    config: GradcheckConfig,
) -> Result<(), GradcheckError> {
    let params: Vec<Param<f64>> = inputs.iter().cloned().map(Param::new).collect();
    let mut tape = Tape::new();
    let loss = record(&mut tape, &params, &f);
    let value = tape.scalar(loss);
    if !value.is_finite() {
        return Err(GradcheckError::NotFinite(value));
    }
    let grads = tape.backward(loss);

    for (k, input) in inputs.iter().enumerate() {
        let zeros = DMatrix::zeros(input.nrows(), input.ncols());
        // An input the output ignores legitimately has no gradient.
        let analytic = grads.get(&params[k]).unwrap_or(&zeros);
        let mut any = false;
        for col in 0..input.ncols() {
            for row in 0..input.nrows() {
                let at = |delta: f64| {
                    let mut moved = params.clone();
                    moved[k].value_mut()[(row, col)] += delta;
                    let mut tape = Tape::new();
                    let loss = record(&mut tape, &moved, &f);
                    tape.scalar(loss)
                };
                let numeric = (at(config.eps) - at(-config.eps)) / (2.0 * config.eps);
                let a = analytic[(row, col)];
                any |= numeric.abs() > config.atol;
                if (a - numeric).abs() > config.atol + config.rtol * a.abs().max(numeric.abs()) {
                    return Err(GradcheckError::Mismatch {
                        input: k,
                        row,
                        col,
                        analytic: a,
                        numeric,
                    });
                }
            }
        }
        if any && grads.get(&params[k]).is_none() {
            return Err(GradcheckError::MissingGradient(k));
        }
    }
    Ok(())
}

/// Runs `f` on fresh handles and reduces its output to a scalar.
fn record(
    tape: &mut Tape<f64>,
    params: &[Param<f64>],
    f: &impl Fn(&mut Tape<f64>, &[Var]) -> Var,
) -> Var {
    let vars: Vec<Var> = params.iter().map(|p| tape.param(p)).collect();
    let out = f(tape, &vars);
    let (rows, cols) = tape.shape(out);
    if (rows, cols) == (1, 1) {
        return out;
    }
    let weights = tape.constant(&uniform(rows, cols, 0x5eed));
    let weighted = tape.mul(out, weights);
    tape.sum(weighted)
}

/// A `rows × cols` matrix of reproducible values in (−1, 1), from a SplitMix64
/// stream seeded by `seed`: test inputs without a random-number dependency.
pub fn uniform(rows: usize, cols: usize, seed: u64) -> DMatrix<f64> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    DMatrix::from_fn(rows, cols, |_, _| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    })
}

/// Test inputs in (−1, 1).
#[cfg(test)]
pub(crate) fn random(rows: usize, cols: usize, seed: u64) -> DMatrix<f64> {
    uniform(rows, cols, seed)
}

/// Test inputs in (0.2, 2.2), for `log`, `sqrt` and σ.
#[cfg(test)]
pub(crate) fn random_positive(rows: usize, cols: usize, seed: u64) -> DMatrix<f64> {
    uniform(rows, cols, seed).map(|v| v + 1.2)
}

/// Runs [`gradcheck`] with the default tolerances and panics with the op's
/// name and the failing element.
#[cfg(test)]
pub(crate) fn check(
    name: &str,
    inputs: &[DMatrix<f64>],
    f: impl Fn(&mut Tape<f64>, &[Var]) -> Var,
) {
    if let Err(e) = gradcheck(inputs, f, GradcheckConfig::default()) {
        panic!("gradient check of {name} failed: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_derivative_is_caught_with_its_index() {
        // x ↦ x·x·x recorded as square(x)·x is right; scaling by a constant the
        // check does not know about makes the values, not the gradients, differ,
        // so instead break the rule itself: use relu's slope where tanh's belongs.
        let xs = [uniform(2, 2, 1)];
        let ok = gradcheck(&xs, |t, v| t.tanh(v[0]), GradcheckConfig::default());
        assert_eq!(ok, Ok(()));
        // A function whose tape does not reflect its value: adds a constant
        // that depends on the input through a side channel.
        let err = gradcheck(
            &xs,
            |t, v| {
                let x00 = t.value(v[0])[(0, 0)];
                let hidden = t.constant(&DMatrix::from_element(2, 2, x00 * x00));
                t.add(v[0], hidden)
            },
            GradcheckConfig::default(),
        );
        match err {
            Err(GradcheckError::Mismatch {
                input: 0,
                row: 0,
                col: 0,
                ..
            }) => {}
            other => panic!("expected a mismatch at (0, 0), got {other:?}"),
        }
    }

    #[test]
    fn uniform_is_reproducible_and_in_range() {
        let a = uniform(10, 10, 7);
        assert_eq!(a, uniform(10, 10, 7));
        assert_ne!(a, uniform(10, 10, 8));
        assert!(a.iter().all(|v| (-1.0..1.0).contains(v)));
    }
}
