//! Runs grouped by configuration: the run's settings without its seed.
//!
//! A suite that runs every configuration over several seeds hands the report
//! one run per (configuration, seed), named `{name}-seed-{seed}`. The report
//! groups them back: one [`Configuration`] per distinct set of settings
//! (everything but `name` and `seed`), named by the suite's configuration.
//! Its first seed is the *representative*: the per-run figures are drawn for
//! it alone, while every seed contributes metrics and learning curves.
//! [`Aggregate`] summarises a configuration's seeds, column by column of
//! [`crate::columns`], with [`Spread`] (mean, sd, min, max, n).

use serde::Serialize;
use vaelab_metrics::Spread;
use vaelab_vae::RunConfig;

use crate::columns::COLUMNS;
use crate::facts::RunFacts;
use crate::lang::Lang;

/// One configuration and its runs, one per seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Configuration {
    /// The configuration's name (the run's name without `-seed-N`).
    pub name: String,
    /// Indices of its runs in the suite, in seed order of the suite.
    pub runs: Vec<usize>,
    /// The seed of each run, in the same order.
    pub seeds: Vec<u64>,
}

impl Configuration {
    /// The representative run (the first seed), whose figures are drawn.
    pub fn representative(&self) -> usize {
        self.runs[0]
    }
}

/// A configuration's identity: its name and its settings but the seed.
type Key = (String, Vec<(String, String)>);

/// The settings that make a configuration: all but `name` and `seed`.
fn key(config: &RunConfig) -> Vec<(String, String)> {
    crate::factors::settings(config)
        .into_iter()
        .filter(|(k, _)| k != "name" && k != "seed")
        .collect()
}

/// Groups runs by configuration. `names[i]` is the configuration name of run
/// `i` (see [`configuration_names`]); runs with the same name and the same
/// settings but for the seed form one configuration, in order of first
/// appearance.
pub fn group(configs: &[&RunConfig], names: &[String]) -> Vec<Configuration> {
    let mut keyed: Vec<(Key, Configuration)> = Vec::new();
    for (index, (config, name)) in configs.iter().zip(names).enumerate() {
        let k = (name.clone(), key(config));
        match keyed.iter_mut().find(|(seen, _)| *seen == k) {
            Some((_, c)) => {
                c.runs.push(index);
                c.seeds.push(config.seed);
            }
            None => keyed.push((
                k,
                Configuration {
                    name: name.clone(),
                    runs: vec![index],
                    seeds: vec![config.seed],
                },
            )),
        }
    }
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// The configuration name of each run: the suite configuration whose label
/// for the run's seed is the run's name (`relu-z2-ce-seed-3` →
/// `relu-z2-ce`); a run the suite does not know keeps its own name.
pub fn configuration_names(suite: &vaelab_vae::Suite, runs: &[&RunConfig]) -> Vec<String> {
    runs.iter()
        .map(|run| {
            suite
                .configurations
                .iter()
                .find(|c| c.seeds.contains(&run.seed) && c.label(run.seed) == run.name)
                .map_or_else(|| run.name.clone(), |c| c.config.name.clone())
        })
        .collect()
}

/// One metric column over a configuration's seeds.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnSpread {
    /// The column's key (as in `data/metrics.csv`).
    pub key: &'static str,
    /// Mean, sd, min, max and n over the seeds where the metric exists
    /// (a collapsed run has no kNN accuracy); `None` when it exists in none.
    pub spread: Option<Spread>,
}

/// A configuration's results over its seeds.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    /// The configuration's name.
    pub name: String,
    /// Its seeds (successful runs only).
    pub seeds: Vec<u64>,
    /// Its runs' names (successful runs only), in the order of `seeds`.
    pub runs: Vec<String>,
    /// Runs of it that failed.
    pub failed: usize,
    /// Successful runs (the `n` of "collapsed in k of n").
    pub n: usize,
    /// Runs whose posterior collapsed (the `k`).
    pub collapsed: usize,
    /// The latent dimension d.
    pub dims: usize,
    /// Every metric column, in the order of [`COLUMNS`].
    pub metrics: Vec<ColumnSpread>,
}

impl Aggregate {
    /// The spread of column `key`, if the metric exists in some seed.
    pub fn get(&self, key: &str) -> Option<Spread> {
        self.metrics
            .iter()
            .find(|c| c.key == key)
            .and_then(|c| c.spread)
    }
}

/// The aggregate of configuration `c`; `facts[i]` holds run `i`'s facts
/// (`None` for a failed run).
pub fn aggregate(c: &Configuration, facts: &[Option<RunFacts>]) -> Aggregate {
    let ok: Vec<&RunFacts> = c.runs.iter().filter_map(|&i| facts[i].as_ref()).collect();
    let metrics = COLUMNS
        .iter()
        .map(|col| {
            let values: Vec<f64> = ok
                .iter()
                .map(|f| (col.value)(f))
                .filter(|v| v.is_finite())
                .collect();
            ColumnSpread {
                key: col.key,
                spread: Spread::of(&values).ok(),
            }
        })
        .collect();
    Aggregate {
        name: c.name.clone(),
        seeds: ok.iter().map(|f| f.config.seed).collect(),
        runs: ok.iter().map(|f| f.name.clone()).collect(),
        failed: c.runs.len() - ok.len(),
        n: ok.len(),
        collapsed: ok
            .iter()
            .filter(|f| crate::discussion::collapsed(f))
            .count(),
        dims: ok.first().map_or(0, |f| f.config.latent),
        metrics,
    }
}

