//! The final metrics of a run as columns: the one table that
//! `data/metrics.csv`, the report's metrics and comparison tables, and the
//! `metrics` object of `summary.json` (checked by a test) all follow. A new
//! metric is one entry in [`COLUMNS`].

use crate::facts::RunFacts;
use crate::lang::Lang;
use crate::pairs::num;
use crate::tr;

/// One final metric of a run.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its header in `data/metrics.csv`.
    pub key: &'static str,
    /// Where `summary.json` holds it, under a run's `metrics` (`.` between
    /// nested keys).
    pub summary: &'static str,
    /// Its heading in the English edition's tables.
    pub title: &'static str,
    /// Its heading in the Japanese edition's tables.
    pub title_ja: &'static str,
    /// Its value in a run.
    pub value: fn(&RunFacts) -> f64,
    /// How the report's tables write it, in a language (the numbers are
    /// the same in both).
    pub show: fn(&RunFacts, Lang) -> String,
}

impl Column {
    /// Its heading in the tables of `lang`'s edition.
    pub fn title_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.title, self.title_ja)
    }
}

/// Every final metric, in the order of `data/metrics.csv`.
pub const COLUMNS: [Column; 40] = [
    Column {
        key: "train_ce",
        summary: "train.ce",
        title: "train CE",
        title_ja: "学習 CE",
        value: |f| f.metrics.train.ce,
        show: |f, _| format!("{:.2}", f.metrics.train.ce),
    },
    Column {
        key: "train_sse",
        summary: "train.sse",
        title: "train SSE",
        title_ja: "学習 SSE",
        value: |f| f.metrics.train.sse,
        show: |f, _| format!("{:.2}", f.metrics.train.sse),
    },
    Column {
        key: "train_mse",
        summary: "train.mse",
        title: "train MSE",
        title_ja: "学習 MSE",
        value: |f| f.metrics.train.mse,
        show: |f, _| format!("{:.4}", f.metrics.train.mse),
    },
    Column {
        key: "train_kl",
        summary: "train.kl",
        title: "train KL",
        title_ja: "学習 KL",
        value: |f| f.metrics.train.kl,
        show: |f, _| num(f.metrics.train.kl),
    },
    Column {
        key: "test_ce",
        summary: "test.ce",
        title: "test CE (sd over S draws)",
        title_ja: "テスト CE（S 回の抽出での sd）",
        value: |f| f.metrics.test.ce,
        show: |f, _| {
            sampled(
                f.metrics.test.ce,
                f.metrics.test_sd.ce,
                f.metrics.loss_draws,
            )
        },
    },
    Column {
        key: "test_sse",
        summary: "test.sse",
        title: "test SSE",
        title_ja: "テスト SSE",
        value: |f| f.metrics.test.sse,
        show: |f, _| format!("{:.2}", f.metrics.test.sse),
    },
    Column {
        key: "test_mse",
        summary: "test.mse",
        title: "test MSE",
        title_ja: "テスト MSE",
        value: |f| f.metrics.test.mse,
        show: |f, _| format!("{:.4}", f.metrics.test.mse),
    },
    Column {
        key: "test_kl",
        summary: "test.kl",
        title: "test KL",
        title_ja: "テスト KL",
        value: |f| f.metrics.test.kl,
        show: |f, _| num(f.metrics.test.kl),
    },
    Column {
        key: "test_log_likelihood",
        summary: "test_log_likelihood",
        title: "test log-lik. ± s.e.",
        title_ja: "テスト対数尤度 ± 標準誤差",
        value: |f| f.metrics.test_log_likelihood,
        show: |f, lang| {
            let shown = log_likelihood(
                f.metrics.test_log_likelihood,
                f.metrics.test_log_likelihood_se,
                f.metrics.log_likelihood_samples,
            );
            // Few effective samples: the estimate rests on a few weights.
            let ess = f.metrics.test_log_likelihood_ess;
            if f.metrics.log_likelihood_samples > 1 && ess < vaelab_vae::likelihood::LOW_ESS {
                let note = tr!(lang, ", median ESS {ess:.1})", ", ESS 中央値 {ess:.1})");
                shown.replacen(')', &note, 1)
            } else {
                shown
            }
        },
    },
    Column {
        key: "knn_accuracy",
        summary: "knn_accuracy",
        title: "kNN acc.",
        title_ja: "kNN 正解率",
        value: |f| f.metrics.knn_accuracy,
        show: |f, _| format!("{:.3}", f.metrics.knn_accuracy),
    },
    Column {
        key: "active_units",
        summary: "active_units",
        title: "active",
        title_ja: "活性ユニット",
        value: |f| f.metrics.active_units as f64,
        show: |f, _| format!("{}/{}", f.metrics.active_units, f.config.latent),
    },
    // The uncertainty of the sampled losses: their spread over the
    // `loss_draws` noise draws, and the deterministic losses at z = μ.
    Column {
        key: "train_sd_ce",
        summary: "train_sd.ce",
        title: "sd of train CE",
        title_ja: "学習 CE の sd",
        value: |f| f.metrics.train_sd.ce,
        show: |f, _| format!("{:.2}", f.metrics.train_sd.ce),
    },
    Column {
        key: "train_sd_sse",
        summary: "train_sd.sse",
        title: "sd of train SSE",
        title_ja: "学習 SSE の sd",
        value: |f| f.metrics.train_sd.sse,
        show: |f, _| format!("{:.2}", f.metrics.train_sd.sse),
    },
    Column {
        key: "train_sd_mse",
        summary: "train_sd.mse",
        title: "sd of train MSE",
        title_ja: "学習 MSE の sd",
        value: |f| f.metrics.train_sd.mse,
        show: |f, _| format!("{:.4}", f.metrics.train_sd.mse),
    },
    Column {
        key: "train_sd_kl",
        summary: "train_sd.kl",
        title: "sd of train KL",
        title_ja: "学習 KL の sd",
        value: |f| f.metrics.train_sd.kl,
        show: |f, _| num(f.metrics.train_sd.kl),
    },
    Column {
        key: "test_sd_ce",
        summary: "test_sd.ce",
        title: "sd of test CE",
        title_ja: "テスト CE の sd",
        value: |f| f.metrics.test_sd.ce,
        show: |f, _| format!("{:.2}", f.metrics.test_sd.ce),
    },
    Column {
        key: "test_sd_sse",
        summary: "test_sd.sse",
        title: "sd of test SSE",
        title_ja: "テスト SSE の sd",
        value: |f| f.metrics.test_sd.sse,
        show: |f, _| format!("{:.2}", f.metrics.test_sd.sse),
    },
    Column {
        key: "test_sd_mse",
        summary: "test_sd.mse",
        title: "sd of test MSE",
        title_ja: "テスト MSE の sd",
        value: |f| f.metrics.test_sd.mse,
        show: |f, _| format!("{:.4}", f.metrics.test_sd.mse),
    },
    Column {
        key: "test_sd_kl",
        summary: "test_sd.kl",
        title: "sd of test KL",
        title_ja: "テスト KL の sd",
        value: |f| f.metrics.test_sd.kl,
        show: |f, _| num(f.metrics.test_sd.kl),
    },
    Column {
        key: "train_at_mean_ce",
        summary: "train_at_mean.ce",
        title: "train at z = μ: CE",
        title_ja: "学習（z = μ）CE",
        value: |f| f.metrics.train_at_mean.ce,
        show: |f, _| format!("{:.2}", f.metrics.train_at_mean.ce),
    },
    Column {
        key: "train_at_mean_sse",
        summary: "train_at_mean.sse",
        title: "train at z = μ: SSE",
        title_ja: "学習（z = μ）SSE",
        value: |f| f.metrics.train_at_mean.sse,
        show: |f, _| format!("{:.2}", f.metrics.train_at_mean.sse),
    },
    Column {
        key: "train_at_mean_mse",
        summary: "train_at_mean.mse",
        title: "train at z = μ: MSE",
        title_ja: "学習（z = μ）MSE",
        value: |f| f.metrics.train_at_mean.mse,
        show: |f, _| format!("{:.4}", f.metrics.train_at_mean.mse),
    },
    Column {
        key: "train_at_mean_kl",
        summary: "train_at_mean.kl",
        title: "train at z = μ: KL",
        title_ja: "学習（z = μ）KL",
        value: |f| f.metrics.train_at_mean.kl,
        show: |f, _| num(f.metrics.train_at_mean.kl),
    },
    Column {
        key: "test_at_mean_ce",
        summary: "test_at_mean.ce",
        title: "test at z = μ: CE",
        title_ja: "テスト（z = μ）CE",
        value: |f| f.metrics.test_at_mean.ce,
        show: |f, _| format!("{:.2}", f.metrics.test_at_mean.ce),
    },
    Column {
        key: "test_at_mean_sse",
        summary: "test_at_mean.sse",
        title: "test at z = μ: SSE",
        title_ja: "テスト（z = μ）SSE",
        value: |f| f.metrics.test_at_mean.sse,
        show: |f, _| format!("{:.2}", f.metrics.test_at_mean.sse),
    },
    Column {
        key: "test_at_mean_mse",
        summary: "test_at_mean.mse",
        title: "test at z = μ: MSE",
        title_ja: "テスト（z = μ）MSE",
        value: |f| f.metrics.test_at_mean.mse,
        show: |f, _| format!("{:.4}", f.metrics.test_at_mean.mse),
    },
    Column {
        key: "test_at_mean_kl",
        summary: "test_at_mean.kl",
        title: "test at z = μ: KL",
        title_ja: "テスト（z = μ）KL",
        value: |f| f.metrics.test_at_mean.kl,
        show: |f, _| num(f.metrics.test_at_mean.kl),
    },
    Column {
        key: "loss_draws",
        summary: "loss_draws",
        title: "draws",
        title_ja: "抽出回数",
        value: |f| f.metrics.loss_draws as f64,
        show: |f, _| f.metrics.loss_draws.to_string(),
    },
    // Undefined (NaN in the CSV, "–" in tables) for a single sample (K = 1).
    Column {
        key: "test_log_likelihood_se",
        summary: "test_log_likelihood_se",
        title: "log-lik. s.e.",
        title_ja: "対数尤度の標準誤差",
        value: |f| f.metrics.test_log_likelihood_se.unwrap_or(f64::NAN),
        show: |f, _| match f.metrics.test_log_likelihood_se {
            Some(se) => format!("{se:.2}"),
            None => "–".into(),
        },
    },
    // Median effective sample size of the importance weights; below
    // `LOW_ESS` a few weights decide the estimate, and the table says so.
    Column {
        key: "test_log_likelihood_ess",
        summary: "test_log_likelihood_ess",
        title: "log-lik. median ESS",
        title_ja: "対数尤度の ESS 中央値",
        value: |f| f.metrics.test_log_likelihood_ess,
        show: |f, lang| {
            let ess = f.metrics.test_log_likelihood_ess;
            if f.metrics.log_likelihood_samples > 1 && ess < vaelab_vae::likelihood::LOW_ESS {
                tr!(lang, "{ess:.1} (few)", "{ess:.1}（少ない）")
            } else {
                format!("{ess:.1}")
            }
        },
    },
    Column {
        key: "mean_image_train_ce",
        summary: "mean_image.train.ce",
        title: "mean image train CE",
        title_ja: "平均画像の学習 CE",
        value: |f| f.metrics.mean_image.train.ce,
        show: |f, _| format!("{:.2}", f.metrics.mean_image.train.ce),
    },
    Column {
        key: "mean_image_train_sse",
        summary: "mean_image.train.sse",
        title: "mean image train SSE",
        title_ja: "平均画像の学習 SSE",
        value: |f| f.metrics.mean_image.train.sse,
        show: |f, _| format!("{:.2}", f.metrics.mean_image.train.sse),
    },
    Column {
        key: "mean_image_train_mse",
        summary: "mean_image.train.mse",
        title: "mean image train MSE",
        title_ja: "平均画像の学習 MSE",
        value: |f| f.metrics.mean_image.train.mse,
        show: |f, _| format!("{:.4}", f.metrics.mean_image.train.mse),
    },
    Column {
        key: "mean_image_train_log_likelihood",
        summary: "mean_image.train.log_likelihood",
        title: "mean image train log-lik.",
        title_ja: "平均画像の学習対数尤度",
        value: |f| f.metrics.mean_image.train.log_likelihood,
        show: |f, _| format!("{:.2}", f.metrics.mean_image.train.log_likelihood),
    },
    Column {
        key: "mean_image_test_ce",
        summary: "mean_image.test.ce",
        title: "mean image test CE",
        title_ja: "平均画像のテスト CE",
        value: |f| f.metrics.mean_image.test.ce,
        show: |f, _| format!("{:.2}", f.metrics.mean_image.test.ce),
    },
    Column {
        key: "mean_image_test_sse",
        summary: "mean_image.test.sse",
        title: "mean image test SSE",
        title_ja: "平均画像のテスト SSE",
        value: |f| f.metrics.mean_image.test.sse,
        show: |f, _| format!("{:.2}", f.metrics.mean_image.test.sse),
    },
    Column {
        key: "mean_image_test_mse",
        summary: "mean_image.test.mse",
        title: "mean image test MSE",
        title_ja: "平均画像のテスト MSE",
        value: |f| f.metrics.mean_image.test.mse,
        show: |f, _| format!("{:.4}", f.metrics.mean_image.test.mse),
    },
    Column {
        key: "mean_image_test_log_likelihood",
        summary: "mean_image.test.log_likelihood",
        title: "mean image test log-lik.",
        title_ja: "平均画像のテスト対数尤度",
        value: |f| f.metrics.mean_image.test.log_likelihood,
        show: |f, _| format!("{:.2}", f.metrics.mean_image.test.log_likelihood),
    },
    // Latent dimensions that carry information about the image (KL from the
    // aggregate posterior above its threshold): the one criterion of collapse.
    Column {
        key: "latent_active",
        summary: "latent_activity.active",
        title: "informative dims",
        title_ja: "情報を持つ次元",
        value: |f| f.metrics.latent_activity.active as f64,
        show: |f, _| {
            format!(
                "{}/{}",
                f.metrics.latent_activity.active, f.metrics.latent_activity.dims
            )
        },
    },
    // The kNN accuracy where the latent space is not collapsed (NaN in the
    // CSV, "–" in tables otherwise).
    Column {
        key: "knn",
        summary: "knn.value",
        title: "kNN (informative)",
        title_ja: "kNN 正解率（崩壊なし）",
        value: |f| f.metrics.knn.value().unwrap_or(f64::NAN),
        show: |f, _| match f.metrics.knn.value() {
            Some(v) => format!("{v:.3}"),
            None => "–".into(),
        },
    },
];

