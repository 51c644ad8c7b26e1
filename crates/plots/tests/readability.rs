//! Figures read at the size shown: tick labels that never degenerate, train
//! and test told apart by line style, one legend per figure, text sizes that
//! agree with `min_display_width`, and compact files. Checks read the
//! rendered SVG's text elements and the PNG's header back.

#![allow(clippy::unwrap_used)]

use vaelab_plots::{
    HistogramChart, HistogramSeries, LineChart, LineStyle, PanelChart, Panels, ScatterChart, Series,
};

/// One `<text>` element of plotters' SVG: its attributes and its content.
struct Text {
    anchor: String,
    font_size: f64,
    content: String,
}

/// An attribute's value inside one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Every text element; plotters writes the content on a line of its own.
fn texts(svg: &str) -> Vec<Text> {
    svg.split("<text")
        .skip(1)
        .map(|rest| {
            let tag_end = rest.find('>').unwrap();
            let tag = &rest[..tag_end];
            let content_end = rest.find("</text>").unwrap();
            Text {
                anchor: attribute(tag, "text-anchor").unwrap_or("").to_string(),
                font_size: attribute(tag, "font-size").unwrap().parse().unwrap(),
                content: rest[tag_end + 1..content_end].trim().to_string(),
            }
        })
        .collect()
}

/// The y axis's tick labels: right-aligned text at the smallest size.
fn y_ticks(svg: &str) -> Vec<String> {
    let all = texts(svg);
    let smallest = all.iter().map(|t| t.font_size).fold(f64::MAX, f64::min);
    all.into_iter()
        .filter(|t| t.anchor == "end" && t.font_size == smallest)
        .map(|t| t.content)
        .collect()
}

/// The y value of iteration `i`.
type Values = Box<dyn Fn(u32) -> f64>;

fn flat_chart(values: impl Fn(u32) -> f64, log_y: bool) -> LineChart {
    let mut chart = LineChart::new("flat", "iteration", "loss");
    chart.log_y = log_y;
    let points = (1..=20).map(|i| (f64::from(i), values(i))).collect();
    chart.series.push(Series::new("train", points));
    chart
}

#[test]
fn constant_and_near_constant_series_get_distinct_readable_ticks() {
    let cases: [(&str, Values, bool); 6] = [
        ("constant", Box::new(|_| 0.004), false),
        (
            "0.004 ± 1e-9",
            Box::new(|i| 0.004 + 1e-9 * f64::from(i % 3) - 1e-9),
            false,
        ),
        (
            "noise around zero",
            Box::new(|i| 6.9e-18 * f64::from(i % 2)),
            false,
        ),
        ("all zero", Box::new(|_| 0.0), false),
        ("constant, log scale", Box::new(|_| 0.004), true),
        (
            "near-constant, log scale",
            Box::new(|i| 0.004 + 1e-9 * f64::from(i % 3)),
            true,
        ),
    ];
    for (name, values, log_y) in cases {
        let svg = flat_chart(values, log_y).to_svg_string().unwrap();
        let ticks = y_ticks(&svg);
        assert!(ticks.len() >= 2, "{name}: too few y ticks {ticks:?}");
        for (i, t) in ticks.iter().enumerate() {
            assert!(
                !ticks[..i].contains(t),
                "{name}: repeated tick {t} in {ticks:?}"
            );
            assert!(
                !t.contains("e-1"),
                "{name}: noise-scale tick {t} in {ticks:?}"
            );
        }
    }
}

#[test]
fn the_reported_degenerate_axes_no_longer_occur() {
    // The two examples of the issue, as they were printed before.
    let svg = flat_chart(|i| 0.004 + 1e-9 * f64::from(i % 3), false)
        .to_svg_string()
        .unwrap();
    let ticks = y_ticks(&svg);
    assert!(
        ticks.iter().filter(|t| *t == "0.004").count() <= 1,
        "{ticks:?}"
    );
    let svg = flat_chart(|_| 6.9e-18, false).to_svg_string().unwrap();
    assert!(!svg.contains("6.9e-18"), "{:?}", y_ticks(&svg));
}

/// Stroked pieces in `colour` (upper-case hex, as plotters writes it): each
/// `<polyline>`, and each subpath (`M`) of a `<path>`, into which the SVG
/// compaction merges runs of same-style polylines.
fn polylines_in(svg: &str, colour: &str) -> usize {
    let stroke = format!("stroke=\"{colour}\"");
    let polylines = svg
        .split("<polyline")
        .skip(1)
        .filter(|p| p[..p.find('>').unwrap()].contains(&stroke))
        .count();
    let subpaths: usize = svg
        .split("<path")
        .skip(1)
        .map(|p| &p[..p.find('>').unwrap()])
        .filter(|tag| tag.contains(&stroke))
        .map(|tag| tag.matches('M').count())
        .sum();
    polylines + subpaths
}

#[test]
fn a_dashed_series_is_drawn_in_dashes_of_its_paired_colour() {
    let mut chart = LineChart::new("curves", "iteration", "loss");
    let curve = |offset: f64| {
        (1..=100)
            .map(|i| (f64::from(i), offset + 1.0 / f64::from(i)))
            .collect()
    };
    chart.series.push(Series::new("ReLU train", curve(1.0)));
    chart
        .series
        .push(Series::new("ReLU test", curve(1.2)).with_colour(0).dashed());
    let svg = chart.to_svg_string().unwrap();
    // Both in the first series colour (Okabe–Ito blue): the solid curve is
    // one polyline (plus its legend swatch), the dashed one many.
    let blue = polylines_in(&svg, "#0072B2");
    assert!(blue > 20, "{blue} blue polylines: test curve not dashed?");
    assert_eq!(
        polylines_in(&svg, "#D55E00"),
        0,
        "the pair must share a colour"
    );

    chart.series[1].style = LineStyle::Solid;
    let solid = polylines_in(&chart.to_svg_string().unwrap(), "#0072B2");
    assert!(
        solid <= 4,
        "{solid} polylines for two solid curves and swatches"
    );
}

