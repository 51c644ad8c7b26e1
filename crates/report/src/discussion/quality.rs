//! The quality of the reconstructions: which settings reconstruct best,
//! input against output distributions, and overfitting.

use super::collapse::traits;
use super::{
    ALIKE_SPREAD, Figures, OVERFIT_GAP, TEST_RISE, Topic, and_figure, sentences, sorted_by, topic,
};
use crate::factors::Factor;
use crate::facts::{BestIteration, RunFacts};
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::pairs::{Measure, contrast, num, pairs, pct};
use crate::tr;

/// `(test − train) / train` of the cross-entropy.
pub(crate) fn gap(r: &RunFacts) -> f64 {
    (r.metrics.test.ce - r.metrics.train.ce) / r.metrics.train.ce.abs().max(1e-12)
}

/// Which settings reconstruct the test images best: configurations ranked
/// over their seeds (each linked to its first seed's figure, one run per
/// configuration in `runs`), pairs compared over `all` seeds.
pub(super) fn reconstruction(
    runs: &[RunFacts],
    all: &[RunFacts],
    figs: Figures<'_>,
    lang: Lang,
) -> Topic {
    let by_mse = by_configuration(all, |r| r.metrics.test.mse);
    // Each configuration named with its first seed's reconstructions.
    let shown = |c: &str| {
        let first = runs.iter().find(|r| r.configuration == c);
        and_figure(
            lang,
            first.and_then(|r| figs.run(r, RunFigure::Reconstructions)),
        )
    };
    let mut text = String::new();
    let mut best_mse = "";
    if let Some(((best, b), ties)) = extreme(&by_mse, true) {
        best_mse = best;
        let (value, over, fig, tied) = (
            crate::columns::spread_text(b),
            over_seeds(b.n, lang),
            shown(best),
            tied_text(&ties, lang),
        );
        text = tr!(
            lang,
            "Judged by the test MSE, which every objective can be compared on, `{best}` \
             reconstructs unseen images best (test MSE {value}{over}{fig}){tied}",
            "どの目的関数でも比較できるテストデータの MSE で見ると、未知の画像を最もよく再構成する\
             のは `{best}`（テストデータの MSE {value}{over}{fig}）{tied}"
        );
        if let Some(((worst, w), ties)) = extreme(&by_mse, false).filter(|_| by_mse.len() > 1) {
            let (value, fig, tied) = (
                crate::columns::spread_text(w),
                shown(worst),
                tied_text(&ties, lang),
            );
            text.push_str(&tr!(
                lang,
                " and `{worst}` worst (test MSE {value}{fig}){tied}",
                "、最も悪いのは `{worst}`（テストデータの MSE {value}{fig}）{tied}"
            ));
        }
        text.push_str(lang.pick(".", "である。"));
    }
    if let Some(said) = best_on_ce(all, best_mse, lang) {
        text.push_str(&said);
    }
    let mut factors = Vec::new();
    for factor in [Factor::activation(), Factor::latent(), Factor::head()] {
        if let Some(p) = pairs(all, &factor) {
            let mse = Measure::lower(lang.pick("test MSE", "テストデータの MSE"), |r| {
                r.metrics.test.mse
            });
            factors.push(sentences(lang, &[contrast(&p, mse, lang)]));
        }
    }
    let mut paragraphs = vec![text];
    if let Some(worse) = super::baseline::against_mean_image(runs, all, lang) {
        paragraphs.push(worse);
    }
    if !factors.is_empty() {
        let said = factors.join(lang.pick(" ", ""));
        paragraphs.push(tr!(
            lang,
            "Pairing runs that differ in one setting only: {said}",
            "設定が一つだけ異なる実験を組にして比べる。{said}"
        ));
    }
    topic(
        "reconstruction",
        lang.pick(
            "Which settings reconstruct best",
            "どの設定が最もよく再構成するか",
        ),
        paragraphs,
    )
}

