//! The sentences that compare pairs of configurations across seeds, in
//! both editions: [`contrast`] for the discussion, [`brief`] for the key
//! findings. Each language builds its whole sentence from the same counts
//! (pairs won, tied, seeds of support), so the word order can differ while
//! no number can.

use super::{ConfigPair, Decision, Measure, Pairs};
use crate::lang::Lang;
use crate::tr;

/// "5/5 seeds" / 「5 シード中 5 シード」, or "one seed" / 「1 シード」.
pub(crate) fn in_seeds(k: usize, n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => crate::configs::of_seeds(k, n),
        Lang::Ja if n == 1 => "1 シード".to_string(),
        Lang::Ja => format!("{n} シード中 {k} シード"),
    }
}

/// A factor's value as a sentence of `lang` names it: the values come in
/// English ("ReLU", "d = 2", "the seed head"); in Japanese the article goes
/// and "head" becomes ヘッド (「seed ヘッド」).
pub(crate) fn side(value: &str, lang: Lang) -> String {
    match lang {
        Lang::En => value.to_string(),
        Lang::Ja => {
            let bare = value.strip_prefix("the ").unwrap_or(value);
            match bare.strip_suffix(" head") {
                Some(head) => format!("{head} ヘッド"),
                None => bare.to_string(),
            }
        }
    }
}

/// The space that Japanese text puts after `s` before a Japanese word: one
/// after Latin letters, digits, code and notation (「ReLU のほうが」), none
/// after Japanese (「seed ヘッドのほうが」) or a closing bracket.
pub(crate) fn space_after(s: &str) -> &'static str {
    match s.chars().last() {
        Some(c) if c.is_ascii() && !c.is_ascii_whitespace() && c != ')' => " ",
        _ => "",
    }
}

/// One pair's outcome: "`relu-z2-ce` over `x` in 4/5 seeds, 1 even" or
/// "`x` and `y` tie, the difference within the seed-to-seed spread (`y`
/// ahead in 3/5 seeds)", with the seeds left out.
fn detail(c: &ConfigPair<'_>, d: &Decision, m: &Measure<'_>, lang: Lang) -> String {
    let collapsed = match (d.collapsed, lang) {
        (0, _) => String::new(),
        (1, Lang::En) => ", 1 seed with a collapsed run left out".to_string(),
        (e, Lang::En) => format!(", {e} seeds with a collapsed run left out"),
        (e, Lang::Ja) => format!("、崩壊した実験を含む {e} シードは除外"),
    };
    let left = match (d.excluded, lang) {
        (0, _) => String::new(),
        (1, Lang::En) => ", 1 seed without the value left out".to_string(),
        (e, Lang::En) => format!(", {e} seeds without the value left out"),
        (e, Lang::Ja) => format!("、値のない {e} シードは除外"),
    } + &collapsed;
    let even = match (d.even(), lang) {
        (0, _) => String::new(),
        (e, Lang::En) => format!(", {e} even"),
        (e, Lang::Ja) => format!("、{e} シードは差なし"),
    };
    let (a, b) = (&c.a, &c.b);
    let seeds = in_seeds(d.k(), d.n, lang);
    // For a tie: the side ahead in more seeds, by name.
    let ahead = || {
        let all = in_seeds(d.n, d.n, lang);
        if d.k() == 0 {
            return tr!(lang, "even in {all}", "{all}で差なし");
        }
        if d.a_wins == d.b_wins {
            return tr!(
                lang,
                "each ahead in {seeds}{even}",
                "それぞれ {seeds}で優れる{even}"
            );
        }
        let lead = if d.b_wins > d.a_wins { b } else { a };
        tr!(
            lang,
            "`{lead}` ahead in {seeds}{even}",
            "`{lead}` が優れるのは {seeds}{even}"
        )
    };
    match d.b_better {
        Some(b_better) => {
            let (w, l) = if b_better { (b, a) } else { (a, b) };
            tr!(
                lang,
                "`{w}` over `{l}` in {seeds}{even}{left}",
                "`{w}` が `{l}` より優れる（{seeds}{even}{left}）"
            )
        }
        None if d.n == 1 => tr!(
            lang,
            "`{a}` and `{b}` tie (within 1%){left}",
            "`{a}` と `{b}` は差なし（差は 1% 以内{left}）"
        ),
        // Within the tie rule although one side may be ahead in every seed:
        // said as such, not as the seeds' spread.
        None if d.small => {
            let within = if m.within_tie(c) {
                tr!(lang, "within 1%", "1% 以内")
            } else {
                let floor = crate::pairs::num(m.floor);
                tr!(lang, "below {floor}", "{floor} 未満")
            };
            let ahead = ahead();
            tr!(
                lang,
                "`{a}` and `{b}` tie, the difference {within} ({ahead}){left}",
                "`{a}` と `{b}` は差なし（差は {within}、{ahead}{left}）"
            )
        }
        None => {
            let ahead = ahead();
            tr!(
                lang,
                "`{a}` and `{b}` tie, the difference within the seed-to-seed spread \
                 ({ahead}){left}",
                "`{a}` と `{b}` は差なし（差はシード間のばらつきの範囲内、{ahead}{left}）"
            )
        }
    }
}

