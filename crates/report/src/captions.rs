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
use crate::tr;

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
        lang.pick(
            " This run's posterior has collapsed (no informative latent dimension): its \
             latent code carries nothing about the image.",
            "この実験の事後分布は崩壊している（情報を持つ潜在次元がない）。潜在変数は画像に\
             ついて何の情報も持たない。",
        )
    } else {
        ""
    };
    let curves = |metric: Metric, look: &str| {
        let chart = figures::curve(run, &[run], metric);
        let overlap = overlap_sentence(&chart, chart.size.1, lang);
        match lang {
            Lang::En => format!(
                "`{name}`: {} against the training iteration, {}; training set solid, test set \
                 dashed, in one colour. {look}{overlap}{collapsed}",
                chart.y_label.replace(", log scale", ""),
                if chart.log_y {
                    "log scale"
                } else {
                    "linear scale"
                },
            ),
            Lang::Ja => format!(
                "`{name}`：学習の反復回数に対する {}の推移（{}）。学習データを実線、テストデータ\
                 を破線で、同じ色で描く。{look}{overlap}{collapsed}",
                axis_ja(metric),
                if chart.log_y {
                    "対数目盛"
                } else {
                    "線形目盛"
                },
            ),
        }
    };
    match kind {
        RunFigure::CurveCe => curves(
            Metric::Ce,
            lang.pick(
                "Look at the gap between the two: a test curve above the training curve that \
                 turns up is overfitting.",
                "両者の差に注目する。テスト曲線が学習曲線より上にあり、途中から上昇に転じる\
                 なら過学習である。",
            ),
        ),
        RunFigure::CurveKl => curves(
            Metric::Kl,
            lang.pick(
                "Look at the level: a KL that falls towards 0 means the posterior collapses \
                 onto the prior and z stops carrying information.",
                "値の水準に注目する。KL が 0 に向かって下がるなら、事後分布が事前分布に重なって\
                 崩壊し、z が情報を運ばなくなっている。",
            ),
        ),
        RunFigure::CurveMse => curves(
            Metric::Mse,
            lang.pick(
                "Look at the gap between the two and whether the test curve still falls at the \
                 end.",
                "両者の差と、テスト曲線が終盤でもまだ下がり続けているかに注目する。",
            ),
        ),
        RunFigure::Reconstructions => tr!(
            lang,
            "`{name}`: rows from the top: {n} training images, their reconstructions (μ \
             decoded, no noise), {m} test images, theirs. Look at whether the outputs follow \
             their inputs or all look alike (a decoder that ignores z).{collapsed}",
            "`{name}`：上の行から順に、学習データの画像 {n} 枚、その再構成（ノイズなしで μ を\
             復号したもの）、テストデータの画像 {m} 枚、その再構成である。出力が入力に従って\
             いるか、それともどれも似た画像になっているか（z を無視する復号化器）に注目する。\
             {collapsed}",
            n = a.reconstructions.train_inputs.len(),
            m = a.reconstructions.test_inputs.len()
        ),
        RunFigure::Histograms => tr!(
            lang,
            "`{name}`: at each of the {k} pixels of highest training variance (at least 4 px \
             apart), the number of images per pixel value (x: value in [0, 1]), input against \
             reconstruction; training set panels first, then the test set's. Look at the ends: \
             inputs pile up at 0 and 1, blurred reconstructions fill the middle (their \
             agreement is the overlap of the glossary).{collapsed}",
            "`{name}`：学習データでの分散が最も大きい {k} 個の画素（互いに 4 px 以上離れたもの）\
             のそれぞれについて、画素値ごとの画像の枚数（x：[0, 1] の画素値）を入力と再構成で\
             比べる。学習データのパネルを先に、テストデータのパネルを後に置く。両端に注目する。\
             入力は 0 と 1 に集まり、ぼやけた再構成は中間を埋める（両者の一致の度合いが用語集の\
             重なり（overlap）である）。{collapsed}",
            k = a.pixel_histograms.len()
        ),
        RunFigure::Scatter => tr!(
            lang,
            "`{name}`: μ of the {n} classification images, one dot each, coloured by digit; {axes}. \
             Look at whether each digit forms its own cluster and which clusters touch.{collapsed}",
            "`{name}`：分類テストデータ {n} 枚の μ を 1 枚 1 点で、数字ごとに色分けして示す。\
             {axes}。各数字がそれぞれ独自のクラスタを作るか、どのクラスタどうしが接しているかに\
             注目する。{collapsed}",
            n = a.scatter.points.len(),
            axes = match (pca, lang) {
                (true, Lang::En) => {
                    "axes: the first two principal components of μ (PC1, PC2, share of variance \
                     on each axis)"
                }
                (false, Lang::En) => "axes: the two latent coordinates z1, z2",
                (true, Lang::Ja) => {
                    "軸は μ の第 1・第 2 主成分（PC1、PC2。各軸が説明する分散の割合を添える）"
                }
                (false, Lang::Ja) => "軸は 2 つの潜在変数 z1、z2",
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
            tr!(
                lang,
                "`{name}`: the image decoded at each z of a {g} × {g} grid over [−{e}, {e}]², \
                 {plane}; the small hollow squares are μ of the classification images, \
                 coloured by digit as in the latent scatter ({outside} of {n} lie outside the \
                 grid and are not drawn). Look at which digit the decoder draws where each \
                 digit's dots lie, and what it draws between the clusters.{collapsed}",
                "`{name}`：[−{e}, {e}]² 上の {g} × {g} の格子の各 z から復号した画像を並べる\
                 （{plane}）。小さな白抜きの四角は分類テストデータの μ で、散布図と同じく数字\
                 ごとに色分けしている（{n} 点中 {outside} 点は格子の外にあり、描いていない）。\
                 各数字の点があるところに復号化器がどの数字を描くか、クラスタの間に何を描くか\
                 に注目する。{collapsed}",
                g = a.grid.size,
                plane = match (pca, lang) {
                    (true, Lang::En) => {
                        "on the plane of the first two principal directions of μ through its \
                         mean (PC1 to the right, PC2 up; the other coordinates at their mean)"
                    }
                    (false, Lang::En) => "z1 to the right, z2 up",
                    (true, Lang::Ja) => {
                        "μ の平均を通り μ の第 1・第 2 主方向が張る平面上。右が PC1、上が PC2 で、\
                         他の座標は平均値とする"
                    }
                    (false, Lang::Ja) => "右が z1、上が z2",
                },
                n = a.scatter.points.len()
            )
        }
        RunFigure::Interpolation => tr!(
            lang,
            "`{name}`: each row decodes t·z1 + (1 − t)·z2 between the codes of two training \
             images of different digits (row label: from → to), t from 1 (left) to 0 (right). \
             Look at whether the image morphs smoothly or passes through a third digit.{collapsed}",
            "`{name}`：各行は、異なる数字の 2 枚の学習データの潜在変数 z1、z2 の間で \
             t·z1 + (1 − t)·z2 を復号したものである（行ラベルは 始点 → 終点）。t は 1（左端）\
             から 0（右端）まで変わる。画像が滑らかに移り変わるか、途中で第 3 の数字を経由するか\
             に注目する。{collapsed}"
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
        lang.pick(
            " (MSE, not CE: CE would favour the CE-trained run by construction)",
            "（CE では構成上 CE で学習した実験が有利になるため、CE ではなく MSE を用いる）",
        )
    } else {
        ""
    };
    // The legend's values ("seed head") as the text of `lang` names them.
    let values: Vec<(String, String)> = groups
        .iter()
        .flat_map(|g| &g.members)
        .filter_map(|(i, value)| {
            let config = &sets.get(*i)?.first()?.config;
            Some((value.clone(), factor.value_in(config, lang)))
        })
        .collect();
    let mut overlaps = Vec::new();
    // One panel per group, in order.
    for (chart, group) in panels.charts.iter().zip(groups) {
        if let PanelChart::Line(chart) = chart {
            let said = overlap_text(chart, panels.cell_size.1, lang, &values);
            if !said.is_empty() {
                overlaps.push(tr!(
                    lang,
                    " Panel {}:{said}",
                    "パネル「{}」：{said}",
                    lang.pick(&chart.title, &group.label_ja)
                ));
            }
        }
    }
    let overlaps = overlaps.concat();
    match lang {
        Lang::En => format!(
            "{}{why} of the runs that differ only in the {}, against the training iteration, \
             one panel per group of otherwise equal settings (panel title); a colour per {} \
             value, training set solid, test set dashed. Look at which colour lies lower on the \
             dashed (test) curves, and at the gap between solid and dashed.{overlaps}",
            capital(metric.title()),
            factor.key(),
            factor.key(),
        ),
        Lang::Ja => {
            // A study factor by its name, any other setting as code.
            let factor = if factor.is_study() {
                factor.title(lang).to_string()
            } else {
                format!("`{}`", factor.key())
            };
            format!(
                "{factor}だけが異なる実験の{}{why}を、学習の反復回数に対して示す。他の設定が等しい\
                 組ごとに 1 枚のパネルを置き（パネルの題がその設定）、{factor}の値ごとに色を変え、\
                 学習データを実線、テストデータを破線で描く。破線（テスト）の曲線でどの色が下に\
                 あるか、実線と破線の差に注目する。{overlaps}",
                metric_ja(metric)
            )
        }
    }
}

/// A metric's name in Japanese prose.
fn metric_ja(metric: Metric) -> &'static str {
    match metric {
        Metric::Ce => "交差エントロピー",
        Metric::Kl => "KL ダイバージェンス",
        Metric::Mse => "平均二乗誤差",
    }
}

