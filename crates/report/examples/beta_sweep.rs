//! A report written with `vaelab-report` alone, for a suite the study never
//! ran: three runs that differ only in β, the weight of the KL term. The
//! report compares them along `beta` — a comparison figure, a table and a
//! discussion topic — without any code that knows about β.
//!
//! ```text
//! cargo run --release -p vaelab-report --example beta_sweep [-- OUT_DIR]
//! ```
//!
//! The images are synthetic (a bright bar per digit class on a dark 28 × 28
//! canvas), so the example needs no download and takes a few seconds.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use vaelab_mnist::{Dataset, Mnist};
use vaelab_report::{DataSource, Environment, Invocation, ReportInput, RunEntry, write};
use vaelab_vae::{Suite, run_suite};

const SUITE: &str = r#"
name = "beta-sweep"
dataset = "mnist"
description = "The same model with β = 0.5, 1 and 2."

[defaults]
activation = "relu"
iterations = 60
batch_size = 50
eval_every = 10
adam = { lr = 0.003 }
data = { train = 100, test = 60, classify = 100 }
analysis = { loglik_samples = 20, grid_size = 7, interpolation_pairs = 2 }

[[runs]]
name = "beta-0.5"
beta = 0.5

[[runs]]
name = "beta-1"
beta = 1.0

[[runs]]
name = "beta-2"
beta = 2.0
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).map_or_else(
        || std::env::temp_dir().join("vaelab-beta-sweep"),
        PathBuf::from,
    );
    let suite = Suite::parse(SUITE, "beta_sweep.rs")?;
    let data = Mnist {
        train: bars(200, 1)?,
        test: bars(200, 2)?,
        files: Default::default(),
        verified: false,
    };

    let started = (Instant::now(), SystemTime::now());
    let results = run_suite(&suite.runs, &data, 2, &|_, _| {});
    let input = ReportInput {
        suite: &suite,
        runs: suite
            .runs
            .iter()
            .zip(&results)
            .map(|(c, r)| RunEntry::new(c, r))
            .collect(),
        invocation: Invocation {
            command: "cargo run -p vaelab-report --example beta_sweep".into(),
            suite_file: "crates/report/examples/beta_sweep.rs".into(),
            ..Invocation::default()
        },
        data: DataSource {
            origin: "the example".into(),
            verified: false,
        },
        environment: Environment::capture(&std::env::current_dir()?, started.1, 2),
        training_time: started.0.elapsed(),
    };
    let written = write(&input, &out, 2)?;

    print!("{}", written.table);
    let compare = out.join("figures/compare/beta.png");
    println!(
        "\nreport: {}\ncomparison along beta: {} ({})",
        out.join("index.html").display(),
        compare.display(),
        if compare.is_file() {
            "drawn"
        } else {
            "missing"
        }
    );
    report_time(written.elapsed);
    Ok(())
}

/// `n` images of ten classes: class `c` is a bar at its own place and angle,
/// plus a little deterministic noise.
fn bars(n: usize, seed: u64) -> Result<Dataset, vaelab_mnist::MnistError> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 30) as f32
    };
    let mut pixels = Vec::with_capacity(n * 784);
    let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
    for &class in &labels {
        let c = f32::from(class);
        let (cx, cy, angle) = (6.0 + 1.6 * c, 8.0 + f32::from(class % 5) * 3.0, 0.3 * c);
        for y in 0..28 {
            for x in 0..28 {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let across = (dx * angle.cos() + dy * angle.sin()).abs();
                let along = (-dx * angle.sin() + dy * angle.cos()).abs();
                let ink = if across < 1.5 && along < 7.0 {
                    220.0
                } else {
                    0.0
                };
                pixels.push((ink + noise()).min(255.0) as u8);
            }
        }
    }
    Dataset::new(pixels, labels, 28, 28)
}

fn report_time(elapsed: Duration) {
    println!("report written in {:.1} s", elapsed.as_secs_f64());
}
