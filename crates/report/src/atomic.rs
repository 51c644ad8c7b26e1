//! Replacing a whole report directory at once.
//!
//! The new report is written into `<target>.tmp-<pid>` beside the target.
//! Only when it is complete is the old report renamed to `<target>.old-<pid>`,
//! the new one renamed to the target, and the old one deleted. An interrupted
//! or failed run therefore leaves the previous report untouched (plus, at
//! worst, a stray `.tmp-<pid>` directory), never a half-written one.
//!
//! A process killed part-way leaves its `.tmp-<pid>` (and, if it died during
//! the swap, its `.old-<pid>`) behind. [`recover`] clears those of processes
//! that no longer run, and puts the previous report back if the process died
//! in the instant between moving it aside and moving the new one in.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{IoContext, ReportError, Result};

/// The file whose presence marks a directory as a vaelab report that may be
/// replaced.
pub const MARKER: &str = "summary.json";

/// Checks that `target` can be replaced by a report: it is missing, an empty
/// directory, or a directory holding a previous report. Anything else is
/// refused, so that `--out` pointing at the wrong place (the workspace, a
/// home directory) cannot delete it.
///
/// The directory the report is built in (the target's parent, or its
/// nearest existing ancestor) must also be one this process can create
/// directories in, so that an unwritable `--out` is refused before any
/// training rather than after it.
pub fn check_target(target: &Path) -> Result<()> {
    let (name, _) = name_and_parent(target)?;
    if target.exists() {
        if !target.is_dir() {
            return Err(ReportError::Target(format!(
                "{} exists and is not a directory; choose another --out",
                target.display()
            )));
        }
        let empty = fs::read_dir(target)
            .io_context(|| format!("cannot read {}", target.display()))?
            .next()
            .is_none();
        if !(empty || target.join(MARKER).is_file()) {
            return Err(ReportError::Target(format!(
                "refusing to replace {}: it is not empty and holds no {MARKER}, so it is not a \
                 vaelab report; choose an empty or new directory with --out",
                target.display()
            )));
        }
    }
    check_writable(target, &name)
}

/// Fails unless a directory can be created beside `target`: its nearest
/// existing ancestor must be a directory, and creating (then removing) a
/// probe directory there must succeed.
fn check_writable(target: &Path, name: &str) -> Result<()> {
    let existing = target
        .ancestors()
        .skip(1)
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }
        })
        .find(|dir| dir.exists())
        .unwrap_or(Path::new("."));
    if !existing.is_dir() {
        return Err(ReportError::Target(format!(
            "{} is not a directory, so {} cannot be created in it; choose another --out",
            existing.display(),
            target.display()
        )));
    }
    // When the parent exists (the usual case) the probe has the staging
    // directory's name, so that if this process dies before removing it,
    // the next run's [`recover`] clears it.
    let probe = existing.join(format!("{name}.tmp-{}", std::process::id()));
    fs::create_dir(&probe).io_context(|| {
        format!(
            "cannot create the report {}: {} is not writable; choose another --out",
            target.display(),
            existing.display()
        )
    })?;
    // Best effort: an empty probe directory left behind harms nothing.
    let _ = fs::remove_dir(&probe);
    Ok(())
}

/// Cleans up after processes that were killed while replacing `target`.
///
/// Removes every `<target>.tmp-<pid>` and `<target>.old-<pid>` directory
/// whose process no longer runs. If `target` is missing and such an
/// `.old-<pid>` exists, the process died between moving the previous report
/// aside and moving the new one in: the previous report (the newest, if
/// several) is renamed back to `target` first. Directories of running
/// processes are left alone, so two reproductions can share a parent.
///
/// Returns one line per directory restored or removed, for the log.
pub fn recover(target: &Path) -> Result<Vec<String>> {
    let (name, parent) = name_and_parent(target)?;
    let entries = match fs::read_dir(&parent) {
        Ok(entries) => entries,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e).io_context(|| format!("cannot read {}", parent.display())),
    };
    let (mut stale_tmp, mut stale_old) = (Vec::new(), Vec::new());
    for entry in entries {
        let entry = entry.io_context(|| format!("cannot read {}", parent.display()))?;
        let file_name = entry.file_name();
        let Some((tag, pid)) = file_name.to_str().and_then(|n| leftover(n, &name)) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || is_running(pid) {
            continue;
        }
        match tag {
            "tmp" => stale_tmp.push(entry.path()),
            _ => stale_old.push(entry.path()),
        }
    }
    let mut done = Vec::new();
    if !target.exists() && fs::symlink_metadata(target).is_err() {
        // The newest moved-aside report is the one the target held last.
        stale_old.sort_by_key(|dir| fs::metadata(dir).and_then(|m| m.modified()).ok());
        if let Some(previous) = stale_old.pop() {
            fs::rename(&previous, target).io_context(|| {
                format!(
                    "cannot restore the previous report {} to {}",
                    previous.display(),
                    target.display()
                )
            })?;
            done.push(format!(
                "restored the previous report {} from {}, left by an interrupted run",
                target.display(),
                previous.display()
            ));
        }
    }
    for dir in stale_tmp.into_iter().chain(stale_old) {
        fs::remove_dir_all(&dir).io_context(|| {
            format!(
                "cannot remove {}, left by an interrupted run",
                dir.display()
            )
        })?;
        done.push(format!(
            "removed {}, left by an interrupted run",
            dir.display()
        ));
    }
    Ok(done)
}

