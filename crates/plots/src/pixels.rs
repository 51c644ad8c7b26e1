//! Grayscale images as pixels: the MNIST look, a white digit on black.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::error::DrawFail;

/// The colour of intensity `v`: 0 is black, 1 is white; values outside
/// [0, 1] are clamped and NaN is drawn black.
pub(crate) fn gray(v: f32) -> RGBColor {
    let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
    // In [0, 255] after clamping, so the cast cannot truncate.
    let level = (v * 255.0).round() as u8;
    RGBColor(level, level, level)
}

/// Checks that every image has `width * height` values.
pub(crate) fn check_images(
    figure: &str,
    images: &[Vec<f32>],
    width: usize,
    height: usize,
) -> Result<(), PlotError> {
    if width == 0 || height == 0 {
        return Err(PlotError::invalid(
            figure,
            format!("image size {width}x{height} is empty"),
        ));
    }
    if images.is_empty() {
        return Err(PlotError::invalid(figure, "there are no images"));
    }
    let expected = width * height;
    if let Some(i) = images.iter().position(|image| image.len() != expected) {
        return Err(PlotError::invalid(
            figure,
            format!(
                "image {i} has {} values, expected {width}x{height} = {expected}",
                images[i].len()
            ),
        ));
    }
    Ok(())
}

/// Draws the row-major `image` (`width` pixels per row) with its top-left
/// corner at `origin`, each image pixel as a `scale`×`scale` square.
pub(crate) fn draw_image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    image: &[f32],
    width: usize,
    origin: (i32, i32),
    scale: u32,
) -> Result<(), DrawFail> {
    let scale = i32::try_from(scale).map_err(DrawFail::msg)?;
    for (row, line) in (0i32..).zip(image.chunks(width.max(1))) {
        for (col, &v) in (0i32..).zip(line) {
            let x = origin.0 + col * scale;
            let y = origin.1 + row * scale;
            // The bitmap backend fills [x0, x1) × [y0, y1): the far corner is
            // exclusive, as in SVG where width = x1 - x0.
            let corners = [(x, y), (x + scale, y + scale)];
            area.draw(&Rectangle::new(corners, gray(v).filled()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gray_clamps_and_rounds() {
        assert_eq!(gray(0.0), RGBColor(0, 0, 0));
        assert_eq!(gray(1.0), RGBColor(255, 255, 255));
        assert_eq!(gray(0.5), RGBColor(128, 128, 128));
        assert_eq!(gray(-3.0), RGBColor(0, 0, 0));
        assert_eq!(gray(7.0), RGBColor(255, 255, 255));
        assert_eq!(gray(f32::NAN), RGBColor(0, 0, 0));
    }

    #[test]
    fn image_lengths_are_checked() {
        assert!(check_images("g", &[vec![0.0; 6]], 2, 3).is_ok());
        assert!(check_images("g", &[vec![0.0; 6], vec![0.0; 5]], 2, 3).is_err());
        assert!(check_images("g", &[], 2, 3).is_err());
        assert!(check_images("g", &[vec![]], 0, 3).is_err());
    }
}
