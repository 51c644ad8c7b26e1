//! Renders every figure kind to files and inspects the results: PNGs decode
//! with the expected size, show more than a background, have text in the title
//! band and put pixels where the layout says; SVGs contain their text.

#![allow(clippy::unwrap_used)]

use std::fs::{self, File};
use std::path::Path;

use vaelab_plots::{
    Format, HistogramChart, HistogramSeries, ImageGrid, LatentGrid, LineChart, PanelChart, Panels,
    PlotError, ScatterChart, Series,
};

/// A decoded RGB image.
struct Rgb {
    width: usize,
    height: usize,
    pixels: Vec<[u8; 3]>,
    /// The colour type as stored in the file (before expansion).
    stored: png::ColorType,
}

impl Rgb {
    fn read(path: &Path) -> Self {
        let mut decoder = png::Decoder::new(File::open(path).unwrap());
        // Palette images are expanded to RGB, grayscale ones stay one channel.
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let stored = reader.info().color_type;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let data = &buf[..info.buffer_size()];
        let pixels = match info.color_type {
            png::ColorType::Rgb => data.chunks(3).map(|c| [c[0], c[1], c[2]]).collect(),
            png::ColorType::Rgba => data.chunks(4).map(|c| [c[0], c[1], c[2]]).collect(),
            png::ColorType::Grayscale => data.iter().map(|&v| [v; 3]).collect(),
            other => panic!("unexpected colour type {other:?}"),
        };
        Self {
            width: info.width as usize,
            height: info.height as usize,
            pixels,
            stored,
        }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        self.pixels[y * self.width + x]
    }

    fn distinct_colours(&self) -> usize {
        let mut colours = self.pixels.clone();
        colours.sort_unstable();
        colours.dedup();
        colours.len()
    }

    /// Pixels in rows `0..rows` darker than mid-grey: text on the white band.
    fn dark_pixels_in_top(&self, rows: usize) -> usize {
        self.pixels[..rows * self.width]
            .iter()
            .filter(|p| p.iter().all(|&c| c < 100))
            .count()
    }

    fn contains(&self, colour: [u8; 3]) -> bool {
        self.pixels.contains(&colour)
    }
}

/// Height of the title band (kept in step with the crate's layout).
const TITLE_BAND: usize = 40;

fn assert_looks_drawn(image: &Rgb) {
    assert!(
        image.distinct_colours() > 2,
        "only {} colours",
        image.distinct_colours()
    );
    let dark = image.dark_pixels_in_top(TITLE_BAND);
    assert!(
        dark > 40,
        "only {dark} dark pixels in the title band: no title text?"
    );
}

fn assert_no_temporaries(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "temporary file left behind: {name}");
    }
}

/// The first two series colours (Okabe–Ito blue and vermillion).
const BLUE: [u8; 3] = [0x00, 0x72, 0xb2];
const ORANGE: [u8; 3] = [0xd5, 0x5e, 0x00];

fn learning_curves() -> LineChart {
    let mut chart = LineChart::new("CE & KL <train>", "epoch", "loss");
    let train = (1..=50)
        .map(|e| (f64::from(e), 500.0 / f64::from(e)))
        .collect();
    let test = (1..=50)
        .map(|e| (f64::from(e), 550.0 / f64::from(e) + 20.0))
        .collect();
    chart.series = vec![Series::new("train", train), Series::new("test", test)];
    chart
}

#[test]
fn line_chart_writes_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let chart = learning_curves();
    let written = chart
        .save(dir.path().join("curves"), &[Format::Png, Format::Svg])
        .unwrap();
    assert_eq!(
        written,
        vec![dir.path().join("curves.png"), dir.path().join("curves.svg")]
    );

    let image = Rgb::read(&written[0]);
    assert_eq!((image.width, image.height), (900, 540));
    assert_eq!(image.stored, png::ColorType::Indexed);
    assert_looks_drawn(&image);
    assert!(
        image.contains(BLUE) && image.contains(ORANGE),
        "series colours missing"
    );

    let svg = fs::read_to_string(&written[1]).unwrap();
    assert!(svg.contains("<svg"));
    assert!(
        svg.contains("CE &amp; KL &lt;train&gt;"),
        "title not in SVG"
    );
    // Plotters writes each text on a line of its own.
    assert!(
        svg.contains("\ntrain\n") && svg.contains("\ntest\n"),
        "legend not in SVG"
    );
    assert_no_temporaries(dir.path());
}

