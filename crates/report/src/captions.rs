//! The captions of the report's figures: what each shows (axes, runs,
//! training vs test), what to look at, and — for learning curves — which
//! curves lie on top of each other, found from the very series drawn.
//!
//! The renderers add "Figure N." in front ([`crate::document`]).

use vaelab_metrics::LatentState;
use vaelab_plots::{LineChart, PanelChart};
use vaelab_vae::RunOutcome;

use crate::factors::{Factor, Group};
use crate::figures::{self, Metric, RunFigure};
use crate::lang::Lang;

/// Two curves count as lying on top of each other when, at every iteration
/// both record, they are less than this many pixels apart at the chart's
/// scale.
pub const OVERLAP_PX: f64 = 1.0;

/// The caption of `kind`'s figure of `run`.
pub fn run_caption(run: &RunOutcome, kind: RunFigure, lang: Lang) -> String {
    let name = &run.config.name;
    let a = &run.analysis;
    let pca = a.scatter.explained.is_some();
    let collapsed = if a.metrics.latent_activity.state == LatentState::Collapsed {
        " This run's posterior has collapsed (no informative latent dimension): its \
         latent code carries nothing about the image."
    } else {
        ""
    };
    let curves = |metric: Metric, look: &str| {
        let chart = figures::curve(run, &[run], metric);
        format!(
            "`{name}`: {} against the training iteration, {}; training set solid, test set \
             dashed, in one colour. {look}{}{collapsed}",
            chart.y_label.replace(", log scale", ""),
            if chart.log_y {
                "log scale"
            } else {
                "linear scale"
            },
            overlap_sentence(&chart, chart.size.1, lang)
        )
    };
    match kind {
        RunFigure::CurveCe => curves(
            Metric::Ce,
            "Look at the gap between the two: a test curve above the training curve that \
             turns up is overfitting.",
        ),
        RunFigure::CurveKl => curves(
            Metric::Kl,
            "Look at the level: a KL that falls towards 0 means the posterior collapses onto \
             the prior and z stops carrying information.",
        ),
        RunFigure::CurveMse => curves(
            Metric::Mse,
            "Look at the gap between the two and whether the test curve still falls at the end.",
        ),
        RunFigure::Reconstructions => format!(
            "`{name}`: rows from the top: {n} training images, their reconstructions (μ \
             decoded, no noise), {m} test images, theirs. Look at whether the outputs follow \
             their inputs or all look alike (a decoder that ignores z).{collapsed}",
            n = a.reconstructions.train_inputs.len(),
            m = a.reconstructions.test_inputs.len()
        ),
        RunFigure::Histograms => format!(
            "`{name}`: at each of the {k} pixels of highest training variance (at least 4 px \
             apart), the number of images per pixel value (x: value in [0, 1]), input against \
             reconstruction; training set panels first, then the test set's. Look at the ends: \
             inputs pile up at 0 and 1, blurred reconstructions fill the middle (their \
             agreement is the overlap of the glossary).{collapsed}",
            k = a.pixel_histograms.len()
        ),
        RunFigure::Scatter => format!(
            "`{name}`: μ of the {n} classification images, one dot each, coloured by digit; {axes}. \
             Look at whether each digit forms its own cluster and which clusters touch.{collapsed}",
            n = a.scatter.points.len(),
            axes = if pca {
                "axes: the first two principal components of μ (PC1, PC2, share of variance \
                 on each axis)"
            } else {
                "axes: the two latent coordinates z1, z2"
            }
        ),
        RunFigure::LatentGrid => {
            let e = a.grid.extent;
            let outside = a
                .scatter
                .points
                .iter()
                .filter(|p| p[0].abs() > e || p[1].abs() > e)
                .count();
            format!(
                "`{name}`: the image decoded at each z of a {g} × {g} grid over [−{e}, {e}]², \
                 {plane}; the small hollow squares are μ of the classification images, \
                 coloured by digit as in the latent scatter ({outside} of {n} lie outside the \
                 grid and are not drawn). Look at which digit the decoder draws where each \
                 digit's dots lie, and what it draws between the clusters.{collapsed}",
                g = a.grid.size,
                plane = if pca {
                    "on the plane of the first two principal directions of μ through its mean \
                     (PC1 to the right, PC2 up; the other coordinates at their mean)"
                } else {
                    "z1 to the right, z2 up"
                },
                n = a.scatter.points.len()
            )
        }
        RunFigure::Interpolation => format!(
            "`{name}`: each row decodes t·z1 + (1 − t)·z2 between the codes of two training \
             images of different digits (row label: from → to), t from 1 (left) to 0 (right). \
             Look at whether the image morphs smoothly or passes through a third digit.{collapsed}"
        ),
    }
}

