//! The discussion, generated from the numbers (the seed's section 5).
//!
//! Every sentence compares measured values with each other or with a
//! threshold below, so a different outcome gives a different text. The
//! thresholds are deliberately simple and are stated in the report. A
//! sentence that speaks of what a figure shows links it by number ("Figure
//! N", 「図 N」) through [`Figures`], which knows the figures drawn.

mod ablation;
mod baseline;
mod collapse;
mod factors;
mod latent;
pub mod layout;
mod overfitting;
mod quality;

pub use layout::LAYOUT_ID;

use std::collections::HashSet;

use super::facts::RunFacts;
use super::lang::Lang;
use crate::document::figure_ref;
use crate::factors::Factor;
use crate::figures::RunFigure;
use crate::layout as files;
use crate::tr;

pub use baseline::beats_mean_image;
pub use collapse::{collapsed, collapsed_knn_range, knn_range};
pub use latent::informative;
pub(crate) use overfitting::gap;

/// Test KL (nats per image) below which a collapsed run's KL is described
/// as ~0 (its posterior equals the prior); above it, a collapsed run pays a
/// fixed offset. Not a criterion of collapse: that is [`collapsed`] alone.
pub const COLLAPSE_KL: f64 = 0.1;
/// A latent dimension with a mean KL below this carries no information.
pub const INACTIVE_DIM_KL: f64 = 0.01;
/// Relative train/test gap of CE, (test − train) / train, above which a run
/// counts as overfitting.
pub const OVERFIT_GAP: f64 = 0.10;
/// Relative rise of the test CE above its minimum that counts as the test
/// curve turning up.
pub const TEST_RISE: f64 = 0.02;
/// Below this ratio of output to input spread the reconstructions are
/// "all alike".
pub const ALIKE_SPREAD: f64 = 0.1;
/// Below this kNN accuracy the latent space separates digits hardly better
/// than chance (0.1 for ten balanced digits).
pub const NEAR_CHANCE_KNN: f64 = 0.25;
/// Below this mean per-pixel variance across the latent grid's images, the
/// grid shows practically one image.
pub const FLAT_GRID: f64 = 1e-4;
/// Above this kNN accuracy the digits form well-separated clusters.
pub const SEPARATED_KNN: f64 = 0.6;

/// One subject of the discussion.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The subsection's anchor: the same in every language, so that links
    /// from the findings and the mapping table hold in both editions.
    pub id: String,
    /// The subsection's title.
    pub title: String,
    /// Its paragraphs.
    pub paragraphs: Vec<String>,
}
pub(super) fn topic(id: &str, title: &str, paragraphs: Vec<String>) -> Topic {
    Topic {
        id: id.into(),
        title: title.into(),
        paragraphs,
    }
}

/// The figures a topic may link to by number ("Figure N", 「図 N」): the
/// stems drawn, so that no sentence links a figure that is not there.
#[derive(Debug, Clone, Copy)]
pub struct Figures<'a> {
    drawn: &'a HashSet<String>,
}

impl<'a> Figures<'a> {
    /// The figures whose stems (`figures/<run>/scatter`, no extension) are
    /// in `drawn`.
    pub fn new(drawn: &'a HashSet<String>) -> Self {
        Figures { drawn }
    }

    /// An inline reference to figure `kind` of run `r`, if drawn.
    pub(crate) fn run(&self, r: &RunFacts, kind: RunFigure) -> Option<String> {
        let stem = files::run_figure(&r.name, kind);
        self.drawn.contains(&stem).then(|| figure_ref(&stem))
    }

    /// An inline reference to the comparison chart along `factor`, if drawn.
    pub(crate) fn comparison(&self, factor: &Factor) -> Option<String> {
        let stem = files::comparison_figure(factor.key());
        self.drawn.contains(&stem).then(|| figure_ref(&stem))
    }

