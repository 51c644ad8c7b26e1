//! The factors of the study compared pair by pair: the latent dimension,
//! CE against SSE, and the two heads.

use super::latent::{informative, knn};
use super::quality::gap;
use super::{INACTIVE_DIM_KL, Topic, capital, topic};
use crate::factors::{Factor, factors};
use crate::facts::RunFacts;
use crate::lang::Lang;
use crate::pairs::{Measure, b_wins, contrast, means, num, pairs};

/// The effect of the latent dimension.
pub(super) fn latent_dimension(runs: &[RunFacts], lang: Lang) -> Option<Topic> {
    let p = pairs(runs, &Factor::latent())?;
    let train_ce = Measure::lower("training CE", |r| r.metrics.train.ce);
    let gap_m = Measure::lower("train/test gap", gap).percent();
    let mut paragraphs = vec![format!(
        "{}. {}. {}.",
        capital(&contrast(&p, train_ce)),
        capital(&contrast(
            &p,
            Measure::lower("test CE", |r| r.metrics.test.ce)
        )),
        capital(&contrast(&p, gap_m)),
    )];
    let (ua, ub) = means(&p, |r| r.metrics.latent_activity.active as f64);
    let da = p.pairs[0].0.config.latent;
    let db = p.pairs[0].1.config.latent;
    paragraphs.push(format!(
        "On average {ua:.1} of the {da} latent dimensions are informative with {} and {ub:.1} \
         of the {db} with {}. {}.",
        p.a,
        p.b,
        capital(&knn_contrast(runs, &Factor::latent()))
    ));
    if b_wins(&p, train_ce) == Some(true) && b_wins(&p, gap_m) == Some(false) {
        paragraphs.push(format!(
            "More latent dimensions let the model describe each training image more \
             precisely, but with {} training images the extra capacity goes into memorising \
             them: the gap to the test set widens.",
            p.pairs[0].0.train_images
        ));
    }
    Some(topic(
        "effect-of-d",
        "The effect of the latent dimension d",
        paragraphs,
    ))
}

/// CE against SSE.
pub(super) fn objective(runs: &[RunFacts], lang: Lang) -> Option<Topic> {
    let p = pairs(runs, &Factor::objective())?;
    let kl = Measure::lower("test KL", |r| r.metrics.test.kl).floor(INACTIVE_DIM_KL);
    let mut text = format!(
        "{}. {}.",
        capital(&contrast(
            &p,
            Measure::lower("test MSE", |r| r.metrics.test.mse)
        )),
        capital(&contrast(&p, kl)),
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
        let (small, large, k_small, k_large, r_small, r_large) = if small_is_b {
            (&p.b, &p.a, kb, ka, rb, ra)
        } else {
            (&p.a, &p.b, ka, kb, ra, rb)
        };
        text.push_str(&format!(
            " The {small} reconstruction term is much smaller than the {large} one (mean {} vs \
             {} nats per image at the end of training), so the KL term weighs relatively more \
             and pulls the posterior further towards the prior (mean KL {} vs {}).",
            num(r_small),
            num(r_large),
            num(k_small),
            num(k_large)
        ));
    }
    Some(topic("ce-against-sse", "CE against SSE", vec![text]))
}

/// The seed head against the gaussian head.
pub(super) fn head(runs: &[RunFacts], lang: Lang) -> Option<Topic> {
    let p = pairs(runs, &Factor::head())?;
    let text = format!(
        "{}. {}. {}.",
        capital(&contrast(
            &p,
            Measure::lower("test log-likelihood", |r| r.metrics.test_log_likelihood).higher()
        )),
        capital(&contrast(
            &p,
            Measure::lower("test MSE", |r| r.metrics.test.mse)
        )),
        capital(&knn_contrast(runs, &Factor::head())),
    );
    Some(topic(
        "seed-against-gaussian-head",
        "The seed head against the gaussian head",
        vec![text],
    ))
}

/// Every other setting the suite varies (β, the learning rate, the data
/// selection, …), compared pair by pair on the same measures, so that a new
/// suite gets its discussion without new code.
pub(super) fn other_settings(runs: &[RunFacts], lang: Lang) -> Vec<Topic> {
    let configs: Vec<&vaelab_vae::RunConfig> = runs.iter().map(|r| &r.config).collect();
    factors(&configs)
        .into_iter()
        .filter(|f| !f.is_study())
        .filter_map(|f| {
            let p = pairs(runs, &f)?;
            let kl = Measure::lower("test KL", |r| r.metrics.test.kl).floor(INACTIVE_DIM_KL);
            let text = format!(
                "{}. {}. {}. {}.",
                capital(&contrast(
                    &p,
                    Measure::lower("test CE", |r| r.metrics.test.ce)
                )),
                capital(&contrast(
                    &p,
                    Measure::lower("test MSE", |r| r.metrics.test.mse)
                )),
                capital(&contrast(&p, kl)),
                capital(&knn_contrast(runs, &f)),
            );
            Some(topic(
                &format!("effect-of-{}", f.key()),
                &format!("The effect of {}", f.key()),
                vec![text],
            ))
        })
        .collect()
}

fn knn_measure() -> Measure<'static> {
    Measure::lower("kNN accuracy", knn)
        .higher()
        .percent()
        .only(informative)
}

/// The kNN accuracy compared along `factor`, seed by seed, over the seeds
/// in which both runs have informative latent spaces: a collapsed run's kNN
/// is rounding noise, so its seed is left out of that pair, and the
/// sentence says so.
fn knn_contrast(runs: &[RunFacts], factor: &Factor) -> String {
    let collapsed = runs.iter().filter(|r| !informative(r)).count();
    let skipped = match collapsed {
        0 => String::new(),
        1 => " (1 collapsed run left out)".to_string(),
        n => format!(" ({n} collapsed runs left out)"),
    };
    let said = pairs(runs, factor).map(|p| {
        let m = knn_measure();
        p.configs
            .iter()
            .any(|c| m.decide(c).is_some())
            .then(|| contrast(&p, m))
    });
    match said.flatten() {
        Some(text) => format!("{text}{skipped}"),
        None => format!(
            "no pair of runs with informative latent spaces differs only in the {}, so kNN \
             accuracy is not compared{skipped}",
            factor.key()
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;
    use super::super::discuss;
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
        runs[1].metrics.test.kl = 50.0;
        let said = text(&discuss(&runs, Lang::En), "CE against SSE");
        assert!(!said.contains("much smaller"), "{said}");
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
