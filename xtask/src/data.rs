//! `cargo xtask data`: find the dataset (downloading it into the cache if
//! needed), verify it, and print where it is and what it holds.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use vaelab_mnist::download::{DownloadConfig, Progress, ensure};
use vaelab_mnist::{
    Checksums, DatasetKind, Location, Mnist, NUM_CLASSES, StandardFile, load_with, locate_from_env,
};

/// Options of `cargo xtask data`.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// Directory holding the four IDX files (plain or .gz). Without it:
    /// $MNIST_DIR (or $FASHION_MNIST_DIR), else the cache data/DATASET/,
    /// downloaded into when files are missing.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Which dataset: mnist or fashion-mnist.
    #[arg(long, value_name = "NAME", default_value = "mnist")]
    pub dataset: DatasetKind,
    /// Skip the checksum check (for a custom dataset in the same format);
    /// the files' structure is still checked.
    #[arg(long)]
    pub no_verify: bool,
}

/// A dataset found (downloaded if needed) and loaded.
#[derive(Debug)]
pub struct Resolved {
    /// Where the files are and which rule chose the directory.
    pub location: Location,
    /// Files downloaded into the cache on the way (empty if none were).
    pub downloaded: Vec<PathBuf>,
    /// The loaded training and test sets.
    pub data: Mnist,
    /// Whether the files were checked against the published checksums.
    pub verified: bool,
}

/// Finds `kind`'s files the way every command does — `data_dir`, else the
/// dataset's environment variable, else the cache under `root`, downloaded
/// into when files are missing — and loads them, verified against the
/// published checksums unless `no_verify`.
pub fn resolve(
    kind: DatasetKind,
    data_dir: Option<&Path>,
    no_verify: bool,
    root: &Path,
) -> Result<Resolved> {
    let location = locate_from_env(kind, data_dir, root);
    let checksums = (!no_verify).then(|| Checksums::for_kind(kind));
    let mut config = DownloadConfig::for_kind(kind);
    config.checksums.clone_from(&checksums);
    let downloaded = download(&location, &config)
        .with_context(|| format!("cannot get the {kind} files in {}", location.dir.display()))?;
    let data = load_with(&location.dir, checksums.as_ref())
        .with_context(|| format!("cannot load {kind} from {}", location.dir.display()))?;
    Ok(Resolved {
        location,
        downloaded,
        data,
        verified: checksums.is_some(),
    })
}

/// Runs the command with the cache under `root`.
pub fn run(args: &DataArgs, root: &Path) -> Result<()> {
    let resolved = resolve(args.dataset, args.data_dir.as_deref(), args.no_verify, root)?;
    let checksums = resolved.verified.then(|| Checksums::for_kind(args.dataset));
    print_summary(
        &resolved.location,
        &resolved.downloaded,
        &resolved.data,
        checksums.as_ref(),
    );
    Ok(())
}

/// Makes sure the files are there, drawing one progress bar per download.
fn download(location: &Location, config: &DownloadConfig) -> vaelab_mnist::Result<Vec<PathBuf>> {
    let style = ProgressStyle::with_template(
        "{msg:30} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    let mut bar: Option<ProgressBar> = None;
    ensure(location, config, &mut |event| match event {
        Progress::Started { file, total, .. } => {
            let new = match total {
                Some(len) => ProgressBar::new(len).with_style(style.clone()),
                None => ProgressBar::new_spinner(),
            };
            bar = Some(new.with_message(file.to_string()));
        }
        Progress::Advanced { done, .. } => {
            if let Some(bar) = &bar {
                bar.set_position(done);
            }
        }
        Progress::Finished { file, .. } => {
            if let Some(bar) = bar.take() {
                bar.finish_with_message(format!("{file} verified"));
            }
        }
        Progress::Failed { url, reason, .. } => {
            if let Some(bar) = bar.take() {
                bar.abandon();
            }
            eprintln!("warning: {url}: {reason}");
        }
    })
}

fn print_summary(
    location: &Location,
    downloaded: &[PathBuf],
    data: &Mnist,
    checksums: Option<&Checksums>,
) {
    println!(
        "{}: {} (from {})",
        location.kind,
        location.dir.display(),
        location.origin
    );
    if !downloaded.is_empty() {
        println!(
            "downloaded {} file(s) into {}",
            downloaded.len(),
            location.dir.display()
        );
    }
    for path in &data.files {
        println!("  {}", path.display());
    }
    println!(
        "images: {} train / {} test, {}x{} pixels",
        data.train.len(),
        data.test.len(),
        data.train.rows(),
        data.train.cols()
    );
    let (train, test) = (data.train.class_counts(), data.test.class_counts());
    let heading = match location.kind {
        DatasetKind::Mnist => "digit",
        DatasetKind::FashionMnist => "class",
    };
    println!("{heading:>5} {:>7} {:>7}", "train", "test");
    for class in 0..NUM_CLASSES {
        println!("{class:>5} {:>7} {:>7}", train[class], test[class]);
    }
    match checksums {
        Some(table) => println!(
            "verified: {} of all four files matches the published {} table",
            table.get(StandardFile::TrainImages).algorithm(),
            location.kind
        ),
        None => println!("not verified against checksums (--no-verify); structure checked"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: DataArgs,
    }

    fn parse(argv: &[&str]) -> Result<DataArgs, clap::Error> {
        Wrapper::try_parse_from(std::iter::once("data").chain(argv.iter().copied())).map(|w| w.args)
    }

    #[test]
    fn defaults_are_mnist_from_the_usual_places_verified() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.dataset, DatasetKind::Mnist);
        assert!(args.data_dir.is_none() && !args.no_verify);
    }

    #[test]
    fn every_flag_is_read() {
        let args = parse(&[
            "--dataset",
            "fashion-mnist",
            "--data-dir",
            "/d",
            "--no-verify",
        ])
        .unwrap();
        assert_eq!(args.dataset, DatasetKind::FashionMnist);
        assert_eq!(args.data_dir.as_deref(), Some(Path::new("/d")));
        assert!(args.no_verify);
    }

    #[test]
    fn an_unknown_dataset_is_refused_by_name() {
        let error = parse(&["--dataset", "cifar"]).unwrap_err().to_string();
        assert!(
            error.contains("cifar") && error.contains("fashion-mnist"),
            "{error}"
        );
    }
}
