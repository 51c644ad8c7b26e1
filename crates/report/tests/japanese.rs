//! The Japanese edition: written beside the English one, marked as
//! Japanese, linked both ways, and with no English prose left in it.
//!
//! The suite compares Sigmoid with ReLU over two seeds, so that the seed
//! comparisons, collapse and baseline sentences are all written.

#![allow(clippy::unwrap_used)]

mod synthetic;

use vaelab_vae::{Suite, run_suite};

const SUITE: &str = r#"
name = "two-models"
dataset = "mnist"
description = "Sigmoid against ReLU on synthetic stripes."

[defaults]
iterations = 30
batch_size = 40
eval_every = 10
seeds = [0, 1]
data = { train = 40, test = 30, classify = 40 }
analysis = { loglik_samples = 5, grid_size = 3, interpolation_pairs = 1, interpolation_steps = 3, knn_k = 3 }

[[runs]]
name = "sigmoid-z2"
activation = "sigmoid"
latent = 2

[[runs]]
name = "relu-z2"
activation = "relu"
latent = 2
"#;

/// Lines of a Markdown report that hold English prose: four or more
/// English words in a row, outside code, link targets, anchors and the suite file's
/// own description (user text, quoted as it is).
fn english_lines(md: &str, allowed: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut text = line.replace(allowed, "");
        // Inline code, link targets and HTML anchors are names and paths,
        // not prose.
        for (open, close) in [('`', '`'), ('(', ')'), ('<', '>')] {
            while let Some(start) = text.find(open) {
                let Some(len) = text[start + 1..].find(close) else {
                    break;
                };
                text.replace_range(start..start + len + 2, " ");
            }
        }
        let mut run = 0;
        for word in text.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'')) {
            if word.is_empty() {
                continue;
            }
            if word.len() >= 2 && word.chars().all(|c| c.is_ascii_lowercase() || c == '\'') {
                run += 1;
                if run >= 4 {
                    found.push(line.to_string());
                    break;
                }
            } else {
                run = 0;
            }
        }
    }
    found
}

#[test]
fn the_japanese_edition_is_written_in_japanese() {
    let mut suite = Suite::parse(SUITE, "two-models").unwrap();
    suite.runs = suite.labelled_runs();
    let data = synthetic::data();
    let results = run_suite(&suite.runs, &data, 1, &|_, _| {});
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = synthetic::write_report(&suite, &results, dir.path());

    let html = std::fs::read_to_string(out.join("index.ja.html")).unwrap();
    assert!(html.contains("<html lang=\"ja\">"), "{}", &html[..200]);
    assert!(
        html.contains("href=\"index.html\""),
        "no link to the English edition"
    );
    let en = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(
        en.contains("href=\"index.ja.html\""),
        "no link to the Japanese edition"
    );

    // Each edition links the explorer in its own language.
    assert!(
        html.contains("href=\"explorer.html?lang=ja\""),
        "no Japanese explorer"
    );
    assert!(en.contains("href=\"explorer.html\"") && !en.contains("explorer.html?lang=ja"));

    let md = std::fs::read_to_string(out.join("report.ja.md")).unwrap();
    assert!(
        md.contains("](explorer.html?lang=ja)"),
        "no Japanese explorer"
    );
    for term in ["実験目的", "交差エントロピー", "潜在変数", "考察"] {
        assert!(md.contains(term), "report.ja.md lacks {term}");
    }
    let english = english_lines(&md, &suite.description);
    assert!(
        english.is_empty(),
        "{} lines of report.ja.md are English:\n{}",
        english.len(),
        english.join("\n")
    );
    // The detector itself finds English.
    let en_md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(english_lines(&en_md, &suite.description).len() > 20);
}
