//! Elementwise `a + b`, `a − b`, `a ⊙ b`, where either side may be a single
//! row that is repeated down the other (a bias added to every sample).
//!
//! Forward and derivatives, per element, with `y = f(a, b)`:
//!
//! | op  | y       | ∂y/∂a | ∂y/∂b |
//! |-----|---------|-------|-------|
//! | Add | a + b   | 1     | 1     |
//! | Sub | a − b   | 1     | −1    |
//! | Mul | a · b   | b     | a     |
//!
//! A broadcast operand receives the sum of its gradient over the rows.

use nalgebra::DMatrix;

use crate::{Float, Tape, Var};

use super::Op;

/// An elementwise binary operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    /// `a + b`
    Add,
    /// `a − b`
    Sub,
    /// `a ⊙ b`
    Mul,
}

impl Binary {
    fn forward<T: Float>(self, a: T, b: T) -> T {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
        }
    }

    /// `(∂y/∂a, ∂y/∂b)` at `(a, b)`.
    fn derivatives<T: Float>(self, a: T, b: T) -> (T, T) {
        match self {
            Binary::Add => (T::one(), T::one()),
            Binary::Sub => (T::one(), -T::one()),
            Binary::Mul => (b, a),
        }
    }
}

/// The output shape of `a ∘ b`, or a panic naming the op and both shapes.
fn broadcast_shape(kind: Binary, a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    let rows = match (a.0, b.0) {
        (x, y) if x == y => x,
        (1, y) => y,
        (x, 1) => x,
        _ => 0,
    };
    assert!(
        a.1 == b.1 && rows > 0,
        "{kind:?}: shapes {}×{} and {}×{} differ (only a 1-row operand is repeated)",
        a.0,
        a.1,
        b.0,
        b.1
    );
    (rows, a.1)
}

impl<T: Float> Tape<T> {
    fn binary(&mut self, kind: Binary, a: Var, b: Var) -> Var {
        let (rows, cols) = broadcast_shape(kind, self.shape(a), self.shape(b));
        let mut out = self.pool.take(rows, cols);
        let (va, vb) = (self.value(a), self.value(b));
        if va.shape() == vb.shape() {
            // The common case runs as one flat loop the compiler vectorises.
            for ((o, &x), &y) in out
                .as_mut_slice()
                .iter_mut()
                .zip(va.as_slice().iter())
                .zip(vb.as_slice().iter())
            {
                *o = kind.forward(x, y);
            }
        } else {
            let (ra, rb) = (va.nrows(), vb.nrows());
            let (sa, sb) = (va.as_slice(), vb.as_slice());
            for (j, ocol) in out.as_mut_slice().chunks_exact_mut(rows).enumerate() {
                let ((oa, step_a), (ob, step_b)) = (column(ra, j), column(rb, j));
                for (i, o) in ocol.iter_mut().enumerate() {
                    *o = kind.forward(sa[oa + i * step_a], sb[ob + i * step_b]);
                }
            }
        }
        self.push(Op::Binary(kind, a, b), out, &[a, b])
    }

    /// `a + b`; either may be one row, repeated.
    pub fn add(&mut self, a: Var, b: Var) -> Var {
        self.binary(Binary::Add, a, b)
    }

    /// `a − b`; either may be one row, repeated.
    pub fn sub(&mut self, a: Var, b: Var) -> Var {
        self.binary(Binary::Sub, a, b)
    }

    /// `a ⊙ b` elementwise; either may be one row, repeated.
    pub fn mul(&mut self, a: Var, b: Var) -> Var {
        self.binary(Binary::Mul, a, b)
    }
}

