//! Decoded images placed at their latent coordinates on a regular grid, with
//! numeric axes (the "manifold" figure of a 2-D latent space), optionally
//! with encoded points drawn over it as small see-through squares coloured by
//! class, so that one sees which class the decoder draws where that class's
//! codes lie; a key below the axis then names each class's colour ("μ" and a
//! square per class with its index), in the tick labels' size.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::error::DrawFail;
use crate::output::{Render, figure_outputs};
use crate::pixels::{check_images, draw_image};
use crate::style::{
    self, AXIS_DESC_SIZE, TICK_SIZE, TITLE_BAND, class_colour, format_tick, text, to_i32,
};

const MARGIN_TOP: u32 = 6;
const MARGIN_RIGHT: u32 = 24;
const MARGIN_LEFT: u32 = 10;
const MARGIN_BOTTOM: u32 = 10;
const X_LABEL_AREA: u32 = 56;
const Y_LABEL_AREA: u32 = 70;
/// Height of the overlay's key below the x axis (when there is an overlay).
const KEY_AREA: u32 = 30;
/// Half the side of a key's square, and the gaps around its label.
const KEY_HALF: i32 = 5;
const KEY_GAP: i32 = 5;
const KEY_SPACING: i32 = 14;

/// A `grid_n`×`grid_n` grid of decoded `image_side`² images over
/// `[extent.0, extent.1]²`, each centred on the z it was decoded from.
///
/// Order: `images[row * grid_n + col]` is the image decoded at
/// [`LatentGrid::z_at`]`(row, col)`: columns go left to right with increasing
/// x (z1), rows go top to bottom with *decreasing* y (z2), so row 0 is the top
/// row at the highest z2, as on any plot.
#[derive(Debug, Clone, PartialEq)]
pub struct LatentGrid {
    /// The title above the grid.
    pub title: String,
    /// The `grid_n²` images, each `image_side²` values in [0, 1], row-major.
    pub images: Vec<Vec<f32>>,
    /// Images per row and per column (at least 2).
    pub grid_n: usize,
    /// The lowest and highest coordinate on both axes (lowest < highest).
    pub extent: (f64, f64),
    /// The horizontal axis name, e.g. "z1" or "PC1".
    pub x_label: String,
    /// The vertical axis name, e.g. "z2" or "PC2".
    pub y_label: String,
    /// Pixels per image side.
    pub image_side: usize,
    /// Output pixels per image pixel.
    pub scale: u32,
    /// Points drawn over the images at their (x, y), coloured by their
    /// class index (the scatter's palette); none by default. Points outside
    /// the extent are not drawn.
    pub overlay: Vec<((f64, f64), u8)>,
}

impl LatentGrid {
    /// A grid of 28×28 images over `extent` on axes "z1"/"z2", at scale 1
    /// (see [`crate::ImageGrid::new`] on showing it larger).
    pub fn new(
        title: impl Into<String>,
        images: Vec<Vec<f32>>,
        grid_n: usize,
        extent: (f64, f64),
    ) -> Self {
        Self {
            title: title.into(),
            images,
            grid_n,
            extent,
            x_label: "z1".to_string(),
            y_label: "z2".to_string(),
            image_side: 28,
            scale: 1,
            overlay: Vec::new(),
        }
    }

    /// The (x, y) latent coordinates of grid cell (`row`, `col`): evenly
    /// spaced from `extent.0` to `extent.1` inclusive, row 0 at the top.
    pub fn z_at(&self, row: usize, col: usize) -> (f64, f64) {
        let (lo, hi) = self.extent;
        let last = self.grid_n.saturating_sub(1).max(1) as f64;
        let x = lo + (hi - lo) * col as f64 / last;
        let y = hi - (hi - lo) * row as f64 / last;
        (x, y)
    }

    /// Side of the square image area in output pixels.
    fn plot_side(&self) -> u32 {
        let n = u32::try_from(self.grid_n.saturating_mul(self.image_side)).unwrap_or(u32::MAX);
        n.saturating_mul(self.scale)
    }

    /// The classes of the overlay's visible points, in increasing order:
    /// the entries of the key.
    fn key_classes(&self) -> Vec<u8> {
        let mut classes: Vec<u8> = self.visible_overlay().map(|(_, c)| *c).collect();
        classes.sort_unstable();
        classes.dedup();
        classes
    }

    /// Height of the key (none without visible overlay points).
    fn key_height(&self) -> u32 {
        if self.key_classes().is_empty() {
            0
        } else {
            KEY_AREA
        }
    }

    /// The key's entries with their x offsets from its left end, and its
    /// width: "μ", then per class a square and the class index.
    fn key_layout(&self) -> (Vec<(u8, i32)>, u32) {
        let width = |s: &str| to_i32(style::text_size(s, TICK_SIZE).0);
        let mut x = width("μ") + KEY_SPACING;
        let mut entries = Vec::new();
        for class in self.key_classes() {
            entries.push((class, x));
            x += 2 * KEY_HALF + KEY_GAP + width(&class.to_string()) + KEY_SPACING;
        }
        (entries, u32::try_from(x).unwrap_or(0))
    }

