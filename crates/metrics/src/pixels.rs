//! Choosing pixel positions to show in the report's pixel histograms.

use crate::error::{MetricsError, Result};
use crate::shape::check_rows;
use crate::stats::column_variances;

/// The `count` positions (indices into a `width × width` image, row-major) with the
/// highest variance over the `n` images in `data`, spread apart on the grid.
///
/// Candidates are taken in order of decreasing variance, ties by smaller index, and a
/// candidate is skipped if its Euclidean distance in pixels to a position already chosen
/// is less than `min_distance` (so `min_distance ≤ 1` skips nothing). If the spacing
/// leaves fewer than `count` eligible positions, fewer are returned. Positions of zero
/// variance are eligible, so the result is only short because of spacing.
pub fn top_variance_positions(
    data: &[f32],
    n: usize,
    dim: usize,
    count: usize,
    width: usize,
    min_distance: f64,
) -> Result<Vec<usize>> {
    let variances = column_variances(data, n, dim)?;
    top_positions_by_variance(&variances, count, width, min_distance)
}

/// [`top_variance_positions`] from the variances of the `width × width`
/// positions, computed elsewhere (e.g. in a streaming pass over a set too
/// big to hold as `f32`).
pub fn top_positions_by_variance(
    variances: &[f64],
    count: usize,
    width: usize,
    min_distance: f64,
) -> Result<Vec<usize>> {
    let dim = variances.len();
    if width.checked_mul(width) != Some(dim) {
        return Err(MetricsError::InvalidArgument {
            what: "image width",
            reason: format!("{width} × {width} does not match the vector length {dim}"),
        });
    }
    if count == 0 {
        return Err(MetricsError::InvalidArgument {
            what: "position count",
            reason: "need at least one position".into(),
        });
    }
    if !(min_distance.is_finite() && min_distance >= 0.0) {
        return Err(MetricsError::InvalidArgument {
            what: "minimum distance",
            reason: format!("must be finite and ≥ 0, got {min_distance}"),
        });
    }
    let mut order: Vec<usize> = (0..dim).collect();
    order.sort_by(|&a, &b| variances[b].total_cmp(&variances[a]).then(a.cmp(&b)));

    let min_squared = min_distance * min_distance;
    let mut chosen: Vec<usize> = Vec::with_capacity(count);
    for candidate in order {
        if chosen.len() == count {
            break;
        }
        let far_enough = chosen
            .iter()
            .all(|&c| squared_grid_distance(c, candidate, width) >= min_squared);
        if far_enough {
            chosen.push(candidate);
        }
    }
    Ok(chosen)
}

/// The squared Euclidean distance in pixels between two positions on a `width`-wide grid.
fn squared_grid_distance(a: usize, b: usize, width: usize) -> f64 {
    let (ar, ac) = ((a / width) as f64, (a % width) as f64);
    let (br, bc) = ((b / width) as f64, (b % width) as f64);
    (ar - br).powi(2) + (ac - bc).powi(2)
}

/// The values at `position` (a column index) of each of the `n` row-major vectors.
pub fn column_values(data: &[f32], n: usize, dim: usize, position: usize) -> Result<Vec<f32>> {
    check_rows(data, n, dim, "column data")?;
    if position >= dim {
        return Err(MetricsError::InvalidArgument {
            what: "position",
            reason: format!("{position} is not below the vector length {dim}"),
        });
    }
    Ok(data.chunks_exact(dim).map(|row| row[position]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 3 × 3 images whose pixel variances are, row-major,
    /// 0.25 · [4, 0, 1, 0, 0, 0, 1, 0, 9] (a pixel differing by `d` has variance d²/4).
    fn two_images() -> Vec<f32> {
        let a = [0.0, 0.5, 0.0, 0.5, 0.5, 0.5, 0.0, 0.5, 0.0];
        let b = [2.0, 0.5, 1.0, 0.5, 0.5, 0.5, 1.0, 0.5, 3.0];
        a.iter().chain(&b).copied().collect()
    }

    #[test]
    fn picks_highest_variance_with_index_tie_break() {
        let data = two_images();
        // Variances: pos 8 → 2.25, pos 0 → 1, pos 2 and 6 → 0.25 (tie: 2 first).
        assert_eq!(
            top_variance_positions(&data, 2, 9, 3, 3, 0.0).unwrap(),
            vec![8, 0, 2]
        );
    }

    #[test]
    fn spacing_skips_close_candidates() {
        let data = two_images();
        // With min distance 2.5: 8 = (2,2), 0 = (0,0) at √8 ≈ 2.83 kept; 2 = (0,2) and
        // 6 = (2,0) are 2 from both, skipped; every other pixel is closer still.
        assert_eq!(
            top_variance_positions(&data, 2, 9, 3, 3, 2.5).unwrap(),
            vec![8, 0]
        );
        // With min distance 2, 2 and 6 are exactly 2 away and are kept.
        assert_eq!(
            top_variance_positions(&data, 2, 9, 4, 3, 2.0).unwrap(),
            vec![8, 0, 2, 6]
        );
    }

    #[test]
    fn rejects_bad_arguments() {
        let data = two_images();
        assert!(top_variance_positions(&data, 2, 9, 3, 4, 0.0).is_err());
        assert!(top_variance_positions(&data, 2, 9, 0, 3, 0.0).is_err());
        assert!(top_variance_positions(&data, 2, 9, 1, 3, f64::NAN).is_err());
        assert!(top_variance_positions(&data[..17], 2, 9, 1, 3, 0.0).is_err());
    }

    #[test]
    fn column_values_reads_one_position() {
        let data = two_images();
        assert_eq!(column_values(&data, 2, 9, 8).unwrap(), vec![0.0, 3.0]);
        assert!(column_values(&data, 2, 9, 9).is_err());
    }
}
