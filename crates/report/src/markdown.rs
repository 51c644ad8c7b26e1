//! `report.md`: the document as GitHub-flavoured Markdown, figures as
//! images in tables, readable on a code host without running anything.

use std::collections::HashMap;

use super::document::{self, Block, Cell, FigureRef, FigureTable, Table};
use super::lang::Lang;

/// Renders `blocks` as English Markdown (see [`render_in`]).
pub fn render(blocks: &[Block]) -> String {
    render_in(Lang::En, blocks)
}

/// Renders `blocks` as Markdown in `lang`, which names the figures
/// ("Figure N" / 「図 N」) and the table of contents. Headings and figures
/// carry an HTML anchor (`<a id="…">`) with the same name as in the HTML
/// page, so that the table of contents and figure references link the same
/// way in both.
pub fn render_in(lang: Lang, blocks: &[Block]) -> String {
    let numbers = document::figure_numbers(blocks);
    let text = |t: &str| document::resolve_refs_in(lang, t, &numbers);
    let first_section = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 2, .. }))
        .unwrap_or(blocks.len());
    let mut out = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if i == first_section {
            out.push_str(&contents(lang, blocks));
        }
        match block {
            Block::Heading { level, text: t, id } => {
                if *level > 1 {
                    out.push_str(&format!("<a id=\"{id}\"></a>\n\n"));
                }
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&text(t));
                out.push('\n');
            }
            Block::Paragraph(t) => out.push_str(&format!("{}\n", text(t))),
            Block::List(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", text(item)));
                }
            }
            Block::Table(table) => out.push_str(&table_md(table, &text)),
            Block::Figure(f) => {
                out.push_str(&format!(
                    "<a id=\"{}\"></a>\n\n[![{}]({})]({})\n\n",
                    f.id(),
                    f.alt(),
                    f.png,
                    f.png
                ));
                let svg = f
                    .svg
                    .as_ref()
                    .map_or(String::new(), |svg| format!(" ([SVG]({svg}))"));
                out.push_str(&format!("{}{svg}\n", caption(lang, f, &numbers)));
            }
            Block::Figures(figures) => out.push_str(&figures_md(lang, figures, &numbers)),
            Block::Code(t) => {
                // A fence longer than any run of backticks inside the text.
                let longest = t.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                out.push_str(&format!("{fence}\n{}\n{fence}\n", t.trim_end()));
            }
        }
        out.push('\n');
    }
    out
}

/// "**Figure N.** caption" (「**図 N** caption」), references resolved.
fn caption(lang: Lang, f: &FigureRef, numbers: &HashMap<String, usize>) -> String {
    let text = document::resolve_refs_in(lang, &f.caption, numbers);
    match numbers.get(&f.id()) {
        Some(&n) => format!(
            "**{}{}** {text}",
            document::figure_label(lang, n),
            lang.pick(".", "")
        ),
        None => text,
    }
}

/// The table of contents: level-2 headings, level-3 headings indented
/// below them.
fn contents(lang: Lang, blocks: &[Block]) -> String {
    let entries = document::contents(blocks);
    if entries.is_empty() {
        return String::new();
    }
    let mut out = format!("**{}**\n\n", lang.pick("Contents", "目次"));
    for (level, text, id) in entries {
        let indent = if level == 3 { "  " } else { "" };
        out.push_str(&format!("{indent}- [{text}](#{id})\n"));
    }
    out.push('\n');
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells.into_iter().collect();
    format!("| {} |\n", cells.join(" | "))
}

fn table_md(table: &Table, text: &impl Fn(&str) -> String) -> String {
    let mut out = row(table.header.iter().map(|h| cell(&text(h))));
    out.push_str(&row(table.header.iter().map(|_| "---".to_string())));
    for r in &table.rows {
        out.push_str(&row(r.iter().map(|c| cell(&text(c)))));
    }
    out
}

fn figures_md(lang: Lang, figures: &FigureTable, numbers: &HashMap<String, usize>) -> String {
    let mut header = vec![String::new()];
    header.extend(figures.columns.iter().map(|c| cell(c)));
    let mut out = row(header.clone());
    out.push_str(&row(header.iter().map(|_| "---".to_string())));
    for (label, cells) in &figures.rows {
        let mut r = vec![format!("**{}**", cell(label))];
        r.extend(cells.iter().map(|c| match c {
            Cell::Figure(f) => format!(
                "<a id=\"{}\"></a>[![{}]({})]({})<br>{}",
                f.id(),
                cell(&f.alt()),
                f.png,
                f.png,
                cell(&caption(lang, f, numbers))
            ),
            Cell::Note(text) => cell(text),
            Cell::Empty => String::new(),
        }));
        out.push_str(&row(r));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::document::FigureRef;
    use super::*;

    #[test]
    fn tables_escape_pipes_and_figures_become_linked_images() {
        let blocks = vec![
            Block::Heading {
                level: 2,
                text: "Results".into(),
                id: "results".into(),
            },
            Block::Table(Table {
                header: vec!["a".into(), "b".into()],
                rows: vec![vec!["x|y".into(), "1".into()]],
            }),
            Block::Figures(FigureTable {
                columns: vec!["d = 2".into()],
                rows: vec![(
                    "relu".into(),
                    vec![Cell::Figure(FigureRef {
                        png: "figures/r/scatter.png".into(),
                        svg: None,
                        caption: "scatter".into(),
                        min_width: None,
                    })],
                )],
            }),
        ];
        let md = render(&blocks);
        assert!(
            md.starts_with(
                "**Contents**\n\n- [Results](#results)\n\n<a id=\"results\"></a>\n\n## Results\n"
            ),
            "{md}"
        );
        assert!(md.contains("| x\\|y | 1 |"), "{md}");
        assert!(
            md.contains(
                "| **relu** | <a id=\"fig-r-scatter\"></a>[![scatter](figures/r/scatter.png)](figures/r/scatter.png)\
                 <br>**Figure 1.** scatter |"
            ),
            "{md}"
        );
    }

    #[test]
    fn the_japanese_edition_names_figures_and_contents_in_japanese() {
        let figure = FigureRef {
            png: "figures/r/scatter.png".into(),
            svg: Some("figures/r/scatter.svg".into()),
            caption: "散布図".into(),
            min_width: None,
        };
        let blocks = vec![
            Block::Heading {
                level: 2,
                text: "3 実験結果".into(),
                id: "results".into(),
            },
            Block::Paragraph(format!(
                "{} を見よ。{}",
                document::figure_ref("figures/r/scatter"),
                document::figure_ref("figures/gone/scatter")
            )),
            Block::Figure(figure),
        ];
        let md = render_in(Lang::Ja, &blocks);
        assert!(
            md.starts_with("**目次**\n\n- [3 実験結果](#results)\n"),
            "{md}"
        );
        assert!(
            md.contains("[図 1](#fig-r-scatter) を見よ。描かれなかった図"),
            "{md}"
        );
        assert!(md.contains("**図 1** 散布図 ([SVG]"), "{md}");
        assert!(!md.contains("Figure") && !md.contains("Contents"), "{md}");
        // The English edition of the same blocks is unchanged.
        let en = render(&blocks);
        assert_eq!(en, render_in(Lang::En, &blocks));
        assert!(en.contains("**Figure 1.** 散布図") && en.contains("[Figure 1](#fig-r-scatter)"));
    }

    #[test]
    fn code_fences_outlast_backticks_inside() {
        let md = render(&[Block::Code("a ``` b".into())]);
        assert!(md.starts_with("````\n"), "{md}");
    }
}
