//! Legends drawn in their own column to the right of the plot, or in a band
//! of their own above a grid of panels, so that they never hide data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::DrawFail;
use crate::line::LineStyle;
use crate::style::{LEGEND_SIZE, text, text_size};

/// How an entry's swatch looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    /// A short thick line (line charts), solid or dashed like its curve.
    Line(LineStyle),
    /// A filled square (histograms).
    Block,
    /// A filled circle (scatter plots).
    Dot,
}

/// One legend row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) colour: RGBColor,
    pub(crate) swatch: Swatch,
}

/// One entry per name, coloured by `colour(index)`.
pub(crate) fn entries(names: &[&str], swatch: Swatch, colour: fn(usize) -> RGBColor) -> Vec<Entry> {
    (0..)
        .zip(names)
        .map(|(index, name)| Entry {
            name: (*name).to_string(),
            colour: colour(index),
            swatch,
        })
        .collect()
}

/// Geometry at the base legend text size; everything scales with the text.
const SWATCH_WIDTH: f64 = 28.0;
const GAP: f64 = 8.0;
const ROW_HEIGHT: f64 = 24.0;
/// Distance from the top of the legend column to the first row, chosen to
/// line up with the top of the plotting area.
const TOP: f64 = 20.0;

/// `length` (at the base text size) scaled for text of `size`.
fn scaled(length: f64, size: f64) -> i32 {
    // Legend geometry is a few hundred pixels at most: the cast cannot overflow.
    (length * size / LEGEND_SIZE).round() as i32
}

fn to_u32(v: i32) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(0)
}

/// The width one entry needs, swatch and trailing gap included.
fn entry_width(entry: &Entry, size: f64) -> u32 {
    text_size(&entry.name, size).0 + to_u32(scaled(SWATCH_WIDTH + 3.0 * GAP, size))
}

/// The width the legend column needs for `entries`.
pub(crate) fn width(entries: &[Entry], size: f64) -> u32 {
    entries
        .iter()
        .map(|e| entry_width(e, size))
        .max()
        .unwrap_or(0)
}

/// Draws one entry with its swatch's left end at `(x, y)` (y: the centre line).
fn draw_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entry: &Entry,
    (x, y): (i32, i32),
    size: f64,
) -> Result<(), DrawFail> {
    let style = text(size).pos(Pos::new(HPos::Left, VPos::Center));
    let (x0, x1) = (x, x + scaled(SWATCH_WIDTH, size));
    let half = scaled(7.0, size);
    let stroke = to_u32(scaled(3.0, size)).max(2);
    match entry.swatch {
        Swatch::Line(LineStyle::Solid) => area.draw(&PathElement::new(
            vec![(x0, y), (x1, y)],
            entry.colour.stroke_width(stroke),
        ))?,
        Swatch::Line(line) => {
            // Whole dashes, so that the swatch shows the curve's pattern.
            let (dash, gap) = line.pattern(f64::from(stroke));
            let mut start = f64::from(x0);
            while start < f64::from(x1) {
                let end = (start + dash).min(f64::from(x1));
                area.draw(&PathElement::new(
                    vec![(start.round() as i32, y), (end.round() as i32, y)],
                    entry.colour.stroke_width(stroke),
                ))?;
                start = end + gap;
            }
        }
        Swatch::Block => area.draw(&Rectangle::new(
            [(x0 + half / 2, y - half), (x1 - half / 2, y + half)],
            entry.colour.mix(0.6).filled(),
        ))?,
        Swatch::Dot => {
            area.draw(&Circle::new(
                ((x0 + x1) / 2, y),
                to_u32(scaled(5.0, size)),
                entry.colour.filled(),
            ))?;
        }
    }
    area.draw(&Text::new(
        entry.name.clone(),
        (x1 + scaled(GAP, size), y),
        style,
    ))?;
    Ok(())
}