/// What a learning curve's y axis shows, in Japanese (the chart's own label
/// stays notation).
fn axis_ja(metric: Metric) -> &'static str {
    match metric {
        Metric::Ce => "CE（1 画像あたりの nats）",
        Metric::Kl => "D_KL（1 画像あたりの nats）",
        Metric::Mse => "MSE（1 画素あたり）",
    }
}

/// " The curves A and B lie on top of each other …" for the coinciding
/// curves of `chart` drawn `height` pixels high, or "" when every curve is
/// visible.
pub fn overlap_sentence(chart: &LineChart, height: u32, lang: Lang) -> String {
    overlap_text(chart, height, lang, &[])
}

/// A series of a comparison chart, "relu test", as (value, set): the value
/// as `values` (English value, Japanese value) writes it in Japanese, the set
/// as 学習 / テスト; `None` for a name of another form. A run's own chart
/// names its series "train" and "test" alone (no value).
fn series_ja(name: &str, values: &[(String, String)]) -> Option<(String, &'static str)> {
    let (value, set) = name.rsplit_once(' ').unwrap_or(("", name));
    let set = match set {
        "train" => "学習",
        "test" => "テスト",
        _ => return None,
    };
    let value = values
        .iter()
        .find(|(en, _)| en == value)
        .map_or(value, |(_, ja)| ja.as_str());
    Some((value.to_string(), set))
}

