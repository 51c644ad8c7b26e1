//! Which runs are compared: the one engine that finds runs differing in
//! exactly one setting, for the comparison figures, their tables and the
//! discussion's sentences alike.
//!
//! A run's settings are the leaves of its [`RunConfig`] as serialised
//! (`beta`, `adam.lr`, `data.train`, …), so every setting a suite can vary is
//! a [`Factor`] without new code: a suite that varies only `beta` gets a
//! comparison figure, a table and a discussion topic. The study's four
//! factors (activation, latent dimension, objective, head) come first and
//! have their own names; `name` identifies a run and `seed` replicates it, so
//! neither is a factor (runs with different seeds are never paired).
//!
//! [`crate::families`] lays out the figures of every run with the same
//! settings.

use serde_json::Value;
use vaelab_vae::RunConfig;

use crate::lang::Lang;

mod titles;
pub use titles::shared;

/// The study's factors, in the report's order.
pub const STUDY: [&str; 4] = ["activation", "latent", "objective", "head"];

/// Settings that are never compared: the run's identity and its replicate.
const NOT_FACTORS: [&str; 2] = ["name", "seed"];

/// A setting along which runs are compared: a leaf of the serialised
/// [`RunConfig`], nested tables joined with `.` (e.g. `adam.lr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Factor {
    key: String,
}

impl Factor {
    /// The factor of the setting `key` (as in the suite file, e.g. `beta`).
    pub fn new(key: impl Into<String>) -> Self {
        Factor { key: key.into() }
    }

    /// The activation function.
    pub fn activation() -> Self {
        Factor::new("activation")
    }

    /// The latent dimension d.
    pub fn latent() -> Self {
        Factor::new("latent")
    }

    /// The reconstruction loss.
    pub fn objective() -> Self {
        Factor::new("objective")
    }

    /// The μ/σ head.
    pub fn head() -> Self {
        Factor::new("head")
    }

    /// Whether this is one of the study's four factors.
    pub fn is_study(&self) -> bool {
        STUDY.contains(&self.key.as_str())
    }

    /// The setting's key, for files and anchors.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// What the factor is, for headings (a setting outside the study goes
    /// by its key in both languages).
    pub fn title(&self, lang: Lang) -> &str {
        match self.key.as_str() {
            "activation" => lang.pick("Activation function", "活性化関数"),
            "latent" => lang.pick("Latent dimension", "潜在変数の次元"),
            "objective" => lang.pick("Reconstruction loss", "再構成誤差"),
            "head" => lang.pick("μ/σ head", "μ/σ ヘッド"),
            other => other,
        }
    }

    /// The factor's value in a run, as shown in legends and tables.
    pub fn value(&self, config: &RunConfig) -> String {
        match self.key.as_str() {
            "activation" => config.activation.to_string(),
            "latent" => format!("d = {}", config.latent),
            "objective" => config.objective.to_string(),
            "head" => format!("{} head", config.head),
            // Settings whose serialised form is not what a reader would
            // write: the initialiser as in a suite file (`gaussian:0.1`, not
            // JSON), and the warm-up, which is left out of the file when off.
            "init" => format!("init = {}", config.init),
            "kl_warmup" => format!("kl_warmup = {}", config.kl_warmup),
            key => format!(
                "{key} = {}",
                setting(config, key).unwrap_or_else(|| "default".into())
            ),
        }
    }

    /// The factor's value in a run as the text of `lang` shows it: the
    /// value of [`Factor::value`] (which also identifies the value, and so
    /// stays English), with the head named in Japanese ("seed ヘッド").
    pub fn value_in(&self, config: &RunConfig, lang: Lang) -> String {
        match (self.key.as_str(), lang) {
            ("head", Lang::Ja) => format!("{} ヘッド", config.head),
            _ => self.value(config),
        }
    }

    /// [`Factor::spoken`] in `lang`: "ReLU", "the seed head" / "seed ヘッド".
    pub fn spoken_in(&self, config: &RunConfig, lang: Lang) -> String {
        match (self.key.as_str(), lang) {
            ("head", Lang::Ja) => self.value_in(config, lang),
            _ => self.spoken(config),
        }
    }

