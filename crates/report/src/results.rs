//! Section 3 of the report: the final metrics, the comparisons along each
//! factor, and every figure of every run, laid out so that the compared
//! runs sit side by side (the seed's figures 3–7 and sections 3.1–3.2).

use vaelab_vae::RunConfig;

use super::Context;
use super::document::{Block, Cell, Document, FigureRef, FigureTable};
use super::figures::RunFigure;
use super::lang::Lang;
use super::layout;
use super::summary::metrics_table;
use super::{factors, families};
use crate::tr;

/// Appends section 3.
pub fn results(doc: &mut Document, ctx: &Context<'_>) {
    let lang = ctx.lang;
    doc.heading(2, tr!(lang, "3 Results", "3 実験結果"), "results");
    let failed: Vec<String> = ctx
        .input
        .runs
        .iter()
        .filter_map(|r| {
            r.outcome
                .as_ref()
                .err()
                .map(|e| failed(&r.config.name, e, lang))
        })
        .collect();
    if !failed.is_empty() {
        doc.paragraph(tr!(
            lang,
            "{} of {} runs failed; they are marked in every table and figure below.",
            "{1} 件の実験のうち {0} 件が失敗した。以下のすべての表と図にその旨を記す。",
            failed.len(),
            ctx.input.runs.len()
        ));
        doc.push(Block::List(failed));
    }

    doc.heading(
        3,
        tr!(lang, "3.1 Final metrics", "3.1 最終的な評価指標"),
        "final-metrics",
    );
    let seeds_note = match (ctx.several_seeds(), lang) {
        (true, Lang::Ja) => {
            "1 行が 1 つの構成である。各値はその構成のシード間の平均 ± 標準偏差（sd）、\
             すなわちシードによるばらつきである（n はシード数、表示する桁は sd に合わせる）。ある\
             指標が構成の実行したシード数より少ないシードでしか得られないとき（崩壊したシードでは \
             kNN 正解率を定義しない）は、その指標自身の n を添える。「崩壊」の列は事後分布が崩壊\
             したシードの数である。シードごとの行は[付録 E](#per-seed)と \
             [`data/metrics.csv`](data/metrics.csv) に、集計値は \
             [`data/aggregates.csv`](data/aggregates.csv)（その `knn` がこの表の kNN 正解率で、\
             `knn_accuracy` は崩壊したシードも含む）と `summary.json` にある。他の節はこれらの\
             数値を繰り返さず、この表を参照する。"
                .to_string()
        }
        (false, Lang::Ja) => "1 行が 1 つの構成であり、どの構成も 1 シードだけで実行した（そのため\
             シード間のばらつきはわからない）。他の節はこれらの数値を繰り返さず、この表を参照する。"
            .to_string(),
        (true, Lang::En) => {
            "One row per configuration: mean ± sd over its seeds (n, the number of seeds; digits \
         follow the sd), the seed-to-seed spread; where a metric exists in fewer seeds than \
         the configuration ran (kNN is not defined for a collapsed seed) its own n is given. \
         \"Collapse\" counts the seeds whose posterior collapsed. Every seed's own row is in \
         [appendix E](#per-seed) and [data/metrics.csv](data/metrics.csv); the aggregates are \
         in [data/aggregates.csv](data/aggregates.csv) (its `knn` is this table's kNN; \
         `knn_accuracy` also counts collapsed seeds) and summary.json. Every other section \
         links here rather than repeat these numbers."
                .to_string()
        }
        (false, Lang::En) => {
            "One row per configuration, each run with one seed (so no seed-to-seed spread is \
         known). Every other section links here rather than repeat these numbers."
                .to_string()
        }
    };
    doc.paragraph(seeds_note);
    doc.push(Block::Table(super::summary::configuration_table(ctx)));
    let footnotes = super::summary::knn_footnotes(ctx);
    if !footnotes.is_empty() && ctx.several_seeds() {
        doc.paragraph(tr!(
            lang,
            "kNN is not given for seeds whose latent space has collapsed; its n counts the \
             seeds that remain (appendix E names them).",
            "潜在空間が崩壊したシードでは kNN 正解率を示さない。その n は残ったシードの数である\
             （どのシードかは付録 E でわかる）。"
        ));
    } else if !footnotes.is_empty() {
        doc.paragraph(tr!(
            lang,
            "kNN is not given for runs whose latent space has collapsed:",
            "潜在空間が崩壊した実験では kNN 正解率を示さない："
        ));
        doc.push(Block::List(footnotes));
    }
    let draws = super::summary::most_draws(ctx);
    doc.paragraph(final_table_caption(ctx, draws));

    comparisons(doc, ctx);
    per_run_figures(doc, ctx);
}

