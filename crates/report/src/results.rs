//! Section 3 of the report: the final metrics, the comparisons along each
//! factor, and every figure of every run, laid out so that the compared
//! runs sit side by side (the seed's figures 3–7 and sections 3.1–3.2).

use vaelab_vae::RunConfig;

use super::Context;
use super::document::{Block, Cell, Document, FigureRef, FigureTable};
use super::figures::RunFigure;
use super::layout;
use super::summary::metrics_table;
use super::{factors, families};

/// Appends section 3.
pub fn results(doc: &mut Document, ctx: &Context<'_>) {
    doc.heading(2, "3 Results", "results");
    let failed: Vec<String> = ctx
        .input
        .runs
        .iter()
        .filter_map(|r| {
            r.outcome
                .as_ref()
                .err()
                .map(|e| format!("`{}` failed: {e}", r.config.name))
        })
        .collect();
    if !failed.is_empty() {
        doc.paragraph(format!(
            "{} of {} runs failed; they are marked in every table and figure below.",
            failed.len(),
            ctx.input.runs.len()
        ));
        doc.push(Block::List(failed));
    }

    doc.heading(3, "3.1 Final metrics", "final-metrics");
    let seeds_note = if ctx.several_seeds() {
        "One row per configuration: mean ± sd over its seeds (n, the number of seeds; digits \
         follow the sd), the seed-to-seed spread; where a metric exists in fewer seeds than \
         the configuration ran (kNN is not defined for a collapsed seed) its own n is given. \
         \"Collapse\" counts the seeds whose posterior collapsed. Every seed's own row is in \
         [appendix E](#per-seed) and [data/metrics.csv](data/metrics.csv); the aggregates are \
         in [data/aggregates.csv](data/aggregates.csv) and summary.json. Every other section \
         links here rather than repeat these numbers."
            .to_string()
    } else {
        "One row per configuration, each run with one seed (so no seed-to-seed spread is \
         known). Every other section links here rather than repeat these numbers."
            .to_string()
    };
    doc.paragraph(seeds_note);
    doc.push(Block::Table(super::summary::configuration_table(ctx)));
    let footnotes = super::summary::knn_footnotes(ctx);
    if !footnotes.is_empty() && ctx.several_seeds() {
        doc.paragraph(
            "kNN is not given for seeds whose latent space has collapsed; its n counts the \
             seeds that remain (appendix E names them).",
        );
    } else if !footnotes.is_empty() {
        doc.paragraph("kNN is not given for runs whose latent space has collapsed:");
        doc.push(Block::List(footnotes));
    }
    let draws = ctx
        .ok_runs()
        .first()
        .map_or(1, |(_, o)| o.analysis.metrics.loss_draws);
    doc.paragraph(format!(
        "CE, SSE, KL: nats per image at the last iteration (KL of the posterior to the prior); \
         MSE: per pixel. Sampled losses (CE, SSE, MSE) decode z = μ + σ·ε and are averaged over \
         S = {draws} noise draws ε; \"sd\" is their standard deviation over the draws, i.e. \
         how much one draw would move the number. \"At z = μ\": the same loss decoding the \
         encoder's mean itself, with no noise — the deterministic reconstruction. Test \
         log-lik. ± s.e.: importance-sampled estimate of ln p(x), nats per test image (higher \
         is better), a stochastic lower bound on ln p(x) that rises with K; ± is its \
         Monte-Carlo standard error, how far an independent repeat of the estimate would \
         move it (from the spread of estimates on 10 and 40 batches of the K weights, \
         extrapolated to K; with few effective samples the spread of one batch of K/10); \"median ESS\", shown when below 10: the median over the test \
         images of the importance weights' effective sample size, where a few weights decide \
         the estimate; the digits printed match the error, and runs closer \
         than about two standard errors cannot be ranked. Mean image (baseline): a decoder that ignores z and always outputs \
         the per-pixel mean of the training images; a run worse than it on test CE or MSE has \
         learnt nothing that carries over to new images. Its log-likelihood is exact (it is \
         −CE). Informative dims: latent dimensions whose posterior differs from the aggregate \
         posterior by a mean KL above {} nats — dimensions whose code depends on the image; a \
         run with none is collapsed (its encoder ignores the input), with some but not all is \
         partly active. kNN (informative): {}-nearest-neighbour digit accuracy of the \
         classification set's μ, given only when the run is not collapsed (on a collapsed \
         latent space the μ differ by float rounding and the accuracy is noise); time: \
         training plus analysis of the run.",
        vaelab_metrics::KL_ACTIVE_THRESHOLD,
        knn_k(ctx)
    ));

    comparisons(doc, ctx);
    per_run_figures(doc, ctx);
}

/// Appendix E: every seed's results, one row per run.
pub fn per_seed(doc: &mut Document, ctx: &Context<'_>) {
    doc.heading(3, "E. Results of every seed", "per-seed");
    doc.paragraph(
        "The final metrics of every run, each seed on its own row (the [results \
         table](#final-metrics) aggregates them per configuration).",
    );
    doc.push(Block::Table(metrics_table(ctx)));
}

/// The k of the kNN accuracy: a number when every run uses the same.
fn knn_k(ctx: &Context<'_>) -> String {
    let mut ks = ctx.input.runs.iter().map(|r| r.config.analysis.knn_k);
    match ks.next() {
        Some(k) if ks.all(|other| other == k) => k.to_string(),
        _ => "k".to_string(),
    }
}