    /// The factor's value in a run, as a sentence names it ("ReLU", "the
    /// seed head"); it also identifies the value when runs are paired.
    pub fn spoken(&self, config: &RunConfig) -> String {
        match self.key.as_str() {
            "activation" => config.activation.torch_name().to_string(),
            "head" => format!("the {} head", config.head),
            "latent" | "objective" => self.value(config),
            // As in `value`: the initialiser as in a suite file, and the
            // warm-up, which is not serialised when off.
            "init" => format!("`init` = {}", config.init),
            "kl_warmup" => format!("`kl_warmup` = {}", config.kl_warmup),
            // The setting as code, which also keeps a sentence from
            // capitalising it.
            key => format!("`{key}` = {}", setting(config, key).unwrap_or_default()),
        }
    }

    /// The value as a number, if the setting is one: values are then
    /// ordered by size rather than by appearance.
    fn number(&self, config: &RunConfig) -> Option<f64> {
        if self.key == "kl_warmup" {
            return Some(config.kl_warmup as f64);
        }
        leaf(config, &self.key).and_then(|v| v.as_f64())
    }
}

/// The factors of `configs`: the study's four, then every other setting that
/// takes at least two values, in the order the settings first appear.
///
/// A setting may be missing from some runs' settings (the KL warm-up is left
/// out when it is off), so the keys of every run are considered, and a
/// missing value differs from a present one.
pub fn factors(configs: &[&RunConfig]) -> Vec<Factor> {
    let mut out: Vec<Factor> = STUDY.iter().map(|&k| Factor::new(k)).collect();
    let all: Vec<Vec<(String, String)>> = configs.iter().map(|c| settings(c)).collect();
    let mut keys: Vec<&str> = Vec::new();
    for (key, _) in all.iter().flatten() {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    for key in keys {
        if NOT_FACTORS.contains(&key) || STUDY.contains(&key) {
            continue;
        }
        let value =
            |s: &Vec<(String, String)>| s.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let v0 = all.first().and_then(value);
        if all.iter().any(|s| value(s) != v0) {
            out.push(Factor::new(key));
        }
    }
    out
}

/// Every setting of a run as `(key, value)` leaves, nested tables flattened
/// with `.`; a table with one key (an enum with data, such as
/// `init = { gaussian = { std = 0.1 } }`) stays one value.
pub fn settings(config: &RunConfig) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(config) {
        flatten("", &value, &mut out);
    }
    out
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if map.len() > 1 || prefix.is_empty() => {
            for (key, inner) in map {
                let key = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&key, inner, out);
            }
        }
        Value::String(text) => out.push((prefix.to_string(), text.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// The setting `key` of a run as text, if it has one.
fn setting(config: &RunConfig, key: &str) -> Option<String> {
    settings(config)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// The setting `key` of a run as JSON, if it has one.
fn leaf(config: &RunConfig, key: &str) -> Option<Value> {
    let mut value = serde_json::to_value(config).ok()?;
    for part in key.split('.') {
        value = value.get(part)?.clone();
    }
    Some(value)
}

/// Every setting of a run except `factor` and the run's name: two runs
/// differ only in `factor` when these are equal.
pub fn others(config: &RunConfig, factor: &Factor) -> Vec<(String, String)> {
    settings(config)
        .into_iter()
        .filter(|(k, _)| k != "name" && *k != factor.key)
        .collect()
}

/// Runs that differ only in one factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// What tells the group apart from the others along the same factor,
    /// e.g. `sigmoid, CE, seed head` in the study or `lr = 0.01` in an
    /// ablation (the title of the group's panel in the comparison figure;
    /// see the `titles` module).
    pub label: String,
    /// The same in Japanese: `sigmoid、CE、seed ヘッド`.
    pub label_ja: String,
    /// Indices of the runs, in the order given, with their factor values.
    pub members: Vec<(usize, String)>,
}

/// All groups of `configs` that vary `factor` (at least two distinct values),
/// each labelled by the settings that tell the groups apart.
pub fn groups(configs: &[&RunConfig], factor: &Factor) -> Vec<Group> {
    let mut keyed: Vec<(Vec<(String, String)>, Group)> = Vec::new();
    for (index, config) in configs.iter().enumerate() {
        let key = others(config, factor);
        let value = factor.value(config);
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.members.push((index, value)),
            None => keyed.push((
                key,
                Group {
                    label: String::new(),
                    label_ja: String::new(),
                    members: vec![(index, value)],
                },
            )),
        }
    }
    let mut out: Vec<Group> = keyed
        .into_iter()
        .map(|(_, group)| group)
        .filter(|group| {
            let first = &group.members[0].1;
            group.members.iter().any(|(_, v)| v != first)
        })
        .collect();
    let firsts: Vec<&RunConfig> = out.iter().map(|g| configs[g.members[0].0]).collect();
    let named = titles::titled(configs, factor, &firsts);
    for (group, config) in out.iter_mut().zip(&firsts) {
        group.label = titles::title(config, &named, Lang::En);
        group.label_ja = titles::title(config, &named, Lang::Ja);
    }
    out
}

/// The values `factor` takes in `configs`, as sentences name them: by size
/// for a number (d = 2 before d = 20), else in order of appearance.
pub fn spoken_values(configs: &[&RunConfig], factor: &Factor) -> Vec<String> {
    let mut sorted: Vec<&RunConfig> = configs.to_vec();
    if configs.iter().all(|c| factor.number(c).is_some()) {
        sorted.sort_by(|a, b| {
            let n = |c: &RunConfig| factor.number(c).unwrap_or(0.0);
            n(a).total_cmp(&n(b))
        });
    }
    let mut values: Vec<String> = Vec::new();
    for c in sorted {
        let v = factor.spoken(c);
        if !values.contains(&v) {
            values.push(v);
        }
    }
    values
}

/// Runs paired along a factor: its first value against its second.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairing {
    /// The first value (see [`spoken_values`]).
    pub a: String,
    /// The second value.
    pub b: String,
    /// `(index of a run with a, index of its twin with b)`.
    pub pairs: Vec<(usize, usize)>,
}

