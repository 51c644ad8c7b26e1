//! Posterior collapse: the report's one criterion, in how many seeds each
//! configuration collapses, what the collapsed runs share, and which
//! dimensions of the others carry information.

use super::{ALIKE_SPREAD, COLLAPSE_KL, Figures, Topic, and_figure, parenthesis, sorted_by, topic};
use crate::factors;
use crate::facts::RunFacts;
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::pairs::{num, pct};
use crate::tr;

/// Whether a run's posterior has collapsed: no latent dimension is
/// informative (`latent_activity`, KL from the aggregate posterior). The one
/// criterion of the report; active units (var(μ)) are only counted, and a
/// test KL below [`COLLAPSE_KL`] needs no rule of its own: on the same
/// images, a dimension's KL to the prior exceeds its KL from the aggregate
/// posterior by KL(aggregate ‖ prior) ≥ 0, so a KL ~0 leaves no dimension
/// informative (the test KL is taken on the test images, the activity on
/// the classification images: the same distribution).
pub fn collapsed(r: &RunFacts) -> bool {
    r.metrics.latent_activity.state == vaelab_metrics::LatentState::Collapsed
}

/// The lowest and highest kNN accuracy on μ (`knn_accuracy`, measured for
/// every run) of the collapsed runs among `runs`: the faint trace of the
/// input their μ keep, which the decoder cannot use (μ varies far less than
/// the posterior σ); `None` when no run collapsed.
pub fn collapsed_knn_range<'a>(runs: impl IntoIterator<Item = &'a RunFacts>) -> Option<(f64, f64)> {
    runs.into_iter()
        .filter(|r| collapsed(r) && r.metrics.knn_accuracy.is_finite())
        .map(|r| r.metrics.knn_accuracy)
        .fold(None, |range, v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

/// What `subset` (e.g. the collapsed runs) has in common, among `runs`:
/// " In this suite all 6 collapsed runs have Sigmoid; every run with d = 2
/// (4) is among them." `state` is the English key of the subset's state
/// ("collapsed", "overfitting"); the Japanese text names it in Japanese.
pub(super) fn traits(subset: &[&RunFacts], runs: &[RunFacts], state: &str, lang: Lang) -> String {
    let mut said = Vec::new();
    let state_ja = match state {
        "collapsed" => "崩壊した",
        "overfitting" => "過学習した",
        other => other,
    };
    let configs: Vec<&vaelab_vae::RunConfig> = runs.iter().map(|r| &r.config).collect();
    for factor in factors::factors(&configs) {
        let value = |r: &RunFacts| factor.spoken_in(&r.config, lang);
        let mut values: Vec<String> = Vec::new();
        for r in runs {
            let v = value(r);
            if !values.contains(&v) {
                values.push(v);
            }
        }
        if values.len() < 2 {
            continue;
        }
        for v in &values {
            let with: usize = runs.iter().filter(|r| value(r) == *v).count();
            let inside = subset.iter().filter(|r| value(r) == *v).count();
            if inside == subset.len() && subset.len() > 1 {
                said.push(tr!(
                    lang,
                    "all {} {state} runs have {v}",
                    "{state_ja}実験 {} 件はすべて {v} を用いている",
                    subset.len()
                ));
            }
            if inside == with && with > 1 && inside < subset.len() {
                said.push(tr!(
                    lang,
                    "every run with {v} ({with}) is among them",
                    "{v} を用いた実験（{with} 件）はすべて{state_ja}実験に含まれる"
                ));
            }
        }
    }
    if said.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(" In this suite {}.", said.join("; ")),
            Lang::Ja => format!("この実験群では、{}。", said.join("。また、")),
        }
    }
}

/// Items joined by the language's plain list separator, ", " or 「、」 (no
/// "and": the English lists of this file are written that way).
pub(super) fn list(items: &[String], lang: Lang) -> String {
    items.join(lang.pick(", ", "、"))
}

