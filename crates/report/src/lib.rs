//! `vaelab-report`: the report of a suite of VAE runs — figures, CSV files,
//! `summary.json`, `timing.json`, and the text in two editions ([`lang`]):
//! `report.md` and `index.html` in English, `report.ja.md` and
//! `index.ja.html` in Japanese — written
//! into a staging directory and swapped into place only when complete
//! ([`atomic`]).
//!
//! This is the top library layer. It reads the results of `vaelab-vae`
//! ([`RunOutcome`]), takes its statistics from `vaelab-metrics` and has
//! `vaelab-plots` draw its charts; it trains nothing and knows neither the
//! command line nor tensors. `xtask` calls it once the suite has run.
//!
//! Its public surface is small: describe what ran in a [`ReportInput`]
//! (one [`RunEntry`] per run, built from `run_suite`'s results) and call
//! [`write()`]. `cargo run -p vaelab-report --example beta_sweep` does that
//! for a suite of three runs that differ only in β.
//!
//! # How a report is made
//!
//! [`write()`] follows one path, each step in its own module:
//!
//! 1. [`facts`]: each run's settings and numbers as one typed record.
//! 2. [`factors`]: runs that differ in exactly one setting — any setting of
//!    the run's configuration, not only the study's four; [`families`]: the
//!    runs' figures laid out side by side.
//! 3. [`figures`]: every figure of every run ([`figures::RunFigure`]) and
//!    one comparison chart per factor, drawn in parallel.
//! 4. The data files (CSV, JSON, checkpoints), whose metric columns come
//!    from [`columns`], the one list of final metrics.
//! 5. The text: one [`document::Document`] (purpose, method, results,
//!    a discussion generated from the numbers, appendix), built once per
//!    language and rendered by [`markdown`] and [`html`] alike; [`layout`]
//!    says where each file goes.
//!    Figures are numbered once, in [`document::figure_numbers`], and text
//!    refers to them by anchor ([`document::figure_ref`]); their captions,
//!    the glossary of metrics and the map of the original study to this
//!    report each have a module of their own.
//! 6. [`explorer`]: `explorer.html`, every successful run's decoder and
//!    latent means on one self-contained page ([`explorer::from_vae`]).
//! 7. `summary.json` and `timing.json`, a check that every link resolves
//!    ([`links`]), and the swap into place ([`atomic`]).
//!
//! The document model works on its own:
//!
//! ```
//! use vaelab_report::document::{Block, Document, Table};
//! use vaelab_report::{html, markdown};
//!
//! let mut doc = Document::default();
//! doc.heading(2, "Results", "results");
//! doc.paragraph("ReLU gives the lower test CE.");
//! doc.push(Block::Table(Table {
//!     header: vec!["run".into(), "test CE".into()],
//!     rows: vec![vec!["relu-z2".into(), "104.20".into()]],
//! }));
//! let md = markdown::render(&doc.blocks);
//! assert!(md.contains("| relu-z2 | 104.20 |"));
//! let page = html::render("A report", &doc.blocks);
//! assert!(page.contains("id=\"results\""));
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod appendix_tables;
pub mod atomic;
mod captions;
pub mod columns;
mod compact;
pub mod configs;
mod content;
mod data_files;
mod discussion;
pub mod document;
mod environment;
mod error;
pub mod explorer;
pub mod factors;
pub mod facts;
pub mod families;
pub mod figures;
mod findings;
mod glossary;
pub mod html;
mod json_lines;
pub mod lang;
pub mod layout;
pub mod links;
mod mapping;
pub mod markdown;
mod method;
mod pairs;
mod results;
mod summary;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use vaelab_vae::{RunConfig, RunOutcome, Suite};

pub use environment::Environment;
use error::IoContext;
pub use error::{ReportError, Result};
use facts::RunFacts;
use figures::Job;

/// One run of the suite as the report sees it.
#[derive(Debug)]
pub struct RunEntry<'a> {
    /// Its settings.
    pub config: &'a RunConfig,
    /// The finished run, or why it failed.
    pub outcome: std::result::Result<&'a RunOutcome, String>,
}

impl<'a> RunEntry<'a> {
    /// The entry of a run that `vaelab_vae::run_suite` returned: the
    /// outcome, or the error with its causes on one line.
    pub fn new(config: &'a RunConfig, result: &'a vaelab_vae::Result<RunOutcome>) -> Self {
        RunEntry {
            config,
            outcome: result.as_ref().map_err(error_text),
        }
    }
}

