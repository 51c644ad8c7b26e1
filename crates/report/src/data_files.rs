//! The numbers behind the figures, as CSV (and JSON), plus checkpoints.
//!
//! Everything here is a function of the seed and the settings only, so two
//! reproductions with the same seed on the same machine write byte-identical
//! files (times live in `timing.json`).
//!
//! The per-run CSVs print every measured number to [`DIGITS`] significant
//! digits (see [`number`]): losses are means over a few hundred images and
//! latent means are spread by their posterior, so further digits are noise,
//! and at full `f32`/`f64` precision these files were most of the report's
//! size. `data/metrics.csv` and `summary.json` keep full precision, so the
//! report's numbers can be checked against them; the run store
//! (`runs/<run>/history.csv`) does too.

use std::path::Path;

use crate::error::{IoContext, Result};
use vaelab_vae::RunOutcome;
use vaelab_vae::output::{csv_bytes, write_atomic};
use vaelab_vae::store::HISTORY_HEADER;

use super::columns;
use super::facts::RunFacts;
use super::figures::pixel_position;
use super::layout;

/// Writes `data/<run>/…` and `runs/<run>/model.safetensors` under `dir`.
pub fn write_run(dir: &Path, run: &RunOutcome, representative: bool) -> Result<()> {
    let name = &run.config.name;
    let data = dir.join(layout::run_data(name, ""));
    std::fs::create_dir_all(&data).io_context(|| format!("cannot create {}", data.display()))?;
    let path = |file: &str| dir.join(layout::run_data(name, file));
    write_history(&path("history.csv"), run)?;
    write_latent_dims(&path("latent-dims.csv"), run)?;
    // The data behind the per-run figures exist for the representative
    // seed only, as the figures do (they are most of a report's size). So
    // does `metrics.json`, the run's settings and final metrics beside its
    // figures' data: for the other seeds it would repeat their entry of
    // `summary.json` byte for byte.
    if representative {
        write_metrics(&path("metrics.json"), run)?;
        write_latents(&path("latents.csv"), run)?;
        if scatter_is_projection(run.config.latent) {
            write_scatter(&path("scatter.csv"), run)?;
        }
        write_histograms(&path("histograms.csv"), run)?;
    }
    let checkpoint = dir.join(layout::checkpoint(name));
    if let Some(parent) = checkpoint.parent() {
        std::fs::create_dir_all(parent)
            .io_context(|| format!("cannot create {}", parent.display()))?;
    }
    vaelab_vae::checkpoint::save(&checkpoint, &run.model, &run.config)?;
    Ok(())
}

/// Significant digits of every measured number in the per-run CSVs other
/// than the histories ([`SAMPLED_DIGITS`], [`KL_DIGITS`]) and latent
/// coordinates ([`LATENT_DECIMALS`]).
pub const DIGITS: usize = 5;

/// Significant digits of the sampled losses (CE, SSE, MSE) in `history.csv`.
/// Each is one evaluation with one noise draw, and a single draw moves a
/// run's CE by about 2 nats (relu-z20-gaussian's test CE: 226.4 ± 2.5 over
/// 200 draws), about 1 % of it: three digits step by a tenth to a half of
/// that spread, a fourth would be noise. The report's curves are drawn from
/// the run in memory, and the run store keeps every digit.
pub const SAMPLED_DIGITS: usize = 3;

/// Significant digits of the KL divergence in `history.csv`: it is computed
/// in closed form from μ and σ, with no noise draw, so it keeps a digit
/// more than the sampled losses.
pub const KL_DIGITS: usize = 4;

/// The file in `data/` that says what the others hold.
pub const README: &str = "data/README.md";

/// `x` rounded to [`DIGITS`] significant digits, in the shorter of plain
/// decimal (`0.089312`, `541.85`) and exponent form (`1.2346e-8`); both
/// parse as numbers in every CSV reader. Non-finite values print as `NaN`,
/// `inf` and `-inf`, and zero as `0`.
pub fn number(x: f64) -> String {
    number_to(x, DIGITS)
}

/// `x` rounded to `digits` significant digits, as [`number`] prints it.
pub fn number_to(x: f64, digits: usize) -> String {
    if !x.is_finite() || x == 0.0 {
        return x.to_string();
    }
    let exponent = format!("{:.*e}", digits.max(1) - 1, x);
    // The rounded decimal read back: Display prints it in its shortest
    // round-trip form, without the trailing zeros `{:e}` keeps.
    let rounded: f64 = exponent.parse().unwrap_or(x);
    let plain = rounded.to_string();
    let short_exponent = format!("{rounded:e}");
    if short_exponent.len() < plain.len() {
        short_exponent
    } else {
        plain
    }
}

