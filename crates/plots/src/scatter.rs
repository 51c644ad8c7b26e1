//! Scatter plots of 2-D points coloured by class, e.g. latent means by digit.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::PlotError;
use crate::error::DrawFail;
use crate::legend::{self, Entry, Swatch};
use crate::output::{Render, figure_outputs};
use crate::style::{
    self, CLASS_PALETTE, Sizes, bounds, class_colour, format_tick_step, text, tick_step,
};

/// Radius of a point's dot in pixels.
const DOT_RADIUS: u32 = 3;

/// Points coloured by class with one legend entry per class.
///
/// Classes are told apart by ten colour-blind-safe colours (Paul Tol's
/// "muted" scheme and a dark grey); the chart accepts at most ten classes.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterChart {
    /// The title above the chart (say here, or in the axis labels, when the
    /// axes are a projection such as PCA).
    pub title: String,
    /// The x axis description.
    pub x_label: String,
    /// The y axis description.
    pub y_label: String,
    /// The points, finite.
    pub points: Vec<(f64, f64)>,
    /// The class of each point, an index into `class_names`.
    pub labels: Vec<u8>,
    /// The legend text of each class (at most ten).
    pub class_names: Vec<String>,
    /// The image size in pixels (width, height), legend included.
    pub size: (u32, u32),
}

impl ScatterChart {
    /// A 760×640 chart whose classes are the digits "0" to "9".
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        points: Vec<(f64, f64)>,
        labels: Vec<u8>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            points,
            labels,
            class_names: (0..10).map(|d: u8| d.to_string()).collect(),
            size: (760, 640),
        }
    }
}

impl Render for ScatterChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        Ok(self.size)
    }

    fn validate(&self) -> Result<(), PlotError> {
        let invalid = |reason: String| Err(PlotError::invalid(&self.title, reason));
        if self.points.is_empty() {
            return invalid("the chart has no points".into());
        }
        if self.labels.len() != self.points.len() {
            return invalid(format!(
                "{} labels for {} points",
                self.labels.len(),
                self.points.len()
            ));
        }
        if self.class_names.is_empty() || self.class_names.len() > CLASS_PALETTE.len() {
            return invalid(format!(
                "{} class names; between 1 and {} are supported",
                self.class_names.len(),
                CLASS_PALETTE.len()
            ));
        }
        if let Some(i) = self
            .points
            .iter()
            .position(|(x, y)| !x.is_finite() || !y.is_finite())
        {
            return invalid(format!("point {i} is not finite: {:?}", self.points[i]));
        }
        if let Some(i) = self
            .labels
            .iter()
            .position(|&l| usize::from(l) >= self.class_names.len())
        {
            return invalid(format!(
                "label {} of point {i} is not below the number of classes ({})",
                self.labels[i],
                self.class_names.len()
            ));
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

impl ScatterChart {
    /// One legend entry per class.
    pub(crate) fn legend_entries(&self) -> Vec<Entry> {
        let names: Vec<&str> = self.class_names.iter().map(String::as_str).collect();
        legend::entries(&names, Swatch::Dot, class_colour)
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

        let missing = || DrawFail::msg("no points");
        let (x_lo, x_hi) = bounds(self.points.iter().map(|p| p.0)).ok_or_else(missing)?;
        let (y_lo, y_hi) = bounds(self.points.iter().map(|p| p.1)).ok_or_else(missing)?;
        let ((x_lo, x_hi), x_ticks) = style::linear_axis(x_lo, x_hi);
        let ((y_lo, y_hi), y_ticks) = style::linear_axis(y_lo, y_hi);
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
                style::Ticked::new((y_lo, y_hi), y_ticks),
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
        let radius = sizes.px(DOT_RADIUS);
        let dots = self.points.iter().zip(&self.labels).map(|(&p, &label)| {
            Circle::new(
                p,
                radius,
                class_colour(usize::from(label)).mix(0.8).filled(),
            )
        });
        chart.draw_series(dots)?;
        Ok(())
    }
}

figure_outputs!(ScatterChart, svg);

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(points: Vec<(f64, f64)>, labels: Vec<u8>) -> ScatterChart {
        ScatterChart::new("s", "x", "y", points, labels)
    }

    #[test]
    fn validation_checks_points_and_labels() {
        assert!(
            chart(vec![(0.0, 1.0), (2.0, 3.0)], vec![0, 9])
                .validate()
                .is_ok()
        );
        assert!(chart(vec![], vec![]).validate().is_err());
        assert!(chart(vec![(0.0, 1.0)], vec![0, 1]).validate().is_err());
        assert!(chart(vec![(0.0, 1.0)], vec![10]).validate().is_err());
        assert!(
            chart(vec![(f64::INFINITY, 1.0)], vec![0])
                .validate()
                .is_err()
        );
        let mut too_many = chart(vec![(0.0, 1.0)], vec![0]);
        too_many.class_names = (0..11).map(|i| i.to_string()).collect();
        assert!(too_many.validate().is_err());
    }
}
