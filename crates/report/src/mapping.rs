//! The original study's experiments and figures, mapped to the runs and
//! numbered figures of this report (the table of `docs/study.md`, filled
//! in with the runs that ran).

use vaelab_vae::{Head, Objective, RunConfig};

use crate::Context;
use crate::discussion::LAYOUT_ID;
use crate::discussion::layout::layout_title;
use crate::document::{Block, Document, Table, figure_ref};
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::layout;
use crate::tr;

/// The original's four experiments: label, activation, latent dimension.
const EXPERIMENTS: [(&str, &str, usize); 4] = [
    ("実験 1-a", "sigmoid", 2),
    ("実験 1-b", "sigmoid", 20),
    ("実験 2-a", "relu", 2),
    ("実験 2-b", "relu", 20),
];

/// The original's figures and sections that have a figure here: the
/// label in the English and in the Japanese edition.
const FIGURES: [([&str; 2], RunFigure); 8] = [
    (
        ["図 3 出力画像 (output images)", "図 3 出力画像"],
        RunFigure::Reconstructions,
    ),
    (
        ["図 4 crossEntropy", "図 4 crossEntropy"],
        RunFigure::CurveCe,
    ),
    (["図 5 D_KL", "図 5 D_KL"], RunFigure::CurveKl),
    (
        ["図 6 平均二乗誤差 (MSE)", "図 6 平均二乗誤差（MSE）"],
        RunFigure::CurveMse,
    ),
    (
        ["図 7 (latent scatter)", "図 7（潜在変数の散布図）"],
        RunFigure::Scatter,
    ),
    (
        ["§3.1 度数分布図 (histograms)", "§3.1 度数分布図"],
        RunFigure::Histograms,
    ),
    (
        [
            "§3.2 z from (−2, −2) to (2, 2)",
            "§3.2 z を (−2, −2) から (2, 2) まで変える",
        ],
        RunFigure::LatentGrid,
    ),
    (
        ["§3.2 z = t·z1 + (1 − t)·z2", "§3.2 z = t·z1 + (1 − t)·z2"],
        RunFigure::Interpolation,
    ),
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
    let lang = ctx.lang;
    doc.heading(
        3,
        tr!(
            lang,
            "{number} The original study, mapped to this report",
            "{number} 元の実験と本レポートの対応"
        ),
        "original-mapped",
    );
    doc.paragraph(tr!(
        lang,
        "The study reproduced here (a Japanese lab report; `docs/study.md` restates it) calls \
         its four models experiments 1-a, 1-b, 2-a and 2-b. Its setting is the seed head \
         trained on cross-entropy; runs in the same model with another objective or head \
         extend it. Figure links go to the first seed of the configuration in the original's \
         setting.",
        "本レポートが再現する元の実験（日本語の実験レポート。内容は `docs/study.md` にまとめ\
         直してある）は、4 つのモデルを実験 1-a、1-b、2-a、2-b とよぶ。元の実験の設定は、\
         交差エントロピーで学習する seed ヘッドである。同じモデルで目的関数やヘッドを変えた\
         実験は、それを拡張したものである。図へのリンクは、元の実験の設定で学習した構成の最初の\
         シードの図を指す。"
    ));
    // Each configuration once, by its first run's settings.
    let configurations: Vec<(&str, &RunConfig)> = ctx
        .configurations
        .iter()
        .map(|c| (c.name.as_str(), ctx.input.runs[c.representative()].config))
        .collect();
    doc.push(Block::Table(experiments(&configurations, lang)));
    let runs: Vec<&RunConfig> = ctx.input.runs.iter().map(|r| r.config).collect();
    doc.push(Block::Table(figures(
        &runs,
        &|c, kind| drawn(ctx, c, kind),
        lang,
    )));
}

/// The original's experiments, each with the configuration in its setting
/// and the model's other configurations; every cell filled.
fn experiments(configurations: &[(&str, &RunConfig)], lang: Lang) -> Table {
    let rows = EXPERIMENTS
        .iter()
        .map(|(label, activation, latent)| {
            let model = format!("{activation}-z{latent}");
            let of = |setting: bool| -> Vec<String> {
                configurations
                    .iter()
                    .filter(|(_, c)| {
                        c.model_name() == model && original(c, activation, *latent) == setting
                    })
                    .map(|(name, _)| format!("`{name}`"))
                    .collect()
            };
            vec![
                label.to_string(),
                format!("{model}: {activation}, d = {latent}"),
                or_none(&of(true), lang),
                or_none(&of(false), lang),
            ]
        })
        .collect();
    let header = lang.pick(
        [
            "original",
            "model",
            "configuration in the original's setting",
            "other configurations of the model",
        ],
        [
            "元の実験",
            "モデル",
            "元の実験の設定での構成",
            "そのモデルの他の構成",
        ],
    );
    Table {
        header: header.map(String::from).to_vec(),
        rows,
    }
}

