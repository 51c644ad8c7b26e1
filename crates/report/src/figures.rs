//! The figures of the study (`docs/study.md` §7) for one run, and the comparison charts across
//! runs, as jobs that can be drawn in parallel.
//!
//! Building a job only copies numbers into a `vaelab-plots` figure; the
//! expensive part, rasterising and encoding, happens in [`Job::draw`].

use std::path::Path;

use vaelab_plots::{
    Figure, Format, HistogramChart, HistogramSeries, ImageGrid, LatentGrid, LineChart, PanelChart,
    Panels, PlotError, ScatterChart, Series,
};
use vaelab_vae::{Losses, Record, RunOutcome};

use super::factors::{Factor, Group};
use super::lang::Lang;
use super::layout;

/// One figure and where it goes.
#[derive(Debug)]
pub struct Job {
    /// Path relative to the report, without extension.
    pub stem: String,
    /// What to draw: any figure of `vaelab-plots`.
    pub figure: Box<dyn Figure>,
    /// Whether its SVG (when the figure has one) is written beside the PNG.
    pub svg: bool,
}

impl Job {
    fn new(stem: String, figure: impl Figure + 'static) -> Self {
        Job {
            stem,
            figure: Box::new(figure),
            svg: true,
        }
    }

    /// Draws the figure under `dir`: its PNG, and its SVG where it has one
    /// and [`Job::svg`] asks for it.
    pub fn draw(&self, dir: &Path) -> Result<(), PlotError> {
        let formats: &[Format] = if self.svg {
            &[Format::Png, Format::Svg]
        } else {
            &[Format::Png]
        };
        self.figure
            .write_only(&dir.join(&self.stem), formats)
            .map(drop)
    }

    /// Whether an SVG is written too.
    pub fn has_svg(&self) -> bool {
        self.svg && self.figure.formats().contains(&Format::Svg)
    }
}

/// The kinds of figure drawn for every run, in the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunFigure {
    /// Cross-entropy learning curves.
    CurveCe,
    /// KL learning curves.
    CurveKl,
    /// MSE learning curves.
    CurveMse,
    /// Originals above reconstructions, training and test.
    Reconstructions,
    /// Input vs reconstructed pixel values at chosen positions.
    Histograms,
    /// The classification set's μ, coloured by digit.
    Scatter,
    /// Decoded images on a grid of the latent plane.
    LatentGrid,
    /// Decoded rows between pairs of training images.
    Interpolation,
}

impl RunFigure {
    /// Every kind, in the report's order.
    pub const ALL: [RunFigure; 8] = [
        RunFigure::CurveCe,
        RunFigure::CurveKl,
        RunFigure::CurveMse,
        RunFigure::Reconstructions,
        RunFigure::Histograms,
        RunFigure::Scatter,
        RunFigure::LatentGrid,
        RunFigure::Interpolation,
    ];

    /// Whether the figure gets an SVG copy beside its PNG: the line charts
    /// do (a vector copy keeps thin and overlapping curves apart at any
    /// zoom). The scatter (a thousand markers) and the histograms would be
    /// larger as SVG than as PNG and show nothing more; their numbers are in
    /// `scatter.csv` and `histograms.csv`. Image grids are PNG only anyway.
    pub fn has_svg(self) -> bool {
        matches!(
            self,
            RunFigure::CurveCe | RunFigure::CurveKl | RunFigure::CurveMse
        )
    }

