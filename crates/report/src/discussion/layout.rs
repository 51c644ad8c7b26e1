//! The original study's question "what do positions in the latent space
//! mean?", answered from the data: for each run whose latent space is not
//! collapsed, which digits sit together and which apart (per-digit centroids
//! of μ on the plane the figures show, and a leave-one-out nearest-neighbour
//! vote on that plane), and which digits spread widely.

use super::{Topic, latent::collapsed, topic};
use crate::Context;
use crate::document::figure_ref;
use crate::figures::RunFigure;
use crate::lang::Lang;
use crate::layout;
use crate::pairs::pct;

/// The topic's title (the mapping table links to it).
pub const LAYOUT_TITLE: &str = "What positions in the latent space mean";
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
    let mut paragraphs = vec![
        "The original study asks what positions in the latent space mean. Here the answer is \
         read off the plane the figures show (z for d = 2, the first two principal components \
         of μ for larger d): per-digit centroids of the classification images' μ, their \
         distances in units of the overall spread of μ (the RMS distance of all points to \
         their mean), each digit's own spread in the same units, and a leave-one-out \
         5-nearest-neighbour vote on the plane. The latent-grid figures draw these μ over the \
         decoded images, so one can see which digit the decoder draws where each digit lies."
            .to_string(),
    ];
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
        paragraphs.push("No run finished, so there is no latent space to read.".into());
    } else if layouts.is_empty() {
        paragraphs.push(
            "No run has an informative latent space, so positions in it mean nothing here: \
             every collapsed run decodes practically one image wherever z is."
                .into(),
        );
    } else if layouts.len() > 1 {
        paragraphs.push(across(&layouts, lang));
    }
    if !gone.is_empty() {
        paragraphs.push(format!(
            "Left out as collapsed (their μ differ by float rounding, so their layout is \
             noise): {}.",
            gone.join(", ")
        ));
    }
    topic(LAYOUT_ID, LAYOUT_TITLE, paragraphs)
}

fn run_paragraph(set: &LatentSet<'_>, l: &Layout, lang: Lang) -> String {
    let plane = if set.pca {
        format!("the PC1–PC2 plane of d = {}", set.latent)
    } else {
        format!("z, d = {}", set.latent)
    };
    let figures = if set.figures.is_empty() {
        String::new()
    } else {
        format!("; {}", set.figures.join(", "))
    };
    let close: Vec<String> = l
        .pairs
        .iter()
        .take(CLOSE_PAIRS)
        .map(|(a, b, d)| format!("{a} and {b} ({d:.2})"))
        .collect();
    let far = l.pairs.last().map_or(String::new(), |(a, b, d)| {
        format!("; farthest apart are {a} and {b} ({d:.2})")
    });
    let wide: Vec<String> = l
        .spreads
        .iter()
        .take(2)
        .map(|(d, s)| format!("{d} ({s:.2})"))
        .collect();
    let tight = l.spreads.last().map_or(String::new(), |(d, s)| {
        format!(", the tightest is {d} ({s:.2})")
    });
    let mixed: Vec<String> = l
        .confused
        .iter()
        .take(3)
        .map(|(a, b, share)| format!("{a} ↔ {b} ({} of them)", pct(*share)))
        .collect();
    let vote = if mixed.is_empty() {
        format!(
            "The leave-one-out vote on the plane gets {} right and mixes up no pair.",
            pct(l.vote_accuracy)
        )
    } else {
        format!(
            "The leave-one-out vote on the plane gets {} right; it mixes up most often {}.",
            pct(l.vote_accuracy),
            mixed.join(", ")
        )
    };
    let vote = if set.pca {
        format!(
            "{vote} (The vote sees the plane only; the kNN accuracy of the tables uses all {} dimensions.)",
            set.latent
        )
    } else {
        vote
    };
    format!(
        "`{}` ({plane}{figures}): closest together sit {} (centroid distance in units of the \
         overall spread){far}. Spread widest: {}{tight}. {vote}",
        set.name,
        close.join(", "),
        wide.join(", ")
    )
}

/// Which close pairs and wide digits recur across the informative runs.
fn across(layouts: &[Layout], lang: Lang) -> String {
    let n = layouts.len();
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
        .map(|((a, b), c)| format!("{a}–{b} in {c} of {n}"))
        .collect();
    let wide: Vec<String> = wide
        .iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(d, c)| format!("{d} in {c} of {n}"))
        .collect();
    let pairs = if recurring.is_empty() {
        format!(
            "Across the {n} informative runs no pair of digits is among the {CLOSE_PAIRS} \
             closest in more than one run: the layout differs from run to run."
        )
    } else {
        format!(
            "Across the {n} informative runs, pairs among the {CLOSE_PAIRS} closest in more \
             than one run: {}.",
            recurring.join(", ")
        )
    };
    let spread = if wide.is_empty() {
        String::new()
    } else {
        format!(
            " Digits among the two widest in more than one run: {}.",
            wide.join(", ")
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
    fn points_that_do_not_spread_have_no_layout() {
        assert!(layout_of(&[[1.0, 1.0]; 4], &[0, 0, 1, 1]).is_none());
        assert!(layout_of(&[[0.0, 0.0], [1.0, 1.0]], &[0, 1]).is_none());
    }
}
