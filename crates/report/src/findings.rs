//! The key findings at the top of the report: a handful of sentences
//! generated from the numbers, each saying how many seeds support it and
//! linking to the table, figure or discussion it rests on.
//!
//! Comparisons come from [`crate::pairs`] (configurations compared seed by
//! seed); per-configuration numbers from [`crate::configs::Aggregate`].

use crate::configs::Aggregate;
use crate::discussion::{Figures, collapsed, informative};
use crate::factors::Factor;
use crate::facts::RunFacts;
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::pairs::{Measure, brief, in_seeds, num, pairs, space_after};
use crate::tr;

/// The findings, as Markdown sentences (at most eight). A finding links
/// its figure by number when `figures` has it drawn, else its section.
pub fn findings(
    facts: &[RunFacts],
    aggregates: &[Aggregate],
    lang: Lang,
    figures: &Figures<'_>,
) -> Vec<String> {
    let mut out = Vec::new();
    if facts.is_empty() {
        return out;
    }
    out.extend(collapse(aggregates, lang));
    let ce = Measure::lower(lang.pick("test CE", "テストデータの CE"), |r| {
        r.metrics.test.ce
    });
    let mse = Measure::lower(lang.pick("test MSE", "テストデータの MSE"), |r| {
        r.metrics.test.mse
    });
    for (factor, m) in [
        (Factor::activation(), mse),
        (Factor::latent(), ce),
        (Factor::objective(), mse),
    ] {
        if let Some(text) = pairs(facts, &factor).and_then(|p| brief(&p, m, lang)) {
            let key = factor.key();
            let figure = figures
                .comparison(&factor)
                .unwrap_or_else(|| tr!(lang, "[figure](#compare-{key})", "[図](#compare-{key})"));
            out.push(match lang {
                Lang::En => format!("{} ({figure}).", capitalise(&text)),
                // The figure joins the sentence's closing parenthesis.
                Lang::Ja => match text.strip_suffix('）') {
                    Some(inner) => format!("{inner}、{figure}）。"),
                    None => format!("{text}（{figure}）。"),
                },
            });
        }
    }
    out.extend(baseline(facts, aggregates, lang));
    out.extend(overfitting(facts, aggregates, lang, figures));
    out.extend(knn(facts, aggregates, lang, figures));
    out.truncate(8);
    out
}