    /// The file name without extension.
    pub fn stem(self) -> &'static str {
        match self {
            RunFigure::CurveCe => "curve-ce",
            RunFigure::CurveKl => "curve-kl",
            RunFigure::CurveMse => "curve-mse",
            RunFigure::Reconstructions => "reconstructions",
            RunFigure::Histograms => "histograms",
            RunFigure::Scatter => "scatter",
            RunFigure::LatentGrid => "latent-grid",
            RunFigure::Interpolation => "interpolation",
        }
    }

    /// The report's section that shows this figure of every run: heading,
    /// anchor (the same in both editions) and what the figure shows.
    pub fn section(self, lang: Lang) -> (&'static str, &'static str, &'static str) {
        let (heading, anchor, text) = self.section_en();
        let (heading_ja, text_ja) = match self {
            RunFigure::CurveCe => (
                "3.3 学習曲線：交差エントロピー（元レポートの図 4）",
                "学習データとテストデータの CE が学習とともにどう推移するかを示す。",
            ),
            RunFigure::CurveKl => (
                "3.4 学習曲線：KL ダイバージェンス（元レポートの図 5）",
                "両データの D_KL の推移を示す。すべての値が正のときは対数目盛で描く。0 に向かって\
                 下がる曲線は事後分布の崩壊を示す。",
            ),
            RunFigure::CurveMse => (
                "3.5 学習曲線：平均二乗誤差（元レポートの図 6）",
                "両データの 1 画素あたりの MSE の推移を示す。",
            ),
            RunFigure::Reconstructions => (
                "3.6 再構成（元レポートの図 3）",
                "上から順に、学習データの画像、その再構成、テストデータの画像、その再構成である。",
            ),
            RunFigure::Histograms => (
                "3.7 入力と出力の画素値の分布（元レポートの 3.1 節）",
                "選んだ各画素（学習データでの分散が最も大きい画素で、互いに 4 px 以上離れたもの）に\
                 ついて、入力の画素値の度数分布図と再構成の画素値の度数分布図を比べる。1 行に 2 枚\
                 のパネルを置き、学習データの画素を先に、テストデータの画素を後に示す。",
            ),
            RunFigure::Scatter => (
                "3.8 潜在変数の散布図（元レポートの図 7）",
                "分類テストデータの μ を数字ごとに色分けして示す。d = 20 では μ の第 1・第 2 主成分\
                 への射影を示す（軸ラベルにそれぞれが説明する分散の割合を記す）。",
            ),
            RunFigure::LatentGrid => (
                "3.9 潜在空間の格子（元レポートの 3.2 節）",
                "規則的な格子上の各 z から復号した画像を、その z の位置に並べる。d = 20 では、格子は\
                 μ の平均を通り μ の第 1・第 2 主方向が張る平面（軸 PC1、PC2）上にあり、他の座標は\
                 平均値に固定する。",
            ),
            RunFigure::Interpolation => (
                "3.10 補間（元レポートの 3.2 節）",
                "各行は、異なる数字の 2 枚の学習データの潜在変数 z1、z2 の間で t·z1 + (1 − t)·z2 を\
                 復号したものである（行ラベルは 始点 → 終点）。t は 1（左端）から 0（右端）まで変化\
                 する。",
            ),
        };
        match lang {
            Lang::En => (heading, anchor, text),
            Lang::Ja => (heading_ja, anchor, text_ja),
        }
    }

    fn section_en(self) -> (&'static str, &'static str, &'static str) {
        match self {
            RunFigure::CurveCe => (
                "3.3 Learning curves: cross-entropy (seed fig. 4)",
                "curves-ce",
                "CE of the training and the test set along training.",
            ),
            RunFigure::CurveKl => (
                "3.4 Learning curves: KL divergence (seed fig. 5)",
                "curves-kl",
                "D_KL of both sets along training, on a log scale where every value is positive: a \
         curve that falls towards 0 marks posterior collapse.",
            ),
            RunFigure::CurveMse => (
                "3.5 Learning curves: mean squared error (seed fig. 6)",
                "curves-mse",
                "MSE per pixel of both sets along training.",
            ),
            RunFigure::Reconstructions => (
                "3.6 Reconstructions (seed fig. 3)",
                "reconstructions",
                "Rows from the top: training images, their reconstructions, test images, their \
         reconstructions.",
            ),
            RunFigure::Histograms => (
                "3.7 Input and output pixel distributions (seed section 3.1)",
                "histograms",
                "At each chosen pixel (highest training variance, at least 4 px apart), the histogram \
         of the input values against that of the reconstructed values, two panels a row: the \
         training set's pixels first, then the test set's.",
            ),
            RunFigure::Scatter => (
                "3.8 Latent scatter (seed fig. 7)",
                "scatter",
                "μ of the classification images coloured by digit; for d = 20 the projection on the \
         first two principal components (the axis labels give the variance they explain).",
            ),
            RunFigure::LatentGrid => (
                "3.9 Latent grid (seed section 3.2)",
                "latent-grid",
                "Decoded images placed at their z on a regular grid; for d = 20 the grid lies on the \
         plane of the first two principal directions of μ through its mean (axes PC1, PC2), \
         the other coordinates at their mean.",
            ),
            RunFigure::Interpolation => (
                "3.10 Interpolation (seed section 3.2)",
                "interpolation",
                "Each row decodes t·z1 + (1 − t)·z2 between the codes of two training images of \
         different digits (labelled from → to), t from 1 (left) to 0 (right).",
            ),
        }
    }

    /// The figure of `run`, if it has one (no histograms without chosen
    /// pixels, no interpolation without pairs). `seeds` are the runs of its
    /// configuration over every seed (the learning curves show their range).
    pub fn build(self, run: &RunOutcome, seeds: &[&RunOutcome]) -> Option<Box<dyn Figure>> {
        fn boxed(figure: impl Figure + 'static) -> Option<Box<dyn Figure>> {
            Some(Box::new(figure))
        }
        match self {
            RunFigure::CurveCe => boxed(curve(run, seeds, Metric::Ce)),
            RunFigure::CurveKl => boxed(curve(run, seeds, Metric::Kl)),
            RunFigure::CurveMse => boxed(curve(run, seeds, Metric::Mse)),
            RunFigure::Reconstructions => boxed(reconstructions(run)),
            RunFigure::Histograms => histograms(run).and_then(boxed),
            RunFigure::Scatter => boxed(scatter(run)),
            RunFigure::LatentGrid => boxed(latent_grid(run)),
            RunFigure::Interpolation => interpolation(run).and_then(boxed),
        }
    }
}

