//! The factors of the study compared pair by pair: the latent dimension,
//! CE against SSE, and the two heads.

use super::latent::{informative, knn};
use super::overfitting::gap;
use super::{Figures, INACTIVE_DIM_KL, Topic, sentences, topic};
use crate::factors::{Factor, factors};
use crate::facts::RunFacts;
use crate::lang::Lang;
use crate::pairs::{Measure, Pairs, b_wins, contrast, every_pair, means, num, pairs, side};
use crate::tr;

/// The measures the factors are compared on, named in `lang`.
fn test_ce(lang: Lang) -> Measure<'static> {
    Measure::lower(lang.pick("test CE", "テストデータの CE"), |r| {
        r.metrics.test.ce
    })
}

fn test_mse(lang: Lang) -> Measure<'static> {
    Measure::lower(lang.pick("test MSE", "テストデータの MSE"), |r| {
        r.metrics.test.mse
    })
}

fn test_kl(lang: Lang) -> Measure<'static> {
    Measure::lower(lang.pick("test KL", "テストデータの KL"), |r| {
        r.metrics.test.kl
    })
    .floor(INACTIVE_DIM_KL)
}

/// " Figure N shows the cross-entropy learning curves of these pairs." for
/// the comparison chart along `factor` (MSE for the objective), or nothing
/// when it was not drawn.
fn curves_of_pairs(factor: &Factor, figs: Figures<'_>, lang: Lang) -> String {
    let Some(fig) = figs.comparison(factor) else {
        return String::new();
    };
    match crate::figures::comparison_metric(factor) {
        crate::figures::Metric::Mse => tr!(
            lang,
            " {fig} shows the MSE learning curves of these pairs.",
            "これらの組の MSE の学習曲線を{fig} に示す。"
        ),
        _ => tr!(
            lang,
            " {fig} shows the cross-entropy learning curves of these pairs.",
            "これらの組の交差エントロピーの学習曲線を{fig} に示す。"
        ),
    }
}

/// The effect of the latent dimension.
pub(super) fn latent_dimension(runs: &[RunFacts], figs: Figures<'_>, lang: Lang) -> Option<Topic> {
    let p = pairs(runs, &Factor::latent())?;
    let train_ce = Measure::lower(lang.pick("training CE", "学習データの CE"), |r| {
        r.metrics.train.ce
    });
    let gap_m = Measure::lower(
        lang.pick("train/test gap", "学習データとテストデータの CE の差"),
        gap,
    )
    .percent();
    let mut paragraphs = vec![
        sentences(
            lang,
            &[
                contrast(&p, train_ce, lang),
                contrast(&p, test_ce(lang), lang),
                contrast(&p, gap_m, lang),
            ],
        ) + &curves_of_pairs(&Factor::latent(), figs, lang),
    ];
    // Over the runs that did not collapse: a collapsed run has no
    // informative dimension by definition, so counting it would only say
    // how often a setting collapses (said in its own topic).
    let working = |b: bool| -> Vec<f64> {
        p.pairs
            .iter()
            .map(|&(x, y)| if b { y } else { x })
            .filter(|r| !super::collapsed(r))
            .map(|r| r.metrics.latent_activity.active as f64)
            .collect()
    };
    let used = |b: bool| match vaelab_metrics::Spread::of(&working(b)) {
        Ok(s) => {
            let d = if b { p.pairs[0].1 } else { p.pairs[0].0 }.config.latent;
            let mean = crate::columns::spread_text(s);
            let n = s.n;
            tr!(
                lang,
                "{mean} of {d} ({n} runs)",
                "{d} 次元中 {mean}（{n} 件）"
            )
        }
        Err(_) => tr!(
            lang,
            "none (every run collapsed)",
            "なし（すべての実験が崩壊）"
        ),
    };
    let (ua, ub) = (used(false), used(true));
    let (a, b) = (side(&p.a, lang), side(&p.b, lang));
    let knn = sentences(lang, &[knn_contrast(runs, &Factor::latent(), lang)]);
    paragraphs.push(tr!(
        lang,
        "Informative latent dimensions, over the runs that did not collapse: {ua} with {a}, \
         {ub} with {b} (mean ± sd). {knn}",
        "崩壊しなかった実験で情報を持つ潜在変数の次元：{a} では {ua}、{b} では {ub}\
         （平均 ± 標準偏差）。{knn}"
    ));
    // A general sentence about more dimensions needs every pair compared
    // to agree, not a majority with the rest tied.
    if every_pair(&p, train_ce) == Some(true) && every_pair(&p, gap_m) == Some(false) {
        let images = p.pairs[0].0.train_images;
        // "Memorising" is said only when the test images gain nothing in
        // any pair; a lower test MSE with more dimensions in every pair
        // means some of the capacity generalises, however wide the gap.
        let mse = test_mse(lang);
        paragraphs.extend(if every_pair(&p, mse) == Some(true) {
            Some(
            tr!(
                lang,
                "More latent dimensions let the model describe each training image more \
                 precisely and widen the gap to the test set, yet {b} also gives the lower \
                 test MSE ([which settings reconstruct best](#reconstruction)): with {images} \
                 training images part of the extra capacity is memorisation, not all of it.",
                "潜在変数の次元が多いほどモデルは各学習画像をより精密に表し、テストデータとの差も\
                 広がるが、テストデータの MSE も {b} のほうが低い（[再構成の良さ](#reconstruction)）。学習画像が {images} 枚\
                 でも、増えた表現力のすべてが暗記に使われるわけではない。"
            ))
        } else if mse.wins(&p).1 == 0 {
            Some(tr!(
                lang,
                "More latent dimensions let the model describe each training image more \
                 precisely, but with {images} training images the extra capacity goes into \
                 memorising them: the gap to the test set widens.",
                "潜在変数の次元が多いほどモデルは各学習画像をより精密に表せるが、学習画像が \
                 {images} 枚しかないため、増えた表現力は学習画像の暗記に使われる：テストデータとの\
                 差が広がる。"
            ))
        } else {
            None
        });
    }
    Some(topic(
        "effect-of-d",
        lang.pick(
            "The effect of the latent dimension d",
            "潜在変数の次元 d の効果",
        ),
        paragraphs,
    ))
}

