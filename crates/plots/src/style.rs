//! The shared look: colours, text styles, the title band and axis ranges.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::DrawFail;
use crate::font::FAMILY;

/// Colours for the curves of line charts and histograms: the eight-colour
/// palette of Okabe & Ito ("Color Universal Design", 2008,
/// <https://jfly.uni-koeln.de/color/>), chosen to stay distinguishable under
/// the common colour-vision deficiencies. Reordered so that the first pair,
/// which most figures use, is blue against vermillion (distinct in hue and in
/// lightness), and with yellow last because it is faint on white.
pub(crate) const SERIES_PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xb2), // blue
    RGBColor(0xd5, 0x5e, 0x00), // vermillion
    RGBColor(0x00, 0x9e, 0x73), // bluish green
    RGBColor(0xcc, 0x79, 0xa7), // reddish purple
    RGBColor(0xe6, 0x9f, 0x00), // orange
    RGBColor(0x56, 0xb4, 0xe9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xf0, 0xe4, 0x42), // yellow
];

/// Colours for ten classes (the digits of scatter plots): Paul Tol's "muted"
/// qualitative scheme (<https://personal.sron.nl/~pault/#sec:qualitative>),
/// designed to be colour-blind safe, whose nine colours are completed by a
/// dark grey that differs from all of them in lightness (Tol's own tenth,
/// pale grey #DDDDDD, would vanish on white). The latent explorer
/// (`crates/report/src/explorer/explorer.js`) uses the same ten colours.
pub(crate) const CLASS_PALETTE: [RGBColor; 10] = [
    RGBColor(0x33, 0x22, 0x88), // indigo
    RGBColor(0x88, 0xcc, 0xee), // cyan
    RGBColor(0x44, 0xaa, 0x99), // teal
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xdd, 0xcc, 0x77), // sand
    RGBColor(0xcc, 0x66, 0x77), // rose
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0xaa, 0x44, 0x99), // purple
    RGBColor(0x55, 0x55, 0x55), // dark grey
];

/// The colour of series `index` (the palette repeats after eight).
pub(crate) fn colour(index: usize) -> RGBColor {
    SERIES_PALETTE[index % SERIES_PALETTE.len()]
}

/// The colour of class (digit) `index` (the palette repeats after ten).
pub(crate) fn class_colour(index: usize) -> RGBColor {
    CLASS_PALETTE[index % CLASS_PALETTE.len()]
}

/// Font sizes at the base scale, in plotters' units: plotters draws text of
/// size `s` with a CSS font size of `s / 1.24` pixels (see [`CSS_PER_SIZE`]).
pub(crate) const TITLE_SIZE: f64 = 22.0;
pub(crate) const AXIS_DESC_SIZE: f64 = 17.0;
pub(crate) const TICK_SIZE: f64 = 14.0;
pub(crate) const LEGEND_SIZE: f64 = 15.0;

/// Plotters writes `font-size="{size / 1.24}"` into SVG and rasterises PNG
/// text at the same em size: this converts its sizes to CSS pixels.
pub(crate) const CSS_PER_SIZE: f64 = 1.0 / 1.24;

/// Height of the band above the body that holds the title.
pub(crate) const TITLE_BAND: u32 = 40;

/// Text and layout sizes of a chart (line, histogram, scatter), a function of
/// the figure's size so that text stays readable when the figure is shown
/// scaled down.
///
/// The smallest text (ticks; legends are 15/14 of it) has a CSS font size of
/// `figure_width / 60` pixels, so that at a display width of 600 px it is
/// 10 px whatever the figure's width; but never below the base size (14, i.e.
/// 11.3 px) and never above `cell_width / 32` or `cell_height / 30` (the cell
/// is the chart's own area: the whole figure, or one panel), or the plot
/// would be mostly text. Every other size, label areas and the title band
/// included, scales with it.
/// Each figure's `min_display_width` says how wide it must then be shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sizes {
    /// How much larger than the base sizes everything is (at least 1).
    pub(crate) scale: f64,
}

impl Sizes {
    /// The base sizes (image grids, and charts up to ~680 px wide).
    pub(crate) const BASE: Self = Self { scale: 1.0 };

