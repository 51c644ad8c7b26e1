//! Tabulates a report's `summary.json` per configuration: in how many seeds
//! the latent space is not collapsed, and the test CE beside the mean-image
//! baseline's. The table of docs/sigmoid-collapse.md is made with it.
//!
//! ```text
//! cargo run -p vaelab-vae --example collapse_table -- REPORT/summary.json
//! ```
//!
//! Runs are grouped by configuration: a run named `<name>-seed-<seed>` (or
//! `<name>` with `config.seed`) belongs to `<name>`. Failed runs are counted
//! apart. Prints a Markdown table to standard output.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::PathBuf;

use serde_json::Value;

/// One seed's outcome.
struct Seed {
    state: String,
    active: u64,
    train_ce: f64,
    test_ce: f64,
    baseline_train_ce: f64,
    baseline_ce: f64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: collapse_table REPORT/summary.json")?
        .into();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let summary: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let runs = summary["runs"]
        .as_array()
        .ok_or_else(|| format!("{}: no `runs` list", path.display()))?;

    // Configurations in order of first appearance, with their seeds.
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, (Vec<Seed>, usize)> = BTreeMap::new();
    for run in runs {
        let name = run["name"].as_str().unwrap_or("?");
        let seed = run["config"]["seed"].as_u64().unwrap_or(0);
        let config = name
            .strip_suffix(&format!("-seed-{seed}"))
            .unwrap_or(name)
            .to_string();
        if !groups.contains_key(&config) {
            order.push(config.clone());
        }
        let entry = groups.entry(config).or_default();
        let m = &run["metrics"];
        match (
            m["latent_activity"]["state"].as_str(),
            m["train"]["ce"].as_f64(),
            m["test"]["ce"].as_f64(),
            m["mean_image"]["train"]["ce"].as_f64(),
            m["mean_image"]["test"]["ce"].as_f64(),
        ) {
            (
                Some(state),
                Some(train_ce),
                Some(test_ce),
                Some(baseline_train_ce),
                Some(baseline_ce),
            ) => entry.0.push(Seed {
                state: state.to_string(),
                active: m["latent_activity"]["active"].as_u64().unwrap_or(0),
                train_ce,
                test_ce,
                baseline_train_ce,
                baseline_ce,
            }),
            _ => entry.1 += 1,
        }
    }

    println!(
        "| configuration | not collapsed | active dims per seed | train CE, mean (min–max) | \
         test CE, mean (min–max) | test CE − mean image, mean (min–max) | failed |"
    );
    println!("|---|---|---|---|---|---|---|");
    for config in &order {
        let (seeds, failed) = &groups[config];
        let n = seeds.len();
        if n == 0 {
            println!("| {config} | – | – | – | – | – | {failed} |");
            continue;
        }
        let escaped = seeds.iter().filter(|s| s.state != "collapsed").count();
        let active: Vec<String> = seeds.iter().map(|s| s.active.to_string()).collect();
        let train = spread(seeds.iter().map(|s| s.train_ce));
        let test = spread(seeds.iter().map(|s| s.test_ce));
        // Against each run's own baseline: negative is better than the mean image.
        let gap = spread(seeds.iter().map(|s| s.test_ce - s.baseline_ce));
        println!(
            "| {config} | {escaped}/{n} | {} | {train} | {test} | {gap} | {failed} |",
            active.join(", "),
        );
    }
    if let Some(s) = groups.values().flat_map(|g| g.0.first()).next() {
        println!(
            "\nThe mean-image baseline: train CE {:.1}, test CE {:.1} (the same images in every run).",
            s.baseline_train_ce, s.baseline_ce
        );
    }
    Ok(())
}

/// `mean (min–max)` of the values, one decimal.
fn spread(values: impl Iterator<Item = f64>) -> String {
    let v: Vec<f64> = values.collect();
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{mean:.1} ({min:.1}–{max:.1})")
}