    /// The overlay's points that fall inside the extent.
    fn visible_overlay(&self) -> impl Iterator<Item = &((f64, f64), u8)> {
        let (lo, hi) = self.extent;
        let inside = move |v: f64| (lo..=hi).contains(&v);
        self.overlay
            .iter()
            .filter(move |((x, y), _)| inside(*x) && inside(*y))
    }
}

impl Render for LatentGrid {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        let side = self.plot_side();
        // As wide as the title, at least (the grid is then centred under it).
        let width = side
            .saturating_add(MARGIN_LEFT + Y_LABEL_AREA + MARGIN_RIGHT)
            .max(style::title_width(&self.title).saturating_add(2 * MARGIN_RIGHT))
            .max(self.key_layout().1.saturating_add(2 * MARGIN_RIGHT));
        let height = side.saturating_add(
            TITLE_BAND + MARGIN_TOP + X_LABEL_AREA + MARGIN_BOTTOM + self.key_height(),
        );
        Ok((width, height))
    }

    fn validate(&self) -> Result<(), PlotError> {
        let invalid = |reason: String| Err(PlotError::invalid(&self.title, reason));
        if self.grid_n < 2 || self.scale == 0 {
            return invalid(format!(
                "grid_n must be at least 2 and scale at least 1 (got {} and {})",
                self.grid_n, self.scale
            ));
        }
        let (lo, hi) = self.extent;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return invalid(format!(
                "extent ({lo}, {hi}) must be finite with low < high"
            ));
        }
        let expected = self.grid_n.saturating_mul(self.grid_n);
        if self.images.len() != expected {
            return invalid(format!(
                "{} images for a {n}x{n} grid (expected {expected})",
                self.images.len(),
                n = self.grid_n
            ));
        }
        if let Some(((x, y), _)) = self
            .overlay
            .iter()
            .find(|((x, y), _)| !(x.is_finite() && y.is_finite()))
        {
            return invalid(format!("overlay point ({x}, {y}) is not finite"));
        }
        check_images(&self.title, &self.images, self.image_side, self.image_side)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        let body = style::fill_and_title(area, &self.title)?;
        // A title wider than the grid widens the figure: centre the grid,
        // keeping its plotting area exactly the images' size.
        let needed = self
            .plot_side()
            .saturating_add(MARGIN_LEFT + Y_LABEL_AREA + MARGIN_RIGHT);
        let spare = body.dim_in_pixel().0.saturating_sub(needed);
        let body = body.margin(0, 0, to_i32(spare / 2), to_i32(spare - spare / 2));
        let key_height = self.key_height();
        let (body, key) = body.split_vertically(body.dim_in_pixel().1.saturating_sub(key_height));
        let (lo, hi) = self.extent;
        // Half a grid step beyond the extent, so each image is centred on its z.
        let half = (hi - lo) / (self.grid_n.saturating_sub(1).max(1) as f64) / 2.0;
        let axis = || lo - half..hi + half;
        let mut chart = ChartBuilder::on(&body)
            .margin_top(MARGIN_TOP)
            .margin_right(MARGIN_RIGHT)
            .margin_left(MARGIN_LEFT)
            .margin_bottom(MARGIN_BOTTOM)
            .x_label_area_size(X_LABEL_AREA)
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(axis(), axis())?;
        chart
            .configure_mesh()
            .disable_mesh()
            // At most seven ticks gives unit steps on the default (-2, 2).
            .x_labels(7)
            .y_labels(7)
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(text(TICK_SIZE))
            .axis_desc_style(text(AXIS_DESC_SIZE))
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_tick(*v))
            .draw()?;
        let pixels = chart.plotting_area().strip_coord_spec();
        let step = to_i32(
            u32::try_from(self.image_side)
                .unwrap_or(u32::MAX)
                .saturating_mul(self.scale),
        );
        let n = self.grid_n;
        for (index, image) in self.images.iter().enumerate() {
            let row = i32::try_from(index / n).unwrap_or(i32::MAX);
            let col = i32::try_from(index % n).unwrap_or(i32::MAX);
            draw_image(
                &pixels,
                image,
                self.image_side,
                (col * step, row * step),
                self.scale,
            )?;
        }
        // Small hollow squares in the class colour, a tenth of an image
        // across, set pixel by pixel: the decoded image shows through them,
        // and with no anti-aliased edge the figure keeps few enough colours
        // to be stored as a palette PNG (blended translucent dots would make
        // every pixel under them a new colour and the file two to three
        // times larger).
        let half = (step / 20).max(2);
        let (ox, oy) = area.get_base_pixel();
        for &((x, y), class) in self.visible_overlay() {
            let (cx, cy) = chart.backend_coord(&(x, y));
            let colour = class_colour(usize::from(class));
            for d in -half..=half {
                for (dx, dy) in [(d, -half), (d, half), (-half, d), (half, d)] {
                    area.draw_pixel((cx - ox + dx, cy - oy + dy), &colour)?;
                }
            }
        }
        if key_height > 0 {
            self.draw_key(&key)?;
        }
        Ok(())
    }
}

