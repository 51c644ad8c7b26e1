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
mod scatter;
mod style;

pub use error::PlotError;
pub use histogram::{HistogramChart, HistogramSeries};
pub use image_grid::ImageGrid;
pub use latent_grid::LatentGrid;
pub use line::{LineChart, Series};
pub use output::{Figure, Format};
pub use panels::{PanelChart, Panels};
pub use scatter::ScatterChart;