/// The coinciding sets of curves named in Japanese, each as one phrase
/// ("relu と sigmoid の学習曲線"), and whether they name several overlaps
/// (「それぞれ」). Each value is named once per phrase: a set of training
/// curves and a set of test curves of the same values become one phrase,
/// "…の学習曲線どうし、テスト曲線どうし".
fn sets_ja(
    sets: &[&Vec<usize>],
    chart: &LineChart,
    values: &[(String, String)],
) -> (Vec<String>, bool) {
    // (values, sets, whether the sets overlap apart) of each phrase.
    let mut phrases: Vec<(Vec<String>, Vec<&'static str>, bool)> = Vec::new();
    // Sets that are not every value × every set named: legend entries.
    let mut quoted: Vec<String> = Vec::new();
    for set in sets {
        let parsed: Option<Vec<(String, &'static str)>> = set
            .iter()
            .map(|&i| series_ja(&chart.series[i].name, values))
            .collect();
        let Some(parsed) = parsed else {
            let names: Vec<String> = set
                .iter()
                .map(|&i| format!("「{}」", chart.series[i].name))
                .collect();
            quoted.push(format!("{}の曲線", names.join("と")));
            continue;
        };
        let mut vs: Vec<String> = Vec::new();
        let mut ss: Vec<&'static str> = Vec::new();
        for (v, s) in &parsed {
            if !vs.contains(v) {
                vs.push(v.clone());
            }
            if !ss.contains(s) {
                ss.push(s);
            }
        }
        if vs.len() * ss.len() != parsed.len() {
            let names: Vec<String> = parsed
                .iter()
                .map(|(v, s)| format!("「{v}（{s}）」"))
                .collect();
            quoted.push(format!("{}の曲線", names.join("と")));
            continue;
        }
        let other_half = phrases
            .iter_mut()
            .find(|(v, s, _)| *v == vs && ss.len() == 1 && s.len() == 1 && s[0] != ss[0]);
        match other_half {
            Some((_, s, apart)) => {
                s.push(ss[0]);
                *apart = true;
            }
            None => phrases.push((vs, ss, false)),
        }
    }
    let several = phrases.len() + quoted.len() > 1 || phrases.iter().any(|p| p.2);
    let mut out: Vec<String> = phrases
        .into_iter()
        .map(|(vs, ss, apart)| {
            let curves: Vec<String> = ss
                .iter()
                .map(|s| format!("{s}曲線{}", if apart { "どうし" } else { "" }))
                .collect();
            let curves = curves.join(if apart { "、" } else { "と" });
            let named: Vec<&str> = vs
                .iter()
                .map(String::as_str)
                .filter(|v| !v.is_empty())
                .collect();
            if named.is_empty() {
                curves
            } else {
                format!("{} の{curves}", named.join(" と "))
            }
        })
        .collect();
    out.extend(quoted);
    (out, several)
}

/// [`overlap_sentence`], naming in Japanese the values of the series as
/// `values` (English value, Japanese value) write them.
fn overlap_text(chart: &LineChart, height: u32, lang: Lang, values: &[(String, String)]) -> String {
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
    let when = from.map_or(String::new(), |x| {
        tr!(lang, " from iteration {x} on", "反復 {x} 以降で")
    });
    let coinciding: Vec<&Vec<usize>> = sets.iter().filter(|s| s.len() > 1).collect();
    let visible = n - hidden;
    match lang {
        Lang::En => {
            let said: Vec<String> = coinciding
                .iter()
                .map(|s| {
                    let names: Vec<String> = s
                        .iter()
                        .map(|&i| format!("\"{}\"", chart.series[i].name))
                        .collect();
                    join_and(&names)
                })
                .collect();
            format!(
                " The curves {} lie on top of each other{when} (at most {worst:.2} px apart \
                 at this scale), so only {visible} of the {n} curves can be seen there.",
                said.join("; "),
            )
        }
        Lang::Ja => {
            let (said, several) = sets_ja(&coinciding, chart, values);
            format!(
                "{}は{}{when}重なっており（この縮尺で最大 {worst:.2} ピクセルしか離れていない）、\
                 そこでは {n} 本中 {visible} 本の曲線しか見えない。",
                said.join("、"),
                if several { "それぞれ" } else { "" },
            )
        }
    }
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
    fn the_japanese_overlap_sentence_names_the_sets_and_counts_the_curves() {
        // "a" on "b" from iteration 1 on; "relu train" on "relu test"; one
        // curve apart.
        let c = chart(
            vec![
                ("relu train", vec![600.0, 300.0, 200.0]),
                ("relu test", vec![550.0, 300.2, 200.0]),
                ("seed head test", vec![100.0, 150.0, 400.0]),
                ("gaussian head test", vec![100.2, 150.0, 400.3]),
                ("far", vec![330.0, 330.0, 330.0]),
            ],
            false,
        );
        let values = [("seed head".to_string(), "seed ヘッド".to_string())];
        let text = overlap_text(&c, 500, Lang::Ja, &values);
        assert_eq!(
            text,
            "relu の学習曲線とテスト曲線、seed ヘッド と gaussian head のテスト曲線はそれぞれ\
             反復 1 以降で重なっており（この縮尺で最大 0.30 ピクセルしか離れていない）、そこでは 5 本中 \
             3 本の曲線しか見えない。"
        );
        // The English names the legend entries as they are.
        let en = overlap_text(&c, 500, Lang::En, &values);
        assert!(
            en.contains("\"relu train\" and \"relu test\"; \"seed head test\"")
                && en.contains("only 3 of the 5 curves"),
            "{en}"
        );
        // A run's own chart: train and test only.
        let c = chart(
            vec![("train", vec![1.0, 2.0]), ("test", vec![1.0, 2.0])],
            false,
        );
        let text = overlap_sentence(&c, 500, Lang::Ja);
        assert!(
            text.starts_with("学習曲線とテスト曲線は重なっており"),
            "{text}"
        );
        assert!(text.contains("2 本中 1 本"), "{text}");
    }

    #[test]
    fn train_and_test_overlaps_of_the_same_values_are_said_once() {
        // sigmoid and relu coincide on the training curves and, apart, on
        // the test curves: each value is named once.
        let c = chart(
            vec![
                ("sigmoid train", vec![600.0, 300.0]),
                ("sigmoid test", vec![100.0, 150.0]),
                ("relu train", vec![600.2, 300.0]),
                ("relu test", vec![100.0, 150.3]),
            ],
            false,
        );
        let text = overlap_text(&c, 500, Lang::Ja, &[]);
        assert!(
            text.starts_with(
                "sigmoid と relu の学習曲線どうし、テスト曲線どうしはそれぞれ重なっており"
            ),
            "{text}"
        );
        assert!(text.contains("4 本中 2 本"), "{text}");
        // A legend entry of another form is quoted as it is.
        let c = chart(vec![("a", vec![1.0, 2.0]), ("b", vec![1.0, 2.0])], false);
        let text = overlap_text(&c, 500, Lang::Ja, &[]);
        assert!(
            text.starts_with("「a」と「b」の曲線は重なっており"),
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
