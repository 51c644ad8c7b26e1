//! The scalar types the engine runs on.
//!
//! Training runs in `f32`; gradient checks run in `f64`, where central
//! differences are accurate enough to tell a wrong derivative from rounding.

use nalgebra::{DMatrix, RealField};

mod sealed {
    /// Only the types the matrix-product kernels support implement [`super::Float`].
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A real scalar the tape can differentiate: `f32` or `f64` (the trait is
/// sealed: the matrix-product kernels exist for these two only).
pub trait Float:
    RealField + Copy + Default + std::fmt::Display + Send + Sync + sealed::Sealed + 'static
{
    /// Converts from `f64` (rounding for `f32`).
    fn of_f64(v: f64) -> Self;
    /// Converts to `f64` (exact for both types).
    fn as_f64(self) -> f64;
    /// `eˣ`, vectorisable for `f32` (see [`crate::fastmath`]); `f64` uses std.
    fn exp_fast(self) -> Self;
    /// `ln(1 + x)` for `x ≥ 0`, vectorisable for `f32`; `f64` uses std.
    fn ln_1p_fast(self) -> Self;
    /// `ln x`, vectorisable for `f32`; `f64` uses std.
    fn ln_fast(self) -> Self;
    /// The gemm kernel for this type (picked for the processor at run time).
    #[doc(hidden)]
    fn kernel() -> Kernel<Self>;
}

/// The signature of the gemm crates' kernels: `dst ← α·dst + β·lhs·rhs` with
/// (m, n, k), then each matrix's pointer and column/row strides.
#[doc(hidden)]
pub type Kernel<T> = unsafe fn(
    usize,
    usize,
    usize,
    *mut T,
    isize,
    isize,
    bool,
    *const T,
    isize,
    isize,
    *const T,
    isize,
    isize,
    T,
    T,
    bool,
    bool,
    bool,
    gemm_common::Parallelism,
);

impl Float for f32 {
    fn of_f64(v: f64) -> Self {
        v as f32
    }
    fn as_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn exp_fast(self) -> Self {
        crate::fastmath::exp(self)
    }
    #[inline(always)]
    fn ln_1p_fast(self) -> Self {
        crate::fastmath::ln_1p(self)
    }
    #[inline(always)]
    fn ln_fast(self) -> Self {
        crate::fastmath::ln(self)
    }
    fn kernel() -> Kernel<Self> {
        gemm_f32::gemm::f32::get_gemm_fn()
    }
}

impl Float for f64 {
    fn of_f64(v: f64) -> Self {
        v
    }
    fn as_f64(self) -> f64 {
        self
    }
    fn exp_fast(self) -> Self {
        self.exp()
    }
    fn ln_1p_fast(self) -> Self {
        self.ln_1p()
    }
    fn ln_fast(self) -> Self {
        self.ln()
    }
    fn kernel() -> Kernel<Self> {
        gemm_f64::gemm::f64::get_gemm_fn()
    }
}

/// Whether a matrix enters a product as it is or transposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trans {
    /// Use the matrix as stored.
    No,
    /// Use its transpose.
    Yes,
}

/// `c ← α·op(a)·op(b) + β·c` with no allocation.
///
/// nalgebra's own `tr_mul`/`gemm_tr` take a slow generic path; calling a
/// kernel directly with swapped strides transposes for free and lets the
/// backward pass accumulate into an existing gradient (`β = 1`). The `gemm`
/// crate's kernels (AVX-512 where the processor has it, chosen at run time)
/// made a training iteration 8–12% faster than matrixmultiply's in the
/// `iteration` benchmark of `vaelab-nn`.
///
/// # Panics
/// When the shapes do not chain; that is a bug in the caller, not bad data.
pub fn gemm<T: Float>(
    alpha: T,
    a: &DMatrix<T>,
    ta: Trans,
    b: &DMatrix<T>,
    tb: Trans,
    beta: T,
    c: &mut DMatrix<T>,
) {
    gemm_threaded(1, alpha, a, ta, b, tb, beta, c);
}

/// Products with fewer multiply-adds than this stay on one thread: below
/// it, waking another thread for half the work costs about what it saves.
/// The study's largest product (batch 100 · 784 · 100 ≈ 7.8e6) stays serial,
/// so its runs never split; the 784 × 400 layers of the pytorch/examples
/// VAE at batch 128 (4e7) do.
pub const PARALLEL_MIN_WORK: usize = 16_000_000;

/// [`gemm`] on up to `threads` threads of the current rayon pool, when the
/// product has at least [`PARALLEL_MIN_WORK`] multiply-adds.
///
/// The result is the same, bit for bit, whatever `threads` is: the gemm
/// crate splits the output into blocks and every thread runs the same
/// kernel over the same depth blocks in the same order, so each element is
/// summed exactly as on one thread (`threaded_products_equal_serial_ones`
/// checks it on the shapes that training uses). Helper threads must flush
/// denormals as the calling thread does, or a denormal could round
/// differently on them; `vaelab-vae` runs training in a pool that does.
#[allow(clippy::too_many_arguments)]
pub fn gemm_threaded<T: Float>(
    threads: usize,
    alpha: T,
    a: &DMatrix<T>,
    ta: Trans,
    b: &DMatrix<T>,
    tb: Trans,
    beta: T,
    c: &mut DMatrix<T>,
) {
    // nalgebra stores columns contiguously: element (i, j) sits at i + j·rows.
    let strides = |m: &DMatrix<T>, t: Trans| {
        let (rs, cs) = (1, m.nrows() as isize);
        match t {
            Trans::No => (m.nrows(), m.ncols(), rs, cs),
            Trans::Yes => (m.ncols(), m.nrows(), cs, rs),
        }
    };
    let (m, k, rsa, csa) = strides(a, ta);
    let (kb, n, rsb, csb) = strides(b, tb);
    assert_eq!(k, kb, "gemm: inner dimensions differ ({m}×{k} · {kb}×{n})");
    assert_eq!(
        (c.nrows(), c.ncols()),
        (m, n),
        "gemm: output is {}×{}, product is {m}×{n}",
        c.nrows(),
        c.ncols()
    );
    let (rsc, csc) = (1, c.nrows() as isize);
    let parallelism = if threads > 1 && m * n * k >= PARALLEL_MIN_WORK {
        gemm_common::Parallelism::Rayon(threads)
    } else {
        gemm_common::Parallelism::None
    };
    // The gemm crate computes dst ← α·dst + β·lhs·rhs (its α and β are the
    // other way round), reading dst only when asked to.
    // SAFETY: the shapes were checked above and each matrix is a dense
    // column-major buffer of exactly rows·cols elements; `Float` is only
    // implemented for f32 and f64, each with its own kernel.
    unsafe {
        T::kernel()(
            m,
            n,
            k,
            c.as_mut_ptr(),
            csc,
            rsc,
            beta != T::zero(),
            a.as_ptr(),
            csa,
            rsa,
            b.as_ptr(),
            csb,
            rsb,
            beta,
            alpha,
            false,
            false,
            false,
            parallelism,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_matches_nalgebra_for_every_transpose() {
        let a = DMatrix::from_fn(3, 4, |i, j| (i * 4 + j) as f64 * 0.5 - 2.0);
        let b = DMatrix::from_fn(4, 2, |i, j| (i as f64 + 1.0) / (j as f64 + 2.0));
        let mut c = DMatrix::from_element(3, 2, 1.0);
        gemm(2.0, &a, Trans::No, &b, Trans::No, 0.5, &mut c);
        let expected = (&a * &b) * 2.0 + DMatrix::from_element(3, 2, 0.5);
        assert!((c - expected).abs().max() < 1e-12);

        let at = a.transpose();
        let bt = b.transpose();
        let mut c = DMatrix::zeros(3, 2);
        gemm(1.0, &at, Trans::Yes, &bt, Trans::Yes, 0.0, &mut c);
        assert!((c - &a * &b).abs().max() < 1e-12);
    }

    #[test]
    fn single_precision_gemm_matches_nalgebra_for_every_transpose() {
        let a = DMatrix::from_fn(13, 37, |i, j| ((i * 37 + j) % 11) as f32 * 0.25 - 1.0);
        let b = DMatrix::from_fn(37, 9, |i, j| ((i + 3 * j) % 7) as f32 * 0.5 - 1.5);
        let expected = &a * &b;
        let (at, bt) = (a.transpose(), b.transpose());
        for (x, tx, y, ty) in [
            (&a, Trans::No, &b, Trans::No),
            (&at, Trans::Yes, &bt, Trans::Yes),
            (&a, Trans::No, &bt, Trans::Yes),
            (&at, Trans::Yes, &b, Trans::No),
        ] {
            let mut c = DMatrix::from_element(13, 9, 1.0f32);
            gemm(1.0, x, tx, y, ty, 1.0, &mut c);
            assert!((c - expected.add_scalar(1.0)).abs().max() < 1e-4);
            let mut c = DMatrix::from_element(13, 9, f32::NAN);
            gemm(1.0, x, tx, y, ty, 0.0, &mut c);
            assert!(
                (c - &expected).abs().max() < 1e-4,
                "β = 0 must ignore what c held"
            );
        }
    }

    #[test]
    fn threaded_products_equal_serial_ones() {
        // Every product of a training step of the 784-400-20 VAE at batch
        // 128 (and a partial batch of 96), forward and backward, with
        // values that make rounding order visible.
        let mut state = 1u32;
        let mut fill = |r: usize, c: usize| {
            DMatrix::from_fn(r, c, |_, _| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
        };
        for (m, k, n) in [
            (128, 784, 400),
            (128, 400, 784),
            (96, 784, 400),
            (128, 20, 400),
        ] {
            let (x, w, gy) = (fill(m, k), fill(k, n), fill(m, n));
            let cases = [
                (&x, Trans::No, &w, Trans::No, fill(m, n)),
                (&gy, Trans::No, &w, Trans::Yes, fill(m, k)),
                (&x, Trans::Yes, &gy, Trans::No, fill(k, n)),
            ];
            for (a, ta, b, tb, start) in cases {
                for beta in [0.0, 1.0] {
                    let mut serial = start.clone();
                    gemm(1.0, a, ta, b, tb, beta, &mut serial);
                    for threads in [2, 3] {
                        let mut threaded = start.clone();
                        gemm_threaded(threads, 1.0, a, ta, b, tb, beta, &mut threaded);
                        let differs = serial
                            .iter()
                            .zip(threaded.iter())
                            .position(|(s, t)| s.to_bits() != t.to_bits());
                        assert_eq!(
                            differs, None,
                            "{m}×{k}×{n}, {ta:?}·{tb:?}, β {beta}, {threads} threads"
                        );
                    }
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "inner dimensions differ")]
    fn gemm_rejects_mismatched_shapes() {
        let a = DMatrix::<f32>::zeros(2, 3);
        let mut c = DMatrix::<f32>::zeros(2, 2);
        gemm(1.0, &a, Trans::No, &a, Trans::No, 0.0, &mut c);
    }
}
