//! Line charts: several named series on shared axes, linear or logarithmic y.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use crate::PlotError;
use crate::error::DrawFail;
use crate::legend::{self, Entry, Swatch};
use crate::output::{Render, figure_outputs};
use crate::style::{self, Sizes, bounds, colour, format_tick_step, text, tick_step};

/// Series with at most this many points also get a marker at every point, so
/// that short curves (a handful of epochs) stay readable.
const MARKER_LIMIT: usize = 60;

/// How a series' line is drawn. Line style tells curves apart where colour
/// cannot (in grey print, for colour-blind readers, and between a run's
/// training and test curves, which share a colour when given one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineStyle {
    /// A continuous line (the default).
    #[default]
    Solid,
    /// Dashes four line widths long (e.g. test curves next to solid training
    /// curves).
    Dashed,
    /// Short dots.
    Dotted,
}

impl LineStyle {
    /// Dash and gap lengths in pixels for a line `width` pixels wide.
    pub(crate) fn pattern(self, width: f64) -> (f64, f64) {
        match self {
            Self::Solid => (f64::INFINITY, 0.0),
            Self::Dashed => (4.0 * width, 2.5 * width),
            Self::Dotted => (width, 1.5 * width),
        }
    }
}

/// One named curve of a [`LineChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// The (x, y) points, drawn joined in the given order.
    pub points: Vec<(f64, f64)>,
    /// How the line is drawn; solid unless set (see [`Series::dashed`]).
    pub style: LineStyle,
    /// The palette index of the colour; `None` uses the series' position in
    /// the chart. Give two series the same index to pair them (a run's train
    /// and test curves: same colour, different [`LineStyle`]).
    pub colour: Option<usize>,
    /// A shaded band around the line, as `(x, low, high)` points (e.g. the
    /// range of the same curve over several seeds), drawn translucent in
    /// the series' colour beneath every line; empty for none.
    pub band: Vec<(f64, f64, f64)>,
}

impl Series {
    /// A solid series named `name` through `points`, coloured by position.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            style: LineStyle::Solid,
            colour: None,
            band: Vec::new(),
        }
    }

    /// The series with a shaded band from `low` to `high` at each `x`.
    #[must_use]
    pub fn with_band(mut self, band: Vec<(f64, f64, f64)>) -> Self {
        self.band = band;
        self
    }

    /// The series drawn in `style`.
    #[must_use]
    pub fn with_style(mut self, style: LineStyle) -> Self {
        self.style = style;
        self
    }

    /// The series drawn dashed (shorthand for `with_style(LineStyle::Dashed)`).
    #[must_use]
    pub fn dashed(self) -> Self {
        self.with_style(LineStyle::Dashed)
    }

    /// The series in palette colour `index` (the palette repeats after 8).
    #[must_use]
    pub fn with_colour(mut self, index: usize) -> Self {
        self.colour = Some(index);
        self
    }
}

/// A line chart such as a learning curve: every series on the same axes, with
/// a legend to the right of the plot.
///
/// Points that cannot be placed are skipped and the curve is broken there
/// rather than joined across the gap: points with a non-finite coordinate,
/// and with `log_y`, points whose y is zero or negative.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// The title above the chart.
    pub title: String,
    /// The x axis description.
    pub x_label: String,
    /// The y axis description.
    pub y_label: String,
    /// Whether the y axis is logarithmic (base 10).
    pub log_y: bool,
    /// The curves; at least one, each with at least one point.
    pub series: Vec<Series>,
    /// The image size in pixels (width, height), legend included.
    pub size: (u32, u32),
}

