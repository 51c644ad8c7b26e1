//! What a suite keeps of its finished runs until the report is written.
//!
//! A report draws the per-run figures (reconstructions, latent grid,
//! interpolations, the explorer's codes) of one run per configuration only:
//! its first successful seed. The other seeds contribute numbers — metrics,
//! learning curves, the latent scatter's points — but their images were
//! most of a many-seed study's memory (about 1 MB a run, the latent grid
//! alone 0.7 MB), held for every run until the report was done.
//!
//! [`FigureRuns`] says which runs form a configuration; `Retention`
//! collects the results of runs finishing in any order and drops the figure
//! material of every successful run as soon as an earlier seed of its
//! configuration is known to have succeeded. The runs that keep it are
//! therefore exactly the first successful seed of each configuration,
//! whatever the order the runs finished in.

use std::sync::Mutex;

use crate::error::Result;
use crate::suite::RunOutcome;

impl RunOutcome {
    /// Drops the images and codes that only this run's own figures draw:
    /// the reconstructions, the decoded latent grid, the interpolations and
    /// the classification set's μ. Every number stays (metrics, history),
    /// and so do the small parts that comparisons across seeds read: the
    /// scatter's points and labels and the pixel histograms.
    pub fn drop_figure_material(&mut self) {
        let a = &mut self.analysis;
        let r = &mut a.reconstructions;
        for images in [
            &mut r.train_inputs,
            &mut r.train_outputs,
            &mut r.test_inputs,
            &mut r.test_outputs,
        ] {
            *images = Vec::new();
        }
        a.grid.images = Vec::new();
        a.interpolations = Vec::new();
        a.classify_mu = Vec::new();
    }

    /// Whether the figure material is still here (see
    /// [`RunOutcome::drop_figure_material`]).
    pub fn has_figure_material(&self) -> bool {
        let a = &self.analysis;
        !(a.grid.images.is_empty() && a.reconstructions.test_inputs.is_empty())
    }
}

/// The runs of a suite grouped into configurations (run indices, seeds in
/// order): the first successful run of each group keeps its figure
/// material, the others drop it when they finish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureRuns {
    /// `None`: every run keeps its figure material.
    groups: Option<Vec<Vec<usize>>>,
}

impl FigureRuns {
    /// Every run keeps its figure material (a caller that draws every run).
    pub fn all() -> Self {
        FigureRuns { groups: None }
    }

    /// One group of run indices per configuration, each in seed order; a
    /// run in no group keeps its figure material.
    pub fn first_of_each(groups: Vec<Vec<usize>>) -> Self {
        FigureRuns {
            groups: Some(groups),
        }
    }
}

/// What can give up its figure material: a [`RunOutcome`] (and, in the
/// tests, a stand-in that records the call).
pub(crate) trait FigureMaterial {
    /// Drops it.
    fn drop_figure_material(&mut self);
}

impl FigureMaterial for RunOutcome {
    fn drop_figure_material(&mut self) {
        RunOutcome::drop_figure_material(self);
    }
}

/// One run's slot: not finished yet, or its result.
#[derive(Debug)]
enum Slot<T> {
    Running,
    Done(Result<T>),
}

/// The results of `n` runs, gathered as they finish (from any thread), with
/// figure material dropped as [`FigureRuns`] says.
#[derive(Debug)]
pub(crate) struct Retention<'a, T = RunOutcome> {
    keep: &'a FigureRuns,
    slots: Mutex<Vec<Slot<T>>>,
}

impl<'a, T: FigureMaterial> Retention<'a, T> {
    /// Room for `n` runs.
    pub(crate) fn new(n: usize, keep: &'a FigureRuns) -> Self {
        Retention {
            keep,
            slots: Mutex::new((0..n).map(|_| Slot::Running).collect()),
        }
    }

