//! Killing `xtask reproduce` (SIGKILL) at any moment leaves the previous
//! report exactly as it was, never a half-written one, and the next run
//! starts clean: it clears what the killed process left and, if the kill
//! fell between moving the previous report aside and moving the new one in,
//! puts the previous report back.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{
    Rng, listing, reproduce_args, run, stderr, tree_hashes, two_run_suite, write_dataset, xtask,
};

/// The line `reproduce` prints when the data is loaded and training begins.
const TRAINING: &str = "suite tiny:";
/// The line `reproduce` prints when training is over and the report begins.
const WRITING: &str = "writing the report";

struct Setup {
    work: tempfile::TempDir,
    suite: String,
    data: String,
}

impl Setup {
    fn new() -> Self {
        let work = tempfile::tempdir().unwrap();
        let data = write_dataset(&work.path().join("idx"));
        let suite = work.path().join("suite.toml");
        std::fs::write(&suite, two_run_suite(30)).unwrap();
        Setup {
            suite: suite.display().to_string(),
            data: data.display().to_string(),
            work,
        }
    }

    fn out(&self) -> PathBuf {
        self.work.path().join("report")
    }

    /// The arguments of a reproduction into `out` with `--seed seed`.
    fn args<'a>(&'a self, out: &'a str, seed: &'a str) -> Vec<&'a str> {
        let mut args = reproduce_args(&self.suite, &self.data, out);
        args.extend(["--jobs", "2", "--seed", seed]);
        args
    }

    /// Runs a reproduction to completion and checks that it succeeded.
    fn complete(&self, out: &Path, seed: &str) {
        let out = out.display().to_string();
        let output = run(&self.args(&out, seed), self.work.path());
        assert!(output.status.success(), "{}", stderr(&output));
    }

    /// What sits beside the report: the entries of the work directory that
    /// start with `report.`.
    fn leftovers(&self) -> Vec<String> {
        listing(self.work.path())
            .into_iter()
            .filter(|n| n.starts_with("report."))
            .collect()
    }
}

/// Where a killed process was when the signal arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Starting, loading or training (the report had not begun).
    Training,
    /// Writing the report.
    Report,
    /// It had already exited; nothing was killed.
    Finished,
}

/// What the delay before the kill counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// The spawn.
    Spawn,
    /// The line that says training begins.
    Training,
    /// The appearance of the staging directory the report is written into.
    Report,
}

/// Starts a reproduction, kills it `delay` after `trigger`, and says where
/// it was and what its pid was.
fn kill_after(setup: &Setup, seed: &str, trigger: Trigger, delay: Duration) -> (Phase, u32) {
    let out = setup.out().display().to_string();
    let mut child = xtask(&setup.args(&out, seed), setup.work.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let spawned = Instant::now();
    let pid = child.id();
    let staging = setup.work.path().join(format!("report.tmp-{pid}"));
    let (events, heard) = mpsc::channel();
    let reader = BufReader::new(child.stderr.take().unwrap());
    let listener = std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            for (marker, phase) in [(TRAINING, Phase::Training), (WRITING, Phase::Report)] {
                if line.contains(marker) {
                    let _ = events.send(phase);
                }
            }
        }
    });
    // Generous bounds: each phase starts within seconds in any build.
    let wait_for = |phase: Phase| loop {
        match heard.recv_timeout(Duration::from_secs(60)) {
            Ok(p) if p == phase => break,
            Ok(_) => {}
            Err(e) => panic!("{phase:?} never began: {e}"),
        }
    };
    let from = match trigger {
        Trigger::Spawn => spawned,
        Trigger::Training => {
            wait_for(Phase::Training);
            Instant::now()
        }
        Trigger::Report => {
            wait_for(Phase::Report);
            let limit = Instant::now() + Duration::from_secs(60);
            while !staging.exists() && child.try_wait().unwrap().is_none() {
                assert!(Instant::now() < limit, "no staging directory appeared");
                std::thread::sleep(Duration::from_millis(1));
            }
            Instant::now()
        }
    };
    std::thread::sleep((from + delay).saturating_duration_since(Instant::now()));
    let phase = if child.try_wait().unwrap().is_some() {
        Phase::Finished
    } else {
        child.kill().unwrap();
        let reporting = trigger == Trigger::Report || heard.try_iter().any(|p| p == Phase::Report);
        if reporting {
            Phase::Report
        } else {
            Phase::Training
        }
    };
    // Reaps the process, so that its pid no longer runs.
    child.wait().unwrap();
    listener.join().unwrap();
    (phase, pid)
}

/// Times a complete reproduction into a scratch directory: the whole of it,
/// and from its start to the start of the report.
fn timings(setup: &Setup, seed: &str) -> (Duration, Duration) {
    let out = setup.work.path().join("timed").display().to_string();
    let start = Instant::now();
    let mut child = xtask(&setup.args(&out, seed), setup.work.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut report_at = None;
    for line in BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        if line.contains(WRITING) {
            report_at = Some(start.elapsed());
        }
    }
    assert!(child.wait().unwrap().success());
    let total = start.elapsed();
    (total, report_at.unwrap())
}