/// The notes under the results table: what each column measures and what
/// its ± is — the seed-to-seed sd when the table aggregates seeds (the
/// log-likelihood too), a run's own error when it shows single runs.
fn final_table_caption(ctx: &Context<'_>, draws: usize) -> String {
    let lang = ctx.lang;
    let metrics: Vec<&vaelab_vae::FinalMetrics> = ctx
        .ok_runs()
        .iter()
        .map(|(_, o)| &o.analysis.metrics)
        .collect();
    let few_effective = metrics.iter().any(|m| {
        m.log_likelihood_samples > 1 && m.test_log_likelihood_ess < vaelab_vae::likelihood::LOW_ESS
    });
    let largest_se = metrics
        .iter()
        .filter_map(|m| m.test_log_likelihood_se)
        .fold(None, |max: Option<f64>, se| {
            Some(max.map_or(se, |m| m.max(se)))
        });
    let error = loglik_error(ctx.several_seeds(), largest_se, lang);
    let averaged = if draws == 1 {
        tr!(
            lang,
            "with one noise draw ε (S = 1)",
            "（ノイズ ε の抽出は 1 回、S = 1）"
        )
    } else {
        tr!(
            lang,
            "and are averaged over S = {draws} noise draws ε",
            "。ノイズ ε の S = {draws} 回の抽出で平均する"
        )
    };
    let ess = match (few_effective, ctx.several_seeds()) {
        (false, _) => String::new(),
        (true, true) => tr!(
            lang,
            " \"Median ESS\", shown when below {low}: the effective sample size of the \
             importance weights, median over the test images, then over the seeds; so few \
             effective samples mean a few weights decide the estimate.",
            "「ESS 中央値」（{low} 未満のときに示す）：重点重みの有効サンプルサイズのテスト画像\
             にわたる中央値の、さらにシードにわたる中央値である。これが小さいときは少数の重みが\
             推定を決めている。",
            low = vaelab_vae::likelihood::LOW_ESS
        ),
        (true, false) => tr!(
            lang,
            " \"Median ESS\", shown when below {low}: the effective sample size of the \
             importance weights, median over the test images; so few effective samples mean a \
             few weights decide the estimate.",
            "「ESS 中央値」（{low} 未満のときに示す）：重点重みの有効サンプルサイズのテスト画像\
             にわたる中央値である。これが小さいときは少数の重みが推定を決めている。",
            low = vaelab_vae::likelihood::LOW_ESS
        ),
    };
    let trace = collapsed_trace(ctx.facts.iter().flatten(), lang);
    tr!(
        lang,
        "CE, KL: nats per image at the last iteration (KL of the posterior to the prior); SSE: \
         half the sum of squared pixel differences per image (no unit); MSE: per pixel. \
         Sampled losses (CE, SSE, MSE) decode z = μ + σ·ε {averaged}. \"At z = μ\": the same loss decoding the encoder's mean \
         itself, with no noise — the deterministic reconstruction. Test log-lik.: \
         importance-sampled estimate of ln p(x), nats per test image (higher is better), a \
         stochastic lower bound on ln p(x) that rises with K; {error}.{ess} Mean image (baseline): a decoder that \
         ignores z and always outputs the per-pixel mean of the training images; a run worse \
         than it on a test loss predicts unseen images worse, by that loss, than a model that \
         ignores them. Its log-likelihood is exact (it is −CE). Informative dims: latent dimensions whose \
         posterior differs from the aggregate posterior by a mean KL above {} nats — dimensions \
         whose code depends on the image; a run with none is collapsed (its encoder ignores the \
         input), one with some but not all is partly active. kNN (informative): \
         {}-nearest-neighbour digit accuracy of the classification set's μ, given only when the \
         run is not collapsed: a collapsed run's μ vary far less than its posterior σ, so the \
         code z its decoder sees carries nothing{trace}.",
        "CE、KL：最後の反復における 1 画像あたりの値（nats）であり、KL は事前分布に対する\
         事後分布の KL ダイバージェンスである。SSE：1 画像あたりの画素の二乗誤差の和の半分\
         （単位なし）。MSE：1 画素あたりの値である。サンプリングによる\
         損失（CE、SSE、MSE）は z = μ + σ·ε を復号して求める{averaged}。「z = μ」：同じ損失を、ノイズを加えず符号化器の平均そのものを復号して求めた\
         もの、すなわち決定的な再構成である。テスト対数尤度：重点サンプリングによる ln p(x) の\
         推定値で、テストデータ 1 画像あたりの nats で表す（大きいほどよい）。これは ln p(x) の\
         確率的な下界であり、K とともに大きくなる。{error}。{ess}平均画像（基準線）：z を無視し、常に学習データの\
         画素ごとの平均を出力する復号化器である。テストデータのある損失でこれより悪い実験は、\
         その損失で測ると、画像を無視するモデルより未知の画像の予測が悪い。その対数尤度は厳密値である（−CE に\
         等しい）。情報を持つ次元：事後分布と集約事後分布の平均 KL が {} nats を超える潜在次元、\
         すなわち潜在変数の値が画像に依存する次元である。そのような次元が 1 つもない実験は\
         崩壊しており（符号化器が入力を無視している）、一部の次元だけがそうである実験は部分的に\
         活性である。kNN 正解率（崩壊なし）：分類テストデータの μ による {}-最近傍法での数字の\
         正解率で、崩壊していない実験にのみ示す。崩壊した実験の μ の変動は事後分布の σ より\
         はるかに小さく、復号化器が受け取る z は何も伝えない{trace}。",
        vaelab_metrics::KL_ACTIVE_THRESHOLD,
        knn_k(ctx)
    )
}