impl LineChart {
    /// An empty linear chart of 900×540 pixels; add series to `series`.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_y: false,
            series: Vec::new(),
            size: (900, 540),
        }
    }

    /// Whether `(x, y)` can be placed on this chart's axes.
    fn placeable(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite() && y.is_finite() && (!self.log_y || y > 0.0)
    }

    /// The placeable runs of `points`: a skipped point ends a run.
    fn runs(&self, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
        let mut runs = Vec::new();
        let mut run = Vec::new();
        for &p in points {
            if self.placeable(p) {
                run.push(p);
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        runs
    }

    fn placeable_points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let bands = self
            .series
            .iter()
            .flat_map(|s| s.band.iter().flat_map(|&(x, lo, hi)| [(x, lo), (x, hi)]));
        self.series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .chain(bands)
            .filter(|&p| self.placeable(p))
    }

    /// The placeable stretches of a band, each as the polygon that goes
    /// along its upper edge and back along its lower edge; a point with an
    /// unplaceable edge ends a stretch.
    fn band_polygons(&self, band: &[(f64, f64, f64)]) -> Vec<Vec<(f64, f64)>> {
        let mut polygons = Vec::new();
        let mut stretch: Vec<(f64, f64, f64)> = Vec::new();
        let mut close = |stretch: &mut Vec<(f64, f64, f64)>| {
            if stretch.len() > 1 {
                let mut polygon: Vec<(f64, f64)> = stretch.iter().map(|p| (p.0, p.2)).collect();
                polygon.extend(stretch.iter().rev().map(|p| (p.0, p.1)));
                polygons.push(polygon);
            }
            stretch.clear();
        };
        for &(x, lo, hi) in band {
            if self.placeable((x, lo)) && self.placeable((x, hi)) {
                stretch.push((x, lo, hi));
            } else {
                close(&mut stretch);
            }
        }
        close(&mut stretch);
        polygons
    }

    /// The colour of the series at `index`.
    fn series_colour(&self, index: usize) -> RGBColor {
        colour(self.series[index].colour.unwrap_or(index))
    }

    /// One legend entry per series, in its colour and line style.
    pub(crate) fn legend_entries(&self) -> Vec<Entry> {
        (0..self.series.len())
            .map(|index| Entry {
                name: self.series[index].name.clone(),
                colour: self.series_colour(index),
                swatch: Swatch::Line(self.series[index].style),
            })
            .collect()
    }

    /// Draws mesh, curves and markers once the coordinate type is known.
    fn draw_curves<DB, Y>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        sizes: Sizes,
        (x_range, x_ticks): ((f64, f64), Vec<f64>),
        y_range: Y,
        y_ticks: &[f64],
    ) -> Result<(), DrawFail>
    where
        DB: DrawingBackend,
        Y: AsRangedCoord<Value = f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let (x_step, y_step) = (tick_step(&x_ticks), tick_step(y_ticks));
        // The y description runs along the plot's height (less the x label
        // area and margins); a long one on a short panel is set smaller.
        let along = plot.dim_in_pixel().1.saturating_sub(sizes.px(70));
        let desc_size = style::fitting(&self.y_label, sizes.axis_desc(), sizes.tick(), along);
        let mut chart = ChartBuilder::on(plot)
            .margin(sizes.px(10))
            .margin_right(sizes.px(20))
            .x_label_area_size(sizes.px(50))
            .y_label_area_size(sizes.px(80))
            .build_cartesian_2d(style::Ticked::new(x_range, x_ticks), y_range)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(text(sizes.tick()))
            .axis_desc_style(text(desc_size))
            .bold_line_style(BLACK.mix(0.15))
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&|v| format_tick_step(*v, x_step))
            .y_label_formatter(&|v| format_tick_step(*v, y_step))
            .draw()?;
        // Bands first, so that every line stays visible above them.
        for (index, series) in self.series.iter().enumerate() {
            let fill = self.series_colour(index).mix(0.18).filled();
            for polygon in self.band_polygons(&series.band) {
                chart.draw_series(std::iter::once(Polygon::new(polygon, fill)))?;
            }
        }
        let width = sizes.px(2).max(2);
        for (index, series) in self.series.iter().enumerate() {
            let colour = self.series_colour(index);
            let stroke = colour.stroke_width(width);
            for run in self.runs(&series.points) {
                if series.style == LineStyle::Solid {
                    chart.draw_series(LineSeries::new(run, stroke))?;
                } else {
                    let (dash, gap) = series.style.pattern(f64::from(width));
                    // Whole pixels: the pattern lengths are a few pixels.
                    let (dash, gap) = (dash.round() as u32, gap.round() as u32);
                    chart.draw_series(DashedLineSeries::new(run, dash, gap, stroke))?;
                }
            }
            if series.points.len() <= MARKER_LIMIT {
                let radius = sizes.px(3);
                // Hollow markers on broken lines, so the two kinds differ
                // at the points too.
                let marker = if series.style == LineStyle::Solid {
                    colour.filled()
                } else {
                    colour.stroke_width(sizes.px(1).max(1))
                };
                let markers = series.points.iter().copied().filter(|&p| self.placeable(p));
                chart.draw_series(markers.map(|p| Circle::new(p, radius, marker)))?;
            }
        }
        Ok(())
    }

    /// Draws the chart at `sizes` into `area`, with its legend beside the
    /// plot unless `legend` is false (a shared legend is drawn elsewhere).
    pub(crate) fn draw_sized<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        sizes: Sizes,
        legend: bool,
    ) -> Result<(), DrawFail> {
        let body = style::fill_and_title_sized(area, &self.title, sizes)?;
        let plot = if legend {
            legend::beside(&body, &self.legend_entries(), sizes.legend())?
        } else {
            body
        };

        let missing = || DrawFail::msg("no placeable points");
        let (x_lo, x_hi) = bounds(self.placeable_points().map(|p| p.0)).ok_or_else(missing)?;
        let (y_lo, y_hi) = bounds(self.placeable_points().map(|p| p.1)).ok_or_else(missing)?;
        // Curves usually start at the first epoch: no padding along x.
        let x_axis = if x_hi - x_lo >= style::min_span(x_lo, x_hi) {
            ((x_lo, x_hi), style::linear_ticks(x_lo, x_hi))
        } else {
            style::linear_axis(x_lo, x_hi)
        };
        if self.log_y {
            // Multiplicative padding keeps the range positive.
            let (lo, hi) = if y_hi > y_lo {
                (y_lo / 1.15, y_hi * 1.15)
            } else {
                (y_lo / 2.0, y_hi * 2.0)
            };
            let ticks = style::log_ticks(lo, hi);
            let y_range = (lo..hi).log_scale().with_key_points(ticks.clone());
            self.draw_curves(&plot, sizes, x_axis, y_range, &ticks)
        } else {
            let ((lo, hi), ticks) = style::linear_axis(y_lo, y_hi);
            let y_range = style::Ticked::new((lo, hi), ticks.clone());
            self.draw_curves(&plot, sizes, x_axis, y_range, &ticks)
        }
    }
}