/// The columns of the final metrics table (section 3.1), in its order.
pub const FINAL_TABLE: [&str; 11] = [
    "train_ce",
    "test_ce",
    "test_at_mean_ce",
    "test_sse",
    "train_mse",
    "test_mse",
    "train_kl",
    "test_kl",
    "test_log_likelihood",
    "knn",
    "latent_active",
];

/// The columns of each comparison's table (section 3.2), in its order.
pub const COMPARISON_TABLE: [&str; 7] = [
    "train_ce",
    "test_ce",
    "test_at_mean_ce",
    "test_mse",
    "test_kl",
    "knn",
    "latent_active",
];

/// The decimals that print `error` to one significant digit, or two when
/// that digit would be 1 or 2 (so that 0.4 and 2.5 both keep their
/// precision): the digits of a value should not claim more than its error.
pub fn decimals_for(error: f64) -> usize {
    if !error.is_finite() || error <= 0.0 {
        return 2;
    }
    let exponent = error.log10().floor();
    let leading = error / 10f64.powf(exponent);
    let extra = if leading < 3.0 { 1.0 } else { 0.0 };
    (extra - exponent).clamp(0.0, 6.0) as usize
}

/// `value ± error`, both with the digits the error supports.
pub fn plus_minus(value: f64, error: f64) -> String {
    let d = decimals_for(error);
    format!("{value:.d$} ± {error:.d$}")
}

