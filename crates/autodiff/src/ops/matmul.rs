//! Matrix product `C = A·B`.
//!
//! Forward: `C = A·B`. Backward: `∂A += ∂C·Bᵀ`, `∂B += Aᵀ·∂C`. Both run
//! through [`gemm`] with `β = 1`, so they accumulate without temporaries.

use nalgebra::DMatrix;

use crate::float::{Trans, gemm};
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
        gemm(
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

pub(super) fn backward<T: Float>(tape: &mut Tape<T>, a: Var, b: Var, gy: &DMatrix<T>) {
    // A new gradient is written (β = 0), an existing one added to (β = 1).
    let beta = |fresh: bool| if fresh { T::zero() } else { T::one() };
    tape.accumulate_or_assign(a, |ga, nodes, fresh| {
        gemm(
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
        gemm(
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
    fn matmul_of_a_matrix_with_itself() {
        check("matmul square", &[random(3, 3, 3)], |t, v| {
            t.matmul(v[0], v[0])
        });
    }
}