/// CE against SSE.
pub(super) fn objective(runs: &[RunFacts], figs: Figures<'_>, lang: Lang) -> Option<Topic> {
    let p = pairs(runs, &Factor::objective())?;
    let kl = test_kl(lang);
    let mut text = sentences(
        lang,
        &[contrast(&p, test_mse(lang), lang), contrast(&p, kl, lang)],
    );
    let (ka, kb) = means(&p, |r| r.metrics.test.kl);
    let (ra, rb) = means(&p, |r: &RunFacts| match r.config.objective {
        vaelab_vae::Objective::Ce => r.metrics.train.ce,
        vaelab_vae::Objective::Sse => r.metrics.train.sse,
    });
    // The side with the smaller reconstruction term should have the smaller
    // KL in most pairs for the explanation to hold.
    let small_is_b = rb < ra;
    if b_wins(&p, kl) == Some(small_is_b) {
        let (oa, ob) = (p.pairs[0].0.config.objective, p.pairs[0].1.config.objective);
        let (small, large, k_small, k_large, r_small, r_large, o_small, o_large) = if small_is_b {
            (&p.b, &p.a, kb, ka, rb, ra, ob, oa)
        } else {
            (&p.a, &p.b, ka, kb, ra, rb, oa, ob)
        };
        let (r_small, r_large, k_small, k_large) =
            (num(r_small), num(r_large), num(k_small), num(k_large));
        // SSE has no unit (squared intensities), CE and KL are in nats:
        // each term is named with its own.
        let (u_small, u_large) = (unit(o_small, lang), unit(o_large, lang));
        text.push_str(&tr!(
            lang,
            " The {small} reconstruction term is much smaller than the {large} one (mean \
             {r_small} vs {r_large} per image at the end of training; {u_small} and {u_large}), \
             so the KL term weighs relatively more and pulls the posterior further towards the \
             prior (mean KL {k_small} vs {k_large} nats).",
            "{small} の再構成誤差の項は {large} の項よりはるかに小さい（学習終了時の 1 枚あたりの\
             平均で {r_small} 対 {r_large}。{u_small}。{u_large}）。そのため KL 項の比重が相対的に\
             大きくなり、事後分布を事前分布のほうへより強く引き寄せる（平均 KL {k_small} 対 \
             {k_large} nats）。"
        ));
    }
    text.push_str(&curves_of_pairs(&Factor::objective(), figs, lang));
    Some(topic(
        "ce-against-sse",
        lang.pick("CE against SSE", "CE と SSE の比較"),
        vec![text],
    ))
}