/// Decimal places of a latent coordinate in `latents.csv` and `scatter.csv`.
pub const LATENT_DECIMALS: usize = 3;

/// A latent mean μ to [`LATENT_DECIMALS`] decimal places, trailing zeros
/// dropped (`0.089`, `-1.235`, `0`). Latent coordinates live on the
/// prior's scale (standard deviation 1), and the posterior of a working
/// dimension is spread over several hundredths of it: a fixed step of 1e-3
/// is a tenth of that or less, and one pixel of the 760-px scatter figure
/// spans about 0.01 of a typical ±3 range, so it keeps every distance a
/// figure can show. Nothing reads these files back: the scatter, grid,
/// kNN vote and explorer are computed from the run in memory at full
/// precision. A collapsed dimension's μ, which varies by less than the
/// step, prints as one value: its variation is float rounding, not a code.
pub fn latent_number(x: f64) -> String {
    if !x.is_finite() {
        return number(x);
    }
    let text = format!("{:.*}", LATENT_DECIMALS, x);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_string(),
        t => t.to_string(),
    }
}

/// The recorded losses, one row per recorded iteration (the run store's
/// columns, [`HISTORY_HEADER`]).
fn write_history(path: &Path, run: &RunOutcome) -> Result<()> {
    let rows = run.history.iter().map(history_row);
    Ok(write_atomic(
        path,
        &csv_bytes(path, &HISTORY_HEADER, rows)?,
    )?)
}

/// One row of `history.csv`: the sampled losses to [`SAMPLED_DIGITS`]
/// significant digits, KL to [`KL_DIGITS`]; empty validation cells when the
/// run has no validation split.
fn history_row(record: &vaelab_vae::train::Record) -> Vec<String> {
    let losses = |l: &vaelab_vae::Losses| {
        [
            number_to(l.ce, SAMPLED_DIGITS),
            number_to(l.sse, SAMPLED_DIGITS),
            number_to(l.mse, SAMPLED_DIGITS),
            number_to(l.kl, KL_DIGITS),
        ]
    };
    let mut row = vec![record.iteration.to_string()];
    row.extend(losses(&record.train));
    row.extend(losses(&record.test));
    match &record.validation {
        Some(v) => row.extend(losses(v)),
        None => row.extend(std::iter::repeat_n(String::new(), 4)),
    }
    row
}

/// What the files of `data/` hold, and at which precision.
fn readme() -> String {
    format!(
        "# The report's data\n\n\
         - `metrics.csv`: the final metrics of every run, at full precision (as `../summary.json`).\n\
         - `aggregates.csv`: per configuration and metric, n, mean, sd, min and max over its \
         seeds. Of its two kNN metrics, `knn` leaves collapsed seeds out (the report's kNN \
         column) and `knn_accuracy` keeps them: a collapsed run's μ keep a faint trace of the \
         digit that its decoder cannot use.\n\
         - `<run>/history.csv`: losses on the training and test sets at every recorded iteration, \
         CE, SSE and MSE to {SAMPLED_DIGITS} significant digits (each is one evaluation with one \
         noise draw, which alone moves a cross-entropy by about 2 nats, about 1 %), KL to \
         {KL_DIGITS} (computed in closed form, no draw).\n\
         - `<run>/latents.csv`: the encoder's mean μ of each classification image, with its digit, \
         to {LATENT_DECIMALS} decimal places (a step of 0.001 on the prior's scale, a tenth or less \
         of the posterior spread of any working dimension and finer than a pixel of the scatter \
         figure).\n\
         - `<run>/scatter.csv`: the plotted points of the run's scatter figure where they are a \
         projection of μ (its first two principal components), to {LATENT_DECIMALS} decimal \
         places as well. For d = 2 the scatter plots μ itself: its data are `latents.csv`.\n\
         - `<run>/histograms.csv`: the pixel histograms, one row per bin.\n\
         - `<run>/latent-dims.csv`: variance of μ and mean KL of every latent dimension.\n\
         - `<run>/metrics.json`: the run's settings and final metrics at full precision.\n\n\
         `latents.csv`, `scatter.csv`, `histograms.csv` and `metrics.json` exist for the first \
         seed of each configuration only, whose figures are drawn; every run's settings and final \
         metrics are in `../summary.json`, one run per line.\n\n\
         Other numbers in the `<run>/` CSV files are rounded to {DIGITS} significant digits (plain or \
         exponent form, e.g. `0.089312`, `541.85`, `1.2346e-8`), far finer than their uncertainty. \
         The figures and the report's numbers are computed before any rounding, and the \
         checkpoints' run store keeps the full-precision history.\n"
    )
}