/// "5/5 seeds", "2/5 seeds", or "one seed" when there is only one.
pub fn of_seeds(k: usize, n: usize) -> String {
    if n == 1 {
        "one seed".to_string()
    } else {
        format!("{k}/{n} seeds")
    }
}

/// [`of_seeds`] in `lang`: "2/5 seeds" / 「5 シード中 2 シード」, "one seed" /
/// 「1 シード」.
pub fn of_seeds_in(k: usize, n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => of_seeds(k, n),
        Lang::Ja if n == 1 => "1 シード".to_string(),
        Lang::Ja => format!("{n} シード中 {k} シード"),
    }
}

#[cfg(test)]
mod tests {
    use vaelab_metrics::LatentFigure;
    use vaelab_vae::Objective;

    use super::*;
    use crate::pairs::tests::run;

    fn seeded(name: &str, config: &str, seed: u64, test_ce: f64) -> RunFacts {
        let mut f = run(name, "relu", 2, Objective::Ce);
        f.configuration = config.into();
        f.config.seed = seed;
        f.metrics.test.ce = test_ce;
        f
    }

    #[test]
    fn runs_group_by_settings_without_the_seed() {
        let runs = [
            seeded("a-seed-0", "a", 0, 1.0),
            seeded("a-seed-1", "a", 1, 1.0),
            seeded("b-seed-0", "b", 0, 1.0),
            seeded("a-seed-2", "a", 2, 1.0),
        ];
        let mut configs: Vec<RunConfig> = runs.iter().map(|r| r.config.clone()).collect();
        // b differs in a setting; a's seeds differ only in the seed.
        configs[2].beta = 2.0;
        let refs: Vec<&RunConfig> = configs.iter().collect();
        let names: Vec<String> = runs.iter().map(|r| r.configuration.clone()).collect();
        let groups = group(&refs, &names);
        assert_eq!(groups.len(), 2);
        assert_eq!(
            (groups[0].name.as_str(), &groups[0].runs, &groups[0].seeds),
            ("a", &vec![0, 1, 3], &vec![0, 1, 2])
        );
        assert_eq!(groups[0].representative(), 0);
        assert_eq!(groups[1].runs, vec![2]);
        // The same name with other settings is another configuration.
        configs[3].beta = 3.0;
        let refs: Vec<&RunConfig> = configs.iter().collect();
        assert_eq!(group(&refs, &names).len(), 3);
    }

    #[test]
    fn aggregates_match_hand_computation() {
        let mut facts: Vec<Option<RunFacts>> = vec![
            Some(seeded("a-seed-0", "a", 0, 100.0)),
            Some(seeded("a-seed-1", "a", 1, 104.0)),
            None,
            Some(seeded("a-seed-3", "a", 3, 108.0)),
        ];
        // Seed 3 collapsed: no kNN figure, counted as collapsed.
        if let Some(f) = facts[3].as_mut() {
            f.metrics.knn = LatentFigure::NoFigure("collapsed".into());
            crate::discussion::tests::collapse(f, 0.0);
        }
        if let Some(f) = facts[1].as_mut() {
            f.metrics.knn = LatentFigure::Value(0.5);
        }
        let c = Configuration {
            name: "a".into(),
            runs: vec![0, 1, 2, 3],
            seeds: vec![0, 1, 2, 3],
        };
        let a = aggregate(&c, &facts);
        assert_eq!((a.n, a.failed, a.collapsed), (3, 1, 1));
        assert_eq!(a.seeds, vec![0, 1, 3]);
        // Test CE 100, 104, 108: mean 104, sd sqrt((16 + 0 + 16) / 2) = 4.
        let ce = a.get("test_ce").unwrap();
        assert_eq!((ce.n, ce.mean, ce.min, ce.max), (3, 104.0, 100.0, 108.0));
        assert!((ce.sd.unwrap() - 4.0).abs() < 1e-12);
        // kNN exists in two seeds only: 0.7 and 0.5.
        let knn = a.get("knn").unwrap();
        assert_eq!((knn.n, knn.min, knn.max), (2, 0.5, 0.7));
        assert!((knn.mean - 0.6).abs() < 1e-12);
        assert!((knn.sd.unwrap() - 0.02f64.sqrt()).abs() < 1e-12);
        // Every column is there, in order.
        assert_eq!(a.metrics.len(), COLUMNS.len());
        assert_eq!(a.metrics[0].key, COLUMNS[0].key);
    }

    #[test]
    fn seed_counts_read_well() {
        assert_eq!(of_seeds(2, 5), "2/5 seeds");
        assert_eq!(of_seeds(1, 1), "one seed");
        assert_eq!(of_seeds_in(2, 5, Lang::Ja), "5 シード中 2 シード");
        assert_eq!(of_seeds_in(2, 5, Lang::En), "2/5 seeds");
        assert_eq!(of_seeds_in(1, 1, Lang::Ja), "1 シード");
    }
}