/// Every figure of one run, in the report's order.
pub fn run_jobs(run: &RunOutcome, seeds: &[&RunOutcome]) -> Vec<Job> {
    RunFigure::ALL
        .iter()
        .filter_map(|&kind| {
            kind.build(run, seeds).map(|figure| Job {
                stem: layout::run_figure(&run.config.name, kind),
                figure,
                svg: kind.has_svg(),
            })
        })
        .collect()
}

/// A loss recorded along training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Cross-entropy.
    Ce,
    /// KL divergence.
    Kl,
    /// Mean squared error per pixel.
    Mse,
}

impl Metric {
    fn of(self, losses: &Losses) -> f64 {
        match self {
            Metric::Ce => losses.ce,
            Metric::Kl => losses.kl,
            Metric::Mse => losses.mse,
        }
    }

    /// The name in titles.
    pub fn title(self) -> &'static str {
        match self {
            Metric::Ce => "cross-entropy",
            Metric::Kl => "KL divergence",
            Metric::Mse => "mean squared error",
        }
    }

    fn axis(self) -> &'static str {
        match self {
            Metric::Ce => "CE (nats per image, log scale)",
            Metric::Kl => "D_KL (nats per image, log scale)",
            Metric::Mse => "MSE (per pixel, log scale)",
        }
    }
}

fn points(history: &[Record], metric: Metric, test: bool) -> Vec<(f64, f64)> {
    history
        .iter()
        .map(|r| {
            let losses = if test { &r.test } else { &r.train };
            (r.iteration as f64, metric.of(losses))
        })
        .collect()
}

/// Train and test curves of one metric on shared axes.
pub(crate) fn curve(run: &RunOutcome, seeds: &[&RunOutcome], metric: Metric) -> LineChart {
    let shaded = if seeds.len() > 1 {
        format!(" (shaded: range over {} seeds)", seeds.len())
    } else {
        String::new()
    };
    let title = format!("{}: {}{shaded}", run.config.name, metric.title());
    let mut chart = LineChart::new(title, "iteration", metric.axis());
    chart.series.push(
        Series::new("train", points(&run.history, metric, false))
            .with_colour(0)
            .with_band(band(seeds, metric, false)),
    );
    chart.series.push(
        Series::new("test", points(&run.history, metric, true))
            .with_colour(0)
            .dashed()
            .with_band(band(seeds, metric, true)),
    );
    use_log_scale(&mut chart);
    chart
}

