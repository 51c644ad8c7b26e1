//! Which curves of a chart lie on top of each other, and the caption's
//! sentence that says so in either language.

use vaelab_plots::LineChart;

use crate::lang::Lang;
use crate::tr;

/// Two curves count as lying on top of each other when, at every iteration
/// both record, they are less than this many pixels apart at the chart's
/// scale.
pub const OVERLAP_PX: f64 = 1.0;

/// " The curves A and B lie on top of each other …" for the coinciding
/// curves of `chart` drawn `height` pixels high, or "" when every curve is
/// visible.
pub fn overlap_sentence(chart: &LineChart, height: u32, lang: Lang) -> String {
    overlap_text(chart, height, lang, &[])
}

/// A series of a comparison chart, "relu test", as (value, set): the value
/// as `values` (English value, Japanese value) writes it in Japanese, the set
/// as 学習 / テスト; `None` for a name of another form. A run's own chart
/// names its series "train" and "test" alone (no value).
fn series_ja(name: &str, values: &[(String, String)]) -> Option<(String, &'static str)> {
    let (value, set) = name.rsplit_once(' ').unwrap_or(("", name));
    let set = match set {
        "train" => "学習",
        "test" => "テスト",
        _ => return None,
    };
    let value = values
        .iter()
        .find(|(en, _)| en == value)
        .map_or(value, |(_, ja)| ja.as_str());
    Some((value.to_string(), set))
}

