//! Which runs are shown side by side.
//!
//! Two runs are compared along a factor (activation, latent dimension,
//! objective, head) when they agree on every other setting. For the figures
//! of every run, runs form families (same head, objective and other
//! settings) laid out as a table: activation down, latent dimension across,
//! so that Sigmoid/ReLU and d = 2/20 sit next to each other as in the seed's
//! figures, and the families (CE, SSE, gaussian head) follow one another.

use vaelab_vae::{Head, Objective, RunConfig};

use super::facts::rest_of;

/// A setting along which runs are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    /// Sigmoid vs ReLU.
    Activation,
    /// d = 2 vs d = 20.
    Latent,
    /// CE vs SSE.
    Objective,
    /// Seed head vs gaussian head.
    Head,
}

impl Factor {
    /// Every factor, in the report's order.
    pub const ALL: [Factor; 4] = [
        Factor::Activation,
        Factor::Latent,
        Factor::Objective,
        Factor::Head,
    ];

    /// A short name for files and anchors.
    pub fn key(self) -> &'static str {
        match self {
            Factor::Activation => "activation",
            Factor::Latent => "latent",
            Factor::Objective => "objective",
            Factor::Head => "head",
        }
    }

    /// What the factor is, for headings.
    pub fn title(self) -> &'static str {
        match self {
            Factor::Activation => "Activation function",
            Factor::Latent => "Latent dimension",
            Factor::Objective => "Reconstruction loss",
            Factor::Head => "μ/σ head",
        }
    }

    /// The factor's value in a run, as shown in legends and tables.
    pub fn value(self, config: &RunConfig) -> String {
        match self {
            Factor::Activation => config.activation.to_string(),
            Factor::Latent => format!("d = {}", config.latent),
            Factor::Objective => objective_name(config.objective).to_string(),
            Factor::Head => format!("{} head", head_name(config.head)),
        }
    }

    /// The values of the other three factors, which a group shares.
    fn others(self, config: &RunConfig) -> Vec<String> {
        Factor::ALL
            .iter()
            .filter(|&&f| f != self)
            .map(|f| f.value(config))
            .collect()
    }
}

/// `CE` or `SSE`.
pub fn objective_name(objective: Objective) -> &'static str {
    match objective {
        Objective::Ce => "CE",
        Objective::Sse => "SSE",
    }
}

/// `seed` or `gaussian`.
pub fn head_name(head: Head) -> &'static str {
    match head {
        Head::Seed => "seed",
        Head::Gaussian => "gaussian",
    }
}

/// Runs that differ only in one factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// What the runs share, e.g. `sigmoid, CE, seed head`.
    pub label: String,
    /// Indices of the runs, in the order given, with their factor values.
    pub members: Vec<(usize, String)>,
}

/// All groups of `configs` that vary `factor` (at least two distinct values).
pub fn groups(configs: &[&RunConfig], factor: Factor) -> Vec<Group> {
    let mut keyed: Vec<((Vec<String>, String), Group)> = Vec::new();
    for (index, config) in configs.iter().enumerate() {
        let key = (factor.others(config), rest_of(config));
        let value = factor.value(config);
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.members.push((index, value)),
            None => {
                let label = key.0.join(", ");
                keyed.push((
                    key,
                    Group {
                        label,
                        members: vec![(index, value)],
                    },
                ));
            }
        }
    }
    keyed
        .into_iter()
        .map(|(_, group)| group)
        .filter(|group| {
            let first = &group.members[0].1;
            group.members.iter().any(|(_, v)| v != first)
        })
        .collect()
}

/// Runs sharing everything but activation and latent dimension, laid out
/// activation × latent.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// E.g. `seed head, CE`; families with equal labels are numbered.
    pub label: String,
    /// Activation of each table row.
    pub rows: Vec<String>,
    /// Latent dimension of each table column.
    pub columns: Vec<usize>,
    /// `cells[row][column]`: the run's index, if the suite has one there.
    /// A second run in an occupied cell starts a new family.
    pub cells: Vec<Vec<Option<usize>>>,
}

/// The families of `configs`, in order of first appearance.
pub fn families(configs: &[&RunConfig]) -> Vec<Family> {
    let mut keys: Vec<String> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (index, config) in configs.iter().enumerate() {
        let key = format!(
            "{}|{}|{}",
            head_name(config.head),
            objective_name(config.objective),
            rest_of(config)
        );
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
        .map(|indices| family(configs, indices))
        .collect();
    for i in 0..out.len() {
        let same: Vec<usize> = (0..out.len())
            .filter(|&j| out[j].label == out[i].label)
            .collect();
        if same.len() > 1 && same[0] == i {
            for (n, &j) in same.iter().enumerate() {
                out[j].label = format!("{} (#{})", out[j].label, n + 1);
            }
        }
    }
    out
}

fn family(configs: &[&RunConfig], indices: &[usize]) -> Family {
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
    let label = format!(
        "{} head, {}",
        head_name(first.head),
        objective_name(first.objective)
    );
    Family {
        label,
        rows,
        columns,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use vaelab_nn::Activation;

    use super::*;

    fn config(name: &str, act: Activation, latent: usize, obj: Objective, head: Head) -> RunConfig {
        RunConfig {
            name: name.into(),
            activation: act,
            latent,
            objective: obj,
            head,
            ..RunConfig::default()
        }
    }

    fn study() -> Vec<RunConfig> {
        let mut runs = Vec::new();
        for (obj, head) in [
            (Objective::Ce, Head::Seed),
            (Objective::Sse, Head::Seed),
            (Objective::Ce, Head::Gaussian),
        ] {
            for act in [Activation::Sigmoid, Activation::Relu] {
                for d in [2, 20] {
                    runs.push(config(
                        &format!("{act}-{d}-{obj:?}-{head:?}"),
                        act,
                        d,
                        obj,
                        head,
                    ));
                }
            }
        }
        runs
    }

    #[test]
    fn the_default_study_pairs_up_as_the_spec_compares_it() {
        let runs = study();
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let sizes = |f| {
            groups(&refs, f)
                .iter()
                .map(|g| g.members.len())
                .collect::<Vec<_>>()
        };
        // Activation and latent: every (other) combination, 6 pairs each.
        assert_eq!(sizes(Factor::Activation), vec![2; 6]);
        assert_eq!(sizes(Factor::Latent), vec![2; 6]);
        // Objective and head: only the 4 models with both values.
        assert_eq!(sizes(Factor::Objective), vec![2; 4]);
        assert_eq!(sizes(Factor::Head), vec![2; 4]);
        let g = &groups(&refs, Factor::Objective)[0];
        assert_eq!(g.label, "sigmoid, d = 2, seed head");
        assert_eq!(
            g.members,
            vec![(0, "CE".to_string()), (4, "SSE".to_string())]
        );
    }

    #[test]
    fn runs_differing_elsewhere_are_not_paired() {
        let mut runs = study();
        runs[4].beta = 0.5; // sigmoid-z2 SSE no longer pairs with its CE twin
        let refs: Vec<&RunConfig> = runs.iter().collect();
        assert_eq!(groups(&refs, Factor::Objective).len(), 3);
    }

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
        assert_eq!(fams[1].cells, vec![vec![Some(2)]]);
    }
}
