//! Shows how a suite expands: listed runs, grid axes and seeds become one
//! run each, named and identified as the report and output files see them.
//!
//! ```text
//! cargo run -p vaelab-vae --example expand_suite [SUITE.toml]
//! ```
//!
//! Without an argument it expands a small built-in suite. Nothing is trained.

use std::path::Path;

use vaelab_vae::Suite;

const DEMO: &str = r#"
name = "demo"

[defaults]
iterations = 2000
seeds = [0, 1, 2]

[[runs]]
name = "study-setting"
seeds = [0]

[grid]
name = "{activation}-z{latent}-lr{adam.lr}"
activation = ["sigmoid", "relu"]
latent = [2, 20]
adam.lr = [0.001, 0.01]
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let suite = match std::env::args().nth(1) {
        Some(path) => Suite::load(Path::new(&path))?,
        None => Suite::parse(DEMO, "built-in demo suite")?,
    };
    println!(
        "suite {}: {} configurations, {} runs",
        suite.name,
        suite.configurations.len(),
        suite.runs.len()
    );
    for run in &suite.runs {
        println!(
            "{:32} label {:32} {} z{} lr {}",
            run.id(),
            suite.label(run),
            run.activation,
            run.latent,
            run.adam.lr
        );
    }
    Ok(())
}
