//! The latent space: posterior collapse, and what the scatter and the grid
//! show.

use super::{
    ALIKE_SPREAD, COLLAPSE_KL, FLAT_GRID, Figures, NEAR_CHANCE_KNN, SEPARATED_KNN, Topic,
    and_figure, parenthesis, sorted_by, topic,
};
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

/// Whether a run's latent space can be compared on kNN and its layout: not
/// collapsed, and with a kNN figure.
pub fn informative(r: &RunFacts) -> bool {
    !collapsed(r) && r.metrics.knn.value().is_some()
}

/// The kNN accuracy of an informative run (0 for any other; callers filter
/// with [`informative`] first).
pub fn knn(r: &RunFacts) -> f64 {
    r.metrics.knn.value().unwrap_or(0.0)
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
fn list(items: &[String], lang: Lang) -> String {
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
        paragraphs.push(tr!(
            lang,
            "Their kNN accuracy is not reported and they are left out of every comparison of \
             latent spaces below: with no informative dimension, which neighbours are nearest \
             says nothing about the image.",
            "これらの実験の kNN 正解率は示さず、以下の潜在空間の比較からもすべて除外する。\
             情報を持つ次元がないため、どの近傍が最も近いかは画像について何も語らない。"
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

/// What the scatter and the grid show, for `runs` (the first seed of each
/// configuration when `first_seeds`).
pub(super) fn latent_space(
    runs: &[RunFacts],
    first_seeds: bool,
    figs: Figures<'_>,
    lang: Lang,
) -> Topic {
    let kept: Vec<RunFacts> = runs.iter().filter(|r| informative(r)).cloned().collect();
    let text = if kept.is_empty() {
        tr!(
            lang,
            "No run has an informative latent space (every one has collapsed), so no scatter plot \
             can show digits apart.",
            "情報を持つ潜在空間をもつ実験はない（すべて崩壊している）。そのため、数字を分けて\
             示せる散布図はない。"
        )
    } else {
        knn_layout(&kept, runs.len() - kept.len(), first_seeds, figs, lang)
    };
    let mut paragraphs = vec![text];

    let flat: Vec<&RunFacts> = runs.iter().filter(|r| r.grid_spread < FLAT_GRID).collect();
    let rest: Vec<&RunFacts> = runs.iter().filter(|r| r.grid_spread >= FLAT_GRID).collect();
    let mut text = tr!(
        lang,
        "The latent grid decodes z on a regular grid; only where the codes of real images lie \
         does it show digits as the model learnt them, elsewhere the decoder extrapolates.",
        "潜在空間の格子は、規則的な格子点上の z を復号化したものである。実際の画像の潜在変数が\
         ある場所でのみモデルが学習した数字を示し、それ以外の場所では復号化器は外挿している。"
    );
    if !flat.is_empty() {
        text.push_str(&tr!(
            lang,
            " For {} the grid shows practically one image everywhere: the decoder ignores z.",
            "{} では、格子はどこでも事実上同じ 1 枚の画像を示す。復号化器は z を無視している。",
            figs.names(&flat, RunFigure::LatentGrid, lang)
        ));
    }
    if !rest.is_empty() {
        let cover: Vec<String> = rest
            .iter()
            .map(|r| {
                let fig = parenthesis(lang, figs.run(r, RunFigure::LatentGrid));
                format!("`{}` {}{fig}", r.name, pct(coverage(r)))
            })
            .collect();
        text.push_str(&tr!(
            lang,
            " The bounding box of μ covers this share of the grid: {}.",
            "μ の外接矩形が格子に占める割合は次のとおりである：{}。",
            list(&cover, lang)
        ));
        let seed_d2: Vec<&RunFacts> = rest
            .iter()
            .copied()
            .filter(|r| r.config.head == vaelab_vae::Head::Seed && r.config.latent == 2)
            .collect();
        if !seed_d2.is_empty() {
            let square = coverage_of((0.0, 1.0), (0.0, 1.0), seed_d2[0].grid_extent);
            text.push_str(&tr!(
                lang,
                " The seed head passes μ through a sigmoid, so for d = 2 its codes can only \
                 fill the unit square (0, 1)², {} of the grid: most of the grid of {} shows \
                 codes no image has.",
                "seed ヘッドは μ を Sigmoid に通すため、d = 2 ではその潜在変数は単位正方形 \
                 (0, 1)²、すなわち格子の {} しか埋められない。{} の格子の大部分は、どの画像も\
                 とらない潜在変数を示している。",
                pct(square),
                figs.names(&seed_d2, RunFigure::LatentGrid, lang)
            ));
        }
    }
    paragraphs.push(text);
    topic(
        "latent-space",
        lang.pick(
            "The latent space: scatter and grid",
            "潜在空間：散布図と格子",
        ),
        paragraphs,
    )
}

/// What the kNN accuracy says of the layout of `runs` (all informative);
/// `left_out` collapsed runs (first seeds when `first_seeds`) are named as
/// skipped.
fn knn_layout(
    runs: &[RunFacts],
    left_out: usize,
    first_seeds: bool,
    figs: Figures<'_>,
    lang: Lang,
) -> String {
    let scatter = |r: &RunFacts| parenthesis(lang, figs.run(r, RunFigure::Scatter));
    let by_knn = sorted_by(runs, |r| -knn(r));
    let best = by_knn[0];
    let separated: Vec<&RunFacts> = by_knn
        .iter()
        .copied()
        .filter(|r| knn(r) >= SEPARATED_KNN)
        .collect();
    let chance: Vec<&RunFacts> = by_knn
        .iter()
        .copied()
        .filter(|r| knn(r) < NEAR_CHANCE_KNN)
        .collect();
    let mut text = tr!(
        lang,
        "The latent means of the classification set separate the digits best for `{}`{}: a \
         nearest-neighbour classifier on μ (training images as reference) is right for {} of \
         them, against 10% by chance.",
        "分類テストデータの潜在変数の平均 μ が数字を最もよく分けるのは `{}`{} である。μ に基づく\
         最近傍分類器（学習データを参照とする）は、その {} を正しく分類する（偶然なら 10%）。",
        best.name,
        scatter(best),
        pct(knn(best))
    );
    if separated.is_empty() {
        text.push_str(&tr!(
            lang,
            " No run reaches {}, so no scatter plot shows cleanly separated clusters of digits.",
            "kNN 正解率が {} に達する実験はなく、数字のクラスタがきれいに分かれた散布図はない。",
            pct(SEPARATED_KNN)
        ));
    } else {
        // English verb agreement; the Japanese verb does not inflect.
        let s = if separated.len() == 1 { "s" } else { "" };
        text.push_str(&tr!(
            lang,
            " With kNN accuracy of at least {}, {} show{s} digits as distinct clusters in the \
             scatter plot: images of the same digit are encoded close together although no \
             label was used in training.",
            "kNN 正解率が {} 以上の {} では、散布図で数字がはっきり分かれたクラスタとして現れる。\
             学習にラベルを一切使っていないにもかかわらず、同じ数字の画像は互いに近くに\
             符号化される。",
            pct(SEPARATED_KNN),
            figs.names(&separated, RunFigure::Scatter, lang)
        ));
    }
    let between: Vec<String> = by_knn
        .iter()
        .filter(|r| (NEAR_CHANCE_KNN..SEPARATED_KNN).contains(&knn(r)))
        .map(|r| format!("`{}` {}{}", r.name, pct(knn(r)), scatter(r)))
        .collect();
    if !between.is_empty() {
        text.push_str(&tr!(
            lang,
            " Between {} and {} lie {}: their scatter plots show clusters for some digits that \
             overlap for others.",
            "{} と {} の間に {} がある。これらの散布図では、一部の数字はクラスタをなすが、ほかの\
             数字どうしは重なり合う。",
            pct(NEAR_CHANCE_KNN),
            pct(SEPARATED_KNN),
            list(&between, lang)
        ));
    }
    if !chance.is_empty() {
        // English agreement; the Japanese does not inflect.
        let their = if chance.len() == 1 { "its" } else { "their" };
        text.push_str(&tr!(
            lang,
            " For {} the accuracy stays below {}: {their} codes mix the digits.",
            "{} では正解率が {} を下回り、潜在変数の上で数字が混ざり合っている。",
            figs.names(&chance, RunFigure::Scatter, lang),
            pct(NEAR_CHANCE_KNN)
        ));
    }
    if left_out > 0 && first_seeds {
        let s = if left_out == 1 { "" } else { "s" };
        text.push_str(&tr!(
            lang,
            " (Left out: {left_out} configuration{s} whose first seed collapsed.)",
            "（最初のシードが崩壊した構成 {left_out} 件は除外した。）"
        ));
    } else if left_out > 0 {
        let s = if left_out == 1 { "" } else { "s" };
        text.push_str(&tr!(
            lang,
            " ({left_out} collapsed run{s} left out.)",
            "（崩壊した実験 {left_out} 件は除外した。）"
        ));
    }
    text
}

/// Share of the grid square covered by the bounding box of μ.
pub fn coverage(r: &RunFacts) -> f64 {
    coverage_of(r.mu_range[0], r.mu_range[1], r.grid_extent)
}

fn coverage_of(x: (f64, f64), y: (f64, f64), e: f64) -> f64 {
    let side = |(lo, hi): (f64, f64)| ((hi.min(e) - lo.max(-e)).max(0.0)) / (2.0 * e);
    side(x) * side(y)
}

#[cfg(test)]
pub(super) mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::tests::text;
    use super::super::tests::{collapse, discuss};
    use super::coverage;

    /// The lower-case English words of `text` outside inline code: what a
    /// Japanese sentence must not contain. The unit "nats" and the head
    /// names of the suite files ("seed", "gaussian") are notation.
    pub(in crate::discussion) fn english_words(text: &str) -> Vec<String> {
        let outside_code: String = text
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, part)| part)
            .collect::<Vec<_>>()
            .join(" ");
        outside_code
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|w| !["nats", "seed", "gaussian"].contains(w))
            .map(String::from)
            .collect()
    }

    #[test]
    fn english_words_are_found_outside_code_only() {
        assert_eq!(
            english_words("`relu-z2-ce` は崩壊する"),
            Vec::<String>::new()
        );
        assert_eq!(
            english_words("KL は 0.1 nats、seed ヘッド"),
            Vec::<String>::new()
        );
        assert_eq!(english_words("`a` collapses in 2/5"), ["collapses", "in"]);
    }

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
        assert!(!said.contains("healthy"), "{said}");
        // The layout of the latent spaces is judged on the healthy run alone.
        let layout = text(&discuss(&runs, Lang::En), "scatter and grid");
        assert!(layout.contains("best for `healthy`"), "{layout}");
        assert!(layout.contains("(1 collapsed run left out.)"), "{layout}");
    }

    #[test]
    fn a_collapsed_run_never_wins_on_knn() {
        // Two d pairs; in the Sigmoid pair the d = 20 run has collapsed with
        // a kNN "accuracy" that would win if it were counted.
        let mut runs = vec![
            run("r2", "relu", 2, Objective::Ce),
            run("r20", "relu", 20, Objective::Ce),
            run("s2", "sigmoid", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
        ];
        runs[0].metrics.knn = vaelab_metrics::LatentFigure::Value(0.8);
        runs[1].metrics.knn = vaelab_metrics::LatentFigure::Value(0.6);
        collapse(&mut runs[3], 1e-6);
        runs[3].metrics.knn = vaelab_metrics::LatentFigure::Value(0.95);
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.contains("d = 2 gives the higher kNN accuracy in 1 of 1 pair"),
            "{said}"
        );
        assert!(
            said.contains("1 pair with a collapsed run left out"),
            "{said}"
        );
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
    fn the_layout_says_it_counts_first_seeds() {
        // Two configurations, two seeds each; `flat` collapses in its first
        // seed only, `low`'s kNN is near chance.
        let mut runs = Vec::new();
        for config in ["flat", "low"] {
            for seed in 0..2u64 {
                let mut r = run(&format!("{config}-seed-{seed}"), "relu", 2, Objective::Ce);
                r.configuration = config.into();
                r.config.seed = seed;
                r.metrics.knn = vaelab_metrics::LatentFigure::Value(0.2);
                runs.push(r);
            }
        }
        collapse(&mut runs[0], 1e-5);
        let said = text(&discuss(&runs, Lang::En), "scatter and grid");
        assert!(
            said.contains(
                "the accuracy stays below 25%: its codes mix the digits. \
                 (Left out: 1 configuration whose first seed collapsed.)"
            ),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "潜在空間：散布図と格子");
        assert!(
            ja.contains("（最初のシードが崩壊した構成 1 件は除外した。）"),
            "{ja}"
        );
        // What the collapsed runs share is counted over every seed.
        let mut all = runs.clone();
        collapse(&mut all[1], 1e-5);
        all[1].config.activation = "sigmoid".parse().unwrap();
        all[0].config.activation = "sigmoid".parse().unwrap();
        let said = text(&discuss(&all, Lang::En), "collapse");
        assert!(said.contains("all 2 collapsed runs have Sigmoid"), "{said}");
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
    fn coverage_by_hand() {
        let mut r = run("a", "relu", 2, Objective::Ce);
        r.mu_range = [(0.0, 1.0), (0.0, 1.0)];
        // (1/4)·(1/4) of the [−2, 2]² square.
        assert!((coverage(&r) - 1.0 / 16.0).abs() < 1e-12);
        r.mu_range = [(-5.0, 5.0), (-5.0, 5.0)];
        assert!((coverage(&r) - 1.0).abs() < 1e-12);
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