    /// Each run's name with its figure `kind`, joined as a list: "`a`
    /// (Figure 3) and `b` (Figure 4)" / 「`a`（図 3）、`b`（図 4）」.
    pub(super) fn names(&self, runs: &[&RunFacts], kind: RunFigure, lang: Lang) -> String {
        if runs.iter().all(|r| self.run(r, kind).is_none()) {
            return crate::pairs::names(runs, lang);
        }
        let named: Vec<String> = runs
            .iter()
            .map(|r| format!("`{}`{}", r.name, parenthesis(lang, self.run(r, kind))))
            .collect();
        lang.join(&named)
    }
}

/// " (Figure N)" / 「（図 N）」 for a reference, nothing without one.
pub(super) fn parenthesis(lang: Lang, reference: Option<String>) -> String {
    match reference {
        Some(r) => tr!(lang, " ({r})", "（{r}）"),
        None => String::new(),
    }
}

/// "; Figure N" / 「、図 N」 to close an existing parenthesis with a
/// reference, nothing without one.
pub(super) fn and_figure(lang: Lang, reference: Option<String>) -> String {
    match reference {
        Some(r) => tr!(lang, "; {r}", "、{r}"),
        None => String::new(),
    }
}

/// The discussion of `runs` (the successful runs of a suite), linking the
/// `figures` drawn.
pub fn discuss(runs: &[RunFacts], figs: Figures<'_>, lang: Lang) -> Vec<Topic> {
    if runs.is_empty() {
        return vec![topic(
            "no-results",
            lang.pick("No results", "結果なし"),
            vec![tr!(
                lang,
                "No run finished, so there is nothing to discuss.",
                "完了した実験がないため、考察する内容はない。"
            )],
        )];
    }
    // Single runs are described by their configuration's first seed (the
    // one whose figures are shown); comparisons and collapse use every seed.
    let reps = representatives(runs);
    let mut first = quality::reconstruction(&reps, runs, figs, lang);
    if reps.len() < runs.len() {
        first.paragraphs.insert(
            0,
            tr!(
                lang,
                "Where a sentence names a single run below, it is the first seed of its \
                 configuration, whose figures section 3 shows; every comparison between \
                 settings and every collapse count is computed over all seeds, seed by seed, \
                 and says in how many it holds (a mean difference within the seed-to-seed \
                 spread, or below 1%, is a tie).",
                "以下で一つの実験の名を挙げる文は、その構成の最初のシード（3 節に図を示したもの）\
                 を指す。設定どうしの比較と崩壊の数はすべて、全シードについてシードごとに計算し、\
                 いくつのシードで成り立つかを示す（平均の差がシード間のばらつきの範囲内か 1% \
                 未満であれば差なしとする）。"
            ),
        );
    }
    let first_seeds = reps.len() < runs.len();
    let mut collapse = collapse::collapse(&reps, runs, figs, lang);
    if first_seeds {
        collapse
            .paragraphs
            .insert(0, collapse::collapse_per_configuration(runs, lang));
    }
    let mut topics = vec![
        first,
        quality::distributions(&reps, runs, figs, lang),
        overfitting::overfitting(&reps, runs, figs, lang),
        collapse,
        latent::latent_space(&reps, runs, first_seeds, figs, lang),
    ];
    topics.extend(factors::latent_dimension(runs, figs, lang));
    topics.extend(factors::objective(runs, figs, lang));
    topics.extend(factors::head(runs, figs, lang));
    topics.extend(factors::other_settings(runs, figs, lang));
    if lang == Lang::Ja {
        for t in &mut topics {
            for p in &mut t.paragraphs {
                *p = tidy_japanese(p);
            }
        }
    }
    topics
}

/// `text` without the half-width space that a template's 「{} の」 leaves
/// between a closing 「）」 (a name's figure reference) and the Japanese
/// that follows: 「`a`（図 3） の」 → 「`a`（図 3）の」.
fn tidy_japanese(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '）' {
            let mut ahead = chars.clone();
            if ahead.next() == Some(' ') && ahead.next().is_some_and(|n| !n.is_ascii()) {
                chars.next();
            }
        }
    }
    out
}