fn pixel_histograms(columns: usize) -> Panels {
    let edges: Vec<f64> = (0..=50).map(|i| f64::from(i) / 50.0).collect();
    let charts = (0..2 * columns)
        .map(|i| {
            let mut chart = HistogramChart::new(format!("pixel {i}"), "pixel value", edges.clone());
            let input = (0..50)
                .map(|b| f64::from((b * 7 + i as u32) % 40))
                .collect();
            let output = (0..50).map(|b| f64::from((b * 3 + 5) % 30)).collect();
            chart.series.push(HistogramSeries::new("input", input));
            chart
                .series
                .push(HistogramSeries::new("reconstruction", output));
            PanelChart::Histogram(chart)
        })
        .collect();
    let mut panels = Panels::new("pixel values", columns, charts);
    panels.cell_size = (480, 320);
    panels
}

#[test]
fn a_multi_panel_histogram_has_one_legend_and_a_sparse_grid() {
    let svg = pixel_histograms(4).to_svg_string().unwrap();
    let entries = texts(&svg);
    let count = |name: &str| entries.iter().filter(|t| t.content == name).count();
    assert_eq!(count("input"), 1, "legend repeated per panel");
    assert_eq!(count("reconstruction"), 1, "legend repeated per panel");
    // Grid lines at the ticks only (about six per axis and panel), not one
    // every two pixels: the old figure drew 1848 lines for 8 panels.
    let lines = svg.matches("<line").count();
    assert!(lines < 8 * 20, "{lines} grid lines for 8 panels");
    assert!(svg.len() < 120_000, "SVG of {} bytes", svg.len());
}

#[test]
fn min_display_width_puts_the_smallest_text_at_ten_pixels() {
    let mut line = LineChart::new("curves", "iteration", "loss");
    line.series
        .push(Series::new("train", vec![(1.0, 3.0), (2.0, 2.0)]));
    let scatter = ScatterChart::new("μ", "z1", "z2", vec![(0.0, 1.0), (1.0, 0.0)], vec![0, 1]);
    let mut histogram = HistogramChart::new("h", "v", vec![0.0, 0.5, 1.0]);
    histogram
        .series
        .push(HistogramSeries::new("input", vec![1.0, 2.0]));
    let comparison = Panels::new(
        "compare",
        2,
        vec![
            PanelChart::Line(line.clone()),
            PanelChart::Line(line.clone()),
        ],
    );
    let figures = [
        (
            "line",
            line.to_svg_string().unwrap(),
            line.min_display_width().unwrap(),
        ),
        (
            "scatter",
            scatter.to_svg_string().unwrap(),
            scatter.min_display_width().unwrap(),
        ),
        (
            "histogram",
            histogram.to_svg_string().unwrap(),
            histogram.min_display_width().unwrap(),
        ),
        (
            "panels",
            comparison.to_svg_string().unwrap(),
            comparison.min_display_width().unwrap(),
        ),
        (
            "histogram panels",
            pixel_histograms(4).to_svg_string().unwrap(),
            pixel_histograms(4).min_display_width().unwrap(),
        ),
    ];
    for (name, svg, display) in figures {
        let width: f64 = attribute(&svg[..svg.find('>').unwrap()], "width")
            .unwrap()
            .parse()
            .unwrap();
        let smallest = texts(&svg)
            .iter()
            .map(|t| t.font_size)
            .fold(f64::MAX, f64::min);
        let shown = |display: u32| smallest * f64::from(display) / width;
        assert!(
            shown(display) >= 9.99,
            "{name}: {:.2} px at {display} px",
            shown(display)
        );
        assert!(
            shown(display - 2) < 10.0,
            "{name}: {display} px is not the narrowest"
        );
    }
}

#[test]
fn text_grows_with_the_figure_but_not_past_its_cells() {
    let small = {
        let mut c = flat_chart(f64::from, false);
        c.size = (600, 400);
        c
    };
    let large = {
        let mut c = small.clone();
        c.size = (1200, 720);
        c
    };
    let smallest = |c: &LineChart| {
        texts(&c.to_svg_string().unwrap())
            .iter()
            .map(|t| t.font_size)
            .fold(f64::MAX, f64::min)
    };
    // Below ~680 px the base size (14 / 1.24 px) holds; above, width / 60.
    assert!((smallest(&small) - 14.0 / 1.24).abs() < 0.01);
    assert!((smallest(&large) - 20.0).abs() < 0.01);
    assert_eq!(small.min_display_width().unwrap(), 532);
    assert_eq!(large.min_display_width().unwrap(), 600);
}

#[test]
fn chart_pngs_are_palette_images() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("curve.png");
    let mut chart = flat_chart(|i| 1.0 / f64::from(i), true);
    chart
        .series
        .push(Series::new("test", chart.series[0].points.clone()).dashed());
    chart.save_png(&path).unwrap();
    let decoder = png::Decoder::new(std::fs::File::open(&path).unwrap());
    let reader = decoder.read_info().unwrap();
    assert_eq!(reader.info().color_type, png::ColorType::Indexed);
    assert_eq!(reader.info().size(), (900, 540));
}
