//! Sums over all elements, over each row, or over each column; means are
//! sums scaled by the count.
//!
//! Every element contributes to its sum with slope 1, so the backward pass
//! spreads the sum's gradient back over the elements it came from.

use nalgebra::DMatrix;

use crate::{Float, Tape, Var};

use super::Op;

impl<T: Float> Tape<T> {
    /// The sum of all elements, `1 × 1`.
    pub fn sum(&mut self, x: Var) -> Var {
        let mut out = self.pool.take(1, 1);
        out[(0, 0)] = sum_slice(self.value(x).as_slice());
        self.push(Op::Sum(x), out, &[x])
    }

    /// The sum of each row (one per sample), `n × 1`.
    pub fn row_sums(&mut self, x: Var) -> Var {
        let (rows, _) = self.shape(x);
        let mut out = self.pool.zeros(rows, 1);
        for col in self.value(x).as_slice().chunks_exact(rows.max(1)) {
            for (o, &v) in out.as_mut_slice().iter_mut().zip(col) {
                *o += v;
            }
        }
        self.push(Op::RowSums(x), out, &[x])
    }

    /// The sum of each column, `1 × m`.
    pub fn col_sums(&mut self, x: Var) -> Var {
        let (rows, cols) = self.shape(x);
        let mut out = self.pool.take(1, cols);
        for (o, col) in out
            .as_mut_slice()
            .iter_mut()
            .zip(self.value(x).as_slice().chunks_exact(rows.max(1)))
        {
            *o = sum_slice(col);
        }
        self.push(Op::ColSums(x), out, &[x])
    }

    /// The mean of all elements, `1 × 1`.
    pub fn mean(&mut self, x: Var) -> Var {
        let (rows, cols) = self.shape(x);
        let s = self.sum(x);
        self.scale(s, T::one() / T::of_f64((rows * cols) as f64))
    }

    /// The mean of each row, `n × 1`.
    pub fn row_means(&mut self, x: Var) -> Var {
        let (_, cols) = self.shape(x);
        let s = self.row_sums(x);
        self.scale(s, T::one() / T::of_f64(cols as f64))
    }

    /// The mean of each column, `1 × m`.
    pub fn col_means(&mut self, x: Var) -> Var {
        let (rows, _) = self.shape(x);
        let s = self.col_sums(x);
        self.scale(s, T::one() / T::of_f64(rows as f64))
    }
}

/// The sum of a slice in eight interleaved partial sums: one SIMD register of
/// accumulators instead of a chain of dependent scalar additions. The order
/// is fixed, so the result is the same on every run.
#[inline]
pub(crate) fn sum_slice<T: Float>(xs: &[T]) -> T {
    let mut lanes = [T::zero(); 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    let mut total = ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5]))
        + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
    for &x in rest {
        total += x;
    }
    total
}

pub(super) fn backward_sum<T: Float>(tape: &mut Tape<T>, x: Var, gy: &DMatrix<T>) {
    let gy = gy[(0, 0)];
    tape.accumulate(x, |g, _| {
        g.as_mut_slice().iter_mut().for_each(|gi| *gi += gy)
    });
}

pub(super) fn backward_row_sums<T: Float>(tape: &mut Tape<T>, x: Var, gy: &DMatrix<T>) {
    tape.accumulate(x, |g, _| {
        let rows = g.nrows().max(1);
        for col in g.as_mut_slice().chunks_exact_mut(rows) {
            for (gi, &gyi) in col.iter_mut().zip(gy.as_slice().iter()) {
                *gi += gyi;
            }
        }
    });
}

pub(super) fn backward_col_sums<T: Float>(tape: &mut Tape<T>, x: Var, gy: &DMatrix<T>) {
    tape.accumulate(x, |g, _| {
        let rows = g.nrows().max(1);
        for (col, &gyj) in g
            .as_mut_slice()
            .chunks_exact_mut(rows)
            .zip(gy.as_slice().iter())
        {
            for gi in col {
                *gi += gyj;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::gradcheck::{check, random};

    #[test]
    fn reduction_gradients() {
        let xs = [random(4, 3, 11)];
        check("sum", &xs, |t, v| t.sum(v[0]));
        check("row_sums", &xs, |t, v| t.row_sums(v[0]));
        check("col_sums", &xs, |t, v| t.col_sums(v[0]));
        check("mean", &xs, |t, v| t.mean(v[0]));
        check("row_means", &xs, |t, v| t.row_means(v[0]));
        check("col_means", &xs, |t, v| t.col_means(v[0]));
    }

    #[test]
    fn sum_slice_adds_every_element() {
        for n in [0, 1, 7, 8, 9, 17, 100] {
            let xs: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
            assert_eq!(super::sum_slice(&xs), xs.iter().sum::<f64>(), "n = {n}");
        }
    }

    #[test]
    fn sums_by_hand() {
        let mut t = crate::Tape::<f64>::new();
        let x = t.constant(&nalgebra::DMatrix::from_row_slice(
            2,
            3,
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        ));
        let (s, r, c, m) = (t.sum(x), t.row_sums(x), t.col_sums(x), t.mean(x));
        assert_eq!(t.scalar(s), 21.0);
        assert_eq!(t.value(r).as_slice(), &[6.0, 15.0]);
        assert_eq!(t.value(c).as_slice(), &[5.0, 7.0, 9.0]);
        assert_eq!(t.scalar(m), 3.5);
    }
}