impl Render for LineChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        Ok(self.size)
    }

    fn validate(&self) -> Result<(), PlotError> {
        if self.series.is_empty() {
            return Err(PlotError::invalid(&self.title, "the chart has no series"));
        }
        if let Some(empty) = self.series.iter().find(|s| s.points.is_empty()) {
            return Err(PlotError::invalid(
                &self.title,
                format!("series \"{}\" has no points", empty.name),
            ));
        }
        if self.placeable_points().next().is_none() {
            let what = if self.log_y {
                "finite point with y > 0 (log scale)"
            } else {
                "finite point"
            };
            return Err(PlotError::invalid(
                &self.title,
                format!("no series has a {what}"),
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        self.draw_sized(area, self.sizes(), true)
    }

    fn min_text_css_px(&self) -> f64 {
        self.sizes().smallest_css_px()
    }
}

impl LineChart {
    /// The text sizes of this chart alone (see [`Sizes::for_figure`]).
    fn sizes(&self) -> Sizes {
        Sizes::for_figure(self.size.0, self.size)
    }
}

figure_outputs!(LineChart, svg);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chart(log_y: bool, points: Vec<(f64, f64)>) -> LineChart {
        let mut chart = LineChart::new("t", "x", "y");
        chart.log_y = log_y;
        chart.series.push(Series::new("s", points));
        chart
    }

    #[test]
    fn log_scale_breaks_curve_at_non_positive_values() {
        let c = chart(
            true,
            vec![(0.0, 1.0), (1.0, 0.0), (2.0, 2.0), (3.0, 3.0), (4.0, -1.0)],
        );
        assert_eq!(
            c.runs(&c.series[0].points),
            vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]
        );
    }

    #[test]
    fn linear_scale_keeps_zero_and_negative_but_not_nan() {
        let c = chart(
            false,
            vec![(0.0, -1.0), (1.0, 0.0), (2.0, f64::NAN), (3.0, 1.0)],
        );
        assert_eq!(
            c.runs(&c.series[0].points),
            vec![vec![(0.0, -1.0), (1.0, 0.0)], vec![(3.0, 1.0)]]
        );
    }

    #[test]
    fn series_style_and_colour_default_and_build() {
        let s = Series::new("test", vec![(0.0, 1.0)]);
        assert_eq!((s.style, s.colour), (LineStyle::Solid, None));
        let s = s.dashed().with_colour(3);
        assert_eq!((s.style, s.colour), (LineStyle::Dashed, Some(3)));
        let mut c = chart(false, vec![(0.0, 1.0)]);
        c.series
            .push(Series::new("t", vec![(0.0, 2.0)]).with_colour(0).dashed());
        c.series.push(Series::new("u", vec![(0.0, 3.0)]));
        let entries = c.legend_entries();
        assert_eq!(entries[0].colour, entries[1].colour);
        assert_ne!(entries[0].colour, entries[2].colour);
        assert_eq!(entries[1].swatch, Swatch::Line(LineStyle::Dashed));
    }

    #[test]
    fn validation_rejects_empty_and_unplaceable_input() {
        assert!(LineChart::new("t", "x", "y").validate().is_err());
        assert!(chart(false, vec![]).validate().is_err());
        assert!(
            chart(true, vec![(0.0, 0.0), (1.0, -2.0)])
                .validate()
                .is_err()
        );
        assert!(
            chart(false, vec![(0.0, 0.0), (1.0, -2.0)])
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn a_band_is_a_polygon_per_placeable_stretch_and_widens_the_axis() {
        let mut c = chart(true, vec![(0.0, 2.0), (1.0, 2.0), (2.0, 2.0), (3.0, 2.0)]);
        let band = vec![
            (0.0, 1.0, 3.0),
            (1.0, 1.5, 8.0),
            (2.0, 0.0, 4.0), // a zero edge cannot sit on a log axis
            (3.0, 1.0, 2.5),
        ];
        // Up along the upper edge, back along the lower; the lone last point
        // makes no polygon.
        assert_eq!(
            c.band_polygons(&band),
            vec![vec![(0.0, 3.0), (1.0, 8.0), (1.0, 1.5), (0.0, 1.0)]]
        );
        c.series[0] = c.series[0].clone().with_band(band);
        let ys: Vec<f64> = c.placeable_points().map(|p| p.1).collect();
        assert!(ys.contains(&8.0) && ys.contains(&1.0) && !ys.contains(&0.0));
        // On a linear axis the zero edge is placeable: one stretch of four.
        c.log_y = false;
        assert_eq!(c.band_polygons(&c.series[0].band)[0].len(), 8);
        let dir = tempfile::tempdir().unwrap();
        crate::Figure::write(&c, &dir.path().join("band")).unwrap();
        assert!(dir.path().join("band.png").is_file());
    }
}
