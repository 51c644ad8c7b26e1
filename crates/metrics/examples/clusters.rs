//! Measures a small synthetic data set the way vaelab measures a latent space:
//! summary statistics, a histogram, active units, a 2-D PCA plane and the
//! k-nearest-neighbour accuracy of its labels.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release -p vaelab-metrics --example clusters
//! ```
//!
//! The data: 3 classes of 200 points in 6 dimensions. Dimensions 0 and 1 hold
//! the class centres (on a triangle of radius 3) plus unit Gaussian noise,
//! dimensions 2 and 3 pure unit noise, and dimensions 4 and 5 almost nothing
//! (noise of standard deviation 0.05), like latent units that collapsed to the
//! prior. A fixed-seed generator written below makes every run print the same.

use std::error::Error;

use vaelab_metrics::{
    ACTIVE_UNIT_THRESHOLD, Histogram, Pca2, Summary, active_units, column_values, knn_accuracy,
};

const CLASSES: usize = 3;
const PER_CLASS: usize = 200;
const DIM: usize = 6;
/// Neighbours that vote in the k-nearest-neighbour classifier.
const K: usize = 5;

/// A tiny deterministic generator (xorshift64*) with Box–Muller normals, so the
/// example needs nothing beyond the metrics crate and `std`.
struct Rng(u64);

impl Rng {
    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11; // 53 random bits
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal.
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Row-major points (`n × DIM`) and their labels, classes interleaved so that
/// every other point can serve as reference and the rest as queries.
fn synthetic(rng: &mut Rng) -> (Vec<f32>, Vec<u8>) {
    let mut data = Vec::with_capacity(CLASSES * PER_CLASS * DIM);
    let mut labels = Vec::with_capacity(CLASSES * PER_CLASS);
    for _ in 0..PER_CLASS {
        for class in 0..CLASSES {
            let angle = std::f64::consts::TAU * class as f64 / CLASSES as f64;
            let centre = [3.0 * angle.cos(), 3.0 * angle.sin(), 0.0, 0.0, 0.0, 0.0];
            let spread = [1.0, 1.0, 1.0, 1.0, 0.05, 0.05];
            for d in 0..DIM {
                data.push((centre[d] + spread[d] * rng.normal()) as f32);
            }
            labels.push(class as u8);
        }
    }
    (data, labels)
}

fn main() -> Result<(), Box<dyn Error>> {
    let (data, labels) = synthetic(&mut Rng(2024));
    let n = labels.len();
    println!("{n} points in {DIM} dimensions, {CLASSES} classes\n");

    // Per-dimension summaries: one column at a time, as plain slices.
    println!("dim    mean     std      min      max   median");
    for d in 0..DIM {
        let s = Summary::from_f32(&column_values(&data, n, DIM, d)?)?;
        println!(
            "{d:>3} {:>7.3} {:>7.3} {:>8.3} {:>8.3} {:>8.3}",
            s.mean, s.std, s.min, s.max, s.median
        );
    }

    // Active units: dimensions whose variance exceeds the threshold the report uses.
    let (active, variances) = active_units(&data, n, DIM, ACTIVE_UNIT_THRESHOLD)?;
    let rounded: Vec<String> = variances.iter().map(|v| format!("{v:.4}")).collect();
    println!(
        "\nactive units (variance > {ACTIVE_UNIT_THRESHOLD}): {active} of {DIM}; variances [{}]",
        rounded.join(", ")
    );

    // A histogram of dimension 0 over [-6, 6]: class 0 is centred at +3 and
    // classes 1 and 2 both at -1.5, so it shows two bumps, the left one twice as tall.
    let column = column_values(&data, n, DIM, 0)?;
    let histogram = Histogram::new(&column, 12, -6.0, 6.0)?;
    println!(
        "\nhistogram of dimension 0 ({} outside the range):",
        histogram.outside
    );
    let fractions = histogram.fractions();
    for (i, count) in histogram.counts.iter().enumerate() {
        let (lo, hi) = (histogram.edges[i], histogram.edges[i + 1]);
        let bar = "#".repeat((fractions[i] * 150.0).round() as usize);
        println!("[{lo:>5.1}, {hi:>5.1}) {count:>4} {bar}");
    }

    // PCA: the plane that keeps most of the variance. The class centres lie in
    // dimensions 0 and 1, so the two leading directions should live there.
    let pca = Pca2::fit(&data, n, DIM)?;
    let ratio = pca.explained_ratio();
    println!(
        "\nPCA: the first two components explain {:.1}% and {:.1}% of the variance",
        100.0 * ratio[0],
        100.0 * ratio[1]
    );
    for (i, component) in pca.components.iter().enumerate() {
        let entries: Vec<String> = component.iter().map(|c| format!("{c:+.2}")).collect();
        println!("  component {}: [{}]", i + 1, entries.join(", "));
    }
    let plane = pca.project_all(&data, n)?;
    for class in 0..CLASSES {
        let points: Vec<&[f64; 2]> = plane
            .iter()
            .zip(&labels)
            .filter(|&(_, &l)| usize::from(l) == class)
            .map(|(p, _)| p)
            .collect();
        let count = points.len() as f64;
        let (x, y) = points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p[0] / count, y + p[1] / count));
        println!("  class {class}: centre on the plane ({x:+.2}, {y:+.2})");
    }

    // kNN: even-indexed points are the reference, odd-indexed the queries.
    let split = |keep: usize| -> (Vec<f32>, Vec<u8>) {
        let rows = (keep..n).step_by(2);
        let xs = rows
            .clone()
            .flat_map(|i| data[i * DIM..(i + 1) * DIM].to_vec())
            .collect();
        (xs, rows.map(|i| labels[i]).collect())
    };
    let (reference, reference_labels) = split(0);
    let (queries, query_labels) = split(1);
    let accuracy = knn_accuracy(
        &reference,
        &reference_labels,
        &queries,
        &query_labels,
        DIM,
        K,
    )?;
    println!(
        "\n{K}-nearest-neighbour accuracy on {} held-out points: {:.1}% (chance: {:.1}%)",
        query_labels.len(),
        100.0 * accuracy,
        100.0 / CLASSES as f64
    );
    Ok(())
}