/// The range (min–max) of a metric over the runs of `seeds` at each
/// recorded iteration they share; empty for fewer than two runs.
pub fn band(seeds: &[&RunOutcome], metric: Metric, test: bool) -> Vec<(f64, f64, f64)> {
    let Some(first) = seeds.first() else {
        return Vec::new();
    };
    if seeds.len() < 2 {
        return Vec::new();
    }
    first
        .history
        .iter()
        .enumerate()
        .filter_map(|(i, record)| {
            let mut lo = f64::INFINITY;
            let mut hi = f64::NEG_INFINITY;
            for run in seeds {
                let r = run
                    .history
                    .get(i)
                    .filter(|r| r.iteration == record.iteration)?;
                let v = metric.of(if test { &r.test } else { &r.train });
                lo = lo.min(v);
                hi = hi.max(v);
            }
            Some((record.iteration as f64, lo, hi))
        })
        .collect()
}

/// Log y (KL can fall to 1e-5 when the posterior collapses, and the first
/// iterations' CE would flatten the rest of a linear curve), unless a value
/// is not positive; the axis label says which.
fn use_log_scale(chart: &mut LineChart) {
    chart.log_y = chart
        .series
        .iter()
        .all(|s| s.points.iter().all(|p| p.1 > 0.0));
    if !chart.log_y {
        chart.y_label = chart.y_label.replace(", log scale", "");
    }
}

/// Training then test images: originals above outputs.
fn reconstructions(run: &RunOutcome) -> ImageGrid {
    let r = &run.analysis.reconstructions;
    let rows = [
        ("train input", &r.train_inputs),
        ("train output", &r.train_outputs),
        ("test input", &r.test_inputs),
        ("test output", &r.test_outputs),
    ];
    let columns = rows.iter().map(|(_, imgs)| imgs.len()).min().unwrap_or(0);
    let mut images = Vec::new();
    let mut labels = Vec::new();
    for (label, imgs) in rows {
        images.extend(imgs.iter().take(columns).cloned());
        labels.push(label.to_string());
    }
    let title = format!("{}: reconstructions (μ decoded)", run.config.name);
    let mut grid = ImageGrid::new(title, images, columns.max(1));
    grid.row_labels = (columns > 0).then_some(labels);
    grid
}

/// `(row, column)` of a pixel index in images `columns` pixels wide.
pub fn pixel_position(index: usize, columns: usize) -> (usize, usize) {
    (index / columns.max(1), index % columns.max(1))
}

/// Input vs reconstruction histograms, two panels a row: every pixel
/// position of the training set, then of the test set.
fn histograms(run: &RunOutcome) -> Option<Panels> {
    let hs = &run.analysis.pixel_histograms;
    if hs.is_empty() {
        return None;
    }
    let mut charts = Vec::new();
    for (set, train) in [("train", true), ("test", false)] {
        for h in hs {
            let [input, output] = if train { &h.train } else { &h.test };
            let (row, col) = pixel_position(h.position, run.analysis.image_shape.1);
            let mut chart = HistogramChart::new(
                format!("{set}, pixel (row {row}, col {col})"),
                "pixel value",
                input.edges.clone(),
            );
            chart.y_label = "images".into();
            let heights = |counts: &[u64]| counts.iter().map(|&c| c as f64).collect();
            chart
                .series
                .push(HistogramSeries::new("input", heights(&input.counts)));
            chart.series.push(HistogramSeries::new(
                "reconstruction",
                heights(&output.counts),
            ));
            charts.push(PanelChart::Histogram(chart));
        }
    }
    let title = format!(
        "{}: pixel values, input vs reconstruction (the {} pixels of highest training variance, ≥ 4 px apart)",
        run.config.name,
        hs.len()
    );
    // Two panels a row, at the plots crate's recommended cell size, so that
    // the text stays readable at the width the page shows the figure.
    let mut panels = Panels::new(title, 2, charts);
    panels.cell_size = (480, 360);
    Some(panels)
}

