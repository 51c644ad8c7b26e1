//! Shards: a suite's runs split into N parts, one per task of a job array
//! (Slurm's `--array`, a Kubernetes Indexed Job), so that a sweep too big
//! for one machine runs on many and is merged afterwards.
//!
//! The assignment depends only on the runs themselves, never on the order
//! they are listed in or on which machine asks: every run is given a cost
//! (updates × parameters, [`cost`]), the runs are sorted by cost, most
//! expensive first (ties broken by [`RunConfig::id`], i.e. name and seed),
//! and each in turn goes to the shard with the least cost so far (the
//! lowest-numbered one on a tie). This greedy "longest first" rule keeps
//! every shard within one run's cost of the others, and any task of the
//! array computes the same assignment on its own.

use std::fmt;
use std::str::FromStr;

use crate::config::RunConfig;
use crate::model::Vae;

/// Shard `index` (0-based) of `count`, written `I/N` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, `0..count`.
    pub index: usize,
    /// How many shards the runs are split into, at least 1.
    pub count: usize,
}

/// Why a shard could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShardError(String);

impl Shard {
    /// Shard `index` of `count`, checked.
    pub fn new(index: usize, count: usize) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError("the shard count must be at least 1".into()));
        }
        if index >= count {
            return Err(ShardError(format!(
                "shard {index} of {count}: shards are numbered 0 to {}",
                count - 1
            )));
        }
        Ok(Shard { index, count })
    }

    /// The shard a job array's task is, from its environment (`var` looks a
    /// variable up): Slurm's `SLURM_ARRAY_TASK_ID` with
    /// `SLURM_ARRAY_TASK_COUNT`, or Kubernetes' `JOB_COMPLETION_INDEX` with
    /// `VAELAB_SHARD_COUNT` (a Job does not export its completions; set it
    /// to `.spec.completions`). `None` when neither index is set. Slurm's
    /// task ids must run `0..count` (`--array=0-3`, the default of
    /// `deploy/slurm/submit.sh`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, ShardError> {
        let pairs = [
            ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"),
            ("JOB_COMPLETION_INDEX", "VAELAB_SHARD_COUNT"),
        ];
        for (index_var, count_var) in pairs {
            let Some(index) = var(index_var) else {
                continue;
            };
            let number = |name: &str, text: &str| {
                text.trim()
                    .parse::<usize>()
                    .map_err(|e| ShardError(format!("{name}={text:?}: {e}")))
            };
            let index = number(index_var, &index)?;
            let count = var(count_var).ok_or_else(|| {
                ShardError(format!(
                    "{index_var} is set but {count_var} is not: cannot tell how many shards"
                ))
            })?;
            let count = number(count_var, &count)?;
            return Shard::new(index, count)
                .map(Some)
                .map_err(|e| ShardError(format!("{index_var}/{count_var}: {e}")));
        }
        Ok(None)
    }

    /// The runs of `runs` in this shard, in their given order.
    pub fn select(&self, runs: &[RunConfig]) -> Vec<RunConfig> {
        assign(runs, self.count)
            .into_iter()
            .zip(runs)
            .filter(|(shard, _)| *shard == self.index)
            .map(|(_, run)| run.clone())
            .collect()
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    /// Reads `I/N`, e.g. `0/4` for the first of four shards.
    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(format!("{text:?}: expected I/N, e.g. 0/4 (0 ≤ I < N)"));
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index = index.trim().parse().map_err(|_| bad())?;
        let count = count.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count)
    }
}

/// A run's estimated cost: updates × parameters (the work of one update
/// grows with the parameter count, and the analysis is small beside it).
pub fn cost(run: &RunConfig) -> u128 {
    let (_, parameters) = Vae::architecture(run);
    run.iterations as u128 * parameters as u128
}

/// The shard (`0..count`) of each run of `runs`, by the rule of the
/// module's documentation. `count` 0 is treated as 1.
pub fn assign(runs: &[RunConfig], count: usize) -> Vec<usize> {
    assign_costs(
        &runs.iter().map(|r| (r.id(), cost(r))).collect::<Vec<_>>(),
        count,
    )
}

