//! The latent space: what the kNN accuracy, the scatter and the grid show
//! of the runs that did not collapse (collapse itself is `collapse.rs`).

use super::collapse::{collapsed, list};
use super::{
    FLAT_GRID, Figures, NEAR_CHANCE_KNN, SEPARATED_KNN, Topic, parenthesis, sorted_by, topic,
};
use crate::facts::RunFacts;
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::pairs::pct;
use crate::tr;

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

/// What the scatter and the grid show, for `runs` (the first seed of each
/// configuration when `first_seeds`, out of `all` seeds).
pub(super) fn latent_space(
    runs: &[RunFacts],
    all: &[RunFacts],
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
        knn_layout(&kept, all, runs.len() - kept.len(), first_seeds, figs, lang)
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
    all: &[RunFacts],
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
    if first_seeds {
        // Near chance is a claim about a configuration: counted over its
        // working seeds, whether or not its first seed collapsed.
        let low = near_chance(all, figs, lang);
        if !low.is_empty() {
            text.push_str(&tr!(
                lang,
                " The accuracy stays below {} for {}: in those seeds the codes mix the digits.",
                "正解率が {} を下回るのは {} であり、それらのシードでは潜在変数の上で数字が\
                 混ざり合っている。",
                pct(NEAR_CHANCE_KNN),
                lang.join(&low)
            ));
        }
    } else if !chance.is_empty() {
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

/// The configurations of `all` with working (informative) seeds whose kNN
/// accuracy is near chance, each with in how many: "`a` in 2/5 seeds
/// (Figure 7)", "`b` in 3/4 working seeds"; the first seed's scatter is
/// linked when that seed is informative.
fn near_chance(all: &[RunFacts], figs: Figures<'_>, lang: Lang) -> Vec<String> {
    let mut configs: Vec<&str> = Vec::new();
    for r in all {
        if !configs.contains(&r.configuration.as_str()) {
            configs.push(&r.configuration);
        }
    }
    configs
        .into_iter()
        .filter_map(|c| {
            let seeds: Vec<&RunFacts> = all.iter().filter(|r| r.configuration == c).collect();
            let working: Vec<&RunFacts> =
                seeds.iter().copied().filter(|r| informative(r)).collect();
            let k = working.iter().filter(|r| knn(r) < NEAR_CHANCE_KNN).count();
            if k == 0 {
                return None;
            }
            let (w, n) = (working.len(), seeds.len());
            let held = if w == n {
                crate::configs::of_seeds_in(k, n, lang)
            } else {
                tr!(
                    lang,
                    "{k}/{w} working seeds",
                    "崩壊しなかった {w} シード中 {k} シード"
                )
            };
            let fig = seeds
                .first()
                .filter(|r| informative(r))
                .map_or_else(String::new, |r| {
                    parenthesis(lang, figs.run(r, RunFigure::Scatter))
                });
            Some(tr!(lang, "`{c}` in {held}{fig}", "`{c}`（{held}）{fig}"))
        })
        .collect()
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
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::tests::text;
    use super::super::tests::{collapse, discuss};
    use super::coverage;

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
                "The accuracy stays below 25% for `flat` in 1/1 working seeds and `low` in \
                 2/2 seeds: in those seeds the codes mix the digits. \
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
    fn coverage_by_hand() {
        let mut r = run("a", "relu", 2, Objective::Ce);
        r.mu_range = [(0.0, 1.0), (0.0, 1.0)];
        // (1/4)·(1/4) of the [−2, 2]² square.
        assert!((coverage(&r) - 1.0 / 16.0).abs() < 1e-12);
        r.mu_range = [(-5.0, 5.0), (-5.0, 5.0)];
        assert!((coverage(&r) - 1.0).abs() < 1e-12);
    }
}