/// Draws `entries` top-down in `area`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    size: f64,
) -> Result<(), DrawFail> {
    for (row, entry) in (0i32..).zip(entries) {
        let y = scaled(TOP, size) + row * scaled(ROW_HEIGHT, size);
        draw_entry(area, entry, (scaled(GAP / 2.0, size), y), size)?;
    }
    Ok(())
}

/// Splits `body` into a plotting area and a legend column on its right, and
/// draws `entries` there. Returns the plotting area.
pub(crate) fn beside<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    size: f64,
) -> Result<DrawingArea<DB, Shift>, DrawFail> {
    let (body_width, _) = body.dim_in_pixel();
    let (plot, legend_area) =
        body.split_horizontally(body_width.saturating_sub(width(entries, size)));
    draw(&legend_area, entries, size)?;
    Ok(plot)
}

/// Lays `entries` out left to right in rows no wider than `width`; returns
/// each entry's (row, x offset) and the number of rows.
fn flow(entries: &[Entry], width: u32, size: f64) -> (Vec<(u32, u32)>, u32) {
    let mut places = Vec::with_capacity(entries.len());
    let (mut row, mut x) = (0, 0);
    for entry in entries {
        let w = entry_width(entry, size);
        if x > 0 && x + w > width {
            row += 1;
            x = 0;
        }
        places.push((row, x));
        x += w;
    }
    let rows = if entries.is_empty() { 0 } else { row + 1 };
    (places, rows)
}

/// The height of a band holding `entries` in rows no wider than `width`.
pub(crate) fn band_height(entries: &[Entry], width: u32, size: f64) -> u32 {
    let (_, rows) = flow(entries, width, size);
    rows * to_u32(scaled(ROW_HEIGHT, size))
}

/// Draws `entries` left to right, wrapping, centred in `area` (a band of
/// [`band_height`]).
pub(crate) fn draw_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    size: f64,
) -> Result<(), DrawFail> {
    let (width, _) = area.dim_in_pixel();
    let (places, _) = flow(entries, width, size);
    let row_height = scaled(ROW_HEIGHT, size);
    // Centre each row: its width is where its last entry ends.
    let mut row_widths: Vec<u32> = Vec::new();
    for (entry, &(row, x)) in entries.iter().zip(&places) {
        let row = row as usize;
        if row_widths.len() <= row {
            row_widths.resize(row + 1, 0);
        }
        row_widths[row] = x + entry_width(entry, size);
    }
    for (entry, &(row, x)) in entries.iter().zip(&places) {
        let indent = width.saturating_sub(row_widths[row as usize]) / 2;
        let y = to_i32(row) * row_height + row_height / 2;
        draw_entry(area, entry, (to_i32(indent + x), y), size)?;
    }
    Ok(())
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.into(),
            colour: BLACK,
            swatch: Swatch::Block,
        }
    }

    #[test]
    fn band_wraps_entries_that_do_not_fit() {
        crate::font::ensure_registered().unwrap();
        let all = vec![entry("input"), entry("reconstruction"), entry("other")];
        let one_row = width(&all, LEGEND_SIZE) * 3 + 10;
        assert_eq!(flow(&all, one_row, LEGEND_SIZE).1, 1);
        let narrow = width(&all, LEGEND_SIZE);
        let (places, rows) = flow(&all, narrow, LEGEND_SIZE);
        assert_eq!(rows, 3);
        assert!(places.iter().all(|&(_, x)| x == 0));
        assert_eq!(band_height(&all, narrow, LEGEND_SIZE), 3 * 24);
        assert_eq!(band_height(&[], narrow, LEGEND_SIZE), 0);
    }

    #[test]
    fn geometry_scales_with_text() {
        crate::font::ensure_registered().unwrap();
        let all = vec![entry("reconstruction")];
        assert!(width(&all, 2.0 * LEGEND_SIZE) > width(&all, LEGEND_SIZE) * 3 / 2);
    }
}