    /// Sizes for a chart in a figure `figure_width` px wide whose own area
    /// (the whole figure for a lone chart, else its panel) is `cell` px.
    pub(crate) fn for_figure(figure_width: u32, (cell_width, cell_height): (u32, u32)) -> Self {
        let base_css = TICK_SIZE * CSS_PER_SIZE;
        let wanted = f64::from(figure_width) / 60.0;
        let cap = (f64::from(cell_width) / 32.0).min(f64::from(cell_height) / 30.0);
        let css = wanted.min(cap).max(base_css);
        Self {
            scale: css / base_css,
        }
    }

    pub(crate) fn title(self) -> f64 {
        TITLE_SIZE * self.scale
    }
    pub(crate) fn axis_desc(self) -> f64 {
        AXIS_DESC_SIZE * self.scale
    }
    pub(crate) fn tick(self) -> f64 {
        TICK_SIZE * self.scale
    }
    pub(crate) fn legend(self) -> f64 {
        LEGEND_SIZE * self.scale
    }

    /// `pixels` at the base scale, scaled.
    pub(crate) fn px(self, pixels: u32) -> u32 {
        // Scales stay below ~3 and layout lengths below MAX_SIDE: no overflow.
        (f64::from(pixels) * self.scale).round() as u32
    }

    /// The height of the title band.
    pub(crate) fn title_band(self) -> u32 {
        self.px(TITLE_BAND)
    }

    /// The CSS pixel size of the smallest text drawn at these sizes.
    pub(crate) fn smallest_css_px(self) -> f64 {
        self.tick() * CSS_PER_SIZE
    }
}

/// The size of an axis description `desc` that fits along `length` pixels:
/// `size`, or smaller down to `floor` (a long y label on a short panel).
pub(crate) fn fitting(desc: &str, size: f64, floor: f64, length: u32) -> f64 {
    let width = text_size(desc, size).0;
    if width <= length || width == 0 {
        size
    } else {
        (size * f64::from(length) / f64::from(width)).max(floor)
    }
}

/// The narrowest display width at which text of `smallest_css_px` in a
/// figure `width` px wide is 10 px high (rounded up to whole pixels).
pub(crate) fn min_display_width(width: u32, smallest_css_px: f64) -> u32 {
    (f64::from(width) * 10.0 / smallest_css_px).ceil() as u32
}

/// A text style of the embedded family.
pub(crate) fn text(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&BLACK)
}

/// The bold title style.
pub(crate) fn title_style() -> TextStyle<'static> {
    bold(TITLE_SIZE)
}

/// The bold style at `size`.
pub(crate) fn bold(size: f64) -> TextStyle<'static> {
    // Built with `FontDesc::new`: plotters' `FontDesc::style` keeps the face
    // already loaded, so `.style(FontStyle::Bold)` would still draw regular.
    FontDesc::new(FAMILY.into(), size, FontStyle::Bold).color(&BLACK)
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
    fill_and_title_sized(area, title, Sizes::BASE)
}