/// Pairs of runs differing only in `factor`, its first value against its
/// second (see [`spoken_values`]). Each run with the first value is paired with the nearest
/// following run (wrapping round) that has the second and agrees on every
/// other setting.
pub fn pairs(configs: &[&RunConfig], factor: &Factor) -> Option<Pairing> {
    let values = spoken_values(configs, factor);
    let (a, b) = (values.first()?.clone(), values.get(1)?.clone());
    let n = configs.len();
    let mut found = Vec::new();
    for (i, first) in configs.iter().enumerate() {
        if factor.spoken(first) != a {
            continue;
        }
        let key = others(first, factor);
        let twin = (1..n)
            .map(|k| (i + k) % n)
            .find(|&j| factor.spoken(configs[j]) == b && others(configs[j], factor) == key);
        if let Some(j) = twin {
            found.push((i, j));
        }
    }
    (!found.is_empty()).then_some(Pairing { a, b, pairs: found })
}

#[cfg(test)]
pub(crate) mod tests {
    use vaelab_nn::Activation;
    use vaelab_vae::{Head, Objective};

    use super::*;

    pub(crate) fn config(
        name: &str,
        act: Activation,
        latent: usize,
        obj: Objective,
        head: Head,
    ) -> RunConfig {
        RunConfig {
            name: name.into(),
            activation: act,
            latent,
            objective: obj,
            head,
            ..RunConfig::default()
        }
    }

