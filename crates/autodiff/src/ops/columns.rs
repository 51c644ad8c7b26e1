//! Joining and cutting matrices by columns.
//!
//! `concat_cols(a, b)` puts `b`'s columns after `a`'s; its backward pass cuts
//! the gradient apart again. `slice_cols(x, start, len)` keeps `len` columns;
//! its backward pass writes the gradient back into those columns.

use nalgebra::DMatrix;

use crate::{Float, Tape, Var};

use super::Op;

impl<T: Float> Tape<T> {
    /// `[a | b]`: `a`'s columns followed by `b`'s.
    ///
    /// # Panics
    /// If the row counts differ.
    pub fn concat_cols(&mut self, a: Var, b: Var) -> Var {
        let ((ra, ca), (rb, cb)) = (self.shape(a), self.shape(b));
        assert_eq!(ra, rb, "concat_cols: {ra} rows against {rb}");
        let mut out = self.pool.take(ra, ca + cb);
        // Columns are contiguous, so a column-wise join is two copies.
        let split = ra * ca;
        out.as_mut_slice()[..split].copy_from_slice(self.value(a).as_slice());
        out.as_mut_slice()[split..].copy_from_slice(self.value(b).as_slice());
        self.push(Op::ConcatCols(a, b), out, &[a, b])
    }

    /// Columns `start .. start + len` of `x`.
    ///
    /// # Panics
    /// If the range runs past the last column.
    pub fn slice_cols(&mut self, x: Var, start: usize, len: usize) -> Var {
        let (rows, cols) = self.shape(x);
        assert!(
            start + len <= cols,
            "slice_cols: columns {start}..{} of {cols}",
            start + len
        );
        let mut out = self.pool.take(rows, len);
        out.as_mut_slice()
            .copy_from_slice(&self.value(x).as_slice()[start * rows..(start + len) * rows]);
        self.push(Op::SliceCols(x, start), out, &[x])
    }
}

pub(super) fn backward_concat<T: Float>(tape: &mut Tape<T>, a: Var, b: Var, gy: &DMatrix<T>) {
    let split = tape.value(a).len();
    tape.accumulate(a, |g, _| add_slice(g, &gy.as_slice()[..split]));
    tape.accumulate(b, |g, _| add_slice(g, &gy.as_slice()[split..]));
}

pub(super) fn backward_slice<T: Float>(tape: &mut Tape<T>, x: Var, start: usize, gy: &DMatrix<T>) {
    let rows = gy.nrows();
    tape.accumulate(x, |g, _| {
        let window = &mut g.as_mut_slice()[start * rows..start * rows + gy.len()];
        for (gi, &gyi) in window.iter_mut().zip(gy.as_slice().iter()) {
            *gi += gyi;
        }
    });
}

fn add_slice<T: Float>(g: &mut DMatrix<T>, part: &[T]) {
    for (gi, &p) in g.as_mut_slice().iter_mut().zip(part) {
        *gi += p;
    }
}

#[cfg(test)]
mod tests {
    use crate::gradcheck::{check, random};

    #[test]
    fn column_gradients() {
        check(
            "concat_cols",
            &[random(3, 2, 1), random(3, 4, 2)],
            |t, v| t.concat_cols(v[0], v[1]),
        );
        check("slice_cols", &[random(3, 5, 3)], |t, v| {
            t.slice_cols(v[0], 1, 3)
        });
        check("slice then concat", &[random(2, 4, 4)], |t, v| {
            let (l, r) = (t.slice_cols(v[0], 0, 2), t.slice_cols(v[0], 2, 2));
            t.concat_cols(r, l)
        });
    }

    #[test]
    fn concat_then_slice_is_the_identity() {
        let mut t = crate::Tape::<f64>::new();
        let a = t.constant(&random(3, 2, 5));
        let b = t.constant(&random(3, 1, 6));
        let ab = t.concat_cols(a, b);
        let back = t.slice_cols(ab, 2, 1);
        assert_eq!(t.value(back), t.value(b));
    }
}
