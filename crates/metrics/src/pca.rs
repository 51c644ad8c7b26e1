//! Two-component principal component analysis, for drawing a d-dimensional latent space
//! on a plane.

use crate::eigen::symmetric_eigen;
use crate::error::{MetricsError, Result};
use crate::shape::{check_finite, check_rows};

/// The plane of the two leading principal directions of a set of vectors.
///
/// The covariance is the population covariance (divides by `n`), so the variance of the
/// projected coordinates over the fitted set equals `explained_variance`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pca2 {
    /// The mean of the fitted set.
    pub mean: Vec<f64>,
    /// The first and second principal directions: unit length and orthogonal, each with
    /// its largest-magnitude entry (the first such on a tie) positive so the result is
    /// deterministic. For `dim == 1` the second direction is the zero vector.
    pub components: [Vec<f64>; 2],
    /// The variance of the set along each direction (the two largest covariance
    /// eigenvalues; 0 for the missing second direction when `dim == 1`).
    pub explained_variance: [f64; 2],
    /// The total variance of the set: the trace of the covariance.
    pub total_variance: f64,
}

impl Pca2 {
    /// Fits the plane to `n` row-major vectors of dimension `dim`.
    ///
    /// If the set has fewer than two directions of spread (e.g. `n == 1`) the directions
    /// are still orthonormal, with zero explained variance.
    pub fn fit(data: &[f32], n: usize, dim: usize) -> Result<Self> {
        check_rows(data, n, dim, "PCA data")?;
        let mut mean = vec![0.0f64; dim];
        for row in data.chunks_exact(dim) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m += f64::from(v);
            }
        }
        for m in &mut mean {
            *m /= n as f64;
        }

        // Accumulate only the upper triangle; the matrix is symmetric.
        let mut cov = vec![0.0f64; dim * dim];
        let mut centred = vec![0.0f64; dim];
        for row in data.chunks_exact(dim) {
            for ((c, &v), m) in centred.iter_mut().zip(row).zip(&mean) {
                *c = f64::from(v) - m;
            }
            for i in 0..dim {
                for j in i..dim {
                    cov[i * dim + j] += centred[i] * centred[j];
                }
            }
        }
        for i in 0..dim {
            for j in i..dim {
                let c = cov[i * dim + j] / n as f64;
                cov[i * dim + j] = c;
                cov[j * dim + i] = c;
            }
        }
        let total_variance = (0..dim).map(|i| cov[i * dim + i]).sum();

        let eigen = symmetric_eigen(&cov, dim)?;
        let first = fix_sign(eigen.vectors[0].clone());
        let (second, second_variance) = match eigen.vectors.get(1) {
            Some(v) => (fix_sign(v.clone()), eigen.values[1]),
            None => (vec![0.0], 0.0),
        };
        // Rounding can leave a zero eigenvalue slightly negative; a variance cannot be.
        let explained_variance = [eigen.values[0].max(0.0), second_variance.max(0.0)];
        Ok(Self {
            mean,
            components: [first, second],
            explained_variance,
            total_variance,
        })
    }

    /// The dimension of the space the plane lies in.
    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    /// The share of the total variance along each direction (0 if the set has none).
    pub fn explained_ratio(&self) -> [f64; 2] {
        if self.total_variance > 0.0 {
            self.explained_variance.map(|v| v / self.total_variance)
        } else {
            [0.0, 0.0]
        }
    }

    /// The coordinates of `x` on the plane: its centred dot products with the directions.
    pub fn project(&self, x: &[f32]) -> Result<[f64; 2]> {
        if x.len() != self.dim() {
            return Err(MetricsError::Shape {
                what: "PCA point",
                expected: self.dim(),
                got: x.len(),
            });
        }
        check_finite(x, "PCA point")?;
        Ok(self.project_row(x))
    }

    /// The plane coordinates of each of `n` row-major vectors.
    pub fn project_all(&self, data: &[f32], n: usize) -> Result<Vec<[f64; 2]>> {
        check_rows(data, n, self.dim(), "PCA points")?;
        Ok(data
            .chunks_exact(self.dim())
            .map(|row| self.project_row(row))
            .collect())
    }

    /// The point `mean + c₀·pc₀ + c₁·pc₁` of the full space at plane coordinates
    /// `coords`, e.g. to decode a regular grid laid on the plane.
    pub fn point(&self, coords: [f64; 2]) -> Vec<f64> {
        let [p0, p1] = &self.components;
        self.mean
            .iter()
            .zip(p0.iter().zip(p1))
            .map(|(m, (a, b))| m + coords[0] * a + coords[1] * b)
            .collect()
    }

    fn project_row(&self, x: &[f32]) -> [f64; 2] {
        self.components.each_ref().map(|pc| {
            x.iter()
                .zip(&self.mean)
                .zip(pc)
                .map(|((&v, m), p)| (f64::from(v) - m) * p)
                .sum()
        })
    }
}

