//! The report as a list of blocks, rendered once as Markdown and once as
//! HTML so that both say the same thing.
//!
//! Text may carry two inline forms, understood by both renderers:
//! `` `code` `` and `[text](relative/path)`.
//!
//! Figures are numbered once, here, in document order ([`figure_numbers`]);
//! both renderers print "Figure N." from the same numbers, and text refers to
//! a figure by its anchor with [`figure_ref`], which both resolve to a linked
//! "Figure N" ([`resolve_refs`]).

use std::collections::HashMap;

use crate::lang::Lang;
use crate::tr;

/// A piece of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; `id` is the HTML anchor.
    Heading {
        /// 1 for the title, 2 for sections, 3 and 4 below.
        level: u8,
        /// The heading's text.
        text: String,
        /// The anchor, unique in the document.
        id: String,
    },
    /// A paragraph of text.
    Paragraph(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table of text.
    Table(Table),
    /// One figure across the page.
    Figure(FigureRef),
    /// Figures laid out in a table with row and column headings.
    Figures(FigureTable),
    /// Preformatted text, e.g. the suite file.
    Code(String),
}

/// A table of text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// Figures in a grid: `rows[i].1[j]` sits under `columns[j]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureTable {
    /// Column headings (the first column holds the row headings).
    pub columns: Vec<String>,
    /// Row heading and cells.
    pub rows: Vec<(String, Vec<Cell>)>,
}

/// One cell of a [`FigureTable`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A figure.
    Figure(FigureRef),
    /// Text instead of a figure (a failed run, a figure not drawn).
    Note(String),
    /// Nothing in the suite for this cell.
    Empty,
}

/// A drawn figure.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRef {
    /// The PNG, relative to the report.
    pub png: String,
    /// The SVG beside it, if any.
    pub svg: Option<String>,
    /// What it shows.
    pub caption: String,
    /// The narrowest width in CSS pixels at which its text reads (≥ 10 px),
    /// when known: a smaller image is a thumbnail of the linked file.
    pub min_width: Option<u32>,
}

impl FigureRef {
    /// The figure's anchor, from its file: `figures/relu-z2/scatter.png`
    /// is `fig-relu-z2-scatter`. Stable, so text can refer to it.
    pub fn id(&self) -> String {
        figure_id(self.png.trim_end_matches(".png"))
    }

    /// A short text for `alt`: the caption up to its first full stop,
    /// without inline markup.
    pub fn alt(&self) -> String {
        let first = self.caption.split(". ").next().unwrap_or("");
        first
            .chars()
            .filter(|c| !"`*[]{}|".contains(*c))
            .collect::<String>()
            .trim_end_matches('.')
            .to_string()
    }
}

/// The anchor of the figure drawn at `stem` (relative to the report,
/// without extension), e.g. `figures/relu-z2/scatter` → `fig-relu-z2-scatter`.
pub fn figure_id(stem: &str) -> String {
    format!(
        "fig-{}",
        slug(stem.strip_prefix("figures/").unwrap_or(stem))
    )
}

/// Inline text that both renderers turn into a link "Figure N" to the
/// figure drawn at `stem` (see [`figure_id`]).
pub fn figure_ref(stem: &str) -> String {
    format!("{{{}}}", figure_id(stem))
}

