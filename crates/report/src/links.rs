//! Collecting and checking the links of `index.html` and `report.md`, so
//! that a report never points at a file it does not contain. The writer
//! checks before it swaps the report into place; the end-to-end test
//! checks again from outside.

use std::path::Path;

/// The values of every `src="…"` and `href="…"` attribute in `html`
/// (double or single quotes), with `&amp;` decoded.
pub fn html_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in ["src=", "href="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let preceded_by_space = rest[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            rest = &rest[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let value = &rest[1..];
            let Some(end) = value.find(quote) else {
                break;
            };
            if preceded_by_space {
                links.push(value[..end].replace("&amp;", "&"));
            }
            rest = &value[end..];
        }
    }
    links
}

/// The targets of every `[text](target)` and `![alt](target)` in `markdown`,
/// outside fenced code blocks and inline code.
pub fn markdown_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
            match &fence {
                Some(open) if ticks.len() >= open.len() => fence = None,
                Some(_) => {}
                None => fence = Some(ticks),
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        // Drop inline code spans before looking for links.
        let text: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
            .join(" ");
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            match after.find(')') {
                Some(end) => {
                    let target = after[..end].split_whitespace().next().unwrap_or("");
                    links.push(target.to_string());
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
    }
    links
}

/// Whether `path` points at a write-up in the repository's `docs/` from
/// `reports/` (`../docs/NAME.md`, e.g. the sigmoid-collapse ablation): it
/// resolves where the report is committed, not in a copy elsewhere, and is
/// the one kind of link out of the report that is accepted.
pub fn is_repository_doc(path: &str) -> bool {
    path.strip_prefix("../docs/").is_some_and(|name| {
        name.ends_with(".md")
            && !name.contains('/')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && !name.starts_with('.')
    })
}

/// The links among `links` that do not resolve: relative paths that are not
/// files under `dir`, and `#anchors` that `anchors` does not contain (pass
/// `None` to skip anchors). Links with a scheme (`http:`, `mailto:`) are
/// reported too: a report must open with no network. Links to the
/// repository's docs ([`is_repository_doc`]) are not judged.
pub fn broken(dir: &Path, links: &[String], anchors: Option<&str>) -> Vec<String> {
    links
        .iter()
        .filter(|link| {
            if let Some(anchor) = link.strip_prefix('#') {
                return anchors.is_some_and(|html| !html.contains(&format!("id=\"{anchor}\"")));
            }
            if link.is_empty() || link.contains(':') || link.starts_with('/') {
                return true;
            }
            let path = link.split(['#', '?']).next().unwrap_or("");
            if is_repository_doc(path) {
                return false;
            }
            path.split('/').any(|part| part == "..") || !dir.join(path).is_file()
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_attributes_are_collected_in_both_quote_styles() {
        let html = r##"<a href="a.png"><img src='b/c.svg' alt="x"></a> <a href="#top">t</a>
            <p>data-src="no" href= and src="d&amp;e.csv"</p>"##;
        assert_eq!(
            html_links(html),
            vec!["b/c.svg", "d&e.csv", "a.png", "#top"]
        );
    }

    #[test]
    fn markdown_links_skip_code() {
        let md = "See [the data](data/m.csv) and ![fig](figures/a.png \"t\").\n\
                  `not [a](link)` here\n```\n[no](inside.png)\n```\n[last](x.md)\n";
        assert_eq!(
            markdown_links(md),
            vec!["data/m.csv", "figures/a.png", "x.md"]
        );
    }

    #[test]
    fn broken_links_are_the_missing_files_foreign_urls_and_unknown_anchors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("f")).unwrap();
        std::fs::write(dir.path().join("f/a.png"), "x").unwrap();
        let links: Vec<String> = [
            "f/a.png",
            "f/b.png",
            "https://example.com/x.png",
            "#here",
            "#gone",
            "../f/a.png",
            "f",
            "../docs/sigmoid-collapse.md",
            "../docs/../secret.md",
        ]
        .map(String::from)
        .to_vec();
        let html = "<h2 id=\"here\">";
        assert_eq!(
            broken(dir.path(), &links, Some(html)),
            vec![
                "f/b.png",
                "https://example.com/x.png",
                "#gone",
                "../f/a.png",
                "f",
                "../docs/../secret.md"
            ]
        );
        // Without anchors to check against, anchors are not judged.
        assert_eq!(broken(dir.path(), &links, None).len(), 5);
    }
}