/// Each configuration of `all` with the spread of `metric` over its seeds,
/// in order of first appearance.
fn by_configuration(
    all: &[RunFacts],
    metric: fn(&RunFacts) -> f64,
) -> Vec<(&str, vaelab_metrics::Spread)> {
    let mut names: Vec<&str> = Vec::new();
    for r in all {
        if !names.contains(&r.configuration.as_str()) {
            names.push(&r.configuration);
        }
    }
    names
        .into_iter()
        .filter_map(|c| {
            let values: Vec<f64> = all
                .iter()
                .filter(|r| r.configuration == c)
                .map(metric)
                .collect();
            vaelab_metrics::Spread::of(&values).ok().map(|s| (c, s))
        })
        .collect()
}

/// A configuration with its spread over seeds.
type Ranked<'a> = (&'a str, vaelab_metrics::Spread);

/// The configuration of `configs` with the lowest mean (`lowest`) or the
/// highest, and the others tied with it: mean difference within the larger
/// seed-to-seed sd, or below 1%. A configuration is named best or worst
/// alone only when nothing ties with it.
fn extreme<'a>(configs: &[Ranked<'a>], lowest: bool) -> Option<(Ranked<'a>, Vec<Ranked<'a>>)> {
    let key = |s: &vaelab_metrics::Spread| if lowest { s.mean } else { -s.mean };
    let &(edge, e) = configs
        .iter()
        .min_by(|x, y| key(&x.1).total_cmp(&key(&y.1)))?;
    let tied = configs
        .iter()
        .filter(|(c, _)| *c != edge)
        .filter(|(_, o)| {
            let diff = (o.mean - e.mean).abs();
            let sd = e.sd.unwrap_or(0.0).max(o.sd.unwrap_or(0.0));
            diff <= sd.max(crate::pairs::TIE * e.mean.abs().max(o.mean.abs()))
        })
        .copied()
        .collect();
    Some(((edge, e), tied))
}

/// " over 5 seeds" for several seeds, nothing for one.
fn over_seeds(n: usize, lang: Lang) -> String {
    if n > 1 {
        tr!(lang, " over {n} seeds", "、{n} シード")
    } else {
        String::new()
    }
}

/// ", tied with `b` (0.061 ± 0.002)" when `ties` is not empty.
fn tied_text(ties: &[Ranked<'_>], lang: Lang) -> String {
    if ties.is_empty() {
        return String::new();
    }
    let list: Vec<String> = ties
        .iter()
        .map(|&(c, s)| {
            let s = crate::columns::spread_text(s);
            tr!(lang, "`{c}` ({s})", "`{c}`（{s}）")
        })
        .collect();
    let list = lang.join(&list);
    tr!(lang, ", tied with {list}", "（{list} と差なし）")
}

/// The configuration with the lowest mean test CE over its seeds, with its
/// mean ± sd, and those tied with it (mean difference within the larger
/// seed-to-seed sd, or below 1%): no single run is named best where
/// configurations tie. Nothing when it is `best_mse`'s configuration and
/// ties with none.
fn best_on_ce(all: &[RunFacts], best_mse: &str, lang: Lang) -> Option<String> {
    let configs = by_configuration(all, |r| r.metrics.test.ce);
    let ((best, b), ties) = extreme(&configs, true)?;
    let tied: Vec<String> = ties
        .iter()
        .map(|&(c, o)| {
            let o = crate::columns::spread_text(o);
            tr!(lang, "`{c}` ({o})", "`{c}`（{o}）")
        })
        .collect();
    if best == best_mse && tied.is_empty() {
        return None;
    }
    let (value, over) = (crate::columns::spread_text(b), over_seeds(b.n, lang));
    Some(if tied.is_empty() {
        tr!(
            lang,
            " By test cross-entropy the best configuration is `{best}` ({value}{over}).",
            "テストデータの交差エントロピーで見ると、最良の構成は `{best}`（{value}{over}）である。"
        )
    } else {
        let tied = lang.join(&tied);
        tr!(
            lang,
            " By test cross-entropy `{best}` ({value}{over}) ties with {tied}: no configuration \
             is best.",
            "テストデータの交差エントロピーでは、`{best}`（{value}{over}）と {tied} が差なしで\
             あり、最良の構成は決まらない。"
        )
    })
}

/// The runs of `runs` whose `value` ties with that of `edge` (the same
/// when printed, or within [`crate::pairs::TIE`]): the extreme is shared.
fn tied_with<'a>(
    runs: &'a [RunFacts],
    edge: &RunFacts,
    value: fn(&RunFacts) -> f64,
) -> Vec<&'a RunFacts> {
    let e = value(edge);
    runs.iter()
        .filter(|r| {
            let v = value(r);
            pct(v) == pct(e) || (v - e).abs() <= crate::pairs::TIE * e.abs()
        })
        .collect()
}

