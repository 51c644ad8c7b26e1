//! The key findings at the top of the report: a handful of sentences
//! generated from the numbers, each saying how many seeds support it and
//! linking to the table, figure or discussion it rests on.
//!
//! Comparisons come from [`crate::pairs`] (configurations compared seed by
//! seed); per-configuration numbers from [`crate::configs::Aggregate`].

use crate::configs::{Aggregate, of_seeds};
use crate::discussion::{collapsed, informative};
use crate::factors::Factor;
use crate::facts::RunFacts;
use crate::lang::Lang;
use crate::pairs::{Measure, brief, num, pairs};

/// The findings, as Markdown sentences (at most eight).
pub fn findings(facts: &[RunFacts], aggregates: &[Aggregate], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if facts.is_empty() {
        return out;
    }
    out.extend(collapse(aggregates));
    let ce = Measure::lower("test CE", |r| r.metrics.test.ce);
    let mse = Measure::lower("test MSE", |r| r.metrics.test.mse);
    for (factor, m) in [
        (Factor::activation(), mse),
        (Factor::latent(), ce),
        (Factor::objective(), mse),
    ] {
        if let Some(text) = pairs(facts, &factor).and_then(|p| brief(&p, m)) {
            out.push(format!(
                "{} ([figure](#compare-{})).",
                capitalise(&text),
                factor.key()
            ));
        }
    }
    out.extend(baseline(facts, aggregates));
    out.extend(overfitting(facts, aggregates));
    out.extend(knn(facts, aggregates));
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
fn collapse(aggregates: &[Aggregate]) -> Option<String> {
    let ok: Vec<&Aggregate> = aggregates.iter().filter(|a| a.n > 0).collect();
    let always: Vec<String> = ok
        .iter()
        .filter(|a| a.collapsed == a.n)
        .map(|a| format!("`{}`", a.name))
        .collect();
    let some: Vec<String> = ok
        .iter()
        .filter(|a| a.collapsed > 0 && a.collapsed < a.n)
        .map(|a| format!("`{}` ({})", a.name, of_seeds(a.collapsed, a.n)))
        .collect();
    let never = ok.iter().filter(|a| a.collapsed == 0).count();
    if always.is_empty() && some.is_empty() {
        return Some(format!(
            "No configuration's posterior collapses in any seed ({} configurations; \
             [results](#final-metrics)).",
            ok.len()
        ));
    }
    let several = ok.iter().any(|a| a.n > 1);
    let mut text = if always.is_empty() {
        String::from("No configuration collapses in every seed")
    } else if several {
        format!(
            "{} of {} configurations collapse in every seed: {}",
            always.len(),
            ok.len(),
            always.join(", ")
        )
    } else {
        format!(
            "{} of {} configurations collapse (one seed each): {}",
            always.len(),
            ok.len(),
            always.join(", ")
        )
    };
    if !some.is_empty() {
        text.push_str(&format!("; in some seeds only: {}", some.join(", ")));
    }
    text.push_str(&format!(
        "; {never} never collapse ([results](#final-metrics), [discussion](#discussion))."
    ));
    Some(text)
}

/// The configurations that beat the mean image on test CE in every seed,
/// and those worse than it in every seed.
fn baseline(facts: &[RunFacts], aggregates: &[Aggregate]) -> Option<String> {
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
            let beat = working
                .iter()
                .filter(|f| f.metrics.test.ce < f.metrics.mean_image.test.ce)
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
            format!(" ({})", of_seeds(k, w))
        } else {
            format!(" ({k}/{w} working seeds)")
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
                (false, 1) => " (its one working seed)".to_string(),
                (false, w) => format!(" (all {w} working seeds)"),
            };
            format!("`{}`{seeds}", a.name)
        })
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let each = if one_seed { " (one seed each)" } else { "" };
    Some(format!(
        "Against the mean image, a decoder that ignores its input (test CE {}), working \
         (non-collapsed) runs{each} beat it on test CE for: {}; they never do for: {} \
         ([results](#final-metrics)).",
        num(base),
        list(&beat),
        list(&worse)
    ))
}

/// The widest train/test gap of CE among configurations that work in some
/// seed (a collapsed run's gap is the mean image's, not overfitting).
fn overfitting(facts: &[RunFacts], aggregates: &[Aggregate]) -> Option<String> {
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
    let (train, test) = (a.get("train_ce")?, a.get("test_ce")?);
    Some(format!(
        "`{}` overfits most: training CE {} against test CE {} (test above training in {}; \
         [learning curves](#curves-ce)).",
        a.name,
        spread(train),
        spread(test),
        of_seeds(seeds, a.n)
    ))
}

/// The configuration whose latent space separates the digits best.
fn knn(facts: &[RunFacts], aggregates: &[Aggregate]) -> Option<String> {
    let best = aggregates
        .iter()
        .filter_map(|a| a.get("knn").map(|s| (a, s)))
        .max_by(|x, y| x.1.mean.total_cmp(&y.1.mean))?;
    let (a, s) = best;
    let kept = facts
        .iter()
        .filter(|f| f.configuration == a.name && informative(f))
        .count();
    Some(format!(
        "`{}` separates the digits best in its latent space: kNN accuracy {} over {} \
         (collapsed seeds left out; chance is 0.1; [scatter plots](#scatter)).",
        a.name,
        spread(s),
        if a.n == 1 {
            "one seed".to_string()
        } else {
            format!("{kept} of {} seeds", a.n)
        }
    ))
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
                    r.metrics.test.kl = 1e-5;
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

    #[test]
    fn findings_state_their_support_across_seeds_and_link() {
        let (facts, aggregates) = study(5, 2);
        let found = findings(&facts, &aggregates, Lang::En);
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
    fn one_seed_reads_without_counts_of_seeds() {
        let (facts, aggregates) = study(1, 0);
        let all = findings(&facts, &aggregates, Lang::En).join("\n");
        assert!(all.contains("(one seed each)"), "{all}");
        assert!(!all.contains("/1 seeds") && !all.contains(" ± "), "{all}");
        assert!(
            all.contains(
                "runs (one seed each) beat it on test CE for: `relu`; they never do for: none"
            ),
            "{all}"
        );
    }
}
