//! `report.md`: the document as GitHub-flavoured Markdown, figures as
//! images in tables, readable on a code host without running anything.

use super::document::{Block, Cell, FigureTable, Table};

/// Renders `blocks` as Markdown.
pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading { level, text, .. } => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(text);
                out.push('\n');
            }
            Block::Paragraph(text) => out.push_str(&format!("{text}\n")),
            Block::List(items) => {
                for item in items {
                    out.push_str(&format!("- {item}\n"));
                }
            }
            Block::Table(table) => out.push_str(&table_md(table)),
            Block::Figure(f) => {
                out.push_str(&format!("[![{}]({})]({})\n\n", f.caption, f.png, f.png));
                let svg = f
                    .svg
                    .as_ref()
                    .map_or(String::new(), |svg| format!(" ([SVG]({svg}))"));
                out.push_str(&format!("*{}*{svg}\n", f.caption));
            }
            Block::Figures(figures) => out.push_str(&figures_md(figures)),
            Block::Code(text) => {
                // A fence longer than any run of backticks inside the text.
                let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                out.push_str(&format!("{fence}\n{}\n{fence}\n", text.trim_end()));
            }
        }
        out.push('\n');
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells.into_iter().collect();
    format!("| {} |\n", cells.join(" | "))
}

fn table_md(table: &Table) -> String {
    let mut out = row(table.header.iter().map(|h| cell(h)));
    out.push_str(&row(table.header.iter().map(|_| "---".to_string())));
    for r in &table.rows {
        out.push_str(&row(r.iter().map(|c| cell(c))));
    }
    out
}

fn figures_md(figures: &FigureTable) -> String {
    let mut header = vec![String::new()];
    header.extend(figures.columns.iter().map(|c| cell(c)));
    let mut out = row(header.clone());
    out.push_str(&row(header.iter().map(|_| "---".to_string())));
    for (label, cells) in &figures.rows {
        let mut r = vec![format!("**{}**", cell(label))];
        r.extend(cells.iter().map(|c| match c {
            Cell::Figure(f) => format!("[![{}]({})]({})", cell(&f.caption), f.png, f.png),
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
        assert!(md.starts_with("## Results\n"), "{md}");
        assert!(md.contains("| x\\|y | 1 |"), "{md}");
        assert!(
            md.contains(
                "| **relu** | [![scatter](figures/r/scatter.png)](figures/r/scatter.png) |"
            ),
            "{md}"
        );
    }

    #[test]
    fn code_fences_outlast_backticks_inside() {
        let md = render(&[Block::Code("a ``` b".into())]);
        assert!(md.starts_with("````\n"), "{md}");
    }
}