/// Flips `v` so its largest-magnitude entry (the first on a tie) is positive.
fn fix_sign(mut v: Vec<f64>) -> Vec<f64> {
    let mut largest = 0.0f64;
    for &x in &v {
        if x.abs() > largest.abs() {
            largest = x;
        }
    }
    if largest < 0.0 {
        for x in &mut v {
            *x = -*x;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    /// Points `c + s·u + t·w` in 3-D with u = (2, 1, 2)/3 and w = (1, 2, −2)/3 (orthonormal),
    /// s ∈ {−3, −1, 1, 3} and t ∈ {−1, 1}, so var(s) = 5 and var(t) = 1.
    fn plane_points() -> Vec<f32> {
        let (u, w, c) = ([2.0, 1.0, 2.0], [1.0, 2.0, -2.0], [1.0, -2.0, 0.5]);
        let mut data = Vec::new();
        for s in [-3.0, -1.0, 1.0, 3.0] {
            for t in [-1.0, 1.0] {
                for i in 0..3 {
                    data.push((c[i] + s * u[i] / 3.0 + t * w[i] / 3.0) as f32);
                }
            }
        }
        data
    }

    #[test]
    fn recovers_known_axes_and_variances() {
        let data = plane_points();
        let pca = Pca2::fit(&data, 8, 3).unwrap();
        let expect_mean = [1.0, -2.0, 0.5];
        for (m, e) in pca.mean.iter().zip(expect_mean) {
            assert!((m - e).abs() < 1e-6);
        }
        assert!((pca.explained_variance[0] - 5.0).abs() < 1e-5);
        assert!((pca.explained_variance[1] - 1.0).abs() < 1e-5);
        assert!((pca.total_variance - 6.0).abs() < 1e-5);
        // Sign convention: largest entries are u₀ = u₂ = 2/3 (first wins) and w₂ = −2/3
        // vs w₁ = 2/3 (equal magnitude, w₁ first), so both come out as written.
        let u = [2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0];
        let w = [1.0 / 3.0, 2.0 / 3.0, -2.0 / 3.0];
        for i in 0..3 {
            assert!((pca.components[0][i] - u[i]).abs() < 1e-5);
            assert!((pca.components[1][i] - w[i]).abs() < 1e-5);
        }
        assert!(dot(&pca.components[0], &pca.components[1]).abs() < 1e-12);
        let ratio = pca.explained_ratio();
        assert!((ratio[0] - 5.0 / 6.0).abs() < 1e-5);
    }

    #[test]
    fn projections_have_the_explained_variance_and_invert_via_point() {
        let data = plane_points();
        let pca = Pca2::fit(&data, 8, 3).unwrap();
        let coords = pca.project_all(&data, 8).unwrap();
        for k in 0..2 {
            let mean: f64 = coords.iter().map(|c| c[k]).sum::<f64>() / 8.0;
            let var: f64 = coords.iter().map(|c| (c[k] - mean).powi(2)).sum::<f64>() / 8.0;
            assert!(mean.abs() < 1e-6);
            assert!((var - pca.explained_variance[k]).abs() < 1e-5);
        }
        // The data lie in the plane, so decoding their coordinates gives them back.
        for (row, c) in data.chunks_exact(3).zip(&coords) {
            let back = pca.point(*c);
            for (b, &x) in back.iter().zip(row) {
                assert!((b - f64::from(x)).abs() < 1e-5);
            }
        }
        assert_eq!(pca.project(&data[0..3]).unwrap(), coords[0]);
        assert!(pca.project(&data[0..2]).is_err());
    }

    #[test]
    fn two_dimensions_is_a_rotation() {
        // Mean (0.25, 0.25); centred covariance [[2.1875, 1.9375], [1.9375, 2.1875]]
        // (sums 8.75/4 and 7.75/4), eigenvalues 2.1875 ± 1.9375 along (1, ±1)/√2.
        let data = [2.0, 2.0, -2.0, -2.0, 1.0, 0.0, 0.0, 1.0];
        let pca = Pca2::fit(&data, 4, 2).unwrap();
        assert!((pca.explained_variance[0] - 4.125).abs() < 1e-12);
        assert!((pca.explained_variance[1] - 0.25).abs() < 1e-12);
        let h = 0.5f64.sqrt();
        // Equal magnitudes: the first entry is made positive.
        let want = [[h, h], [h, -h]];
        for (component, want) in pca.components.iter().zip(want) {
            for (c, w) in component.iter().zip(want) {
                assert!((c - w).abs() < 1e-12);
            }
        }
        // A rotation keeps all the variance: mean squared coordinate sums to the trace.
        let coords = pca.project_all(&data, 4).unwrap();
        let total: f64 = coords
            .iter()
            .map(|c| c[0] * c[0] + c[1] * c[1])
            .sum::<f64>()
            / 4.0;
        assert!((total - 4.375).abs() < 1e-12);
    }

    #[test]
    fn one_dimension_has_a_zero_second_direction() {
        let pca = Pca2::fit(&[1.0, 3.0], 2, 1).unwrap();
        assert_eq!(pca.components, [vec![1.0], vec![0.0]]);
        assert_eq!(pca.explained_variance, [1.0, 0.0]);
        assert_eq!(pca.project(&[4.0]).unwrap(), [2.0, 0.0]);
        assert_eq!(pca.point([-1.0, 5.0]), vec![1.0]);
    }

    #[test]
    fn single_point_has_no_variance() {
        let pca = Pca2::fit(&[1.0, 2.0, 3.0], 1, 3).unwrap();
        assert_eq!(pca.explained_variance, [0.0, 0.0]);
        assert_eq!(pca.explained_ratio(), [0.0, 0.0]);
        assert!((dot(&pca.components[0], &pca.components[0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_shapes() {
        assert!(Pca2::fit(&[1.0, 2.0, 3.0], 2, 2).is_err());
        assert!(Pca2::fit(&[], 0, 2).is_err());
    }
}
