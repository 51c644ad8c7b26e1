//! The vaelab command line, run as `cargo xtask <command>` (the alias in
//! `.cargo/config.toml` builds it in release mode). Each command lives in its
//! own module; this file only parses the command line and finds the
//! workspace root, under which the download cache `data/` lives.

mod data;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tasks of the vaelab workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find (downloading if needed) and verify a dataset, then print its counts.
    Data(data::DataArgs),
}

/// Runs the command; on failure prints the error with its chain of causes
/// (without a backtrace, even when `RUST_BACKTRACE` is set) and exits with 1.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Data(args) => data::run(&args, &workspace_root()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the nearest ancestor of the current directory that has
/// both `Cargo.toml` and `xtask/Cargo.toml`, so that `cargo xtask` run anywhere
/// inside a clone uses that clone's `data/`. Falls back to the directory this
/// binary was built from.
fn workspace_root() -> PathBuf {
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
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

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