/// The caption of the comparison chart along `factor`.
pub fn comparison_caption(
    factor: &Factor,
    groups: &[Group],
    sets: &[&[&RunOutcome]],
    lang: Lang,
) -> String {
    let metric = figures::comparison_metric(factor);
    let panels = figures::comparison_panels(factor, groups, sets);
    let why = if metric == Metric::Mse {
        " (MSE, not CE: CE would favour the CE-trained run by construction)"
    } else {
        ""
    };
    let mut overlaps = Vec::new();
    for chart in &panels.charts {
        if let PanelChart::Line(chart) = chart {
            let said = overlap_sentence(chart, panels.cell_size.1, lang);
            if !said.is_empty() {
                overlaps.push(format!(" Panel {}:{said}", chart.title));
            }
        }
    }
    format!(
        "{}{why} of the runs that differ only in the {}, against the training iteration, one \
         panel per group of otherwise equal settings (panel title); a colour per {} value, \
         training set solid, test set dashed. Look at which colour lies lower on the dashed \
         (test) curves, and at the gap between solid and dashed.{}",
        capital(metric.title()),
        factor.key(),
        factor.key(),
        overlaps.concat()
    )
}

/// " The curves A and B lie on top of each other …" for the coinciding
/// curves of `chart` drawn `height` pixels high, or "" when every curve is
/// visible.
pub fn overlap_sentence(chart: &LineChart, height: u32, lang: Lang) -> String {
    let pairs = coinciding(chart, height);
    if pairs.is_empty() {
        return String::new();
    }
    // Curves that coincide, grouped (A on B and B on C is one group).
    let n = chart.series.len();
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &[usize], mut i: usize) -> usize {
        while group[i] != i {
            i = group[i];
        }
        i
    }
    for p in &pairs {
        let (a, b) = (root(&group, p.i), root(&group, p.j));
        group[b.max(a)] = a.min(b);
    }
    let mut sets: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let r = root(&group, i);
        match sets.iter_mut().find(|(root, _)| *root == r) {
            Some((_, set)) => set.push(i),
            None => sets.push((r, vec![i])),
        }
    }
    let sets: Vec<Vec<usize>> = sets.into_iter().map(|(_, s)| s).collect();
    let hidden: usize = sets.iter().map(|s| s.len() - 1).sum();
    let worst = pairs.iter().map(|p| p.gap).fold(0.0, f64::max);
    let from = pairs
        .iter()
        .filter_map(|p| p.from)
        .fold(None, |latest: Option<f64>, x| {
            Some(latest.map_or(x, |l| l.max(x)))
        });
    let when = from.map_or(String::new(), |x| format!(" from iteration {x} on"));
    let said: Vec<String> = sets
        .iter()
        .filter(|s| s.len() > 1)
        .map(|s| {
            let names: Vec<String> = s
                .iter()
                .map(|&i| format!("\"{}\"", chart.series[i].name))
                .collect();
            join_and(&names)
        })
        .collect();
    format!(
        " The curves {} lie on top of each other{when} (at most {worst:.2} px apart at this \
         scale), so only {} of the {n} curves can be seen there.",
        said.join("; "),
        n - hidden
    )
}

/// Two series that coincide: their indices, their largest gap in pixels
/// where they coincide, and the x from which they do (`None`: everywhere).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coincidence {
    /// The first series.
    pub i: usize,
    /// The second series.
    pub j: usize,
    /// Their largest distance in pixels over the points where they coincide.
    pub gap: f64,
    /// The first x of the coinciding stretch, when they part before it.
    pub from: Option<f64>,
}

