//! Overfitting: where the test cross-entropy ends far above the training
//! one, in how many seeds, and what stopping at the best validation
//! iteration would have given.

use super::collapse::traits;
use super::{Figures, OVERFIT_GAP, TEST_RISE, Topic, and_figure, sorted_by, topic};
use crate::facts::{BestIteration, RunFacts};
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::pairs::{num, pct};
use crate::tr;
/// The gap above which the test curve ends "far above" the training curve:
/// a test CE more than twice the training CE.
const WIDE_GAP: f64 = 1.0;

/// `(test − train) / train` of the cross-entropy.
pub(crate) fn gap(r: &RunFacts) -> f64 {
    (r.metrics.test.ce - r.metrics.train.ce) / r.metrics.train.ce.abs().max(1e-12)
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
        let far = far_above(&over, all, runs.len() < all.len(), lang);
        paragraphs.push(tr!(
            lang,
            "The test cross-entropy exceeds the training cross-entropy by more than {threshold} \
             in {k} of {n} runs: {listed}.{far}{traits}",
            "テストデータの交差エントロピーが学習データの交差エントロピーを {threshold} より大きく\
             上回る実験は {n} 件中 {k} 件である：{listed}。{far}{traits}"
        ));
    }
    paragraphs.push(early_stopping(runs, all, lang));
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

/// " `a` and `b` (test CE above twice the training CE in every seed) fit
/// their few training images much better than unseen ones: …", said of the
/// configurations of `over` (runs when `per_configuration` is false) whose
/// every seed in `all` has a gap above [`WIDE_GAP`]; empty when none has.
fn far_above(over: &[&RunFacts], all: &[RunFacts], per_configuration: bool, lang: Lang) -> String {
    let mut names: Vec<String> = Vec::new();
    for r in over {
        let name = if per_configuration {
            &r.configuration
        } else {
            &r.name
        };
        let wide = all
            .iter()
            .filter(|s| {
                (if per_configuration {
                    &s.configuration
                } else {
                    &s.name
                }) == name
            })
            .all(|s| gap(s) > WIDE_GAP);
        if wide && !names.contains(name) {
            names.push(name.clone());
        }
    }
    if names.is_empty() {
        return String::new();
    }
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let names = lang.join(&names);
    let every = if per_configuration {
        lang.pick(" in every seed", "（全シード）")
    } else {
        ""
    };
    tr!(
        lang,
        " {names} (test CE above twice the training CE{every}) fit their few training images \
         much better than unseen ones: in their learning curves the test curve ends far above \
         the training curve.",
        "{names}{every}ではテストデータの CE が学習データの CE の 2 倍を超え、少ない学習画像には\
         未知の画像よりはるかによく適合する：その学習曲線では、テストデータの曲線が学習データの\
         曲線よりはるかに上で終わる。"
    )
}

/// Whether stopping at the best iteration, chosen on the validation set
/// (never on the test set), would have given a lower test CE.
fn early_stopping(runs: &[RunFacts], all: &[RunFacts], lang: Lang) -> String {
    let with: Vec<(&RunFacts, BestIteration)> =
        runs.iter().filter_map(|r| r.best.map(|b| (r, b))).collect();
    let helps = |r: &RunFacts| {
        r.best.is_some_and(|b| {
            b.iteration < r.last_iteration && b.last_test_ce > b.test_ce * (1.0 + TEST_RISE)
        })
    };
    // With several seeds, in how many of its configuration's seeds stopping
    // early would have helped: the first seed alone is one draw.
    let held = |r: &RunFacts| {
        let seeds: Vec<&RunFacts> = all
            .iter()
            .filter(|s| s.configuration == r.configuration)
            .collect();
        if seeds.len() < 2 {
            return String::new();
        }
        let k = seeds.iter().filter(|s| helps(s)).count();
        let held = crate::configs::of_seeds_in(k, seeds.len(), lang);
        let c = &r.configuration;
        tr!(
            lang,
            "; true in {held} of `{c}`",
            "；`{c}` の {held}で成り立つ"
        )
    };
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
        .filter(|(r, _)| helps(r))
        .map(|(r, b)| {
            let (name, val, at, test, last, held) = (
                &r.name,
                num(b.validation_ce),
                b.iteration,
                num(b.test_ce),
                num(b.last_test_ce),
                held(r),
            );
            tr!(
                lang,
                "`{name}` (lowest validation CE {val} at iteration {at}, test CE {test} there \
                 and {last} at the end{held})",
                "`{name}`（検証データの CE は反復 {at} で最小の {val}、そこでのテストデータの \
                 CE は {test}、終了時は {last}{held}）"
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
    use super::super::tests::seeds;
    use super::super::tests::text;

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
    fn far_above_is_said_only_of_configurations_whose_every_seed_doubles() {
        // `wide` ends above twice its training CE in every seed; `mixed`
        // in two of three, `mild` overfits by 12–20% only.
        let mut runs = seeds("wide", &[250.0, 300.0, 320.0]);
        runs.extend(seeds("mixed", &[150.0, 250.0, 260.0]));
        runs.extend(seeds("mild", &[112.0, 115.0, 120.0]));
        let said = text(&discuss(&runs, Lang::En), "Overfitting");
        assert!(
            said.contains(
                " `wide` (test CE above twice the training CE in every seed) fit their few \
                 training images much better than unseen ones"
            ),
            "{said}"
        );
        assert!(!said.contains("`mixed` (test CE above"), "{said}");
        assert!(!said.contains("These models fit"), "{said}");
        let ja = text(&discuss(&runs, Lang::Ja), "過学習");
        assert!(ja.contains("`wide`（全シード）では"), "{ja}");
        // Nothing doubles: no "far above" sentence at all.
        let mild = seeds("mild", &[112.0, 115.0, 120.0]);
        let said = text(&discuss(&mild, Lang::En), "Overfitting");
        assert!(!said.contains("far above"), "{said}");
    }

    #[test]
    fn early_stopping_says_in_how_many_seeds_it_helps() {
        // Every seed's test CE rises 20% after its best iteration, except
        // the third's, which stays flat.
        let mut runs = seeds("late", &[120.0, 120.0, 120.0]);
        for (i, r) in runs.iter_mut().enumerate() {
            let last = if i == 2 { 100.5 } else { 120.0 };
            r.best = Some(crate::facts::BestIteration {
                iteration: 500,
                validation_ce: 95.0,
                test_ce: 100.0,
                last_test_ce: last,
            });
        }
        let said = text(&discuss(&runs, Lang::En), "Overfitting");
        assert!(
            said.contains("120.0 at the end; true in 2/3 seeds of `late`)"),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "過学習");
        assert!(
            ja.contains("；`late` の 3 シード中 2 シードで成り立つ"),
            "{ja}"
        );
    }
}