/// `("tmp" | "old", pid)` if `file_name` is `<name>.tmp-<pid>` or
/// `<name>.old-<pid>`.
fn leftover<'a>(file_name: &'a str, name: &str) -> Option<(&'a str, u32)> {
    let rest = file_name.strip_prefix(name)?.strip_prefix('.')?;
    let (tag, pid) = rest.split_once('-')?;
    let tag = ["tmp", "old"].into_iter().find(|t| *t == tag)?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((tag, pid.parse().ok()?))
}

/// Whether process `pid` is running. This process counts as not running:
/// [`recover`] runs before it creates its own directories, so one with its
/// pid was left by an earlier process that had the same pid.
#[cfg(target_os = "linux")]
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if !Path::new("/proc/self").exists() {
        // Without /proc nothing can be told: leave every directory alone.
        return true;
    }
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses and
        // may itself hold spaces; a zombie (Z) or dead (X) process is gone.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_none_or(|state| !matches!(state, "Z" | "X")),
        Err(_) => false,
    }
}

/// Whether process `pid` is running. Without `/proc` there is no portable
/// way to tell, so every other process counts as running and its
/// directories are left alone.
#[cfg(not(target_os = "linux"))]
fn is_running(pid: u32) -> bool {
    pid != std::process::id()
}

/// Creates a fresh staging directory beside `target`, lets `fill` write the
/// report into it, and swaps it into place only if `fill` succeeds. On
/// failure the staging directory is removed and `target` is left as it was.
/// Leftovers of killed runs are cleared first ([`recover`]).
pub fn replace_dir<T>(target: &Path, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    recover(target)?;
    check_target(target)?;
    let staging = sibling(target, "tmp")?;
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .io_context(|| format!("cannot clear {}", staging.display()))?;
    }
    fs::create_dir_all(&staging).io_context(|| format!("cannot create {}", staging.display()))?;
    match fill(&staging) {
        Ok(value) => {
            swap(&staging, target)?;
            Ok(value)
        }
        Err(error) => {
            // Best effort: the error that stopped the report matters more.
            let _ = fs::remove_dir_all(&staging);
            Err(error)
        }
    }
}

/// Renames `staging` to `target`, moving a previous `target` aside first and
/// deleting it afterwards.
fn swap(staging: &Path, target: &Path) -> Result<()> {
    if !target.exists() {
        return fs::rename(staging, target).io_context(|| {
            format!(
                "cannot rename {} to {}",
                staging.display(),
                target.display()
            )
        });
    }
    let old = sibling(target, "old")?;
    if old.exists() {
        fs::remove_dir_all(&old).io_context(|| format!("cannot clear {}", old.display()))?;
    }
    fs::rename(target, &old).io_context(|| {
        format!(
            "cannot move the previous report {} aside to {}",
            target.display(),
            old.display()
        )
    })?;
    if let Err(error) = fs::rename(staging, target) {
        // Put the previous report back so that the target is never missing.
        let _ = fs::rename(&old, target);
        return Err(error).io_context(|| {
            format!(
                "cannot rename {} to {}",
                staging.display(),
                target.display()
            )
        });
    }
    fs::remove_dir_all(&old)
        .io_context(|| format!("the new report is in place but {} remains", old.display()))
}

/// `<parent>/<name>.<tag>-<pid>`.
fn sibling(target: &Path, tag: &str) -> Result<PathBuf> {
    let (name, parent) = name_and_parent(target)?;
    Ok(parent.join(format!("{name}.{tag}-{}", std::process::id())))
}

