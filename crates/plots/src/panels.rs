//! Small multiples: several charts side by side under one title, for
//! comparisons across runs or pixel positions.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::DrawFail;
use crate::output::{Render, figure_outputs};
use crate::style::{self, TITLE_BAND};
use crate::{HistogramChart, LineChart, PlotError, ScatterChart};

/// One chart of a [`Panels`] figure; its own `size` is ignored.
#[derive(Debug, Clone, PartialEq)]
pub enum PanelChart {
    /// A line chart.
    Line(LineChart),
    /// A histogram chart.
    Histogram(HistogramChart),
    /// A scatter chart.
    Scatter(ScatterChart),
}

impl PanelChart {
    fn validate(&self) -> Result<(), PlotError> {
        match self {
            Self::Line(c) => c.validate(),
            Self::Histogram(c) => c.validate(),
            Self::Scatter(c) => c.validate(),
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        match self {
            Self::Line(c) => c.draw(area),
            Self::Histogram(c) => c.draw(area),
            Self::Scatter(c) => c.draw(area),
        }
    }
}

/// Charts in a grid of equal cells, `columns` per row, each with its own
/// title, axes and legend, under an overall title.
#[derive(Debug, Clone, PartialEq)]
pub struct Panels {
    /// The overall title.
    pub title: String,
    /// Cells per row.
    pub columns: usize,
    /// The size of one cell in pixels (width, height).
    pub cell_size: (u32, u32),
    /// The charts, row-major.
    pub charts: Vec<PanelChart>,
}

impl Panels {
    /// Panels of 560×400-pixel cells.
    pub fn new(title: impl Into<String>, columns: usize, charts: Vec<PanelChart>) -> Self {
        Self {
            title: title.into(),
            columns,
            cell_size: (560, 400),
            charts,
        }
    }

    fn rows(&self) -> usize {
        self.charts.len().div_ceil(self.columns.max(1))
    }
}

impl Render for Panels {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let width = self.cell_size.0.saturating_mul(count(self.columns));
        let height = self.cell_size.1.saturating_mul(count(self.rows()));
        Ok((width, height.saturating_add(TITLE_BAND)))
    }

    fn validate(&self) -> Result<(), PlotError> {
        if self.charts.is_empty() || self.columns == 0 {
            return Err(PlotError::invalid(
                &self.title,
                "needs at least one chart and one column",
            ));
        }
        self.charts.iter().try_for_each(PanelChart::validate)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail> {
        let body = style::fill_and_title(area, &self.title)?;
        let cells = body.split_evenly((self.rows(), self.columns.max(1)));
        for (chart, cell) in self.charts.iter().zip(&cells) {
            chart.draw(cell)?;
        }
        Ok(())
    }
}

figure_outputs!(Panels, svg);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Series;

    fn line(points: Vec<(f64, f64)>) -> PanelChart {
        let mut chart = LineChart::new("c", "x", "y");
        chart.series.push(Series::new("s", points));
        PanelChart::Line(chart)
    }

    #[test]
    fn size_covers_all_cells_and_title() {
        let panels = Panels::new("p", 2, vec![line(vec![(0.0, 1.0)]); 3]);
        assert_eq!(panels.size().ok(), Some((1120, 800 + TITLE_BAND)));
    }

    #[test]
    fn invalid_member_invalidates_panels() {
        assert!(
            Panels::new("p", 2, vec![line(vec![(0.0, 1.0)])])
                .validate()
                .is_ok()
        );
        assert!(Panels::new("p", 2, vec![line(vec![])]).validate().is_err());
        assert!(Panels::new("p", 2, vec![]).validate().is_err());
    }
}