/// Input against output pixel distributions: single runs described from
/// `runs` (one per configuration), the count of blurred outputs over `all`.
pub(super) fn distributions(
    runs: &[RunFacts],
    all: &[RunFacts],
    figs: Figures<'_>,
    lang: Lang,
) -> Topic {
    let input = runs.iter().map(|r| r.extreme_share.0).sum::<f64>() / runs.len() as f64;
    let by_overlap = sorted_by(runs, |r| r.histogram_overlap);
    let (low, high) = (by_overlap[0], by_overlap[by_overlap.len() - 1]);
    let blurred = all
        .iter()
        .filter(|r| r.extreme_share.1 < r.extreme_share.0)
        .count();
    let (share, n) = (pct(input), all.len());
    let mut text = tr!(
        lang,
        "At the histogram pixels, {share} of the test inputs' values lie in the outermost bins \
         (near 0 or near 1): the strokes are nearly black and white.",
        "度数分布図の画素では、テスト入力の値の {share} が両端のビン（0 付近または 1 付近）に\
         ある：字画はほぼ白黒である。"
    );
    text.push_str(&tr!(
        lang,
        " The reconstructions of {blurred} of {n} runs have fewer values there than their \
         inputs: where an input is either ink or background, the decoder outputs an \
         intermediate grey, an average over the images that could have produced the code.",
        "{n} 件中 {blurred} 件の実験では、再構成の値のうち両端にあるものが入力より少ない：入力が\
         インクか背景のどちらかである画素で、復号化器は中間の灰色、つまりその潜在変数を生み得た\
         画像の平均を出力する。"
    ));
    let alike: Vec<&RunFacts> = runs
        .iter()
        .filter(|r| r.output_spread < ALIKE_SPREAD)
        .collect();
    // Several runs at the extreme (within rounding) are named together.
    let overlap = |r: &RunFacts| r.histogram_overlap;
    let (highs, lows) = (
        tied_with(runs, high, overlap),
        tied_with(runs, low, overlap),
    );
    let at = |edge: &[&RunFacts], r: &RunFacts| {
        let o = pct(r.histogram_overlap);
        if edge.len() == 1 {
            let fig = and_figure(lang, figs.run(r, RunFigure::Histograms));
            tr!(
                lang,
                "`{}` (overlap {o}{fig})",
                "`{}`（重なり {o}{fig}）",
                r.name
            )
        } else {
            let names = figs.names(edge, RunFigure::Histograms, lang);
            tr!(
                lang,
                "{names} (overlap {o} each)",
                "{names}（重なりはいずれも {o}）"
            )
        }
    };
    let (hi, lo) = (at(&highs, high), at(&lows, low));
    text.push_str(&tr!(
        lang,
        " Input and output distributions agree most for {hi} and least for {lo}.",
        "入力と出力の分布が最も一致するのは {hi}、最も一致しないのは {lo} である。"
    ));
    // The runs tied lowest are named once when they are the ones alike.
    let same = lows.len() > 1
        && lows.len() == alike.len()
        && lows.iter().all(|r| alike.iter().any(|a| a.name == r.name));
    if same {
        text.push_str(&tr!(
            lang,
            " For these every reconstruction histogram is a single spike: all images get \
             almost the same value at each pixel.",
            "これらでは、再構成の度数分布図がどれも一本の鋭いピークになる：どの画像も各画素で\
             ほぼ同じ値をとる。"
        ));
    } else if !alike.is_empty() {
        let listed = figs.names(&alike, RunFigure::Histograms, lang);
        text.push_str(&tr!(
            lang,
            " For {listed} every reconstruction histogram is a single spike: all images get \
             almost the same value at each pixel.",
            "{listed} では、再構成の度数分布図がどれも一本の鋭いピークになる：どの画像も各画素で\
             ほぼ同じ値をとる。"
        ));
    }
    topic(
        "distributions",
        lang.pick("Input and output distributions", "入力と出力の分布"),
        vec![text],
    )
}

