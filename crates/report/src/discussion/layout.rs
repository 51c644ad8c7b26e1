//! The original study's question "what do positions in the latent space
//! mean?", answered from the data: for each run whose latent space is not
//! collapsed, which digits sit together and which apart (per-digit centroids
//! of μ on the plane the figures show, and a leave-one-out nearest-neighbour
//! vote on that plane), and which digits spread widely.

use super::{Topic, collapse::collapsed, topic};
use crate::Context;
use crate::document::figure_ref;
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::layout;
use crate::pairs::pct;
use crate::tr;

/// The topic's English title (the mapping table links to it); see
/// [`layout_title`] for both editions.
pub const LAYOUT_TITLE: &str = "What positions in the latent space mean";

/// The topic's title in `lang`.
pub fn layout_title(lang: Lang) -> &'static str {
    lang.pick(LAYOUT_TITLE, "潜在空間における位置の意味")
}
/// The anchor of that topic, the same in both editions.
pub const LAYOUT_ID: &str = "latent-layout";

/// Neighbours in the leave-one-out vote on the plane.
const VOTE_K: usize = 5;
/// Closest pairs named per run.
const CLOSE_PAIRS: usize = 3;

/// One run's latent plane: the scatter's points (z for d = 2, the PCA plane
/// otherwise) and digits.
#[derive(Debug, Clone)]
pub struct LatentSet<'a> {
    /// The run.
    pub name: &'a str,
    /// Whether its posterior has collapsed (never evidence).
    pub collapsed: bool,
    /// The latent dimension.
    pub latent: usize,
    /// Whether the points are a PCA projection.
    pub pca: bool,
    /// The points and their digits.
    pub points: &'a [[f64; 2]],
    /// The digit of each point.
    pub labels: &'a [u8],
    /// Inline references to the run's figures (scatter, latent grid), if
    /// drawn.
    pub figures: Vec<String>,
}

/// The layout topic of the report's successful runs.
pub fn layout_topic(ctx: &Context<'_>) -> Topic {
    let sets: Vec<LatentSet<'_>> = ctx
        .ok_runs()
        .into_iter()
        .map(|(index, run)| {
            let a = &run.analysis;
            let figures = [RunFigure::Scatter, RunFigure::LatentGrid]
                .iter()
                .map(|&kind| layout::run_figure(&run.config.name, kind))
                .filter(|stem| ctx.rendered.png.contains(stem))
                .map(|stem| figure_ref(&stem))
                .collect();
            LatentSet {
                name: &run.config.name,
                collapsed: ctx.facts[index].as_ref().is_none_or(collapsed),
                latent: run.config.latent,
                pca: a.scatter.explained.is_some(),
                points: &a.scatter.points,
                labels: &a.scatter.labels,
                figures,
            }
        })
        .collect();
    discuss_layout(&sets, ctx.lang)
}

/// The layout of one plane.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Digit pairs by the distance of their centroids, closest first, in
    /// units of the overall spread.
    pub pairs: Vec<(u8, u8, f64)>,
    /// Each digit's spread (RMS distance to its centroid) in units of the
    /// overall spread, widest first.
    pub spreads: Vec<(u8, f64)>,
    /// The leave-one-out vote's accuracy on the plane.
    pub vote_accuracy: f64,
    /// Digit pairs the vote mixes up, by the share of their points voted
    /// as the other, most first (only pairs with a mix-up).
    pub confused: Vec<(u8, u8, f64)>,
}

/// The layout of `points` with digits `labels`, or `None` when fewer than
/// two digits have two points each or the points do not spread.
pub fn layout_of(points: &[[f64; 2]], labels: &[u8]) -> Option<Layout> {
    let digits: Vec<u8> = {
        let mut d: Vec<u8> = labels.to_vec();
        d.sort_unstable();
        d.dedup();
        d.into_iter()
            .filter(|&d| labels.iter().filter(|&&l| l == d).count() >= 2)
            .collect()
    };
    if digits.len() < 2 || points.len() != labels.len() {
        return None;
    }
    let mean = centroid(points.iter());
    let overall = rms(points.iter(), mean);
    if overall <= 0.0 || !overall.is_finite() {
        return None;
    }
    let members = |d: u8| {
        points
            .iter()
            .zip(labels)
            .filter(move |(_, l)| **l == d)
            .map(|(p, _)| p)
    };
    let centres: Vec<(u8, [f64; 2])> = digits.iter().map(|&d| (d, centroid(members(d)))).collect();
    let mut pairs = Vec::new();
    for (i, (a, ca)) in centres.iter().enumerate() {
        for (b, cb) in &centres[i + 1..] {
            pairs.push((*a, *b, distance(*ca, *cb) / overall));
        }
    }
    pairs.sort_by(|x, y| x.2.total_cmp(&y.2));
    let mut spreads: Vec<(u8, f64)> = centres
        .iter()
        .map(|(d, c)| (*d, rms(members(*d), *c) / overall))
        .collect();
    spreads.sort_by(|x, y| y.1.total_cmp(&x.1));
    let (vote_accuracy, confused) = vote(points, labels, &digits);
    Some(Layout {
        pairs,
        spreads,
        vote_accuracy,
        confused,
    })
}