/// What kNN on the μ of the collapsed runs among `runs` still finds, for
/// the table's caption: a faint trace of the digit that their decoders
/// cannot use, not noise; empty when no run collapsed.
fn collapsed_trace<'a>(
    runs: impl IntoIterator<Item = &'a crate::facts::RunFacts>,
    lang: Lang,
) -> String {
    crate::discussion::collapsed_knn_range(runs).map_or_else(String::new, |(lo, hi)| {
        let range = crate::discussion::knn_range(lo, hi);
        tr!(
            lang,
            " (kNN on those μ still finds a faint trace of the digit: {range} here)",
            "（それでも μ による kNN 正解率は数字のかすかな痕跡を拾う。ここでは {range}）"
        )
    })
}

/// What the results table's log-likelihood ± is: over seeds, the seed sd
/// like every other column (each run's own standard error, at most
/// `largest_se`, is in appendix E); for single runs, their Monte-Carlo
/// standard error.
fn loglik_error(over_seeds: bool, largest_se: Option<f64>, lang: Lang) -> String {
    match (over_seeds, largest_se) {
        (true, Some(se)) => tr!(
            lang,
            "its ± is the seed-to-seed sd, as in every column; each run's own Monte-Carlo \
             standard error, at most {} nats here, is in [appendix E](#per-seed)",
            "その ± も他の列と同じくシード間の標準偏差である。各実験自身のモンテカルロ標準誤差\
             （ここでは最大 {} nat）は[付録 E](#per-seed)にある",
            crate::pairs::num(se)
        ),
        (true, None) => tr!(
            lang,
            "its ± is the seed-to-seed sd, as in every column",
            "その ± も他の列と同じくシード間の標準偏差である"
        ),
        (false, _) => tr!(
            lang,
            "± is its Monte-Carlo standard error ([glossary](#g-loglik)); runs closer than \
             about two standard errors cannot be ranked",
            "± はそのモンテカルロ標準誤差である（[用語集](#g-loglik)）。差が標準誤差の約 2 倍より\
             小さい実験どうしには順位をつけられない"
        ),
    }
}