#[test]
fn title_band_is_blank_without_a_title() {
    // The counterpart of `assert_looks_drawn`: proves the dark pixels come
    // from the title text, i.e. that the embedded font really draws glyphs.
    let dir = tempfile::tempdir().unwrap();
    let mut chart = learning_curves();
    chart.title = String::new();
    chart.save_png(dir.path().join("untitled.png")).unwrap();
    let image = Rgb::read(&dir.path().join("untitled.png"));
    assert_eq!(image.dark_pixels_in_top(TITLE_BAND), 0);
}

#[test]
fn log_line_chart_skips_non_positive_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = learning_curves();
    chart.log_y = true;
    chart.series[0].points[3].1 = 0.0;
    chart.series[1].points[7].1 = -5.0;
    chart.save_png(dir.path().join("log.png")).unwrap();
    assert_looks_drawn(&Rgb::read(&dir.path().join("log.png")));

    chart.series = vec![Series::new("dead", vec![(1.0, 0.0), (2.0, -1.0)])];
    let error = chart.save_png(dir.path().join("dead.png")).unwrap_err();
    assert!(matches!(error, PlotError::InvalidInput { .. }), "{error}");
    assert!(!dir.path().join("dead.png").exists());
}

#[test]
fn histogram_chart_writes_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let edges = (0..=10).map(|i| f64::from(i) / 10.0).collect();
    let mut chart = HistogramChart::new("pixel 350", "pixel value", edges);
    chart.series.push(HistogramSeries::new(
        "input",
        vec![50.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 1.0, 5.0, 40.0],
    ));
    chart.series.push(HistogramSeries::new(
        "reconstruction",
        vec![5.0, 10.0, 12.0, 15.0, 16.0, 14.0, 12.0, 8.0, 5.0, 2.0],
    ));
    let written = chart
        .save(dir.path().join("hist"), &[Format::Png, Format::Svg])
        .unwrap();
    let image = Rgb::read(&written[0]);
    assert_eq!((image.width, image.height), (800, 500));
    assert_looks_drawn(&image);
    assert!(
        image.contains(BLUE) && image.contains(ORANGE),
        "outline colours missing"
    );
    let svg = fs::read_to_string(&written[1]).unwrap();
    assert!(svg.contains("<svg") && svg.contains("pixel 350") && svg.contains("reconstruction"));
}

#[test]
fn scatter_chart_shows_every_class_colour() {
    let dir = tempfile::tempdir().unwrap();
    let points = (0..200)
        .map(|i| (f64::from(i % 20), f64::from(i / 20)))
        .collect();
    let labels = (0..200u8).map(|i| i % 10).collect();
    let chart = ScatterChart::new("latent means", "μ1", "μ2", points, labels);
    let written = chart
        .save(dir.path().join("scatter"), &[Format::Png, Format::Svg])
        .unwrap();
    let image = Rgb::read(&written[0]);
    assert_eq!((image.width, image.height), (760, 640));
    assert_looks_drawn(&image);
    // Legend dots are drawn opaque in the exact palette colour.
    // Paul Tol's "muted" scheme and a dark grey.
    let palette = [
        [0x33, 0x22, 0x88],
        [0x88, 0xcc, 0xee],
        [0x44, 0xaa, 0x99],
        [0x11, 0x77, 0x33],
        [0x99, 0x99, 0x33],
        [0xdd, 0xcc, 0x77],
        [0xcc, 0x66, 0x77],
        [0x88, 0x22, 0x55],
        [0xaa, 0x44, 0x99],
        [0x55, 0x55, 0x55],
    ];
    for colour in palette {
        assert!(image.contains(colour), "class colour {colour:?} missing");
    }
    let svg = fs::read_to_string(&written[1]).unwrap();
    assert!(svg.contains("latent means") && svg.contains("μ1"));
}

