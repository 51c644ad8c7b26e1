//! The glossary: every metric of the report with what it measures, its
//! unit and its caveats, one entry per term with its own anchor; the
//! headings of the report's tables link to it ([`link_headers`]).
//!
//! Every metric column ([`crate::columns::COLUMNS`]) must have an entry
//! ([`terms_of`]); a test fails when a new column has none.

use vaelab_metrics::{ACTIVE_UNIT_THRESHOLD, KL_ACTIVE_THRESHOLD};

use crate::columns::COLUMNS;
use crate::discussion::{COLLAPSE_KL, INACTIVE_DIM_KL, NEAR_CHANCE_KNN};
use crate::document::{Block, Document};
use crate::lang::Lang;

/// One entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The anchor, `g-…`.
    pub id: &'static str,
    /// The heading.
    pub name: &'static str,
    /// What it is and its caveats.
    pub text: String,
}

/// Every entry, in the glossary's order.
pub fn terms() -> Vec<Term> {
    let term = |id, name, text: String| Term { id, name, text };
    vec![
        term(
            "g-ce",
            "Cross-entropy (CE)",
            "−Σ_i [x_i ln y_i + (1 − x_i) ln(1 − y_i)] over the 784 pixels, nats per image; \
             lower is better. Caveat: with grey pixels (0 < x_i < 1) even a perfect \
             reconstruction (y = x) does not reach 0 — the floor is the images' own binary \
             entropy — so CE compares runs on the same data, never across data sets or \
             binarisations."
                .into(),
        ),
        term(
            "g-sse",
            "Sum of squares (SSE)",
            "½ Σ_i (x_i − y_i)² over the 784 pixels, per image; lower is better. The \
             training objective of the `sse` runs; SSE = 392 · MSE."
                .into(),
        ),
        term(
            "g-mse",
            "Mean squared error (MSE)",
            "The mean over the 784 pixels of (x_i − y_i)², per pixel, in [0, 1]. It judges CE- \
             and SSE-trained runs on equal terms, which is why the objective comparison shows \
             it; it rewards blur over a sharp stroke in the wrong place."
                .into(),
        ),
        term(
            "g-kl",
            "KL divergence (KL, D_KL)",
            "D_KL(q(z|x) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − ln σ_j² − 1), nats per image: how \
             far each image's posterior lies from the prior, i.e. how much the code says about \
             the image. Not a quality measure by itself: low is not better. A KL near 0 means \
             collapse (below); a KL that stays high while μ ignores the image is a fixed \
             offset, also collapse."
                .into(),
        ),
        term(
            "g-kl-dim",
            "Per-dimension KL",
            format!(
                "The KL split by latent dimension j (the sum over j is the KL). Two forms: to \
                 the prior, ½ (μ_j² + σ_j² − ln σ_j² − 1), where a dimension below {INACTIVE_DIM_KL} \
                 nats is idle; and from the aggregate posterior (every image's posterior pooled), \
                 which measures whether dimension j depends on the image at all — a posterior \
                 that is the same for every image, even far from the prior, scores 0 there."
            ),
        ),
        term(
            "g-collapse",
            "Collapse states (collapsed, partly active, active; informative dims)",
            format!(
                "A latent dimension is informative when its mean KL from the aggregate \
                 posterior exceeds {KL_ACTIVE_THRESHOLD} nats. A run with no informative \
                 dimension is collapsed (its encoder ignores the input; the decoder draws \
                 one image), with some but not all is partly active, with all is active. \
                 The discussion also counts a run as collapsed when its test KL is below \
                 {COLLAPSE_KL} nats or no unit is active. Collapsed runs are left out of every \
                 kNN and layout comparison."
            ),
        ),
        term(
            "g-active",
            "Active units",
            format!(
                "Latent dimensions whose μ varies across images by more than \
                 var(μ_j) > {ACTIVE_UNIT_THRESHOLD}. Caveat: a dimension can vary a little by \
                 float noise and still carry nothing; \"informative dims\" (above) is the \
                 criterion of collapse."
            ),
        ),
        term(
            "g-knn",
            "kNN accuracy",
            format!(
                "The share of the classification images whose digit the k nearest training-set \
                 μ predict by majority (k = `knn_k`, 5 by default); chance is about 0.1 for ten \
                 balanced digits, and the discussion calls below {NEAR_CHANCE_KNN} near chance. \
                 Not given (\"–\") for a collapsed run: its μ differ by float rounding. Caveat: \
                 with `data.classify_from = \"train\"` the queries are training images, some \
                 of which are in the labelled reference set itself, so the accuracy also \
                 measures recall of memorised images and is inflated against a disjoint set."
            ),
        ),
        term(
            "g-loglik",
            "Test log-likelihood (log-lik.)",
            "ln p(x) of the test images, nats per image, higher is better, estimated by \
             importance sampling with K samples from the encoder: ln (1/K) Σ_k p(x|z_k) p(z_k) \
             / q(z_k|x). It is a lower bound in expectation (it approaches ln p(x) as K grows), \
             so a run can only be better than it reads. Its ± is a delta-method standard \
             error, which understates the spread when the importance weights are heavy-tailed. \
             Caveats: p(x|z) treats each grey pixel value as the probability of a Bernoulli \
             pixel (the CE above), which is not a proper density of grey images — numbers \
             compare runs on the same data only, not with published binarised-MNIST figures. \
             It is applied to SSE-trained runs too: their decoder was fitted for squared error \
             and is scored with a likelihood it was not trained for, so their log-likelihood \
             measures them on the CE runs' terms, not under their own model."
                .into(),
        ),
        term(
            "g-baseline",
            "Mean-image baseline",
            "A decoder that ignores z and always outputs the per-pixel mean of the training \
             images, scored with the same CE, SSE, MSE (its log-likelihood is exact: −CE). A \
             run worse than it on test CE or MSE has learnt nothing that carries over to new \
             images."
                .into(),
        ),
        term(
            "g-overlap",
            "Overlap of histograms",
            "At one pixel position, Σ over bins of min(share of input values, share of \
             reconstructed values), averaged over the chosen positions of the test set: 1 when \
             the two distributions are the same, 0 when they share no bin. Caveat: it compares \
             distributions only — a decoder that puts the right values on the wrong images \
             scores 1."
                .into(),
        ),
        term(
            "g-draws",
            "S draws, sd, and z = μ",
            "The sampled losses decode z = μ + σ·ε and are averaged over S noise draws ε \
             (`draws`); \"sd\" is their standard deviation over the draws — how much one draw \
             would move the number, not a spread over seeds. \"At z = μ\" decodes the \
             encoder's mean with no noise, the deterministic reconstruction; the gap between \
             the two is what the noise costs."
                .into(),
        ),
    ]
}

