//! The original study's experiments and figures, mapped to the runs and
//! numbered figures of this report (the table of `docs/study.md`, filled
//! in with the runs that ran).

use vaelab_vae::{Head, Objective, RunConfig};

use crate::Context;
use crate::discussion::{LAYOUT_ID, LAYOUT_TITLE};
use crate::document::{Block, Document, Table, figure_ref, slug};
use crate::figures::RunFigure;
use crate::layout;

/// The original's four experiments: label, activation, latent dimension.
const EXPERIMENTS: [(&str, &str, usize); 4] = [
    ("実験 1-a", "sigmoid", 2),
    ("実験 1-b", "sigmoid", 20),
    ("実験 2-a", "relu", 2),
    ("実験 2-b", "relu", 20),
];

/// The original's figures and sections that have a figure here.
const FIGURES: [(&str, RunFigure); 8] = [
    ("図 3 出力画像 (output images)", RunFigure::Reconstructions),
    ("図 4 crossEntropy", RunFigure::CurveCe),
    ("図 5 D_KL", RunFigure::CurveKl),
    ("図 6 平均二乗誤差 (MSE)", RunFigure::CurveMse),
    ("図 7 (latent scatter)", RunFigure::Scatter),
    ("§3.1 度数分布図 (histograms)", RunFigure::Histograms),
    ("§3.2 z from (−2, −2) to (2, 2)", RunFigure::LatentGrid),
    ("§3.2 z = t·z1 + (1 − t)·z2", RunFigure::Interpolation),
];

/// Whether `c` runs one of the original's experiments in its own setting
/// (the seed head trained on CE) for `activation` and `latent`.
fn original(c: &RunConfig, activation: &str, latent: usize) -> bool {
    c.model_name() == format!("{activation}-z{latent}")
        && c.head == Head::Seed
        && c.objective == Objective::Ce
}

/// Appends the mapping as a level-3 section numbered `number`.
pub fn section(doc: &mut Document, ctx: &Context<'_>, number: &str) {
    doc.heading(
        3,
        format!("{number} The original study, mapped to this report"),
        "original-mapped",
    );
    doc.paragraph(
        "The study reproduced here (a Japanese lab report; `docs/study.md` restates it) calls \
         its four models experiments 1-a, 1-b, 2-a and 2-b. Its setting is the seed head \
         trained on cross-entropy; runs in the same model with another objective or head \
         extend it. Figure links go to the run in the original's setting.",
    );
    let configs: Vec<&RunConfig> = ctx.input.runs.iter().map(|r| r.config).collect();
    let mut rows = Vec::new();
    for (label, activation, latent) in EXPERIMENTS {
        let model = format!("{activation}-z{latent}");
        let same: Vec<String> = configs
            .iter()
            .filter(|c| c.model_name() == model)
            .map(|c| format!("`{}`", c.name))
            .collect();
        let setting: Vec<String> = configs
            .iter()
            .filter(|c| original(c, activation, latent))
            .map(|c| format!("`{}`", c.name))
            .collect();
        rows.push(vec![
            label.to_string(),
            format!("{model}: {activation}, d = {latent}"),
            or_none(&setting),
            or_none(&same),
        ]);
    }
    rows.push(vec![
        "表 1–12 (layer tables)".into(),
        "each model's layers".into(),
        "[2.2 Models](#models)".into(),
        String::new(),
    ]);
    for (label, kind) in FIGURES {
        let (heading, anchor, _) = kind.section(ctx.lang);
        let section_name = heading
            .split(['(', '（'])
            .next()
            .unwrap_or(heading)
            .trim_end();
        let refs: Vec<String> = EXPERIMENTS
            .iter()
            .filter_map(|(_, activation, latent)| {
                let c = configs
                    .iter()
                    .find(|c| original(c, activation, *latent) && drawn(ctx, c, kind))?;
                Some(format!(
                    "{} (`{}`)",
                    figure_ref(&layout::run_figure(&c.name, kind)),
                    c.name
                ))
            })
            .collect();
        rows.push(vec![
            label.to_string(),
            format!("[{section_name}](#{anchor})"),
            or_none(&refs),
            String::new(),
        ]);
    }
    rows.push(vec![
        "§5 考察 (discussion)".into(),
        "the discussion, generated from the numbers".into(),
        "[4 Discussion](#discussion)".into(),
        String::new(),
    ]);
    rows.push(vec![
        "\"What do positions in the latent space mean?\"".into(),
        "which digits sit together; μ over the decoded grid".into(),
        format!("[{LAYOUT_TITLE}](#{LAYOUT_ID})"),
        String::new(),
    ]);
    doc.push(Block::Table(Table {
        header: [
            "original",
            "what it is / where here",
            "in the original's setting",
            "all runs of the model",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }));
}

/// Whether `kind`'s figure of `c` was drawn.
fn drawn(ctx: &Context<'_>, c: &RunConfig, kind: RunFigure) -> bool {
    ctx.rendered
        .png
        .contains(&layout::run_figure(&c.name, kind))
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "– (not in this suite)".into()
    } else {
        items.join(", ")
    }
}