/// Appendix E: every seed's results, one row per run.
pub fn per_seed(doc: &mut Document, ctx: &Context<'_>) {
    let lang = ctx.lang;
    doc.heading(
        3,
        tr!(lang, "E. Results of every seed", "E. 全シードの結果"),
        "per-seed",
    );
    doc.paragraph(tr!(
        lang,
        "The final metrics of every run, each seed on its own row (the [results \
         table](#final-metrics) aggregates them per configuration). Test log-lik.: ± its \
         Monte-Carlo standard error ([glossary](#g-loglik)), with K and, when below {low}, the \
         median ESS; runs closer than about two standard errors cannot be ranked. Time: training plus analysis of the run; for a run reused from the run \
         store, its recorded training plus this report's analysis.",
        "すべての実験の最終的な評価指標を、シードごとに 1 行ずつ示す（[結果の表](#final-metrics)\
         はこれらを構成ごとに集計したものである）。テスト対数尤度：± はそのモンテカルロ標準誤差\
         （[用語集](#g-loglik)）であり、K と、{low} 未満のときは ESS 中央値を添える。差が標準誤差の\
         約 2 倍より小さい実験どうしには順位をつけられない。時間：その\
         実験の学習と解析にかかった時間である。実験の保存場所から再利用した実験では、記録された\
         学習時間に今回の解析時間を加えたものである。",
        low = vaelab_vae::likelihood::LOW_ESS
    ));
    doc.push(Block::Table(metrics_table(ctx)));
}

/// The k of the kNN accuracy: a number when every run uses the same.
fn knn_k(ctx: &Context<'_>) -> String {
    let mut ks = ctx.input.runs.iter().map(|r| r.config.analysis.knn_k);
    match ks.next() {
        Some(k) if ks.all(|other| other == k) => k.to_string(),
        _ => "k".to_string(),
    }
}

/// "`name` failed: error".
fn failed(name: &str, error: &str, lang: Lang) -> String {
    tr!(
        lang,
        "`{name}` failed: {error}",
        "`{name}` は失敗した：{error}"
    )
}

