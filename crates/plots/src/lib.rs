//! Charts and image grids as PNG and SVG; the only crate that knows plotters.
//!
//! This is the presentation layer of vaelab. It depends on no other vaelab
//! crate: figures are plain structs of slices and numbers (curves, histogram
//! heights, latent points with digit labels, grayscale images in [0, 1]), and
//! their `save_png`/`save_svg`/`save` methods write files atomically.
//!
//! Text is drawn with DejaVu Sans, embedded from the `dejavu` crate and
//! registered with plotters' `ab_glyph` backend on first use, so figures look
//! the same on machines without system fonts.
//!
//! | figure | PNG | SVG |
//! | --- | --- | --- |
//! | [`LineChart`] | yes | yes |
//! | [`HistogramChart`] | yes | yes |
//! | [`ScatterChart`] | yes | yes |
//! | [`Panels`] (small multiples of the three) | yes | yes |
//! | [`ImageGrid`] | yes | no |
//! | [`LatentGrid`] | yes | no |
//!
//! # Example
//! A learning curve, rendered to an SVG document in memory; `save_png`,
//! `save_svg` and `save` write files instead. The `csv_line` example draws a
//! chart from a CSV file (`cargo run -p vaelab-plots --example csv_line`), and
//! `gallery` draws one figure of every kind.
//!
//! ```
//! # fn main() -> Result<(), vaelab_plots::PlotError> {
//! use vaelab_plots::{LineChart, Series};
//!
//! let mut chart = LineChart::new("learning curve", "epoch", "loss");
//! let train = (1..=10).map(|e| (f64::from(e), 100.0 / f64::from(e))).collect();
//! chart.series.push(Series::new("train", train));
//! let svg = chart.to_svg_string()?;
//! assert!(svg.starts_with("<svg") && svg.contains("learning curve"));
//!
//! // Data that cannot be drawn is an error naming the figure, not a panic.
//! chart.series.push(Series::new("test", Vec::new()));
//! let err = chart.to_svg_string().unwrap_err();
//! assert!(err.to_string().contains("learning curve"));
//! # Ok(()) }
//! ```

mod error;
mod font;
mod histogram;
mod image_grid;
mod latent_grid;
mod legend;
mod line;
mod output;
mod panels;
mod pixels;
mod png_out;
mod scatter;
mod style;
mod svg_out;
mod svg_paths;
mod svg_simplify;

pub use error::PlotError;
pub use histogram::{HistogramChart, HistogramSeries};
pub use image_grid::ImageGrid;
pub use latent_grid::LatentGrid;
pub use line::{LineChart, LineStyle, Series};
pub use output::{Figure, Format};
pub use panels::{PanelChart, Panels};
pub use scatter::ScatterChart;
