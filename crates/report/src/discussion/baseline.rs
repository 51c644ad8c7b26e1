//! The runs against the mean-image baseline (a decoder that ignores z and
//! outputs the per-pixel mean of the training images). Each run is one
//! comparison with a fixed number: worse, better, or tied with it when the
//! difference is within the run's own uncertainty (the Monte-Carlo noise of
//! its loss) or 1% — as a collapsed run, which outputs the mean image
//! itself, always is. The configuration's seed-to-seed spread plays no part:
//! it says how much another seed would differ, not whether this one beats
//! the mean image.

use super::collapse::collapsed;
use crate::facts::RunFacts;
use crate::lang::Lang;
use crate::pairs::num;
use crate::tr;
use vaelab_vae::Losses;

/// How a run's test loss stands against the mean image's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Against {
    /// Lower than the mean image's by more than the margin.
    Better,
    /// Within the margin (see [`margin`]), or the run has collapsed.
    Even,
    /// Higher by more than the margin.
    Worse,
}

/// The test loss a run is compared with the mean image on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    Ce,
    Mse,
}

impl Loss {
    fn of(self, l: &Losses) -> f64 {
        match self {
            Loss::Ce => l.ce,
            Loss::Mse => l.mse,
        }
    }

    fn of_mean_image(self, r: &RunFacts) -> f64 {
        let b = &r.metrics.mean_image.test;
        match self {
            Loss::Ce => b.ce,
            Loss::Mse => b.mse,
        }
    }
}

/// The margin within which run `r`'s test `loss` counts as even with the
/// mean image's: the larger of twice the Monte-Carlo standard error of its
/// mean over the S noise draws (zero for S = 1) and the discussion's
/// relative tie ([`crate::pairs::TIE`]).
fn margin(r: &RunFacts, loss: Loss) -> f64 {
    let draws = r.metrics.loss_draws.max(1) as f64;
    let noise = 2.0 * loss.of(&r.metrics.test_sd) / draws.sqrt();
    let relative = crate::pairs::TIE * loss.of_mean_image(r).abs();
    noise.max(relative)
}

/// Run `r` against the mean image on test `loss`. A collapsed run
/// outputs the mean image itself, so it is even with it whatever the
/// rounding of its last digits.
fn against(r: &RunFacts, loss: Loss) -> Against {
    let (m, b) = (loss.of(&r.metrics.test), loss.of_mean_image(r));
    if collapsed(r) || (m - b).abs() <= margin(r, loss) {
        Against::Even
    } else if m > b {
        Against::Worse
    } else {
        Against::Better
    }
}

/// Whether run `r` beats the mean image on test CE by more than its tie
/// band: the verdict the key findings count, the same as this topic's.
pub fn beats_mean_image(r: &RunFacts) -> bool {
    against(r, Loss::Ce) == Against::Better
}

