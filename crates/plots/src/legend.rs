//! Legends drawn in their own column to the right of the plot, so that they
//! never hide data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::DrawFail;
use crate::style::{LEGEND_SIZE, colour, text, text_size};

/// How an entry's swatch looks.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A short thick line (line charts).
    Line,
    /// A filled square (histograms).
    Block,
    /// A filled circle (scatter plots).
    Dot,
}

/// One legend row.
pub(crate) struct Entry<'a> {
    pub(crate) name: &'a str,
    pub(crate) colour: RGBColor,
    pub(crate) swatch: Swatch,
}

const SWATCH_WIDTH: i32 = 24;
const GAP: i32 = 8;
const ROW_HEIGHT: i32 = 24;
/// Distance from the top of the legend column to the first row, chosen to
/// line up with the top of the plotting area.
const TOP: i32 = 20;

/// The width the legend column needs for `names`.
pub(crate) fn width(names: &[&str]) -> u32 {
    let widest = names
        .iter()
        .map(|name| text_size(name, LEGEND_SIZE).0)
        .max()
        .unwrap_or(0);
    widest + u32::try_from(SWATCH_WIDTH + 3 * GAP).unwrap_or(0)
}

/// Draws `entries` top-down in `area`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry<'_>],
) -> Result<(), DrawFail> {
    let style = text(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for (row, entry) in (0i32..).zip(entries) {
        let y = TOP + row * ROW_HEIGHT;
        let (x0, x1) = (GAP / 2, GAP / 2 + SWATCH_WIDTH);
        match entry.swatch {
            Swatch::Line => area.draw(&PathElement::new(
                vec![(x0, y), (x1, y)],
                entry.colour.stroke_width(3),
            ))?,
            Swatch::Block => area.draw(&Rectangle::new(
                [(x0 + 4, y - 7), (x1 - 4, y + 7)],
                entry.colour.mix(0.6).filled(),
            ))?,
            Swatch::Dot => {
                area.draw(&Circle::new(((x0 + x1) / 2, y), 5, entry.colour.filled()))?;
            }
        }
        area.draw(&Text::new(
            entry.name.to_string(),
            (x1 + GAP, y),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// Splits `body` into a plotting area and a legend column on its right, and
/// draws one entry per name in the palette's colours. Returns the plotting area.
pub(crate) fn beside<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    names: &[&str],
    swatch: Swatch,
) -> Result<DrawingArea<DB, Shift>, DrawFail> {
    let (body_width, _) = body.dim_in_pixel();
    let (plot, legend_area) = body.split_horizontally(body_width.saturating_sub(width(names)));
    let entries: Vec<Entry<'_>> = (0..)
        .zip(names)
        .map(|(index, name)| Entry {
            name,
            colour: colour(index),
            swatch,
        })
        .collect();
    draw(&legend_area, &entries)?;
    Ok(plot)
}