fn comparisons(doc: &mut Document, ctx: &Context<'_>) {
    let lang = ctx.lang;
    // One run per configuration: its representative (first) seed.
    let facts: Vec<crate::facts::RunFacts> = ctx
        .facts
        .iter()
        .enumerate()
        .filter(|(i, _)| ctx.is_representative(*i))
        .filter_map(|(_, f)| f.clone())
        .collect();
    // Each representative's finished seeds, itself first, in the order of
    // `facts` (the captions read the same series the charts draw).
    let seed_sets = super::seed_outcomes(&ctx.configurations, &ctx.input.runs);
    let representatives = ctx
        .facts
        .iter()
        .enumerate()
        .filter(|(i, f)| ctx.is_representative(*i) && f.is_some());
    let sets: Vec<&[&vaelab_vae::RunOutcome]> = representatives
        .filter_map(|(i, _)| seed_sets.iter().find(|(first, _)| *first == i))
        .map(|(_, all)| all.as_slice())
        .collect();
    let configs: Vec<&RunConfig> = facts.iter().map(|f| &f.config).collect();
    doc.heading(3, tr!(lang, "3.2 Comparisons", "3.2 比較"), "comparisons");
    let shading = if ctx.several_seeds() {
        lang.pick(
            " Each line is the configuration's first seed; the shading around it spans the \
             range (min to max) of the same curve over all its seeds.",
            "各線は構成の最初のシードであり、その周りの網掛けは全シードにわたる同じ曲線の範囲\
             （最小から最大）を示す。",
        )
    } else {
        ""
    };
    doc.paragraph(tr!(
        lang,
        "Configurations that differ in one setting only, side by side. Each chart shows one \
         group of them, train (solid) and test (dashed) curves on the same axes.{shading}",
        "設定が 1 つだけ異なる構成を並べて示す。各グラフはそのような構成の 1 組を示し、学習\
         データ（実線）とテストデータ（破線）の曲線を同じ軸に描く。{shading}"
    ));
    let mut n = 0;
    for factor in factors::factors(&configs) {
        let groups = factors::groups(&configs, &factor);
        if groups.is_empty() {
            continue;
        }
        n += 1;
        // Each value once, in order of appearance, as the language writes it.
        let mut values: Vec<&str> = Vec::new();
        let mut shown: Vec<String> = Vec::new();
        for g in &groups {
            for (i, v) in &g.members {
                if !values.contains(&v.as_str()) {
                    values.push(v);
                    shown.push(factor.value_in(configs[*i], lang));
                }
            }
        }
        let title = factor.title(lang);
        doc.heading(
            4,
            tr!(
                lang,
                "3.2.{n} {title}: {}",
                "3.2.{n} {title}：{}",
                shown.join(lang.pick(" vs ", " 対 "))
            ),
            &format!("compare-{}", factor.key()),
        );
        let stem = layout::comparison_figure(factor.key());
        let caption = super::captions::comparison_caption(&factor, &groups, &sets, ctx.lang);
        match figure_cell(ctx, &stem, &caption) {
            Cell::Figure(f) => doc.push(Block::Figure(f)),
            Cell::Note(note) => doc.paragraph(note),
            Cell::Empty => {}
        }
        let configs_of: Vec<String> = groups
            .iter()
            .flat_map(|g| {
                g.members
                    .iter()
                    .map(|(i, _)| format!("`{}`", facts[*i].configuration))
            })
            .collect();
        doc.paragraph(tr!(
            lang,
            "Configurations compared: {}; their final numbers are in the [results \
             table](#final-metrics).",
            "比較した構成：{}。最終的な数値は[結果の表](#final-metrics)にある。",
            lang.pick(configs_of.join(", "), configs_of.join("、"))
        ));
    }
    if n == 0 {
        doc.paragraph(tr!(
            lang,
            "No two runs of this suite differ in exactly one of the compared settings.",
            "このスイートには、比較する設定のうちちょうど 1 つだけが異なる実験の組がない。"
        ));
    }
}

fn per_run_figures(doc: &mut Document, ctx: &Context<'_>) {
    // The figures of each configuration's representative run only.
    let reps: Vec<usize> = (0..ctx.input.runs.len())
        .filter(|&i| ctx.is_representative(i))
        .collect();
    let configs: Vec<&RunConfig> = reps.iter().map(|&i| ctx.input.runs[i].config).collect();
    let lang = ctx.lang;
    let families = families::families(&configs);
    if ctx.several_seeds() {
        doc.paragraph(tr!(
            lang,
            "Sections 3.3–3.11 show one run per configuration: its first seed (the \
             representative). The other seeds contribute their metrics to the [results \
             table](#final-metrics) and their learning curves to the shaded range (min to max \
             over the seeds) of sections 3.3–3.5; their reconstructions, histograms, scatter \
             plots, grids and interpolations are not drawn.",
            "3.3–3.11 節は各構成につき 1 つの実験、すなわち最初のシード（代表）だけを示す。\
             他のシードは、評価指標を[結果の表](#final-metrics)に、学習曲線を 3.3–3.5 節の網掛け\
             （シード間の最小から最大の範囲）に加えるが、再構成、度数分布図、散布図、格子、\
             補間は描かない。"
        ));
    }
    for figure in RunFigure::ALL {
        let (heading, anchor, explanation) = figure.section(lang);
        doc.heading(3, heading, anchor);
        doc.paragraph(tr!(
            lang,
            "{explanation} Rows: activation; columns: latent dimension; one table per head and \
             objective. Click a figure for full size.",
            "{explanation}行は活性化関数、列は潜在変数の次元であり、ヘッドと再構成誤差の組ごと\
             に 1 つの表を置く。図をクリックすると原寸で表示する。"
        ));
        for family in &families {
            doc.heading(
                4,
                family.label_in(lang),
                &format!("{anchor}-{}", family.label),
            );
            let rows = family
                .rows
                .iter()
                .zip(&family.cells)
                .map(|(act, cells)| {
                    let cells = cells
                        .iter()
                        .map(|c| match c {
                            Some(i) => run_cell(ctx, reps[*i], figure),
                            None => Cell::Empty,
                        })
                        .collect();
                    (act.clone(), cells)
                })
                .collect();
            doc.push(Block::Figures(FigureTable {
                columns: family.columns.iter().map(|d| format!("d = {d}")).collect(),
                rows,
            }));
        }
    }
}

