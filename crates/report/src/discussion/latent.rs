//! The latent space: posterior collapse, and what the scatter and the grid
//! show.

use super::{
    ALIKE_SPREAD, COLLAPSE_KL, FLAT_GRID, INACTIVE_DIM_KL, NEAR_CHANCE_KNN, SEPARATED_KNN, Topic,
    sorted_by, topic,
};
use crate::factors;
use crate::facts::RunFacts;
use crate::lang::Lang;
use crate::pairs::{names, num, pct};

/// Whether a run's posterior has collapsed: KL ~0, μ independent of x, or
/// no informative latent dimension (`latent_activity`).
pub fn collapsed(r: &RunFacts) -> bool {
    r.metrics.test.kl < COLLAPSE_KL
        || r.metrics.active_units == 0
        || r.metrics.latent_activity.state == vaelab_metrics::LatentState::Collapsed
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
/// " Every Sigmoid run (6 of 6) is collapsed." / " All of them use d = 2."
pub(super) fn traits(subset: &[&RunFacts], runs: &[RunFacts], state: &str, lang: Lang) -> String {
    let mut said = Vec::new();
    let configs: Vec<&vaelab_vae::RunConfig> = runs.iter().map(|r| &r.config).collect();
    for factor in factors::factors(&configs) {
        let value = |r: &RunFacts| factor.spoken(&r.config);
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
                said.push(format!("all {} {state} runs have {v}", subset.len()));
            }
            if inside == with && with > 1 && inside < subset.len() {
                said.push(format!("every run with {v} ({with}) is among them"));
            }
        }
    }
    if said.is_empty() {
        String::new()
    } else {
        format!(" In this suite {}.", said.join("; "))
    }
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
    let said = |(name, k, n): &(&str, usize, usize)| match (k, n) {
        (0, 1) => format!("`{name}` does not collapse (one seed)"),
        (_, 1) => format!("`{name}` collapses (one seed)"),
        (0, n) => format!("`{name}` collapses in none of {n} seeds"),
        (k, n) => format!("`{name}` collapses in {}", crate::configs::of_seeds(*k, *n)),
    };
    let parts: Vec<String> = configs.iter().map(said).collect();
    format!("Per configuration: {}.", parts.join(", "))
}

