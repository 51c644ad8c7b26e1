//! The vaelab command line as a library: `cargo xtask data` and
//! `cargo xtask reproduce`, callable from tests without a subprocess.
//!
//! This is the top layer of the workspace. It finds the data
//! (`vaelab-mnist`), runs a suite of trainings (`vaelab-vae`) and has
//! `vaelab-report` write its report. The binary in `main.rs` only parses the
//! command line and calls [`data::run`] or [`reproduce::run`].
//!
//! - [`data`]: find, download and verify a dataset.
//! - [`reproduce`]: run a suite and write its report.
//! - [`sweep`]: `train` (one shard of a suite) and `report` (from run
//!   directories), for sweeps on a cluster.
//! - [`progress`]: progress bars on a terminal, plain lines otherwise.
//!
//! The report itself (figures, CSV, `summary.json`, `report.md`,
//! `index.html`) is the library crate `vaelab-report`.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod data;
pub mod progress;
pub mod reproduce;
pub mod sweep;

use std::path::{Path, PathBuf};

/// The workspace root: the nearest ancestor of the current directory that has
/// both `Cargo.toml` and `xtask/Cargo.toml`, so that `cargo xtask` run anywhere
/// inside a clone uses that clone's `data/`, suite and `reports/`. Falls back
/// to the directory this crate was built from.
pub fn workspace_root() -> PathBuf {
    let is_root =
        |dir: &Path| dir.join("Cargo.toml").is_file() && dir.join("xtask/Cargo.toml").is_file();
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            cwd.ancestors()
                .find(|dir| is_root(dir))
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_is_found_from_inside_the_clone() {
        // `cargo test` runs this in xtask/, one level below the root.
        let root = workspace_root();
        assert!(
            root.join("xtask/Cargo.toml").is_file(),
            "{}",
            root.display()
        );
        assert!(root.join("crates/mnist").is_dir(), "{}", root.display());
    }
}
