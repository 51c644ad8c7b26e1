//! The vaelab command line, run as `cargo xtask <command>` (the alias in
//! `.cargo/config.toml` builds it in release mode). The commands live in the
//! `xtask` library; this file only parses the command line and dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{data, reproduce, sweep, workspace_root};

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
    /// Run a suite of trainings and write its report (the study, docs/study.md §7).
    Reproduce(reproduce::ReproduceArgs),
    /// Train the runs of a suite (or of one shard of it) into a run store; no report.
    Train(sweep::TrainArgs),
    /// Write a suite's report from run directories trained anywhere.
    Report(sweep::ReportArgs),
}

/// Runs the command; on failure prints the error with its chain of causes
/// (without a backtrace, even when `RUST_BACKTRACE` is set) and exits with 1.
/// `reproduce` also exits with 1, after writing the report, when a run failed.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Data(args) => data::run(&args, &workspace_root()),
        Command::Reproduce(args) => reproduce::run(&args).and_then(|done| done.into_result()),
        Command::Train(args) => {
            sweep::train(&args, &workspace_root(), |name| std::env::var(name).ok())
        }
        Command::Report(args) => {
            sweep::report(&args, &workspace_root()).and_then(|done| done.into_result())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut shown = error.to_string();
            eprintln!("error: {shown}");
            for cause in error.chain().skip(1) {
                // Many errors already end with their cause's text; saying it
                // twice only makes the message harder to read.
                let text = cause.to_string();
                if !shown.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
                shown = text;
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