/// The anchors of the glossary entries that explain metric column `key`,
/// most specific first; empty when none does.
pub fn terms_of(key: &str) -> Vec<&'static str> {
    let tokens: Vec<&str> = key.split('_').collect();
    let has = |t: &str| tokens.contains(&t);
    let mut ids = Vec::new();
    if key.contains("mean_image") {
        ids.push("g-baseline");
    }
    if has("sd") || key.contains("at_mean") || key == "loss_draws" {
        ids.push("g-draws");
    }
    if key.contains("log_likelihood") {
        ids.push("g-loglik");
    }
    for (token, id) in [
        ("ce", "g-ce"),
        ("sse", "g-sse"),
        ("mse", "g-mse"),
        ("kl", "g-kl"),
        ("knn", "g-knn"),
    ] {
        if has(token) {
            ids.push(id);
        }
    }
    if key == "active_units" {
        ids.push("g-active");
    }
    if key == "latent_active" {
        ids.push("g-collapse");
    }
    ids
}

/// Appends the glossary as a level-3 section with one level-4 heading per
/// term.
pub fn section(doc: &mut Document, number: &str, lang: Lang) {
    doc.heading(
        3,
        format!("{number} Metrics and terms (glossary)"),
        "glossary",
    );
    doc.paragraph(
        "What each number in the tables measures, in which unit, and where it misleads. The \
         tables' column headings link here.",
    );
    for term in terms() {
        doc.heading(4, term.name, term.id);
        doc.paragraph(term.text);
    }
}

/// Turns the headings of every table that name a metric column into a
/// link to that column's glossary entry.
pub fn link_headers(blocks: &mut [Block]) {
    for block in blocks {
        if let Block::Table(table) = block {
            for heading in &mut table.header {
                let Some(column) = COLUMNS
                    .iter()
                    .find(|c| [c.title, c.title_ja].contains(&heading.as_str()))
                else {
                    continue;
                };
                if let Some(id) = terms_of(column.key).first() {
                    *heading = format!("[{heading}](#{id})");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Table;

    #[test]
    fn every_metric_column_has_a_glossary_entry() {
        let ids: Vec<&str> = terms().iter().map(|t| t.id).collect();
        for column in COLUMNS {
            let found = terms_of(column.key);
            assert!(
                !found.is_empty(),
                "column {} has no glossary entry",
                column.key
            );
            for id in found {
                assert!(
                    ids.contains(&id),
                    "{} points at a missing entry {id}",
                    column.key
                );
            }
        }
        // Unknown metrics are not explained by accident.
        assert!(terms_of("fid_score").is_empty());
    }

    #[test]
    fn the_caveats_are_in_the_entries() {
        let text = |id: &str| terms().into_iter().find(|t| t.id == id).unwrap().text;
        assert!(text("g-knn").contains("inflated"));
        let loglik = text("g-loglik");
        assert!(loglik.contains("lower bound") && loglik.contains("SSE-trained"));
        assert!(loglik.contains("Bernoulli"));
        assert!(text("g-collapse").contains(&KL_ACTIVE_THRESHOLD.to_string()));
    }

    #[test]
    fn metric_headings_link_to_their_entry() {
        let mut blocks = vec![Block::Table(Table {
            header: vec!["run".into(), "test KL".into(), "informative dims".into()],
            rows: vec![],
        })];
        link_headers(&mut blocks);
        let Block::Table(table) = &blocks[0] else {
            panic!("not a table")
        };
        assert_eq!(
            table.header,
            ["run", "[test KL](#g-kl)", "[informative dims](#g-collapse)"]
        );
    }
}