/// An error with its causes, on one line.
fn error_text(error: &vaelab_vae::VaeError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// How the suite was changed on the command line. Serialised into
/// `summary.json`, so it holds nothing machine-dependent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Invocation {
    /// `--iterations`.
    pub iterations: Option<usize>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--runs`.
    pub runs: Option<String>,
    /// The command, for the appendix (not in `summary.json`).
    #[serde(skip)]
    pub command: String,
    /// The suite file as given (not in `summary.json`).
    #[serde(skip)]
    pub suite_file: String,
}

/// Where the images came from.
#[derive(Debug, Clone)]
pub struct DataSource {
    /// Which rule chose it (`--data-dir`, `$MNIST_DIR`, the cache).
    pub origin: String,
    /// Whether the files matched the published checksums.
    pub verified: bool,
}

/// Everything a report is made of.
#[derive(Debug)]
pub struct ReportInput<'a> {
    /// The suite that ran (after `--runs`, `--iterations`, `--seed`).
    pub suite: &'a Suite,
    /// Its runs, in suite order.
    pub runs: Vec<RunEntry<'a>>,
    /// The command-line changes.
    pub invocation: Invocation,
    /// The data.
    pub data: DataSource,
    /// The machine and the clock.
    pub environment: Environment,
    /// Wall time of the whole suite.
    pub training_time: Duration,
}

/// The figures that were drawn.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Stems with a PNG.
    pub png: HashSet<String>,
    /// Stems with an SVG.
    pub svg: HashSet<String>,
    /// Stems that failed, with the error.
    pub failed: BTreeMap<String, String>,
    /// The narrowest width each drawn figure reads at (no text below 10 px).
    pub min_width: BTreeMap<String, u32>,
}

/// What the report builders share.
#[derive(Debug)]
pub struct Context<'a> {
    /// The input.
    pub input: &'a ReportInput<'a>,
    /// Facts of each run (`None` for failed runs), in suite order.
    pub facts: Vec<Option<RunFacts>>,
    /// The runs grouped by configuration (settings without the seed).
    pub configurations: Vec<configs::Configuration>,
    /// Each configuration's results over its seeds, in the same order.
    pub aggregates: Vec<configs::Aggregate>,
    /// The figures drawn.
    pub rendered: Rendered,
    /// The language the text is written in (the report is written once in
    /// each of [`lang::Lang::ALL`]).
    pub lang: lang::Lang,
}

impl Context<'_> {
    /// The successful runs, with their index in the suite.
    pub fn ok_runs(&self) -> Vec<(usize, &RunOutcome)> {
        self.input
            .runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.outcome.as_ref().ok().map(|o| (i, *o)))
            .collect()
    }

    /// The facts of the successful runs.
    pub fn ok_facts(&self) -> Vec<RunFacts> {
        self.facts.iter().flatten().cloned().collect()
    }

    /// Whether some configuration runs more than one seed.
    pub fn several_seeds(&self) -> bool {
        self.configurations.iter().any(|c| c.runs.len() > 1)
    }

    /// Whether run `index` is its configuration's representative (the
    /// first successful seed), whose per-run figures are drawn.
    pub fn is_representative(&self, index: usize) -> bool {
        representatives(&self.configurations, &self.input.runs).contains(&index)
    }
}

/// The representative run of each configuration: its first successful seed
/// (configurations with no successful run have none).
fn representatives(configurations: &[configs::Configuration], runs: &[RunEntry<'_>]) -> Vec<usize> {
    configurations
        .iter()
        .filter_map(|c| c.runs.iter().copied().find(|&i| runs[i].outcome.is_ok()))
        .collect()
}

/// Which of `runs` (a suite's runs, in order) keep their figure material
/// while the suite runs: the report draws the per-run figures of each
/// configuration's first successful seed only ([`Context::is_representative`]),
/// so the other seeds can drop theirs as soon as they finish. Pass the
/// result to `vaelab_vae::run_suite_stored` or `sweep::analyse_stored`.
pub fn figure_runs(suite: &Suite, runs: &[RunConfig]) -> vaelab_vae::FigureRuns {
    let refs: Vec<&RunConfig> = runs.iter().collect();
    let names = configs::configuration_names(suite, &refs);
    let groups = configs::group(&refs, &names)
        .into_iter()
        .map(|c| c.runs)
        .collect();
    vaelab_vae::FigureRuns::first_of_each(groups)
}

/// The successful runs of the configuration of each representative run.
pub(crate) fn seed_outcomes<'a>(
    configurations: &[configs::Configuration],
    runs: &[RunEntry<'a>],
) -> Vec<(usize, Vec<&'a RunOutcome>)> {
    configurations
        .iter()
        .filter_map(|c| {
            let ok: Vec<(usize, &'a RunOutcome)> = c
                .runs
                .iter()
                .filter_map(|&i| runs[i].outcome.as_ref().ok().map(|o| (i, *o)))
                .collect();
            let first = ok.first()?.0;
            Some((first, ok.into_iter().map(|(_, o)| o).collect()))
        })
        .collect()
}

/// What writing the report found.
#[derive(Debug)]
pub struct Written {
    /// Figures that could not be drawn, with the error.
    pub figure_failures: Vec<(String, String)>,
    /// The final metrics table as plain text.
    pub table: String,
    /// Time spent on the report.
    pub elapsed: Duration,
}

/// Writes the report of `input` to `target`, replacing a previous report
/// only once the new one is complete. Figures are drawn on `jobs` threads.
pub fn write(input: &ReportInput<'_>, target: &Path, jobs: usize) -> Result<Written> {
    let start = Instant::now();
    atomic::replace_dir(target, |dir| {
        let run_configs: Vec<&RunConfig> = input.runs.iter().map(|r| r.config).collect();
        let names = configs::configuration_names(input.suite, &run_configs);
        let facts: Vec<Option<RunFacts>> = input
            .runs
            .iter()
            .zip(&names)
            .map(|(r, name)| {
                r.outcome.as_ref().ok().map(|o| RunFacts {
                    configuration: name.clone(),
                    ..RunFacts::of(o)
                })
            })
            .collect();
        let configurations = configs::group(&run_configs, &names);
        let aggregates = configurations
            .iter()
            .map(|c| configs::aggregate(c, &facts))
            .collect();
        let seeds = seed_outcomes(&configurations, &input.runs);
        if let Some(run) = seeds
            .iter()
            .map(|(_, set)| set[0])
            .find(|run| !run.has_figure_material())
        {
            return Err(ReportError::FigureMaterialDropped(run.config.name.clone()));
        }
        let rendered = draw_everything(dir, input, &seeds, jobs)?;
        let reps: Vec<&RunOutcome> = seeds.iter().map(|(_, s)| s[0]).collect();
        write_explorer(dir, input, &reps)?;
        let mut ctx = Context {
            input,
            facts,
            configurations,
            aggregates,
            rendered,
            lang: lang::Lang::En,
        };
        data_files::write_metrics_table(dir, &ctx.ok_facts())?;
        data_files::write_aggregates(dir, &ctx.aggregates)?;
        for lang in lang::Lang::ALL {
            ctx.lang = lang;
            let blocks = content::build(&ctx);
            let title = content::title(input, lang);
            vaelab_vae::output::write_atomic(
                &dir.join(lang.markdown_file()),
                markdown::render_in(lang, &blocks).as_bytes(),
            )?;
            let page = html::render_in(lang, &title, &blocks);
            vaelab_vae::output::write_atomic(&dir.join(lang.html_file()), page.as_bytes())?;
        }
        ctx.lang = lang::Lang::En;
        summary::write_summary(dir, &ctx)?;
        summary::write_timing(dir, &ctx, start.elapsed().as_secs_f64())?;
        check_links(dir)?;
        let table = summary::plain_text(&summary::configuration_table(&ctx));
        Ok(Written {
            figure_failures: ctx.rendered.failed.into_iter().collect(),
            table,
            elapsed: start.elapsed(),
        })
    })
}

/// Writes the data files of every run and draws every figure, in parallel:
/// the per-run figures of each configuration's representative run (the
/// first of `seeds`, with the range over all its seeds on the learning
/// curves), and one comparison chart per factor over the representatives.
fn draw_everything(
    dir: &Path,
    input: &ReportInput<'_>,
    seeds: &[(usize, Vec<&RunOutcome>)],
    jobs: usize,
) -> Result<Rendered> {
    let ok: Vec<(&RunOutcome, bool)> = input
        .runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let representative = seeds.iter().any(|(first, _)| *first == i);
            r.outcome.as_ref().ok().map(|o| (*o, representative))
        })
        .collect();
    let mut work: Vec<Job> = seeds
        .iter()
        .flat_map(|(_, all)| figures::run_jobs(all[0], all))
        .collect();
    let reps: Vec<&RunOutcome> = seeds.iter().map(|(_, all)| all[0]).collect();
    let sets: Vec<&[&RunOutcome]> = seeds.iter().map(|(_, all)| all.as_slice()).collect();
    let configs: Vec<&RunConfig> = reps.iter().map(|r| &r.config).collect();
    for factor in factors::factors(&configs) {
        let groups = factors::groups(&configs, &factor);
        if !groups.is_empty() {
            work.push(figures::comparison_job(&factor, &groups, &sets));
        }
    }
    let run = || {
        rayon::join(
            || {
                ok.par_iter()
                    .map(|(r, representative)| data_files::write_run(dir, r, *representative))
                    .collect::<Result<Vec<()>>>()
            },
            || {
                work.par_iter()
                    .map(|job| (job, draw_compact(job, dir)))
                    .map(|(job, result)| {
                        let width = job.figure.min_display_width().ok();
                        (job.stem.clone(), job.has_svg(), width, result)
                    })
                    .collect::<Vec<_>>()
            },
        )
    };
    let (data, drawn) = match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    data?;
    let mut rendered = Rendered::default();
    for (stem, svg, width, result) in drawn {
        match result {
            Ok(()) => {
                if let Some(width) = width {
                    rendered.min_width.insert(stem.clone(), width);
                }
                if svg {
                    rendered.svg.insert(stem.clone());
                }
                rendered.png.insert(stem);
            }
            Err(error) => {
                rendered.failed.insert(stem, error.to_string());
            }
        }
    }
    Ok(rendered)
}

/// Writes `explorer.html`: one explorer run per configuration (its
/// representative run), its
/// decoder and its classification set's μ; a collapsed run says so in the
/// run selector. With no successful run there is nothing to explore, and
/// the text does not link it.
fn write_explorer(dir: &Path, input: &ReportInput<'_>, ok: &[&RunOutcome]) -> Result<()> {
    if ok.is_empty() {
        return Ok(());
    }
    let runs = ok
        .iter()
        .map(|o| {
            let collapsed =
                o.analysis.metrics.latent_activity.state == vaelab_metrics::LatentState::Collapsed;
            explorer::from_vae(
                &o.config.name,
                &o.model,
                &o.analysis.classify_mu,
                &o.analysis.scatter.labels,
                collapsed.then(|| "collapsed".to_string()),
            )
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let title = format!("Latent explorer: {}", content::title(input, lang::Lang::En));
    let title_ja = format!(
        "潜在空間エクスプローラー：{}",
        content::title(input, lang::Lang::Ja)
    );
    let page = explorer::page(&title, &title_ja, &runs)?;
    vaelab_vae::output::write_atomic(&dir.join(layout::EXPLORER), page.as_bytes())?;
    Ok(())
}

/// Draws a figure, then recompresses its PNG (a third to a sixth of the
/// size plotters writes, which matters for reports kept in git).
fn draw_compact(job: &Job, dir: &Path) -> Result<(), String> {
    job.draw(dir).map_err(|e| e.to_string())?;
    compact::recompress(&dir.join(format!("{}.png", job.stem))).map_err(|e| format!("{e:#}"))
}

/// Fails if either edition's page or Markdown report in `dir` links to anything missing:
/// a bug in the writer, caught before the report replaces the old one.
fn check_links(dir: &Path) -> Result<()> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).io_context(|| format!("cannot read {}", path.display()))
    };
    let mut missing = Vec::new();
    for lang in lang::Lang::ALL {
        let (html, md) = (read(lang.html_file())?, read(lang.markdown_file())?);
        missing.extend(links::broken(dir, &links::html_links(&html), Some(&html)));
        missing.extend(links::broken(dir, &links::markdown_links(&md), None));
    }
    if !missing.is_empty() {
        return Err(ReportError::BrokenLinks(missing));
    }
    Ok(())
}
