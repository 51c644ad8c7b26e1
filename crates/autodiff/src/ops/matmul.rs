//! Matrix product `C = A·B`, and the affine map `Y = X·W + b` fused.
//!
//! Forward: `C = A·B`. Backward: `∂A += ∂C·Bᵀ`, `∂B += Aᵀ·∂C`. Both run
//! through [`gemm`], accumulating (`β = 1`) or, for a new gradient, writing
//! (`β = 0`), so no temporaries are needed.
//!
//! `affine` is the product plus a bias row added to every row, in one node:
//! `∂X` and `∂W` are the product's, and `∂b += ` the column sums of `∂Y`.
//! Fusing saves a full pass over the (often 100 × 784) output each way.

use nalgebra::DMatrix;

use crate::float::{Trans, gemm_threaded};
use crate::split::for_pieces;
use crate::{Float, Tape, Var};

use super::Op;

impl<T: Float> Tape<T> {
    /// The matrix product `a · b` (`n×k · k×m → n×m`).
    ///
    /// # Panics
    /// If the inner dimensions differ.
    pub fn matmul(&mut self, a: Var, b: Var) -> Var {
        let (n, k) = self.shape(a);
        let (kb, m) = self.shape(b);
        assert_eq!(k, kb, "matmul: {n}×{k} · {kb}×{m} do not chain");
        let mut out = self.pool.take(n, m);
        gemm_threaded(
            self.threads(),
            T::one(),
            self.value(a),
            Trans::No,
            self.value(b),
            Trans::No,
            T::zero(),
            &mut out,
        );
        self.push(Op::MatMul(a, b), out, &[a, b])
    }
}

impl<T: Float> Tape<T> {
    /// `xs · w + b`, with the `1 × m` row `b` added to every row.
    ///
    /// # Panics
    /// If the shapes do not chain or `b` is not `1 × m`.
    pub fn affine(&mut self, xs: Var, w: Var, b: Var) -> Var {
        let (n, k) = self.shape(xs);
        let (kw, m) = self.shape(w);
        assert_eq!(k, kw, "affine: {n}×{k} · {kw}×{m} do not chain");
        assert_eq!(self.shape(b), (1, m), "affine: the bias must be 1×{m}");
        let mut out = self.pool.take(n, m);
        gemm_threaded(
            self.threads(),
            T::one(),
            self.value(xs),
            Trans::No,
            self.value(w),
            Trans::No,
            T::zero(),
            &mut out,
        );
        let (rows, bias) = (n.max(1), self.value(b).as_slice());
        let work = out.len();
        for_pieces(
            self.threads(),
            work,
            rows,
            out.as_mut_slice(),
            |at, piece| {
                for (column, &bias) in piece.chunks_exact_mut(rows).zip(&bias[at / rows..]) {
                    for y in column {
                        *y += bias;
                    }
                }
            },
        );
        self.push(Op::Affine(xs, w, b), out, &[xs, w, b])
    }
}

pub(super) fn backward_affine<T: Float>(
    tape: &mut Tape<T>,
    xs: Var,
    w: Var,
    b: Var,
    gy: &DMatrix<T>,
) {
    backward(tape, xs, w, gy);
    let rows = gy.nrows().max(1);
    let threads = tape.threads();
    tape.accumulate(b, |gb, _| {
        // Each column is summed whole, on one thread, whatever the split.
        for_pieces(threads, gy.len(), 1, gb.as_mut_slice(), |at, piece| {
            for (g, column) in piece
                .iter_mut()
                .zip(gy.as_slice().chunks_exact(rows).skip(at))
            {
                *g += super::reduce::sum_slice(column);
            }
        });
    });
}

pub(super) fn backward<T: Float>(tape: &mut Tape<T>, a: Var, b: Var, gy: &DMatrix<T>) {
    // A new gradient is written (β = 0), an existing one added to (β = 1).
    let beta = |fresh: bool| if fresh { T::zero() } else { T::one() };
    let threads = tape.threads();
    tape.accumulate_or_assign(a, |ga, nodes, fresh| {
        gemm_threaded(
            threads,
            T::one(),
            gy,
            Trans::No,
            Tape::val(nodes, b),
            Trans::Yes,
            beta(fresh),
            ga,
        )
    });
    tape.accumulate_or_assign(b, |gb, nodes, fresh| {
        gemm_threaded(
            threads,
            T::one(),
            Tape::val(nodes, a),
            Trans::Yes,
            gy,
            Trans::No,
            beta(fresh),
            gb,
        )
    });
}

#[cfg(test)]
mod tests {
    use crate::gradcheck::{check, random};

    #[test]
    fn matmul_gradients() {
        for (n, k, m) in [(1, 1, 1), (3, 4, 2), (5, 1, 3), (2, 7, 6)] {
            check("matmul", &[random(n, k, 1), random(k, m, 2)], |t, v| {
                t.matmul(v[0], v[1])
            });
        }
    }

    #[test]
    fn affine_gradients() {
        for (n, k, m) in [(1, 1, 1), (4, 3, 2), (5, 7, 3)] {
            check(
                "affine",
                &[random(n, k, 4), random(k, m, 5), random(1, m, 6)],
                |t, v| t.affine(v[0], v[1], v[2]),
            );
        }
    }

    #[test]
    fn affine_equals_matmul_then_add_exactly() {
        let mut t = crate::Tape::<f32>::new();
        let xs = t.constant(&random(6, 5, 7).map(|v| v as f32));
        let w = t.constant(&random(5, 4, 8).map(|v| v as f32));
        let b = t.constant(&random(1, 4, 9).map(|v| v as f32));
        let fused = t.affine(xs, w, b);
        let product = t.matmul(xs, w);
        let separate = t.add(product, b);
        assert_eq!(t.value(fused), t.value(separate));
    }

    #[test]
    fn matmul_of_a_matrix_with_itself() {
        check("matmul square", &[random(3, 3, 3)], |t, v| {
            t.matmul(v[0], v[0])
        });
    }
}