    /// Records the result of run `index` and drops what its configuration
    /// no longer needs.
    pub(crate) fn finish(&self, index: usize, result: Result<T>) {
        // A panic elsewhere while the lock was held leaves the slots as
        // they were; carry on with them.
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(slot) = slots.get_mut(index) {
            *slot = Slot::Done(result);
        }
        let Some(groups) = &self.keep.groups else {
            return;
        };
        let Some(group) = groups.iter().find(|g| g.contains(&index)) else {
            return;
        };
        // The representative is the first run not known to have failed;
        // until it has finished, later seeds keep their material.
        let Some(&first) = group
            .iter()
            .find(|&&i| !matches!(slots.get(i), Some(Slot::Done(Err(_)))))
        else {
            return;
        };
        if !matches!(slots.get(first), Some(Slot::Done(Ok(_)))) {
            return;
        }
        for &i in group.iter().filter(|&&i| i != first) {
            if let Some(Slot::Done(Ok(outcome))) = slots.get_mut(i) {
                outcome.drop_figure_material();
            }
        }
    }

    /// The results in run order. A run that never reported (which the
    /// callers rule out) would be a bug; it is reported as a failed run.
    pub(crate) fn into_results(self) -> Vec<Result<T>> {
        self.slots
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .map(|slot| match slot {
                Slot::Done(result) => result,
                Slot::Running => Err(crate::error::VaeError::Suite {
                    path: "suite".into(),
                    message: "a run never reported its result (a bug in the runner)".into(),
                }),
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::error::VaeError;

    /// A run's result that records whether its material was dropped.
    #[derive(Debug, PartialEq)]
    struct Fake {
        dropped: bool,
    }

    impl FigureMaterial for Fake {
        fn drop_figure_material(&mut self) {
            self.dropped = true;
        }
    }

    fn failed() -> Result<Fake> {
        Err(VaeError::Suite {
            path: "t".into(),
            message: "diverged".into(),
        })
    }

    /// Finishes runs in `order` (`true`: succeeded) and returns which kept
    /// their material (`Some(true)`), dropped it (`Some(false)`) or failed.
    fn kept(keep: &FigureRuns, n: usize, order: &[(usize, bool)]) -> Vec<Option<bool>> {
        let retention = Retention::new(n, keep);
        for &(i, ok) in order {
            let result = if ok {
                Ok(Fake { dropped: false })
            } else {
                failed()
            };
            retention.finish(i, result);
        }
        retention
            .into_results()
            .into_iter()
            .map(|r| r.ok().map(|f| !f.dropped))
            .collect()
    }

    #[test]
    fn the_first_successful_seed_keeps_its_material_in_any_order() {
        let keep = FigureRuns::first_of_each(vec![vec![0, 1, 2], vec![3, 4]]);
        let all_ok = [
            Some(true),
            Some(false),
            Some(false),
            Some(true),
            Some(false),
        ];
        for order in [
            [0, 1, 2, 3, 4],
            [4, 3, 2, 1, 0],
            [2, 4, 0, 3, 1],
            [1, 2, 4, 0, 3],
        ] {
            let runs: Vec<(usize, bool)> = order.iter().map(|&i| (i, true)).collect();
            assert_eq!(kept(&keep, 5, &runs), all_ok, "order {order:?}");
        }
    }

    #[test]
    fn when_the_first_seed_fails_the_next_successful_one_keeps_it() {
        let keep = FigureRuns::first_of_each(vec![vec![0, 1, 2]]);
        // Seed 2 finishes first and must wait for 0 and 1.
        let got = kept(&keep, 3, &[(2, true), (1, true), (0, false)]);
        assert_eq!(got, vec![None, Some(true), Some(false)]);
        let got = kept(&keep, 3, &[(0, false), (1, false), (2, true)]);
        assert_eq!(got, vec![None, None, Some(true)]);
    }

    #[test]
    fn without_groups_every_run_keeps_its_material() {
        let got = kept(&FigureRuns::all(), 3, &[(2, true), (0, true), (1, true)]);
        assert_eq!(got, vec![Some(true); 3]);
        // A run in no group keeps it too.
        let keep = FigureRuns::first_of_each(vec![vec![0, 1]]);
        let got = kept(&keep, 3, &[(0, true), (1, true), (2, true)]);
        assert_eq!(got, vec![Some(true), Some(false), Some(true)]);
    }

    #[test]
    fn a_run_that_never_reported_is_an_error() {
        let keep = FigureRuns::all();
        let retention: Retention<'_, Fake> = Retention::new(2, &keep);
        retention.finish(0, Ok(Fake { dropped: false }));
        let results = retention.into_results();
        assert!(results[0].is_ok());
        let error = results[1].as_ref().map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("never reported"), "{error}");
    }
}
