//! Functions applied to every element on its own: activations, `exp`, `log`,
//! powers, and multiplying or shifting by a constant.
//!
//! | op         | y = f(x)                     | dy/dx          |
//! |------------|------------------------------|----------------|
//! | Sigmoid    | 1 / (1 + e^−x)               | y (1 − y)      |
//! | Relu       | max(x, 0)                    | 1 if x > 0 else 0 |
//! | Tanh       | tanh x                       | 1 − y²         |
//! | Exp        | e^x                          | y              |
//! | Log        | ln x                         | 1 / x          |
//! | Square     | x²                           | 2x             |
//! | Sqrt       | √x                           | 1 / (2y)       |
//! | Softplus   | ln(1 + e^x)                  | σ(x)           |
//! | LogSigmoid | ln σ(x) = −softplus(−x)      | 1 − σ(x) = 1 − e^y |
//! | scale c    | c·x                          | c              |
//! | shift c    | x + c                        | 1              |
//!
//! `Softplus` and `LogSigmoid` are written as `max(x, 0) + ln(1 + e^−|x|)` so
//! that neither overflows nor returns `ln 0` for large `|x|`.

use nalgebra::DMatrix;

use crate::split::{ALIGN, for_pieces};
use crate::{Float, Tape, Var};

use super::Op;

/// A function applied elementwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unary {
    /// The logistic function.
    Sigmoid,
    /// The rectifier.
    Relu,
    /// The hyperbolic tangent.
    Tanh,
    /// The exponential.
    Exp,
    /// The natural logarithm.
    Log,
    /// `x²`.
    Square,
    /// `√x`.
    Sqrt,
    /// `ln(1 + eˣ)`.
    Softplus,
    /// `ln σ(x)`.
    LogSigmoid,
}

/// `ln(1 + e^x)` without overflow.
#[inline(always)]
fn softplus<T: Float>(x: T) -> T {
    x.max(T::zero()) + (-x.abs()).exp_fast().ln_1p_fast()
}

#[inline(always)]
fn sigmoid<T: Float>(x: T) -> T {
    T::one() / (T::one() + (-x).exp_fast())
}

impl Unary {
    /// `y = f(x)`.
    #[inline(always)]
    fn forward<T: Float>(self, x: T) -> T {
        match self {
            Unary::Sigmoid => sigmoid(x),
            Unary::Relu => x.max(T::zero()),
            Unary::Tanh => x.tanh(),
            Unary::Exp => x.exp_fast(),
            Unary::Log => x.ln_fast(),
            Unary::Square => x * x,
            Unary::Sqrt => x.sqrt(),
            Unary::Softplus => softplus(x),
            Unary::LogSigmoid => -softplus(-x),
        }
    }

    /// `dy/dx` at `x`, given `y = f(x)` (often the cheaper form).
    #[inline(always)]
    fn derivative<T: Float>(self, x: T, y: T) -> T {
        let one = T::one();
        match self {
            Unary::Sigmoid => y * (one - y),
            Unary::Relu => {
                if x > T::zero() {
                    one
                } else {
                    T::zero()
                }
            }
            Unary::Tanh => one - y * y,
            Unary::Exp => y,
            Unary::Log => one / x,
            Unary::Square => x + x,
            Unary::Sqrt => one / (y + y),
            Unary::Softplus => sigmoid(x),
            Unary::LogSigmoid => one - y.exp_fast(),
        }
    }
}

/// `ys[i] = f(xs[i])`, split over `threads` when the buffers are large.
#[inline(always)]
fn map<T: Float>(threads: usize, xs: &[T], ys: &mut [T], f: impl Fn(T) -> T + Sync) {
    for_pieces(threads, xs.len(), ALIGN, ys, |at, piece| {
        for (y, &x) in piece.iter_mut().zip(&xs[at..]) {
            *y = f(x);
        }
    });
}

