//! The runs against the mean-image baseline (a decoder that ignores z and
//! outputs the per-pixel mean of the training images): worse, or even with
//! it when the difference is within the seed-to-seed spread, the Monte-Carlo
//! noise of the loss or 1% — as a collapsed run, which outputs the mean
//! image itself, always is.

use super::latent::collapsed;
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

/// The margin within which a run's test loss `of` counts as even with the
/// mean image's: the larger of the seed-to-seed standard deviation of its
/// configuration (over `all`), twice the Monte-Carlo standard error of its
/// mean over the S noise draws, and the discussion's relative tie
/// ([`crate::pairs::TIE`]).
fn margin(r: &RunFacts, all: &[RunFacts], loss: Loss) -> f64 {
    let seeds: Vec<f64> = all
        .iter()
        .filter(|s| s.configuration == r.configuration)
        .map(|s| loss.of(&s.metrics.test))
        .collect();
    // One seed (or a non-finite loss) has no spread to speak of.
    let spread = vaelab_metrics::Spread::of(&seeds)
        .ok()
        .and_then(|s| s.sd)
        .unwrap_or(0.0);
    let draws = r.metrics.loss_draws.max(1) as f64;
    let noise = 2.0 * loss.of(&r.metrics.test_sd) / draws.sqrt();
    let relative = crate::pairs::TIE * loss.of_mean_image(r).abs();
    spread.max(noise).max(relative)
}

/// Run `r` against the mean image on test `loss`. A collapsed run
/// outputs the mean image itself, so it is even with it whatever the
/// rounding of its last digits.
fn against(r: &RunFacts, all: &[RunFacts], loss: Loss) -> Against {
    let (m, b) = (loss.of(&r.metrics.test), loss.of_mean_image(r));
    let within = (m - b).abs() <= margin(r, all, loss);
    if collapsed(r) || within {
        Against::Even
    } else if m > b {
        Against::Worse
    } else {
        Against::Better
    }
}

/// The runs of `runs` (one per configuration) that reconstruct the test
/// images worse than the mean image (a decoder that ignores z) on test CE
/// or test MSE, with the seeds of their configuration in `all` where that
/// holds, then those even with it; `None` when every run beats it or no
/// baseline was measured.
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
        let mut tied = Vec::new();
        for (loss, what, x, y) in [
            (Loss::Ce, "CE", num(m.ce), num(b.ce)),
            (Loss::Mse, "MSE", num(m.mse), num(b.mse)),
        ] {
            match against(r, all, loss) {
                Against::Worse => {
                    let k = seeds
                        .iter()
                        .filter(|s| against(s, all, loss) == Against::Worse)
                        .count();
                    let held = crate::configs::of_seeds_in(k, seeds.len(), lang);
                    on.push(tr!(
                        lang,
                        "test {what} {x} vs {y}, worse in {held}",
                        "テストデータの {what} {x} 対 {y}、{held}で悪い"
                    ));
                }
                Against::Even => tied.push(what),
                Against::Better => {}
            }
        }
        let name = &r.name;
        if !on.is_empty() {
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
             whatever the input): {worse}. On unseen images these runs do worse than a decoder \
             that ignores z.",
            "平均画像（入力にかかわらず出力する、学習画像の画素ごとの平均）の予測より悪い実験：\
             {worse}。未知の画像に対して、これらの実験は z を無視する復号化器より悪い。"
        ));
    }
    if !even.is_empty() {
        let even = even.join(lang.pick(", ", "、"));
        said.push(tr!(
            lang,
            "Even with the mean image: {even}. A collapsed run outputs the mean image itself, \
             and a difference within the seed-to-seed spread of the configuration, twice the \
             Monte-Carlo standard error of the noise draws or 1% is a tie, not a loss.",
            "平均画像と差なしの実験：{even}。崩壊した実験は平均画像そのものを出力する。また、\
             構成のシード間のばらつき、ノイズの抽出によるモンテカルロ標準誤差の 2 倍、または \
             1% の範囲内の差は、負けではなく差なし（引き分け）とする。"
        ));
    }
    (!said.is_empty()).then(|| said.join(lang.pick(" ", "")))
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use vaelab_vae::Objective;

    use super::super::super::pairs::tests::run;

    /// Five seeds of configuration `config` with test CE `ces` against a
    /// mean image of test CE 100 (and test MSE far above the runs').
    fn seeds(config: &str, ces: [f64; 5]) -> Vec<crate::facts::RunFacts> {
        ces.iter()
            .enumerate()
            .map(|(seed, &ce)| {
                let mut r = run(&format!("{config}-seed-{seed}"), "relu", 2, Objective::Ce);
                r.configuration = config.into();
                r.config.seed = seed as u64;
                r.metrics.test.ce = ce;
                r.metrics.mean_image.test.ce = 100.0;
                r.metrics.mean_image.test.mse = 1.0;
                r
            })
            .collect()
    }

    #[test]
    fn a_difference_within_the_spread_or_the_noise_is_even_with_the_mean_image() {
        let said = |runs: &[crate::facts::RunFacts]| {
            let reps: Vec<_> = runs
                .iter()
                .filter(|r| r.name.ends_with("seed-0"))
                .cloned()
                .collect();
            super::against_mean_image(&reps, runs, Lang::En).unwrap_or_default()
        };
        // Worse by 5 nats in every seed, the seeds 0.2 apart: worse.
        let tight = seeds("tight", [105.0, 105.2, 104.8, 105.1, 104.9]);
        let text = said(&tight);
        assert!(
            text.contains("`tight-seed-0` (test CE 105.0 vs 100.0, worse in 5/5 seeds)"),
            "{text}"
        );
        assert!(!text.contains("Even with"), "{text}");
        // Seed 0 worse by 1.5 (more than 1%), but the seeds spread by ~5:
        // even, not worse.
        let wide = seeds("wide", [101.5, 95.0, 108.0, 99.0, 104.0]);
        let text = said(&wide);
        assert!(!text.contains("Worse than"), "{text}");
        assert!(
            text.contains("Even with the mean image: `wide-seed-0` (test CE)"),
            "{text}"
        );
        // A collapsed run 0.005 nats above the mean image (it outputs the
        // mean image), its seeds identical: even.
        let mut flat = seeds("flat", [100.005; 5]);
        for r in &mut flat {
            r.metrics.test.kl = 1e-5;
            r.metrics.test.mse = 1.0;
        }
        let text = said(&flat);
        assert!(!text.contains("Worse than"), "{text}");
        assert!(text.contains("`flat-seed-0` (test CE and MSE)"), "{text}");
        // One seed, 2.5 nats worse: worse without noise, even when its 4
        // noise draws spread by 3 (standard error 1.5, margin 3).
        let mut noisy = seeds("noisy", [102.5; 5]);
        noisy.truncate(1);
        let text = said(&noisy);
        assert!(text.contains("worse in one seed"), "{text}");
        noisy[0].metrics.loss_draws = 4;
        noisy[0].metrics.test_sd.ce = 3.0;
        let text = said(&noisy);
        assert!(text.starts_with("Even with the mean image"), "{text}");
    }
}