/// The unit of an objective's reconstruction term, as a clause: "CE is in
/// nats" / "SSE, half a sum of squared pixel differences, has no unit".
fn unit(objective: vaelab_vae::Objective, lang: Lang) -> String {
    match objective {
        vaelab_vae::Objective::Ce => tr!(lang, "CE is in nats", "CE の単位は nats である"),
        vaelab_vae::Objective::Sse => tr!(
            lang,
            "SSE, half a sum of squared pixel differences, has no unit",
            "SSE は画素の差の二乗和の半分で、単位はない"
        ),
    }
}

/// The caveat on a comparison of log-likelihoods when importance sampling
/// had few effective samples (median ESS below
/// [`vaelab_vae::likelihood::LOW_ESS`]) in runs of the pairs compared: a
/// few weights then decide the estimate, and their order may not hold.
fn low_ess(p: &Pairs<'_>, lang: Lang) -> Option<String> {
    let runs: Vec<&RunFacts> = p
        .configs
        .iter()
        .filter(|c| c.evidence())
        .flat_map(|c| c.seeds.iter().flat_map(|(x, y)| [*x, *y]))
        .collect();
    let low = runs
        .iter()
        .filter(|r| {
            r.metrics.log_likelihood_samples > 1
                && r.metrics.test_log_likelihood_ess < vaelab_vae::likelihood::LOW_ESS
        })
        .count();
    let (n, ess) = (runs.len(), vaelab_vae::likelihood::LOW_ESS);
    (low > 0).then(|| {
        tr!(
            lang,
            "in {low} of the {n} runs compared the median ESS of the importance sampling is \
             below {ess}: a few weights decide their log-likelihood, so this comparison is \
             uncertain",
            "ただし比較した {n} 件の実験のうち {low} 件では重点サンプリングの ESS 中央値が \
             {ess} 未満である：少数の重みが対数尤度を決めており、この比較は不確かである"
        )
    })
}

/// The seed head against the gaussian head.
pub(super) fn head(runs: &[RunFacts], figs: Figures<'_>, lang: Lang) -> Option<Topic> {
    let p = pairs(runs, &Factor::head())?;
    let loglik = Measure::lower(
        lang.pick("test log-likelihood", "テストデータの対数尤度"),
        |r| r.metrics.test_log_likelihood,
    )
    .higher();
    let mut said = vec![contrast(&p, loglik, lang)];
    said.extend(low_ess(&p, lang));
    said.push(contrast(&p, test_mse(lang), lang));
    said.push(knn_contrast(runs, &Factor::head(), lang));
    let text = sentences(lang, &said) + &curves_of_pairs(&Factor::head(), figs, lang);
    Some(topic(
        "seed-against-gaussian-head",
        lang.pick(
            "The seed head against the gaussian head",
            "seed ヘッドと gaussian ヘッドの比較",
        ),
        vec![text],
    ))
}

/// Every other setting the suite varies (β, the learning rate, the data
/// selection, …), compared pair by pair on the same measures, so that a new
/// suite gets its discussion without new code.
pub(super) fn other_settings(runs: &[RunFacts], figs: Figures<'_>, lang: Lang) -> Vec<Topic> {
    let configs: Vec<&vaelab_vae::RunConfig> = runs.iter().map(|r| &r.config).collect();
    factors(&configs)
        .into_iter()
        .filter(|f| !f.is_study())
        .filter_map(|f| {
            let p = pairs(runs, &f)?;
            let text = sentences(
                lang,
                &[
                    contrast(&p, test_ce(lang), lang),
                    contrast(&p, test_mse(lang), lang),
                    contrast(&p, test_kl(lang), lang),
                    knn_contrast(runs, &f, lang),
                ],
            ) + &curves_of_pairs(&f, figs, lang);
            let key = f.key();
            Some(topic(
                &format!("effect-of-{key}"),
                &tr!(lang, "The effect of {key}", "{key} の効果"),
                vec![text],
            ))
        })
        .collect()
}