impl LatentGrid {
    /// The overlay's key in `area`: "μ", then per class a hollow square in
    /// its colour (as the overlay draws them, larger) and the class index,
    /// starting under the plot's left edge, or centred when wider.
    fn draw_key<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        let (entries, width) = self.key_layout();
        let (area_width, area_height) = area.dim_in_pixel();
        let plot_left = MARGIN_LEFT + Y_LABEL_AREA;
        let left = if plot_left.saturating_add(width) <= area_width {
            to_i32(plot_left)
        } else {
            to_i32(area_width.saturating_sub(width) / 2)
        };
        let middle = to_i32(area_height / 2);
        let label = text(TICK_SIZE).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        area.draw(&Text::new("μ", (left, middle), label.clone()))?;
        for (class, x) in entries {
            let colour = class_colour(usize::from(class));
            let x = left + x;
            area.draw(&Rectangle::new(
                [
                    (x, middle - KEY_HALF),
                    (x + 2 * KEY_HALF, middle + KEY_HALF),
                ],
                colour.stroke_width(2),
            ))?;
            area.draw(&Text::new(
                class.to_string(),
                (x + 2 * KEY_HALF + KEY_GAP, middle),
                label.clone(),
            ))?;
        }
        Ok(())
    }
}

figure_outputs!(LatentGrid);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Figure;

    fn grid(n: usize) -> LatentGrid {
        let mut g = LatentGrid::new("l", vec![vec![0.0; 4]; n * n], n, (-2.0, 2.0));
        g.image_side = 2;
        g
    }

    #[test]
    fn z_at_spans_the_extent_with_row_zero_on_top() {
        let g = grid(5);
        assert_eq!(g.z_at(0, 0), (-2.0, 2.0));
        assert_eq!(g.z_at(4, 4), (2.0, -2.0));
        assert_eq!(g.z_at(2, 1), (-1.0, 0.0));
    }

    #[test]
    fn the_overlay_draws_only_points_inside_the_extent() {
        let mut g = grid(3);
        g.overlay = vec![((0.0, 0.0), 1), ((2.0, -2.0), 2), ((2.5, 0.0), 3)];
        let shown: Vec<u8> = g.visible_overlay().map(|(_, c)| *c).collect();
        assert_eq!(shown, vec![1, 2]);
        assert!(g.validate().is_ok());
        g.overlay.push(((f64::NAN, 0.0), 0));
        assert!(g.validate().is_err());
    }

    #[test]
    fn overlaid_points_colour_the_image_where_they_lie() {
        let dir = tempfile::tempdir().unwrap();
        let plain = grid(3);
        let mut dotted = grid(3);
        dotted.overlay = vec![((0.0, 0.0), 1)];
        let read = |g: &LatentGrid, name: &str| {
            let stem = dir.path().join(name);
            g.write(&stem).unwrap();
            std::fs::read(stem.with_extension("png")).unwrap()
        };
        assert_ne!(read(&plain, "plain"), read(&dotted, "dotted"));
    }

    #[test]
    fn the_overlay_has_a_key_naming_each_drawn_class() {
        let plain = grid(3);
        let mut keyed = grid(3);
        // Classes 9 and 7 inside the extent, 4 outside: the key names 7 and
        // 9 (not tick labels on this axis) and not 4.
        keyed.overlay = vec![
            ((0.0, 0.0), 9),
            ((1.0, 1.0), 7),
            ((0.5, 0.0), 9),
            ((5.0, 0.0), 4),
        ];
        assert_eq!(keyed.key_classes(), vec![7, 9]);
        let (_, plain_h) = plain.size().unwrap();
        let (_, keyed_h) = keyed.size().unwrap();
        assert_eq!(keyed_h, plain_h + KEY_AREA);
        // The figure is written as PNG only; its SVG rendering shows the text.
        let svg = crate::output::svg_string(&keyed).unwrap();
        let shows = |svg: &str, label: &str| svg.contains(&format!(">\n{label}\n</text>"));
        for label in ["μ", "7", "9"] {
            assert!(shows(&svg, label), "{label} missing from the key");
        }
        assert!(!shows(&svg, "4"), "a class with no visible point is keyed");
        // Each keyed square has its class's colour (7: #882255, 9: #555555).
        assert!(svg.contains("stroke=\"#882255\"") && svg.contains("stroke=\"#555555\""));
        assert!(!shows(&crate::output::svg_string(&plain).unwrap(), "μ"));
        // The key's text is tick-sized: no smaller text than without it.
        let shown_at = |g: &LatentGrid| {
            f64::from(g.min_display_width().unwrap()) / f64::from(g.size().unwrap().0)
        };
        assert!((shown_at(&keyed) - shown_at(&plain)).abs() < 0.01);
    }

    #[test]
    fn validation_checks_counts_and_extent() {
        assert!(grid(3).validate().is_ok());
        let mut g = grid(3);
        g.images.pop();
        assert!(g.validate().is_err());
        let mut g = grid(3);
        g.extent = (1.0, 1.0);
        assert!(g.validate().is_err());
        let mut g = grid(3);
        g.images[4] = vec![0.0; 3];
        assert!(g.validate().is_err());
        assert!(grid(1).validate().is_err());
    }
}