/// In how many seeds each configuration collapses: "`relu-z2-sse`
/// collapses in 2/5 seeds".
pub fn collapse_per_configuration(runs: &[RunFacts], lang: Lang) -> String {
    let mut configs: Vec<(&str, usize, usize)> = Vec::new();
    for r in runs {
        let c = collapsed(r);
        match configs
            .iter_mut()
            .find(|(name, _, _)| *name == r.configuration)
        {
            Some((_, k, n)) => {
                *k += usize::from(c);
                *n += 1;
            }
            None => configs.push((&r.configuration, usize::from(c), 1)),
        }
    }
    match lang {
        Lang::En => {
            let said = |(name, k, n): &(&str, usize, usize)| match (k, n) {
                (0, 1) => format!("`{name}` does not collapse (one seed)"),
                (_, 1) => format!("`{name}` collapses (one seed)"),
                (0, n) => format!("`{name}` collapses in none of {n} seeds"),
                (k, n) => format!("`{name}` collapses in {}", crate::configs::of_seeds(*k, *n)),
            };
            let parts: Vec<String> = configs.iter().map(said).collect();
            format!("Per configuration: {}.", parts.join(", "))
        }
        Lang::Ja => {
            // A list of twelve clauses reads badly in Japanese: one
            // sentence per outcome instead, in order of first appearance.
            let mut groups: Vec<((usize, usize), Vec<String>)> = Vec::new();
            for (name, k, n) in &configs {
                let key = (*k, *n);
                let name = format!("`{name}`");
                match groups.iter_mut().find(|(g, _)| *g == key) {
                    Some((_, names)) => names.push(name),
                    None => groups.push((key, vec![name])),
                }
            }
            let sentences: Vec<String> = groups
                .iter()
                .map(|((k, n), names)| {
                    let names = lang.join(names);
                    match (k, n) {
                        (0, 1) => format!("崩壊しないのは {names} である（シード 1 つ）。"),
                        (_, 1) => format!("崩壊するのは {names} である（シード 1 つ）。"),
                        (0, n) => format!("{n} シードのいずれでも崩壊しないのは {names} である。"),
                        (k, n) => format!("{n} シード中 {k} シードで崩壊するのは {names} である。"),
                    }
                })
                .collect();
            format!("構成ごとに見ると、{}", sentences.concat())
        }
    }
}

