//! Renders one figure of every kind from synthetic data into a directory, for
//! looking at them: `cargo run -p vaelab-plots --example gallery -- <out-dir>`.

use std::error::Error;
use std::path::PathBuf;

use vaelab_plots::{
    Format, HistogramChart, HistogramSeries, ImageGrid, LatentGrid, LineChart, PanelChart, Panels,
    ScatterChart, Series,
};

/// A 28×28 ring of radius `radius` with a bar at `angle`: digit-like enough to
/// judge contrast and layout.
fn glyph(radius: f32, angle: f32) -> Vec<f32> {
    let mut image = vec![0.0; 28 * 28];
    for (i, v) in image.iter_mut().enumerate() {
        let (x, y) = ((i % 28) as f32 - 13.5, (i / 28) as f32 - 13.5);
        let ring = 1.0 - ((x.hypot(y) - radius).abs() / 1.5).min(1.0);
        let bar = 1.0 - ((x * angle.sin() - y * angle.cos()).abs() / 1.2).min(1.0);
        let bar = if x.hypot(y) < 11.0 { bar } else { 0.0 };
        *v = ring.max(bar);
    }
    image
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "gallery".into()));
    let formats = [Format::Png, Format::Svg];

    let mut curves = LineChart::new("sigmoid-z2: cross-entropy", "epoch", "CE per image");
    let train = (1..=200).map(|e| (f64::from(e), 550.0 * f64::from(e).powf(-0.35) + 60.0));
    let test = (1..=200).map(|e| (f64::from(e), 560.0 * f64::from(e).powf(-0.3) + 80.0));
    curves.series.push(Series::new("train", train.collect()));
    curves.series.push(Series::new("test", test.collect()));
    curves.save(dir.join("line"), &formats)?;
    let mut log_curves = curves.clone();
    log_curves.log_y = true;
    log_curves.title = "sigmoid-z2: cross-entropy (log scale)".into();
    log_curves.save(dir.join("line_log"), &formats)?;

    let edges: Vec<f64> = (0..=20).map(|i| f64::from(i) / 20.0).collect();
    let input: Vec<f64> = (0..20)
        .map(|i| {
            if i < 2 {
                40.0
            } else if i > 17 {
                30.0
            } else {
                2.0
            }
        })
        .collect();
    let output: Vec<f64> = (0..20)
        .map(|i| 3.0 + 12.0 * (-((f64::from(i) - 10.0) / 4.0).powi(2)).exp())
        .collect();
    let mut histogram = HistogramChart::new("pixel (14, 12), training set", "pixel value", edges);
    histogram.series.push(HistogramSeries::new("input", input));
    histogram
        .series
        .push(HistogramSeries::new("reconstruction", output));
    histogram.save(dir.join("histogram"), &formats)?;

    let mut points = Vec::new();
    let mut labels = Vec::new();
    for i in 0..1000u32 {
        let class = (i % 10) as u8;
        let angle = f64::from(class) * 0.628 + f64::from(i % 7) * 0.03;
        let r = 1.0 + f64::from(i % 13) * 0.05;
        points.push((r * angle.cos(), r * angle.sin()));
        labels.push(class);
    }
    let scatter = ScatterChart::new("sigmoid-z2: latent means μ", "μ1", "μ2", points, labels);
    scatter.save(dir.join("scatter"), &formats)?;

    let originals: Vec<Vec<f32>> = (0..10)
        .map(|i| glyph(5.0 + i as f32 * 0.5, i as f32 * 0.3))
        .collect();
    let outputs: Vec<Vec<f32>> = originals
        .iter()
        .map(|im| im.iter().map(|v| v * 0.7 + 0.1).collect())
        .collect();
    let mut reconstructions = ImageGrid::new(
        "sigmoid-z2: reconstructions (training set)",
        [originals, outputs].concat(),
        10,
    );
    reconstructions.row_labels = Some(vec!["input".into(), "output".into()]);
    reconstructions.save_png(dir.join("reconstructions.png"))?;

    let steps: Vec<f32> = (0..11).map(|i| 1.0 - i as f32 / 10.0).collect();
    let mut interpolation = ImageGrid::new(
        "interpolation",
        steps
            .iter()
            .map(|t| glyph(4.0 + 6.0 * t, 2.0 * t))
            .collect(),
        11,
    );
    interpolation.column_labels = Some(steps.iter().map(|t| format!("{t:.1}")).collect());
    interpolation.row_labels = Some(vec!["3 → 8".into()]);
    interpolation.save_png(dir.join("interpolation.png"))?;

    let n = 15;
    let mut latent = LatentGrid::new(
        "sigmoid-z2: decoded latent grid",
        Vec::new(),
        n,
        (-2.0, 2.0),
    );
    for row in 0..n {
        for col in 0..n {
            let (x, y) = latent.z_at(row, col);
            latent
                .images
                .push(glyph(7.0 + 1.5 * x as f32, 0.8 * y as f32));
        }
    }
    latent.save_png(dir.join("latent_grid.png"))?;

    let panels = Panels::new(
        "comparison",
        2,
        vec![
            PanelChart::Line(curves),
            PanelChart::Histogram(histogram),
            PanelChart::Scatter(scatter),
        ],
    );
    panels.save(dir.join("panels"), &formats)?;
    Ok(())
}
