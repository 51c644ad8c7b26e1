//! `summary.json` (what was run and what came out — reproducible, byte for
//! byte, for the same seed on the same machine), `timing.json` (how long it
//! took and where — not reproducible), and the final metrics table.

use std::path::Path;

use crate::error::Result;
use serde::Serialize;
use vaelab_vae::{FinalMetrics, RunConfig};

use super::columns;
use super::document::Table;
use super::figures::RunFigure;
use super::lang::Lang;
use super::layout;
use super::{Context, Invocation};
use crate::tr;

#[derive(Serialize)]
struct Summary<'a> {
    suite: &'a str,
    description: &'a str,
    dataset: &'a str,
    data_verified: bool,
    vaelab_version: &'a str,
    seeds: Vec<u64>,
    overrides: &'a Invocation,
    runs: Vec<RunSummary<'a>>,
    /// Per configuration: mean, sd, min, max and n over its seeds of every
    /// metric column, and in how many seeds it collapsed.
    configurations: &'a [super::configs::Aggregate],
    failed: Vec<Failed<'a>>,
}

#[derive(Serialize)]
struct RunSummary<'a> {
    name: &'a str,
    configuration: &'a str,
    status: &'static str,
    config: &'a RunConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics: Option<&'a FinalMetrics>,
    /// Chosen on the validation CE, never on the test set (absent without
    /// a validation set).
    #[serde(skip_serializing_if = "Option::is_none")]
    best_iteration: Option<crate::facts::BestIteration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    files: Vec<String>,
}

#[derive(Serialize)]
struct Failed<'a> {
    name: &'a str,
    error: &'a str,
}

/// The seeds of the runs, each once, in order of appearance.
pub fn seeds(ctx: &Context<'_>) -> Vec<u64> {
    let mut seeds = Vec::new();
    for run in &ctx.input.runs {
        if !seeds.contains(&run.config.seed) {
            seeds.push(run.config.seed);
        }
    }
    seeds
}

/// The files of run `index` that exist in the report, relative to it.
pub fn run_files(ctx: &Context<'_>, index: usize) -> Vec<String> {
    let name = ctx.input.runs[index].config.name.as_str();
    let mut files = Vec::new();
    for figure in RunFigure::ALL {
        let stem = layout::run_figure(name, figure);
        if ctx.rendered.png.contains(&stem) {
            files.push(format!("{stem}.png"));
        }
        if ctx.rendered.svg.contains(&stem) {
            files.push(format!("{stem}.svg"));
        }
    }
    files.extend(
        super::data_files::run_data_files(
            ctx.is_representative(index),
            ctx.input.runs[index].config.latent,
        )
        .iter()
        .map(|f| layout::run_data(name, f)),
    );
    files.push(layout::checkpoint(name));
    files
}

/// Writes `summary.json` into `dir`.
pub fn write_summary(dir: &Path, ctx: &Context<'_>) -> Result<()> {
    let input = ctx.input;
    let runs = input
        .runs
        .iter()
        .zip(&ctx.facts)
        .enumerate()
        .map(|(index, (run, facts))| match (&run.outcome, facts) {
            (Ok(outcome), Some(f)) => RunSummary {
                name: &run.config.name,
                configuration: &f.configuration,
                status: "ok",
                config: run.config,
                metrics: Some(&outcome.analysis.metrics),
                best_iteration: f.best,
                error: None,
                files: run_files(ctx, index),
            },
            (outcome, _) => RunSummary {
                name: &run.config.name,
                configuration: &run.config.name,
                status: "failed",
                config: run.config,
                metrics: None,
                best_iteration: None,
                error: Some(outcome.as_ref().err().map_or("no result", String::as_str)),
                files: Vec::new(),
            },
        })
        .collect();
    let failed = input
        .runs
        .iter()
        .filter_map(|r| {
            r.outcome.as_ref().err().map(|e| Failed {
                name: &r.config.name,
                error: e,
            })
        })
        .collect();
    let summary = Summary {
        suite: &input.suite.name,
        description: &input.suite.description,
        dataset: &input.suite.dataset,
        data_verified: input.data.verified,
        vaelab_version: &input.environment.vaelab_version,
        seeds: seeds(ctx),
        overrides: &input.invocation,
        runs,
        configurations: &ctx.aggregates,
        failed,
    };
    write_json(&dir.join("summary.json"), &summary)
}