/// Where the train/test gap shows overfitting: counted over `all` seeds,
/// per configuration with several seeds; the early stopping of `runs` (one
/// per configuration).
pub(super) fn overfitting(
    runs: &[RunFacts],
    all: &[RunFacts],
    figs: Figures<'_>,
    lang: Lang,
) -> Topic {
    // Each run named with its cross-entropy learning curves.
    let curves = |r: &RunFacts| and_figure(lang, figs.run(r, RunFigure::CurveCe));
    let mut over: Vec<&RunFacts> = all.iter().filter(|r| gap(r) > OVERFIT_GAP).collect();
    over.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
    let mut paragraphs = Vec::new();
    let threshold = pct(OVERFIT_GAP);
    if over.is_empty() {
        let widest = sorted_by(all, |r| -gap(r))[0];
        let (name, test, train, g, fig) = (
            &widest.name,
            num(widest.metrics.test.ce),
            num(widest.metrics.train.ce),
            pct(gap(widest)),
            curves(widest),
        );
        paragraphs.push(tr!(
            lang,
            "No run shows a train/test gap in cross-entropy above {threshold}: the widest is \
             `{name}`'s ({test} test vs {train} train, {g}; learning curves{fig}).",
            "学習データとテストデータの交差エントロピーの差が {threshold} を超える実験はない：\
             最も大きいのは `{name}` の差（テスト {test} 対 学習 {train}、{g}；学習曲線{fig}）\
             である。"
        ));
    } else {
        let listed = if runs.len() < all.len() {
            overfitting_configurations(&over, runs, all, figs, lang)
        } else {
            over.iter()
                .map(|r| {
                    let (name, test, train, g, fig) = (
                        &r.name,
                        num(r.metrics.test.ce),
                        num(r.metrics.train.ce),
                        pct(gap(r)),
                        curves(r),
                    );
                    tr!(
                        lang,
                        "`{name}` ({test} test vs {train} train, +{g}{fig})",
                        "`{name}`（テスト {test} 対 学習 {train}、+{g}{fig}）"
                    )
                })
                .collect()
        };
        let (k, n) = (over.len(), all.len());
        let listed = listed.join(lang.pick(", ", "、"));
        let traits = traits(&over, all, "overfitting", lang);
        paragraphs.push(tr!(
            lang,
            "The test cross-entropy exceeds the training cross-entropy by more than {threshold} \
             in {k} of {n} runs: {listed}. These models fit their few training images much \
             better than unseen ones: in their learning curves the test curve ends far above \
             the training curve.{traits}",
            "テストデータの交差エントロピーが学習データの交差エントロピーを {threshold} より大きく\
             上回る実験は {n} 件中 {k} 件である：{listed}。これらのモデルは、少ない学習画像には\
             未知の画像よりはるかによく適合する：その学習曲線では、テストデータの曲線が学習\
             データの曲線よりはるかに上で終わる。{traits}"
        ));
    }
    paragraphs.push(early_stopping(runs, lang));
    topic(
        "overfitting",
        lang.pick(
            "Overfitting: train against test",
            "過学習：学習データとテストデータ",
        ),
        paragraphs,
    )
}

