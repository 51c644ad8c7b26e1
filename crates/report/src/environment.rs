//! Where and when a report was made: the machine, the commit, the clock.
//! None of this is reproducible, so it goes to `timing.json` and the
//! report's appendix, never to `summary.json`.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// The machine, the software and the start time of a reproduction.
#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    /// The version of the `xtask` crate, which is the workspace's version.
    pub vaelab_version: String,
    /// `git rev-parse HEAD` of the workspace (with `-modified` when tracked
    /// files differ from it), or `unknown`.
    pub git_commit: String,
    /// The CPU's model name from `/proc/cpuinfo`, or `unknown`.
    pub cpu: String,
    /// Logical cores available to this process.
    pub cores: usize,
    /// The host's name, or `unknown`.
    pub hostname: String,
    /// The operating system and architecture, e.g. `linux x86_64`.
    pub os: String,
    /// When the reproduction started, UTC, ISO 8601.
    pub started_at: String,
    /// Threads that ran the suite and drew the figures.
    pub jobs: usize,
}

impl Environment {
    /// Describes this machine, the git state of `root` and `started`.
    pub fn capture(root: &Path, started: SystemTime, jobs: usize) -> Self {
        Environment {
            vaelab_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: git_commit(root).unwrap_or_else(|| "unknown".into()),
            cpu: cpu_model().unwrap_or_else(|| "unknown".into()),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            hostname: hostname().unwrap_or_else(|| "unknown".into()),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            started_at: iso_utc(started),
            jobs,
        }
    }
}

/// The commit checked out in `root`, marked when tracked files were changed.
fn git_commit(root: &Path) -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let commit = String::from_utf8(output.stdout).ok()?.trim().to_string();
    let modified = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    Some(if modified {
        format!("{commit}-modified")
    } else {
        commit
    })
}

fn cpu_model() -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    cpu_model_from(&text)
}

/// The first `model name` of a `/proc/cpuinfo` text.
fn cpu_model_from(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_string())
    })
}

fn hostname() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_utc(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), so that no date crate is needed for one timestamp.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are in range by construction (1..=31 and 1..=12).
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn timestamps_by_hand() {
        assert_eq!(iso_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        // 2000-02-29 12:34:56 UTC is 951 827 696 s after the epoch.
        let leap = UNIX_EPOCH + Duration::from_secs(951_827_696);
        assert_eq!(iso_utc(leap), "2000-02-29T12:34:56Z");
        // 2024-12-31 23:59:59 UTC.
        let end = UNIX_EPOCH + Duration::from_secs(1_735_689_599);
        assert_eq!(iso_utc(end), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn cpu_model_is_read_from_cpuinfo() {
        let text = "processor\t: 0\nvendor_id\t: X\nmodel name\t: Example CPU @ 2.0GHz\n";
        assert_eq!(
            cpu_model_from(text).as_deref(),
            Some("Example CPU @ 2.0GHz")
        );
        assert_eq!(cpu_model_from("processor: 0\n"), None);
    }
}