fn capitalise(text: &str) -> String {
    if text.starts_with("d ") {
        return text.to_string();
    }
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Which configurations collapse, and in how many seeds.
fn collapse(aggregates: &[Aggregate], lang: Lang) -> Option<String> {
    let ok: Vec<&Aggregate> = aggregates.iter().filter(|a| a.n > 0).collect();
    let always: Vec<String> = ok
        .iter()
        .filter(|a| a.collapsed == a.n)
        .map(|a| format!("`{}`", a.name))
        .collect();
    let some: Vec<String> = ok
        .iter()
        .filter(|a| a.collapsed > 0 && a.collapsed < a.n)
        .map(|a| {
            let (name, seeds) = (&a.name, in_seeds(a.collapsed, a.n, lang));
            tr!(lang, "`{name}` ({seeds})", "`{name}`（{seeds}）")
        })
        .collect();
    let never = ok.iter().filter(|a| a.collapsed == 0).count();
    let total = ok.len();
    if always.is_empty() && some.is_empty() {
        return Some(tr!(
            lang,
            "No configuration's posterior collapses in any seed ({total} configurations; \
             [results](#final-metrics)).",
            "どの構成のどのシードでも事後分布は崩壊しない（{total} 構成；\
             [結果](#final-metrics)）。"
        ));
    }
    let several = ok.iter().any(|a| a.n > 1);
    let (k, sep) = (always.len(), lang.pick(", ", "、"));
    let list = always.join(sep);
    let mut text = if always.is_empty() {
        tr!(
            lang,
            "No configuration collapses in every seed",
            "すべてのシードで崩壊する構成はない"
        )
    } else if several {
        tr!(
            lang,
            "{k} of {total} configurations collapse in every seed: {list}",
            "{total} 構成中 {k} 構成がすべてのシードで崩壊する：{list}"
        )
    } else {
        tr!(
            lang,
            "{k} of {total} configurations collapse (one seed each): {list}",
            "{total} 構成中 {k} 構成が崩壊する（各 1 シード）：{list}"
        )
    };
    if !some.is_empty() {
        let some = some.join(sep);
        text.push_str(&tr!(
            lang,
            "; in some seeds only: {some}",
            "；一部のシードでのみ崩壊するのは {some}"
        ));
    }
    text.push_str(&tr!(
        lang,
        "; {never} never collapse ([results](#final-metrics), [discussion](#discussion)).",
        "；{never} 構成は一度も崩壊しない（[結果](#final-metrics)、[考察](#discussion)）。"
    ));
    Some(text)
}

/// The configurations that beat the mean image on test CE in every seed,
/// and those worse than it in every seed.
fn baseline(facts: &[RunFacts], aggregates: &[Aggregate], lang: Lang) -> Option<String> {
    let base = facts.first()?.metrics.mean_image.test.ce;
    if base == 0.0 {
        return None;
    }
    // Per configuration: working (non-collapsed) seeds, and those of them
    // that beat the baseline.
    let counts: Vec<(&Aggregate, usize, usize)> = aggregates
        .iter()
        .map(|a| {
            let working: Vec<&RunFacts> = facts
                .iter()
                .filter(|f| f.configuration == a.name && !collapsed(f))
                .collect();
            // The discussion's per-seed verdict: a win by less than the
            // run's tie band is a tie.
            let beat = working
                .iter()
                .filter(|f| crate::discussion::beats_mean_image(f))
                .count();
            (a, beat, working.len())
        })
        .filter(|(_, _, w)| *w > 0)
        .collect();
    if counts.is_empty() {
        return None;
    }
    let one_seed = aggregates.iter().all(|a| a.n <= 1);
    let share = |k: usize, w: usize, a: &Aggregate| {
        if one_seed {
            String::new()
        } else if w == a.n {
            let seeds = in_seeds(k, w, lang);
            tr!(lang, " ({seeds})", "（{seeds}）")
        } else {
            tr!(
                lang,
                " ({k}/{w} working seeds)",
                "（崩壊しなかった {w} シード中 {k} シード）"
            )
        }
    };
    let beat: Vec<String> = counts
        .iter()
        .filter(|(_, k, _)| *k > 0)
        .map(|(a, k, w)| format!("`{}`{}", a.name, share(*k, *w, a)))
        .collect();
    let worse: Vec<String> = counts
        .iter()
        .filter(|(_, k, _)| *k == 0)
        .map(|(a, _, w)| {
            let seeds = match (one_seed, w) {
                (true, _) => String::new(),
                (false, 1) => tr!(
                    lang,
                    " (its one working seed)",
                    "（崩壊しなかった唯一のシード）"
                ),
                (false, w) => tr!(
                    lang,
                    " (all {w} working seeds)",
                    "（崩壊しなかった {w} シードすべて）"
                ),
            };
            format!("`{}`{seeds}", a.name)
        })
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            lang.pick("none", "なし").to_string()
        } else {
            v.join(lang.pick(", ", "、"))
        }
    };
    let (base, beat, worse) = (num(base), list(&beat), list(&worse));
    Some(match lang {
        Lang::En => {
            let each = if one_seed { " (one seed each)" } else { "" };
            format!(
                "Against the mean image, a decoder that ignores its input (test CE {base}), \
                 working (non-collapsed) runs{each} beat it on test CE for: {beat}; they never \
                 do for: {worse} ([results](#final-metrics))."
            )
        }
        Lang::Ja => {
            let each = if one_seed {
                "（各 1 シード）"
            } else {
                ""
            };
            let is = |v: &str| {
                if v == "なし" {
                    "ない".to_string()
                } else {
                    format!(" {v}{}である", space_after(v))
                }
            };
            let (beat, worse) = (is(&beat), is(&worse));
            format!(
                "入力を無視する復号化器である平均画像（テストデータの CE {base}）と比べると、\
                 崩壊していない実験{each}のうちテストデータの CE で平均画像より良いものは{beat}。\
                 一度も良くならないものは{worse}（[結果](#final-metrics)）。"
            )
        }
    })
}

/// The widest train/test gap of CE among configurations that work in some
/// seed (a collapsed run's gap is the mean image's, not overfitting).
fn overfitting(
    facts: &[RunFacts],
    aggregates: &[Aggregate],
    lang: Lang,
    figures: &Figures<'_>,
) -> Option<String> {
    let gap = |a: &Aggregate| Some(a.get("test_ce")?.mean - a.get("train_ce")?.mean);
    let worst = aggregates
        .iter()
        .filter(|a| a.n > 0 && a.collapsed < a.n)
        .filter_map(|a| gap(a).map(|g| (a, g)))
        .max_by(|x, y| x.1.total_cmp(&y.1))?;
    let (a, g) = worst;
    if g <= 0.0 {
        return None;
    }
    let seeds = facts
        .iter()
        .filter(|f| f.configuration == a.name)
        .filter(|f| f.metrics.test.ce > f.metrics.train.ce)
        .count();
    let (train, test) = (spread(a.get("train_ce")?), spread(a.get("test_ce")?));
    let (name, seeds) = (&a.name, in_seeds(seeds, a.n, lang));
    let curves = drawn(facts, &a.name, RunFigure::CurveCe, figures).unwrap_or_else(|| {
        tr!(
            lang,
            "[learning curves](#curves-ce)",
            "[学習曲線](#curves-ce)"
        )
    });
    Some(tr!(
        lang,
        "`{name}` overfits most: training CE {train} against test CE {test} (test above \
         training in {seeds}; {curves}).",
        "過学習が最も大きいのは `{name}` である：学習データの CE {train} に対しテストデータの \
         CE {test}（テストが学習を上回るのは {seeds}；{curves}）。"
    ))
}

