//! The figures of every run laid out as tables: runs sharing everything but
//! activation and latent dimension form a family, activation down and
//! latent dimension across, so that Sigmoid/ReLU and d = 2/20 sit next to
//! each other as in the seed's figures, and the families (CE, SSE, gaussian
//! head) follow one another.

use vaelab_vae::RunConfig;

use crate::factors::{Factor, factors, others};
use crate::lang::Lang;

/// Runs sharing everything but activation and latent dimension, laid out
/// activation × latent.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// E.g. `seed head, CE`; families with equal labels are numbered. It
    /// is also the family's anchor, the same in both editions.
    pub label: String,
    /// The label as the Japanese edition writes it: `seed ヘッド、CE`.
    pub label_ja: String,
    /// Activation of each table row.
    pub rows: Vec<String>,
    /// Latent dimension of each table column.
    pub columns: Vec<usize>,
    /// `cells[row][column]`: the run's index, if the suite has one there.
    /// A second run in an occupied cell starts a new family.
    pub cells: Vec<Vec<Option<usize>>>,
}

impl Family {
    /// The family's label in `lang` (the anchor is always [`Family::label`]).
    pub fn label_in(&self, lang: Lang) -> &str {
        lang.pick(&self.label, &self.label_ja)
    }
}

/// The families of `configs`, in order of first appearance.
pub fn families(configs: &[&RunConfig]) -> Vec<Family> {
    let extra: Vec<Factor> = factors(configs)
        .into_iter()
        .filter(|f| !f.is_study())
        .collect();
    let mut keys: Vec<Vec<(String, String)>> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (index, config) in configs.iter().enumerate() {
        let key = others(config, &Factor::activation())
            .into_iter()
            .filter(|(k, _)| k != "latent")
            .collect::<Vec<_>>();
        // A run whose cell is taken (same model twice, e.g. two seeds) opens
        // another family rather than hiding the first.
        let taken = |m: &Vec<usize>| {
            m.iter().any(|&i| {
                configs[i].activation == config.activation && configs[i].latent == config.latent
            })
        };
        match (0..keys.len()).find(|&f| keys[f] == key && !taken(&members[f])) {
            Some(f) => members[f].push(index),
            None => {
                keys.push(key);
                members.push(vec![index]);
            }
        }
    }
    let mut out: Vec<Family> = members
        .iter()
        .map(|indices| family(configs, indices, &extra))
        .collect();
    for i in 0..out.len() {
        let same: Vec<usize> = (0..out.len())
            .filter(|&j| out[j].label == out[i].label)
            .collect();
        if same.len() > 1 && same[0] == i {
            for (n, &j) in same.iter().enumerate() {
                out[j].label = format!("{} (#{})", out[j].label, n + 1);
                out[j].label_ja = format!("{}（#{}）", out[j].label_ja, n + 1);
            }
        }
    }
    out
}

fn family(configs: &[&RunConfig], indices: &[usize], extra: &[Factor]) -> Family {
    let mut rows: Vec<String> = Vec::new();
    let mut columns: Vec<usize> = Vec::new();
    for &i in indices {
        let act = configs[i].activation.to_string();
        if !rows.contains(&act) {
            rows.push(act);
        }
        if !columns.contains(&configs[i].latent) {
            columns.push(configs[i].latent);
        }
    }
    columns.sort_unstable();
    let mut cells = vec![vec![None; columns.len()]; rows.len()];
    for &i in indices {
        let act = configs[i].activation.to_string();
        let r = rows.iter().position(|a| *a == act);
        let c = columns.iter().position(|&d| d == configs[i].latent);
        if let (Some(r), Some(c)) = (r, c) {
            cells[r][c] = Some(i);
        }
    }
    let first = configs[indices[0]];
    let mut label = format!("{} head, {}", first.head, first.objective);
    let mut label_ja = format!("{} ヘッド、{}", first.head, first.objective);
    // Settings outside the study that the suite varies tell families apart,
    // named as panel titles name them ("lr = 0.01", "20 000 iterations").
    for factor in extra {
        label.push_str(&format!(", {}", factor.brief_in(first, Lang::En)));
        label_ja.push_str(&format!("、{}", factor.brief_in(first, Lang::Ja)));
    }
    Family {
        label,
        label_ja,
        rows,
        columns,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::tests::study;

    #[test]
    fn families_lay_out_activation_by_latent() {
        let runs = study();
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let fams = families(&refs);
        let labels: Vec<&str> = fams.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["seed head, CE", "seed head, SSE", "gaussian head, CE"]
        );
        assert_eq!(fams[2].label_in(Lang::Ja), "gaussian ヘッド、CE");
        assert_eq!(fams[2].label_in(Lang::En), "gaussian head, CE");
        assert_eq!(fams[1].rows, vec!["sigmoid", "relu"]);
        assert_eq!(fams[1].columns, vec![2, 20]);
        assert_eq!(
            fams[1].cells,
            vec![vec![Some(4), Some(5)], vec![Some(6), Some(7)]]
        );
    }

    #[test]
    fn a_repeated_model_opens_a_numbered_family() {
        let mut runs = study()[..2].to_vec();
        let mut twin = runs[0].clone();
        twin.name = "twin".into();
        runs.push(twin);
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let fams = families(&refs);
        assert_eq!(fams.len(), 2);
        assert_eq!(fams[0].label, "seed head, CE (#1)");
        assert_eq!(fams[0].label_in(Lang::Ja), "seed ヘッド、CE（#1）");
        assert_eq!(fams[1].cells, vec![vec![Some(2)]]);
    }

    #[test]
    fn settings_outside_the_study_label_families_briefly() {
        let base = study()[0].clone();
        let mut long = base.clone();
        long.name = "long".into();
        long.iterations = 20_000;
        long.kl_warmup = 1000;
        let runs = [base, long];
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let fams = families(&refs);
        assert_eq!(
            fams[1].label,
            "seed head, CE, 20 000 iterations, KL warm-up 1000"
        );
        assert_eq!(
            fams[0].label_in(Lang::Ja),
            "seed ヘッド、CE、反復 2000 回、KL ウォームアップなし"
        );
    }
}
