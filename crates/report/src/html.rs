//! `index.html`: the document as one page that opens from disk with no
//! network — the style sheet is inline, figures are referenced by relative
//! path, and there is no script.

use std::collections::{HashMap, HashSet};

use super::document::{self, Block, Cell, FigureRef, FigureTable, Table};
use super::lang::Lang;
use crate::tr;

const STYLE: &str = "
body { font-family: -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif;
       max-width: 1200px; margin: 2em auto; padding: 0 1.5em; color: #222; line-height: 1.5; }
/* The Japanese edition: a Japanese font before the Latin ones' fallbacks,
   and the looser leading Japanese text reads best at. */
html:lang(ja) body { font-family: 'Hiragino Sans', 'Noto Sans CJK JP', 'Yu Gothic', Meiryo,
       -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; line-height: 1.7; }
h1 { border-bottom: 2px solid #333; padding-bottom: .3em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
code, pre { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 90%; }
code { background: #f3f3f3; padding: 0 .2em; border-radius: 3px; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; }
table.data th, table.data td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr:nth-child(even) td { background: #fafafa; }
table.figures { width: 100%; table-layout: fixed; }
table.figures th { text-align: center; padding: .3em; }
table.figures th.row { width: 6em; text-align: right; padding-right: .8em; }
table.figures td { vertical-align: top; padding: .3em; }
figure { margin: 0; }
figure.wide { margin: 1em 0; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
img[src$=\"latent-grid.png\"], img[src$=\"reconstructions.png\"], img[src$=\"interpolation.png\"] {
  image-rendering: pixelated; }
figcaption { font-size: 85%; color: #555; }
figcaption .n { color: #222; font-weight: bold; }
.note { color: #a00; font-size: 90%; }
nav > ul { columns: 2; }
nav ul ul { font-size: 90%; margin: 0; padding-left: 1.2em; }
nav li { break-inside: avoid-column; }
div.scroll { overflow-x: auto; max-width: 100%; }
div.scroll > table { margin: .5em 0; }
img { max-width: 100%; }
@media (max-width: 600px) {
  body { padding: 0 .6em; }
  nav > ul { columns: 1; }
  table.figures, table.figures tbody, table.figures tr,
  table.figures th, table.figures td { display: block; width: auto; }
  table.figures th.row { text-align: left; width: auto; }
}
";

/// Renders `blocks` as a complete English HTML page titled `title`.
pub fn render(title: &str, blocks: &[Block]) -> String {
    render_in(Lang::En, title, blocks)
}

/// Renders `blocks` as a complete HTML page titled `title`, in `lang` (the
/// `lang` attribute lets browsers pick fonts and screen readers a voice).
pub fn render_in(lang: Lang, title: &str, blocks: &[Block]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.code(),
        escape(title)
    );
    let mut page = Page {
        lang,
        numbers: document::figure_numbers(blocks),
        anchored: HashSet::new(),
    };
    // The contents go under the title and its introduction, before the
    // first section.
    let first_section = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 2, .. }))
        .unwrap_or(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        if i == first_section {
            out.push_str(&contents(blocks));
        }
        out.push_str(&page.block_html(block));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A table of contents of the level-2 headings, each with its level-3
/// headings below it.
fn contents(blocks: &[Block]) -> String {
    let entries = document::contents(blocks);
    if entries.is_empty() {
        return String::new();
    }
    let mut out = String::from("<nav><ul>\n");
    let mut open_sub = false;
    let mut open_item = false;
    for (level, text, id) in entries {
        let link = format!("<a href=\"#{id}\">{}</a>", escape(text));
        if level == 2 {
            if open_sub {
                out.push_str("</ul>");
                open_sub = false;
            }
            if open_item {
                out.push_str("</li>\n");
            }
            out.push_str(&format!("<li>{link}"));
            open_item = true;
        } else {
            if !open_sub {
                out.push_str("<ul>\n");
                open_sub = true;
            }
            out.push_str(&format!("<li>{link}</li>\n"));
        }
    }
    if open_sub {
        out.push_str("</ul>");
    }
    if open_item {
        out.push_str("</li>\n");
    }
    out.push_str("</ul></nav>\n");
    out
}

/// What rendering one page keeps: its language, each figure's number, and the anchors
/// already given (a figure shown twice gets its anchor once).
struct Page {
    lang: Lang,
    numbers: HashMap<String, usize>,
    anchored: HashSet<String>,
}

impl Page {
    /// Inline text with its figure references resolved.
    fn text(&self, text: &str) -> String {
        inline(&document::resolve_refs_in(self.lang, text, &self.numbers))
    }

    fn block_html(&mut self, block: &Block) -> String {
        match block {
            Block::Heading { level, text, id } => {
                let level = (*level).clamp(1, 6);
                format!("<h{level} id=\"{id}\">{}</h{level}>\n", self.text(text))
            }
            Block::Paragraph(text) => format!("<p>{}</p>\n", self.text(text)),
            Block::List(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| format!("<li>{}</li>", self.text(i)))
                    .collect();
                format!("<ul>\n{}\n</ul>\n", items.join("\n"))
            }
            Block::Table(table) => table_html(table, |t| self.text(t)),
            // A figure of its own is shown at least as wide as its text
            // needs, scrolling sideways on a narrow screen.
            Block::Figure(f) => {
                let (open, inner) = self.figure(f, "wide", true);
                format!("<div class=\"scroll\">{open}{inner}</figure></div>\n")
            }
            Block::Figures(figures) => self.figures_html(figures),
            Block::Code(text) => format!("<pre>{}</pre>\n", escape(text.trim_end())),
        }
    }

    /// The opening `<figure>` tag (with the figure's anchor the first time)
    /// and its inner HTML.
    fn figure(&mut self, f: &FigureRef, class: &str, full: bool) -> (String, String) {
        let id = f.id();
        let anchor = if self.anchored.insert(id.clone()) {
            format!(" id=\"{id}\"")
        } else {
            String::new()
        };
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        };
        let number = self.numbers.get(&id).copied();
        let caption = self.text(&f.caption);
        (
            format!("<figure{anchor}{class}>"),
            figure_inner(self.lang, f, full, number, &caption),
        )
    }

    fn figures_html(&mut self, figures: &FigureTable) -> String {
        let mut out = String::from("<table class=\"figures\">\n<tr><th class=\"row\"></th>");
        for c in &figures.columns {
            out.push_str(&format!("<th>{}</th>", self.text(c)));
        }
        out.push_str("</tr>\n");
        for (label, cells) in &figures.rows {
            out.push_str(&format!("<tr><th class=\"row\">{}</th>", self.text(label)));
            for c in cells {
                let inner = match c {
                    Cell::Figure(f) => {
                        let (open, inner) = self.figure(f, "", false);
                        format!("{open}{inner}</figure>")
                    }
                    Cell::Note(text) => format!("<span class=\"note\">{}</span>", self.text(text)),
                    Cell::Empty => String::new(),
                };
                out.push_str(&format!("<td>{inner}</td>"));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        out
    }
}

fn table_html(table: &Table, text: impl Fn(&str) -> String) -> String {
    // Wide tables scroll inside their box rather than widening the page.
    let mut out = String::from("<div class=\"scroll\">\n<table class=\"data\">\n<tr>");
    for h in &table.header {
        out.push_str(&format!("<th>{}</th>", text(h)));
    }
    out.push_str("</tr>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for c in row {
            let class = if numeric(c) { " class=\"num\"" } else { "" };
            out.push_str(&format!("<td{class}>{}</td>", text(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</div>\n");
    out
}

/// A linked image with its caption and, if any, a link to the SVG. `full`:
/// shown at least its readable width (`min_width`); otherwise a thumbnail
/// that links to the full-size file, and says so when its text would be
/// too small to read in place.
fn figure_inner(
    lang: Lang,
    f: &FigureRef,
    full: bool,
    number: Option<usize>,
    caption: &str,
) -> String {
    let svg = f.svg.as_ref().map_or(String::new(), |svg| {
        format!(" (<a href=\"{}\">SVG</a>)", escape(svg))
    });
    let (style, note) = match (f.min_width, full) {
        (Some(w), true) => (format!(" style=\"min-width: {w}px\""), String::new()),
        (Some(w), false) => (
            String::new(),
            tr!(
                lang,
                " <a href=\"{}\">(thumbnail: full size, readable from {w} px)</a>",
                " <a href=\"{}\">（縮小表示：原寸の図は {w} px 以上の幅で読める）</a>",
                escape(&f.png)
            ),
        ),
        (None, _) => (String::new(), String::new()),
    };
    let number = number.map_or(String::new(), |n| {
        format!(
            "<span class=\"n\">{}{}</span> ",
            document::figure_label(lang, n),
            lang.pick(".", "")
        )
    });
    format!(
        "<a href=\"{png}\"><img src=\"{png}\" alt=\"{alt}\" loading=\"lazy\"{style}></a>\
         <figcaption>{number}{caption}{svg}{note}</figcaption>",
        png = escape(&f.png),
        alt = escape(&f.alt()),
    )
}

/// Whether a table cell holds a number (right-aligned): digits with signs,
/// points, exponents, `/` or `%`, or a dash for "none".
fn numeric(cell: &str) -> bool {
    let cell = cell.trim();
    cell == "–"
        || (cell.chars().any(|c| c.is_ascii_digit())
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || ".-+e/%, ".contains(c)))
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text and turns `` `code` `` and `[text](target)` into HTML;
/// `**bold**` becomes `<strong>`.
pub fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
        {
            out.push_str(&format!("<code>{}</code>", escape(&after[..end])));
            rest = &after[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**")
        {
            out.push_str(&format!("<strong>{}</strong>", inline(&after[..end])));
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some((label, target, tail)) = link(after)
        {
            out.push_str(&format!(
                "<a href=\"{}\">{}</a>",
                escape(target),
                inline(label)
            ));
            rest = tail;
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push_str(&escape(&c.to_string()));
        }
        rest = chars.as_str();
    }
    out
}

/// Splits `label](target)tail` (the text after `[`).
fn link(after: &str) -> Option<(&str, &str, &str)> {
    let close = after.find("](")?;
    let label = &after[..close];
    if label.contains('[') || label.contains(']') {
        return None;
    }
    let rest = &after[close + 2..];
    let end = rest.find(')')?;
    let target = &rest[..end];
    if target.is_empty() || target.contains(char::is_whitespace) {
        return None;
    }
    Some((label, target, &rest[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One block rendered on a page of its own.
    fn block_html(block: &Block) -> String {
        let mut page = Page {
            lang: Lang::En,
            numbers: document::figure_numbers(std::slice::from_ref(block)),
            anchored: HashSet::new(),
        };
        page.block_html(block)
    }

    #[test]
    fn figures_read_at_their_size_and_tables_scroll() {
        let figure = |min_width| super::super::document::FigureRef {
            png: "f.png".into(),
            svg: None,
            caption: "c".into(),
            min_width,
        };
        let wide = block_html(&Block::Figure(figure(Some(1234))));
        assert!(wide.contains("style=\"min-width: 1234px\""), "{wide}");
        assert!(wide.starts_with("<div class=\"scroll\">"), "{wide}");
        assert!(
            wide.contains("<figure id=\"fig-f\" class=\"wide\">")
                && wide.contains("<figcaption><span class=\"n\">Figure 1.</span> c"),
            "{wide}"
        );
        let grid = block_html(&Block::Figures(FigureTable {
            columns: vec!["d = 2".into()],
            rows: vec![("relu".into(), vec![Cell::Figure(figure(Some(900)))])],
        }));
        assert!(grid.contains("readable from 900 px"), "{grid}");
        assert!(grid.contains("<a href=\"f.png\"><img"), "{grid}");
        let table = block_html(&Block::Table(Table {
            header: vec!["a".into()],
            rows: vec![vec!["1".into()]],
        }));
        assert!(
            table.starts_with("<div class=\"scroll\">\n<table"),
            "{table}"
        );
        assert!(STYLE.contains("@media (max-width: 600px)"));
    }

    #[test]
    fn the_japanese_page_numbers_figures_in_japanese() {
        let figure = |png: &str| super::super::document::FigureRef {
            png: png.into(),
            svg: None,
            caption: "図の説明".into(),
            min_width: Some(900),
        };
        let blocks = [
            Block::Paragraph(document::figure_ref("b")),
            Block::Figure(figure("a.png")),
            Block::Figures(FigureTable {
                columns: vec!["d = 2".into()],
                rows: vec![("relu".into(), vec![Cell::Figure(figure("b.png"))])],
            }),
        ];
        let page = render_in(Lang::Ja, "題", &blocks);
        assert!(page.contains("<html lang=\"ja\">"), "{page}");
        assert!(page.contains("<a href=\"#fig-b\">図 2</a>"), "{page}");
        assert!(
            page.contains("<span class=\"n\">図 1</span> 図の説明"),
            "{page}"
        );
        assert!(
            page.contains("原寸の図は 900 px 以上の幅で読める"),
            "{page}"
        );
        assert!(
            !page.contains("Figure") && !page.contains("thumbnail"),
            "{page}"
        );
        let en = render_in(Lang::En, "t", &blocks);
        assert!(en.contains("<span class=\"n\">Figure 1.</span>") && en.contains("thumbnail"));
    }

    #[test]
    fn inline_forms_become_html_and_text_is_escaped() {
        assert_eq!(
            inline("a `x<y` [csv](data/a.csv) & **b**"),
            "a <code>x&lt;y</code> <a href=\"data/a.csv\">csv</a> &amp; <strong>b</strong>"
        );
        // Unbalanced forms stay text.
        assert_eq!(inline("`a [b] (c"), "`a [b] (c");
    }

    #[test]
    fn numbers_are_told_from_text() {
        for n in ["1", "-204.75", "2.7e-5", "19/20", "56%", "–", "0.001, 0.9"] {
            assert!(numeric(n), "{n}");
        }
        for t in ["relu", "`relu-z2-ce`", "seed", "d = 2", ""] {
            assert!(!numeric(t), "{t}");
        }
    }

    #[test]
    fn contents_nest_level_three_under_level_two() {
        let heading = |level, id: &str| Block::Heading {
            level,
            text: id.to_uppercase(),
            id: id.into(),
        };
        let html = render(
            "t",
            &[
                heading(2, "a"),
                heading(3, "a1"),
                heading(3, "a2"),
                heading(4, "deep"),
                heading(2, "b"),
            ],
        );
        let nav = &html[html.find("<nav>").unwrap()..html.find("</nav>").unwrap()];
        assert_eq!(
            nav,
            "<nav><ul>\n<li><a href=\"#a\">A</a><ul>\n<li><a href=\"#a1\">A1</a></li>\n\
             <li><a href=\"#a2\">A2</a></li>\n</ul></li>\n<li><a href=\"#b\">B</a></li>\n</ul>"
        );
    }

    #[test]
    fn the_page_is_self_contained() {
        let html = render(
            "t",
            &[Block::Heading {
                level: 2,
                text: "Purpose".into(),
                id: "purpose".into(),
            }],
        );
        assert!(html.contains("<style>") && html.contains("href=\"#purpose\""));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(!html.contains("<script"));
    }
}