/// The configuration whose latent space separates the digits best.
fn knn(
    facts: &[RunFacts],
    aggregates: &[Aggregate],
    lang: Lang,
    figures: &Figures<'_>,
) -> Option<String> {
    let best = aggregates
        .iter()
        .filter_map(|a| a.get("knn").map(|s| (a, s)))
        .max_by(|x, y| x.1.mean.total_cmp(&y.1.mean))?;
    let (a, s) = best;
    let kept = facts
        .iter()
        .filter(|f| f.configuration == a.name && informative(f))
        .count();
    let (name, accuracy, n) = (&a.name, spread(s), a.n);
    let over = match (n, lang) {
        (1, _) => lang.pick("one seed", "1 シード").to_string(),
        (n, Lang::En) => format!("{kept} of {n} seeds"),
        (n, Lang::Ja) => format!("{n} シード中 {kept} シード"),
    };
    let scatter = drawn(facts, &a.name, RunFigure::Scatter, figures)
        .unwrap_or_else(|| tr!(lang, "[scatter plots](#scatter)", "[散布図](#scatter)"));
    Some(tr!(
        lang,
        "`{name}` separates the digits best in its latent space: kNN accuracy {accuracy} over \
         {over} (collapsed seeds left out; chance is 0.1; {scatter}).",
        "潜在空間で数字を最もよく分けるのは `{name}` である：kNN 正解率 {accuracy}（{over}、\
         崩壊したシードは除外、偶然の正解率は 0.1；{scatter}）。"
    ))
}

/// The reference to figure `kind` of the run of `configuration` that has
/// it drawn (its first successful seed), if any.
fn drawn(
    facts: &[RunFacts],
    configuration: &str,
    kind: RunFigure,
    figures: &Figures<'_>,
) -> Option<String> {
    facts
        .iter()
        .filter(|f| f.configuration == configuration)
        .find_map(|f| figures.run(f, kind))
}

/// "104 ± 13" or, for one value, the value alone.
fn spread(s: vaelab_metrics::Spread) -> String {
    crate::columns::spread_text(s)
}

#[cfg(test)]
mod tests {
    use vaelab_vae::Objective;

    use super::*;
    use crate::configs::{Configuration, aggregate};
    use crate::pairs::tests::run;

    fn study(seeds: u64, relu_collapses_in: u64) -> (Vec<RunFacts>, Vec<Aggregate>) {
        let mut facts = Vec::new();
        for (config, act) in [("sig", "sigmoid"), ("relu", "relu")] {
            for seed in 0..seeds {
                let mut r = run(&format!("{config}-seed-{seed}"), act, 2, Objective::Ce);
                r.configuration = config.into();
                r.config.seed = seed;
                r.metrics.mean_image.test.ce = 200.0;
                if act == "sigmoid" || seed < relu_collapses_in {
                    crate::discussion::tests::collapse(&mut r, 1e-5);
                    r.metrics.test.ce = 204.0 + seed as f64 * 0.1;
                    r.metrics.test.mse = 0.066;
                    r.metrics.knn = vaelab_metrics::LatentFigure::NoFigure("collapsed".into());
                } else {
                    r.metrics.test.ce = 150.0 + seed as f64;
                    r.metrics.test.mse = 0.05 + seed as f64 * 0.001;
                }
                facts.push(r);
            }
        }
        let configs: Vec<Configuration> = ["sig", "relu"]
            .iter()
            .enumerate()
            .map(|(c, name)| Configuration {
                name: name.to_string(),
                runs: (0..seeds as usize)
                    .map(|s| c * seeds as usize + s)
                    .collect(),
                seeds: (0..seeds).collect(),
            })
            .collect();
        let wrapped: Vec<Option<RunFacts>> = facts.iter().cloned().map(Some).collect();
        let aggregates = configs.iter().map(|c| aggregate(c, &wrapped)).collect();
        (facts, aggregates)
    }