fn knn_measure(lang: Lang) -> Measure<'static> {
    Measure::lower(lang.pick("kNN accuracy", "kNN 正解率"), knn)
        .higher()
        .percent()
        .only(informative)
}

/// The factor as a Japanese sentence names it ("differs only in the …").
fn factor_ja(factor: &Factor) -> String {
    match factor.key() {
        "activation" => "活性化関数".to_string(),
        "latent" => "潜在変数の次元".to_string(),
        "objective" => "再構成誤差の種類".to_string(),
        "head" => "μ/σ のヘッド".to_string(),
        key => format!("設定 `{key}`"),
    }
}

/// The kNN accuracy compared along `factor`, seed by seed, over the seeds
/// in which both runs have informative latent spaces: a collapsed run's kNN
/// is rounding noise, so its seed is left out of that pair (and a pair with
/// a side collapsed in every seed left out altogether), and the sentence
/// says so.
fn knn_contrast(runs: &[RunFacts], factor: &Factor, lang: Lang) -> String {
    let m = knn_measure(lang);
    let p = pairs(runs, factor);
    if let Some(p) = &p
        && (!m.decisions(p).is_empty() || p.left_out() == p.configs.len())
    {
        return contrast(p, m, lang);
    }
    // Nothing compared: count the collapsed runs of this factor's pairs
    // only, each once.
    let mut left: Vec<&str> = p
        .iter()
        .flat_map(|p| p.pairs.iter())
        .flat_map(|(x, y)| [*x, *y])
        .filter(|r| !informative(r))
        .map(|r| r.name.as_str())
        .collect();
    left.sort_unstable();
    left.dedup();
    let collapsed = left.len();
    // The sentence counts pairs of configurations; what is left out are
    // single seeds of them, so with several seeds they are called seeds.
    let seeds = runs
        .iter()
        .enumerate()
        .any(|(i, r)| runs[..i].iter().any(|q| q.configuration == r.configuration));
    let skipped = match (collapsed, seeds, lang) {
        (0, _, _) => String::new(),
        (1, false, Lang::En) => " (1 collapsed run left out)".to_string(),
        (1, true, Lang::En) => " (1 collapsed seed left out)".to_string(),
        (n, false, Lang::En) => format!(" ({n} collapsed runs left out)"),
        (n, true, Lang::En) => format!(" ({n} collapsed seeds left out)"),
        (n, false, Lang::Ja) => format!("（崩壊した実験 {n} 件は除外）"),
        (n, true, Lang::Ja) => format!("（崩壊したシード {n} 件は除外）"),
    };
    let (key, name) = (factor.key(), factor_ja(factor));
    let s = crate::pairs::space_after(&name);
    tr!(
        lang,
        "no pair of runs with informative latent spaces differs only in the {key}, so kNN \
         accuracy is not compared{skipped}",
        "{name}{s}だけが異なり、どちらの潜在空間も情報を持つ実験の組はないため、kNN \
         正解率は比較しない{skipped}"
    )
}

#[cfg(test)]
mod tests {
    use crate::facts::RunFacts;
    use crate::lang::Lang;
    use vaelab_vae::{Head, Objective};

    use super::super::super::pairs::tests::run;
    use super::super::tests::discuss;
    use super::super::tests::text;