/// Each figure's number by its anchor: 1, 2, … in document order (a
/// figure table row by row), a figure shown twice keeping its first number.
pub fn figure_numbers(blocks: &[Block]) -> HashMap<String, usize> {
    let mut numbers = HashMap::new();
    let mut add = |f: &FigureRef| {
        let next = numbers.len() + 1;
        numbers.entry(f.id()).or_insert(next);
    };
    for block in blocks {
        match block {
            Block::Figure(f) => add(f),
            Block::Figures(table) => {
                for (_, cells) in &table.rows {
                    for cell in cells {
                        if let Cell::Figure(f) = cell {
                            add(f);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    numbers
}

/// "Figure N" in `lang`: 「図 N」 in Japanese.
pub fn figure_label(lang: Lang, n: usize) -> String {
    tr!(lang, "Figure {n}", "図 {n}")
}

/// `text` with each `{fig-…}` reference replaced by `[Figure N](#fig-…)`,
/// or by "a figure that was not drawn" when no figure has that anchor
/// (English; [`resolve_refs_in`] for either edition).
pub fn resolve_refs(text: &str, numbers: &HashMap<String, usize>) -> String {
    resolve_refs_in(Lang::En, text, numbers)
}

/// [`resolve_refs`] in `lang`: `[図 N](#fig-…)` in Japanese.
pub fn resolve_refs_in(lang: Lang, text: &str, numbers: &HashMap<String, usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{fig-") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let id = &after[..end];
        match numbers.get(id) {
            Some(n) => out.push_str(&format!("[{}](#{id})", figure_label(lang, *n))),
            None => out.push_str(lang.pick("a figure that was not drawn", "描かれなかった図")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The entries of the table of contents: every level-2 and level-3
/// heading, as (level, text, anchor).
pub fn contents(blocks: &[Block]) -> Vec<(u8, &str, &str)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text, id } if (2..=3).contains(level) => {
                Some((*level, text.as_str(), id.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// Builds a document, giving headings unique anchors.
#[derive(Debug, Default)]
pub struct Document {
    /// The blocks so far.
    pub blocks: Vec<Block>,
}

impl Document {
    /// Appends a heading with an anchor made from `id`.
    pub fn heading(&mut self, level: u8, text: impl Into<String>, id: &str) {
        let text = text.into();
        let mut id = slug(id);
        let base = id.clone();
        let mut n = 2;
        while self
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { id: other, .. } if *other == id))
        {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.blocks.push(Block::Heading { level, text, id });
    }

    /// Appends a paragraph.
    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }

    /// Appends any block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

/// Lower-case letters, digits and `-` only.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_slugs_and_unique() {
        let mut doc = Document::default();
        doc.heading(2, "Results", "Results");
        doc.heading(3, "x", "Results");
        doc.heading(3, "y", "d = 2 vs d = 20!");
        let ids: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec!["results", "results-2", "d-2-vs-d-20"]);
    }

    fn figure(png: &str) -> FigureRef {
        FigureRef {
            png: png.into(),
            svg: None,
            caption: "`a`: the curves. More [here](x.csv).".into(),
            min_width: None,
        }
    }

    #[test]
    fn figures_are_numbered_in_document_order_and_references_resolve() {
        let blocks = vec![
            Block::Figure(figure("figures/compare/latent.png")),
            Block::Figures(FigureTable {
                columns: vec!["d = 2".into(), "d = 20".into()],
                rows: vec![
                    (
                        "relu".into(),
                        vec![
                            Cell::Figure(figure("figures/relu-z2/scatter.png")),
                            Cell::Empty,
                        ],
                    ),
                    (
                        "sigmoid".into(),
                        vec![
                            Cell::Note("failed".into()),
                            Cell::Figure(figure("figures/sigmoid-z20/scatter.png")),
                        ],
                    ),
                ],
            }),
            Block::Figure(figure("figures/relu-z2/scatter.png")),
        ];
        let numbers = figure_numbers(&blocks);
        assert_eq!(numbers.len(), 3);
        assert_eq!(numbers["fig-compare-latent"], 1);
        assert_eq!(numbers["fig-relu-z2-scatter"], 2);
        assert_eq!(numbers["fig-sigmoid-z20-scatter"], 3);
        let text = format!(
            "see {} and {}; {}",
            figure_ref("figures/sigmoid-z20/scatter"),
            figure_ref("figures/compare/latent"),
            figure_ref("figures/gone/scatter")
        );
        assert_eq!(
            resolve_refs(&text, &numbers),
            "see [Figure 3](#fig-sigmoid-z20-scatter) and [Figure 1](#fig-compare-latent); \
             a figure that was not drawn"
        );
        // Braces that are not references stay as they are.
        assert_eq!(resolve_refs("{a} {fig-x", &numbers), "{a} {fig-x");
        assert_eq!(figure("f.png").alt(), "a: the curves");
        assert_eq!(
            resolve_refs_in(Lang::Ja, &text, &numbers),
            "see [図 3](#fig-sigmoid-z20-scatter) and [図 1](#fig-compare-latent); \
             描かれなかった図"
        );
    }

    #[test]
    fn contents_hold_levels_two_and_three() {
        let mut doc = Document::default();
        doc.heading(1, "T", "top");
        doc.heading(2, "1 A", "a");
        doc.heading(3, "1.1 B", "b");
        doc.heading(4, "x", "x");
        assert_eq!(
            contents(&doc.blocks),
            vec![(2, "1 A", "a"), (3, "1.1 B", "b")]
        );
    }
}