/// The first run of each configuration, in order.
fn representatives(runs: &[RunFacts]) -> Vec<RunFacts> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for r in runs {
        if !seen.contains(&r.configuration.as_str()) {
            seen.push(&r.configuration);
            out.push(r.clone());
        }
    }
    out
}

pub(super) fn sorted_by(runs: &[RunFacts], key: impl Fn(&RunFacts) -> f64) -> Vec<&RunFacts> {
    let mut sorted: Vec<&RunFacts> = runs.iter().collect();
    sorted.sort_by(|a, b| key(a).total_cmp(&key(b)));
    sorted
}

/// `text` with its first letter capitalised, except for a leading
/// mathematical `d`, which keeps its case.
pub(super) fn capital(text: &str) -> String {
    if text.starts_with("d ") {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `parts` as sentences of `lang`: "A. B." (capitalised, see [`capital`])
/// or 「A。B。」.
pub(super) fn sentences(lang: Lang, parts: &[String]) -> String {
    match lang {
        Lang::En => parts
            .iter()
            .map(|p| format!("{}.", capital(p)))
            .collect::<Vec<_>>()
            .join(" "),
        Lang::Ja => parts.iter().map(|p| format!("{p}。")).collect(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use vaelab_vae::{Head, Objective};

    use std::collections::HashSet;

    use super::{Figures, Lang, Topic};
    use crate::facts::RunFacts;
    use crate::figures::RunFigure;
    use crate::layout as files;
    use crate::pairs::tests::{has_english, run};

    /// Makes `r` a collapsed run with test KL `kl`: no latent dimension
    /// informative (the one criterion of collapse), no active unit, no kNN
    /// figure.
    pub(crate) fn collapse(r: &mut RunFacts, kl: f64) {
        let zeros = vec![0.0; r.config.latent];
        r.metrics.test.kl = kl;
        r.metrics.latent_activity = vaelab_metrics::LatentActivity::from_kl(&zeros, 0.1).unwrap();
        r.metrics.kl_from_aggregate = zeros;
        r.metrics.active_units = 0;
        r.metrics.knn = vaelab_metrics::LatentFigure::NoFigure("collapsed".into());
    }

    /// Every figure a report of `runs` draws: each run's figures and a
    /// comparison chart per factor.
    fn every_figure(runs: &[RunFacts]) -> HashSet<String> {
        let mut drawn: HashSet<String> = runs
            .iter()
            .flat_map(|r| RunFigure::ALL.map(|kind| files::run_figure(&r.name, kind)))
            .collect();
        let configs: Vec<&vaelab_vae::RunConfig> = runs.iter().map(|r| &r.config).collect();
        for f in crate::factors::factors(&configs) {
            drawn.insert(files::comparison_figure(f.key()));
        }
        drawn
    }

    /// The discussion of `runs` with no figure drawn: the text without
    /// figure references, which the tests of the wording compare.
    pub(in crate::discussion) fn discuss(runs: &[RunFacts], lang: Lang) -> Vec<Topic> {
        super::discuss(runs, Figures::new(&HashSet::new()), lang)
    }

    /// The paragraphs of the topic whose title contains `title`, joined.
    pub(in crate::discussion) fn text(topics: &[Topic], title: &str) -> String {
        topics
            .iter()
            .find(|t| t.title.contains(title))
            .map(|t| t.paragraphs.join("\n"))
            .unwrap_or_default()
    }

    /// The study's twelve configurations, one seed each, none collapsed:
    /// ReLU reconstructs better, d = 20 fits the training images closer,
    /// SSE has the smaller KL, the gaussian head the higher kNN accuracy.
    fn study() -> Vec<crate::facts::RunFacts> {
        let mut runs = Vec::new();
        for (objective, head) in [
            (Objective::Ce, Head::Seed),
            (Objective::Sse, Head::Seed),
            (Objective::Ce, Head::Gaussian),
        ] {
            for act in ["sigmoid", "relu"] {
                for d in [2, 20] {
                    let name = format!("{act}-z{d}-{objective:?}-{head:?}").to_lowercase();
                    let mut r = run(&name, act, d, objective);
                    r.config.head = head;
                    if act == "relu" {
                        r.metrics.test.mse = 0.02;
                    }
                    if d == 20 {
                        r.metrics.train.ce = 97.0;
                    }
                    if objective == Objective::Sse {
                        r.metrics.test.kl = 1.0;
                        r.metrics.train.sse = 5.0;
                    }
                    if head == Head::Gaussian {
                        r.metrics.knn = vaelab_metrics::LatentFigure::Value(0.9);
                    }
                    runs.push(r);
                }
            }
        }
        runs
    }

    /// The figure kinds a sentence may name, by the words that name them
    /// in each language, with the stems (the part after the run's folder,
    /// or `compare/`) that show them.
    const KINDS: [(&str, &str, &[&str]); 6] = [
        (
            "learning curve",
            "学習曲線",
            &["curve-ce", "curve-kl", "curve-mse", "compare/"],
        ),
        (
            "reconstruction rows",
            "再構成画像の行",
            &["reconstructions"],
        ),
        ("histogram", "度数分布図", &["histograms"]),
        ("scatter", "散布図", &["scatter"]),
        ("grid", "格子", &["latent-grid"]),
        ("interpolation", "補間", &["interpolation"]),
    ];

    #[test]
    fn every_topic_that_names_a_figure_kind_links_such_a_figure_by_number() {
        // The study, plus collapsed runs and a second seed: every kind of
        // sentence the topics write.
        let mut runs = study();
        for r in runs.iter_mut().filter(|r| r.name.starts_with("sigmoid")) {
            collapse(r, 1e-5);
            r.output_spread = 1e-4;
            r.grid_spread = 1e-6;
        }
        runs[3].metrics.train.ce = 50.0;
        let drawn = every_figure(&runs);
        let anchors: Vec<(String, String)> = drawn
            .iter()
            .map(|stem| (crate::document::figure_ref(stem), stem.clone()))
            .collect();
        for lang in [Lang::En, Lang::Ja] {
            let topics = super::discuss(&runs, Figures::new(&drawn), lang);
            for t in &topics {
                let text = t.paragraphs.join("\n");
                let linked: Vec<&str> = anchors
                    .iter()
                    .filter(|(r, _)| text.contains(r.as_str()))
                    .map(|(_, stem)| stem.as_str())
                    .collect();
                for (en, ja, stems) in KINDS {
                    let word = lang.pick(en, ja);
                    if text.to_lowercase().contains(word) {
                        assert!(
                            linked.iter().any(|l| stems.iter().any(|s| l.contains(s))),
                            "{}: names \"{word}\" but links none of {stems:?} \
                             (links {linked:?}):\n{text}",
                            t.id
                        );
                    }
                }
            }
            // Each topic on what figures show links at least one.
            for id in [
                "reconstruction",
                "distributions",
                "overfitting",
                "posterior-collapse",
                "latent-space",
                "effect-of-d",
                "ce-against-sse",
                "seed-against-gaussian-head",
            ] {
                let t = topics.iter().find(|t| t.id == id).unwrap();
                let text = t.paragraphs.join("\n");
                assert!(text.contains("{fig-"), "{id} links no figure:\n{text}");
            }
        }
        // A figure that was not drawn is not linked.
        let none = HashSet::new();
        for t in super::discuss(&runs, Figures::new(&none), Lang::En) {
            let text = t.paragraphs.join("\n");
            assert!(!text.contains("{fig-"), "{}: {text}", t.id);
            assert!(!text.contains("as their KL learning curves show"), "{text}");
        }
    }

    #[test]
    fn no_space_is_left_between_a_closing_parenthesis_and_japanese() {
        assert_eq!(
            super::tidy_japanese("`a`（図 3） の復号化器、（x） 0.5、`b` の"),
            "`a`（図 3）の復号化器、（x） 0.5、`b` の"
        );
    }

    #[test]
    fn the_japanese_discussion_has_the_same_topics_in_japanese() {
        let runs = study();
        let en = discuss(&runs, Lang::En);
        let ja = discuss(&runs, Lang::Ja);
        let ids = |t: &[Topic]| t.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&en), ids(&ja));
        // The topics of this file's modules (latent.rs and layout.rs are
        // translated elsewhere).
        let mine = [
            "reconstruction",
            "distributions",
            "overfitting",
            "effect-of-d",
            "ce-against-sse",
            "seed-against-gaussian-head",
        ];
        for id in mine {
            let (e, j) = (
                en.iter().find(|t| t.id == id).unwrap(),
                ja.iter().find(|t| t.id == id).unwrap(),
            );
            assert_ne!(e.title, j.title, "{id}");
            let all = format!("{}\n{}", j.title, j.paragraphs.join("\n"));
            for line in all.lines() {
                assert!(!has_english(line, 3), "{id}: {line}");
            }
            assert!(all.contains('。'), "{id}: {all}");
        }
        let text = |id: &str| {
            ja.iter()
                .find(|t| t.id == id)
                .map(|t| t.paragraphs.join("\n"))
                .unwrap()
        };
        // Each comparison keeps its counts: 6 pairs along d, one seed each.
        let d = text("effect-of-d");
        assert!(
            d.starts_with("学習データの CE は実験の組 6 組中 6 組で d = 20 のほうが d = 2 より低い（平均 97.00 対 100.0、各 1 シード）。"),
            "{d}"
        );
        // SSE's smaller term explains its smaller KL, in Japanese.
        let sse = text("ce-against-sse");
        assert!(
            sse.contains("テストデータの KL は実験の組 4 組中 4 組で SSE のほうが CE より低い")
                && sse.contains("SSE の再構成誤差の項は CE の項よりはるかに小さい"),
            "{sse}"
        );
        // The heads are named without the English article.
        let head = text("seed-against-gaussian-head");
        assert!(
            head.contains(
                "kNN 正解率は実験の組 4 組中 4 組で gaussian ヘッドのほうが seed ヘッドより高い"
            ),
            "{head}"
        );
    }

    /// The lower-case English words of `text` outside inline code: what a
    /// Japanese sentence must not contain. The unit "nats" and the head
    /// names of the suite files ("seed", "gaussian") are notation.
    pub(crate) fn english_words(text: &str) -> Vec<String> {
        let outside_code: String = text
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, part)| part)
            .collect::<Vec<_>>()
            .join(" ");
        outside_code
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|w| !["nats", "seed", "gaussian"].contains(w))
            .map(String::from)
            .collect()
    }

    #[test]
    fn english_words_are_found_outside_code_only() {
        assert_eq!(
            english_words("`relu-z2-ce` は崩壊する"),
            Vec::<String>::new()
        );
        assert_eq!(
            english_words("KL は 0.1 nats、seed ヘッド"),
            Vec::<String>::new()
        );
        assert_eq!(english_words("`a` collapses in 2/5"), ["collapses", "in"]);
    }

    /// Seeds of configuration `config` (ReLU, d = 2, CE) with test CE
    /// `ces` and training CE 100.
    pub(crate) fn seeds(config: &str, ces: &[f64]) -> Vec<crate::facts::RunFacts> {
        let mut runs = crate::pairs::tests::seeds_of(config, "relu", ces);
        for r in &mut runs {
            r.metrics.train.ce = 100.0;
        }
        runs
    }
}