/// "; 3 pairs where a side collapses in every seed left out" /
/// 「、全シードで崩壊する側を含む 3 組は除外」: the pairs of configurations
/// that are no evidence ([`ConfigPair::evidence`]), or nothing.
fn left_out(p: &Pairs<'_>, one_seed: bool, lang: Lang) -> String {
    let n = p.left_out();
    match (n, one_seed, lang) {
        (0, _, _) => String::new(),
        (1, true, Lang::En) => "; 1 pair with a collapsed run left out".to_string(),
        (n, true, Lang::En) => format!("; {n} pairs with a collapsed run left out"),
        (1, false, Lang::En) => {
            "; 1 pair where a side collapses in every seed left out".to_string()
        }
        (n, false, Lang::En) => {
            format!("; {n} pairs where a side collapses in every seed left out")
        }
        (n, true, Lang::Ja) => format!("、崩壊した実験を含む {n} 組は除外"),
        (n, false, Lang::Ja) => format!("、全シードで崩壊する側を含む {n} 組は除外"),
    }
}

/// The sentence for a factor none of whose pairs is evidence: every pair
/// has a side that collapses in every seed. `None` when some pair is.
fn none_compared(p: &Pairs<'_>, what: &str, lang: Lang) -> Option<String> {
    let n = p.left_out();
    if n == 0 || n < p.configs.len() {
        return None;
    }
    let one_seed = p.configs.iter().all(|c| c.seeds.len() == 1);
    let (a, b) = (side(&p.a, lang), side(&p.b, lang));
    let (sa, sb, s) = (space_after(&a), space_after(&b), space_after(what));
    let each = match (n, one_seed) {
        (1, true) => "the one pair".to_string(),
        (1, false) => "the one pair of configurations".to_string(),
        (n, true) => format!("each of the {n} pairs"),
        (n, false) => format!("each of the {n} pairs of configurations"),
    };
    Some(match (one_seed, lang) {
        (true, Lang::En) => {
            format!("{a} and {b} are not compared on {what}, since {each} has a collapsed run")
        }
        (false, Lang::En) => format!(
            "{a} and {b} are not compared on {what}, since in {each} a side collapses in every \
             seed"
        ),
        (true, Lang::Ja) => format!(
            "{what}{s}では {a}{sa}と {b}{sb}を比較しない：どの実験の組にも崩壊した実験がある（{n} 組）"
        ),
        (false, Lang::Ja) => format!(
            "{what}{s}では {a}{sa}と {b}{sb}を比較しない：どの構成の組でも一方が全シードで崩壊する\
             （{n} 組）"
        ),
    })
}