/// The classification set's μ coloured by digit; a PCA projection says so.
fn scatter(run: &RunOutcome) -> ScatterChart {
    let s = &run.analysis.scatter;
    let points = s.points.iter().map(|p| (p[0], p[1])).collect();
    let (title, x, y) = match s.explained {
        Some([a, b]) => (
            format!(
                "{}: μ of the classification set (PCA, d = {})",
                run.config.name, run.config.latent
            ),
            format!("{} ({:.1}% of variance)", s.axes[0], 100.0 * a),
            format!("{} ({:.1}% of variance)", s.axes[1], 100.0 * b),
        ),
        None => (
            format!("{}: μ of the classification set", run.config.name),
            s.axes[0].clone(),
            s.axes[1].clone(),
        ),
    };
    ScatterChart::new(title, x, y, points, s.labels.clone())
}

/// The decoded grid, on the latent plane or the PCA plane.
fn latent_grid(run: &RunOutcome) -> LatentGrid {
    let g = &run.analysis.grid;
    // Short enough not to be wider than the grid, drawn one output pixel
    // per image pixel (the caption says what the plane and squares are).
    let plane = if run.analysis.scatter.explained.is_some() {
        "PC1–PC2 grid"
    } else {
        "latent grid"
    };
    let title = format!("{}: {plane}, squares = μ", run.config.name);
    let mut grid = LatentGrid::new(title, g.images.clone(), g.size, (-g.extent, g.extent));
    grid.x_label.clone_from(&g.axes[0]);
    grid.y_label.clone_from(&g.axes[1]);
    // The classification images' μ over the decoded images (the scatter's
    // points: z for d = 2, the same PCA plane otherwise).
    let s = &run.analysis.scatter;
    grid.overlay = s
        .points
        .iter()
        .zip(&s.labels)
        .map(|(p, &label)| ((p[0], p[1]), label))
        .collect();
    grid
}

