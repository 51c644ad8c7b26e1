//! Draws a line chart from a CSV file, as PNG and SVG.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release -p vaelab-plots --example csv_line -- [data.csv] [out-stem] [--log-y]
//! ```
//!
//! The CSV's first row names the columns; the first column is x and every
//! other column becomes one curve named after its header. Cells are plain
//! numbers; an empty cell leaves a gap in its curve. For example:
//!
//! ```text
//! epoch,train,test
//! 1,210.5,215.0
//! 2,160.2,
//! ```
//!
//! Without `data.csv` the example first writes a sample file (two learning
//! curves) and plots that. The chart goes to `<out-stem>.png` and
//! `<out-stem>.svg`; the default stem is `vaelab-plots-line/chart` in the
//! system's temporary directory. `--log-y` draws the y axis logarithmically.
//! A file that cannot be read or parsed is reported with its line and column,
//! and the example exits with status 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use vaelab_plots::{Format, LineChart, Series};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("usage: csv_line [data.csv] [out-stem] [--log-y]");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let log_y = args.iter().any(|a| a == "--log-y");
    let mut positional = args.iter().filter(|a| *a != "--log-y");
    let csv_path = positional.next().map(PathBuf::from);
    let stem = positional.next().map_or_else(
        || std::env::temp_dir().join("vaelab-plots-line").join("chart"),
        PathBuf::from,
    );

    let csv_path = match csv_path {
        Some(path) => path,
        None => {
            let sample = stem.with_file_name("sample.csv");
            write_sample(&sample)?;
            println!("no CSV given; wrote a sample to {}", sample.display());
            sample
        }
    };
    let text = std::fs::read_to_string(&csv_path)
        .map_err(|e| format!("cannot read {}: {e}", csv_path.display()))?;
    let (x_label, series) = parse(&text).map_err(|e| format!("{}: {e}", csv_path.display()))?;

    let title = csv_path
        .file_stem()
        .map_or_else(|| "chart".into(), |s| s.to_string_lossy().into_owned());
    let y_label = match series.as_slice() {
        [only] => only.name.clone(),
        _ => "value".to_owned(),
    };
    let mut chart = LineChart::new(title, x_label, y_label);
    chart.log_y = log_y;
    for s in &series {
        let drawn = s.points.iter().filter(|p| p.1.is_finite()).count();
        println!("series {:?}: {drawn} points", s.name);
    }
    chart.series = series;
    // `save` checks the data (at least one point per series, …) before drawing,
    // and writes each file atomically.
    let written = chart
        .save(&stem, &[Format::Png, Format::Svg])
        .map_err(|e| e.to_string())?;
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Parses the CSV text: the header's first cell is the x label, the others
/// name one series each. An empty cell becomes NaN, which the chart draws as a
/// gap. Errors name the line and column.
fn parse(text: &str) -> Result<(String, Vec<Series>), String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, header) = lines.next().ok_or("the file is empty")?;
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    if names.len() < 2 {
        return Err(format!(
            "line 1: need at least two columns (x and one series), found {}",
            names.len()
        ));
    }
    let mut series: Vec<Series> = names[1..]
        .iter()
        .map(|name| Series::new(*name, Vec::new()))
        .collect();
    for (index, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() > names.len() {
            return Err(format!(
                "line {}: {} cells, but the header has {} columns",
                index + 1,
                cells.len(),
                names.len()
            ));
        }
        let number = |column: usize| -> Result<f64, String> {
            match cells.get(column).copied().unwrap_or("") {
                "" => Ok(f64::NAN),
                cell => cell.parse().map_err(|_| {
                    format!(
                        "line {}, column {:?}: {cell:?} is not a number",
                        index + 1,
                        names[column]
                    )
                }),
            }
        };
        let x = number(0)?;
        for (column, s) in series.iter_mut().enumerate() {
            s.points.push((x, number(column + 1)?));
        }
    }
    Ok((names[0].to_owned(), series))
}

/// Writes two made-up learning curves (a training and a test loss over 50
/// epochs) to `path`, through a temporary file renamed into place.
fn write_sample(path: &Path) -> Result<(), String> {
    let mut csv = String::from("epoch,train loss,test loss\n");
    for epoch in 1..=50 {
        let e = f64::from(epoch);
        let train = 90.0 + 160.0 * (-e / 8.0).exp();
        let test = 100.0 + 150.0 * (-e / 10.0).exp() + 0.08 * e;
        csv.push_str(&format!("{epoch},{train:.3},{test:.3}\n"));
    }
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let temporary = path.with_extension("csv.tmp");
    std::fs::write(&temporary, csv).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}
