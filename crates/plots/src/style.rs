//! The shared look: colours, text styles, the title band and axis ranges.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::DrawFail;
use crate::font::FAMILY;

/// Ten colours that stay distinguishable side by side (Tableau 10, the
/// matplotlib default cycle), used for series and for digit classes.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// The colour of series or class `index` (the palette repeats after ten).
pub(crate) fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Font sizes in pixels.
pub(crate) const TITLE_SIZE: f64 = 22.0;
pub(crate) const AXIS_DESC_SIZE: f64 = 17.0;
pub(crate) const TICK_SIZE: f64 = 14.0;
pub(crate) const LEGEND_SIZE: f64 = 15.0;

/// Height of the band above the body that holds the title.
pub(crate) const TITLE_BAND: u32 = 40;

/// A text style of the embedded family.
pub(crate) fn text(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&BLACK)
}

/// The bold title style.
pub(crate) fn title_style() -> TextStyle<'static> {
    // Built with `FontDesc::new`: plotters' `FontDesc::style` keeps the face
    // already loaded, so `.style(FontStyle::Bold)` would still draw regular.
    FontDesc::new(FAMILY.into(), TITLE_SIZE, FontStyle::Bold).color(&BLACK)
}

/// Width and height of `s` in `style`, or zero when it cannot be measured
/// (only used for layout, where a too-small guess merely crowds the text).
pub(crate) fn text_size(s: &str, size: f64) -> (u32, u32) {
    (FAMILY, size).into_font().box_size(s).unwrap_or((0, 0))
}

/// Width of `title` in the title style.
pub(crate) fn title_width(title: &str) -> u32 {
    title_style().font.box_size(title).map_or(0, |(w, _)| w)
}

/// Fills `area` white, draws `title` centred in a band at its top and returns
/// the rest of the area.
pub(crate) fn fill_and_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, DrawFail> {
    area.fill(&WHITE)?;
    let (band, body) = area.split_vertically(TITLE_BAND);
    let (width, height) = band.dim_in_pixel();
    let centre = (to_i32(width / 2), to_i32(height / 2 + 2));
    band.draw(&Text::new(
        title.to_string(),
        centre,
        title_style().pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(body)
}

/// Converts a pixel count to plotters' signed coordinates, saturating (sizes
/// are capped far below `i32::MAX`, see [`crate::output::MAX_SIDE`]).
pub(crate) fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// A plotting range covering `[lo, hi]` with 5 % padding on each side; a
/// degenerate range (all values equal) is widened so that it has width.
pub(crate) fn padded_range(lo: f64, hi: f64) -> (f64, f64) {
    if hi > lo {
        let pad = 0.05 * (hi - lo);
        (lo - pad, hi + pad)
    } else {
        let half = if lo == 0.0 { 1.0 } else { 0.5 * lo.abs() };
        (lo - half, lo + half)
    }
}

/// The smallest and largest of `values`, or `None` if there are none.
pub(crate) fn bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// Formats a tick value compactly: plain decimals with up to three places in
/// the usual range, scientific notation outside it.
pub(crate) fn format_tick(v: f64) -> String {
    let magnitude = v.abs();
    if v == 0.0 {
        "0".to_string()
    } else if !(1e-3..1e5).contains(&magnitude) {
        let s = format!("{v:.1e}");
        s.replace(".0e", "e")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Tick values for a logarithmic axis over `[lo, hi]` (both > 0).
///
/// Plotters only labels powers of ten, which leaves an axis spanning less
/// than a decade (a typical loss curve) without any label. This picks the
/// coarsest of decades, 1-2-5 steps and 1..9 steps that gives at least three
/// ticks, and falls back to evenly spaced "nice" linear ticks on very narrow
/// ranges.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let steps: [&[f64]; 3] = [
        &[1.0],
        &[1.0, 2.0, 5.0],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    ];
    let mut ticks = Vec::new();
    for mantissas in steps {
        ticks = log_candidates(lo, hi, mantissas);
        if ticks.len() >= 3 {
            return ticks;
        }
    }
    if ticks.len() >= 2 {
        return ticks;
    }
    linear_ticks(lo, hi)
}

/// All `m * 10^k` within `[lo, hi]` for `m` in `mantissas`, ascending.
pub(crate) fn log_candidates(lo: f64, hi: f64, mantissas: &[f64]) -> Vec<f64> {
    if !(lo > 0.0 && hi >= lo && hi.is_finite()) {
        return Vec::new();
    }
    // Exponents are small for finite positive f64 (|k| < 330), so the
    // conversions below cannot overflow.
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let mut ticks = Vec::new();
    for k in first..=last {
        for &m in mantissas {
            let v = m * 10f64.powi(k);
            if v >= lo && v <= hi {
                ticks.push(v);
            }
        }
    }
    ticks
}

/// Evenly spaced ticks in `[lo, hi]` at a 1-2-5 step giving about five ticks.
pub(crate) fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(hi > lo && (hi - lo).is_finite()) {
        return vec![lo];
    }
    let raw = (hi - lo) / 4.0;
    let scale = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * scale)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * scale);
    let mut ticks = Vec::new();
    let mut v = (lo / step).ceil() * step;
    while v <= hi && ticks.len() < 20 {
        ticks.push(v);
        v += step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_pick_coarsest_spacing_with_three_ticks() {
        assert_eq!(log_ticks(0.5, 2000.0), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_ticks(60.0, 730.0), vec![100.0, 200.0, 500.0]);
        assert_eq!(
            log_ticks(130.0, 730.0),
            vec![200.0, 300.0, 400.0, 500.0, 600.0, 700.0]
        );
        // Narrower than one mantissa step: 1-2-5 linear ticks instead.
        assert_eq!(log_ticks(131.0, 139.0), vec![132.0, 134.0, 136.0, 138.0]);
    }

    #[test]
    fn log_candidates_reject_non_positive_ranges() {
        assert!(log_candidates(0.0, 10.0, &[1.0]).is_empty());
        assert!(log_candidates(-1.0, 10.0, &[1.0]).is_empty());
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn titles_use_the_bold_face() {
        crate::font::ensure_registered().unwrap();
        let title = "Reconstruction loss";
        assert!(title_width(title) > text_size(title, TITLE_SIZE).0);
    }

    #[test]
    fn padded_range_adds_five_percent() {
        assert_eq!(padded_range(0.0, 10.0), (-0.5, 10.5));
        assert_eq!(padded_range(4.0, 4.0), (2.0, 6.0));
        assert_eq!(padded_range(0.0, 0.0), (-1.0, 1.0));
    }

    #[test]
    fn bounds_of_values() {
        assert_eq!(bounds([3.0, -1.0, 2.0]), Some((-1.0, 3.0)));
        assert_eq!(bounds(std::iter::empty()), None);
    }

    #[test]
    fn ticks_are_compact() {
        assert_eq!(format_tick(0.0), "0");
        assert_eq!(format_tick(2.5), "2.5");
        assert_eq!(format_tick(100.0), "100");
        assert_eq!(format_tick(0.125), "0.125");
        assert_eq!(format_tick(1e6), "1e6");
        assert_eq!(format_tick(2.5e-4), "2.5e-4");
    }

    #[test]
    fn palette_colours_are_distinct() {
        for (i, a) in PALETTE.iter().enumerate() {
            assert!(PALETTE[..i].iter().all(|b| b != a), "colour {i} repeats");
        }
        assert_eq!(colour(10), colour(0));
    }
}
