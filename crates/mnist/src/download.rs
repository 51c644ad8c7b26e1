//! Fetching missing files from public mirrors (cargo feature `download`).
//!
//! Each file is streamed into a temporary file inside the cache directory,
//! read back in full (structure and checksum), and only then renamed to its
//! final name, so the cache never holds a partial or corrupt file: a failed
//! download leaves nothing behind and the next mirror is tried. The library
//! prints nothing; callers draw progress from [`Progress`] events.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::checksum::Checksums;
use crate::error::{MnistError, Result};
use crate::files::{self, StandardFile, missing_files};
use crate::source::{DatasetKind, Location, Origin};

/// Where and how to download.
#[derive(Debug, Clone)]
pub struct DownloadConfig {
    /// Base URLs tried in order; a file's URL is the base followed by its
    /// `.gz` name. Default: [`DatasetKind::mirrors`].
    pub mirrors: Vec<String>,
    /// Digests every download must match; `None` checks structure only.
    /// Default: the dataset's published table.
    pub checksums: Option<Checksums>,
    /// Longest wait for a TCP connection. Default: 15 s.
    pub connect_timeout: Duration,
    /// Longest wait for any single read from the server, so a stalled
    /// transfer fails instead of hanging. Default: 60 s.
    pub read_timeout: Duration,
    /// Honour `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`. Default: true.
    pub proxy_from_env: bool,
}

impl DownloadConfig {
    /// The defaults for a known dataset: its public mirrors and checksums.
    pub fn for_kind(kind: DatasetKind) -> Self {
        DownloadConfig {
            mirrors: kind.mirrors().iter().map(|m| m.to_string()).collect(),
            checksums: Some(Checksums::for_kind(kind)),
            connect_timeout: Duration::from_secs(15),
            read_timeout: Duration::from_secs(60),
            proxy_from_env: true,
        }
    }
}

/// What a download is doing, reported to the caller's callback.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A request to `url` got a response; `total` is its length if known.
    Started {
        /// The file's `.gz` name.
        file: &'a str,
        /// The URL being fetched.
        url: &'a str,
        /// Content length, if the server sent one.
        total: Option<u64>,
    },
    /// `done` bytes have arrived so far.
    Advanced {
        /// The file's `.gz` name.
        file: &'a str,
        /// Bytes received.
        done: u64,
    },
    /// The file was verified and moved to `path`.
    Finished {
        /// The file's `.gz` name.
        file: &'a str,
        /// Where it now is.
        path: &'a Path,
    },
    /// This mirror failed; the next one (if any) is tried.
    Failed {
        /// The file's `.gz` name.
        file: &'a str,
        /// The URL that failed.
        url: &'a str,
        /// Why.
        reason: &'a str,
    },
}

/// Makes the files of `location` available: a directory the user chose must
/// already hold them (see [`Location::check_present`]); the cache is filled
/// by downloading whatever is missing. Returns the paths downloaded.
pub fn ensure(
    location: &Location,
    config: &DownloadConfig,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Vec<PathBuf>> {
    if location.origin != Origin::Cache {
        location.check_present()?;
        return Ok(Vec::new());
    }
    fetch_missing(&location.dir, location.kind, config, progress)
}

/// Downloads every standard file that `dir` lacks, creating `dir` if needed.
/// `kind` only shapes the error message for offline users.
pub fn fetch_missing(
    dir: &Path,
    kind: DatasetKind,
    config: &DownloadConfig,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Vec<PathBuf>> {
    let missing = missing_files(dir);
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    fs::create_dir_all(dir).map_err(|e| MnistError::io(dir.display().to_string(), e))?;
    let agent = agent(config);
    missing
        .into_iter()
        .map(|file| fetch_file(&agent, dir, file, kind, config, progress))
        .collect()
}

fn agent(config: &DownloadConfig) -> ureq::Agent {
    let mut builder = ureq::Agent::config_builder()
        .timeout_connect(Some(config.connect_timeout))
        .timeout_per_read(Some(config.read_timeout));
    if !config.proxy_from_env {
        builder = builder.proxy(None);
    }
    builder.build().into()
}

/// Tries each mirror in turn for one file.
fn fetch_file(
    agent: &ureq::Agent,
    dir: &Path,
    file: StandardFile,
    kind: DatasetKind,
    config: &DownloadConfig,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<PathBuf> {
    let name = file.gz_name();
    let mut attempts = Vec::new();
    for mirror in &config.mirrors {
        let url = format!("{}/{name}", mirror.trim_end_matches('/'));
        match fetch_from(agent, &url, dir, file, config, progress) {
            Ok(path) => {
                progress(Progress::Finished {
                    file: &name,
                    path: &path,
                });
                return Ok(path);
            }
            Err(reason) => {
                progress(Progress::Failed {
                    file: &name,
                    url: &url,
                    reason: &reason,
                });
                attempts.push(format!("{url}: {reason}"));
            }
        }
    }
    if attempts.is_empty() {
        attempts.push("no mirrors configured".into());
    }
    Err(MnistError::DownloadFailed {
        file: name,
        dir: dir.into(),
        attempts: attempts.join("; "),
        hint: kind.offline_hint(),
    })
}

/// Downloads `url` into a temporary file in `dir`, verifies it and renames it
/// into place. On any failure the temporary file is deleted (when dropped).
fn fetch_from(
    agent: &ureq::Agent,
    url: &str,
    dir: &Path,
    file: StandardFile,
    config: &DownloadConfig,
    progress: &mut dyn FnMut(Progress<'_>),
) -> std::result::Result<PathBuf, String> {
    let name = file.gz_name();
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    let total = response.body().content_length();
    progress(Progress::Started {
        file: &name,
        url,
        total,
    });
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    let mut body = response.body_mut().as_reader();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut done = 0u64;
    loop {
        let n = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("transfer failed after {done} bytes: {e}")),
        };
        temp.write_all(&buffer[..n])
            .map_err(|e| format!("cannot write {}: {e}", temp.path().display()))?;
        done += n as u64;
        progress(Progress::Advanced { file: &name, done });
    }
    temp.as_file().sync_all().map_err(|e| e.to_string())?;
    let digest = config.checksums.as_ref().map(|c| c.get(file));
    files::check_file(temp.path(), url, file, digest).map_err(|e| e.to_string())?;
    // Transparent HTTP decompression could hand us plain IDX bytes; name the
    // file by what it holds so the cache never has a `.gz` that is not gzip.
    let target = if starts_with_gzip(temp.path()) {
        dir.join(&name)
    } else {
        dir.join(file.stem())
    };
    temp.persist(&target).map_err(|e| {
        format!(
            "cannot move the download to {}: {}",
            target.display(),
            e.error
        )
    })?;
    Ok(target)
}

fn starts_with_gzip(path: &Path) -> bool {
    let mut head = [0u8; 2];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == [0x1f, 0x8b]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_dataset() {
        let config = DownloadConfig::for_kind(DatasetKind::Mnist);
        assert_eq!(
            config.mirrors[0],
            "https://ossci-datasets.s3.amazonaws.com/mnist/"
        );
        assert_eq!(config.mirrors.len(), 2);
        assert_eq!(
            config.checksums,
            Some(Checksums::for_kind(DatasetKind::Mnist))
        );
    }
}
