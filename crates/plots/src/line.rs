//! Line charts: several named series on shared axes, linear or logarithmic y.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use crate::PlotError;
use crate::error::DrawFail;
use crate::legend::{self, Swatch};
use crate::output::{Render, figure_outputs};
use crate::style::{self, AXIS_DESC_SIZE, TICK_SIZE, bounds, colour, format_tick, text};

/// Series with at most this many points also get a marker at every point, so
/// that short curves (a handful of epochs) stay readable.
const MARKER_LIMIT: usize = 60;

/// One named curve of a [`LineChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// The (x, y) points, drawn joined in the given order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series named `name` through `points`.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
        }
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
        self.series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .filter(|&p| self.placeable(p))
    }

    /// Draws mesh, curves and markers once the coordinate type is known.
    fn draw_curves<DB, Y>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        x_range: (f64, f64),
        y_range: Y,
    ) -> Result<(), DrawFail>
    where
        DB: DrawingBackend,
        Y: AsRangedCoord<Value = f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let mut chart = ChartBuilder::on(plot)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(x_range.0..x_range.1, y_range)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(text(TICK_SIZE))
            .axis_desc_style(text(AXIS_DESC_SIZE))
            .bold_line_style(BLACK.mix(0.15))
            .light_line_style(BLACK.mix(0.04))
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_tick(*v))
            .draw()?;
        for (index, series) in self.series.iter().enumerate() {
            let colour = colour(index);
            for run in self.runs(&series.points) {
                chart.draw_series(LineSeries::new(run, colour.stroke_width(2)))?;
            }
            if series.points.len() <= MARKER_LIMIT {
                let markers = series.points.iter().copied().filter(|&p| self.placeable(p));
                chart.draw_series(markers.map(|p| Circle::new(p, 3, colour.filled())))?;
            }
        }
        Ok(())
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
        let body = style::fill_and_title(area, &self.title)?;
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        let plot = legend::beside(&body, &names, Swatch::Line)?;

        let missing = || DrawFail::msg("no placeable points");
        let (x_lo, x_hi) = bounds(self.placeable_points().map(|p| p.0)).ok_or_else(missing)?;
        let (y_lo, y_hi) = bounds(self.placeable_points().map(|p| p.1)).ok_or_else(missing)?;
        // Curves usually start at the first epoch: no padding along x.
        let x_range = if x_hi > x_lo {
            (x_lo, x_hi)
        } else {
            style::padded_range(x_lo, x_hi)
        };
        if self.log_y {
            // Multiplicative padding keeps the range positive.
            let (lo, hi) = if y_hi > y_lo {
                (y_lo / 1.15, y_hi * 1.15)
            } else {
                (y_lo / 2.0, y_hi * 2.0)
            };
            let ticks = style::log_ticks(lo, hi);
            let minor =
                style::log_candidates(lo, hi, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
            let y_range = (lo..hi)
                .log_scale()
                .with_key_points(ticks)
                .with_light_points(minor);
            self.draw_curves(&plot, x_range, y_range)
        } else {
            let (lo, hi) = style::padded_range(y_lo, y_hi);
            self.draw_curves(&plot, x_range, lo..hi)
        }
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
}