/// Image `i` is uniformly `i / 10`, so its cell shows which image it is.
fn uniform_images(count: usize, side: usize) -> Vec<Vec<f32>> {
    (0..count)
        .map(|i| vec![i as f32 / 10.0; side * side])
        .collect()
}

fn gray(v: f32) -> [u8; 3] {
    let level = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    [level; 3]
}

#[test]
fn image_grid_places_images_row_major() {
    let dir = tempfile::tempdir().unwrap();
    let mut grid = ImageGrid::new("g", uniform_images(10, 28), 5);
    // One output pixel per image pixel by default; 2 here to see the scaling.
    assert_eq!(grid.scale, 1);
    grid.scale = 2;
    let path = dir.path().join("grid.png");
    grid.save_png(&path).unwrap();
    let image = Rgb::read(&path);
    // Only greys: stored as a one-channel image.
    assert_eq!(image.stored, png::ColorType::Grayscale);
    // 5 cells of 56 px with 4 gaps of 2, plus 12 px margins; 2 rows likewise.
    let (grid_w, grid_h) = (5 * 56 + 4 * 2, 2 * 56 + 2);
    assert_eq!(
        (image.width, image.height),
        (grid_w + 24, TITLE_BAND + grid_h + 12)
    );
    assert_looks_drawn(&image);
    for i in 0..10 {
        let (row, col) = (i / 5, i % 5);
        let (x, y) = (12 + col * 58, TITLE_BAND + row * 58);
        assert_eq!(image.at(x, y), gray(i as f32 / 10.0), "image {i} top-left");
        assert_eq!(
            image.at(x + 55, y + 55),
            gray(i as f32 / 10.0),
            "image {i} bottom-right"
        );
    }
    // The gap after the first image is background.
    assert_eq!(image.at(12 + 56, TITLE_BAND + 10), [255, 255, 255]);
}

#[test]
fn image_grid_labels_render() {
    let dir = tempfile::tempdir().unwrap();
    let mut grid = ImageGrid::new("reconstructions", uniform_images(6, 28), 3);
    // Wide enough that the grid, not the title, sets the width.
    grid.scale = 2;
    grid.row_labels = Some(vec!["input".into(), "output".into()]);
    grid.column_labels = Some(vec!["t=1".into(), "t=0.5".into(), "t=0".into()]);
    let path = dir.path().join("labelled.png");
    grid.save_png(&path).unwrap();
    let labelled = Rgb::read(&path);
    grid.row_labels = None;
    grid.save_png(&path).unwrap();
    let unlabelled = Rgb::read(&path);
    assert!(labelled.width > unlabelled.width, "row labels take no room");
    // Column-label band: dark text between the title band and the images.
    let band: usize = (TITLE_BAND..TITLE_BAND + 24)
        .map(|y| {
            (0..labelled.width)
                .filter(|&x| labelled.at(x, y)[0] < 100)
                .count()
        })
        .sum();
    assert!(band > 20, "column labels missing ({band} dark pixels)");
}

#[test]
fn a_latent_grid_narrower_than_its_title_is_centred_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2;
    let mut images = vec![vec![0.5f32; 28 * 28]; n * n];
    images[0] = vec![1.0; 28 * 28];
    let title = "a title far wider than a grid of two 28-pixel images at scale 1";
    let grid = LatentGrid::new(title, images, n, (-2.0, 2.0));
    let path = dir.path().join("narrow.png");
    grid.save_png(&path).unwrap();
    let image = Rgb::read(&path);
    let needed = n * 28 + 104;
    assert!(image.width > needed, "{} px: the title is cut", image.width);
    // The plotting area keeps the images' size, centred: the first image's
    // top-left pixel sits half the spare width further right.
    let left = (image.width - needed) / 2 + 80;
    let top = TITLE_BAND + 6;
    assert_eq!(image.at(left, top), gray(1.0));
    assert_eq!(image.at(left + 27, top + 27), gray(1.0));
    assert_eq!(image.at(left + 28, top), gray(0.5));
}