    #[test]
    fn the_effect_of_d_follows_the_numbers() {
        let mut runs = vec![
            run("r2", "relu", 2, Objective::Ce),
            run("r20", "relu", 20, Objective::Ce),
        ];
        runs[1].metrics.train.ce = 60.0;
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.starts_with("d = 20 gives the lower training CE in 1 of 1 pair"),
            "{said}"
        );
        runs[1].metrics.train.ce = 160.0;
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.starts_with("d = 2 gives the lower training CE"),
            "{said}"
        );
    }

    #[test]
    fn memorising_is_claimed_only_when_the_test_images_gain_nothing() {
        // d = 20 fits the training images better and widens the gap.
        let mut runs = vec![
            run("r2", "relu", 2, Objective::Ce),
            run("r20", "relu", 20, Objective::Ce),
        ];
        runs[1].metrics.train.ce = 60.0;
        runs[0].metrics.test.mse = 0.05;
        runs[1].metrics.test.mse = 0.06;
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(said.contains("goes into memorising them"), "{said}");
        // The same, but d = 20 also reconstructs the test images better.
        runs[1].metrics.test.mse = 0.04;
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(!said.contains("goes into memorising"), "{said}");
        assert!(
            said.contains("yet d = 20 also gives the lower test MSE"),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "潜在変数の次元 d");
        assert!(ja.contains("すべてが暗記に使われるわけではない"), "{ja}");
    }

    #[test]
    fn sse_collapse_is_explained_by_the_size_of_its_term_only_when_true() {
        let mut runs = vec![
            run("ce", "relu", 2, Objective::Ce),
            run("sse", "relu", 2, Objective::Sse),
        ];
        runs[1].metrics.test.kl = 0.5;
        let said = text(&discuss(&runs, Lang::En), "CE against SSE");
        assert!(
            said.contains("The SSE reconstruction term is much smaller"),
            "{said}"
        );
        // SSE has no unit; each term is named with its own.
        assert!(
            said.contains(
                "(mean 10.00 vs 100.0 per image at the end of training; SSE, half a sum of \
                 squared pixel differences, has no unit and CE is in nats)"
            ),
            "{said}"
        );
        assert!(!said.contains("nats per image"), "{said}");
        let ja = text(&discuss(&runs, Lang::Ja), "CE と SSE");
        assert!(
            ja.contains("SSE は画素の差の二乗和の半分で、単位はない。CE の単位は nats である）"),
            "{ja}"
        );
        runs[1].metrics.test.kl = 50.0;
        let said = text(&discuss(&runs, Lang::En), "CE against SSE");
        assert!(!said.contains("much smaller"), "{said}");
    }

    /// `config` over `seeds` seeds (relu, d, objective, head).
    fn seeds(config: &str, d: usize, objective: Objective, head: Head, n: u64) -> Vec<RunFacts> {
        (0..n)
            .map(|seed| {
                let mut r = run(&format!("{config}-seed-{seed}"), "relu", d, objective);
                r.configuration = config.into();
                r.config.seed = seed;
                r.config.head = head;
                r
            })
            .collect()
    }

    #[test]
    fn informative_dimensions_are_averaged_over_the_runs_that_work() {
        // d = 2 uses 2 and 1 dimensions in seeds 0 and 1 and collapses in
        // seed 2 (0 by definition, not averaged in); d = 20 uses 5, 7, 6.
        let mut runs = seeds("r2", 2, Objective::Ce, Head::Seed, 3);
        runs.extend(seeds("r20", 20, Objective::Ce, Head::Seed, 3));
        crate::discussion::tests::collapse(&mut runs[2], 1e-5);
        for (r, k) in runs.iter_mut().zip([2, 1, 0, 5, 7, 6]) {
            r.metrics.latent_activity.active = k;
        }
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.contains(
                "Informative latent dimensions, over the runs that did not collapse: \
                 1.5 ± 0.7 of 2 (2 runs) with d = 2, 6.0 ± 1.0 of 20 (3 runs) with d = 20 \
                 (mean ± sd)."
            ),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "潜在変数の次元 d");
        assert!(
            ja.contains(
                "d = 2 では 2 次元中 1.5 ± 0.7（2 件）、d = 20 では 20 次元中 6.0 ± 1.0（3 件）"
            ),
            "{ja}"
        );
    }

    #[test]
    fn left_out_seeds_of_knn_are_those_of_the_pairs_compared() {
        // Two configurations along d, three seeds each; one seed of d = 2
        // collapses and is left out of its pair.
        let mut runs = seeds("r2", 2, Objective::Ce, Head::Seed, 3);
        runs.extend(seeds("r20", 20, Objective::Ce, Head::Seed, 3));
        crate::discussion::tests::collapse(&mut runs[1], 1e-5);
        for r in &mut runs[3..] {
            r.metrics.knn = vaelab_metrics::LatentFigure::Value(0.9);
        }
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.contains("`r20` over `r2` in 2/2 seeds, 1 seed with a collapsed run left out"),
            "{said}"
        );
        // An SSE configuration collapsed in every seed has no partner along
        // the head: the head's kNN sentence does not count its seeds.
        let mut runs = seeds("ce", 2, Objective::Ce, Head::Seed, 3);
        runs.extend(seeds("gauss", 2, Objective::Ce, Head::Gaussian, 3));
        runs.extend(seeds("sse", 2, Objective::Sse, Head::Seed, 3));
        for r in runs.iter_mut().filter(|r| r.configuration == "sse") {
            crate::discussion::tests::collapse(r, 1e-5);
        }
        let said = text(&discuss(&runs, Lang::En), "seed head against");
        assert!(
            said.contains("even on kNN accuracy (mean 70% vs 70%)"),
            "{said}"
        );
        assert!(!said.contains("collapsed seeds left out"), "{said}");
        let ja = text(&discuss(&runs, Lang::Ja), "seed ヘッドと");
        assert!(!ja.contains("崩壊したシード 3 件"), "{ja}");
    }

    #[test]
    fn log_likelihoods_of_few_effective_samples_carry_a_caveat() {
        let mut runs = seeds("ce", 2, Objective::Ce, Head::Seed, 3);
        runs.extend(seeds("gauss", 2, Objective::Ce, Head::Gaussian, 3));
        for r in &mut runs[3..] {
            r.metrics.test_log_likelihood = -100.0;
        }
        let said = text(&discuss(&runs, Lang::En), "seed head against");
        assert!(!said.contains("ESS"), "{said}");
        runs[4].metrics.test_log_likelihood_ess = 1.5;
        let said = text(&discuss(&runs, Lang::En), "seed head against");
        assert!(
            said.contains(
                "In 1 of the 6 runs compared the median ESS of the importance sampling is below \
                 10: a few weights decide their log-likelihood, so this comparison is uncertain."
            ),
            "{said}"
        );
        let ja = text(&discuss(&runs, Lang::Ja), "seed ヘッドと");
        assert!(
            ja.contains("6 件の実験のうち 1 件では重点サンプリングの ESS 中央値が 10 未満"),
            "{ja}"
        );
    }

    #[test]
    fn more_dimensions_are_not_generalised_from_some_pairs() {
        // Two pairs along d: d = 20 fits the training images better in
        // both, but widens the gap in one only (the other ties).
        let mut runs = seeds("ce2", 2, Objective::Ce, Head::Seed, 3);
        runs.extend(seeds("ce20", 20, Objective::Ce, Head::Seed, 3));
        runs.extend(seeds("g2", 2, Objective::Ce, Head::Gaussian, 3));
        runs.extend(seeds("g20", 20, Objective::Ce, Head::Gaussian, 3));
        for r in runs.iter_mut().filter(|r| r.config.latent == 20) {
            r.metrics.train.ce = 60.0;
            r.metrics.test.mse = 0.02;
            if r.configuration == "g20" {
                r.metrics.test.ce = 62.4;
            }
        }
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.contains("1 of 2 pairs of configurations, 1 tied"),
            "{said}"
        );
        assert!(!said.contains("More latent dimensions"), "{said}");
        // Both pairs widen the gap: the general sentence holds.
        for r in runs.iter_mut().filter(|r| r.configuration == "g20") {
            r.metrics.test.ce = 104.0;
        }
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(said.contains("More latent dimensions"), "{said}");
    }

    #[test]
    fn a_setting_outside_the_study_gets_its_own_topic() {
        let mut runs = vec![
            run("b1", "relu", 2, Objective::Ce),
            run("b2", "relu", 2, Objective::Ce),
        ];
        runs[1].config.beta = 2.0;
        runs[1].metrics.test.ce = 90.0;
        let said = text(&discuss(&runs, Lang::En), "The effect of beta");
        assert!(
            said.starts_with("`beta` = 2.0 gives the lower test CE in 1 of 1 pair"),
            "{said}"
        );
        runs[1].config.beta = 1.0;
        assert_eq!(text(&discuss(&runs, Lang::En), "The effect of beta"), "");
    }
}