/// The figure of run `index`, or why there is none.
fn run_cell(ctx: &Context<'_>, index: usize, figure: RunFigure) -> Cell {
    let run = &ctx.input.runs[index];
    let name = &run.config.name;
    match &run.outcome {
        Err(error) => Cell::Note(failed(name, error, ctx.lang)),
        Ok(outcome) => figure_cell(
            ctx,
            &layout::run_figure(name, figure),
            &super::captions::run_caption(outcome, figure, ctx.lang),
        ),
    }
}

fn figure_cell(ctx: &Context<'_>, stem: &str, caption: &str) -> Cell {
    if ctx.rendered.png.contains(stem) {
        return Cell::Figure(FigureRef {
            png: format!("{stem}.png"),
            svg: ctx
                .rendered
                .svg
                .contains(stem)
                .then(|| format!("{stem}.svg")),
            caption: caption.to_string(),
            min_width: ctx.rendered.min_width.get(stem).copied(),
        });
    }
    match ctx.rendered.failed.get(stem) {
        Some(error) => Cell::Note(tr!(
            ctx.lang,
            "figure not drawn: {error}",
            "図を描けなかった：{error}"
        )),
        None => Cell::Note(tr!(ctx.lang, "nothing to draw", "描くものがない")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caption_gives_the_knn_trace_of_collapsed_runs_not_noise() {
        use vaelab_vae::Objective;
        let mut runs = vec![
            crate::pairs::tests::run("working", "relu", 2, Objective::Ce),
            crate::pairs::tests::run("flat", "sigmoid", 2, Objective::Ce),
        ];
        runs[0].metrics.knn_accuracy = 0.6;
        crate::discussion::tests::collapse(&mut runs[1], 1e-5);
        runs[1].metrics.knn_accuracy = 0.224;
        let said = collapsed_trace(&runs, Lang::En);
        assert_eq!(
            said,
            " (kNN on those μ still finds a faint trace of the digit: 0.224 here)"
        );
        let ja = collapsed_trace(&runs, Lang::Ja);
        assert!(
            ja.contains("0.22") && !crate::method::tests::has_english_prose(&ja),
            "{ja}"
        );
        assert_eq!(collapsed_trace(&runs[..1], Lang::En), "");
    }

    #[test]
    fn the_log_likelihood_plus_minus_is_the_seed_sd_over_seeds() {
        let over = loglik_error(true, Some(1.16), Lang::En);
        assert!(over.contains("± is the seed-to-seed sd"), "{over}");
        assert!(over.contains("at most 1.16 nats"), "{over}");
        assert!(!over.contains("± is its Monte-Carlo"), "{over}");
        let single = loglik_error(false, Some(1.16), Lang::En);
        assert!(
            single.contains("± is its Monte-Carlo standard error"),
            "{single}"
        );
        for text in [
            loglik_error(true, Some(1.16), Lang::Ja),
            loglik_error(true, None, Lang::Ja),
            loglik_error(false, None, Lang::Ja),
        ] {
            assert!(!crate::method::tests::has_english_prose(&text), "{text}");
        }
    }
}