/// A value over seeds: "104 ± 13" with the digits the sd supports; a mean
/// alone for one seed; a spread too small for any printed digit as "± 0".
pub fn spread_text(s: vaelab_metrics::Spread) -> String {
    match s.sd {
        None => crate::pairs::num(s.mean),
        Some(sd) if sd <= 1e-9 * s.mean.abs().max(1.0) => {
            format!("{} ± 0", crate::pairs::num(s.mean))
        }
        Some(sd) if s.mean.abs() < 0.01 && sd < 0.01 && s.mean != 0.0 => {
            format!("{:.1e} ± {sd:.0e}", s.mean)
        }
        Some(sd) if sd < 1e-6 * s.mean.abs().max(1.0) => format!("{:.4} ± {sd:.0e}", s.mean),
        Some(sd) => plus_minus(s.mean, sd),
    }
}

/// A loss averaged over `draws` noise draws: with its sd over them when
/// there is more than one ("226.4 (sd 2.5)"), else as it is.
pub fn sampled(value: f64, sd: f64, draws: usize) -> String {
    if draws > 1 && sd > 0.0 {
        let d = decimals_for(sd);
        format!("{value:.d$} (sd {sd:.d$})")
    } else {
        format!("{value:.2}")
    }
}

/// The log-likelihood with its standard error and K: "-189.3 ± 0.4 (K = 1000)".
pub fn log_likelihood(value: f64, se: Option<f64>, samples: usize) -> String {
    match se {
        Some(se) if se > 0.0 => format!("{} (K = {samples})", plus_minus(value, se)),
        _ => format!("{value:.2} (K = {samples})"),
    }
}