/// [`fill_and_title`] with the title and its band at `sizes`.
pub(crate) fn fill_and_title_sized<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    sizes: Sizes,
) -> Result<DrawingArea<DB, Shift>, DrawFail> {
    area.fill(&WHITE)?;
    let (band, body) = area.split_vertically(sizes.title_band());
    let (width, height) = band.dim_in_pixel();
    let centre = (to_i32(width / 2), to_i32(height / 2 + 2));
    band.draw(&Text::new(
        title.to_string(),
        centre,
        bold(sizes.title()).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(body)
}

/// Converts a pixel count to plotters' signed coordinates, saturating (sizes
/// are capped far below `i32::MAX`, see [`crate::output::MAX_SIDE`]).
pub(crate) fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// A plotting range covering `[lo, hi]` with 5 % padding on each side.
///
/// A range narrower than [`min_span`] is first widened to it around its
/// middle, so that a constant or near-constant series (a loss stuck at 0.004
/// up to rounding noise) gets an axis of distinct, honest ticks instead of
/// "0.004 0.004 0.004" or a tick at the noise ("6.9e-18").
pub(crate) fn padded_range(lo: f64, hi: f64) -> (f64, f64) {
    let span = min_span(lo, hi);
    let (lo, hi) = if hi - lo < span {
        let mid = if lo.abs().max(hi.abs()) < NUMERICAL_ZERO {
            0.0
        } else {
            0.5 * (lo + hi)
        };
        (mid - 0.5 * span, mid + 0.5 * span)
    } else {
        (lo, hi)
    };
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Values smaller in magnitude than this are rounding noise around zero for
/// the quantities plotted here (losses, pixel values, latent coordinates).
const NUMERICAL_ZERO: f64 = 1e-9;

/// The narrowest span an axis over `[lo, hi]` may have: a thousandth of the
/// values' magnitude (about the precision a reader can take from a chart),
/// or 2 around zero, when every value is numerically zero.
pub(crate) fn min_span(lo: f64, hi: f64) -> f64 {
    let magnitude = lo.abs().max(hi.abs());
    if magnitude < NUMERICAL_ZERO {
        2.0
    } else {
        1e-3 * magnitude
    }
}

/// A linear axis over `[lo, hi]`: the padded range (see [`padded_range`])
/// and its ticks.
pub(crate) fn linear_axis(lo: f64, hi: f64) -> ((f64, f64), Vec<f64>) {
    let range = padded_range(lo, hi);
    (range, linear_ticks(range.0, range.1))
}

/// The smallest gap between neighbouring `ticks`, the precision their labels
/// need (`None` for fewer than two ticks).
pub(crate) fn tick_step(ticks: &[f64]) -> Option<f64> {
    ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|d| *d > 0.0)
        .reduce(f64::min)
}

/// Formats tick `v` of an axis whose ticks are `step` apart, with just enough
/// digits that neighbouring ticks read differently: plain decimals in the
/// usual range, scientific notation outside it.
pub(crate) fn format_tick_step(v: f64, step: Option<f64>) -> String {
    let Some(step) = step.filter(|s| s.is_finite() && *s > 0.0) else {
        return format_tick(v);
    };
    // Ticks are multiples of the step: anything far below it is zero plus
    // rounding error of the tick arithmetic.
    if v.abs() < 1e-6 * step {
        return "0".to_string();
    }
    // Both logarithms are of finite positive numbers: small integers. The
    // step is a difference of ticks, so 1e-6 may arrive as 9.99999e-7: the
    // tolerance keeps it in its decade.
    let step_exp = (step.log10() + 1e-3).floor() as i32;
    let magnitude = v.abs();
    if (1e-3..1e5).contains(&magnitude) && step_exp >= -6 {
        let decimals = usize::try_from(-step_exp).unwrap_or(0);
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let digits = usize::try_from(magnitude.log10().floor() as i32 - step_exp).unwrap_or(0);
        let s = format!("{v:.digits$e}");
        match s.split_once('e') {
            Some((mantissa, exp)) if mantissa.contains('.') => format!(
                "{}e{exp}",
                mantissa.trim_end_matches('0').trim_end_matches('.')
            ),
            _ => s,
        }
    }
}

/// A linear f64 axis whose ticks (and grid lines) are exactly `ticks`, and
/// no light grid lines: plotters' own `with_key_points` wrapper loses the
/// formatting support that its mesh needs.
#[derive(Clone)]
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    /// The axis over `range` with `ticks`.
    pub(crate) fn new((lo, hi): (f64, f64), ticks: Vec<f64>) -> Self {
        Self {
            inner: (lo..hi).into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
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
    let raw = (hi - lo) / 5.0;
    let scale = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * scale)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * scale);
    // Multiples of the step, not a running sum, so that rounding errors do
    // not accumulate along the axis.
    let mut ticks = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi && ticks.len() < 20 {
        ticks.push(k * step);
        k += 1.0;
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
        assert_eq!(padded_range(0.0, 0.0), (-1.1, 1.1));
    }

    /// The labels of a linear axis over the values' bounds.
    fn labels(lo: f64, hi: f64) -> Vec<String> {
        let (_, ticks) = linear_axis(lo, hi);
        let step = tick_step(&ticks);
        ticks.iter().map(|&t| format_tick_step(t, step)).collect()
    }

    fn assert_distinct(labels: &[String]) {
        assert!(labels.len() >= 3, "too few ticks: {labels:?}");
        for (i, a) in labels.iter().enumerate() {
            assert!(
                !labels[..i].contains(a),
                "repeated tick label in {labels:?}"
            );
        }
    }

    #[test]
    fn constant_and_near_constant_axes_have_distinct_labels() {
        for (lo, hi) in [
            (0.004, 0.004),
            (0.004 - 1e-9, 0.004 + 1e-9),
            (4.0, 4.0),
            (1234.5, 1234.5 + 1e-7),
            (-3e7, -3e7),
            (0.0, 0.0),
            (6.9e-18, 6.9e-18),
            (-6.9e-18, 6.9e-18),
        ] {
            let l = labels(lo, hi);
            assert_distinct(&l);
            assert!(
                l.iter().all(|s| !s.contains("e-18") && !s.contains("e-1")),
                "noise-scale tick in {l:?} for ({lo}, {hi})"
            );
        }
        // Numerical zero is drawn on an axis around 0, not around the noise.
        assert_eq!(labels(6.9e-18, 6.9e-18), ["-1", "-0.5", "0", "0.5", "1"]);
        // A near-constant series keeps its value in the middle of the axis.
        let l = labels(0.004 - 1e-9, 0.004 + 1e-9);
        assert!(l.contains(&"0.004".to_string()), "{l:?}");
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn long_descriptions_shrink_to_fit_but_not_below_the_floor() {
        crate::font::ensure_registered().unwrap();
        let desc = "CE (nats per image, log scale)";
        let full = text_size(desc, 20.0).0;
        assert_eq!(fitting(desc, 20.0, 14.0, full + 1), 20.0);
        let half = fitting(desc, 20.0, 5.0, full / 2);
        assert!((half - 10.0).abs() < 0.2, "{half}");
        assert!(text_size(desc, half).0 <= full / 2 + 2);
        assert_eq!(fitting(desc, 20.0, 14.0, full / 2), 14.0);
    }

    #[test]
    fn text_scales_with_figure_width_within_its_cell() {
        let base = TICK_SIZE * CSS_PER_SIZE;
        assert_eq!(Sizes::for_figure(600, (600, 400)).scale, 1.0);
        let lone = Sizes::for_figure(900, (900, 540));
        assert!((lone.smallest_css_px() - 15.0).abs() < 1e-9);
        // Two 720×420 panels: the cell's height caps the text at 14 px.
        let panel = Sizes::for_figure(1440, (720, 420));
        assert!((panel.smallest_css_px() - 14.0).abs() < 1e-9);
        // Never below the base size, however small the cell.
        assert_eq!(Sizes::for_figure(1920, (480, 200)).smallest_css_px(), base);
    }

    #[test]
    fn tick_precision_follows_the_step() {
        let step = Some(0.0002);
        assert_eq!(format_tick_step(0.0036, step), "0.0036");
        assert_eq!(format_tick_step(0.0038, step), "0.0038");
        assert_eq!(format_tick_step(2.0, Some(0.5)), "2");
        assert_eq!(format_tick_step(2.5, Some(0.5)), "2.5");
        assert_eq!(format_tick_step(100.0, Some(9.0)), "100");
        assert_eq!(format_tick_step(1e-5, Some(9e-5)), "1e-5");
        assert_eq!(format_tick_step(2.5e-4, Some(5e-5)), "2.5e-4");
        assert_eq!(format_tick_step(123_000.0, Some(1000.0)), "1.23e5");
        // Rounding error of tick arithmetic prints as zero.
        assert_eq!(format_tick_step(1e-17, Some(0.1)), "0");
        assert_eq!(format_tick_step(0.25, None), "0.25");
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
        for (i, a) in SERIES_PALETTE.iter().enumerate() {
            assert!(
                SERIES_PALETTE[..i].iter().all(|b| b != a),
                "colour {i} repeats"
            );
        }
        for (i, a) in CLASS_PALETTE.iter().enumerate() {
            assert!(
                CLASS_PALETTE[..i].iter().all(|b| b != a),
                "class {i} repeats"
            );
        }
        assert_eq!(colour(8), colour(0));
        assert_eq!(class_colour(10), class_colour(0));
    }

    #[test]
    fn explorer_uses_the_class_palette() {
        // The latent explorer draws the same scatter in the browser; its
        // digit colours must be these, in this order.
        let js = include_str!("../../report/src/explorer/explorer.js");
        let start = js.find("const COLOURS = [").map(|i| i + 17);
        let list = start.and_then(|s| js[s..].find(']').map(|e| &js[s..s + e]));
        let Some(list) = list else {
            panic!("no `const COLOURS = [...]` in explorer.js");
        };
        let css: Vec<String> = CLASS_PALETTE
            .iter()
            .map(|c| format!("'#{:02x}{:02x}{:02x}'", c.0, c.1, c.2))
            .collect();
        let js_colours: Vec<String> = list
            .split(',')
            .map(|c| c.trim().to_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(js_colours, css);
    }
}