#[test]
fn latent_grid_fills_the_plot_area_with_row_zero_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let n = 4;
    let mut images = vec![vec![0.5f32; 28 * 28]; n * n];
    images[0] = vec![1.0; 28 * 28]; // row 0, col 0: top-left, lowest z1, highest z2
    let mut grid = LatentGrid::new("latent grid", images, n, (-2.0, 2.0));
    grid.x_label = "PC1".into();
    grid.y_label = "PC2".into();
    assert_eq!(grid.scale, 1);
    grid.scale = 2;
    let path = dir.path().join("latent.png");
    grid.save_png(&path).unwrap();
    let image = Rgb::read(&path);
    let side = n * 28 * 2;
    // Left margin 10 + y label area 70 + right margin 24; title band, top
    // margin 6, x label area 56 and bottom margin 10.
    assert_eq!((image.width, image.height), (side + 104, side + 112));
    assert_looks_drawn(&image);
    let (left, top) = (80, TITLE_BAND + 6);
    assert_eq!(
        image.at(left, top),
        gray(1.0),
        "first image is not top-left"
    );
    assert_eq!(image.at(left + 55, top + 55), gray(1.0));
    assert_eq!(image.at(left + 56, top), gray(0.5));
    assert_eq!(
        image.at(left + side - 1, top + side - 1),
        gray(0.5),
        "grid does not reach the corner"
    );
    assert_ne!(
        image.at(left + side, top + side / 2),
        gray(0.5),
        "grid spills right"
    );
    assert_ne!(
        image.at(left + side / 2, top + side),
        gray(0.5),
        "grid spills down"
    );
}

#[test]
fn panels_hold_several_charts() {
    let dir = tempfile::tempdir().unwrap();
    let charts = vec![
        PanelChart::Line(learning_curves()),
        PanelChart::Line(learning_curves()),
    ];
    let panels = Panels::new("comparison", 2, charts);
    let written = panels
        .save(dir.path().join("panels"), &[Format::Png, Format::Svg])
        .unwrap();
    let image = Rgb::read(&written[0]);
    // Two 560×400 cells, plus the title band and the shared legend's band.
    assert_eq!(image.width, 1120);
    assert!(
        (440..560).contains(&image.height),
        "height {}",
        image.height
    );
    assert_looks_drawn(&image);
    let svg = fs::read_to_string(&written[1]).unwrap();
    assert_eq!(svg.matches("CE &amp; KL").count(), 2);
    // One legend for the figure, not one per panel.
    assert_eq!(svg.matches("\ntrain\n").count(), 1);
    assert_eq!(svg.matches("\ntest\n").count(), 1);
}

#[test]
fn invalid_input_is_reported_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.png");
    let mut grid = ImageGrid::new("bad grid", uniform_images(3, 28), 3);
    grid.images[1].pop();
    let error = grid.save_png(&path).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("bad grid") && message.contains("image 1"),
        "{message}"
    );

    let scatter = ScatterChart::new("s", "x", "y", vec![(0.0, 0.0)], vec![1, 2]);
    assert!(matches!(
        scatter.save_png(&path),
        Err(PlotError::InvalidInput { .. })
    ));
    let empty = LineChart::new("empty", "x", "y");
    assert!(matches!(
        empty.save_png(&path),
        Err(PlotError::InvalidInput { .. })
    ));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn unwritable_destination_is_an_io_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, b"file").unwrap();
    let error = learning_curves()
        .save_png(blocker.join("x.png"))
        .unwrap_err();
    assert!(matches!(error, PlotError::Io { .. }), "{error}");
    assert!(error.to_string().contains("not-a-dir"), "{error}");
}

#[test]
fn svg_string_needs_no_file() {
    let svg = learning_curves().to_svg_string().unwrap();
    assert!(svg.starts_with("<svg") || svg.contains("<svg"));
    assert!(svg.contains("epoch"));
}