/// The pairs of series of `chart` that are less than [`OVERLAP_PX`] apart
/// at every x both hold, or at every x from some point on that covers at
/// least the later half of those x (curves that part only in the first
/// iterations still hide each other for most of the chart). Distances are
/// measured as if the y range of all series filled `height` pixels — an
/// upper bound, since the plot area is smaller than the image.
pub fn coinciding(chart: &LineChart, height: u32) -> Vec<Coincidence> {
    let scale = |y: f64| if chart.log_y { y.ln() } else { y };
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| scale(p.1)))
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        return Vec::new();
    }
    let range = hi - lo;
    let px = |a: f64, b: f64| {
        let gap = if range > 0.0 {
            (scale(a) - scale(b)).abs() / range * f64::from(height)
        } else {
            0.0
        };
        if gap.is_nan() { f64::INFINITY } else { gap }
    };
    let mut pairs = Vec::new();
    for i in 0..chart.series.len() {
        for j in i + 1..chart.series.len() {
            let (a, b) = (&chart.series[i].points, &chart.series[j].points);
            // (x, gap) at every x both hold, in a's order.
            let gaps: Vec<(f64, f64)> = a
                .iter()
                .filter_map(|p| b.iter().find(|q| q.0 == p.0).map(|q| (p.0, px(p.1, q.1))))
                .collect();
            if gaps.is_empty() || gaps.len() < a.len().min(b.len()) {
                continue;
            }
            // The coinciding tail: everything after the last gap too wide.
            let start = gaps
                .iter()
                .rposition(|g| g.1 >= OVERLAP_PX)
                .map_or(0, |last| last + 1);
            if 2 * (gaps.len() - start) < gaps.len() {
                continue;
            }
            let gap = gaps[start..].iter().map(|g| g.1).fold(0.0, f64::max);
            let from = (start > 0).then(|| gaps[start].0);
            pairs.push(Coincidence { i, j, gap, from });
        }
    }
    pairs
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use vaelab_plots::Series;

    use super::*;

    fn chart(series: Vec<(&str, Vec<f64>)>, log_y: bool) -> LineChart {
        let mut chart = LineChart::new("t", "iteration", "CE");
        chart.log_y = log_y;
        chart.size = (900, 500);
        for (name, ys) in series {
            let points = ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect();
            chart.series.push(Series::new(name, points));
        }
        chart
    }

    #[test]
    fn curves_closer_than_a_pixel_are_found_and_named() {
        // Range 100..600.9 over 500 px: 1 unit is about 1 px. "a" and "b" differ by
        // at most 0.5 (0.5 px); "c" is 10 px away; "d" sits on "c" within
        // 0.9 px.
        let c = chart(
            vec![
                ("a", vec![600.0, 300.0, 100.0]),
                ("b", vec![600.5, 300.0, 100.2]),
                ("c", vec![590.0, 290.0, 110.0]),
                ("d", vec![590.9, 290.0, 110.0]),
            ],
            false,
        );
        let pairs = coinciding(&c, 500);
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.i, p.j)).collect();
        assert_eq!(found, vec![(0, 1), (2, 3)]);
        assert!((pairs[0].gap - 0.5).abs() < 1e-2, "{pairs:?}");
        assert_eq!(pairs[0].from, None);
        let text = overlap_sentence(&c, 500, Lang::En);
        assert!(
            text.contains("\"a\" and \"b\"; \"c\" and \"d\"")
                && text.contains("only 2 of the 4 curves"),
            "{text}"
        );
    }

    #[test]
    fn separate_curves_are_not_called_overlapping() {
        // 2 units apart on a 500-unit range over 500 px: 2 px, visible.
        let c = chart(
            vec![("train", vec![600.0, 100.0]), ("test", vec![602.0, 102.0])],
            false,
        );
        assert!(coinciding(&c, 500).is_empty());
        assert_eq!(overlap_sentence(&c, 500, Lang::En), "");
        // The same gap drawn 200 px high is below a pixel.
        assert_eq!(coinciding(&c, 200).len(), 1);
        // On a log scale the gap is measured in log units: 1% apart on a
        // range of ten thousand times is ~0.5 px at 500 px.
        let c = chart(
            vec![
                ("train", vec![1e4, 1.0]),
                ("test", vec![1.01e4, 1.01]),
                ("far", vec![2e4, 2.0]),
            ],
            true,
        );
        let pairs = coinciding(&c, 500);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert!(pairs[0].gap < 1.0 && pairs[0].gap > 0.4, "{pairs:?}");
    }

    #[test]
    fn curves_that_part_only_early_overlap_from_where_they_meet() {
        // 50 px apart at x = 0, then within 0.3 px for the rest.
        let c = chart(
            vec![
                ("a", vec![600.0, 300.0, 200.0, 150.0, 100.0]),
                ("b", vec![550.0, 300.3, 200.0, 150.2, 100.0]),
            ],
            false,
        );
        let pairs = coinciding(&c, 500);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!(pairs[0].from, Some(1.0));
        let text = overlap_sentence(&c, 500, Lang::En);
        assert!(text.contains("from iteration 1 on"), "{text}");
        // Parting over more than half the chart is not overlapping.
        let c = chart(
            vec![
                ("a", vec![600.0, 300.0, 200.0, 150.0, 100.0]),
                ("b", vec![550.0, 250.0, 150.0, 150.2, 100.0]),
            ],
            false,
        );
        assert!(coinciding(&c, 500).is_empty());
    }

    #[test]
    fn curves_without_shared_iterations_do_not_overlap() {
        let mut c = chart(vec![("a", vec![1.0, 2.0])], false);
        c.series
            .push(Series::new("b", vec![(5.0, 1.0), (6.0, 2.0)]));
        assert!(coinciding(&c, 500).is_empty());
    }
}
