//! Overlaid histograms on shared bins, e.g. input versus reconstructed pixel
//! values.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::error::DrawFail;
use crate::legend::{self, Entry, Swatch};
use crate::output::{Render, figure_outputs};
use crate::style::{self, Sizes, colour, format_tick_step, text, tick_step};

/// One named set of bar heights of a [`HistogramChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSeries {
    /// The legend entry.
    pub name: String,
    /// One height per bin (counts or densities), finite and non-negative.
    pub heights: Vec<f64>,
}

impl HistogramSeries {
    /// A series named `name` with one height per bin.
    pub fn new(name: impl Into<String>, heights: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            heights,
        }
    }
}

/// Histograms sharing one set of bins, drawn overlaid: each series as
/// semi-transparent bars with a solid step outline, so that every series stays
/// visible where they overlap. The legend sits right of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramChart {
    /// The title above the chart.
    pub title: String,
    /// The x axis description (the binned quantity).
    pub x_label: String,
    /// The y axis description ("count", "density", ...).
    pub y_label: String,
    /// The bin edges, strictly increasing: bin `i` is `[edges[i], edges[i+1])`.
    pub bin_edges: Vec<f64>,
    /// The histograms; each has `bin_edges.len() - 1` heights.
    pub series: Vec<HistogramSeries>,
    /// The image size in pixels (width, height), legend included.
    pub size: (u32, u32),
}

impl HistogramChart {
    /// A chart of 800×500 pixels over `bin_edges` with no series yet and the
    /// y axis labelled "count".
    pub fn new(title: impl Into<String>, x_label: impl Into<String>, bin_edges: Vec<f64>) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: "count".to_string(),
            bin_edges,
            series: Vec::new(),
            size: (800, 500),
        }
    }

    /// The step outline of `heights`: along each bar's top, down to zero at
    /// both ends.
    fn outline(&self, heights: &[f64]) -> Vec<(f64, f64)> {
        let mut path = Vec::with_capacity(2 * heights.len() + 2);
        for (edges, &h) in self.bin_edges.windows(2).zip(heights) {
            if path.is_empty() {
                path.push((edges[0], 0.0));
            }
            path.push((edges[0], h));
            path.push((edges[1], h));
        }
        if let Some(&(x, _)) = path.last() {
            path.push((x, 0.0));
        }
        path
    }
}

impl Render for HistogramChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        Ok(self.size)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let invalid = |reason: String| Err(PlotError::invalid(&self.title, reason));
        if self.bin_edges.len() < 2 {
            return invalid(format!(
                "needs at least 2 bin edges, got {}",
                self.bin_edges.len()
            ));
        }
        if self.bin_edges.iter().any(|e| !e.is_finite())
            || self.bin_edges.windows(2).any(|w| w[1] <= w[0])
        {
            return invalid("bin edges must be finite and strictly increasing".into());
        }
        if self.series.is_empty() {
            return invalid("the chart has no series".into());
        }
        let bins = self.bin_edges.len() - 1;
        for s in &self.series {
            if s.heights.len() != bins {
                return invalid(format!(
                    "series \"{}\" has {} heights for {bins} bins",
                    s.name,
                    s.heights.len()
                ));
            }
            if s.heights.iter().any(|h| !h.is_finite() || *h < 0.0) {
                return invalid(format!(
                    "series \"{}\" has a negative or non-finite height",
                    s.name
                ));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        self.draw_sized(area, Sizes::for_figure(self.size.0, self.size), true)
    }

    fn min_text_css_px(&self) -> f64 {
        Sizes::for_figure(self.size.0, self.size).smallest_css_px()
    }
}

impl HistogramChart {
    /// One legend entry per series.
    pub(crate) fn legend_entries(&self) -> Vec<Entry> {
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        legend::entries(&names, Swatch::Block, colour)
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

        let (Some(&x_lo), Some(&x_hi)) = (self.bin_edges.first(), self.bin_edges.last()) else {
            return Err(DrawFail::msg("no bin edges"));
        };
        let top = self
            .series
            .iter()
            .flat_map(|s| s.heights.iter().copied())
            .fold(0.0, f64::max);
        let y_hi = if top > 0.0 { top * 1.08 } else { 1.0 };
        let x_ticks = style::linear_ticks(x_lo, x_hi);
        let y_ticks = style::linear_ticks(0.0, y_hi);
        let (x_step, y_step) = (tick_step(&x_ticks), tick_step(&y_ticks));
        // The y description runs along the plot's height (less the x label
        // area and margins); a long one on a short panel is set smaller.
        let along = plot.dim_in_pixel().1.saturating_sub(sizes.px(70));
        let desc_size = style::fitting(&self.y_label, sizes.axis_desc(), sizes.tick(), along);
        let mut chart = ChartBuilder::on(&plot)
            .margin(sizes.px(10))
            .margin_right(sizes.px(20))
            .x_label_area_size(sizes.px(50))
            .y_label_area_size(sizes.px(80))
            .build_cartesian_2d(
                style::Ticked::new((x_lo, x_hi), x_ticks),
                style::Ticked::new((0.0, y_hi), y_ticks),
            )?;
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
        for (index, series) in self.series.iter().enumerate() {
            let fill = colour(index).mix(0.3).filled();
            let bars = self
                .bin_edges
                .windows(2)
                .zip(&series.heights)
                .filter(|&(_, &h)| h > 0.0)
                .map(|(edges, &h)| Rectangle::new([(edges[0], 0.0), (edges[1], h)], fill));
            chart.draw_series(bars)?;
        }
        // Outlines go on top of all fills so that none is hidden.
        let width = sizes.px(2).max(2);
        for (index, series) in self.series.iter().enumerate() {
            let outline = self.outline(&series.heights);
            chart.draw_series(LineSeries::new(outline, colour(index).stroke_width(width)))?;
        }
        Ok(())
    }
}

figure_outputs!(HistogramChart, svg);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chart(edges: Vec<f64>, heights: Vec<f64>) -> HistogramChart {
        let mut chart = HistogramChart::new("h", "x", edges);
        chart.series.push(HistogramSeries::new("a", heights));
        chart
    }

    #[test]
    fn outline_steps_along_bar_tops() {
        let c = chart(vec![0.0, 1.0, 3.0], vec![2.0, 5.0]);
        let expected = vec![
            (0.0, 0.0),
            (0.0, 2.0),
            (1.0, 2.0),
            (1.0, 5.0),
            (3.0, 5.0),
            (3.0, 0.0),
        ];
        assert_eq!(c.outline(&c.series[0].heights), expected);
    }

    #[test]
    fn validation_checks_edges_and_heights() {
        assert!(
            chart(vec![0.0, 0.5, 1.0], vec![1.0, 2.0])
                .validate()
                .is_ok()
        );
        assert!(chart(vec![0.0], vec![]).validate().is_err());
        assert!(
            chart(vec![0.0, 1.0, 1.0], vec![1.0, 2.0])
                .validate()
                .is_err()
        );
        assert!(chart(vec![0.0, 0.5, 1.0], vec![1.0]).validate().is_err());
        assert!(
            chart(vec![0.0, 0.5, 1.0], vec![1.0, -1.0])
                .validate()
                .is_err()
        );
        assert!(
            chart(vec![0.0, 0.5, f64::NAN], vec![1.0, 1.0])
                .validate()
                .is_err()
        );
        assert!(
            HistogramChart::new("h", "x", vec![0.0, 1.0])
                .validate()
                .is_err()
        );
    }
}