/// "{winner} gives the lower {what} in …", stating for every pair of
/// configurations in how many seeds it holds, or that the pairs are split
/// or tied. A whole sentence of `lang`, without its final full stop.
pub fn contrast(p: &Pairs<'_>, m: Measure<'_>, lang: Lang) -> String {
    let decisions = m.decisions(p);
    let what = m.what;
    let word = match (m.higher, lang) {
        (true, Lang::En) => "higher",
        (false, Lang::En) => "lower",
        (true, Lang::Ja) => "高い",
        (false, Lang::Ja) => "低い",
    };
    if let Some(text) = none_compared(p, what, lang) {
        return text;
    }
    if decisions.is_empty() {
        let s = space_after(what);
        return tr!(
            lang,
            "no pair of runs has a {what} on both sides, so it is not compared",
            "{what}{s}の値が両側にそろう実験の組はないため、比較しない"
        );
    }
    // The means over the seeds compared: no collapsed run, both values.
    let values: Vec<(f64, f64)> = decisions
        .iter()
        .flat_map(|(c, _)| m.paired(c).values)
        .collect();
    let count = values.len().max(1) as f64;
    let ma = values.iter().map(|v| v.0).sum::<f64>() / count;
    let mb = values.iter().map(|v| v.1).sum::<f64>() / count;
    let n = decisions.len();
    let k_a = decisions
        .iter()
        .filter(|(_, d)| d.b_better == Some(false))
        .count();
    let k_b = decisions
        .iter()
        .filter(|(_, d)| d.b_better == Some(true))
        .count();
    let ties = n - k_a - k_b;
    let one_seed = decisions.iter().all(|(c, _)| c.seeds.len() == 1);
    let details: Vec<String> = decisions
        .iter()
        .map(|(c, d)| detail(c, d, &m, lang))
        .collect();
    let (a, b) = (side(&p.a, lang), side(&p.b, lang));
    let left = left_out(p, one_seed, lang);
    if lang == Lang::Ja {
        return contrast_ja(ContrastJa {
            what,
            word,
            a: &a,
            b: &b,
            ma: (m.show)(ma),
            mb: (m.show)(mb),
            n,
            k_a,
            k_b,
            ties,
            one_seed,
            left: &left,
            details: &details,
        });
    }
    let unit = if one_seed {
        "pair"
    } else {
        "pair of configurations"
    };
    let units = if one_seed {
        "pairs"
    } else {
        "pairs of configurations"
    };
    let of_n = if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {units}")
    };
    let support = if one_seed {
        " (one seed each)".to_string()
    } else {
        format!(": {}", details.join("; "))
    };
    let tie_note = match ties {
        0 => String::new(),
        t => format!(", {t} tied"),
    };
    if k_a == k_b {
        return format!(
            "{a} and {b} are even on {what} (mean {} vs {}{left}): each is {word} in {k_a} of \
             {of_n}{tie_note}{support}",
            (m.show)(ma),
            (m.show)(mb)
        );
    }
    let (winner, loser, k, k_other, mw, ml) = if k_b > k_a {
        (&b, &a, k_b, k_a, mb, ma)
    } else {
        (&a, &b, k_a, k_b, ma, mb)
    };
    let other = if k_other > 0 {
        format!(", {loser} in {k_other}")
    } else {
        String::new()
    };
    format!(
        "{winner} gives the {word} {what} in {k} of {of_n}{other}{tie_note} (mean {} against {} \
         for {loser}{left}){support}",
        (m.show)(mw),
        (m.show)(ml)
    )
}

/// What [`contrast`] says, gathered for its Japanese sentence.
struct ContrastJa<'t> {
    what: &'t str,
    word: &'t str,
    a: &'t str,
    b: &'t str,
    ma: String,
    mb: String,
    n: usize,
    k_a: usize,
    k_b: usize,
    ties: usize,
    one_seed: bool,
    left: &'t str,
    details: &'t [String],
}

