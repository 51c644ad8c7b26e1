//! The quality of the reconstructions: which settings reconstruct best,
//! input against output distributions, and overfitting.

use super::latent::traits;
use super::{ALIKE_SPREAD, OVERFIT_GAP, TEST_RISE, Topic, capital, sorted_by, topic};
use crate::factors::Factor;
use crate::facts::{BestIteration, RunFacts};
use crate::lang::Lang;
use crate::pairs::{Measure, contrast, names, num, pairs, pct};

/// `(test − train) / train` of the cross-entropy.
pub(super) fn gap(r: &RunFacts) -> f64 {
    (r.metrics.test.ce - r.metrics.train.ce) / r.metrics.train.ce.abs().max(1e-12)
}

/// Which settings reconstruct the test images best: single runs described
/// from `runs` (one per configuration), pairs compared over `all` seeds.
pub(super) fn reconstruction(runs: &[RunFacts], all: &[RunFacts], lang: Lang) -> Topic {
    let by_mse = sorted_by(runs, |r| r.metrics.test.mse);
    let (best, worst) = (by_mse[0], by_mse[by_mse.len() - 1]);
    let mut text = format!(
        "Judged by the test MSE, which every objective can be compared on, `{}` reconstructs \
         unseen images best (test MSE {}, test CE {})",
        best.name,
        num(best.metrics.test.mse),
        num(best.metrics.test.ce)
    );
    if runs.len() > 1 {
        text.push_str(&format!(
            " and `{}` worst (test MSE {}, test CE {})",
            worst.name,
            num(worst.metrics.test.mse),
            num(worst.metrics.test.ce)
        ));
    }
    text.push('.');
    let by_ce = sorted_by(runs, |r| r.metrics.test.ce);
    if by_ce[0].name != best.name {
        text.push_str(&format!(
            " By test cross-entropy the best is `{}` ({}).",
            by_ce[0].name,
            num(by_ce[0].metrics.test.ce)
        ));
    }
    let mut factors = Vec::new();
    for factor in [Factor::activation(), Factor::latent(), Factor::head()] {
        if let Some(p) = pairs(all, &factor) {
            let said = contrast(&p, Measure::lower("test MSE", |r| r.metrics.test.mse));
            factors.push(format!("{}.", capital(&said)));
        }
    }
    let mut paragraphs = vec![text];
    if let Some(worse) = worse_than_mean_image(runs) {
        paragraphs.push(worse);
    }
    if !factors.is_empty() {
        paragraphs.push(format!(
            "Pairing runs that differ in one setting only: {}",
            factors.join(" ")
        ));
    }
    topic(
        "reconstruction",
        "Which settings reconstruct best",
        paragraphs,
    )
}

/// The runs that reconstruct the test images worse than the mean image (a
/// decoder that ignores z), on test CE or test MSE; `None` when every run
/// beats it or no baseline was measured.
fn worse_than_mean_image(runs: &[RunFacts]) -> Option<String> {
    let worse: Vec<String> = runs
        .iter()
        .filter(|r| r.metrics.mean_image.test.ce > 0.0)
        .filter_map(|r| {
            let (m, b) = (&r.metrics.test, &r.metrics.mean_image.test);
            let mut on = Vec::new();
            if m.ce > b.ce {
                on.push(format!("test CE {} vs {}", num(m.ce), num(b.ce)));
            }
            if m.mse > b.mse {
                on.push(format!("test MSE {} vs {}", num(m.mse), num(b.mse)));
            }
            (!on.is_empty()).then(|| format!("`{}` ({})", r.name, on.join(", ")))
        })
        .collect();
    if worse.is_empty() {
        return None;
    }
    Some(format!(
        "Worse than predicting the mean image (the per-pixel mean of the training images, \
         whatever the input): {}. On unseen images these runs do worse than a decoder that \
         ignores z.",
        worse.join("; ")
    ))
}