fn name_and_parent(target: &Path) -> Result<(String, PathBuf)> {
    let Some(name) = target.file_name() else {
        return Err(ReportError::Target(format!(
            "{} does not name a directory that can be replaced (use e.g. --out reports)",
            target.display()
        )));
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((name.to_string_lossy().into_owned(), parent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(dir: &Path, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(MARKER), text).unwrap();
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_previous_report_survives_a_failure_before_the_swap() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("reports");
        report(&target, "old");
        let result: Result<()> = replace_dir(&target, |staging| {
            fs::write(staging.join(MARKER), "half").unwrap();
            Err(ReportError::Target("figure failed".into()))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "old");
        assert_eq!(listing(root.path()), vec!["reports"]);
    }

    #[test]
    fn a_complete_report_replaces_the_old_one_and_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("reports");
        report(&target, "old");
        fs::write(target.join("stale.png"), "x").unwrap();
        let seen = replace_dir(&target, |staging| {
            // The target is untouched while the new report is being written.
            assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "old");
            fs::write(staging.join(MARKER), "new").unwrap();
            Ok(7)
        })
        .unwrap();
        assert_eq!(seen, 7);
        assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "new");
        assert_eq!(listing(&target), vec![MARKER]);
        assert_eq!(listing(root.path()), vec!["reports"]);
    }

    #[test]
    fn a_missing_target_is_created() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a/b");
        replace_dir(&target, |staging| {
            fs::write(staging.join(MARKER), "x").unwrap();
            Ok(())
        })
        .unwrap();
        assert!(target.join(MARKER).is_file());
    }

    /// The pid of a process that has exited and been reaped.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn leftovers_are_recognised_by_name_and_pid() {
        assert_eq!(leftover("reports.tmp-12", "reports"), Some(("tmp", 12)));
        assert_eq!(leftover("reports.old-7", "reports"), Some(("old", 7)));
        for other in [
            "reports",
            "reports.tmp-",
            "reports.tmp-12x",
            "reports.new-12",
            "reportsx.tmp-12",
            "other.tmp-12",
            ".reports.probe-12",
        ] {
            assert_eq!(leftover(other, "reports"), None, "{other}");
        }
        assert!(!is_running(std::process::id()));
        assert!(!is_running(dead_pid()));
    }

    #[test]
    fn a_kill_during_the_swap_is_undone_by_the_next_run() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("reports");
        let pid = dead_pid();
        // The killed process had moved the previous report aside and not
        // yet moved its new one in.
        report(&root.path().join(format!("reports.old-{pid}")), "previous");
        report(&root.path().join(format!("reports.tmp-{pid}")), "new");
        let done = recover(&target).unwrap();
        assert_eq!(done.len(), 2, "{done:?}");
        assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "previous");
        assert_eq!(listing(root.path()), vec!["reports"]);
        // Nothing left to do the second time.
        assert!(recover(&target).unwrap().is_empty());
    }

    #[test]
    fn stale_directories_go_and_live_ones_stay() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("reports");
        report(&target, "current");
        let dead = dead_pid();
        report(&root.path().join(format!("reports.tmp-{dead}")), "half");
        report(&root.path().join(format!("reports.old-{dead}")), "older");
        // PID 1 always runs; its directories belong to someone else.
        report(&root.path().join("reports.tmp-1"), "busy");
        fs::write(root.path().join(format!("reports.tmp-{dead}9")), "a file").unwrap();
        recover(&target).unwrap();
        assert_eq!(fs::read_to_string(target.join(MARKER)).unwrap(), "current");
        assert_eq!(
            listing(root.path()),
            vec![
                "reports".to_string(),
                "reports.tmp-1".to_string(),
                format!("reports.tmp-{dead}9"),
            ]
        );
    }

    #[test]
    fn an_out_that_cannot_be_created_is_refused_before_writing() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("plain-file");
        fs::write(&file, "x").unwrap();
        let error = check_target(&file.join("a/report"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("plain-file") && error.contains("not a directory"),
            "{error}"
        );
        check_target(&root.path().join("new/deeper/report")).unwrap();
        // The probe leaves nothing behind.
        assert_eq!(listing(root.path()), vec!["plain-file"]);
    }

    #[test]
    fn a_directory_that_is_not_a_report_is_refused() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("Cargo.toml"), "[package]").unwrap();
        let error = check_target(root.path()).unwrap_err().to_string();
        assert!(
            error.contains("refusing") && error.contains(MARKER),
            "{error}"
        );
        let file = root.path().join("Cargo.toml");
        assert!(check_target(&file).is_err());
        assert!(check_target(Path::new("/")).is_err());
        let empty = root.path().join("empty");
        fs::create_dir(&empty).unwrap();
        check_target(&empty).unwrap();
        let result = replace_dir(root.path(), |_| Ok(()));
        assert!(result.is_err());
        assert!(root.path().join("Cargo.toml").is_file());
    }
}