#[derive(Serialize)]
struct Timing<'a> {
    environment: &'a super::Environment,
    /// Which rule found the data (`--data-dir`, `$MNIST_DIR`, the cache), not
    /// its directory: a report is shared, a local path means nothing to its
    /// reader and may say more about the machine than it should.
    data_origin: &'a str,
    data_verified: bool,
    training_seconds: f64,
    report_seconds: f64,
    runs: Vec<RunTiming<'a>>,
}

#[derive(Serialize)]
struct RunTiming<'a> {
    name: &'a str,
    train_seconds: Option<f64>,
    total_seconds: Option<f64>,
}

/// Writes `timing.json` into `dir`; `report_seconds` is the time spent on
/// the report so far.
pub fn write_timing(dir: &Path, ctx: &Context<'_>, report_seconds: f64) -> Result<()> {
    let input = ctx.input;
    let timing = Timing {
        environment: &input.environment,
        data_origin: &input.data.origin,
        data_verified: input.data.verified,
        training_seconds: input.training_time.as_secs_f64(),
        report_seconds,
        runs: input
            .runs
            .iter()
            .map(|r| RunTiming {
                name: &r.config.name,
                train_seconds: r.outcome.as_ref().ok().map(|o| o.train_time.as_secs_f64()),
                total_seconds: r.outcome.as_ref().ok().map(|o| o.total_time.as_secs_f64()),
            })
            .collect(),
    };
    write_json(&dir.join("timing.json"), &timing)
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    // One run per line rather than pretty-printed: see `json_lines`.
    crate::json_lines::write(path, value)
}

/// The final metrics of every run, failed runs included (marked so).
pub fn metrics_table(ctx: &Context<'_>) -> Table {
    let lang = ctx.lang;
    let columns = columns::select(&columns::FINAL_TABLE);
    let mut header = vec![tr!(lang, "run", "実験")];
    let draws = most_draws(ctx);
    header.extend(
        columns
            .iter()
            .map(|c| columns::table_title(c, false, draws, lang)),
    );
    header.push(tr!(lang, "time (s)", "時間（秒）"));
    let rows = ctx
        .input
        .runs
        .iter()
        .zip(&ctx.facts)
        .map(|(run, facts)| match (&run.outcome, facts) {
            (Ok(outcome), Some(f)) => {
                let mut row = vec![f.name.clone()];
                row.extend(columns.iter().map(|c| (c.show)(f, lang)));
                row.push(format!("{:.1}", outcome.total_time.as_secs_f64()));
                row
            }
            _ => {
                let mut row = vec![run.config.name.clone(), tr!(lang, "failed", "失敗")];
                row.resize(header.len(), "–".to_string());
                row
            }
        })
        .chain(baseline_rows(ctx, &columns, lang))
        .collect();
    Table { header, rows }
}

/// The results table: one row per configuration, each metric of
/// [`columns::FINAL_TABLE`] as mean ± sd over the seeds (as the single run
/// shows it for one seed), the collapse count, and the mean-image baseline.
pub fn configuration_table(ctx: &Context<'_>) -> Table {
    let lang = ctx.lang;
    let columns = columns::select(&columns::FINAL_TABLE);
    let several = ctx.several_seeds();
    let mut header = vec![
        tr!(lang, "configuration", "構成"),
        tr!(lang, "seeds", "シード数"),
    ];
    let draws = most_draws(ctx);
    header.extend(
        columns
            .iter()
            .map(|c| columns::table_title(c, several, draws, lang)),
    );
    header.push(tr!(lang, "collapse", "崩壊"));
    let mut rows: Vec<Vec<String>> = ctx
        .configurations
        .iter()
        .zip(&ctx.aggregates)
        .map(|(c, a)| {
            let mut row = vec![a.name.clone(), seeds_cell(a, lang)];
            let single = (a.n == 1)
                .then(|| c.runs.iter().find_map(|&i| ctx.facts[i].as_ref()))
                .flatten();
            for col in &columns {
                row.push(match single {
                    Some(f) => (col.show)(f, lang),
                    None if col.key == "test_log_likelihood" => {
                        // The seed sd, and how few weights decide the estimates.
                        let runs: Vec<(f64, usize)> = c
                            .runs
                            .iter()
                            .filter_map(|&i| ctx.facts[i].as_ref())
                            .map(|f| {
                                let m = &f.metrics;
                                (m.test_log_likelihood_ess, m.log_likelihood_samples)
                            })
                            .collect();
                        let note = columns::few_effective_note(&runs, lang).unwrap_or_default();
                        format!("{}{note}", spread_cell(a, col, a.n, lang))
                    }
                    None => spread_cell(a, col, a.n, lang),
                });
            }
            row.push(collapse_cell(a, lang));
            row
        })
        .collect();
    for b in baseline_rows(ctx, &columns, lang) {
        let mut row = vec![b[0].clone(), "–".to_string()];
        row.extend(b[1..=columns.len()].iter().cloned());
        row.push("–".to_string());
        rows.push(row);
    }
    Table { header, rows }
}