/// Where KL collapses to ~0, and what the decoder then outputs: single runs
/// described from `runs` (one per configuration), what the collapsed runs
/// share and the partly active configurations counted over `all` seeds.
pub(super) fn collapse(
    runs: &[RunFacts],
    all: &[RunFacts],
    figs: Figures<'_>,
    lang: Lang,
) -> Topic {
    // A collapse shows in the KL learning curves.
    let kl_curves = |r: &RunFacts| and_figure(lang, figs.run(r, RunFigure::CurveKl));
    let gone: Vec<&RunFacts> = runs.iter().filter(|r| collapsed(r)).collect();
    let mut paragraphs = Vec::new();
    if gone.is_empty() {
        let smallest = sorted_by(runs, |r| r.metrics.test.kl)[0];
        paragraphs.push(tr!(
            lang,
            "No run's posterior has collapsed: every run has an informative latent dimension. \
             The smallest test KL is `{}`'s, {} nats{}.",
            "事後分布が崩壊した実験はない。どの実験にも情報を持つ潜在変数の次元がある。\
             テスト KL が最も小さいのは `{}` で、{} nats である{}。",
            smallest.name,
            num(smallest.metrics.test.kl),
            parenthesis(lang, figs.run(smallest, RunFigure::CurveKl))
        ));
    } else {
        let near_zero: Vec<&RunFacts> = gone
            .iter()
            .copied()
            .filter(|r| r.metrics.test.kl < COLLAPSE_KL)
            .collect();
        let offset: Vec<&RunFacts> = gone
            .iter()
            .copied()
            .filter(|r| r.metrics.test.kl >= COLLAPSE_KL)
            .collect();
        let mut text = String::new();
        if !near_zero.is_empty() {
            let kls: Vec<String> = near_zero
                .iter()
                .map(|r| {
                    tr!(
                        lang,
                        "`{}` ({}{})",
                        "`{}`（{}{}）",
                        r.name,
                        num(r.metrics.test.kl),
                        kl_curves(r)
                    )
                })
                .collect();
            // The figures named are KL learning curves; say so once.
            let shown = near_zero
                .iter()
                .any(|r| figs.run(r, RunFigure::CurveKl).is_some());
            let (as_shown, as_shown_ja) = if shown {
                (
                    ", as their KL learning curves show",
                    "KL の学習曲線が示すとおり、",
                )
            } else {
                ("", "")
            };
            text.push_str(&tr!(
                lang,
                "The KL falls to ~0 (below {COLLAPSE_KL} nats per image) for {}{as_shown}: their \
                 posterior equals the prior, and z tells the decoder nothing about the input.",
                "{as_shown_ja}{}では KL がほぼ 0（画像 1 枚あたり {COLLAPSE_KL} nats 未満）に落ちる。\
                 事後分布が事前分布と一致し、z は入力について復号化器に何も伝えない。",
                list(&kls, lang)
            ));
        }
        if !offset.is_empty() {
            let kls: Vec<String> = offset
                .iter()
                .map(|r| {
                    tr!(
                        lang,
                        "`{}` (KL {}, 0 of {} dimensions informative{})",
                        "`{}`（KL {}、情報を持つ次元は {} 次元中 0{}）",
                        r.name,
                        num(r.metrics.test.kl),
                        r.config.latent,
                        kl_curves(r)
                    )
                })
                .collect();
            // "too" / 「も」 only after the sentence on KL ~0.
            let (too, too_ja) = if near_zero.is_empty() {
                ("", "は")
            } else {
                (" too", "も")
            };
            text.push_str(&tr!(
                lang,
                " The posterior of {} has collapsed{too} although its KL is not ~0: μ no longer \
                 varies with the input, so the remaining KL is a fixed offset from the prior \
                 that carries no information.",
                "{}の事後分布{too_ja}、KL はほぼ 0 ではないが崩壊している。μ が入力によって変化しなく\
                 なっており、残る KL は事前分布からの一定のずれにすぎず、情報を運ばない。",
                list(&kls, lang)
            ));
        }
        // What the collapsed runs share, over every seed.
        let gone_all: Vec<&RunFacts> = all.iter().filter(|r| collapsed(r)).collect();
        text.push_str(&traits(&gone_all, all, "collapsed", lang));
        paragraphs.push(text.trim_start().to_string());
        paragraphs.extend(super::ablation::sigmoid_collapse(&gone, lang));

        let alike: Vec<&RunFacts> = gone
            .iter()
            .copied()
            .filter(|r| r.output_spread < ALIKE_SPREAD)
            .collect();
        if !alike.is_empty() {
            let worst = alike.iter().map(|r| r.output_spread).fold(0.0, f64::max);
            paragraphs.push(tr!(
                lang,
                "With nothing to go on, the decoder of {} outputs one and the same image for \
                 every input: the constant image that minimises CE or SSE over the training set, \
                 which is its pixel-wise mean — a blurred average digit. Their test \
                 reconstructions vary from image to image by {} of what the inputs vary, so \
                 the reconstruction rows all look alike.",
                "手がかりがないため、{} の復号化器はどの入力に対しても同じ 1 枚の画像を出力する。\
                 それは学習データ全体で CE または SSE を最小にする定数画像、すなわち画素ごとの\
                 平均であり、ぼやけた平均的な数字となる。テストデータの再構成が画像ごとに変わる\
                 幅は、入力の変化の{}、再構成画像の行はどれも同じに見える。",
                figs.names(&alike, RunFigure::Reconstructions, lang),
                if worst < 0.001 {
                    tr!(lang, "less than 0.1%", " 0.1% にも満たず")
                } else {
                    tr!(lang, "at most {}", "最大 {} にとどまり", pct(worst))
                }
            ));
        }
        let varied: Vec<&RunFacts> = gone
            .iter()
            .copied()
            .filter(|r| r.output_spread >= ALIKE_SPREAD)
            .collect();
        if !varied.is_empty() {
            paragraphs.push(tr!(
                lang,
                "The reconstructions of {} still vary ({} of the inputs' spread or more), so \
                 their decoders have not settled on a single mean image.",
                "{} の再構成はなお変化している（入力のばらつきの {} 以上）。これらの復号化器は、\
                 単一の平均画像に落ち着いてはいない。",
                figs.names(&varied, RunFigure::Reconstructions, lang),
                pct(varied
                    .iter()
                    .map(|r| r.output_spread)
                    .fold(f64::INFINITY, f64::min))
            ));
        }
        let trace = collapsed_knn_range(all).map_or_else(String::new, |(lo, hi)| {
            let range = knn_range(lo, hi);
            tr!(
                lang,
                " (kNN on μ: {range})",
                "（μ による kNN 正解率：{range}）"
            )
        });
        paragraphs.push(tr!(
            lang,
            "Their kNN accuracy is not reported and they are left out of every comparison of \
             latent spaces below: their μ still vary a little with the input{trace}, but far \
             less than the posterior σ, so the code z the decoder sees carries nothing.",
            "これらの実験の kNN 正解率は示さず、以下の潜在空間の比較からもすべて除外する。\
             その μ はなお入力にわずかに依存する{trace}が、その変動は事後分布の σ よりはるかに\
             小さく、復号化器が受け取る z は何も伝えない。"
        ));
    }
    let partial = partly_active(all, lang);
    if !partial.is_empty() {
        paragraphs.push(tr!(
            lang,
            "Some dimensions carry the information while the others carry none: {}. The KL \
             term switches off the dimensions the decoder does not need.",
            "一部の次元だけが情報を担い、残りの次元は情報を持たない：{}。KL 項は、復号化器が\
             必要としない次元を止めてしまう。",
            list(&partial, lang)
        ));
    }
    topic(
        "posterior-collapse",
        lang.pick("Posterior collapse", "事後分布の崩壊"),
        paragraphs,
    )
}