/// [`assign`] for runs given as `(id, cost)`.
fn assign_costs(runs: &[(String, u128)], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| runs[b].1.cmp(&runs[a].1).then(runs[a].0.cmp(&runs[b].0)));
    let mut load = vec![0u128; count];
    let mut shard = vec![0; runs.len()];
    for i in order {
        let lightest = (0..count).min_by_key(|&s| (load[s], s)).unwrap_or(0);
        load[lightest] += runs[i].1;
        shard[i] = lightest;
    }
    shard
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn runs(costs: &[(&str, u64, u128)]) -> Vec<(String, u128)> {
        costs
            .iter()
            .map(|(name, seed, cost)| (format!("{name}/seed-{seed}"), *cost))
            .collect()
    }

    #[test]
    fn shards_are_read_checked_and_shown() {
        assert_eq!("1/4".parse(), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(Shard::new(3, 4).unwrap().to_string(), "3/4");
        for bad in ["4/4", "1/0", "1", "a/2", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_run_is_in_exactly_one_shard_and_selection_keeps_order() {
        let suite = crate::Suite::parse(
            "name = \"s\"\n[defaults]\niterations = 7\nseeds = [0, 1, 2]\n\
             [[runs]]\nname = \"a\"\n[[runs]]\nname = \"b\"\nlatent = 5\n\
             [[runs]]\nname = \"c\"\niterations = 30\n",
            "s.toml",
        )
        .unwrap();
        for count in 1..=10 {
            let mut seen: Vec<String> = (0..count)
                .flat_map(|index| Shard { index, count }.select(&suite.runs))
                .map(|r| r.id())
                .collect();
            assert_eq!(seen.len(), suite.runs.len(), "{count} shards");
            seen.sort();
            let mut all: Vec<String> = suite.runs.iter().map(RunConfig::id).collect();
            all.sort();
            assert_eq!(seen, all, "{count} shards");
        }
        let first = Shard { index: 0, count: 2 }.select(&suite.runs);
        let positions: Vec<usize> = first
            .iter()
            .map(|r| suite.runs.iter().position(|s| s.id() == r.id()).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }

    #[test]
    fn the_assignment_does_not_depend_on_the_listing_order() {
        let list = runs(&[
            ("a", 0, 10),
            ("a", 1, 10),
            ("b", 0, 30),
            ("c", 0, 5),
            ("d", 0, 20),
        ]);
        let forward = assign_costs(&list, 3);
        let mut reversed = list.clone();
        reversed.reverse();
        let mut backward = assign_costs(&reversed, 3);
        backward.reverse();
        assert_eq!(forward, backward);
        // Each (id, cost) lands in the same shard, computed twice.
        assert_eq!(forward, assign_costs(&list, 3));
        // Longest first: b alone, d then c together, the two a's together.
        assert_eq!(forward, vec![2, 2, 0, 1, 1]);
    }

    #[test]
    fn shards_are_balanced_by_cost() {
        // One expensive run and many cheap ones: a round robin by count
        // would put the expensive one beside four cheap ones.
        let mut list = runs(&[("big", 0, 100)]);
        for seed in 0..20 {
            list.push((format!("small/seed-{seed}"), 10));
        }
        let shards = assign_costs(&list, 3);
        let mut load = [0u128; 3];
        for (shard, (_, cost)) in shards.iter().zip(&list) {
            load[*shard] += cost;
        }
        let (lo, hi) = (load.iter().min().unwrap(), load.iter().max().unwrap());
        assert!(hi - lo <= 100, "{load:?}");
        assert_eq!(load.iter().sum::<u128>(), 300);
        assert_eq!(load, [100, 100, 100]);
    }

    #[test]
    fn the_environment_of_slurm_or_kubernetes_gives_the_shard() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Shard::from_env(env(&[])), Ok(None));
        assert_eq!(
            Shard::from_env(env(&[
                ("SLURM_ARRAY_TASK_ID", "2"),
                ("SLURM_ARRAY_TASK_COUNT", "4")
            ])),
            Ok(Some(Shard { index: 2, count: 4 }))
        );
        assert_eq!(
            Shard::from_env(env(&[
                ("JOB_COMPLETION_INDEX", "0"),
                ("VAELAB_SHARD_COUNT", "3")
            ])),
            Ok(Some(Shard { index: 0, count: 3 }))
        );
        let missing = Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap_err();
        assert!(
            missing.to_string().contains("VAELAB_SHARD_COUNT"),
            "{missing}"
        );
        let out_of_range = Shard::from_env(env(&[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]))
        .unwrap_err();
        assert!(out_of_range.to_string().contains("SLURM_ARRAY_TASK_ID"));
    }
}