impl<T: Float> Tape<T> {
    /// Applies `kind` to every element.
    pub fn unary(&mut self, kind: Unary, x: Var) -> Var {
        let (rows, cols) = self.shape(x);
        let mut out = self.pool.take(rows, cols);
        let (threads, xs, ys) = (self.threads(), self.value(x).as_slice(), out.as_mut_slice());
        // One arm per kind, so that each loop is specialised (and
        // vectorised) for its function instead of matching per element.
        match kind {
            Unary::Sigmoid => map(threads, xs, ys, |x| Unary::Sigmoid.forward(x)),
            Unary::Relu => map(threads, xs, ys, |x| Unary::Relu.forward(x)),
            Unary::Tanh => map(threads, xs, ys, |x| Unary::Tanh.forward(x)),
            Unary::Exp => map(threads, xs, ys, |x| Unary::Exp.forward(x)),
            Unary::Log => map(threads, xs, ys, |x| Unary::Log.forward(x)),
            Unary::Square => map(threads, xs, ys, |x| Unary::Square.forward(x)),
            Unary::Sqrt => map(threads, xs, ys, |x| Unary::Sqrt.forward(x)),
            Unary::Softplus => map(threads, xs, ys, |x| Unary::Softplus.forward(x)),
            Unary::LogSigmoid => map(threads, xs, ys, |x| Unary::LogSigmoid.forward(x)),
        }
        self.push(Op::Unary(kind, x), out, &[x])
    }

    /// `1 / (1 + e^−x)` elementwise.
    pub fn sigmoid(&mut self, x: Var) -> Var {
        self.unary(Unary::Sigmoid, x)
    }

    /// `max(x, 0)` elementwise.
    pub fn relu(&mut self, x: Var) -> Var {
        self.unary(Unary::Relu, x)
    }

    /// `tanh x` elementwise.
    pub fn tanh(&mut self, x: Var) -> Var {
        self.unary(Unary::Tanh, x)
    }

    /// `eˣ` elementwise.
    pub fn exp(&mut self, x: Var) -> Var {
        self.unary(Unary::Exp, x)
    }

    /// `ln x` elementwise.
    pub fn log(&mut self, x: Var) -> Var {
        self.unary(Unary::Log, x)
    }

    /// `x²` elementwise.
    pub fn square(&mut self, x: Var) -> Var {
        self.unary(Unary::Square, x)
    }

    /// `√x` elementwise.
    pub fn sqrt(&mut self, x: Var) -> Var {
        self.unary(Unary::Sqrt, x)
    }

    /// `ln(1 + eˣ)` elementwise, stable for large `|x|`.
    pub fn softplus(&mut self, x: Var) -> Var {
        self.unary(Unary::Softplus, x)
    }

    /// `ln σ(x)` elementwise, stable for large `|x|`.
    pub fn log_sigmoid(&mut self, x: Var) -> Var {
        self.unary(Unary::LogSigmoid, x)
    }

    /// `c · x`.
    pub fn scale(&mut self, x: Var, c: T) -> Var {
        let (rows, cols) = self.shape(x);
        let mut out = self.pool.take(rows, cols);
        for (o, &xi) in out
            .as_mut_slice()
            .iter_mut()
            .zip(self.value(x).as_slice().iter())
        {
            *o = c * xi;
        }
        self.push(Op::Scale(x, c), out, &[x])
    }

    /// `−x`.
    pub fn neg(&mut self, x: Var) -> Var {
        self.scale(x, -T::one())
    }

    /// `x + c` for a constant `c`.
    pub fn add_scalar(&mut self, x: Var, c: T) -> Var {
        let (rows, cols) = self.shape(x);
        let mut out = self.pool.take(rows, cols);
        for (o, &xi) in out
            .as_mut_slice()
            .iter_mut()
            .zip(self.value(x).as_slice().iter())
        {
            *o = xi + c;
        }
        self.push(Op::AddScalar(x, c), out, &[x])
    }
}