/// The data files of a run with `latent` dimensions: every one of
/// [`layout::RUN_DATA_FILES`] for a configuration's representative run, else
/// those behind metrics and curves; `scatter.csv` only where the scatter
/// figure is a projection ([`scatter_is_projection`]).
pub fn run_data_files(representative: bool, latent: usize) -> Vec<&'static str> {
    layout::RUN_DATA_FILES
        .iter()
        .copied()
        .filter(|f| representative || SEED_DATA_FILES.contains(f))
        .filter(|&f| f != "scatter.csv" || scatter_is_projection(latent))
        .collect()
}

/// Whether the scatter figure of a `latent`-dimensional run plots something
/// other than μ itself. For d = 2 it plots μ, so its data are the two
/// columns of `latents.csv`, and a `scatter.csv` would repeat them under
/// other names (77 KB for the default study's six d = 2 runs).
pub fn scatter_is_projection(latent: usize) -> bool {
    latent != 2
}

/// The data files every seed's run has.
const SEED_DATA_FILES: [&str; 2] = ["history.csv", "latent-dims.csv"];

/// Where the per-configuration aggregates go.
pub const AGGREGATES_CSV: &str = "data/aggregates.csv";

/// Writes `data/aggregates.csv`: one row per configuration and metric
/// column, with n, mean, sd, min and max over the seeds where it exists
/// (empty cells where it exists in none, or sd for one seed).
pub fn write_aggregates(dir: &Path, aggregates: &[crate::configs::Aggregate]) -> Result<()> {
    let path = dir.join(AGGREGATES_CSV);
    let header = [
        "configuration",
        "runs",
        "collapsed",
        "metric",
        "n",
        "mean",
        "sd",
        "min",
        "max",
    ];
    let rows = aggregates.iter().flat_map(|a| {
        a.metrics.iter().map(move |m| {
            let mut row = vec![
                a.name.clone(),
                a.n.to_string(),
                a.collapsed.to_string(),
                m.key.to_string(),
            ];
            match m.spread {
                Some(s) => row.extend([
                    s.n.to_string(),
                    number(s.mean),
                    s.sd.map_or_else(String::new, number),
                    number(s.min),
                    number(s.max),
                ]),
                None => row.extend([
                    "0".to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]),
            }
            row
        })
    });
    Ok(write_atomic(&path, &csv_bytes(&path, &header, rows)?)?)
}

