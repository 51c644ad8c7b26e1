//! Which dataset, and which directory its files come from.
//!
//! The directory is chosen in this order: an explicit directory (the
//! `--data-dir` flag), the dataset's environment variable (`MNIST_DIR` or
//! `FASHION_MNIST_DIR`), then the download cache `data/<dataset>/` under a
//! root the caller gives (the workspace root for the xtask). Only the cache is
//! ever downloaded into: a directory the user named is theirs to fill.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{MnistError, Result};
use crate::files::missing_files;

/// The datasets that share MNIST's file format and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DatasetKind {
    /// Handwritten digits, LeCun et al.
    #[default]
    Mnist,
    /// Zalando's clothing images, a drop-in replacement for MNIST.
    FashionMnist,
}

impl DatasetKind {
    /// The name used on the command line: `mnist` or `fashion-mnist`.
    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::Mnist => "mnist",
            DatasetKind::FashionMnist => "fashion-mnist",
        }
    }

    /// The environment variable that names a directory holding the files.
    pub fn env_var(self) -> &'static str {
        match self {
            DatasetKind::Mnist => "MNIST_DIR",
            DatasetKind::FashionMnist => "FASHION_MNIST_DIR",
        }
    }

    /// The cache directory under `root`: `root/data/<name>`.
    pub fn cache_dir(self, root: &Path) -> PathBuf {
        root.join("data").join(self.name())
    }

    /// Public mirrors, tried in order; a file's URL is the mirror followed by
    /// the file's `.gz` name.
    pub fn mirrors(self) -> &'static [&'static str] {
        match self {
            DatasetKind::Mnist => &[
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
            ],
            DatasetKind::FashionMnist => &[
                "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
            ],
        }
    }

    /// What a user without network access can do instead of downloading.
    pub fn offline_hint(self) -> String {
        format!(
            "put the four {} files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, \
             t10k-labels-idx1-ubyte, each plain or .gz) in a directory and pass --data-dir DIR or set {}=DIR",
            self.name(),
            self.env_var()
        )
    }
}

impl fmt::Display for DatasetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DatasetKind {
    type Err = MnistError;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "mnist" => Ok(DatasetKind::Mnist),
            "fashion-mnist" => Ok(DatasetKind::FashionMnist),
            _ => Err(MnistError::UnknownDataset { name: name.into() }),
        }
    }
}

/// How a data directory was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Given explicitly (`--data-dir`).
    Explicit,
    /// Named by this environment variable.
    EnvVar(&'static str),
    /// The download cache.
    Cache,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Explicit => f.write_str("--data-dir"),
            Origin::EnvVar(var) => f.write_str(var),
            Origin::Cache => f.write_str("download cache"),
        }
    }
}

/// A data directory and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The dataset it holds.
    pub kind: DatasetKind,
    /// The directory.
    pub dir: PathBuf,
    /// Which rule picked it.
    pub origin: Origin,
}

impl Location {
    /// Fails with [`MnistError::MissingFile`] for the first standard file
    /// the directory lacks. It never downloads; see `download::ensure` for
    /// the cache.
    pub fn check_present(&self) -> Result<()> {
        match missing_files(&self.dir).first() {
            None => Ok(()),
            Some(file) => Err(MnistError::MissingFile {
                dir: self.dir.clone(),
                stem: file.stem(),
                hint: self.kind.offline_hint(),
            }),
        }
    }
}

/// Picks the data directory: `explicit`, else `env_value` (the contents of
/// [`DatasetKind::env_var`], passed in so the rule is testable; empty counts
/// as unset), else the cache under `cache_root`.
pub fn locate(
    kind: DatasetKind,
    explicit: Option<&Path>,
    env_value: Option<&OsStr>,
    cache_root: &Path,
) -> Location {
    let (dir, origin) = if let Some(dir) = explicit {
        (dir.to_path_buf(), Origin::Explicit)
    } else if let Some(value) = env_value.filter(|v| !v.is_empty()) {
        (PathBuf::from(value), Origin::EnvVar(kind.env_var()))
    } else {
        (kind.cache_dir(cache_root), Origin::Cache)
    };
    Location { kind, dir, origin }
}

/// [`locate`] with the environment variable read from the process environment.
pub fn locate_from_env(kind: DatasetKind, explicit: Option<&Path>, cache_root: &Path) -> Location {
    let env_value = std::env::var_os(kind.env_var());
    locate(kind, explicit, env_value.as_deref(), cache_root)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dataset_names_parse_and_print() {
        for kind in [DatasetKind::Mnist, DatasetKind::FashionMnist] {
            assert_eq!(kind.name().parse::<DatasetKind>().unwrap(), kind);
            assert_eq!(kind.to_string(), kind.name());
        }
        let error = "emnist".parse::<DatasetKind>().unwrap_err();
        assert!(error.to_string().contains("\"emnist\""));
    }

    #[test]
    fn explicit_beats_env_beats_cache() {
        let root = Path::new("/repo");
        let env = OsStr::new("/env");
        let flag = Path::new("/flag");
        let kind = DatasetKind::Mnist;
        assert_eq!(
            locate(kind, Some(flag), Some(env), root).origin,
            Origin::Explicit
        );
        let from_env = locate(kind, None, Some(env), root);
        assert_eq!(
            (from_env.dir.as_path(), from_env.origin),
            (Path::new("/env"), Origin::EnvVar("MNIST_DIR"))
        );
        let cache = locate(kind, None, Some(OsStr::new("")), root);
        assert_eq!(
            (cache.dir.as_path(), cache.origin),
            (Path::new("/repo/data/mnist"), Origin::Cache)
        );
        let fashion = locate(DatasetKind::FashionMnist, None, None, root);
        assert_eq!(fashion.dir, Path::new("/repo/data/fashion-mnist"));
    }

    #[test]
    fn check_present_names_the_missing_file_and_the_way_out() {
        let location = locate(
            DatasetKind::Mnist,
            Some(Path::new("/nonexistent")),
            None,
            Path::new("/"),
        );
        let text = location.check_present().unwrap_err().to_string();
        assert!(text.contains("train-images-idx3-ubyte"), "{text}");
        assert!(
            text.contains("--data-dir") && text.contains("MNIST_DIR"),
            "{text}"
        );
    }
}