/// The coinciding sets of curves named in Japanese, each as one phrase
/// ("relu と sigmoid の学習曲線"), and whether they name several overlaps
/// (「それぞれ」). Each value is named once per phrase: a set of training
/// curves and a set of test curves of the same values become one phrase,
/// "…の学習曲線どうし、テスト曲線どうし".
fn sets_ja(
    sets: &[&Vec<usize>],
    chart: &LineChart,
    values: &[(String, String)],
) -> (Vec<String>, bool) {
    // (values, sets, whether the sets overlap apart) of each phrase.
    let mut phrases: Vec<(Vec<String>, Vec<&'static str>, bool)> = Vec::new();
    // Sets that are not every value × every set named: legend entries.
    let mut quoted: Vec<String> = Vec::new();
    for set in sets {
        let parsed: Option<Vec<(String, &'static str)>> = set
            .iter()
            .map(|&i| series_ja(&chart.series[i].name, values))
            .collect();
        let Some(parsed) = parsed else {
            let names: Vec<String> = set
                .iter()
                .map(|&i| format!("「{}」", chart.series[i].name))
                .collect();
            quoted.push(format!("{}の曲線", names.join("と")));
            continue;
        };
        let mut vs: Vec<String> = Vec::new();
        let mut ss: Vec<&'static str> = Vec::new();
        for (v, s) in &parsed {
            if !vs.contains(v) {
                vs.push(v.clone());
            }
            if !ss.contains(s) {
                ss.push(s);
            }
        }
        if vs.len() * ss.len() != parsed.len() {
            let names: Vec<String> = parsed
                .iter()
                .map(|(v, s)| format!("「{v}（{s}）」"))
                .collect();
            quoted.push(format!("{}の曲線", names.join("と")));
            continue;
        }
        let other_half = phrases
            .iter_mut()
            .find(|(v, s, _)| *v == vs && ss.len() == 1 && s.len() == 1 && s[0] != ss[0]);
        match other_half {
            Some((_, s, apart)) => {
                s.push(ss[0]);
                *apart = true;
            }
            None => phrases.push((vs, ss, false)),
        }
    }
    let several = phrases.len() + quoted.len() > 1 || phrases.iter().any(|p| p.2);
    let mut out: Vec<String> = phrases
        .into_iter()
        .map(|(vs, ss, apart)| {
            let curves: Vec<String> = ss
                .iter()
                .map(|s| format!("{s}曲線{}", if apart { "どうし" } else { "" }))
                .collect();
            let curves = curves.join(if apart { "、" } else { "と" });
            let named: Vec<&str> = vs
                .iter()
                .map(String::as_str)
                .filter(|v| !v.is_empty())
                .collect();
            if named.is_empty() {
                curves
            } else {
                format!("{} の{curves}", named.join(" と "))
            }
        })
        .collect();
    out.extend(quoted);
    (out, several)
}

/// [`overlap_sentence`], naming in Japanese the values of the series as
/// `values` (English value, Japanese value) write them.
pub(super) fn overlap_text(
    chart: &LineChart,
    height: u32,
    lang: Lang,
    values: &[(String, String)],
) -> String {
    let pairs = coinciding(chart, height);
    if pairs.is_empty() {
        return String::new();
    }
    // Curves that coincide, grouped (A on B and B on C is one group).
    let n = chart.series.len();
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &[usize], mut i: usize) -> usize {
        while group[i] != i {
            i = group[i];
        }
        i
    }
    for p in &pairs {
        let (a, b) = (root(&group, p.i), root(&group, p.j));
        group[b.max(a)] = a.min(b);
    }
    let mut sets: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let r = root(&group, i);
        match sets.iter_mut().find(|(root, _)| *root == r) {
            Some((_, set)) => set.push(i),
            None => sets.push((r, vec![i])),
        }
    }
    let sets: Vec<Vec<usize>> = sets.into_iter().map(|(_, s)| s).collect();
    let hidden: usize = sets.iter().map(|s| s.len() - 1).sum();
    let worst = pairs.iter().map(|p| p.gap).fold(0.0, f64::max);
    let from = pairs
        .iter()
        .filter_map(|p| p.from)
        .fold(None, |latest: Option<f64>, x| {
            Some(latest.map_or(x, |l| l.max(x)))
        });
    let when = from.map_or(String::new(), |x| {
        tr!(lang, " from iteration {x} on", "反復 {x} 以降で")
    });
    let coinciding: Vec<&Vec<usize>> = sets.iter().filter(|s| s.len() > 1).collect();
    let visible = n - hidden;
    match lang {
        Lang::En => {
            let said: Vec<String> = coinciding
                .iter()
                .map(|s| {
                    let names: Vec<String> = s
                        .iter()
                        .map(|&i| format!("\"{}\"", chart.series[i].name))
                        .collect();
                    join_and(&names)
                })
                .collect();
            format!(
                " The curves {} lie on top of each other{when} (at most {worst:.2} px apart \
                 at this scale), so only {visible} of the {n} curves can be seen there.",
                said.join("; "),
            )
        }
        Lang::Ja => {
            let (said, several) = sets_ja(&coinciding, chart, values);
            format!(
                "{}は{}{when}重なっており（この縮尺で最大 {worst:.2} ピクセルしか離れていない）、\
                 そこでは {n} 本中 {visible} 本の曲線しか見えない。",
                said.join("、"),
                if several { "それぞれ" } else { "" },
            )
        }
    }
}

/// Two series that coincide: their indices, their largest gap in pixels
/// where they coincide, and the x from which they do (`None`: everywhere).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coincidence {
    /// The first series.
    pub i: usize,
    /// The second series.
    pub j: usize,
    /// Their largest distance in pixels over the points where they coincide.
    pub gap: f64,
    /// The first x of the coinciding stretch, when they part before it.
    pub from: Option<f64>,
}