    pub(crate) fn study() -> Vec<RunConfig> {
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
            groups(&refs, &f)
                .iter()
                .map(|g| g.members.len())
                .collect::<Vec<_>>()
        };
        // Activation and latent: every (other) combination, 6 pairs each.
        assert_eq!(sizes(Factor::activation()), vec![2; 6]);
        assert_eq!(sizes(Factor::latent()), vec![2; 6]);
        // Objective and head: only the 4 models with both values.
        assert_eq!(sizes(Factor::objective()), vec![2; 4]);
        assert_eq!(sizes(Factor::head()), vec![2; 4]);
        let g = &groups(&refs, &Factor::objective())[0];
        assert_eq!(g.label, "sigmoid, d = 2, seed head");
        assert_eq!(g.label_ja, "sigmoid、d = 2、seed ヘッド");
        // The head is named in Japanese; values that are notation are not.
        let head = Factor::head();
        assert_eq!(head.value_in(&runs[0], Lang::Ja), "seed ヘッド");
        assert_eq!(head.value_in(&runs[0], Lang::En), head.value(&runs[0]));
        assert_eq!(head.spoken_in(&runs[0], Lang::Ja), "seed ヘッド");
        assert_eq!(head.spoken_in(&runs[0], Lang::En), "the seed head");
        assert_eq!(Factor::latent().value_in(&runs[1], Lang::Ja), "d = 20");
        assert_eq!(Factor::activation().spoken_in(&runs[6], Lang::Ja), "ReLU");
        assert_eq!(head.title(Lang::Ja), "μ/σ ヘッド");
        assert_eq!(Factor::new("beta").title(Lang::Ja), "beta");
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
        assert_eq!(groups(&refs, &Factor::objective()).len(), 3);
    }

    #[test]
    fn a_suite_varying_only_beta_is_compared_along_beta() {
        let base = RunConfig::default();
        let runs: Vec<RunConfig> = [1.0, 0.5, 2.0]
            .iter()
            .map(|&beta| RunConfig {
                name: format!("beta-{beta}"),
                beta,
                ..base.clone()
            })
            .collect();
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let labels: Vec<String> = crate::families::families(&refs)
            .into_iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(
            labels,
            vec![
                "seed head, CE, beta = 1.0",
                "seed head, CE, beta = 0.5",
                "seed head, CE, beta = 2.0"
            ]
        );
        let found = factors(&refs);
        let beta = Factor::new("beta");
        assert_eq!(found.last(), Some(&beta));
        assert!(!beta.is_study() && found.iter().filter(|f| !f.is_study()).count() == 1);
        // The study's factors do not vary, so they form no group.
        assert!(groups(&refs, &Factor::latent()).is_empty());
        let g = groups(&refs, &beta);
        assert_eq!(g.len(), 1);
        let values: Vec<&str> = g[0].members.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, vec!["beta = 1.0", "beta = 0.5", "beta = 2.0"]);
        // Sentences compare the smallest value with the next.
        let p = pairs(&refs, &beta).unwrap();
        assert_eq!(
            (p.a.as_str(), p.b.as_str()),
            ("`beta` = 0.5", "`beta` = 1.0")
        );
        assert_eq!(p.pairs, vec![(1, 0)]);
        // A second difference (the seed) breaks the pair.
        let mut other = runs.clone();
        other[0].seed = 9;
        let refs: Vec<&RunConfig> = other.iter().collect();
        assert!(pairs(&refs, &beta).is_none());
    }

    #[test]
    fn a_setting_left_out_when_off_is_still_a_factor() {
        // `kl_warmup = 0` is not serialised; the first run lacks the key.
        let off = RunConfig::default();
        let mut on = off.clone();
        on.name = "warm".into();
        on.kl_warmup = 1000;
        let mut larger = off.clone();
        larger.name = "wide".into();
        larger.init = "gaussian:1.0".parse().unwrap();
        let refs = vec![&off, &on, &larger];
        let found = factors(&refs);
        let warmup = Factor::new("kl_warmup");
        assert!(found.contains(&warmup), "{found:?}");
        assert!(found.contains(&Factor::new("init")), "{found:?}");
        let values: Vec<String> = groups(&refs[..2], &warmup)[0]
            .members
            .iter()
            .map(|(_, v)| v.clone())
            .collect();
        assert_eq!(values, ["kl_warmup = 0", "kl_warmup = 1000"]);
        // The initialiser reads as in a suite file, not as JSON.
        assert_eq!(Factor::new("init").value(&larger), "init = gaussian:1");
        // Sentences name both, the warm-up's 0 included.
        assert_eq!(
            spoken_values(&refs[..2], &warmup),
            ["`kl_warmup` = 0", "`kl_warmup` = 1000"]
        );
        assert_eq!(
            spoken_values(&[&off, &larger], &Factor::new("init")),
            ["`init` = gaussian:0.1", "`init` = gaussian:1"]
        );
        let p = pairs(&refs[..2], &warmup).unwrap();
        assert_eq!(p.pairs, vec![(0, 1)]);
    }

    #[test]
    fn nested_settings_are_factors_too() {
        let a = RunConfig::default();
        let mut b = a.clone();
        b.name = "fast".into();
        b.adam.lr = 0.01;
        let refs = vec![&a, &b];
        let lr = Factor::new("adam.lr");
        assert!(factors(&refs).contains(&lr));
        assert_eq!(groups(&refs, &lr)[0].members[1].1, "adam.lr = 0.01");
        // The initialiser, an enum with data, stays one setting.
        assert!(
            settings(&a)
                .iter()
                .any(|(k, v)| k == "init" && v.contains("gaussian"))
        );
    }
}
