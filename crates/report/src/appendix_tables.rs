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
use super::lang::Lang;
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

/// The finished runs that were loaded from the run store rather than
/// trained by this command, and the training they recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reuse {
    /// Finished runs.
    pub runs: usize,
    /// Of them, reused from the run store.
    pub reused: usize,
    /// The training time the reused runs recorded when they were trained, s.
    pub recorded_training: f64,
}

impl Reuse {
    /// What became of the finished runs of `ctx`.
    pub fn of(ctx: &Context<'_>) -> Self {
        let ok = ctx.ok_runs();
        let reused: Vec<f64> = ok
            .iter()
            .filter(|(_, o)| matches!(o.checkpoint, vaelab_vae::Checkpoint::Reused(_)))
            .map(|(_, o)| o.train_time.as_secs_f64())
            .collect();
        Reuse {
            runs: ok.len(),
            reused: reused.len(),
            recorded_training: reused.iter().sum(),
        }
    }
}

/// Appendix A's line on the time the suite took: the wall time is this
/// command's, which for reused runs is loading and analysis, never
/// presented as their training (their recorded training is said apart).
pub fn wall_time_line(started: &str, wall: f64, jobs: usize, r: Reuse, lang: Lang) -> String {
    let (runs, reused, recorded) = (r.runs, r.reused, r.recorded_training);
    if reused == 0 {
        tr!(
            lang,
            "Started {started}; the suite took {wall:.1} s of wall time on {jobs} threads (runs in \
             parallel, one per thread).",
            "開始 {started}。スイート全体の経過時間は {wall:.1} 秒である（{jobs} スレッドで、実験を\
             スレッドごとに一つずつ並列に実行）。"
        )
    } else if reused == runs {
        tr!(
            lang,
            "Started {started}; all {runs} runs were reused from the run store (trained by an \
             earlier command; their recorded training took {recorded:.0} s in total, appendix B): \
             this command trained nothing and took {wall:.1} s of wall time on {jobs} threads to \
             load and analyse them.",
            "開始 {started}。{runs} 件の実験はすべて実験の保存場所から再利用した（以前のコマンドで\
             学習したもので、記録された学習時間は合計 {recorded:.0} 秒、付録 B）。このコマンドは\
             何も学習せず、それらの読み込みと解析に {jobs} スレッドで {wall:.1} 秒かかった。"
        )
    } else {
        let trained = runs - reused;
        tr!(
            lang,
            "Started {started}; the suite took {wall:.1} s of wall time on {jobs} threads (runs in \
             parallel, one per thread), training {trained} of its {runs} runs; the other {reused} \
             were reused from the run store (their recorded training took {recorded:.0} s in \
             total, appendix B).",
            "開始 {started}。スイート全体の経過時間は {wall:.1} 秒である（{jobs} スレッドで、実験を\
             スレッドごとに一つずつ並列に実行）。{runs} 件のうち学習したのは {trained} 件で、残りの \
             {reused} 件は実験の保存場所から再利用した（記録された学習時間は合計 {recorded:.0} 秒、\
             付録 B）。"
        )
    }
}

/// Appendix B: each seed's training time, per configuration, and the runs
/// that failed. Training plus analysis is in appendix E's time column.
pub fn elapsed(doc: &mut Document, ctx: &Context<'_>) {
    let lang = ctx.lang;
    doc.heading(3, tr!(lang, "B. Training time", "B. 学習時間"), "elapsed");
    doc.paragraph(elapsed_intro(Reuse::of(ctx), lang));
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

/// What appendix B's table shows: training alone (appendix E adds the
/// analysis), and for reused runs, the training recorded in the run store.
fn elapsed_intro(r: Reuse, lang: Lang) -> String {
    let reused = match (r.reused, r.runs) {
        (0, _) => String::new(),
        (k, n) if k == n => tr!(
            lang,
            " Every run was reused from the run store: its time is the one recorded when it was \
             trained.",
            "すべての実験は実験の保存場所から再利用したので、その時間は学習したときに記録された\
             ものである。"
        ),
        (k, n) => tr!(
            lang,
            " {k} of the {n} runs were reused from the run store: their times are the ones \
             recorded when they were trained.",
            "{n} 件のうち {k} 件の実験は実験の保存場所から再利用したので、その時間は学習したときに\
             記録されたものである。"
        ),
    };
    tr!(
        lang,
        "Training time of each seed of each configuration, in seed order; the time column of \
         [appendix E](#per-seed) adds each run's analysis.{reused}",
        "構成ごとの各シードの学習時間をシードの順に示す。[付録 E](#per-seed) の時間の列は、\
         これに各実験の解析の時間を加えたものである。{reused}"
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_REUSED: Reuse = Reuse {
        runs: 60,
        reused: 60,
        recorded_training: 234.6,
    };

    #[test]
    fn reused_runs_are_not_presented_as_trained_in_the_wall_time() {
        let line = wall_time_line("T", 13.6, 2, ALL_REUSED, Lang::En);
        assert!(!line.contains("the suite took"), "{line}");
        assert!(
            line.contains("all 60 runs were reused from the run store")
                && line.contains("recorded training took 235 s")
                && line.contains("trained nothing and took 13.6 s"),
            "{line}"
        );
        let some = Reuse {
            reused: 20,
            recorded_training: 80.0,
            ..ALL_REUSED
        };
        let line = wall_time_line("T", 100.0, 2, some, Lang::En);
        assert!(
            line.contains("training 40 of its 60 runs; the other 20"),
            "{line}"
        );
        let none = Reuse {
            reused: 0,
            recorded_training: 0.0,
            ..ALL_REUSED
        };
        let line = wall_time_line("T", 100.0, 2, none, Lang::En);
        assert!(line.contains("the suite took 100.0 s") && !line.contains("reused"));
        for r in [ALL_REUSED, some, none] {
            let ja = wall_time_line("T", 13.6, 2, r, Lang::Ja);
            assert!(!crate::method::tests::has_english_prose(&ja), "{ja}");
        }
    }

    #[test]
    fn appendix_b_says_its_column_is_training_alone() {
        let intro = elapsed_intro(ALL_REUSED, Lang::En);
        assert!(!intro.contains("training and analysis together"), "{intro}");
        assert!(intro.contains("adds each run's analysis"), "{intro}");
        assert!(intro.contains("recorded when it was trained"), "{intro}");
        let some = Reuse {
            reused: 20,
            ..ALL_REUSED
        };
        let intro = elapsed_intro(some, Lang::En);
        assert!(intro.contains("20 of the 60 runs were reused"), "{intro}");
        for r in [ALL_REUSED, some] {
            let ja = elapsed_intro(r, Lang::Ja);
            assert!(!crate::method::tests::has_english_prose(&ja), "{ja}");
        }
    }
}