/// The pairs of series of `chart` that are less than [`OVERLAP_PX`] apart
/// at every x both hold, or at every x from some point on that covers at
/// least the later half of those x (curves that part only in the first
/// iterations still hide each other for most of the chart). Distances are
/// measured as if the y range of all series filled `height` pixels — an
/// upper bound, since the plot area is smaller than the image.
pub fn coinciding(chart: &LineChart, height: u32) -> Vec<Coincidence> {
    let scale = |y: f64| if chart.log_y { y.ln() } else { y };
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| scale(p.1)))
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        return Vec::new();
    }
    let range = hi - lo;
    let px = |a: f64, b: f64| {
        let gap = if range > 0.0 {
            (scale(a) - scale(b)).abs() / range * f64::from(height)
        } else {
            0.0
        };
        if gap.is_nan() { f64::INFINITY } else { gap }
    };
    let mut pairs = Vec::new();
    for i in 0..chart.series.len() {
        for j in i + 1..chart.series.len() {
            let (a, b) = (&chart.series[i].points, &chart.series[j].points);
            // (x, gap) at every x both hold, in a's order.
            let gaps: Vec<(f64, f64)> = a
                .iter()
                .filter_map(|p| b.iter().find(|q| q.0 == p.0).map(|q| (p.0, px(p.1, q.1))))
                .collect();
            if gaps.is_empty() || gaps.len() < a.len().min(b.len()) {
                continue;
            }
            // The coinciding tail: everything after the last gap too wide.
            let start = gaps
                .iter()
                .rposition(|g| g.1 >= OVERLAP_PX)
                .map_or(0, |last| last + 1);
            if 2 * (gaps.len() - start) < gaps.len() {
                continue;
            }
            let gap = gaps[start..].iter().map(|g| g.1).fold(0.0, f64::max);
            let from = (start > 0).then(|| gaps[start].0);
            pairs.push(Coincidence { i, j, gap, from });
        }
    }
    pairs
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use vaelab_plots::Series;

    use super::*;

    fn chart(series: Vec<(&str, Vec<f64>)>, log_y: bool) -> LineChart {
        let mut chart = LineChart::new("t", "iteration", "CE");
        chart.log_y = log_y;
        chart.size = (900, 500);
        for (name, ys) in series {
            let points = ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect();
            chart.series.push(Series::new(name, points));
        }
        chart
    }

    #[test]
    fn curves_closer_than_a_pixel_are_found_and_named() {
        // Range 100..600.9 over 500 px: 1 unit is about 1 px. "a" and "b" differ by
        // at most 0.5 (0.5 px); "c" is 10 px away; "d" sits on "c" within
        // 0.9 px.
        let c = chart(
            vec![
                ("a", vec![600.0, 300.0, 100.0]),
                ("b", vec![600.5, 300.0, 100.2]),
                ("c", vec![590.0, 290.0, 110.0]),
                ("d", vec![590.9, 290.0, 110.0]),
            ],
            false,
        );
        let pairs = coinciding(&c, 500);
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.i, p.j)).collect();
        assert_eq!(found, vec![(0, 1), (2, 3)]);
        assert!((pairs[0].gap - 0.5).abs() < 1e-2, "{pairs:?}");
        assert_eq!(pairs[0].from, None);
        let text = overlap_sentence(&c, 500, Lang::En);
        assert!(
            text.contains("\"a\" and \"b\"; \"c\" and \"d\"")
                && text.contains("only 2 of the 4 curves"),
            "{text}"
        );
    }

    #[test]
    fn the_japanese_overlap_sentence_names_the_sets_and_counts_the_curves() {
        // "a" on "b" from iteration 1 on; "relu train" on "relu test"; one
        // curve apart.
        let c = chart(
            vec![
                ("relu train", vec![600.0, 300.0, 200.0]),
                ("relu test", vec![550.0, 300.2, 200.0]),
                ("seed head test", vec![100.0, 150.0, 400.0]),
                ("gaussian head test", vec![100.2, 150.0, 400.3]),
                ("far", vec![330.0, 330.0, 330.0]),
            ],
            false,
        );
        let values = [("seed head".to_string(), "seed ヘッド".to_string())];
        let text = overlap_text(&c, 500, Lang::Ja, &values);
        assert_eq!(
            text,
            "relu の学習曲線とテスト曲線、seed ヘッド と gaussian head のテスト曲線はそれぞれ\
             反復 1 以降で重なっており（この縮尺で最大 0.30 ピクセルしか離れていない）、そこでは 5 本中 \
             3 本の曲線しか見えない。"
        );
        // The English names the legend entries as they are.
        let en = overlap_text(&c, 500, Lang::En, &values);
        assert!(
            en.contains("\"relu train\" and \"relu test\"; \"seed head test\"")
                && en.contains("only 3 of the 5 curves"),
            "{en}"
        );
        // A run's own chart: train and test only.
        let c = chart(
            vec![("train", vec![1.0, 2.0]), ("test", vec![1.0, 2.0])],
            false,
        );
        let text = overlap_sentence(&c, 500, Lang::Ja);
        assert!(
            text.starts_with("学習曲線とテスト曲線は重なっており"),
            "{text}"
        );
        assert!(text.contains("2 本中 1 本"), "{text}");
    }

    #[test]
    fn train_and_test_overlaps_of_the_same_values_are_said_once() {
        // sigmoid and relu coincide on the training curves and, apart, on
        // the test curves: each value is named once.
        let c = chart(
            vec![
                ("sigmoid train", vec![600.0, 300.0]),
                ("sigmoid test", vec![100.0, 150.0]),
                ("relu train", vec![600.2, 300.0]),
                ("relu test", vec![100.0, 150.3]),
            ],
            false,
        );
        let text = overlap_text(&c, 500, Lang::Ja, &[]);
        assert!(
            text.starts_with(
                "sigmoid と relu の学習曲線どうし、テスト曲線どうしはそれぞれ重なっており"
            ),
            "{text}"
        );
        assert!(text.contains("4 本中 2 本"), "{text}");
        // A legend entry of another form is quoted as it is.
        let c = chart(vec![("a", vec![1.0, 2.0]), ("b", vec![1.0, 2.0])], false);
        let text = overlap_text(&c, 500, Lang::Ja, &[]);
        assert!(
            text.starts_with("「a」と「b」の曲線は重なっており"),
            "{text}"
        );
    }

    #[test]
    fn separate_curves_are_not_called_overlapping() {
        // 2 units apart on a 500-unit range over 500 px: 2 px, visible.
        let c = chart(
            vec![("train", vec![600.0, 100.0]), ("test", vec![602.0, 102.0])],
            false,
        );
        assert!(coinciding(&c, 500).is_empty());
        assert_eq!(overlap_sentence(&c, 500, Lang::En), "");
        // The same gap drawn 200 px high is below a pixel.
        assert_eq!(coinciding(&c, 200).len(), 1);
        // On a log scale the gap is measured in log units: 1% apart on a
        // range of ten thousand times is ~0.5 px at 500 px.
        let c = chart(
            vec![
                ("train", vec![1e4, 1.0]),
                ("test", vec![1.01e4, 1.01]),
                ("far", vec![2e4, 2.0]),
            ],
            true,
        );
        let pairs = coinciding(&c, 500);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert!(pairs[0].gap < 1.0 && pairs[0].gap > 0.4, "{pairs:?}");
    }

    #[test]
    fn curves_that_part_only_early_overlap_from_where_they_meet() {
        // 50 px apart at x = 0, then within 0.3 px for the rest.
        let c = chart(
            vec![
                ("a", vec![600.0, 300.0, 200.0, 150.0, 100.0]),
                ("b", vec![550.0, 300.3, 200.0, 150.2, 100.0]),
            ],
            false,
        );
        let pairs = coinciding(&c, 500);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!(pairs[0].from, Some(1.0));
        let text = overlap_sentence(&c, 500, Lang::En);
        assert!(text.contains("from iteration 1 on"), "{text}");
        // Parting over more than half the chart is not overlapping.
        let c = chart(
            vec![
                ("a", vec![600.0, 300.0, 200.0, 150.0, 100.0]),
                ("b", vec![550.0, 250.0, 150.0, 150.2, 100.0]),
            ],
            false,
        );
        assert!(coinciding(&c, 500).is_empty());
    }

    #[test]
    fn curves_without_shared_iterations_do_not_overlap() {
        let mut c = chart(vec![("a", vec![1.0, 2.0])], false);
        c.series
            .push(Series::new("b", vec![(5.0, 1.0), (6.0, 2.0)]));
        assert!(coinciding(&c, 500).is_empty());
    }
}