/// Where KL collapses to ~0, and what the decoder then outputs.
pub(super) fn collapse(runs: &[RunFacts], lang: Lang) -> Topic {
    let gone: Vec<&RunFacts> = runs.iter().filter(|r| collapsed(r)).collect();
    let mut paragraphs = Vec::new();
    if gone.is_empty() {
        let smallest = sorted_by(runs, |r| r.metrics.test.kl)[0];
        paragraphs.push(format!(
            "No run's posterior has collapsed: every KL stays above {COLLAPSE_KL} nats per image \
             and every run has active latent units. The smallest test KL is `{}`'s, {} nats.",
            smallest.name,
            num(smallest.metrics.test.kl)
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
                .map(|r| format!("`{}` ({})", r.name, num(r.metrics.test.kl)))
                .collect();
            text.push_str(&format!(
                "The KL falls to ~0 (below {COLLAPSE_KL} nats per image) for {}: their posterior \
                 equals the prior, and z tells the decoder nothing about the input.",
                kls.join(", ")
            ));
        }
        if !offset.is_empty() {
            let kls: Vec<String> = offset
                .iter()
                .map(|r| {
                    format!(
                        "`{}` (KL {}, 0 of {} active)",
                        r.name,
                        num(r.metrics.test.kl),
                        r.config.latent
                    )
                })
                .collect();
            text.push_str(&format!(
                " The posterior of {} has collapsed too although its KL is not ~0: μ no longer \
                 varies with the input, so the remaining KL is a fixed offset from the prior \
                 that carries no information.",
                kls.join(", ")
            ));
        }
        text.push_str(&traits(&gone, runs, "collapsed", lang));
        paragraphs.push(text.trim_start().to_string());
        paragraphs.extend(super::ablation::sigmoid_collapse(&gone, lang));

        let alike: Vec<&RunFacts> = gone
            .iter()
            .copied()
            .filter(|r| r.output_spread < ALIKE_SPREAD)
            .collect();
        if !alike.is_empty() {
            let worst = alike.iter().map(|r| r.output_spread).fold(0.0, f64::max);
            paragraphs.push(format!(
                "With nothing to go on, the decoder of {} outputs one and the same image for \
                 every input: the constant image that minimises CE or SSE over the training set, \
                 which is its pixel-wise mean — a blurred average digit. Their test \
                 reconstructions vary from image to image by {} of what the inputs vary, so \
                 the reconstruction rows all look alike.",
                names(&alike, lang),
                if worst < 0.001 {
                    "less than 0.1%".to_string()
                } else {
                    format!("at most {}", pct(worst))
                }
            ));
        }
        let varied: Vec<&RunFacts> = gone
            .iter()
            .copied()
            .filter(|r| r.output_spread >= ALIKE_SPREAD)
            .collect();
        if !varied.is_empty() {
            paragraphs.push(format!(
                "The reconstructions of {} still vary ({} of the inputs' spread or more), so \
                 their decoders have not settled on a single mean image.",
                names(&varied, lang),
                pct(varied
                    .iter()
                    .map(|r| r.output_spread)
                    .fold(f64::INFINITY, f64::min))
            ));
        }
        paragraphs.push(
            "Their kNN accuracy is not reported and they are left out of every comparison of \
             latent spaces below: with μ practically constant, which neighbours are nearest is \
             decided by float rounding."
                .to_string(),
        );
    }
    let partial: Vec<String> = runs
        .iter()
        .filter(|r| !collapsed(r))
        .filter_map(|r| {
            let idle = r
                .metrics
                .kl_per_dim
                .iter()
                .filter(|&&k| k < INACTIVE_DIM_KL)
                .count();
            (idle > 0).then(|| {
                format!(
                    "`{}` ({idle} of {} dimensions below {INACTIVE_DIM_KL} nats, {} active units)",
                    r.name, r.config.latent, r.metrics.active_units
                )
            })
        })
        .collect();
    if !partial.is_empty() {
        paragraphs.push(format!(
            "Some dimensions collapse while others carry the information: {}. The KL term \
             switches off the dimensions the decoder does not need.",
            partial.join(", ")
        ));
    }
    topic("posterior-collapse", "Posterior collapse", paragraphs)
}

/// What the scatter and the grid show.
pub(super) fn latent_space(runs: &[RunFacts], lang: Lang) -> Topic {
    let kept: Vec<RunFacts> = runs.iter().filter(|r| informative(r)).cloned().collect();
    let text = if kept.is_empty() {
        "No run has an informative latent space (every one has collapsed), so no scatter plot \
         can show digits apart."
            .to_string()
    } else {
        knn_layout(&kept, runs.len() - kept.len(), lang)
    };
    let mut paragraphs = vec![text];

    let flat: Vec<&RunFacts> = runs.iter().filter(|r| r.grid_spread < FLAT_GRID).collect();
    let rest: Vec<&RunFacts> = runs.iter().filter(|r| r.grid_spread >= FLAT_GRID).collect();
    let mut text = String::from(
        "The latent grid decodes z on a regular grid; only where the codes of real images lie \
         does it show digits as the model learnt them, elsewhere the decoder extrapolates.",
    );
    if !flat.is_empty() {
        text.push_str(&format!(
            " For {} the grid shows practically one image everywhere: the decoder ignores z.",
            names(&flat, lang)
        ));
    }
    if !rest.is_empty() {
        let cover: Vec<String> = rest
            .iter()
            .map(|r| format!("`{}` {}", r.name, pct(coverage(r))))
            .collect();
        text.push_str(&format!(
            " The bounding box of μ covers this share of the grid: {}.",
            cover.join(", ")
        ));
        let seed_d2: Vec<&RunFacts> = rest
            .iter()
            .copied()
            .filter(|r| r.config.head == vaelab_vae::Head::Seed && r.config.latent == 2)
            .collect();
        if !seed_d2.is_empty() {
            let square = coverage_of((0.0, 1.0), (0.0, 1.0), seed_d2[0].grid_extent);
            text.push_str(&format!(
                " The seed head passes μ through a sigmoid, so for d = 2 its codes can only \
                 fill the unit square (0, 1)², {} of the grid: most of the grid of {} shows \
                 codes no image has.",
                pct(square),
                names(&seed_d2, lang)
            ));
        }
    }
    paragraphs.push(text);
    topic(
        "latent-space",
        "The latent space: scatter and grid",
        paragraphs,
    )
}

/// What the kNN accuracy says of the layout of `runs` (all informative);
/// `left_out` collapsed runs are named as skipped.
fn knn_layout(runs: &[RunFacts], left_out: usize, lang: Lang) -> String {
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
    let mut text = format!(
        "The latent means of the classification set separate the digits best for `{}`: a \
         nearest-neighbour classifier on μ (training images as reference) is right for {} of \
         them, against 10% by chance.",
        best.name,
        pct(knn(best))
    );
    if separated.is_empty() {
        text.push_str(&format!(
            " No run reaches {}, so no scatter plot shows cleanly separated clusters of digits.",
            pct(SEPARATED_KNN)
        ));
    } else {
        text.push_str(&format!(
            " With kNN accuracy of at least {}, {} show{} digits as distinct clusters in the \
             scatter plot: images of the same digit are encoded close together although no \
             label was used in training.",
            pct(SEPARATED_KNN),
            names(&separated, lang),
            if separated.len() == 1 { "s" } else { "" }
        ));
    }
    let between: Vec<String> = by_knn
        .iter()
        .filter(|r| (NEAR_CHANCE_KNN..SEPARATED_KNN).contains(&knn(r)))
        .map(|r| format!("`{}` {}", r.name, pct(knn(r))))
        .collect();
    if !between.is_empty() {
        text.push_str(&format!(
            " In between lie {}: their scatter plots show clusters for some digits that \
             overlap for others.",
            between.join(", ")
        ));
    }
    if !chance.is_empty() {
        text.push_str(&format!(
            " For {} the accuracy stays below {}: their codes mix the digits.",
            names(&chance, lang),
            pct(NEAR_CHANCE_KNN)
        ));
    }
    if left_out > 0 {
        text.push_str(&format!(
            " ({left_out} collapsed run{} left out.)",
            if left_out == 1 { "" } else { "s" }
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
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::discuss;
    use super::super::tests::text;
    use super::coverage;

    #[test]
    fn collapse_is_stated_for_the_collapsed_run_only() {
        let mut runs = vec![
            run("healthy", "relu", 2, Objective::Ce),
            run("flat", "relu", 2, Objective::Sse),
        ];
        runs[1].metrics.test.kl = 1.2e-5;
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
        runs[3].metrics.test.kl = 1e-6;
        runs[3].metrics.knn = vaelab_metrics::LatentFigure::Value(0.95);
        let said = text(&discuss(&runs, Lang::En), "latent dimension");
        assert!(
            said.contains("d = 2 gives the higher kNN accuracy in 1 of 1 pair"),
            "{said}"
        );
        assert!(said.contains("(1 collapsed run left out)"), "{said}");
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
        runs[0].metrics.test.kl = 0.01;
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
        runs[0].metrics.test.kl = 0.5;
        runs[0].metrics.active_units = 0;
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(
            said.contains("`offset` (KL 0.500, 0 of 2 active) has collapsed too"),
            "{said}"
        );
        assert!(!said.contains("`ok`"), "{said}");
    }

    #[test]
    fn what_the_collapsed_runs_share_is_said() {
        let mut runs = vec![
            run("s2", "sigmoid", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
            run("r2", "relu", 2, Objective::Ce),
        ];
        for r in &mut runs[..2] {
            r.metrics.test.kl = 1e-5;
        }
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(said.contains("all 2 collapsed runs have Sigmoid"), "{said}");
        runs[2].metrics.test.kl = 1e-5;
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(!said.contains("have Sigmoid"), "{said}");
        assert!(
            said.contains("every run with Sigmoid (2) is among them"),
            "{said}"
        );
    }

    #[test]
    fn partly_collapsed_dimensions_are_counted() {
        let mut runs = vec![run("wide", "relu", 20, Objective::Ce)];
        runs[0].metrics.kl_per_dim = (0..20).map(|j| if j < 3 { 3.0 } else { 0.001 }).collect();
        runs[0].metrics.active_units = 3;
        let said = text(&discuss(&runs, Lang::En), "collapse");
        assert!(said.contains("`wide` (17 of 20 dimensions"), "{said}");
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
                    r.metrics.test.kl = 1e-5;
                }
                runs.push(r);
            }
        }
        let said = text(
            &super::super::discuss(&runs, Lang::En),
            "Posterior collapse",
        );
        assert!(
            said.starts_with(
                "Per configuration: `relu-z2-ce` collapses in 2/5 seeds, `relu-z20-ce` collapses in none of 5 seeds."
            ),
            "{said}"
        );
        // Single runs are described by the first seed: seed 0 of relu-z2-ce.
        assert!(said.contains("`relu-z2-ce-seed-0`"), "{said}");
        assert!(!said.contains("`relu-z2-ce-seed-1`"), "{said}");
    }
}