/// The configurations with overfitting runs among `over` (widest gap
/// first), each with in how many of its seeds in `all` and the range of
/// their gaps, linking the learning curves of its first seed (in `runs`):
/// "`relu-z2-sse` in 3/5 seeds (+11% to +13%)".
fn overfitting_configurations(
    over: &[&RunFacts],
    runs: &[RunFacts],
    all: &[RunFacts],
    figs: Figures<'_>,
    lang: Lang,
) -> Vec<String> {
    let mut configs: Vec<&str> = Vec::new();
    for r in over {
        if !configs.contains(&r.configuration.as_str()) {
            configs.push(&r.configuration);
        }
    }
    configs
        .iter()
        .map(|&c| {
            let gaps: Vec<f64> = over
                .iter()
                .filter(|r| r.configuration == c)
                .map(|r| gap(r))
                .collect();
            let n = all.iter().filter(|r| r.configuration == c).count();
            let held = crate::configs::of_seeds_in(gaps.len(), n, lang);
            let (lo, hi) = (
                gaps.iter().copied().fold(f64::INFINITY, f64::min),
                gaps.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
            let range = if pct(lo) == pct(hi) {
                format!("+{}", pct(hi))
            } else {
                tr!(lang, "+{} to +{}", "+{}〜+{}", pct(lo), pct(hi))
            };
            let fig = runs
                .iter()
                .find(|r| r.configuration == c)
                .map_or_else(String::new, |r| {
                    and_figure(lang, figs.run(r, RunFigure::CurveCe))
                });
            tr!(
                lang,
                "`{c}` in {held} ({range}{fig})",
                "`{c}`（{held}、{range}{fig}）"
            )
        })
        .collect()
}

/// Whether stopping at the best iteration, chosen on the validation set
/// (never on the test set), would have given a lower test CE.
fn early_stopping(runs: &[RunFacts], lang: Lang) -> String {
    let with: Vec<(&RunFacts, BestIteration)> =
        runs.iter().filter_map(|r| r.best.map(|b| (r, b))).collect();
    if with.is_empty() {
        return tr!(
            lang,
            "No run has a validation set (data.validation = 0), so no best iteration is \
             chosen; the test set is never used to choose one.",
            "検証データを持つ実験がない（`data.validation = 0`）ため、最良の反復は選ばない。\
             テストデータを選択に使うことはない。"
        );
    }
    let rising: Vec<String> = with
        .iter()
        .filter(|(r, b)| {
            b.iteration < r.last_iteration && b.last_test_ce > b.test_ce * (1.0 + TEST_RISE)
        })
        .map(|(r, b)| {
            let (name, val, at, test, last) = (
                &r.name,
                num(b.validation_ce),
                b.iteration,
                num(b.test_ce),
                num(b.last_test_ce),
            );
            tr!(
                lang,
                "`{name}` (lowest validation CE {val} at iteration {at}, test CE {test} there \
                 and {last} at the end)",
                "`{name}`（検証データの CE は反復 {at} で最小の {val}、そこでのテストデータの \
                 CE は {test}、終了時は {last}）"
            )
        })
        .collect();
    let chosen = tr!(
        lang,
        "The best iteration of a run is where the CE of its validation set (images of the \
         training file that it does not train on) is lowest; the test set is never used to \
         choose it.",
        "実験の最良の反復とは、検証データ（学習ファイルの画像のうち学習に使わないもの）の CE が\
         最小になる反復である。テストデータをその選択に使うことはない。"
    );
    let rise = pct(TEST_RISE);
    if rising.is_empty() {
        tr!(
            lang,
            "{chosen} For no run is the test CE at that iteration more than {rise} below the \
             test CE at the end, so stopping earlier would not have helped.",
            "{chosen}その反復でのテストデータの CE が終了時より {rise} を超えて低い実験はなく、\
             早く止めても改善しなかった。"
        )
    } else {
        let rising = rising.join(lang.pick(", ", "、"));
        let s = crate::pairs::space_after(&rising);
        tr!(
            lang,
            "{chosen} Stopping there would have given a test CE more than {rise} lower than at \
             the end for {rising}: training past that point memorises the training images at \
             the expense of unseen ones.",
            "{chosen}そこで止めていれば、{rising}{s}ではテストデータの CE が終了時より {rise} を\
             超えて低かった：その先の学習は、未知の画像を犠牲にして学習画像を暗記している。"
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::tests::discuss;
    use super::super::tests::text;

    #[test]
    fn runs_worse_than_the_mean_image_are_named() {
        let mut runs = vec![
            run("good", "relu", 2, Objective::Ce),
            run("bad", "relu", 20, Objective::Ce),
        ];
        for r in &mut runs {
            r.metrics.mean_image.test.ce = 110.0;
            r.metrics.mean_image.test.mse = 0.05;
        }
        runs[1].metrics.test.ce = 120.0;
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(
            said.contains("Worse than predicting the mean image")
                && said.contains("`bad` (test CE 120.0 vs 110.0, worse in one seed)"),
            "{said}"
        );
        assert!(!said.contains("`good` ("), "{said}");
        runs[1].metrics.test.ce = 100.0;
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(!said.contains("mean image"), "{said}");
    }

    #[test]
    fn overfitting_is_reported_where_the_gap_is_wide_only() {
        let mut runs = vec![
            run("tight", "relu", 2, Objective::Ce),
            run("loose", "relu", 20, Objective::Ce),
        ];
        runs[1].metrics.train.ce = 80.0;
        runs[1].metrics.test.ce = 120.0;
        runs[1].best = Some(crate::facts::BestIteration {
            iteration: 700,
            validation_ce: 105.0,
            test_ce: 100.0,
            last_test_ce: 120.0,
        });
        let said = text(&discuss(&runs, Lang::En), "Overfitting");
        assert!(
            said.contains("in 1 of 2 runs: `loose` (120.0 test vs 80.00 train, +50%)"),
            "{said}"
        );
        assert!(!said.contains("`tight` ("), "{said}");
        assert!(
            said.contains("`loose` (lowest validation CE 105.0 at iteration 700, test CE 100.0 there and 120.0 at the end)"),
            "{said}"
        );
        let calm = vec![run("tight", "relu", 2, Objective::Ce)];
        let said = text(&discuss(&calm, Lang::En), "Overfitting");
        assert!(said.starts_with("No run shows a train/test gap"), "{said}");
        assert!(said.contains("no best iteration is chosen"), "{said}");
    }

    /// Seeds of configuration `config` (ReLU, d = 2, CE) with test CE
    /// `ces` and training CE 100.
    fn seeds(config: &str, ces: &[f64]) -> Vec<crate::facts::RunFacts> {
        let mut runs = crate::pairs::tests::seeds_of(config, "relu", ces);
        for r in &mut runs {
            r.metrics.train.ce = 100.0;
        }
        runs
    }

    #[test]
    fn overfitting_is_counted_over_every_seed_per_configuration() {
        // `hidden` does not overfit in its first seed but does in the two
        // others; `open` overfits in every seed.
        let mut runs = seeds("hidden", &[105.0, 112.0, 130.0]);
        runs.extend(seeds("open", &[150.0, 160.0, 170.0]));
        let said = text(&discuss(&runs, Lang::En), "Overfitting");
        assert!(
            said.contains(
                "in 5 of 6 runs: `open` in 3/3 seeds (+50% to +70%), \
                 `hidden` in 2/3 seeds (+12% to +30%)."
            ),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "過学習");
        assert!(
            ja.contains("6 件中 5 件である：`open`（3 シード中 3 シード、+50%〜+70%）"),
            "{ja}"
        );
    }

    #[test]
    fn the_best_and_worst_reconstructions_are_configurations_with_their_ties() {
        // a and b tie on test MSE (means 0.0510 and 0.0512, within the
        // seeds' spread); c is worst alone. The sentence ranks
        // configurations over their seeds, never a single seed.
        let mut runs = seeds("a", &[210.0, 211.0, 212.0]);
        runs.extend(seeds("b", &[215.0, 216.0, 217.0]));
        runs.extend(seeds("c", &[230.0, 231.0, 232.0]));
        let mse = [
            0.050, 0.052, 0.051, 0.0505, 0.0515, 0.0515, 0.080, 0.082, 0.081,
        ];
        for (r, m) in runs.iter_mut().zip(mse) {
            r.metrics.test.mse = m;
        }
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(
            said.contains(
                "`a` reconstructs unseen images best (test MSE 0.0510 ± 0.0010 over 3 seeds"
            ) && said.contains(", tied with `b` (0.0512 ± 0.0006)")
                && said.contains("and `c` worst (test MSE 0.0810 ± 0.0010"),
            "{said}"
        );
        assert!(!said.contains("-seed-0` reconstructs"), "{said}");
        let ja = text(&discuss(&runs, Lang::Ja), "どの設定");
        assert!(
            ja.contains("最もよく再構成するのは `a`（テストデータの MSE 0.0510 ± 0.0010、3 シード")
                && ja.contains("（`b`（0.0512 ± 0.0006）と差なし）"),
            "{ja}"
        );
        // Apart: a alone is best.
        for r in runs.iter_mut().filter(|r| r.configuration == "b") {
            r.metrics.test.mse += 0.01;
        }
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(!said.contains("tied with"), "{said}");
    }

    #[test]
    fn the_best_configuration_on_test_ce_is_named_with_its_ties() {
        // Means 200.9 ± 2.8 and 201.6 ± 2.0: a tie, no best run named.
        let mut runs = seeds("a", &[200.5, 199.0, 203.2]);
        runs.extend(seeds("b", &[201.6, 199.6, 203.6]));
        runs.extend(seeds("c", &[230.0, 231.0, 229.0]));
        for r in runs.iter_mut().filter(|r| r.configuration == "c") {
            r.metrics.test.mse = 0.001;
        }
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(
            said.contains(
                "By test cross-entropy `a` (200.9 ± 2.1 over 3 seeds) ties with `b` (201.6 ± 2.0): \
                 no configuration is best."
            ),
            "{said}"
        );
        assert!(!said.contains("the best is `a-seed-0`"), "{said}");
        let ja = text(&discuss(&runs, Lang::Ja), "どの設定");
        assert!(
            ja.contains("`a`（200.9 ± 2.1、3 シード）と `b`（201.6 ± 2.0）が差なし"),
            "{ja}"
        );
        // Far apart: the best configuration, with its spread.
        for r in runs.iter_mut().filter(|r| r.configuration == "b") {
            r.metrics.test.ce += 20.0;
        }
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(
            said.contains("the best configuration is `a` (200.9 ± 2.1 over 3 seeds)."),
            "{said}"
        );
    }

    #[test]
    fn runs_tied_at_the_extreme_overlap_are_named_together() {
        let mut runs = vec![
            run("a", "sigmoid", 2, Objective::Ce),
            run("b", "sigmoid", 20, Objective::Ce),
            run("c", "relu", 2, Objective::Ce),
        ];
        runs[0].histogram_overlap = 0.01752;
        runs[1].histogram_overlap = 0.0175;
        runs[2].extreme_share = (0.8, 0.9);
        let said = text(&discuss(&runs, Lang::En), "distributions");
        assert!(
            said.contains("The reconstructions of 2 of 3 runs"),
            "{said}"
        );
        assert!(
            said.contains("least for `a` and `b` (overlap 1.8% each)."),
            "{said}"
        );
        // The ones tied lowest are those whose outputs are all alike: named
        // once.
        runs[0].output_spread = 0.001;
        runs[1].output_spread = 0.001;
        let said = text(&discuss(&runs, Lang::En), "distributions");
        assert!(
            said.contains("(overlap 1.8% each). For these every reconstruction histogram"),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "入力と出力の分布");
        assert!(
            ja.contains("最も一致しないのは `a`、`b`（重なりはいずれも 1.8%）である。これらでは"),
            "{ja}"
        );
        // Over seeds, the blurred outputs are counted in every seed.
        let mut seeded = seeds("x", &[100.0, 100.0]);
        seeded[1].extreme_share = (0.8, 0.9);
        let said = text(&discuss(&seeded, Lang::En), "distributions");
        assert!(
            said.contains("The reconstructions of 1 of 2 runs"),
            "{said}"
        );
    }
}