/// The original's tables, figures and sections, each with where it is
/// here: a section, and the figures of the runs in the original's setting
/// that were drawn (`drawn`).
fn figures(
    runs: &[&RunConfig],
    drawn: &dyn Fn(&RunConfig, RunFigure) -> bool,
    lang: Lang,
) -> Table {
    let mut rows = vec![vec![
        tr!(lang, "表 1–12 (layer tables)", "表 1–12（各層の表）"),
        tr!(
            lang,
            "each model's layers: [2.2 Models](#models)",
            "各モデルの層構成：[2.2 モデル](#models)"
        ),
    ]];
    for (labels, kind) in FIGURES {
        let label = lang.pick(labels[0], labels[1]);
        let (heading, anchor, _) = kind.section(lang);
        let section_name = heading
            .split(['(', '（'])
            .next()
            .unwrap_or(heading)
            .trim_end();
        let refs: Vec<String> = EXPERIMENTS
            .iter()
            .filter_map(|(_, activation, latent)| {
                let c = runs
                    .iter()
                    .find(|c| original(c, activation, *latent) && drawn(c, kind))?;
                Some(format!(
                    "{} (`{}`)",
                    figure_ref(&layout::run_figure(&c.name, kind)),
                    c.name
                ))
            })
            .collect();
        let section = format!("[{section_name}](#{anchor})");
        rows.push(vec![
            label.to_string(),
            if refs.is_empty() {
                section
            } else {
                format!("{section}{}{}", lang.pick(": ", "："), lang.join(&refs))
            },
        ]);
    }
    rows.push(vec![
        tr!(lang, "§5 考察 (discussion)", "§5 考察"),
        tr!(
            lang,
            "[4 Discussion](#discussion), generated from the numbers",
            "[4 考察](#discussion)（数値から生成した考察）"
        ),
    ]);
    // The link text is the layout topic's own title in this edition.
    let layout_title = layout_title(lang);
    rows.push(vec![
        tr!(
            lang,
            "\"What do positions in the latent space mean?\"",
            "「潜在空間の位置は何を意味するか」"
        ),
        tr!(
            lang,
            "which digits sit together, μ over the decoded grid: [{layout_title}](#{LAYOUT_ID})",
            "どの数字が近くに集まるか、復号した格子に重ねた μ：[{layout_title}](#{LAYOUT_ID})"
        ),
    ]);
    let header = lang.pick(
        [
            "original",
            "where here (figures of the runs in the original's setting)",
        ],
        [
            "元の実験",
            "本レポートでの場所（元の実験の設定での実験の図）",
        ],
    );
    Table {
        header: header.map(String::from).to_vec(),
        rows,
    }
}

/// Whether `kind`'s figure of `c` was drawn.
fn drawn(ctx: &Context<'_>, c: &RunConfig, kind: RunFigure) -> bool {
    ctx.rendered
        .png
        .contains(&layout::run_figure(&c.name, kind))
}

fn or_none(items: &[String], lang: Lang) -> String {
    if items.is_empty() {
        tr!(lang, "– (not in this suite)", "–（このスイートにはない）")
    } else {
        items.join(lang.pick(", ", "、"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_section_names_keep_the_english_numbers() {
        for kind in RunFigure::ALL {
            let (heading, _, _) = kind.section(Lang::En);
            let (ja, _, _) = kind.section(Lang::Ja);
            let number = heading.split(' ').next().unwrap();
            assert!(number.starts_with("3."), "{heading}");
            assert!(ja.starts_with(&format!("{number} ")), "{ja} vs {heading}");
            assert!(
                !crate::method::tests::has_english_prose(ja) && !ja.contains("seed"),
                "{ja}"
            );
        }
        // Every figure the original has is mapped once.
        let mut kinds: Vec<String> = FIGURES.iter().map(|(_, k)| format!("{k:?}")).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), RunFigure::ALL.len());
    }

    #[test]
    fn an_empty_list_says_so_in_each_language() {
        assert_eq!(or_none(&[], Lang::En), "– (not in this suite)");
        assert_eq!(or_none(&[], Lang::Ja), "–（このスイートにはない）");
        let two = ["`a`".to_string(), "`b`".to_string()];
        assert_eq!(or_none(&two, Lang::En), "`a`, `b`");
        assert_eq!(or_none(&two, Lang::Ja), "`a`、`b`");
    }

    #[test]
    fn every_cell_of_both_tables_is_filled_and_matches_its_header() {
        let config = |activation: &str, latent, objective| RunConfig {
            name: format!("{activation}-z{latent}-{objective:?}-seed-0"),
            activation: activation.parse().unwrap(),
            latent,
            objective,
            head: Head::Seed,
            ..RunConfig::default()
        };
        let ce = config("relu", 2, Objective::Ce);
        let sse = config("relu", 2, Objective::Sse);
        let configurations = [("relu-z2-ce", &ce), ("relu-z2-sse", &sse)];
        for lang in Lang::ALL {
            let table = experiments(&configurations, lang);
            for row in &table.rows {
                assert_eq!(row.len(), table.header.len());
                assert!(row.iter().all(|c| !c.trim().is_empty()), "{row:?}");
            }
            // The setting's column holds the CE configuration, the other
            // column the rest, each once.
            let relu2 = &table.rows[2];
            assert_eq!(relu2[2], "`relu-z2-ce`");
            assert_eq!(relu2[3], "`relu-z2-sse`");
            let runs = [&ce, &sse];
            let table = figures(&runs, &|_, kind| kind == RunFigure::Scatter, lang);
            for row in &table.rows {
                assert_eq!(row.len(), table.header.len());
                assert!(row.iter().all(|c| !c.trim().is_empty()), "{row:?}");
            }
            let scatter = table
                .rows
                .iter()
                .find(|r| r[1].contains("#scatter"))
                .unwrap();
            assert!(
                scatter[1].contains(&format!("(`{}`)", ce.name)),
                "{scatter:?}"
            );
            assert!(!scatter[1].contains(&sse.name), "{scatter:?}");
        }
    }
}