/// The most noise draws any finished run averaged its losses over.
pub fn most_draws(ctx: &Context<'_>) -> usize {
    ctx.ok_runs()
        .iter()
        .map(|(_, o)| o.analysis.metrics.loss_draws)
        .max()
        .unwrap_or(1)
}

fn seeds_cell(a: &super::configs::Aggregate, lang: Lang) -> String {
    let failed = if a.failed > 0 {
        tr!(lang, " ({} failed)", "（{} 件失敗）", a.failed)
    } else {
        String::new()
    };
    format!("{}{failed}", a.n)
}

/// "collapsed 2/5", "collapsed" for one seed, "–" for none.
pub fn collapse_cell(a: &super::configs::Aggregate, lang: Lang) -> String {
    match (a.collapsed, a.n) {
        (_, 0) => "–".to_string(),
        (0, 1) => tr!(lang, "no", "なし"),
        (0, _) => tr!(lang, "none", "なし"),
        (1, 1) => tr!(lang, "collapsed", "崩壊"),
        (k, n) => tr!(lang, "collapsed {k}/{n}", "{n} シード中 {k} シードで崩壊"),
    }
}

/// A metric over the seeds: "104.2 ± 1.3", with "(n = 3)" when it exists
/// in fewer seeds than the configuration has; counts of dimensions keep
/// their "of d".
pub fn spread_cell(
    a: &super::configs::Aggregate,
    col: &columns::Column,
    n: usize,
    lang: Lang,
) -> String {
    let Some(s) = a.get(col.key) else {
        return "–".to_string();
    };
    let mut text = columns::spread_text(s);
    if col.key == "latent_active" || col.key == "active_units" {
        let dims = a.dims;
        text = tr!(lang, "{text} of {dims}", "{dims} 次元中 {text}");
    }
    if s.n < n {
        text.push_str(&format!(" (n = {})", s.n));
    }
    text
}

/// The mean-image decoder's row (one per distinct training/test data, named
/// by its runs when the runs do not share it): CE, SSE, MSE and
/// log-likelihood, "–" elsewhere.
fn baseline_rows(ctx: &Context<'_>, columns: &[columns::Column], lang: Lang) -> Vec<Vec<String>> {
    let ok = ctx.ok_runs();
    let mut baselines: Vec<(vaelab_vae::MeanImageBaseline, Vec<String>)> = Vec::new();
    for (_, o) in &ok {
        let b = o.analysis.metrics.mean_image;
        match baselines.iter_mut().find(|(seen, _)| *seen == b) {
            Some((_, runs)) => runs.push(o.config.name.clone()),
            None => baselines.push((b, vec![o.config.name.clone()])),
        }
    }
    let several = baselines.len() > 1;
    baselines
        .into_iter()
        .map(|(b, runs)| {
            let mut row = vec![if several {
                tr!(
                    lang,
                    "mean image (baseline of {})",
                    "平均画像（{} の基準線）",
                    lang.pick(runs.join(", "), runs.join("、"))
                )
            } else {
                tr!(lang, "mean image (baseline)", "平均画像（基準線）")
            }];
            row.extend(columns.iter().map(|c| match c.key {
                "train_ce" => format!("{:.2}", b.train.ce),
                "test_ce" => format!("{:.2}", b.test.ce),
                "train_sse" => format!("{:.2}", b.train.sse),
                "test_sse" => format!("{:.2}", b.test.sse),
                "train_mse" => format!("{:.4}", b.train.mse),
                "test_mse" => format!("{:.4}", b.test.mse),
                "test_log_likelihood" => tr!(
                    lang,
                    "{:.2} (exact)",
                    "{:.2}（厳密値）",
                    b.test.log_likelihood
                ),
                _ => "–".to_string(),
            }));
            row.push("–".to_string());
            row
        })
        .collect()
}

