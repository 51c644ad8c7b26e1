//! Grids of small grayscale images with optional row and column labels:
//! reconstructions (originals above outputs) and interpolations.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::PlotError;
use crate::error::DrawFail;
use crate::output::{Render, figure_outputs};
use crate::pixels::{check_images, draw_image};
use crate::style::{self, LEGEND_SIZE, TITLE_BAND, text, text_size, to_i32};

/// Blank pixels between neighbouring images.
const GAP: u32 = 2;
/// Blank pixels around the grid.
const MARGIN: u32 = 12;
/// Height of the band holding column labels, when there are any.
const COLUMN_LABEL_BAND: u32 = 24;
/// Space between a row label and its row.
const ROW_LABEL_GAP: u32 = 10;

/// Images laid out row-major, `columns` per row (the last row may be short),
/// each drawn white-on-black as in MNIST. The image size is computed from the
/// content; only PNG output is offered (as SVG every pixel would be a shape).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageGrid {
    /// The title above the grid.
    pub title: String,
    /// The images, each `image_width * image_height` values in [0, 1],
    /// row-major; values outside are clamped.
    pub images: Vec<Vec<f32>>,
    /// Pixels per image row.
    pub image_width: usize,
    /// Pixel rows per image.
    pub image_height: usize,
    /// Images per grid row.
    pub columns: usize,
    /// One label per grid row, drawn left of it (e.g. "input", "output").
    pub row_labels: Option<Vec<String>>,
    /// One label per grid column, drawn above it (e.g. "t=0.5").
    pub column_labels: Option<Vec<String>>,
    /// Output pixels per image pixel.
    pub scale: u32,
}

impl ImageGrid {
    /// A grid of 28×28 images at scale 1, without labels: one output pixel
    /// per image pixel. A page that shows the grid larger should scale it
    /// without smoothing (CSS `image-rendering: pixelated`); drawing it
    /// enlarged here would only make the file larger (about twice at 2×).
    pub fn new(title: impl Into<String>, images: Vec<Vec<f32>>, columns: usize) -> Self {
        Self {
            title: title.into(),
            images,
            image_width: 28,
            image_height: 28,
            columns,
            row_labels: None,
            column_labels: None,
            scale: 1,
        }
    }

    /// The number of grid rows.
    pub fn rows(&self) -> usize {
        self.images.len().div_ceil(self.columns.max(1))
    }

    fn cell(&self) -> (u32, u32) {
        let side = |n: usize| {
            u32::try_from(n)
                .unwrap_or(u32::MAX)
                .saturating_mul(self.scale)
        };
        (side(self.image_width), side(self.image_height))
    }

    fn row_label_width(&self) -> u32 {
        self.row_labels.as_ref().map_or(0, |labels| {
            let widest = labels.iter().map(|l| text_size(l, LEGEND_SIZE).0).max();
            widest.unwrap_or(0) + ROW_LABEL_GAP
        })
    }

    fn column_band(&self) -> u32 {
        if self.column_labels.is_some() {
            COLUMN_LABEL_BAND
        } else {
            0
        }
    }

    /// Width and height of the grid of images alone.
    fn grid_size(&self) -> (u32, u32) {
        let (cell_w, cell_h) = self.cell();
        let span = |count: usize, cell: u32| {
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            count
                .saturating_mul(cell)
                .saturating_add(count.saturating_sub(1) * GAP)
        };
        (span(self.columns, cell_w), span(self.rows(), cell_h))
    }

    /// Left edge of the grid: centred when the title is wider than the grid.
    fn grid_left(&self, total_width: u32) -> u32 {
        let needed = self.row_label_width() + self.grid_size().0;
        let spare = total_width.saturating_sub(needed + 2 * MARGIN);
        MARGIN + spare / 2 + self.row_label_width()
    }
}

