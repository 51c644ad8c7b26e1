//! Replacing a whole report directory at once.
//!
//! The new report is written into `<target>.tmp-<pid>` beside the target.
//! Only when it is complete is the old report renamed to `<target>.old-<pid>`,
//! the new one renamed to the target, and the old one deleted. An interrupted
//! or failed run therefore leaves the previous report untouched (plus, at
//! worst, a stray `.tmp-<pid>` directory), never a half-written one.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The file whose presence marks a directory as a vaelab report that may be
/// replaced.
pub const MARKER: &str = "summary.json";

/// Checks that `target` can be replaced by a report: it is missing, an empty
/// directory, or a directory holding a previous report. Anything else is
/// refused, so that `--out` pointing at the wrong place (the workspace, a
/// home directory) cannot delete it.
pub fn check_target(target: &Path) -> Result<()> {
    name_and_parent(target)?;
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        bail!(
            "{} exists and is not a directory; choose another --out",
            target.display()
        );
    }
    let mut entries =
        fs::read_dir(target).with_context(|| format!("cannot read {}", target.display()))?;
    if entries.next().is_none() || target.join(MARKER).is_file() {
        return Ok(());
    }
    bail!(
        "refusing to replace {}: it is not empty and holds no {MARKER}, so it is not a \
         vaelab report; choose an empty or new directory with --out",
        target.display()
    )
}

/// Creates a fresh staging directory beside `target`, lets `fill` write the
/// report into it, and swaps it into place only if `fill` succeeds. On
/// failure the staging directory is removed and `target` is left as it was.
pub fn replace_dir<T>(target: &Path, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    check_target(target)?;
    let staging = sibling(target, "tmp")?;
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot clear {}", staging.display()))?;
    }
    fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
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
        return fs::rename(staging, target).with_context(|| {
            format!(
                "cannot rename {} to {}",
                staging.display(),
                target.display()
            )
        });
    }
    let old = sibling(target, "old")?;
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("cannot clear {}", old.display()))?;
    }
    fs::rename(target, &old).with_context(|| {
        format!(
            "cannot move the previous report {} aside to {}",
            target.display(),
            old.display()
        )
    })?;
    if let Err(error) = fs::rename(staging, target) {
        // Put the previous report back so that the target is never missing.
        let _ = fs::rename(&old, target);
        return Err(error).with_context(|| {
            format!(
                "cannot rename {} to {}",
                staging.display(),
                target.display()
            )
        });
    }
    fs::remove_dir_all(&old)
        .with_context(|| format!("the new report is in place but {} remains", old.display()))
}

/// `<parent>/<name>.<tag>-<pid>`.
fn sibling(target: &Path, tag: &str) -> Result<PathBuf> {
    let (name, parent) = name_and_parent(target)?;
    Ok(parent.join(format!("{name}.{tag}-{}", std::process::id())))
}

fn name_and_parent(target: &Path) -> Result<(String, PathBuf)> {
    let Some(name) = target.file_name() else {
        bail!(
            "{} does not name a directory that can be replaced (use e.g. --out reports)",
            target.display()
        );
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
            fs::write(staging.join(MARKER), "half")?;
            bail!("figure failed")
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
            assert_eq!(fs::read_to_string(target.join(MARKER))?, "old");
            fs::write(staging.join(MARKER), "new")?;
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
        replace_dir(&target, |staging| Ok(fs::write(staging.join(MARKER), "x")?)).unwrap();
        assert!(target.join(MARKER).is_file());
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
