//! Appendix B (time) and C (files): one row per configuration.
//!
//! With five seeds a run per row made both tables 60 rows long, each row
//! repeating its configuration's name and, in C, the same file names with
//! only the seed changed (17 KB per edition); B's training-plus-analysis
//! column repeated the time column of appendix E. A configuration per row
//! lists its seeds' times, and each file kind its seeds' links, labelled by
//! seed: every link is kept, the name and file name are written once.

use std::fmt::Write;

use super::document::{Block, Document, Table};
use super::{Context, layout};
use crate::tr;

/// The successful runs of each configuration, as (name, [(seed, run index)]).
fn configurations<'a>(ctx: &'a Context<'_>) -> Vec<(&'a str, Vec<(u64, usize)>)> {
    ctx.configurations
        .iter()
        .map(|c| {
            let ok = c
                .runs
                .iter()
                .zip(&c.seeds)
                .filter(|(i, _)| ctx.input.runs[**i].outcome.is_ok())
                .map(|(&i, &seed)| (seed, i))
                .collect();
            (c.name.as_str(), ok)
        })
        .collect()
}

/// Appendix B: each seed's training time, per configuration, and the runs
/// that failed. Training plus analysis is in appendix E's time column.
pub fn elapsed(doc: &mut Document, ctx: &Context<'_>) {
    let lang = ctx.lang;
    doc.heading(3, tr!(lang, "B. Training time", "B. 学習時間"), "elapsed");
    doc.paragraph(tr!(
        lang,
        "Training time of each seed of each configuration, in seed order (training and \
         analysis together: the last column of [appendix E](#per-seed)).",
        "構成ごとの各シードの学習時間をシードの順に示す（学習と解析の合計は\
         [付録 E](#per-seed) の最後の列）。"
    ));
    let rows = ctx
        .configurations
        .iter()
        .map(|c| {
            let mut times = Vec::new();
            let mut failures = Vec::new();
            for (&i, seed) in c.runs.iter().zip(&c.seeds) {
                let run = &ctx.input.runs[i];
                match &run.outcome {
                    Ok(o) => times.push(format!("{:.2}", o.train_time.as_secs_f64())),
                    Err(e) => {
                        times.push("–".to_string());
                        failures.push(tr!(
                            lang,
                            "seed {seed} failed: {e}",
                            "シード {seed} は失敗：{e}"
                        ));
                    }
                }
            }
            let seeds: Vec<String> = c.seeds.iter().map(u64::to_string).collect();
            let status = if failures.is_empty() {
                tr!(lang, "ok", "完了")
            } else {
                failures.join("; ")
            };
            vec![
                format!("`{}`", c.name),
                seeds.join(", "),
                times.join(", "),
                status,
            ]
        })
        .collect();
    let header = lang.pick(
        ["configuration", "seeds", "training (s)", "status"],
        ["構成", "シード", "学習（秒）", "状態"],
    );
    doc.push(Block::Table(Table {
        header: header.map(String::from).to_vec(),
        rows,
    }));
}

/// Appendix C: the data files of every run, a configuration per row and a
/// file kind per column, each cell linking every seed that has that file.
pub fn files(doc: &mut Document, ctx: &Context<'_>) {
    let lang = ctx.lang;
    doc.heading(
        3,
        tr!(lang, "C. Files of each run", "C. 実験ごとのファイル"),
        "files",
    );
    doc.paragraph(tr!(
        lang,
        "The data files of every run, `data/<run>/<file>`, linked by seed: the figures' data \
         (`latents.csv`, `scatter.csv`, `histograms.csv`) and `metrics.json` exist for the first \
         seed of each configuration, whose figures are drawn (`scatter.csv` where the scatter is a \
         projection, d > 2; for d = 2 it plots `latents.csv`); every run's settings and final \
         metrics are in [summary.json](summary.json). Each run's checkpoint is \
         `{}` (not committed).",
        "各実験のデータファイル `data/<run>/<file>` をシードごとにリンクする。図のデータ\
         （`latents.csv`、`scatter.csv`、`histograms.csv`）と `metrics.json` は、図を描く\
         各構成の最初のシードにのみある（`scatter.csv` は散布図が射影である d > 2 の場合のみ。\
         d = 2 の散布図は `latents.csv` そのものを描く）。全実験の設定と最終的な評価指標は\
         [summary.json](summary.json) にある。各実験のチェックポイントは `{}`\
         （リポジトリには含めない）。",
        layout::checkpoint("<run>")
    ));
    let kinds = layout::RUN_DATA_FILES;
    let rows = configurations(ctx)
        .into_iter()
        .filter(|(_, runs)| !runs.is_empty())
        .map(|(name, runs)| {
            let mut row = vec![format!("`{name}`")];
            for file in kinds {
                let mut cell = String::new();
                for &(seed, i) in &runs {
                    let latent = ctx.input.runs[i].config.latent;
                    let has = super::data_files::run_data_files(ctx.is_representative(i), latent)
                        .contains(&file);
                    if has {
                        let run = &ctx.input.runs[i].config.name;
                        let sep = if cell.is_empty() { "" } else { " " };
                        let _ = write!(cell, "{sep}[{seed}]({})", layout::run_data(run, file));
                    }
                }
                row.push(cell);
            }
            row
        })
        .collect();
    let mut header = vec![tr!(lang, "configuration", "構成")];
    header.extend(kinds.iter().map(|f| format!("`{f}`")));
    doc.push(Block::Table(Table { header, rows }));
}