    /// No figure drawn: findings link their sections.
    fn none() -> Figures<'static> {
        static EMPTY: std::sync::OnceLock<std::collections::HashSet<String>> =
            std::sync::OnceLock::new();
        Figures::new(EMPTY.get_or_init(Default::default))
    }

    #[test]
    fn drawn_figures_are_linked_by_number() {
        let (facts, aggregates) = study(5, 2);
        // The comparison chart and relu's first drawn seed (seed 2: seeds 0
        // and 1 collapsed, but figures go to the first successful seed; here
        // any seed of the configuration that has them).
        let drawn: std::collections::HashSet<String> = [
            crate::layout::comparison_figure("activation"),
            crate::layout::run_figure("relu-seed-0", RunFigure::CurveCe),
            crate::layout::run_figure("relu-seed-0", RunFigure::Scatter),
        ]
        .into_iter()
        .collect();
        let figures = Figures::new(&drawn);
        for lang in [Lang::En, Lang::Ja] {
            let all = findings(&facts, &aggregates, lang, &figures).join("\n");
            for stem in &drawn {
                let reference = crate::document::figure_ref(stem);
                assert!(
                    all.contains(&reference),
                    "{lang:?}: {reference} missing in {all}"
                );
            }
            assert!(!all.contains("#compare-activation"), "{all}");
            assert!(
                !all.contains("#curves-ce") && !all.contains("#scatter"),
                "{all}"
            );
        }
    }

    #[test]
    fn findings_state_their_support_across_seeds_and_link() {
        let (facts, aggregates) = study(5, 2);
        let found = findings(&facts, &aggregates, Lang::En, &none());
        assert!((3..=8).contains(&found.len()), "{found:?}");
        assert!(found.iter().all(|f| f.contains("](#")), "{found:?}");
        let all = found.join("\n");
        assert!(
            all.contains("1 of 2 configurations collapse in every seed: `sig`; in some seeds only: `relu` (2/5 seeds)"),
            "{all}"
        );
        // ReLU is compared on the seeds where its test MSE exists (all five).
        assert!(
            all.contains("ReLU gives the lower test MSE than Sigmoid in 1 of 1 pair of configurations, each of these in at least 3/5 seeds"),
            "{all}"
        );
        // kNN over the three working seeds only.
        assert!(all.contains("`relu` separates the digits best"), "{all}");
        assert!(all.contains("over 3 of 5 seeds"), "{all}");
        // Overfitting is not claimed for the always-collapsed `sig`.
        assert!(all.contains("`relu` overfits most"), "{all}");
        // The collapsed seeds of relu do not count as beating the baseline.
        assert!(
            all.contains(
                "beat it on test CE for: `relu` (3/3 working seeds); they never do for: none"
            ),
            "{all}"
        );
    }

    #[test]
    fn a_seed_within_the_tie_band_does_not_beat_the_mean_image() {
        // relu's working seeds 2–4: one 0.5% better than the mean image
        // (a tie, as the discussion says), two 25% better.
        let (mut facts, aggregates) = study(5, 2);
        facts[7].metrics.test.ce = 199.0;
        let all = findings(&facts, &aggregates, Lang::En, &none()).join("\n");
        assert!(
            all.contains("beat it on test CE for: `relu` (2/3 working seeds)"),
            "{all}"
        );
    }

    #[test]
    fn one_seed_reads_without_counts_of_seeds() {
        let (facts, aggregates) = study(1, 0);
        let all = findings(&facts, &aggregates, Lang::En, &none()).join("\n");
        assert!(all.contains("(one seed each)"), "{all}");
        assert!(!all.contains("/1 seeds") && !all.contains(" ± "), "{all}");
        assert!(
            all.contains(
                "runs (one seed each) beat it on test CE for: `relu`; they never do for: none"
            ),
            "{all}"
        );
    }

    #[test]
    fn the_japanese_findings_keep_their_counts_and_links() {
        let (facts, aggregates) = study(5, 2);
        let found = findings(&facts, &aggregates, Lang::Ja, &none());
        assert_eq!(
            found.len(),
            findings(&facts, &aggregates, Lang::En, &none()).len()
        );
        for f in &found {
            assert!(f.contains("](#") && f.ends_with('。'), "{f}");
            assert!(!crate::pairs::tests::has_english(f, 3), "{f}");
        }
        let all = found.join("\n");
        for said in [
            "2 構成中 1 構成がすべてのシードで崩壊する：`sig`；一部のシードでのみ崩壊するのは \
             `relu`（5 シード中 2 シード）；0 構成は一度も崩壊しない",
            "テストデータの MSE は構成の組 1 組中 1 組で ReLU のほうが Sigmoid より低い\
             （いずれも 5 シード中 3 シード以上で成り立つ、[図](#compare-activation)）。",
            "平均画像より良いものは `relu`（崩壊しなかった 3 シード中 3 シード）である。\
             一度も良くならないものはない（[結果](#final-metrics)）。",
            "過学習が最も大きいのは `relu` である",
            "kNN 正解率 0.700 ± 0（5 シード中 3 シード、崩壊したシードは除外",
        ] {
            assert!(all.contains(said), "{said}\n{all}");
        }
    }
}