/// The runs of `runs` (one per configuration) whose configuration
/// reconstructs the test images worse than the mean image (a decoder that
/// ignores z) on test CE or test MSE in some seed of `all`, with the seeds
/// where that holds; then those of the rest that are tied with it; `None`
/// when no run is worse or tied, or no baseline was measured.
pub(super) fn against_mean_image(
    runs: &[RunFacts],
    all: &[RunFacts],
    lang: Lang,
) -> Option<String> {
    let measured = |r: &&RunFacts| r.metrics.mean_image.test.ce > 0.0;
    let mut worse = Vec::new();
    let mut even = Vec::new();
    for r in runs.iter().filter(measured) {
        let (m, b) = (&r.metrics.test, &r.metrics.mean_image.test);
        let seeds: Vec<&RunFacts> = all
            .iter()
            .filter(|s| s.configuration == r.configuration)
            .collect();
        let mut on = Vec::new();
        let mut beside = Vec::new();
        let mut tied = Vec::new();
        for (loss, what, x, y) in [
            (Loss::Ce, "CE", num(m.ce), num(b.ce)),
            // Four decimals: a 1% difference of an MSE near 0.07 shows.
            (
                Loss::Mse,
                "MSE",
                format!("{:.4}", m.mse),
                format!("{:.4}", b.mse),
            ),
        ] {
            let count = |side| seeds.iter().filter(|s| against(s, loss) == side).count();
            let (k, better) = (count(Against::Worse), count(Against::Better));
            let held = |k| crate::configs::of_seeds_in(k, seeds.len(), lang);
            if k > 0 {
                let worse_in = held(k);
                let mut part = tr!(
                    lang,
                    "test {what} {x} vs {y}, worse in {worse_in}",
                    "テストデータの {what} {x} 対 {y}、{worse_in}で悪い"
                );
                if better > 0 {
                    let better_in = held(better);
                    part += &tr!(lang, ", better in {better_in}", "、{better_in}で良い");
                }
                on.push(part);
            } else if better > 0 {
                // Said only beside a loss the run is worse on: a run worse
                // on CE can still beat the mean image on MSE.
                let better_in = held(better);
                beside.push(tr!(
                    lang,
                    "test {what} {x} vs {y}, better in {better_in}",
                    "テストデータの {what} {x} 対 {y}、{better_in}で良い"
                ));
            } else if against(r, loss) == Against::Even {
                tied.push(what);
            }
        }
        let name = &r.name;
        if !on.is_empty() {
            on.append(&mut beside);
            let on = on.join(lang.pick("; ", "；"));
            worse.push(tr!(lang, "`{name}` ({on})", "`{name}`（{on}）"));
        } else if !tied.is_empty() {
            let on = tied.join(lang.pick(" and ", "と"));
            even.push(tr!(
                lang,
                "`{name}` (test {on})",
                "`{name}`（テストデータの {on}）"
            ));
        }
    }
    let mut said = Vec::new();
    if !worse.is_empty() {
        let worse = worse.join(lang.pick(", ", "、"));
        said.push(tr!(
            lang,
            "Worse than predicting the mean image (the per-pixel mean of the training images, \
             whatever the input) on a test loss: {worse}. A run worse on a loss predicts unseen \
             images worse, by that loss, than a decoder that ignores z.",
            "テストデータの損失で平均画像（入力にかかわらず出力する、学習画像の画素ごとの平均）の\
             予測より悪い実験：{worse}。ある損失で悪い実験は、その損失で測ると、z を無視する\
             復号化器より未知の画像の予測が悪い。"
        ));
    }
    if !even.is_empty() {
        let even = even.join(lang.pick(", ", "、"));
        // The Monte-Carlo noise is a tie band only where a loss was
        // averaged over several noise draws.
        let drawn = all.iter().any(|r| r.metrics.loss_draws > 1);
        let (noise, noise_ja) = if drawn {
            (
                " or twice the Monte-Carlo standard error of its noise draws",
                "、またはノイズの抽出によるモンテカルロ標準誤差の 2 倍",
            )
        } else {
            ("", "")
        };
        said.push(tr!(
            lang,
            "Tied with the mean image: {even}. A collapsed run outputs the mean image itself; \
             any other run is tied when its test loss differs from the mean image's by less \
             than 1%{noise}.",
            "平均画像と差なしの実験：{even}。崩壊した実験は平均画像そのものを出力する。それ以外の\
             実験も、テストデータの損失と平均画像の損失との差が 1%{noise_ja} 未満なら差なしとする。"
        ));
    }
    (!said.is_empty()).then(|| said.join(lang.pick(" ", "")))
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;

    use super::super::super::pairs::tests::seeds_of;
    use super::super::tests::collapse;

    /// Five seeds of configuration `config` with test CE `ces` against a
    /// mean image of test CE 100 (and the runs' own test MSE: even on MSE).
    fn seeds(config: &str, ces: [f64; 5]) -> Vec<crate::facts::RunFacts> {
        let mut runs = seeds_of(config, "relu", &ces);
        for r in &mut runs {
            r.metrics.mean_image.test.ce = 100.0;
            r.metrics.mean_image.test.mse = r.metrics.test.mse;
        }
        runs
    }

    fn said(runs: &[crate::facts::RunFacts], lang: Lang) -> String {
        let reps: Vec<_> = runs
            .iter()
            .filter(|r| r.name.ends_with("seed-0"))
            .cloned()
            .collect();
        super::against_mean_image(&reps, runs, lang).unwrap_or_default()
    }

    #[test]
    fn each_seed_is_compared_with_the_mean_image_by_its_own_uncertainty() {
        // Worse by 5 nats in every seed, the seeds 0.2 apart: worse.
        let tight = seeds("tight", [105.0, 105.2, 104.8, 105.1, 104.9]);
        let text = said(&tight, Lang::En);
        assert!(
            text.contains("`tight-seed-0` (test CE 105.0 vs 100.0, worse in 5/5 seeds)"),
            "{text}"
        );
        assert!(!text.contains("Tied with"), "{text}");
        // The seeds spread by ~5, but each is one run against a fixed
        // number: the three more than 1% above it are worse, whatever the
        // spread of the others.
        let wide = seeds("wide", [101.5, 95.0, 108.0, 99.5, 104.0]);
        let text = said(&wide, Lang::En);
        assert!(
            text.contains(
                "`wide-seed-0` (test CE 101.5 vs 100.0, worse in 3/5 seeds, better in 1/5 seeds)"
            ),
            "{text}"
        );
        // A seed 0.7% better is a tie, not a win; the others are worse.
        let close = seeds("close", [112.0, 113.0, 99.3, 101.3, 109.0]);
        assert!(said(&close, Lang::En).contains("worse in 4/5 seeds"));
        assert!(!super::beats_mean_image(&close[2]));
        assert!(super::beats_mean_image(&wide[1]));
        // A collapsed run 0.005 nats above the mean image (it outputs the
        // mean image), its seeds identical: tied; S = 1, so no Monte-Carlo
        // error is spoken of.
        let mut flat = seeds("flat", [100.005; 5]);
        for r in &mut flat {
            collapse(r, 1e-5);
            r.metrics.test.mse = r.metrics.mean_image.test.mse * 1.001;
        }
        let text = said(&flat, Lang::En);
        assert!(!text.contains("Worse than"), "{text}");
        assert!(
            text.starts_with("Tied with the mean image: `flat-seed-0` (test CE and MSE)."),
            "{text}"
        );
        assert!(!text.contains("Monte-Carlo"), "{text}");
        let ja = said(&flat, Lang::Ja);
        assert!(ja.contains("差が 1% 未満なら差なし"), "{ja}");
        assert!(!ja.contains("モンテカルロ"), "{ja}");
        // One seed, 2.5 nats worse: worse without noise, tied when its 4
        // noise draws spread by 3 (standard error 1.5, margin 3).
        let mut noisy = seeds("noisy", [102.5; 5]);
        noisy.truncate(1);
        let text = said(&noisy, Lang::En);
        assert!(text.contains("worse in one seed"), "{text}");
        noisy[0].metrics.loss_draws = 4;
        noisy[0].metrics.test_sd.ce = 3.0;
        let text = said(&noisy, Lang::En);
        assert!(text.starts_with("Tied with the mean image"), "{text}");
        assert!(
            text.contains("twice the Monte-Carlo standard error"),
            "{text}"
        );
    }

    #[test]
    fn a_run_worse_on_test_ce_says_where_it_beats_the_mean_image() {
        // Worse on test CE in every seed, but 10% better on test MSE in
        // four seeds and even in one: both are said, and no sentence
        // claims the run worse on unseen images in general.
        let mut runs = seeds("split", [120.0; 5]);
        for (i, r) in runs.iter_mut().enumerate() {
            r.metrics.mean_image.test.mse = 0.05;
            r.metrics.test.mse = if i == 0 {
                0.045
            } else {
                0.045 + 0.005 * (i / 4) as f64
            };
        }
        let text = said(&runs, Lang::En);
        assert!(
            text.contains(
                "`split-seed-0` (test CE 120.0 vs 100.0, worse in 5/5 seeds; test MSE 0.0450 vs \
                 0.0500, better in 4/5 seeds)"
            ),
            "{text}"
        );
        assert!(text.contains("worse, by that loss,"), "{text}");
        assert!(!text.contains("On unseen images these runs"), "{text}");
        let ja = said(&runs, Lang::Ja);
        assert!(ja.contains("5 シード中 4 シードで良い"), "{ja}");
    }
}