fn comparisons(doc: &mut Document, ctx: &Context<'_>) {
    // One run per configuration: its representative (first) seed.
    let facts: Vec<crate::facts::RunFacts> = ctx
        .facts
        .iter()
        .enumerate()
        .filter(|(i, _)| ctx.is_representative(*i))
        .filter_map(|(_, f)| f.clone())
        .collect();
    // Each representative's finished seeds, itself first, in the order of
    // `facts` (the captions read the same series the charts draw).
    let seed_sets = super::seed_outcomes(&ctx.configurations, &ctx.input.runs);
    let representatives = ctx
        .facts
        .iter()
        .enumerate()
        .filter(|(i, f)| ctx.is_representative(*i) && f.is_some());
    let sets: Vec<&[&vaelab_vae::RunOutcome]> = representatives
        .filter_map(|(i, _)| seed_sets.iter().find(|(first, _)| *first == i))
        .map(|(_, all)| all.as_slice())
        .collect();
    let configs: Vec<&RunConfig> = facts.iter().map(|f| &f.config).collect();
    doc.heading(3, "3.2 Comparisons", "comparisons");
    let shading = if ctx.several_seeds() {
        " Each line is the configuration's first seed; the shading around it spans the range \
         (min to max) of the same curve over all its seeds."
    } else {
        ""
    };
    doc.paragraph(format!(
        "Configurations that differ in one setting only, side by side. Each chart shows one \
         group of them, train (solid) and test (dashed) curves on the same axes.{shading}"
    ));
    let mut n = 0;
    for factor in factors::factors(&configs) {
        let groups = factors::groups(&configs, &factor);
        if groups.is_empty() {
            continue;
        }
        n += 1;
        let mut values: Vec<String> = Vec::new();
        for g in &groups {
            for (_, v) in &g.members {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
        }
        doc.heading(
            4,
            format!("3.2.{n} {}: {}", factor.title(), values.join(" vs ")),
            &format!("compare-{}", factor.key()),
        );
        let stem = layout::comparison_figure(factor.key());
        let caption = super::captions::comparison_caption(&factor, &groups, &sets, ctx.lang);
        match figure_cell(ctx, &stem, &caption) {
            Cell::Figure(f) => doc.push(Block::Figure(f)),
            Cell::Note(note) => doc.paragraph(note),
            Cell::Empty => {}
        }
        let configs_of: Vec<String> = groups
            .iter()
            .flat_map(|g| {
                g.members
                    .iter()
                    .map(|(i, _)| format!("`{}`", facts[*i].configuration))
            })
            .collect();
        doc.paragraph(format!(
            "Configurations compared: {}; their final numbers are in the [results \
             table](#final-metrics).",
            configs_of.join(", ")
        ));
    }
    if n == 0 {
        doc.paragraph("No two runs of this suite differ in exactly one of the compared settings.");
    }
}

fn per_run_figures(doc: &mut Document, ctx: &Context<'_>) {
    // The figures of each configuration's representative run only.
    let reps: Vec<usize> = (0..ctx.input.runs.len())
        .filter(|&i| ctx.is_representative(i))
        .collect();
    let configs: Vec<&RunConfig> = reps.iter().map(|&i| ctx.input.runs[i].config).collect();
    let families = families::families(&configs);
    if ctx.several_seeds() {
        doc.paragraph(
            "Sections 3.3–3.11 show one run per configuration: its first seed (the \
             representative). The other seeds contribute their metrics to the [results \
             table](#final-metrics) and their learning curves to the shaded range (min to max \
             over the seeds) of sections 3.3–3.5; their reconstructions, histograms, scatter \
             plots, grids and interpolations are not drawn.",
        );
    }
    for figure in RunFigure::ALL {
        let (heading, anchor, explanation) = figure.section();
        doc.heading(3, heading, anchor);
        doc.paragraph(format!(
            "{explanation} Rows: activation; columns: latent dimension; one table per head and \
             objective. Click a figure for full size."
        ));
        for family in &families {
            doc.heading(4, &family.label, &format!("{anchor}-{}", family.label));
            let rows = family
                .rows
                .iter()
                .zip(&family.cells)
                .map(|(act, cells)| {
                    let cells = cells
                        .iter()
                        .map(|c| match c {
                            Some(i) => run_cell(ctx, reps[*i], figure),
                            None => Cell::Empty,
                        })
                        .collect();
                    (act.clone(), cells)
                })
                .collect();
            doc.push(Block::Figures(FigureTable {
                columns: family.columns.iter().map(|d| format!("d = {d}")).collect(),
                rows,
            }));
        }
    }
}

/// The figure of run `index`, or why there is none.
fn run_cell(ctx: &Context<'_>, index: usize, figure: RunFigure) -> Cell {
    let run = &ctx.input.runs[index];
    let name = &run.config.name;
    match &run.outcome {
        Err(error) => Cell::Note(format!("`{name}` failed: {error}")),
        Ok(outcome) => figure_cell(
            ctx,
            &layout::run_figure(name, figure),
            &super::captions::run_caption(outcome, figure, ctx.lang),
        ),
    }
}

fn figure_cell(ctx: &Context<'_>, stem: &str, caption: &str) -> Cell {
    if ctx.rendered.png.contains(stem) {
        return Cell::Figure(FigureRef {
            png: format!("{stem}.png"),
            svg: ctx
                .rendered
                .svg
                .contains(stem)
                .then(|| format!("{stem}.svg")),
            caption: caption.to_string(),
            min_width: ctx.rendered.min_width.get(stem).copied(),
        });
    }
    match ctx.rendered.failed.get(stem) {
        Some(error) => Cell::Note(format!("figure not drawn: {error}")),
        None => Cell::Note("nothing to draw".into()),
    }
}