/// The Japanese sentence of [`contrast`]: the measure first, then the
/// count of pairs and the side that wins, the means and the other side's
/// wins in parentheses, and the pairs one by one after a colon.
fn contrast_ja(c: ContrastJa<'_>) -> String {
    let ContrastJa {
        what,
        word,
        n,
        ties,
        left,
        ..
    } = c;
    let unit = if c.one_seed {
        "実験の組"
    } else {
        "構成の組"
    };
    let tie_note = match ties {
        0 => String::new(),
        t => format!("、{t} 組は差なし"),
    } + left;
    let (each, support) = if c.one_seed {
        ("、各 1 シード", String::new())
    } else {
        ("", format!("：{}", c.details.join("；")))
    };
    let s = space_after(what);
    if c.k_a == c.k_b {
        let (a, b, k, ma, mb) = (c.a, c.b, c.k_a, &c.ma, &c.mb);
        let (sa, sb) = (space_after(a), space_after(b));
        return format!(
            "{what}{s}では {a}{sa}と {b}{sb}が互角である（平均 {ma} 対 {mb}、{unit} {n} 組中それぞれ \
             {k} 組で{word}{tie_note}{each}）{support}"
        );
    }
    let (winner, loser, k, k_other, mw, ml) = if c.k_b > c.k_a {
        (c.b, c.a, c.k_b, c.k_a, &c.mb, &c.ma)
    } else {
        (c.a, c.b, c.k_a, c.k_b, &c.ma, &c.mb)
    };
    let other = if k_other > 0 {
        format!(
            "、{loser}{}のほうが{word}のは {k_other} 組",
            space_after(loser)
        )
    } else {
        String::new()
    };
    let (sw, sl) = (space_after(winner), space_after(loser));
    format!(
        "{what}{s}は{unit} {n} 組中 {k} 組で {winner}{sw}のほうが {loser}{sl}より{word}（平均 {mw} 対 \
         {ml}{other}{tie_note}{each}）{support}"
    )
}

/// The short form of [`contrast`] for the key findings: the winner, in how
/// many pairs of configurations, and the weakest support across seeds among
/// its wins ("in each at least 4/5 seeds"), and how many pairs are left out
/// because a side collapses in every seed; `None` when nothing compares.
pub fn brief(p: &Pairs<'_>, m: Measure<'_>, lang: Lang) -> Option<String> {
    let decisions = m.decisions(p);
    if let Some(text) = none_compared(p, m.what, lang) {
        return Some(text);
    }
    if decisions.is_empty() {
        return None;
    }
    let what = m.what;
    let word = match (m.higher, lang) {
        (true, Lang::En) => "higher",
        (false, Lang::En) => "lower",
        (true, Lang::Ja) => "高い",
        (false, Lang::Ja) => "低い",
    };
    let n = decisions.len();
    let side_of = |b: bool| -> Vec<&Decision> {
        decisions
            .iter()
            .filter(|(_, d)| d.b_better == Some(b))
            .map(|(_, d)| d)
            .collect()
    };
    let (wins_a, wins_b) = (side_of(false), side_of(true));
    let ties = n - wins_a.len() - wins_b.len();
    let one_seed = decisions.iter().all(|(c, _)| c.seeds.len() == 1);
    let units = if n == 1 {
        "1 pair of configurations".to_string()
    } else {
        format!("{n} pairs of configurations")
    };
    let tie_note = match (ties, lang) {
        (0, _) => String::new(),
        (t, Lang::En) => format!(", {t} tied"),
        (t, Lang::Ja) => format!("、{t} 組は差なし"),
    } + &left_out(p, one_seed, lang);
    let (a, b) = (side(&p.a, lang), side(&p.b, lang));
    let s = space_after(what);
    if wins_a.len() == wins_b.len() {
        let k = wins_a.len();
        let (sa, sb) = (space_after(&a), space_after(&b));
        return Some(tr!(
            lang,
            "{a} and {b} are even on {what}: each is {word} in {k} of {units}{tie_note}",
            "{what}{s}では {a}{sa}と {b}{sb}が互角である（構成の組 {n} 組中それぞれ {k} 組で{word}\
             {tie_note}）"
        ));
    }
    let (winner, loser, wins, other) = if wins_b.len() > wins_a.len() {
        (&b, &a, wins_b, wins_a.len())
    } else {
        (&a, &b, wins_a, wins_b.len())
    };
    let weakest = wins.iter().min_by(|x, y| (x.k() * y.n).cmp(&(y.k() * x.n)));
    // "at least 5/5" reads oddly: a win in every seed is said as such.
    let unanimous = weakest.is_some_and(|d| d.k() == d.n);
    let weakest = weakest
        .map(|d| in_seeds(d.k(), d.n, lang))
        .unwrap_or_default();
    let k = wins.len();
    // "Each of these" and "at least" only for several pairs.
    let support = match (one_seed, k == 1 || unanimous, k == 1, lang) {
        (true, _, _, Lang::En) => " (one seed each)".to_string(),
        (false, true, true, Lang::En) => format!(", in {weakest}"),
        (false, true, false, Lang::En) => format!(", each of these in {weakest}"),
        (false, false, _, Lang::En) => format!(", each of these in at least {weakest}"),
        (true, _, _, Lang::Ja) => "各 1 シード".to_string(),
        (false, true, true, Lang::Ja) => format!("{weakest}で成り立つ"),
        (false, true, false, Lang::Ja) => format!("いずれも {weakest}で成り立つ"),
        (false, false, _, Lang::Ja) => format!("いずれも {weakest}以上で成り立つ"),
    };
    let other = match (other, lang) {
        (0, _) => String::new(),
        (o, Lang::En) => format!(", {loser} in {o}"),
        (o, Lang::Ja) => format!("、{loser}{}のほうが{word}のは {o} 組", space_after(loser)),
    };
    let (sw, sl) = (space_after(winner), space_after(loser));
    Some(tr!(
        lang,
        "{winner} gives the {word} {what} than {loser} in {k} of {units}{support}{other}{tie_note}",
        "{what}{s}は構成の組 {n} 組中 {k} 組で {winner}{sw}のほうが {loser}{sl}より{word}\
         （{support}{other}{tie_note}）"
    ))
}