/// Leave-one-out `VOTE_K`-nearest-neighbour vote on the plane: accuracy
/// and the mixed-up pairs.
fn vote(points: &[[f64; 2]], labels: &[u8], digits: &[u8]) -> (f64, Vec<(u8, u8, f64)>) {
    let slot = |d: u8| digits.iter().position(|&x| x == d);
    let n = digits.len();
    let mut confusion = vec![vec![0usize; n]; n];
    let mut right = 0;
    let mut counted = 0;
    for (i, p) in points.iter().enumerate() {
        let Some(truth) = slot(labels[i]) else {
            continue;
        };
        let mut near: Vec<(f64, usize)> = points
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, q)| (distance(*p, *q), j))
            .collect();
        let k = VOTE_K.min(near.len());
        if k == 0 {
            continue;
        }
        near.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0));
        near.truncate(k);
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut votes = vec![0usize; n];
        for (_, j) in &near {
            if let Some(s) = slot(labels[*j]) {
                votes[s] += 1;
            }
        }
        let most = votes.iter().copied().max().unwrap_or(0);
        // A tie goes to the nearest neighbour among the tied digits.
        let guess = near
            .iter()
            .filter_map(|(_, j)| slot(labels[*j]))
            .find(|&s| votes[s] == most)
            .unwrap_or(truth);
        confusion[truth][guess] += 1;
        counted += 1;
        if guess == truth {
            right += 1;
        }
    }
    let size = |s: usize| confusion[s].iter().sum::<usize>();
    let mut confused = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let mixed = confusion[a][b] + confusion[b][a];
            let total = size(a) + size(b);
            if mixed > 0 && total > 0 {
                confused.push((digits[a], digits[b], mixed as f64 / total as f64));
            }
        }
    }
    confused.sort_by(|x, y| y.2.total_cmp(&x.2));
    let accuracy = if counted == 0 {
        0.0
    } else {
        right as f64 / counted as f64
    };
    (accuracy, confused)
}

