//! The quality of the reconstructions: which settings reconstruct best, and
//! input against output distributions (overfitting is `overfitting.rs`).

use super::{ALIKE_SPREAD, Figures, Topic, and_figure, sentences, sorted_by, topic};
use crate::factors::Factor;
use crate::facts::RunFacts;
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::pairs::{Measure, contrast, pairs, pct};
use crate::tr;

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
            let sd = e.sd.unwrap_or(0.0).max(o.sd.unwrap_or(0.0));
            crate::pairs::tied(o.mean, e.mean, sd)
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

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::tests::discuss;
    use super::super::tests::seeds;
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
                && said.contains(
                    "`bad` (test CE 120.0 vs 110.0, worse in one seed; test MSE 0.0347 vs \
                     0.0500, better in one seed)"
                ),
            "{said}"
        );
        assert!(!said.contains("`good` ("), "{said}");
        runs[1].metrics.test.ce = 100.0;
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(!said.contains("mean image"), "{said}");
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