/// `t` as a short label: `t=1`, `t=0.9`, `t=0.25`.
pub fn t_label(t: f64) -> String {
    let text = format!("{t:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("t={text}")
}

/// One row per pair of training images, t from 1 to 0.
fn interpolation(run: &RunOutcome) -> Option<ImageGrid> {
    let rows = &run.analysis.interpolations;
    let first = rows.first()?;
    let columns = first.images.len();
    let images: Vec<Vec<f32>> = rows
        .iter()
        .flat_map(|r| r.images.iter().take(columns).cloned())
        .collect();
    let title = format!(
        "{}: decoded t·z1 + (1 − t)·z2 between training images",
        run.config.name
    );
    let mut grid = ImageGrid::new(title, images, columns.max(1));
    grid.column_labels = Some(first.ts.iter().map(|&t| t_label(t)).collect());
    grid.row_labels = Some(
        rows.iter()
            .map(|r| format!("{} → {}", r.from_digit, r.to_digit))
            .collect(),
    );
    Some(grid)
}

/// The metric a factor's comparison chart shows: test MSE for the
/// objective (CE would favour the CE-trained run by construction), test
/// cross-entropy otherwise.
pub fn comparison_metric(factor: &Factor) -> Metric {
    if *factor == Factor::objective() {
        Metric::Mse
    } else {
        Metric::Ce
    }
}

/// One chart per group: the metric's train and test curves of each member
/// (`sets[i]`: the runs of configuration `i` over its seeds, its
/// representative first), each shaded with its range over the seeds.
pub fn comparison_job(factor: &Factor, groups: &[Group], sets: &[&[&RunOutcome]]) -> Job {
    Job::new(
        layout::comparison_figure(factor.key()),
        comparison_panels(factor, groups, sets),
    )
}

/// The panels of [`comparison_job`], one per group (the captions read the
/// series drawn).
pub(crate) fn comparison_panels(
    factor: &Factor,
    groups: &[Group],
    sets: &[&[&RunOutcome]],
) -> Panels {
    let metric = comparison_metric(factor);
    let seeds = sets.iter().map(|s| s.len()).max().unwrap_or(1);
    let values = value_order(groups);
    let charts = groups
        .iter()
        .map(|g| {
            let mut chart = LineChart::new(g.label.clone(), "iteration", metric.axis());
            // A colour per value, train solid and test dashed.
            for (index, value) in &g.members {
                let colour = values.iter().position(|v| v == value).unwrap_or(0);
                let set = sets[*index];
                let history = &set[0].history;
                for (name, test) in [("train", false), ("test", true)] {
                    let name = format!("{value} {name}");
                    let series = Series::new(name, points(history, metric, test))
                        .with_colour(colour)
                        .with_band(band(set, metric, test));
                    chart
                        .series
                        .push(if test { series.dashed() } else { series });
                }
            }
            use_log_scale(&mut chart);
            PanelChart::Line(chart)
        })
        .collect();
    let shaded = if seeds > 1 {
        format!(" (first seed; shaded: range over {seeds} seeds)")
    } else {
        String::new()
    };
    let title = format!(
        "{}: {} by {}{shaded}",
        factor.title(Lang::En),
        metric.title(),
        factor.key()
    );
    let mut panels = Panels::new(title, groups.len().clamp(1, 2), charts);
    panels.cell_size = (panel_width(groups), 420);
    panels
}

/// The factor's values in `groups`, each once in order of first appearance:
/// a value's position is its colour, the same in every panel (so that the
/// figure has one legend).
fn value_order(groups: &[Group]) -> Vec<&str> {
    let mut values: Vec<&str> = Vec::new();
    for (_, value) in groups.iter().flat_map(|g| &g.members) {
        if !values.contains(&value.as_str()) {
            values.push(value);
        }
    }
    values
}

/// The width of a comparison panel: 720 px, or wider when a panel title
/// would not fit (an ablation's titles name several settings, e.g. "seed
/// head, init 0.1, 20 000 iterations, KL warm-up 1000"). The title is bold
/// at about 22 CSS px, some 15 px a character; the text size does not grow
/// with the width (it is capped by the panel's height).
fn panel_width(groups: &[Group]) -> u32 {
    let longest = groups
        .iter()
        .map(|g| g.label.chars().count())
        .max()
        .unwrap_or(0);
    let wanted = u32::try_from(longest)
        .unwrap_or(u32::MAX / 16)
        .saturating_mul(15)
        + 60;
    wanted.div_ceil(10).saturating_mul(10).max(720)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_widen_for_long_titles_only() {
        let group = |label: &str| Group {
            label: label.into(),
            label_ja: String::new(),
            members: Vec::new(),
        };
        // The study's titles keep the 720 px panels.
        assert_eq!(panel_width(&[group("sigmoid, d = 20, CE, seed head")]), 720);
        assert_eq!(panel_width(&[]), 720);
        let long = "gaussian head, PyTorch init, 2000 iterations, no KL warm-up";
        assert_eq!(panel_width(&[group("lr = 0.01"), group(long)]), 950);
    }

    #[test]
    fn a_value_keeps_its_colour_across_panels() {
        let group = |values: &[&str]| Group {
            label: String::new(),
            label_ja: String::new(),
            members: values.iter().map(|v| (0, v.to_string())).collect(),
        };
        // The ablation's init panels: the second lacks 0.01, lists 0.1 first.
        let groups = [
            group(&["gaussian:0.01", "gaussian:1", "pytorch", "gaussian:0.1"]),
            group(&["gaussian:0.1", "gaussian:1", "pytorch"]),
        ];
        assert_eq!(
            value_order(&groups),
            ["gaussian:0.01", "gaussian:1", "pytorch", "gaussian:0.1"]
        );
    }

    #[test]
    fn t_labels_are_short() {
        assert_eq!(t_label(1.0), "t=1");
        assert_eq!(t_label(0.9), "t=0.9");
        assert_eq!(t_label(0.25), "t=0.25");
        assert_eq!(t_label(0.0), "t=0");
    }

    #[test]
    fn pixel_positions_are_row_major() {
        assert_eq!(pixel_position(0, 28), (0, 0));
        assert_eq!(pixel_position(28 * 14 + 5, 28), (14, 5));
        assert_eq!(pixel_position(16 * 3 + 2, 16), (3, 2));
    }
}
