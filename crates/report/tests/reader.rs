//! The report as a reader follows it: figures numbered once and alike in
//! `report.md` and `index.html`, every "Figure N" reference landing on the
//! figure numbered N, a contents list of every section, the glossary linked
//! from the tables, the original study mapped.

#![allow(clippy::unwrap_used)]

mod synthetic;

use std::collections::BTreeMap;

use vaelab_vae::{Suite, run_suite};

const SUITE: &str = r#"
name = "reader"
dataset = "mnist"

[defaults]
activation = "relu"
iterations = 20
batch_size = 40
eval_every = 10
data = { train = 40, test = 30, classify = 40 }
analysis = { loglik_samples = 5, grid_size = 3, interpolation_pairs = 1, interpolation_steps = 3, knn_k = 3 }

[[runs]]
name = "relu-z2-ce"
latent = 2

[[runs]]
name = "relu-z20-ce"
latent = 20
"#;

/// Each figure's anchor with the number printed after it, in page order:
/// the anchor is the text after `anchor` up to `"`, the number follows the
/// next `number` marker.
fn numbered(page: &str, anchor: &str, number: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find(anchor) {
        rest = &rest[at + anchor.len()..];
        let id = rest[..rest.find('"').unwrap()].to_string();
        let n_at = rest.find(number).unwrap() + number.len();
        let digits: String = rest[n_at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        out.push((id, digits.parse().unwrap()));
    }
    out
}

/// Every `(anchor, N)` of the references "Figure N" linking to `#anchor`.
fn references(page: &str, open: &str, middle: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find(open) {
        rest = &rest[at + open.len()..];
        // Markdown: `[Figure N](#id)`; HTML: `<a href="#id">Figure N</a>`.
        let (first, second) = rest.split_at(rest.find(middle).unwrap());
        let second = &second[middle.len()..];
        let (id, n) = if open.starts_with('[') {
            (&second[..second.find(')').unwrap()], first)
        } else {
            (first, &second[..second.find('<').unwrap()])
        };
        out.push((id.to_string(), n.parse().unwrap()));
    }
    out
}

#[test]
fn figures_are_numbered_alike_and_every_reference_resolves() {
    let suite = Suite::parse(SUITE, "reader").unwrap();
    let data = synthetic::data();
    let results = run_suite(&suite.runs, &data, 1, &|_, _| {});
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = synthetic::write_report(&suite, &results, dir.path());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();

    // The same figures under the same numbers, 1, 2, … in page order.
    let in_md = numbered(&md, "<a id=\"fig-", "**Figure ");
    let in_html = numbered(&html, "<figure id=\"fig-", "<span class=\"n\">Figure ");
    assert_eq!(in_md, in_html);
    // 8 figures per run, one comparison (the latent dimension).
    assert_eq!(in_md.len(), 17, "{in_md:?}");
    for (k, (_, n)) in in_md.iter().enumerate() {
        assert_eq!(*n, k + 1);
    }
    let numbers: BTreeMap<String, usize> = in_md
        .into_iter()
        .map(|(id, n)| (format!("fig-{id}"), n))
        .collect();

    // References: the mapping of the original study points at the runs in
    // its setting, and each "Figure N" is the figure numbered N.
    let md_refs = references(&md, "[Figure ", "](#");
    let html_refs = references(&html, "<a href=\"#fig-", "\">Figure ");
    assert!(md_refs.len() >= 8, "{md_refs:?}");
    assert_eq!(md_refs.len(), html_refs.len());
    for (id, n) in &md_refs {
        assert_eq!(numbers.get(id), Some(n), "[Figure {n}](#{id})");
    }
    for (id, n) in &html_refs {
        assert_eq!(numbers.get(&format!("fig-{id}")), Some(n), "#fig-{id}");
    }
    assert!(
        md_refs
            .iter()
            .any(|(id, _)| id == "fig-relu-z2-ce-latent-grid")
    );
    assert!(!md.contains("a figure that was not drawn"));

    // Contents of every h2 and h3, the glossary linked from the tables,
    // the original's experiments mapped.
    for entry in [
        "- [3 Results](#results)",
        "  - [2.6 Metrics and terms (glossary)](#glossary)",
        "  - [1.1 The original study, mapped to this report](#original-mapped)",
    ] {
        assert!(md.contains(entry), "{entry}");
    }
    assert!(html.contains("<li><a href=\"#glossary\">2.6 Metrics and terms (glossary)</a></li>"));
    assert!(md.contains("[test KL](#g-kl)") && html.contains("<a href=\"#g-kl\">test KL</a>"));
    assert!(
        md.contains("| 実験 2-a | relu-z2: relu, d = 2 | `relu-z2-ce` |"),
        "{md}"
    );
    assert!(md.contains("| 実験 1-a | sigmoid-z2: sigmoid, d = 2 | – (not in this suite)"));
}

#[test]
fn a_suite_whose_every_run_failed_still_has_a_report_whose_links_resolve() {
    let suite = Suite::parse(SUITE, "reader").unwrap();
    let results: Vec<vaelab_vae::Result<vaelab_vae::RunOutcome>> = suite
        .runs
        .iter()
        .map(|c| {
            Err(vaelab_vae::VaeError::Data {
                run: c.name.clone(),
                message: "made to fail by the test".into(),
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = synthetic::write_report(&suite, &results, dir.path());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("no latent space to read"), "{md}");
}