impl Render for ImageGrid {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        let (grid_w, grid_h) = self.grid_size();
        let content = self.row_label_width().saturating_add(grid_w);
        let title_w = style::title_width(&self.title);
        let width = content.max(title_w).saturating_add(2 * MARGIN);
        let height = TITLE_BAND + self.column_band() + grid_h.saturating_add(MARGIN);
        Ok((width, height))
    }

    fn validate(&self) -> Result<(), PlotError> {
        check_images(
            &self.title,
            &self.images,
            self.image_width,
            self.image_height,
        )?;
        if self.columns == 0 || self.scale == 0 {
            return Err(PlotError::invalid(
                &self.title,
                "columns and scale must be at least 1",
            ));
        }
        let counts = [
            ("row", self.row_labels.as_ref(), self.rows()),
            ("column", self.column_labels.as_ref(), self.columns),
        ];
        for (what, labels, expected) in counts {
            if let Some(labels) = labels.filter(|l| l.len() != expected) {
                let got = labels.len();
                return Err(PlotError::invalid(
                    &self.title,
                    format!("{got} {what} labels for {expected} grid {what}s"),
                ));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        let body = style::fill_and_title(area, &self.title)?;
        let (cell_w, cell_h) = self.cell();
        let left = to_i32(self.grid_left(area.dim_in_pixel().0));
        let top = to_i32(self.column_band());
        let step_x = to_i32(cell_w + GAP);
        let step_y = to_i32(cell_h + GAP);
        let columns = self.columns.max(1);
        for (index, image) in self.images.iter().enumerate() {
            let (row, col) = (to_i32_usize(index / columns), to_i32_usize(index % columns));
            let origin = (left + col * step_x, top + row * step_y);
            draw_image(&body, image, self.image_width, origin, self.scale)?;
        }
        if let Some(labels) = &self.column_labels {
            let style = text(LEGEND_SIZE).pos(Pos::new(HPos::Center, VPos::Bottom));
            for (col, label) in (0i32..).zip(labels) {
                let x = left + col * step_x + to_i32(cell_w / 2);
                body.draw(&Text::new(label.clone(), (x, top - 6), style.clone()))?;
            }
        }
        if let Some(labels) = &self.row_labels {
            let style = text(LEGEND_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
            let x = left - to_i32(ROW_LABEL_GAP);
            for (row, label) in (0i32..).zip(labels) {
                let y = top + row * step_y + to_i32(cell_h / 2);
                body.draw(&Text::new(label.clone(), (x, y), style.clone()))?;
            }
        }
        Ok(())
    }
}

/// Grid indices are bounded by the image count, far below `i32::MAX` for any
/// image that passes the size limit; saturate rather than wrap regardless.
fn to_i32_usize(v: usize) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

figure_outputs!(ImageGrid);

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(count: usize, columns: usize) -> ImageGrid {
        let mut grid = ImageGrid::new("g", vec![vec![0.5; 4]; count], columns);
        grid.image_width = 2;
        grid.image_height = 2;
        grid.scale = 3;
        grid
    }

    #[test]
    fn rows_round_up() {
        assert_eq!(grid(6, 3).rows(), 2);
        assert_eq!(grid(7, 3).rows(), 3);
    }

    #[test]
    fn grid_size_counts_cells_and_gaps() {
        // 3 columns of 6-pixel cells with 2 gaps; 2 rows with 1 gap.
        assert_eq!(grid(6, 3).grid_size(), (3 * 6 + 2 * GAP, 2 * 6 + GAP));
    }

    #[test]
    fn label_counts_must_match_the_grid() {
        let mut g = grid(6, 3);
        g.row_labels = Some(vec!["a".into(), "b".into()]);
        g.column_labels = Some(vec!["x".into(), "y".into(), "z".into()]);
        assert!(g.validate().is_ok());
        g.row_labels = Some(vec!["a".into()]);
        assert!(g.validate().is_err());
        g.row_labels = None;
        g.column_labels = Some(vec!["x".into()]);
        assert!(g.validate().is_err());
        assert!(grid(6, 0).validate().is_err());
    }
}
