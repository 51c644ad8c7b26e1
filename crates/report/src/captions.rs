//! The captions of the report's figures: what each shows (axes, runs,
//! training vs test), what to look at, and — for learning curves — which
//! curves lie on top of each other, found from the very series drawn.
//!
//! The renderers add "Figure N." in front ([`crate::document`]).

use vaelab_metrics::LatentState;
use vaelab_plots::PanelChart;
use vaelab_vae::{RunConfig, RunOutcome};

use crate::factors::{self, Factor, Group};
use crate::figures::{self, Metric, RunFigure};
use crate::lang::Lang;
use crate::tr;

mod overlap;
mod seeds;

use overlap::{overlap_sentence, overlap_text};

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
            // The figure draws a key of the digits' colours when any point
            // lies on the grid.
            let key = if outside < a.scatter.points.len() {
                tr!(
                    lang,
                    "the key under the grid gives each digit's colour; ",
                    "各数字の色は格子の下の凡例に示す。"
                )
            } else {
                String::new()
            };
            tr!(
                lang,
                "`{name}`: the image decoded at each z of a {g} × {g} grid over [−{e}, {e}]², \
                 {plane}; the small hollow squares are μ of the classification images, \
                 coloured by digit as in the latent scatter ({key}{outside} of {n} lie outside \
                 the grid and are not drawn). Look at which digit the decoder draws where each \
                 digit's dots lie, and what it draws between the clusters.{collapsed}",
                "`{name}`：[−{e}, {e}]² 上の {g} × {g} の格子の各 z から復号した画像を並べる\
                 （{plane}）。小さな白抜きの四角は分類テストデータの μ で、散布図と同じく数字\
                 ごとに色分けしている（{key}{n} 点中 {outside} 点は格子の外にあり、描いていない）。\
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
            let title = lang.pick(&chart.title, &group.label_ja);
            if !said.is_empty() {
                overlaps.push(tr!(
                    lang,
                    " Panel {title}:{said}",
                    "パネル「{title}」：{said}"
                ));
            }
            // The lines are the first seed's: when they coincide but other
            // seeds do not (one collapses, another escapes), say so.
            let members = seeds::members(group, factor, sets, lang);
            overlaps.push(seeds::hidden_seeds(title, &members, lang));
        }
    }
    let overlaps = overlaps.concat();
    // What no panel title names because every run has it (an ablation of
    // the study's one model): said once.
    let configs: Vec<&RunConfig> = sets
        .iter()
        .filter_map(|set| set.first())
        .map(|run| &run.config)
        .collect();
    let shared = match factors::shared(&configs, factor, lang) {
        Some(model) => tr!(
            lang,
            " Every panel: {model}; the titles name only the settings in which the panels differ.",
            "どのパネルも {model} であり、パネルの題にはパネルの間で異なる設定だけを記す。"
        ),
        None => String::new(),
    };
    match lang {
        Lang::En => {
            // A study factor by its name, any other setting as code.
            let (the, key) = if factor.is_study() {
                ("the ", factor.key().to_string())
            } else {
                ("", format!("`{}`", factor.key()))
            };
            format!(
                "{}{why} of the runs that differ only in {the}{key}, against the training \
                 iteration, one panel per group of otherwise equal settings (panel title); a \
                 colour per {key} value, training set solid, test set dashed. Look at which \
                 colour lies lower on the dashed (test) curves, and at the gap between solid and \
                 dashed.{shared}{overlaps}",
                capital(metric.title()),
            )
        }
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
                 あるか、実線と破線の差に注目する。{shared}{overlaps}",
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

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