#[cfg(test)]
mod tests {
    use vaelab_vae::Objective;

    use super::super::tests::{has_english, run, seeds_of};
    use super::*;
    use crate::factors::Factor;
    use crate::pairs::pairs;

    #[test]
    fn the_japanese_sentence_keeps_the_counts_of_pairs_and_seeds() {
        let mut runs = seeds_of("sig", "sigmoid", &[204.0, 205.0, 204.5, 204.8, 205.2]);
        runs.extend(seeds_of(
            "relu",
            "relu",
            &[150.0, 160.0, 155.0, 210.0, 152.0],
        ));
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let ce = Measure::lower("テストデータの CE", |r| r.metrics.test.ce);
        let text = contrast(&p, ce, Lang::Ja);
        assert!(
            text.starts_with(
                "テストデータの CE は構成の組 1 組中 1 組で ReLU のほうが Sigmoid より低い"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("：`relu` が `sig` より優れる（5 シード中 4 シード）"),
            "{text}"
        );
        assert!(!has_english(&text, 2), "{text}");
        let short = brief(&p, ce, Lang::Ja).unwrap();
        assert_eq!(
            short,
            "テストデータの CE は構成の組 1 組中 1 組で ReLU のほうが Sigmoid より低い\
             （5 シード中 4 シードで成り立つ）"
        );
        // The outlier seed makes a tie: 差なし, with the side ahead in 4 of 5.
        runs[8].metrics.test.ce = 400.0;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, ce, Lang::Ja);
        assert!(
            text.contains("`sig` と `relu` は差なし（差はシード間のばらつきの範囲内、`relu` が優れるのは 5 シード中 4 シード）"),
            "{text}"
        );
        assert!(
            text.starts_with("テストデータの CE では Sigmoid と ReLU が互角である"),
            "{text}"
        );
        assert!(!has_english(&text, 2), "{text}");
        let short = brief(&p, ce, Lang::Ja).unwrap();
        assert!(
            short.contains("それぞれ 0 組で低い、1 組は差なし"),
            "{short}"
        );
    }