/// The classification set's μ with each image's digit.
fn write_latents(path: &Path, run: &RunOutcome) -> Result<()> {
    let d = run.config.latent;
    let mut header = vec!["label".to_string()];
    header.extend((1..=d).map(|j| format!("mu{j}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let a = &run.analysis;
    let rows = a.scatter.labels.iter().enumerate().map(|(i, label)| {
        let mut row = vec![label.to_string()];
        row.extend(
            a.classify_mu[i * d..(i + 1) * d]
                .iter()
                .map(|&v| latent_number(f64::from(v))),
        );
        row
    });
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// The settings and final numbers as JSON.
fn write_metrics(path: &Path, run: &RunOutcome) -> Result<()> {
    let value = serde_json::json!({ "config": run.config, "metrics": run.analysis.metrics });
    // Settings on one line, metrics on the next (see `json_lines`).
    crate::json_lines::write(path, &value)
}

/// The plotted 2-D points (μ itself for d = 2, its PCA projection else).
fn write_scatter(path: &Path, run: &RunOutcome) -> Result<()> {
    let s = &run.analysis.scatter;
    let header = ["label", s.axes[0].as_str(), s.axes[1].as_str()];
    let rows = s
        .points
        .iter()
        .zip(&s.labels)
        .map(|(p, l)| vec![l.to_string(), latent_number(p[0]), latent_number(p[1])]);
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// One row per bin of every pixel histogram.
fn write_histograms(path: &Path, run: &RunOutcome) -> Result<()> {
    let header = [
        "position", "row", "col", "set", "series", "bin_lo", "bin_hi", "count",
    ];
    let mut rows = Vec::new();
    for h in &run.analysis.pixel_histograms {
        let (row, col) = pixel_position(h.position, run.analysis.image_shape.1);
        for (set, pair) in [("train", &h.train), ("test", &h.test)] {
            for (series, hist) in ["input", "reconstruction"].iter().zip(pair.iter()) {
                for (i, count) in hist.counts.iter().enumerate() {
                    rows.push(vec![
                        h.position.to_string(),
                        row.to_string(),
                        col.to_string(),
                        set.to_string(),
                        (*series).to_string(),
                        number(hist.edges[i]),
                        number(hist.edges[i + 1]),
                        count.to_string(),
                    ]);
                }
            }
        }
    }
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// Variance of μ and mean KL of every latent dimension.
fn write_latent_dims(path: &Path, run: &RunOutcome) -> Result<()> {
    let m = &run.analysis.metrics;
    let rows = m
        .mu_variance
        .iter()
        .zip(&m.kl_per_dim)
        .enumerate()
        .map(|(j, (&v, &kl))| vec![(j + 1).to_string(), number(v), number(kl)]);
    let header = ["dim", "mu_variance", "kl"];
    Ok(write_atomic(path, &csv_bytes(path, &header, rows)?)?)
}

/// The final metrics of every successful run, one row each: its study
/// settings, then every [`columns::COLUMNS`] entry; and `data/README.md`.
pub fn write_metrics_table(dir: &Path, facts: &[RunFacts]) -> Result<()> {
    let path = dir.join(layout::METRICS_CSV);
    let mut header = vec!["run", "activation", "latent", "head", "objective"];
    header.extend(columns::COLUMNS.iter().map(|c| c.key));
    let rows = facts.iter().map(|f| {
        let c = &f.config;
        let mut row = vec![
            f.name.clone(),
            c.activation.to_string(),
            c.latent.to_string(),
            c.head.to_string(),
            c.objective.to_string().to_lowercase(),
        ];
        row.extend(
            columns::COLUMNS
                .iter()
                .map(|col| (col.value)(f).to_string()),
        );
        row
    });
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .io_context(|| format!("cannot create {}", parent.display()))?;
    }
    write_atomic(&path, &csv_bytes(&path, &header, rows)?)?;
    Ok(write_atomic(&dir.join(README), readme().as_bytes())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_says_which_knn_aggregate_leaves_collapsed_seeds_out() {
        let text = readme();
        // Both keys it names are columns of the aggregates; the one it
        // says leaves collapsed seeds out is the table's column.
        for key in ["knn", "knn_accuracy"] {
            assert!(
                crate::columns::COLUMNS.iter().any(|c| c.key == key),
                "{key}"
            );
        }
        let table = crate::columns::COLUMNS
            .iter()
            .find(|c| c.title == "kNN (informative)")
            .unwrap();
        assert!(
            text.contains(&format!("`{}` leaves collapsed seeds out", table.key)),
            "{text}"
        );
        assert!(text.contains("`knn_accuracy` keeps them"), "{text}");
    }

    #[test]
    fn numbers_keep_five_significant_digits_in_the_shorter_form() {
        for (x, expected) in [
            (0.089311965, "0.089312"),
            (541.8484057617187, "541.85"),
            (-0.2734821561414524, "-0.27348"),
            (0.15000000000000002, "0.15"),
            (1.0, "1"),
            (123456.7, "123460"),
            (0.000026890635, "2.6891e-5"),
            (0.0026890635, "0.0026891"),
            (6.9e-18, "6.9e-18"),
            (-1.23456789e-9, "-1.2346e-9"),
            (1.5e300, "1.5e300"),
            (0.0, "0"),
        ] {
            assert_eq!(number(x), expected, "{x}");
        }
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn latent_coordinates_keep_three_decimals() {
        for (x, expected) in [
            (0.089_311_965, "0.089"),
            (-1.234_56, "-1.235"),
            (2.0, "2"),
            (0.000_45, "0"),
            (-0.000_4, "0"),
            (0.000_6, "0.001"),
            (-3.100_02, "-3.1"),
        ] {
            assert_eq!(latent_number(x), expected, "{x}");
        }
        assert_eq!(latent_number(f64::NAN), "NaN");
    }

    #[test]
    fn history_rows_keep_three_digits_of_sampled_losses_and_four_of_kl() {
        let losses = |ce, sse, mse, kl| vaelab_vae::Losses { ce, sse, mse, kl };
        let record = vaelab_vae::train::Record {
            iteration: 10,
            train: losses(541.8484057617187, 90.3149, 0.230395, 8.808123),
            test: losses(99.996, 0.089311965, 2.34567e-7, 25.3449),
            validation: None,
        };
        let row = history_row(&record);
        assert_eq!(
            row,
            [
                "10", "542", "90.3", "0.23", "8.808", "100", "0.0893", "2.35e-7", "25.34", "", "",
                "", ""
            ]
        );
        assert_eq!(row.len(), HISTORY_HEADER.len());
    }

    #[test]
    fn rounded_numbers_parse_back_within_half_a_unit_of_the_fifth_digit() {
        let mut x = 3.0e-12_f64;
        while x < 1e12 {
            for v in [x, -x, x * 1.2345678, x * 9.99996] {
                let back: f64 = number(v).parse().unwrap_or(f64::NAN);
                let bound = 0.5e-4 * v.abs() * 1.000_001;
                assert!((back - v).abs() <= bound, "{v} printed as {}", number(v));
            }
            x *= 7.3;
        }
    }
}
