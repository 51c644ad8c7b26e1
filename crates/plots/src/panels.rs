//! Small multiples: several charts side by side under one title, for
//! comparisons across runs or pixel positions.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::DrawFail;
use crate::legend::{self, Entry};
use crate::output::{Render, figure_outputs};
use crate::style::{self, Sizes};
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

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        sizes: Sizes,
        legend: bool,
    ) -> Result<(), DrawFail> {
        match self {
            Self::Line(c) => c.draw_sized(area, sizes, legend),
            Self::Histogram(c) => c.draw_sized(area, sizes, legend),
            Self::Scatter(c) => c.draw_sized(area, sizes, legend),
        }
    }

    fn legend_entries(&self) -> Vec<Entry> {
        match self {
            Self::Line(c) => c.legend_entries(),
            Self::Histogram(c) => c.legend_entries(),
            Self::Scatter(c) => c.legend_entries(),
        }
    }
}

/// Charts in a grid of equal cells, `columns` per row, each with its own
/// title and axes, under an overall title.
///
/// When every name means the same colour and swatch in every chart (the usual
/// case: the same series compared across panels), one legend holding each
/// entry once is drawn in a band under the title and the cells have none;
/// otherwise each cell keeps its own legend. Text sizes follow the whole
/// figure's width (see `min_display_width`).
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

    /// The width of all cells side by side.
    fn width(&self) -> u32 {
        let columns = u32::try_from(self.columns).unwrap_or(u32::MAX);
        self.cell_size.0.saturating_mul(columns)
    }

    fn sizes(&self) -> Sizes {
        Sizes::for_figure(self.width(), self.cell_size)
    }

    /// The entries of a legend shared by all cells, each once in order of
    /// first appearance, or `None` if some name is drawn differently in two
    /// charts (then each cell needs its own legend).
    pub(crate) fn shared_legend(&self) -> Option<Vec<Entry>> {
        let mut shared: Vec<Entry> = Vec::new();
        for entry in self.charts.iter().flat_map(PanelChart::legend_entries) {
            match shared.iter().find(|e| e.name == entry.name) {
                Some(seen) if *seen == entry => {}
                Some(_) => return None,
                None => shared.push(entry),
            }
        }
        Some(shared)
    }

    /// The height of the shared legend's band (0 without one).
    fn legend_band(&self) -> u32 {
        self.shared_legend().map_or(0, |entries| {
            let sizes = self.sizes();
            legend::band_height(&entries, self.width(), sizes.legend()) + sizes.px(8)
        })
    }
}

impl Render for Panels {
    fn title(&self) -> &str {
        &self.title
    }

    fn size(&self) -> Result<(u32, u32), PlotError> {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let height = self.cell_size.1.saturating_mul(count(self.rows()));
        let bands = self.sizes().title_band() + self.legend_band();
        Ok((self.width(), height.saturating_add(bands)))
    }

    fn min_text_css_px(&self) -> f64 {
        self.sizes().smallest_css_px()
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
        let sizes = self.sizes();
        let body = style::fill_and_title_sized(area, &self.title, sizes)?;
        let shared = self.shared_legend();
        let body = match &shared {
            Some(entries) => {
                let (band, rest) = body.split_vertically(self.legend_band());
                legend::draw_band(&band, entries, sizes.legend())?;
                rest
            }
            None => body,
        };
        let cells = body.split_evenly((self.rows(), self.columns.max(1)));
        for (chart, cell) in self.charts.iter().zip(&cells) {
            chart.draw(cell, sizes, shared.is_none())?;
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
    #[allow(clippy::unwrap_used)]
    fn size_covers_all_cells_title_and_legend_band() {
        crate::font::ensure_registered().unwrap();
        let panels = Panels::new("p", 2, vec![line(vec![(0.0, 1.0)]); 3]);
        let sizes = panels.sizes();
        let band = panels.legend_band();
        assert!(band >= sizes.px(24), "legend band of {band} px");
        assert_eq!(
            panels.size().ok(),
            Some((1120, 800 + sizes.title_band() + band))
        );
    }

    #[test]
    fn one_legend_when_names_agree_else_one_per_cell() {
        let mut a = LineChart::new("a", "x", "y");
        a.series.push(Series::new("train", vec![(0.0, 1.0)]));
        a.series
            .push(Series::new("test", vec![(0.0, 2.0)]).dashed());
        let mut b = a.clone();
        b.series.push(Series::new("extra", vec![(0.0, 3.0)]));
        let panels = Panels::new(
            "p",
            2,
            vec![PanelChart::Line(a.clone()), PanelChart::Line(b)],
        );
        let names: Vec<String> = panels
            .shared_legend()
            .map(|e| e.into_iter().map(|e| e.name).collect())
            .unwrap_or_default();
        assert_eq!(names, ["train", "test", "extra"]);

        // "test" dashed in one chart and solid in the other: no shared legend.
        let mut c = a.clone();
        c.series[1].style = crate::LineStyle::Solid;
        let panels = Panels::new("p", 2, vec![PanelChart::Line(a), PanelChart::Line(c)]);
        assert!(panels.shared_legend().is_none());
        assert_eq!(panels.legend_band(), 0);
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