/// One footnote per run whose kNN accuracy is not shown, with the reason.
pub fn knn_footnotes(ctx: &Context<'_>) -> Vec<String> {
    ctx.ok_runs()
        .iter()
        .filter_map(|(_, o)| match &o.analysis.metrics.knn {
            vaelab_metrics::LatentFigure::NoFigure(reason) => {
                let name = &o.config.name;
                let activity = &o.analysis.metrics.latent_activity;
                // The metrics crate gives its reason in English; the one
                // reason it has is collapse, which the Japanese says itself.
                Some(match ctx.lang {
                    Lang::Ja if activity.is_collapsed() => format!(
                        "`{name}`：kNN –。事後分布が崩壊している（集約事後分布との平均 KL が \
                         {} nats を超える潜在次元がなく、潜在変数が画像に依存しない）。",
                        activity.threshold
                    ),
                    _ => format!("`{name}`: kNN –, {reason}"),
                })
            }
            vaelab_metrics::LatentFigure::Value(_) => None,
        })
        .collect()
}

/// A table as aligned plain text, for the terminal.
pub fn plain_text(table: &Table) -> String {
    let columns = table.header.len();
    let width = |i: usize| {
        std::iter::once(&table.header)
            .chain(&table.rows)
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    let line = |row: &Vec<String>| {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        cells.join("  ").trim_end().to_string()
    };
    let mut out = line(&table.header);
    out.push('\n');
    for row in &table.rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configs::{Aggregate, ColumnSpread};

    fn aggregate(n: usize, collapsed: usize, failed: usize) -> Aggregate {
        let spread = |values: &[f64]| vaelab_metrics::Spread::of(values).ok();
        Aggregate {
            name: "relu-z2-sse".into(),
            seeds: (0..n as u64).collect(),
            runs: Vec::new(),
            failed,
            n,
            collapsed,
            dims: 2,
            metrics: vec![
                ColumnSpread {
                    key: "latent_active",
                    spread: spread(&[2.0, 1.0, 2.0, 0.0, 2.0][..n]),
                },
                ColumnSpread {
                    key: "knn",
                    spread: spread(&[0.25, 0.5]),
                },
            ],
        }
    }

    #[test]
    fn result_cells_say_the_same_counts_in_both_languages() {
        let a = aggregate(5, 2, 1);
        assert_eq!(collapse_cell(&a, Lang::En), "collapsed 2/5");
        assert_eq!(collapse_cell(&a, Lang::Ja), "5 シード中 2 シードで崩壊");
        assert_eq!(seeds_cell(&a, Lang::En), "5 (1 failed)");
        assert_eq!(seeds_cell(&a, Lang::Ja), "5（1 件失敗）");
        let one = aggregate(1, 1, 0);
        assert_eq!(collapse_cell(&one, Lang::Ja), "崩壊");
        assert_eq!(collapse_cell(&aggregate(5, 0, 0), Lang::Ja), "なし");
        let column = |key: &str| columns::select(&[key])[0];
        // 2, 1, 2, 0, 2: mean 1.4, sd 0.894…; kNN only in two of the five seeds.
        assert_eq!(
            spread_cell(&a, &column("latent_active"), a.n, Lang::En),
            "1.4 ± 0.9 of 2"
        );
        assert_eq!(
            spread_cell(&a, &column("latent_active"), a.n, Lang::Ja),
            "2 次元中 1.4 ± 0.9"
        );
        assert_eq!(
            spread_cell(&a, &column("knn"), a.n, Lang::Ja),
            "0.38 ± 0.18 (n = 2)"
        );
    }

    #[test]
    fn plain_text_aligns_columns() {
        let table = Table {
            header: vec!["run".into(), "CE".into()],
            rows: vec![
                vec!["a".into(), "1.5".into()],
                vec!["long-name".into(), "100.25".into()],
            ],
        };
        assert_eq!(
            plain_text(&table),
            "run            CE\na             1.5\nlong-name  100.25\n"
        );
    }
}
