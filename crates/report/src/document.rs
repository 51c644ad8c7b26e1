//! The report as a list of blocks, rendered once as Markdown and once as
//! HTML so that both say the same thing.
//!
//! Text may carry two inline forms, understood by both renderers:
//! `` `code` `` and `[text](relative/path)`.

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
}