/// The files that a reproduction with the same suite and seed writes
/// identically every time.
fn reproducible(hashes: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    hashes
        .iter()
        .filter(|(path, _)| {
            *path == "summary.json" || (path.starts_with("data/") && path.ends_with(".csv"))
        })
        .map(|(p, h)| (p.clone(), h.clone()))
        .collect()
}

#[test]
fn sigkill_at_any_moment_leaves_the_previous_report_or_the_complete_new_one() {
    let setup = Setup::new();
    let out = setup.out();
    // The previous report, and a reference of what a complete second run
    // (another seed, so other numbers) writes.
    setup.complete(&out, "1");
    let reference_dir = setup.work.path().join("reference");
    setup.complete(&reference_dir, "2");
    let reference = tree_hashes(&reference_dir);
    let (total, until_report) = timings(&setup, "2");
    let (total, report_time) = (
        total.as_millis() as u64,
        total.saturating_sub(until_report).as_millis() as u64,
    );

    let mut rng = Rng(0x5eed_1e55);
    let mut previous = tree_hashes(&out);
    let mut phases = Vec::new();
    let mut killed = Vec::new();
    let mut saw_staging = false;
    for attempt in 0..9 {
        // Kills from the spawn land anywhere; those from the start of
        // training land in it (it takes far longer than 40 ms); those from
        // the staging directory's appearance land in the report.
        let (trigger, lo, hi) = match attempt % 3 {
            0 => (Trigger::Spawn, 50, total),
            1 => (Trigger::Training, 0, 40),
            _ => (Trigger::Report, 0, report_time / 2),
        };
        let delay = Duration::from_millis(rng.between(lo, hi.max(lo + 1)));
        let (phase, pid) = kill_after(&setup, "2", trigger, delay);
        phases.push(phase);
        killed.push(pid);

        // The target is the previous report, byte for byte, or (if the kill
        // came after the swap) the whole new one: never something between.
        let now = tree_hashes(&out);
        let unchanged = now == previous;
        let complete_new =
            now.keys().eq(reference.keys()) && reproducible(&now) == reproducible(&reference);
        assert!(
            unchanged || complete_new,
            "attempt {attempt} ({phase:?}, {delay:?} after {trigger:?}) left a changed, \
             incomplete report"
        );
        // Beside it, at most directories of killed processes (a process
        // killed before it cleared up leaves those of the one before).
        for name in setup.leftovers() {
            let owner = name
                .strip_prefix("report.tmp-")
                .or_else(|| name.strip_prefix("report.old-"))
                .and_then(|pid| pid.parse::<u32>().ok());
            assert!(
                owner.is_some_and(|pid| killed.contains(&pid)),
                "attempt {attempt}: unexpected {name}"
            );
            saw_staging |= name == format!("report.tmp-{pid}");
        }
        previous = now;
    }
    assert!(
        phases.contains(&Phase::Training) && phases.contains(&Phase::Report),
        "the kills did not cover both training and the report: {phases:?}"
    );
    assert!(
        saw_staging,
        "no kill left a staging directory behind: {phases:?}"
    );

    // The next run finishes cleanly, clears what the killed ones left and
    // writes the complete new report.
    setup.complete(&out, "2");
    assert!(setup.leftovers().is_empty(), "{:?}", setup.leftovers());
    let last = tree_hashes(&out);
    assert!(last.keys().eq(reference.keys()));
    assert_eq!(reproducible(&last), reproducible(&reference));
}

/// The pid of a process that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_kill_between_the_two_renames_is_repaired_by_the_next_run() {
    let setup = Setup::new();
    let out = setup.out();
    setup.complete(&out, "1");
    let previous = tree_hashes(&out);

    // The state a kill leaves between "move the previous report aside" and
    // "move the new one in": no target, the previous report as .old, the
    // new one as .tmp.
    let pid = dead_pid();
    let old = setup.work.path().join(format!("report.old-{pid}"));
    let staging = setup.work.path().join(format!("report.tmp-{pid}"));
    std::fs::rename(&out, &old).unwrap();
    std::fs::create_dir_all(staging.join("figures")).unwrap();
    std::fs::write(staging.join("summary.json"), "{}").unwrap();

    // Even a command that then fails (no run matches) restores the report.
    let out_text = out.display().to_string();
    let mut args = setup.args(&out_text, "1");
    args.extend(["--runs", "no-such-run"]);
    let output = run(&args, setup.work.path());
    let err = stderr(&output);
    assert!(!output.status.success(), "{err}");
    assert!(err.contains("restored the previous report"), "{err}");
    assert_eq!(tree_hashes(&out), previous);
    assert!(setup.leftovers().is_empty(), "{:?}", setup.leftovers());

    // A kill after the swap, while the previous report was being deleted:
    // the new report is in place, a part of the old one is beside it.
    let pid = dead_pid();
    let old = setup.work.path().join(format!("report.old-{pid}"));
    std::fs::create_dir_all(old.join("data")).unwrap();
    std::fs::write(old.join("data/metrics.csv"), "half deleted").unwrap();
    setup.complete(&out, "1");
    assert!(setup.leftovers().is_empty(), "{:?}", setup.leftovers());
    assert_eq!(reproducible(&tree_hashes(&out)), reproducible(&previous));
}
