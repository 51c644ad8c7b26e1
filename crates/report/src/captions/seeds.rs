//! What the lines of a comparison panel cannot show: a comparison figure
//! draws each configuration's first seed as its line and the other seeds
//! only as a shaded range, so when the first seeds agree (all collapsed, say)
//! while the seeds do not (the sigmoid-collapse ablation's KL warm-up: seed 0
//! collapses with and without it, seeds 1 and 2 escape with it), the lines
//! lie on top of each other and the figure seems to say "no effect". The
//! caption then counts the collapsed seeds of each value.

use vaelab_metrics::LatentState;
use vaelab_vae::RunOutcome;

use crate::factors::{Factor, Group};
use crate::lang::Lang;
use crate::tr;

/// One configuration of a panel: its value as the text names it, whether
/// its first seed collapsed, and how many of its seeds did, of how many.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Member {
    pub value: String,
    pub first_collapsed: bool,
    pub collapsed: usize,
    pub seeds: usize,
}

/// The members of `group`'s panel (`sets[i]`: the runs of configuration `i`
/// over its seeds, its first seed first).
pub(super) fn members(
    group: &Group,
    factor: &Factor,
    sets: &[&[&RunOutcome]],
    lang: Lang,
) -> Vec<Member> {
    let collapsed =
        |r: &RunOutcome| r.analysis.metrics.latent_activity.state == LatentState::Collapsed;
    group
        .members
        .iter()
        .filter_map(|(i, _)| {
            let set = sets.get(*i)?;
            let first = set.first()?;
            Some(Member {
                value: factor.value_in(&first.config, lang),
                first_collapsed: collapsed(first),
                collapsed: set.iter().filter(|r| collapsed(r)).count(),
                seeds: set.len(),
            })
        })
        .collect()
}

/// The sentence for the panel titled `title`, or nothing when its lines
/// tell the truth: the first seeds differ in state, or the seeds' counts
/// agree with one another.
pub(super) fn hidden_seeds(title: &str, members: &[Member], lang: Lang) -> String {
    let Some(first) = members.first() else {
        return String::new();
    };
    let same_lines = members
        .iter()
        .all(|m| m.first_collapsed == first.first_collapsed);
    let same_counts = members
        .iter()
        .all(|m| (m.collapsed, m.seeds) == (first.collapsed, first.seeds));
    if !same_lines || same_counts {
        return String::new();
    }
    let counts: Vec<String> = members
        .iter()
        .map(|m| {
            tr!(
                lang,
                "{} in {}/{}",
                "{0} で {2} シード中 {1} シード",
                m.value,
                m.collapsed,
                m.seeds
            )
        })
        .collect();
    let counts = lang.join(&counts);
    match (first.first_collapsed, lang) {
        (true, Lang::En) => format!(
            " Panel {title}: in the first seed every line is a collapsed run's, so they \
             coincide; other seeds differ (collapsed: {counts}), as the shaded ranges show."
        ),
        (false, Lang::En) => format!(
            " Panel {title}: in the first seed no line is a collapsed run's; other seeds \
             differ (collapsed: {counts}), as the shaded ranges show."
        ),
        (true, Lang::Ja) => format!(
            "パネル「{title}」：最初のシードでは、どの線も崩壊した実験のものなので重なる。\
             他のシードは値によって異なり（崩壊したシード：{counts}）、網掛けの範囲に表れる。"
        ),
        (false, Lang::Ja) => format!(
            "パネル「{title}」：最初のシードでは、どの線も崩壊していない実験のものである。\
             他のシードは値によって異なり（崩壊したシード：{counts}）、網掛けの範囲に表れる。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(value: &str, first_collapsed: bool, collapsed: usize) -> Member {
        Member {
            value: value.into(),
            first_collapsed,
            collapsed,
            seeds: 3,
        }
    }

    #[test]
    fn seeds_hidden_under_equal_lines_are_counted() {
        let warmup = [
            member("kl_warmup = 0", true, 3),
            member("kl_warmup = 1000", true, 1),
        ];
        assert_eq!(
            hidden_seeds("seed head, lr = 0.01", &warmup, Lang::En),
            " Panel seed head, lr = 0.01: in the first seed every line is a collapsed run's, \
             so they coincide; other seeds differ (collapsed: kl_warmup = 0 in 3/3 and \
             kl_warmup = 1000 in 1/3), as the shaded ranges show."
        );
        let ja = hidden_seeds("seed ヘッド", &warmup, Lang::Ja);
        assert!(
            ja.contains(
                "kl_warmup = 0 で 3 シード中 3 シード、kl_warmup = 1000 で 3 シード中 1 シード"
            ),
            "{ja}"
        );
    }

    #[test]
    fn lines_that_differ_or_seeds_that_agree_need_no_sentence() {
        // The first seeds differ: the lines show it.
        let differ = [member("a", true, 3), member("b", false, 1)];
        assert_eq!(hidden_seeds("p", &differ, Lang::En), "");
        // Every seed collapses with both values: the lines tell the truth.
        let agree = [member("a", true, 3), member("b", true, 3)];
        assert_eq!(hidden_seeds("p", &agree, Lang::En), "");
        // Both escape in their first seed, one collapses in another seed.
        let escape = [member("a", false, 0), member("b", false, 1)];
        assert!(
            hidden_seeds("p", &escape, Lang::En)
                .contains("in the first seed no line is a collapsed run's")
        );
        assert_eq!(hidden_seeds("p", &[], Lang::En), "");
    }
}