/// A column's heading in a table whose cells are `show`n by runs
/// (`over_seeds` false: appendix E, a one-seed results table) or are means ±
/// sd over seeds (`over_seeds` true). A heading promises only the
/// uncertainty its cells show: over seeds the ± is the seed-to-seed sd for
/// every column, so no per-run error (the log-likelihood's s.e., the sd over
/// noise draws) is named; by runs the sd over draws is named only when
/// there was more than one draw (`draws`, the most any run made).
pub fn table_title(col: &Column, over_seeds: bool, draws: usize, lang: Lang) -> String {
    match col.key {
        "test_log_likelihood" if over_seeds => tr!(lang, "test log-lik.", "テスト対数尤度"),
        "test_ce" if over_seeds || draws <= 1 => tr!(lang, "test CE", "テスト CE"),
        _ => col.title_in(lang).to_string(),
    }
}

/// The median over seeds of the runs' median effective sample sizes
/// (`(ess, K)` of each run with K > 1), as a note for the log-likelihood
/// cell when it is below [`vaelab_vae::likelihood::LOW_ESS`]: a few
/// importance weights decide those estimates.
pub fn few_effective_note(runs: &[(f64, usize)], lang: Lang) -> Option<String> {
    let mut ess: Vec<f64> = runs
        .iter()
        .filter(|(_, k)| *k > 1)
        .map(|(e, _)| *e)
        .collect();
    if ess.is_empty() {
        return None;
    }
    ess.sort_by(f64::total_cmp);
    let n = ess.len();
    let median = if n % 2 == 1 {
        ess[n / 2]
    } else {
        0.5 * (ess[n / 2 - 1] + ess[n / 2])
    };
    (median < vaelab_vae::likelihood::LOW_ESS).then(|| {
        tr!(
            lang,
            " (median ESS {median:.1})",
            "（ESS 中央値 {median:.1}）"
        )
    })
}