pub(super) fn backward<T: Float>(
    tape: &mut Tape<T>,
    kind: Binary,
    a: Var,
    b: Var,
    gy: &DMatrix<T>,
) {
    for (input, first) in [(a, true), (b, false)] {
        tape.accumulate(input, |g, nodes| {
            let rows = gy.nrows();
            if kind != Binary::Mul {
                // Sums and differences pass the gradient on unchanged (negated
                // for a subtrahend): a plain, vectorised add.
                let sign = if first || kind == Binary::Add {
                    T::one()
                } else {
                    -T::one()
                };
                if g.shape() == gy.shape() {
                    for (gi, &gyi) in g.as_mut_slice().iter_mut().zip(gy.as_slice().iter()) {
                        *gi += sign * gyi;
                    }
                } else {
                    // A repeated row collects the gradient of every row it fed.
                    for (gj, col) in g
                        .as_mut_slice()
                        .iter_mut()
                        .zip(gy.as_slice().chunks_exact(rows))
                    {
                        *gj += sign * super::reduce::sum_slice(col);
                    }
                }
                return;
            }
            let (va, vb) = (Tape::val(nodes, a), Tape::val(nodes, b));
            let (ra, rb, rg) = (va.nrows(), vb.nrows(), g.nrows());
            let (sa, sb, sg) = (va.as_slice(), vb.as_slice(), g.as_mut_slice());
            // Work column by column on contiguous slices: nalgebra stores
            // columns, and a repeated row has a single element per column.
            for (j, gcol) in gy.as_slice().chunks_exact(rows).enumerate() {
                let ((oa, step_a), (ob, step_b), (og, step_g)) =
                    (column(ra, j), column(rb, j), column(rg, j));
                for (i, &gyi) in gcol.iter().enumerate() {
                    let (da, db) = kind.derivatives(sa[oa + i * step_a], sb[ob + i * step_b]);
                    let d = if first { da } else { db };
                    sg[og + i * step_g] += d * gyi;
                }
            }
        });
    }
}

/// Offset and step of column `j` in a column-major buffer with `rows` rows;
/// a single row is repeated, so its step is 0.
#[inline]
fn column(rows: usize, j: usize) -> (usize, usize) {
    if rows == 1 { (j, 0) } else { (j * rows, 1) }
}

#[cfg(test)]
mod tests {
    use crate::gradcheck::{check, random};

    #[test]
    fn binary_gradients_same_shape() {
        let xs = [random(3, 4, 1), random(3, 4, 2)];
        check("add", &xs, |t, v| t.add(v[0], v[1]));
        check("sub", &xs, |t, v| t.sub(v[0], v[1]));
        check("mul", &xs, |t, v| t.mul(v[0], v[1]));
    }

    #[test]
    fn binary_gradients_with_a_repeated_row() {
        let (xs, bias) = (random(5, 3, 3), random(1, 3, 4));
        let right = [xs.clone(), bias.clone()];
        let left = [bias, xs];
        check("add row", &right, |t, v| t.add(v[0], v[1]));
        check("sub row", &right, |t, v| t.sub(v[0], v[1]));
        check("mul row", &right, |t, v| t.mul(v[0], v[1]));
        check("row add", &left, |t, v| t.add(v[0], v[1]));
        check("row sub", &left, |t, v| t.sub(v[0], v[1]));
        check("row mul", &left, |t, v| t.mul(v[0], v[1]));
    }

    #[test]
    fn a_bias_is_added_to_every_row() {
        let mut t = crate::Tape::<f64>::new();
        let xs = t.constant(&nalgebra::DMatrix::from_row_slice(
            2,
            2,
            &[1.0, 2.0, 3.0, 4.0],
        ));
        let b = t.constant(&nalgebra::DMatrix::from_row_slice(1, 2, &[10.0, 20.0]));
        let y = t.add(xs, b);
        assert_eq!(
            t.value(y),
            &nalgebra::DMatrix::from_row_slice(2, 2, &[11.0, 22.0, 13.0, 24.0])
        );
    }

    #[test]
    #[should_panic(expected = "shapes 2×3 and 3×3 differ")]
    fn mismatched_shapes_are_refused() {
        let mut t = crate::Tape::<f64>::new();
        let a = t.constant(&random(2, 3, 1));
        let b = t.constant(&random(3, 3, 1));
        t.add(a, b);
    }
}