/// "0.102–0.235" (three decimals: a share of a thousand queries), or one
/// number when the two are equal at that precision.
pub fn knn_range(lo: f64, hi: f64) -> String {
    let (lo, hi) = (format!("{lo:.3}"), format!("{hi:.3}"));
    if lo == hi { lo } else { format!("{lo}–{hi}") }
}

/// The configurations of `all` with partly active seeds (some latent
/// dimensions informative, not all), with how many are informative and in
/// how many seeds: "`relu-z20-ce` (5–12 of 20 dimensions informative, 5/5
/// seeds)". Informative dimensions, not active units, are the criterion.
fn partly_active(all: &[RunFacts], lang: Lang) -> Vec<String> {
    let mut configs: Vec<&str> = Vec::new();
    for r in all {
        if !configs.contains(&r.configuration.as_str()) {
            configs.push(&r.configuration);
        }
    }
    configs
        .iter()
        .filter_map(|&c| {
            let seeds: Vec<&RunFacts> = all.iter().filter(|r| r.configuration == c).collect();
            let informative: Vec<usize> = seeds
                .iter()
                .filter(|r| {
                    r.metrics.latent_activity.state == vaelab_metrics::LatentState::PartlyActive
                })
                .map(|r| r.metrics.latent_activity.active)
                .collect();
            let lo = *informative.iter().min()?;
            let hi = *informative.iter().max()?;
            let range = if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}–{hi}")
            };
            let d = seeds[0].config.latent;
            let held = crate::configs::of_seeds_in(informative.len(), seeds.len(), lang);
            Some(tr!(
                lang,
                "`{c}` ({range} of {d} dimensions informative, {held})",
                "`{c}`（{d} 次元中 {range} 次元が情報を持つ、{held}）"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::tests::{collapse, discuss};
    use super::super::tests::{english_words, text};

    /// Every branch of the collapse topic: KL ~0 with a mean image, a
    /// constant μ with KL above zero and varied outputs, and a partly
    /// active run; in Japanese, with the same figures and no English.
    #[test]
    fn the_japanese_collapse_topic_keeps_every_figure_and_no_english() {
        let mut runs = vec![
            run("flat", "relu", 2, Objective::Sse),
            run("offset", "relu", 2, Objective::Ce),
            run("wide", "relu", 20, Objective::Ce),
            run("ok", "relu", 2, Objective::Ce),
        ];
        collapse(&mut runs[0], 1.2e-5);
        runs[0].output_spread = 0.01;
        collapse(&mut runs[1], 0.5);
        runs[1].output_spread = 0.5;
        partly(&mut runs[2], 3, 3);
        let topics = discuss(&runs, Lang::Ja);
        let said = text(&topics, "事後分布の崩壊");
        for expected in [
            "`flat`（1.2e-5）では KL がほぼ 0（画像 1 枚あたり 0.1 nats 未満）に落ちる。",
            "`offset`（KL 0.500、情報を持つ次元は 2 次元中 0）の事後分布も",
            "`flat` の復号化器はどの入力に対しても同じ 1 枚の画像を出力する",
            "入力の変化の最大 1.0% にとどまり、",
            "`offset` の再構成はなお変化している（入力のばらつきの 50% 以上）",
            "`wide`（20 次元中 3 次元が情報を持つ、1 シード）",
        ] {
            assert!(said.contains(expected), "{expected} not in {said}");
        }
        assert_eq!(english_words(&said), Vec::<String>::new(), "{said}");
        let latent = text(&topics, "潜在空間：散布図と格子");
        assert!(
            latent.contains("（崩壊した実験 2 件は除外した。）"),
            "{latent}"
        );
        assert_eq!(english_words(&latent), Vec::<String>::new(), "{latent}");
    }

    #[test]
    fn what_the_collapsed_runs_share_is_said_in_japanese() {
        let mut runs = vec![
            run("s2", "sigmoid", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
            run("r2", "relu", 2, Objective::Ce),
            run("r20", "relu", 20, Objective::Ce),
        ];
        runs[3].config.head = vaelab_vae::Head::Gaussian;
        for r in &mut runs[..3] {
            collapse(r, 1e-5);
        }
        let gone: Vec<&crate::facts::RunFacts> = runs[..3].iter().collect();
        let said = super::traits(&gone, &runs, "collapsed", Lang::Ja);
        assert!(said.starts_with("この実験群では、"), "{said}");
        for expected in [
            "崩壊した実験 3 件はすべて seed ヘッド を用いている",
            "Sigmoid を用いた実験（2 件）はすべて崩壊した実験に含まれる",
            "d = 2 を用いた実験（2 件）はすべて崩壊した実験に含まれる",
        ] {
            assert!(said.contains(expected), "{expected} not in {said}");
        }
        assert!(
            said.ends_with("。") && said.matches("。また、").count() == 2,
            "{said}"
        );
        assert_eq!(english_words(&said), Vec::<String>::new(), "{said}");
        let over = super::traits(&gone, &runs, "overfitting", Lang::Ja);
        assert!(over.contains("過学習した実験 3 件"), "{over}");
    }

    #[test]
    fn collapse_is_stated_for_the_collapsed_run_only() {
        let mut runs = vec![
            run("healthy", "relu", 2, Objective::Ce),
            run("flat", "relu", 2, Objective::Sse),
        ];
        collapse(&mut runs[1], 1.2e-5);
        runs[1].output_spread = 0.01;
        runs[1].metrics.knn_accuracy = 0.11;
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(said.contains("for `flat` (1.2e-5)"), "{said}");
        assert!(
            said.contains("one and the same image") && said.contains("pixel-wise mean"),
            "{said}"
        );
        assert!(said.contains("kNN accuracy is not reported"), "{said}");
        // Its μ keep a faint trace of the input (kNN 0.11, above chance):
        // left out because the decoder cannot use it, not called noise.
        assert!(
            said.contains("their μ still vary a little with the input (kNN on μ: 0.110), but far less than the posterior σ"),
            "{said}"
        );
        assert!(!said.contains("says nothing about the image"), "{said}");
        assert!(!said.contains("healthy"), "{said}");
        // The range spans the collapsed runs only, whatever the others'.
        let mut more = runs.clone();
        more.push(more[1].clone());
        more[2].metrics.knn_accuracy = 0.234;
        more[0].metrics.knn_accuracy = 0.9;
        assert_eq!(super::collapsed_knn_range(&more), Some((0.11, 0.234)));
        assert_eq!(super::knn_range(0.11, 0.234), "0.110–0.234");
        assert_eq!(super::collapsed_knn_range(&more[..1]), None);
        // The layout of the latent spaces is judged on the healthy run alone.
        let layout = text(&discuss(&runs, Lang::En), "scatter and grid");
        assert!(layout.contains("best for `healthy`"), "{layout}");
        assert!(layout.contains("(1 collapsed run left out.)"), "{layout}");
    }

    #[test]
    fn no_collapse_is_claimed_when_kl_stays_up() {
        let runs = vec![
            run("a", "relu", 2, Objective::Ce),
            run("b", "sigmoid", 20, Objective::Ce),
        ];
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(
            said.starts_with("No run's posterior has collapsed"),
            "{said}"
        );
        assert!(!said.contains("`a` (") && !said.contains("mean"), "{said}");
    }

    #[test]
    fn collapse_with_varied_outputs_does_not_claim_a_mean_image() {
        let mut runs = vec![run("a", "relu", 2, Objective::Ce)];
        collapse(&mut runs[0], 0.01);
        runs[0].output_spread = 0.5;
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(
            said.contains("for `a` (0.010)") && said.contains("still vary"),
            "{said}"
        );
        assert!(!said.contains("pixel-wise mean"), "{said}");
    }

    #[test]
    fn a_constant_mu_is_collapse_even_with_kl_above_zero() {
        let mut runs = vec![
            run("offset", "relu", 2, Objective::Sse),
            run("ok", "relu", 2, Objective::Ce),
        ];
        collapse(&mut runs[0], 0.5);
        let said = text(&discuss(&runs, Lang::En), "collapse");
        // Alone, its collapse is not "too" (も), in either language.
        assert!(
            said.starts_with(
                "The posterior of `offset` (KL 0.500, 0 of 2 dimensions informative) has collapsed although"
            ),
            "{said}"
        );
        assert!(!said.contains("`ok`"), "{said}");
        let ja = text(&discuss(&runs, Lang::Ja), "事後分布の崩壊");
        assert!(
            ja.starts_with("`offset`（KL 0.500、情報を持つ次元は 2 次元中 0）の事後分布は、"),
            "{ja}"
        );
        // After a run whose KL is ~0, it has collapsed too.
        collapse(&mut runs[1], 1e-5);
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(
            said.contains("for `ok` (1.0e-5)")
                && said.contains(
                    "`offset` (KL 0.500, 0 of 2 dimensions informative) has collapsed too although"
                ),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "事後分布の崩壊");
        assert!(ja.contains("の事後分布も、"), "{ja}");
    }

    #[test]
    fn what_the_collapsed_runs_share_is_said() {
        let mut runs = vec![
            run("s2", "sigmoid", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
            run("r2", "relu", 2, Objective::Ce),
        ];
        for r in &mut runs[..2] {
            collapse(r, 1e-5);
        }
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(said.contains("all 2 collapsed runs have Sigmoid"), "{said}");
        collapse(&mut runs[2], 1e-5);
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(!said.contains("have Sigmoid"), "{said}");
        assert!(
            said.contains("every run with Sigmoid (2) is among them"),
            "{said}"
        );
    }

    /// Makes `r` partly active: `informative` of its dimensions carry
    /// information, `active` of them vary (active units).
    fn partly(r: &mut crate::facts::RunFacts, informative: usize, active: usize) {
        let kl: Vec<f64> = (0..r.config.latent)
            .map(|j| if j < informative { 2.0 } else { 0.05 })
            .collect();
        r.metrics.latent_activity = vaelab_metrics::LatentActivity::from_kl(&kl, 0.1).unwrap();
        r.metrics.kl_from_aggregate = kl.clone();
        r.metrics.kl_per_dim = kl;
        r.metrics.active_units = active;
    }

    #[test]
    fn partly_active_configurations_count_informative_dimensions_over_seeds() {
        // 19 dimensions vary (active units) but only 5 or 12 carry
        // information; a second configuration is active in every seed.
        let mut runs = Vec::new();
        for (config, d) in [("wide", 20), ("narrow", 2)] {
            for seed in 0..2u64 {
                let mut r = run(&format!("{config}-seed-{seed}"), "relu", d, Objective::Ce);
                r.configuration = config.into();
                r.config.seed = seed;
                runs.push(r);
            }
        }
        partly(&mut runs[0], 5, 19);
        partly(&mut runs[1], 12, 18);
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(
            said.contains(
                "Some dimensions carry the information while the others carry none: \
                 `wide` (5–12 of 20 dimensions informative, 2/2 seeds)."
            ),
            "{said}"
        );
        assert!(
            !said.contains("19 ") && !said.contains("`narrow` ("),
            "{said}"
        );
        // A run with active units but no informative dimension has
        // collapsed; one with an informative dimension and no active unit
        // has not (relu-z2-sse's seeds 0 and 3 in the study).
        let mut flat = run("flat", "relu", 2, Objective::Sse);
        collapse(&mut flat, 0.5);
        flat.metrics.active_units = 2;
        assert!(super::collapsed(&flat));
        let mut quiet = run("quiet", "relu", 2, Objective::Sse);
        quiet.metrics.active_units = 0;
        quiet.metrics.test.kl = 0.6;
        assert!(!super::collapsed(&quiet));
    }

    #[test]
    fn kl_to_the_prior_bounds_kl_from_the_aggregate_posterior() {
        // Why KL ~0 needs no collapse rule of its own: per dimension, the
        // mean KL to the prior is the mean KL from the aggregate posterior
        // plus KL(aggregate ‖ prior) ≥ 0.
        let (n, dim) = (6, 2);
        let mu: Vec<f32> = (0..n * dim)
            .map(|i| ((i * 7 % 5) as f32 - 2.0) * 0.3)
            .collect();
        let log_var: Vec<f32> = (0..n * dim).map(|i| -((i % 3) as f32) * 0.5).collect();
        let from_aggregate = vaelab_metrics::kl_from_aggregate(&mu, &log_var, n, dim).unwrap();
        for (j, &aggregate) in from_aggregate.iter().enumerate() {
            let col = |v: &[f32]| -> Vec<f64> {
                v.iter()
                    .skip(j)
                    .step_by(dim)
                    .map(|&x| f64::from(x))
                    .collect()
            };
            let (m, lv) = (col(&mu), col(&log_var));
            let to_prior = m
                .iter()
                .zip(&lv)
                .map(|(m, lv)| 0.5 * (m * m + lv.exp() - lv - 1.0))
                .sum::<f64>()
                / n as f64;
            let mean = m.iter().sum::<f64>() / n as f64;
            let var = m.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64
                + lv.iter().map(|lv| lv.exp()).sum::<f64>() / n as f64;
            let aggregate_to_prior = 0.5 * (mean * mean + var - var.ln() - 1.0);
            assert!(aggregate_to_prior >= 0.0);
            assert!(
                (to_prior - aggregate - aggregate_to_prior).abs() < 1e-6,
                "dimension {j}: {to_prior} vs {aggregate} + {aggregate_to_prior}"
            );
        }
    }

    #[test]
    fn collapse_is_counted_per_configuration_over_seeds() {
        let mut runs = Vec::new();
        for seed in 0..5u64 {
            for (config, collapses) in [("relu-z2-ce", seed < 2), ("relu-z20-ce", false)] {
                let mut r = run(&format!("{config}-seed-{seed}"), "relu", 2, Objective::Ce);
                r.configuration = config.into();
                r.config.seed = seed;
                if config == "relu-z20-ce" {
                    r.config.latent = 20;
                }
                if collapses {
                    collapse(&mut r, 1e-5);
                }
                runs.push(r);
            }
        }
        let said = text(&discuss(&runs, Lang::En), "Posterior collapse");
        assert!(
            said.starts_with(
                "Per configuration: `relu-z2-ce` collapses in 2/5 seeds, `relu-z20-ce` collapses in none of 5 seeds."
            ),
            "{said}"
        );
        // Single runs are described by the first seed: seed 0 of relu-z2-ce.
        assert!(said.contains("`relu-z2-ce-seed-0`"), "{said}");
        assert!(!said.contains("`relu-z2-ce-seed-1`"), "{said}");
        // In Japanese, one sentence per outcome, configurations with the
        // same outcome together.
        let ja = super::collapse_per_configuration(&runs, Lang::Ja);
        assert_eq!(
            ja,
            "構成ごとに見ると、5 シード中 2 シードで崩壊するのは `relu-z2-ce` である。\
             5 シードのいずれでも崩壊しないのは `relu-z20-ce` である。"
        );
        let mut more = runs.clone();
        for r in &mut more {
            r.configuration = format!("{}-b", r.configuration);
        }
        more.extend(runs.iter().cloned());
        let ja = super::collapse_per_configuration(&more, Lang::Ja);
        assert!(
            ja.contains("5 シード中 2 シードで崩壊するのは `relu-z2-ce-b`、`relu-z2-ce` である。"),
            "{ja}"
        );
        assert_eq!(ja.matches("である。").count(), 2, "{ja}");
        let one: Vec<_> = runs
            .iter()
            .filter(|r| r.config.seed == 0)
            .cloned()
            .collect();
        assert_eq!(
            super::collapse_per_configuration(&one, Lang::Ja),
            "構成ごとに見ると、崩壊するのは `relu-z2-ce` である（シード 1 つ）。\
             崩壊しないのは `relu-z20-ce` である（シード 1 つ）。"
        );
    }
}
