//! Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method.
//!
//! Jacobi is simple, unconditionally convergent for symmetric matrices and accurate for
//! small eigenvalues too; at the sizes this crate meets (a covariance of dimension
//! ≤ ~100) its O(dim³) cost per sweep is negligible.

use crate::error::{MetricsError, Result};

/// Sweeps after which Jacobi stops even if not fully converged. Convergence is quadratic
/// once off-diagonal entries are small, so ~10 sweeps suffice in practice; the cap only
/// guards against an endless loop on pathological rounding.
const MAX_SWEEPS: usize = 100;

/// Eigenvalues and eigenvectors of a symmetric matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct SymmetricEigen {
    /// The eigenvalues, in decreasing order.
    pub values: Vec<f64>,
    /// `vectors[i]` is the unit eigenvector of `values[i]`; the vectors are orthonormal.
    pub vectors: Vec<Vec<f64>>,
}

/// Decomposes the symmetric `dim × dim` row-major `matrix`.
///
/// Only the symmetric part `(A + Aᵀ)/2` is used, so slight asymmetry from rounding is
/// harmless. Errors on a wrong length, `dim == 0` or non-finite entries.
pub fn symmetric_eigen(matrix: &[f64], dim: usize) -> Result<SymmetricEigen> {
    const WHAT: &str = "symmetric matrix";
    if dim == 0 {
        return Err(MetricsError::Empty { what: WHAT });
    }
    let expected = dim.saturating_mul(dim);
    if matrix.len() != expected {
        return Err(MetricsError::Shape {
            what: WHAT,
            expected,
            got: matrix.len(),
        });
    }
    if let Some(index) = matrix.iter().position(|v| !v.is_finite()) {
        return Err(MetricsError::NonFinite { what: WHAT, index });
    }

    let mut a: Vec<f64> = (0..expected)
        .map(|k| {
            let (i, j) = (k / dim, k % dim);
            0.5 * (matrix[i * dim + j] + matrix[j * dim + i])
        })
        .collect();
    let mut v = vec![0.0f64; expected];
    for i in 0..dim {
        v[i * dim + i] = 1.0;
    }

    let frobenius_sq: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..MAX_SWEEPS {
        let off_sq: f64 = (0..dim)
            .flat_map(|i| (0..dim).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * dim + j].powi(2))
            .sum();
        if off_sq <= 1e-30 * frobenius_sq || off_sq == 0.0 {
            break;
        }
        for p in 0..dim {
            for q in p + 1..dim {
                rotate(&mut a, &mut v, dim, p, q);
            }
        }
    }

    let mut order: Vec<usize> = (0..dim).collect();
    order.sort_by(|&x, &y| a[y * dim + y].total_cmp(&a[x * dim + x]).then(x.cmp(&y)));
    let values = order.iter().map(|&i| a[i * dim + i]).collect();
    let vectors = order
        .iter()
        .map(|&col| (0..dim).map(|row| v[row * dim + col]).collect())
        .collect();
    Ok(SymmetricEigen { values, vectors })
}

/// Applies the Jacobi rotation that zeroes `a[p][q]`: `A ← PᵀAP`, `V ← VP`.
fn rotate(a: &mut [f64], v: &mut [f64], dim: usize, p: usize, q: usize) {
    let apq = a[p * dim + q];
    if apq == 0.0 {
        return;
    }
    // t = tan φ is the smaller root of t² + 2θt − 1 = 0 (Numerical Recipes §11.1), which
    // keeps the rotation angle below π/4 for stability.
    let theta = (a[q * dim + q] - a[p * dim + p]) / (2.0 * apq);
    let t = if theta.abs() > 1e150 {
        // θ² would overflow; t ≈ 1/(2θ) to full precision here.
        0.5 / theta
    } else {
        theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
    };
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..dim {
        let (akp, akq) = (a[k * dim + p], a[k * dim + q]);
        a[k * dim + p] = c * akp - s * akq;
        a[k * dim + q] = s * akp + c * akq;
    }
    for k in 0..dim {
        let (apk, aqk) = (a[p * dim + k], a[q * dim + k]);
        a[p * dim + k] = c * apk - s * aqk;
        a[q * dim + k] = s * apk + c * aqk;
    }
    // The rotation zeroes these analytically; storing the exact zero stops rounding
    // residue from being rotated around again.
    a[p * dim + q] = 0.0;
    a[q * dim + p] = 0.0;
    for k in 0..dim {
        let (vkp, vkq) = (v[k * dim + p], v[k * dim + q]);
        v[k * dim + p] = c * vkp - s * vkq;
        v[k * dim + q] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_by_two_has_known_eigenpairs() {
        // [[2, 1], [1, 2]] has eigenvalues 3 (along (1, 1)) and 1 (along (1, −1)).
        let e = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2).unwrap();
        assert!((e.values[0] - 3.0).abs() < 1e-12);
        assert!((e.values[1] - 1.0).abs() < 1e-12);
        let h = 0.5f64.sqrt();
        assert!((e.vectors[0][0].abs() - h).abs() < 1e-12);
        assert!((e.vectors[0][0] - e.vectors[0][1]).abs() < 1e-12);
        assert!((e.vectors[1][0] + e.vectors[1][1]).abs() < 1e-12);
    }

    #[test]
    fn satisfies_eigen_equation_and_orthonormality() {
        // A fixed, irregular symmetric 5 × 5 matrix.
        let dim = 5;
        let mut m = vec![0.0; dim * dim];
        for i in 0..dim {
            for j in 0..=i {
                let x = ((i * 7 + j * 3) % 11) as f64 - 4.0 + if i == j { 3.0 } else { 0.0 };
                m[i * dim + j] = x;
                m[j * dim + i] = x;
            }
        }
        let e = symmetric_eigen(&m, dim).unwrap();
        let trace: f64 = (0..dim).map(|i| m[i * dim + i]).sum();
        assert!((e.values.iter().sum::<f64>() - trace).abs() < 1e-10);
        for w in e.values.windows(2) {
            assert!(w[0] >= w[1]);
        }
        for (lambda, x) in e.values.iter().zip(&e.vectors) {
            for i in 0..dim {
                let ax: f64 = (0..dim).map(|j| m[i * dim + j] * x[j]).sum();
                assert!((ax - lambda * x[i]).abs() < 1e-10);
            }
        }
        for a in 0..dim {
            for b in 0..dim {
                let dot: f64 = (0..dim).map(|i| e.vectors[a][i] * e.vectors[b][i]).sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn rejects_bad_input() {
        assert!(symmetric_eigen(&[1.0, 2.0, 3.0], 2).is_err());
        assert!(symmetric_eigen(&[], 0).is_err());
        assert!(symmetric_eigen(&[f64::NAN], 1).is_err());
    }
}