/// Input against output pixel distributions.
pub(super) fn distributions(runs: &[RunFacts], lang: Lang) -> Topic {
    let input = runs.iter().map(|r| r.extreme_share.0).sum::<f64>() / runs.len() as f64;
    let by_overlap = sorted_by(runs, |r| r.histogram_overlap);
    let (low, high) = (by_overlap[0], by_overlap[by_overlap.len() - 1]);
    let blurred = runs
        .iter()
        .filter(|r| r.extreme_share.1 < r.extreme_share.0)
        .count();
    let mut text = format!(
        "At the histogram pixels, {} of the test inputs' values lie in the outermost bins \
         (near 0 or near 1): the strokes are nearly black and white.",
        pct(input)
    );
    text.push_str(&format!(
        " The reconstructions of {blurred} of {} runs have fewer values there than their \
         inputs: where an input is either ink or background, the decoder outputs an \
         intermediate grey, an average over the images that could have produced the code.",
        runs.len()
    ));
    text.push_str(&format!(
        " Input and output distributions agree most for `{}` (overlap {}) and least for `{}` \
         (overlap {}).",
        high.name,
        pct(high.histogram_overlap),
        low.name,
        pct(low.histogram_overlap)
    ));
    let alike: Vec<&RunFacts> = runs
        .iter()
        .filter(|r| r.output_spread < ALIKE_SPREAD)
        .collect();
    if !alike.is_empty() {
        text.push_str(&format!(
            " For {} every reconstruction histogram is a single spike: all images get almost \
             the same value at each pixel.",
            names(&alike, lang)
        ));
    }
    topic(
        "distributions",
        "Input and output distributions",
        vec![text],
    )
}

/// Where the train/test gap shows overfitting.
pub(super) fn overfitting(runs: &[RunFacts], lang: Lang) -> Topic {
    let mut over: Vec<&RunFacts> = runs.iter().filter(|r| gap(r) > OVERFIT_GAP).collect();
    over.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
    let mut paragraphs = Vec::new();
    if over.is_empty() {
        let widest = sorted_by(runs, |r| -gap(r))[0];
        paragraphs.push(format!(
            "No run shows a train/test gap in cross-entropy above {}: the widest is `{}`'s \
             ({} test vs {} train, {}).",
            pct(OVERFIT_GAP),
            widest.name,
            num(widest.metrics.test.ce),
            num(widest.metrics.train.ce),
            pct(gap(widest))
        ));
    } else {
        let listed: Vec<String> = over
            .iter()
            .map(|r| {
                format!(
                    "`{}` ({} test vs {} train, +{})",
                    r.name,
                    num(r.metrics.test.ce),
                    num(r.metrics.train.ce),
                    pct(gap(r))
                )
            })
            .collect();
        paragraphs.push(format!(
            "The test cross-entropy exceeds the training cross-entropy by more than {} in {} of \
             {} runs: {}. These models fit their few training images much better than unseen \
             ones.{}",
            pct(OVERFIT_GAP),
            over.len(),
            runs.len(),
            listed.join(", "),
            traits(&over, runs, "overfitting", lang)
        ));
    }
    paragraphs.push(early_stopping(runs));
    topic("overfitting", "Overfitting: train against test", paragraphs)
}

/// Whether stopping at the best iteration, chosen on the validation set
/// (never on the test set), would have given a lower test CE.
fn early_stopping(runs: &[RunFacts]) -> String {
    let with: Vec<(&RunFacts, BestIteration)> =
        runs.iter().filter_map(|r| r.best.map(|b| (r, b))).collect();
    if with.is_empty() {
        return "No run has a validation set (data.validation = 0), so no best iteration is \
                chosen; the test set is never used to choose one."
            .into();
    }
    let rising: Vec<String> = with
        .iter()
        .filter(|(r, b)| {
            b.iteration < r.last_iteration && b.last_test_ce > b.test_ce * (1.0 + TEST_RISE)
        })
        .map(|(r, b)| {
            format!(
                "`{}` (lowest validation CE {} at iteration {}, test CE {} there and {} at the end)",
                r.name,
                num(b.validation_ce),
                b.iteration,
                num(b.test_ce),
                num(b.last_test_ce)
            )
        })
        .collect();
    let chosen = "The best iteration of a run is where the CE of its validation set (images of \
                  the training file that it does not train on) is lowest; the test set is never \
                  used to choose it.";
    if rising.is_empty() {
        format!(
            "{chosen} For no run is the test CE at that iteration more than {} below the test \
             CE at the end, so stopping earlier would not have helped.",
            pct(TEST_RISE)
        )
    } else {
        format!(
            "{chosen} Stopping there would have given a test CE more than {} lower than at the \
             end for {}: training past that point memorises the training images at the expense \
             of unseen ones.",
            pct(TEST_RISE),
            rising.join(", ")
        )
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
                && said.contains("`bad` (test CE 120.0 vs 110.0)"),
            "{said}"
        );
        assert!(!said.contains("`good` ("), "{said}");
        runs[1].metrics.test.ce = 100.0;
        let said = text(&discuss(&runs, Lang::En), "reconstruct best");
        assert!(!said.contains("mean image"), "{said}");
    }

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
}
