//! Section 3 of the report: the final metrics, the comparisons along each
//! factor, and every figure of every run, laid out so that the compared
//! runs sit side by side (the seed's figures 3–7 and sections 3.1–3.2).

use vaelab_metrics::ACTIVE_UNIT_THRESHOLD;
use vaelab_vae::RunConfig;

use super::document::{Block, Cell, Document, FigureRef, FigureTable, Table};
use super::factors;
use super::figures::comparison_metric;
use super::layout::{self, RunFigure};
use super::summary::metrics_table;
use super::{Context, columns};

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
    doc.push(Block::Table(metrics_table(ctx)));
    doc.paragraph(format!(
        "CE, KL: nats per image at the last iteration (KL of the posterior to the prior); MSE: \
         per pixel; test log-lik.: importance-sampled estimate of ln p(x), nats per test image \
         (higher is better); kNN acc.: {}-nearest-neighbour digit accuracy of the \
         classification set's μ; active: latent dimensions with var(μ) > {ACTIVE_UNIT_THRESHOLD}, \
         of d; time: training plus analysis of the run.",
        knn_k(ctx)
    ));

    comparisons(doc, ctx);
    per_run_figures(doc, ctx);
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
    let facts = ctx.ok_facts();
    let configs: Vec<&RunConfig> = facts.iter().map(|f| &f.config).collect();
    let columns = columns::select(&columns::COMPARISON_TABLE);
    doc.heading(3, "3.2 Comparisons", "comparisons");
    doc.paragraph(
        "Runs that differ in one setting only, side by side. Each chart shows one group of \
         such runs, train and test curves on the same axes; the table lists their final \
         numbers.",
    );
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
        let metric = comparison_metric(&factor);
        let caption = format!(
            "{} curves of the runs that differ only in the {}",
            metric.title(),
            factor.key()
        );
        match figure_cell(ctx, &stem, &caption) {
            Cell::Figure(f) => doc.push(Block::Figure(f)),
            Cell::Note(note) => doc.paragraph(note),
            Cell::Empty => {}
        }
        let mut rows = Vec::new();
        for g in &groups {
            for (index, value) in &g.members {
                let f = &facts[*index];
                let mut row = vec![g.label.clone(), value.clone(), format!("`{}`", f.name)];
                row.extend(columns.iter().map(|c| (c.show)(f)));
                rows.push(row);
            }
        }
        let mut header = vec![
            "shared settings".to_string(),
            factor.key().to_string(),
            "run".to_string(),
        ];
        header.extend(columns.iter().map(|c| c.title.to_string()));
        doc.push(Block::Table(Table { header, rows }));
    }
    if n == 0 {
        doc.paragraph("No two runs of this suite differ in exactly one of the compared settings.");
    }
}

/// The sections of per-run figures: (heading, anchor, figure, explanation).
const SECTIONS: [(&str, &str, RunFigure, &str); 8] = [
    (
        "3.3 Learning curves: cross-entropy (seed fig. 4)",
        "curves-ce",
        RunFigure::CurveCe,
        "CE of the training and the test set along training.",
    ),
    (
        "3.4 Learning curves: KL divergence (seed fig. 5)",
        "curves-kl",
        RunFigure::CurveKl,
        "D_KL of both sets along training, on a log scale where every value is positive: a \
         curve that falls towards 0 marks posterior collapse.",
    ),
    (
        "3.5 Learning curves: mean squared error (seed fig. 6)",
        "curves-mse",
        RunFigure::CurveMse,
        "MSE per pixel of both sets along training.",
    ),
    (
        "3.6 Reconstructions (seed fig. 3)",
        "reconstructions",
        RunFigure::Reconstructions,
        "Rows from the top: training images, their reconstructions, test images, their \
         reconstructions.",
    ),
    (
        "3.7 Input and output pixel distributions (seed section 3.1)",
        "histograms",
        RunFigure::Histograms,
        "At each chosen pixel (highest training variance, at least 4 px apart), the histogram \
         of the input values against that of the reconstructed values; training set above, \
         test set below.",
    ),
    (
        "3.8 Latent scatter (seed fig. 7)",
        "scatter",
        RunFigure::Scatter,
        "μ of the classification images coloured by digit; for d = 20 the projection on the \
         first two principal components (the axis labels give the variance they explain).",
    ),
    (
        "3.9 Latent grid (seed section 3.2)",
        "latent-grid",
        RunFigure::LatentGrid,
        "Decoded images placed at their z on a regular grid; for d = 20 the grid lies on the \
         plane of the first two principal directions of μ through its mean (axes PC1, PC2), \
         the other coordinates at their mean.",
    ),
    (
        "3.10 Interpolation (seed section 3.2)",
        "interpolation",
        RunFigure::Interpolation,
        "Each row decodes t·z1 + (1 − t)·z2 between the codes of two training images of \
         different digits (labelled from → to), t from 1 (left) to 0 (right).",
    ),
];

fn per_run_figures(doc: &mut Document, ctx: &Context<'_>) {
    let configs: Vec<&RunConfig> = ctx.input.runs.iter().map(|r| r.config).collect();
    let families = factors::families(&configs);
    for (heading, anchor, figure, explanation) in SECTIONS {
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
                            Some(i) => run_cell(ctx, *i, figure),
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
    if let Err(error) = &run.outcome {
        return Cell::Note(format!("`{name}` failed: {error}"));
    }
    figure_cell(ctx, &layout::run_figure(name, figure), name)
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
        });
    }
    match ctx.rendered.failed.get(stem) {
        Some(error) => Cell::Note(format!("figure not drawn: {error}")),
        None => Cell::Note("nothing to draw".into()),
    }
}