pub(super) fn backward_unary<T: Float>(
    tape: &mut Tape<T>,
    kind: Unary,
    x: Var,
    out: usize,
    gy: &DMatrix<T>,
) {
    let threads = tape.threads();
    tape.accumulate(x, |g, nodes| {
        let (xs, ys) = (Tape::val(nodes, x).as_slice(), nodes[out].value.as_slice());
        let (gy, g) = (gy.as_slice(), g.as_mut_slice());
        // One specialised loop per kind, as in the forward pass.
        let d = |k: Unary| move |x, y| k.derivative(x, y);
        match kind {
            Unary::Sigmoid => add_slopes(threads, xs, ys, gy, g, d(Unary::Sigmoid)),
            Unary::Relu => add_slopes(threads, xs, ys, gy, g, d(Unary::Relu)),
            Unary::Tanh => add_slopes(threads, xs, ys, gy, g, d(Unary::Tanh)),
            Unary::Exp => add_slopes(threads, xs, ys, gy, g, d(Unary::Exp)),
            Unary::Log => add_slopes(threads, xs, ys, gy, g, d(Unary::Log)),
            Unary::Square => add_slopes(threads, xs, ys, gy, g, d(Unary::Square)),
            Unary::Sqrt => add_slopes(threads, xs, ys, gy, g, d(Unary::Sqrt)),
            Unary::Softplus => add_slopes(threads, xs, ys, gy, g, d(Unary::Softplus)),
            Unary::LogSigmoid => add_slopes(threads, xs, ys, gy, g, d(Unary::LogSigmoid)),
        }
    });
}

/// `g[i] += d(xs[i], ys[i]) · gy[i]`, split over `threads` when large.
#[inline(always)]
fn add_slopes<T: Float>(
    threads: usize,
    xs: &[T],
    ys: &[T],
    gy: &[T],
    g: &mut [T],
    d: impl Fn(T, T) -> T + Sync,
) {
    for_pieces(threads, gy.len(), ALIGN, g, |at, piece| {
        for (((gi, &xi), &yi), &gyi) in piece
            .iter_mut()
            .zip(&xs[at..])
            .zip(&ys[at..])
            .zip(&gy[at..])
        {
            *gi += d(xi, yi) * gyi;
        }
    });
}

pub(super) fn backward_scale<T: Float>(tape: &mut Tape<T>, x: Var, c: T, gy: &DMatrix<T>) {
    tape.accumulate(x, |g, _| {
        for (gi, &gyi) in g.as_mut_slice().iter_mut().zip(gy.as_slice().iter()) {
            *gi += c * gyi;
        }
    });
}

pub(super) fn backward_add_scalar<T: Float>(tape: &mut Tape<T>, x: Var, gy: &DMatrix<T>) {
    tape.accumulate(x, |g, _| *g += gy);
}

#[cfg(test)]
mod tests {
    use super::Unary;
    use crate::gradcheck::{check, random, random_positive};

    #[test]
    fn unary_gradients() {
        let xs = [random(4, 3, 7)];
        for kind in [
            Unary::Sigmoid,
            Unary::Relu,
            Unary::Tanh,
            Unary::Exp,
            Unary::Square,
            Unary::Softplus,
            Unary::LogSigmoid,
        ] {
            check(&format!("{kind:?}"), &xs, |t, v| t.unary(kind, v[0]));
        }
        let positive = [random_positive(4, 3, 8)];
        check("Log", &positive, |t, v| t.log(v[0]));
        check("Sqrt", &positive, |t, v| t.sqrt(v[0]));
    }

    #[test]
    fn scale_shift_neg_gradients() {
        let xs = [random(2, 5, 9)];
        check("scale", &xs, |t, v| t.scale(v[0], -2.5));
        check("add_scalar", &xs, |t, v| t.add_scalar(v[0], 3.0));
        check("neg", &xs, |t, v| t.neg(v[0]));
    }

    #[test]
    fn stable_forms_survive_extreme_inputs() {
        let mut t = crate::Tape::<f32>::new();
        let x = t.constant(&nalgebra::DMatrix::from_row_slice(1, 2, &[-200.0, 200.0]));
        let ls = t.log_sigmoid(x);
        let sp = t.softplus(x);
        assert_eq!(t.value(ls).as_slice(), &[-200.0, 0.0]);
        assert_eq!(t.value(sp).as_slice(), &[0.0, 200.0]);
    }

    #[test]
    fn relu_has_zero_slope_on_the_negative_side() {
        let p = crate::Param::new(nalgebra::DMatrix::from_row_slice(1, 2, &[-1.0f64, 2.0]));
        let mut t = crate::Tape::new();
        let x = t.param(&p);
        let y = t.relu(x);
        let s = t.sum(y);
        let g = t.backward(s);
        assert_eq!(
            g.get(&p).map(|g| g.as_slice().to_vec()),
            Some(vec![0.0, 1.0])
        );
    }
}