/// The topic: a paragraph per informative run and one across runs.
pub fn discuss_layout(sets: &[LatentSet<'_>], lang: Lang) -> Topic {
    let mut paragraphs = vec![tr!(
        lang,
        "The original study asks what positions in the latent space mean. Here the answer is \
         read off the plane the figures show (z for d = 2, the first two principal components \
         of μ for larger d): per-digit centroids of the classification images' μ, their \
         distances in units of the overall spread of μ (the RMS distance of all points to \
         their mean), each digit's own spread in the same units, and a leave-one-out \
         5-nearest-neighbour vote on the plane. The latent-grid figures draw these μ over the \
         decoded images, so one can see which digit the decoder draws where each digit lies.",
        "元の研究は、潜在空間における位置が何を意味するかを問うている。ここでは、図に示す\
         平面（d = 2 では z、それより大きい d では μ の第 1・第 2 主成分）から答えを読み取る。\
         用いるのは、分類テストデータの μ の数字ごとの重心、μ 全体の広がり（全点の平均からの \
         RMS 距離）を単位とした重心間の距離、同じ単位で測った各数字自身の広がり、そして平面上で\
         各点を自身を除く 5 近傍の多数決で分類する方法（一つ抜き法）である。潜在空間の格子の\
         図には、これらの μ を復号画像の上に重ねて描いてあるので、各数字が位置する場所で\
         復号化器がどの数字を描くかが分かる。"
    )];
    let gone: Vec<String> = sets
        .iter()
        .filter(|s| s.collapsed)
        .map(|s| format!("`{}`", s.name))
        .collect();
    let mut layouts = Vec::new();
    for set in sets.iter().filter(|s| !s.collapsed) {
        let Some(l) = layout_of(set.points, set.labels) else {
            continue;
        };
        paragraphs.push(run_paragraph(set, &l, lang));
        layouts.push(l);
    }
    if sets.is_empty() {
        paragraphs.push(tr!(
            lang,
            "No run finished, so there is no latent space to read.",
            "完了した実験がなく、読み取る潜在空間がない。"
        ));
    } else if layouts.is_empty() {
        paragraphs.push(tr!(
            lang,
            "No run has an informative latent space, so positions in it mean nothing here: \
             every collapsed run decodes practically one image wherever z is.",
            "情報を持つ潜在空間をもつ実験がないため、ここでは潜在空間の位置に意味はない。\
             崩壊した実験はどれも、z がどこにあっても事実上同じ 1 枚の画像を復号する。"
        ));
    } else if layouts.len() > 1 {
        paragraphs.push(across(&layouts, lang));
    }
    if !gone.is_empty() {
        paragraphs.push(tr!(
            lang,
            "Left out as collapsed (no latent dimension carries information the decoder can \
             use): {}.",
            "崩壊しているため除外した実験（復号化器が使える情報を持つ潜在変数の次元がない）：{}。",
            gone.join(lang.pick(", ", "、"))
        ));
    }
    topic(LAYOUT_ID, layout_title(lang), paragraphs)
}

fn run_paragraph(set: &LatentSet<'_>, l: &Layout, lang: Lang) -> String {
    let sep = lang.pick(", ", "、");
    let plane = if set.pca {
        tr!(
            lang,
            "the PC1–PC2 plane of d = {}",
            "d = {} の PC1–PC2 平面",
            set.latent
        )
    } else {
        tr!(lang, "z, d = {}", "z、d = {}", set.latent)
    };
    let figures = if set.figures.is_empty() {
        String::new()
    } else {
        tr!(lang, "; {}", "；{}", set.figures.join(sep))
    };
    let close: Vec<String> = l
        .pairs
        .iter()
        .take(CLOSE_PAIRS)
        .map(|(a, b, d)| tr!(lang, "{a} and {b} ({d:.2})", "{a} と {b}（{d:.2}）"))
        .collect();
    let far = l.pairs.last().map_or(String::new(), |(a, b, d)| {
        tr!(
            lang,
            "; farthest apart are {a} and {b} ({d:.2})",
            "最も離れているのは {a} と {b}（{d:.2}）である。"
        )
    });
    let wide: Vec<String> = l
        .spreads
        .iter()
        .take(2)
        .map(|(d, s)| tr!(lang, "{d} ({s:.2})", "{d}（{s:.2}）"))
        .collect();
    let tight = l.spreads.last().map_or(String::new(), |(d, s)| {
        tr!(
            lang,
            ", the tightest is {d} ({s:.2})",
            "で、最もまとまっているのは {d}（{s:.2}）"
        )
    });
    let mixed: Vec<String> = l
        .confused
        .iter()
        .take(3)
        .map(|(a, b, share)| {
            tr!(
                lang,
                "{a} ↔ {b} ({} of them)",
                "{a} ↔ {b}（両数字の点の {}）",
                pct(*share)
            )
        })
        .collect();
    let vote = if mixed.is_empty() {
        tr!(
            lang,
            "The leave-one-out vote on the plane gets {} right and mixes up no pair.",
            "平面上の一つ抜きの多数決は {} を正しく分類し、取り違える数字の組はない。",
            pct(l.vote_accuracy)
        )
    } else {
        tr!(
            lang,
            "The leave-one-out vote on the plane gets {} right; it mixes up most often {}.",
            "平面上の一つ抜きの多数決は {} を正しく分類する。最も多く取り違えるのは {}である。",
            pct(l.vote_accuracy),
            mixed.join(sep)
        )
    };
    let vote = if set.pca {
        tr!(
            lang,
            "{vote} (The vote sees the plane only; the kNN accuracy of the tables uses all {} dimensions.)",
            "{vote}（この多数決は平面しか見ていない。表の kNN 正解率は {} 次元すべてを用いる。）",
            set.latent
        )
    } else {
        vote
    };
    tr!(
        lang,
        "`{}` ({plane}{figures}): closest together sit {} (centroid distance in units of the \
         overall spread){far}. Spread widest: {}{tight}. {vote}",
        "`{}`（{plane}{figures}）：重心が最も近い数字の組は {}である（全体の広がりを単位とした\
         重心間の距離）。{far}最も広がっている数字は {}{tight}である。{vote}",
        set.name,
        close.join(sep),
        wide.join(sep)
    )
}

/// Which close pairs and wide digits recur across the informative runs.
fn across(layouts: &[Layout], lang: Lang) -> String {
    let n = layouts.len();
    let sep = lang.pick(", ", "、");
    let mut counts: Vec<((u8, u8), usize)> = Vec::new();
    let mut wide: Vec<(u8, usize)> = Vec::new();
    for l in layouts {
        for (a, b, _) in l.pairs.iter().take(CLOSE_PAIRS) {
            match counts.iter_mut().find(|(p, _)| *p == (*a, *b)) {
                Some((_, c)) => *c += 1,
                None => counts.push(((*a, *b), 1)),
            }
        }
        for (d, _) in l.spreads.iter().take(2) {
            match wide.iter_mut().find(|(x, _)| x == d) {
                Some((_, c)) => *c += 1,
                None => wide.push((*d, 1)),
            }
        }
    }
    counts.sort_by_key(|x| std::cmp::Reverse(x.1));
    wide.sort_by_key(|x| std::cmp::Reverse(x.1));
    let recurring: Vec<String> = counts
        .iter()
        .filter(|(_, c)| *c >= 2)
        .map(|((a, b), c)| tr!(lang, "{a}–{b} in {c} of {n}", "{a}–{b}（{n} 件中 {c} 件）"))
        .collect();
    let wide: Vec<String> = wide
        .iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(d, c)| tr!(lang, "{d} in {c} of {n}", "{d}（{n} 件中 {c} 件）"))
        .collect();
    let pairs = if recurring.is_empty() {
        tr!(
            lang,
            "Across the {n} informative runs no pair of digits is among the {CLOSE_PAIRS} \
             closest in more than one run: the layout differs from run to run.",
            "情報を持つ {n} 件の実験を通して、2 件以上の実験で最も近い {CLOSE_PAIRS} 組に入る\
             数字の組はない。配置は実験ごとに異なる。"
        )
    } else {
        tr!(
            lang,
            "Across the {n} informative runs, pairs among the {CLOSE_PAIRS} closest in more \
             than one run: {}.",
            "情報を持つ {n} 件の実験を通して、2 件以上の実験で最も近い {CLOSE_PAIRS} 組に\
             入った数字の組は {}である。",
            recurring.join(sep)
        )
    };
    let spread = if wide.is_empty() {
        String::new()
    } else {
        tr!(
            lang,
            " Digits among the two widest in more than one run: {}.",
            "2 件以上の実験で最も広がった 2 つの数字に入ったのは {}である。",
            wide.join(sep)
        )
    };
    format!("{pairs}{spread}")
}