/// The columns named by `keys`, in that order.
pub fn select(keys: &[&str]) -> Vec<Column> {
    keys.iter()
        .filter_map(|k| COLUMNS.iter().find(|c| c.key == *k).copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use vaelab_metrics::{LatentActivity, LatentFigure};
    use vaelab_vae::{BaselineLosses, FinalMetrics, Losses, MeanImageBaseline, Objective};

    use super::*;
    use crate::pairs::tests::run;

    fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
        path.split('.').try_fold(value, |v, key| v.get(key))
    }

    /// The numbers `summary.json` writes, leaf by leaf (vectors and the
    /// sample count are settings of the estimate, not columns).
    fn numeric_leaves(prefix: &str, value: &Value, out: &mut Vec<String>) {
        if let Value::Object(map) = value {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                numeric_leaves(&path, inner, out);
            }
        } else if value.is_number() {
            out.push(prefix.to_string());
        }
    }

    #[test]
    fn summary_json_holds_every_column_and_nothing_else() {
        let losses = |b: f64| Losses {
            ce: b + 0.1,
            sse: b + 0.2,
            mse: b + 0.3,
            kl: b + 0.4,
        };
        let baseline = |b: f64| BaselineLosses {
            ce: b + 0.1,
            sse: b + 0.2,
            mse: b + 0.3,
            log_likelihood: b + 0.4,
        };
        let metrics = FinalMetrics {
            train: losses(1.0),
            test: losses(2.0),
            test_log_likelihood: -3.5,
            log_likelihood_samples: 1000,
            knn_accuracy: 0.75,
            active_units: 7,
            mu_variance: vec![0.5],
            kl_per_dim: vec![0.25],
            loss_draws: 3,
            train_sd: losses(5.0),
            test_sd: losses(6.0),
            train_at_mean: losses(7.0),
            test_at_mean: losses(8.0),
            test_log_likelihood_se: Some(0.125),
            test_log_likelihood_ess: 42.0,
            kl_from_aggregate: vec![0.5],
            latent_activity: LatentActivity::from_kl(&[0.5], 0.1).unwrap(),
            knn: LatentFigure::Value(0.75),
            mean_image: MeanImageBaseline {
                train: baseline(10.0),
                test: baseline(20.0),
            },
        };
        let mut facts = run("r", "relu", 20, Objective::Ce);
        facts.metrics = metrics.clone();
        let json = serde_json::to_value(&metrics).unwrap();
        for column in COLUMNS {
            let stored = lookup(&json, column.summary).and_then(Value::as_f64);
            assert_eq!(stored, Some((column.value)(&facts)), "{}", column.key);
        }
        let mut leaves = Vec::new();
        numeric_leaves("", &json, &mut leaves);
        // Counts and settings that describe a metric, not metrics.
        leaves.retain(|l| {
            ![
                "log_likelihood_samples",
                "latent_activity.dims",
                "latent_activity.threshold",
            ]
            .contains(&l.as_str())
        });
        let covered: Vec<&str> = COLUMNS.iter().map(|c| c.summary).collect();
        for leaf in &leaves {
            assert!(covered.contains(&leaf.as_str()), "{leaf} has no column");
        }
    }

    #[test]
    fn few_effective_samples_are_shown_beside_the_log_likelihood() {
        let mut facts = run("r", "relu", 20, Objective::Ce);
        facts.metrics.test_log_likelihood = -189.31;
        facts.metrics.test_log_likelihood_se = Some(0.9);
        facts.metrics.log_likelihood_samples = 1000;
        let shown = |f: &RunFacts| (select(&["test_log_likelihood"])[0].show)(f, Lang::En);
        facts.metrics.test_log_likelihood_ess = 1.3;
        assert_eq!(shown(&facts), "-189.3 ± 0.9 (K = 1000, median ESS 1.3)");
        let ja = (select(&["test_log_likelihood"])[0].show)(&facts, Lang::Ja);
        assert_eq!(ja, "-189.3 ± 0.9 (K = 1000, ESS 中央値 1.3)");
        facts.metrics.test_log_likelihood_ess = 42.0;
        assert_eq!(shown(&facts), "-189.3 ± 0.9 (K = 1000)");
    }

    #[test]
    fn headings_over_seeds_promise_no_per_run_error() {
        for lang in Lang::ALL {
            for column in select(&FINAL_TABLE) {
                let title = table_title(&column, true, 200, lang);
                for per_run in ["s.e.", "sd", "draws", "標準誤差", "抽出"] {
                    assert!(!title.contains(per_run), "{}: {title}", column.key);
                }
            }
        }
        let ce = select(&["test_ce"])[0];
        // By runs, the sd over draws is named only when it is shown.
        assert_eq!(table_title(&ce, false, 1, Lang::En), "test CE");
        assert_eq!(
            table_title(&ce, false, 3, Lang::En),
            "test CE (sd over S draws)"
        );
        let loglik = select(&["test_log_likelihood"])[0];
        assert_eq!(
            table_title(&loglik, false, 1, Lang::En),
            "test log-lik. ± s.e."
        );
    }

    #[test]
    fn few_effective_samples_over_seeds_are_noted_by_their_median() {
        let runs = [(1.3, 1000), (1.5, 1000), (1.4, 1000), (40.0, 1)];
        assert_eq!(
            few_effective_note(&runs, Lang::En).as_deref(),
            Some(" (median ESS 1.4)")
        );
        assert_eq!(
            few_effective_note(&runs, Lang::Ja).as_deref(),
            Some("（ESS 中央値 1.4）")
        );
        assert_eq!(
            few_effective_note(&[(8.0, 1000), (40.0, 1000), (50.0, 1000)], Lang::En),
            None
        );
        // K = 1 has no weights to count.
        assert_eq!(few_effective_note(&[(1.0, 1)], Lang::En), None);
    }

    #[test]
    fn printed_digits_follow_the_uncertainty() {
        assert_eq!(
            log_likelihood(-189.3127, Some(0.4), 1000),
            "-189.3 ± 0.4 (K = 1000)"
        );
        assert_eq!(sampled(226.4321, 2.5, 200), "226.4 (sd 2.5)");
        assert_eq!(sampled(226.4321, 0.04, 200), "226.43 (sd 0.04)");
        assert_eq!(sampled(226.4321, 0.0, 1), "226.43");
        assert_eq!(plus_minus(104.2, 13.0), "104 ± 13");
        assert_eq!(plus_minus(104.2, 40.0), "104 ± 40");
        assert_eq!(log_likelihood(-95.5, None, 1), "-95.50 (K = 1)");
        let spread = |values: &[f64]| spread_text(vaelab_metrics::Spread::of(values).unwrap());
        assert_eq!(spread(&[100.0, 104.0, 108.0]), "104 ± 4");
        assert_eq!(spread(&[0.7, 0.7]), "0.700 ± 0");
        assert_eq!(spread(&[2.0e-5, 3.0e-5]), "2.5e-5 ± 7e-6");
        assert_eq!(spread(&[204.77]), "204.8");
    }

    #[test]
    fn every_column_has_a_japanese_title_of_its_own() {
        for column in COLUMNS {
            let ja = column.title_in(Lang::Ja);
            assert_eq!(column.title_in(Lang::En), column.title);
            // Japanese text, with notation (CE, z = μ, sd) but no English word.
            let english = ja
                .split(|c: char| !c.is_ascii_lowercase())
                .any(|word| word.len() >= 3);
            assert!(!ja.is_ascii() && !english, "{}: {ja}", column.key);
        }
        // Distinct titles, so that a heading names one column.
        let mut titles: Vec<&str> = COLUMNS.iter().map(|c| c.title_ja).collect();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), COLUMNS.len());
    }

    #[test]
    fn the_tables_name_existing_columns() {
        assert_eq!(select(&FINAL_TABLE).len(), FINAL_TABLE.len());
        assert_eq!(select(&COMPARISON_TABLE).len(), COMPARISON_TABLE.len());
        assert_eq!(select(&["nope"]).len(), 0);
    }
}