    #[test]
    fn a_win_in_every_seed_is_not_called_at_least() {
        let mut runs = seeds_of("sig", "sigmoid", &[204.0, 205.0, 204.5]);
        runs.extend(seeds_of("relu", "relu", &[150.0, 160.0, 155.0]));
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let ce = Measure::lower("test CE", |r| r.metrics.test.ce);
        let en = brief(&p, ce, Lang::En).unwrap();
        assert!(en.ends_with(", in 3/3 seeds"), "{en}");
        let ja = brief(&p, ce, Lang::Ja).unwrap();
        assert!(ja.contains("（3 シード中 3 シードで成り立つ）"), "{ja}");
        assert!(!ja.contains("以上"), "{ja}");
        // "Each of these" only for several pairs.
        let mut more = seeds_of("sig20", "sigmoid", &[204.0, 205.0, 204.5]);
        more.extend(seeds_of("relu20", "relu", &[150.0, 160.0, 155.0]));
        for r in &mut more {
            r.config.latent = 20;
        }
        runs.extend(more);
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let en = brief(&p, ce, Lang::En).unwrap();
        assert!(
            en.ends_with("in 2 of 2 pairs of configurations, each of these in 3/3 seeds"),
            "{en}"
        );
        let ja = brief(&p, ce, Lang::Ja).unwrap();
        assert!(
            ja.contains("（いずれも 3 シード中 3 シードで成り立つ）"),
            "{ja}"
        );
    }

    #[test]
    fn the_japanese_sentence_of_one_seed_and_of_a_left_out_seed() {
        let mut runs = vec![
            run("s2", "sigmoid", 2, Objective::Ce),
            run("r2", "relu", 2, Objective::Ce),
            run("s20", "sigmoid", 20, Objective::Ce),
            run("r20", "relu", 20, Objective::Ce),
        ];
        runs[1].metrics.test.mse = 0.01;
        runs[3].metrics.test.mse = 1.0;
        let mse = Measure::lower("テストデータの MSE", |r| r.metrics.test.mse);
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, mse, Lang::Ja);
        assert_eq!(
            text,
            "テストデータの MSE では Sigmoid と ReLU が互角である（平均 0.035 対 0.505、\
             実験の組 2 組中それぞれ 1 組で低い、各 1 シード）"
        );
        runs[3].metrics.test.mse = 0.01;
        let p = pairs(&runs, &Factor::activation()).unwrap();
        let text = contrast(&p, mse.higher(), Lang::Ja);
        assert!(
            text.starts_with("テストデータの MSE は実験の組 2 組中 2 組で Sigmoid のほうが ReLU より高い（平均 0.035 対 0.010、各 1 シード）"),
            "{text}"
        );
        // A left-out seed is named in the pair's parenthesis.
        let c = ConfigPair {
            a: "a".into(),
            b: "b".into(),
            seeds: vec![],
        };
        let d = Decision {
            b_better: Some(true),
            a_wins: 0,
            b_wins: 2,
            n: 2,
            excluded: 1,
            collapsed: 0,
            small: false,
        };
        assert_eq!(
            detail(&c, &d, &mse, Lang::Ja),
            "`b` が `a` より優れる（2 シード中 2 シード、値のない 1 シードは除外）"
        );
        assert_eq!(
            detail(&c, &d, &mse, Lang::En),
            "`b` over `a` in 2/2 seeds, 1 seed without the value left out"
        );
        let none = Measure::lower("kNN 正解率", |r| r.metrics.knn_accuracy).only(|_| false);
        assert_eq!(
            contrast(&p, none, Lang::Ja),
            "kNN 正解率の値が両側にそろう実験の組はないため、比較しない"
        );
    }

    #[test]
    fn heads_are_named_in_japanese_without_the_article() {
        assert_eq!(side("the seed head", Lang::Ja), "seed ヘッド");
        assert_eq!(side("the gaussian head", Lang::En), "the gaussian head");
        assert_eq!(side("d = 20", Lang::Ja), "d = 20");
        assert_eq!(in_seeds(3, 5, Lang::Ja), "5 シード中 3 シード");
        assert_eq!(in_seeds(3, 5, Lang::En), "3/5 seeds");
        assert_eq!(in_seeds(1, 1, Lang::Ja), "1 シード");
    }
}