fn centroid<'p>(points: impl Iterator<Item = &'p [f64; 2]>) -> [f64; 2] {
    let (mut sum, mut n) = ([0.0, 0.0], 0.0);
    for p in points {
        sum[0] += p[0];
        sum[1] += p[1];
        n += 1.0;
    }
    if n == 0.0 {
        return sum;
    }
    [sum[0] / n, sum[1] / n]
}

fn rms<'p>(points: impl Iterator<Item = &'p [f64; 2]>, centre: [f64; 2]) -> f64 {
    let (mut sum, mut n) = (0.0, 0.0);
    for p in points {
        sum += distance(*p, centre).powi(2);
        n += 1.0;
    }
    if n == 0.0 { 0.0 } else { (sum / n).sqrt() }
}

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten digits, each 20 points in a ring of `radius[d]` around its
    /// centre: digit d at (d, 0), except 9, which sits at 4's place
    /// shifted by 0.1.
    fn constructed(radius: impl Fn(u8) -> f64) -> (Vec<[f64; 2]>, Vec<u8>) {
        let mut points = Vec::new();
        let mut labels = Vec::new();
        for d in 0..10u8 {
            let centre = if d == 9 {
                [4.1, 0.0]
            } else {
                [f64::from(d), 0.0]
            };
            for k in 0..20 {
                let angle = f64::from(k) * std::f64::consts::TAU / 20.0;
                let r = radius(d);
                points.push([centre[0] + r * angle.cos(), centre[1] + r * angle.sin()]);
                labels.push(d);
            }
        }
        (points, labels)
    }

    #[test]
    fn digits_at_known_places_give_the_known_layout() {
        let (points, labels) = constructed(|d| if d == 8 { 0.6 } else { 0.05 });
        let l = layout_of(&points, &labels).unwrap();
        // 4 and 9 share a place; 0 and 8 are the ends of the line.
        assert_eq!((l.pairs[0].0, l.pairs[0].1), (4, 9));
        let last = l.pairs.last().unwrap();
        assert_eq!((last.0, last.1), (0, 8));
        assert_eq!(l.spreads[0].0, 8);
        // The vote mixes up 4 and 9 most, and nothing far apart.
        assert_eq!((l.confused[0].0, l.confused[0].1), (4, 9));
        assert!(l.confused.iter().all(|(a, b, _)| a.abs_diff(*b) <= 5));
        assert!(l.vote_accuracy < 1.0 && l.vote_accuracy > 0.5, "{l:?}");
        let set = LatentSet {
            name: "relu-z2-ce",
            collapsed: false,
            latent: 2,
            pca: false,
            points: &points,
            labels: &labels,
            figures: vec!["{fig-relu-z2-ce-latent-grid}".into()],
        };
        let text = discuss_layout(std::slice::from_ref(&set), Lang::En)
            .paragraphs
            .join("\n");
        assert!(text.contains("closest together sit 4 and 9 (0.0"), "{text}");
        assert!(text.contains("farthest apart are 0 and 8"), "{text}");
        assert!(text.contains("Spread widest: 8 ("), "{text}");
        assert!(text.contains("4 ↔ 9"), "{text}");
        assert!(text.contains("{fig-relu-z2-ce-latent-grid}"), "{text}");
    }

    #[test]
    fn collapsed_runs_are_never_evidence() {
        let (points, labels) = constructed(|_| 0.05);
        let collapsed = LatentSet {
            name: "sigmoid-z2-ce",
            collapsed: true,
            latent: 2,
            pca: false,
            points: &points,
            labels: &labels,
            figures: vec![],
        };
        let topic = discuss_layout(std::slice::from_ref(&collapsed), Lang::En);
        let text = topic.paragraphs.join("\n");
        assert!(!text.contains("closest together"), "{text}");
        assert!(
            text.contains("No run has an informative latent space"),
            "{text}"
        );
        assert!(text.contains("Left out as collapsed") && text.contains("`sigmoid-z2-ce`"));
        // Two informative runs with the same layout: the recurring pair is
        // counted over them only.
        let mut informative = collapsed.clone();
        informative.collapsed = false;
        informative.name = "a";
        let mut other = informative.clone();
        other.name = "b";
        let text = discuss_layout(&[informative, other, collapsed], Lang::En)
            .paragraphs
            .join("\n");
        assert!(text.contains("4–9 in 2 of 2"), "{text}");
    }

    #[test]
    fn the_japanese_layout_keeps_every_figure_and_no_english() {
        let (points, labels) = constructed(|d| if d == 8 { 0.6 } else { 0.05 });
        let set = |name, pca| LatentSet {
            name,
            collapsed: false,
            latent: if pca { 20 } else { 2 },
            pca,
            points: &points,
            labels: &labels,
            figures: vec!["[F7]".into(), "[F8]".into()],
        };
        let mut gone = set("gone", false);
        gone.collapsed = true;
        let sets = [set("a", false), set("b", true), gone];
        let en = discuss_layout(&sets, Lang::En);
        let ja = discuss_layout(&sets, Lang::Ja);
        assert_eq!((en.id.as_str(), ja.id.as_str()), (LAYOUT_ID, LAYOUT_ID));
        assert_eq!(ja.title, layout_title(Lang::Ja));
        assert_eq!(en.paragraphs.len(), ja.paragraphs.len());
        let text = ja.paragraphs.join("\n");
        for expected in [
            "`a`（z、d = 2；[F7]、[F8]）：重心が最も近い数字の組は 4 と 9（0.0",
            "`b`（d = 20 の PC1–PC2 平面；",
            "最も離れているのは 0 と 8（",
            "最も広がっている数字は 8（",
            "4 ↔ 9（両数字の点の ",
            "表の kNN 正解率は 20 次元すべてを用いる",
            "4–9（2 件中 2 件）",
            "：`gone`。",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
        // The numbers are the English edition's.
        let number = |t: &str| -> Vec<String> {
            t.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|w| w.contains('.') && w.chars().any(|c| c.is_ascii_digit()))
                .map(String::from)
                .collect()
        };
        assert_eq!(number(&en.paragraphs[1]), number(&ja.paragraphs[1]));
        let english = super::super::tests::english_words(&text);
        assert_eq!(english, Vec::<String>::new(), "{text}");
    }

    #[test]
    fn points_that_do_not_spread_have_no_layout() {
        assert!(layout_of(&[[1.0, 1.0]; 4], &[0, 0, 1, 1]).is_none());
        assert!(layout_of(&[[0.0, 0.0], [1.0, 1.0]], &[0, 1]).is_none());
    }
}
