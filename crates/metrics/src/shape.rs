//! Shared input checks for row-major sets of vectors.

use crate::error::{MetricsError, Result};

/// Checks that `data` holds `n ≥ 1` rows of `dim ≥ 1` finite values.
pub(crate) fn check_rows(data: &[f32], n: usize, dim: usize, what: &'static str) -> Result<()> {
    if n == 0 || dim == 0 {
        return Err(MetricsError::Empty { what });
    }
    // A product that overflows cannot match any real slice length, so report it as a
    // shape error rather than wrapping around.
    let expected = n.checked_mul(dim).ok_or(MetricsError::Shape {
        what,
        expected: usize::MAX,
        got: data.len(),
    })?;
    if data.len() != expected {
        return Err(MetricsError::Shape {
            what,
            expected,
            got: data.len(),
        });
    }
    check_finite(data, what)
}

/// Checks that every value is finite.
pub(crate) fn check_finite(data: &[f32], what: &'static str) -> Result<()> {
    match data.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(MetricsError::NonFinite { what, index }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_matching_shape() {
        assert!(check_rows(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3, "x").is_ok());
    }

    #[test]
    fn rejects_wrong_length_empty_and_nan() {
        assert_eq!(
            check_rows(&[1.0, 2.0, 3.0], 2, 2, "x"),
            Err(MetricsError::Shape {
                what: "x",
                expected: 4,
                got: 3
            })
        );
        assert_eq!(
            check_rows(&[], 0, 2, "x"),
            Err(MetricsError::Empty { what: "x" })
        );
        assert_eq!(
            check_rows(&[1.0, f32::NAN], 1, 2, "x"),
            Err(MetricsError::NonFinite {
                what: "x",
                index: 1
            })
        );
        assert!(matches!(
            check_rows(&[1.0], usize::MAX, 2, "x"),
            Err(MetricsError::Shape { .. })
        ));
    }
}
