//! The whole pipeline of `cargo xtask reproduce` on a tiny suite: IDX
//! fixtures written here, training, figures, CSV, JSON, Markdown and HTML,
//! checked from the outside.
//!
//! The fixtures are not canonical MNIST, so the suite runs with
//! `--no-verify` (`no_verify: true`), which skips the checksum check but not
//! the structural checks of the IDX files.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use vaelab::mnist::{Dataset, Encoding, Split, save_split};
use vaelab::report::links;
use xtask::reproduce::{ReproduceArgs, SuiteArgs, run};

const SIDE: usize = 28;

/// Which of the seven segments (a top, b top right, c bottom right, d bottom,
/// e bottom left, f top left, g middle) each digit lights.
const SEGMENTS: [&str; 10] = [
    "abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg",
];

/// A small deterministic generator (xorshift64*), so the fixtures need no
/// random-number crate and never change.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in [lo, hi].
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// A seven-segment digit with a random shift, stroke width, slant, ink
/// level and background noise: digit-like enough that PCA and kNN have
/// structure to find.
fn digit_image(digit: usize, rng: &mut Rng) -> Vec<u8> {
    let (dx, dy) = (rng.between(-2, 2) as f64, rng.between(-2, 2) as f64);
    let width = 1.2 + rng.unit();
    let slant = (rng.unit() - 0.5) * 0.3;
    let ink = 0.75 + 0.25 * rng.unit();
    let (left, right, top, middle, bottom) = (8.0, 19.0, 5.0, 14.0, 23.0);
    let segment = |name: char| -> ((f64, f64), (f64, f64)) {
        match name {
            'a' => ((left, top), (right, top)),
            'b' => ((right, top), (right, middle)),
            'c' => ((right, middle), (right, bottom)),
            'd' => ((left, bottom), (right, bottom)),
            'e' => ((left, middle), (left, bottom)),
            'f' => ((left, top), (left, middle)),
            _ => ((left, middle), (right, middle)),
        }
    };
    let mut pixels = vec![0u8; SIDE * SIDE];
    for (i, pixel) in pixels.iter_mut().enumerate() {
        let (y, x) = ((i / SIDE) as f64 - dy, (i % SIDE) as f64 - dx);
        let x = x + slant * (y - middle);
        let distance = SEGMENTS[digit]
            .chars()
            .map(|s| {
                let ((x0, y0), (x1, y1)) = segment(s);
                let (vx, vy) = (x1 - x0, y1 - y0);
                let t = (((x - x0) * vx + (y - y0) * vy) / (vx * vx + vy * vy)).clamp(0.0, 1.0);
                ((x - x0 - t * vx).powi(2) + (y - y0 - t * vy).powi(2)).sqrt()
            })
            .fold(f64::INFINITY, f64::min);
        let stroke = (1.0 - (distance - width).max(0.0)).clamp(0.0, 1.0) * ink;
        let noise = if rng.unit() < 0.03 {
            0.3 * rng.unit()
        } else {
            0.0
        };
        *pixel = (255.0 * (stroke + noise).min(1.0)).round() as u8;
    }
    pixels
}

fn dataset(count: usize, seed: u64) -> Dataset {
    let mut rng = Rng(seed);
    let mut pixels = Vec::with_capacity(count * SIDE * SIDE);
    let mut labels = Vec::with_capacity(count);
    for i in 0..count {
        // Digits in a scrambled but balanced order.
        let digit = (i * 7 + i / 10) % 10;
        pixels.extend(digit_image(digit, &mut rng));
        labels.push(digit as u8);
    }
    Dataset::new(pixels, labels, SIDE, SIDE).unwrap()
}

/// Two runs that differ only in d (so a comparison is drawn, and d = 20
/// takes the PCA path), and one that asks for more training images than the
/// fixtures hold, so it fails at run time.
const SUITE: &str = r#"
name = "tiny"
dataset = "mnist"
description = "The end-to-end test's suite."

[defaults]
iterations = 30
batch_size = 50
eval_every = 10
data = { train = 50, test = 50, classify = 200 }
analysis = { reconstructions = 6, histogram_pixels = 3, histogram_bins = 10, grid_size = 5, interpolation_steps = 5, interpolation_pairs = 2, loglik_samples = 20, knn_k = 3 }

[[runs]]
name = "relu-z2-ce"
activation = "relu"
latent = 2

[[runs]]
name = "relu-z20-ce"
activation = "relu"
latent = 20

[[runs]]
name = "too-big"
data = { train = 1000 }
"#;

const RUNS: [&str; 2] = ["relu-z2-ce", "relu-z20-ce"];

struct Decoded {
    width: u32,
    height: u32,
    /// Share of pixels that differ from the most common value.
    ink: f64,
}

fn decode_png(path: &Path) -> Decoded {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let bytes = &buffer[..info.buffer_size()];
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = bytes.chunks(channels).collect();
    let mut counts = std::collections::HashMap::new();
    for p in &pixels {
        *counts.entry(*p).or_insert(0usize) += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    Decoded {
        width: info.width,
        height: info.height,
        ink: 1.0 - most as f64 / pixels.len() as f64,
    }
}

fn all_finite(value: &serde_json::Value, at: &str) {
    match value {
        serde_json::Value::Null => panic!("{at} is null (a non-finite number)"),
        serde_json::Value::Number(n) => {
            assert!(n.as_f64().unwrap().is_finite(), "{at} = {n}")
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                all_finite(v, &format!("{at}[{i}]"));
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                all_finite(v, &format!("{at}.{k}"));
            }
        }
        _ => {}
    }
}

#[test]
fn a_tiny_suite_gives_a_complete_report() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("idx");
    std::fs::create_dir(&data).unwrap();
    save_split(&data, Split::Train, &dataset(200, 1), Encoding::Raw).unwrap();
    save_split(&data, Split::Test, &dataset(300, 2), Encoding::Raw).unwrap();
    let suite = work.path().join("tiny.toml");
    std::fs::write(&suite, SUITE).unwrap();
    let out = work.path().join("report");

    let done = run(&ReproduceArgs {
        suite: SuiteArgs {
            file: Some(suite),
            data_dir: Some(data),
            no_verify: true,
            jobs: Some(2),
            ..SuiteArgs::default()
        },
        out: Some(out.clone()),
        runs_dir: Some(work.path().join("runs")),
        ..ReproduceArgs::default()
    })
    .unwrap();

    // The failing run is reported, and only it; the command would exit 1.
    assert_eq!(done.failed.len(), 1, "{:?}", done.failed);
    assert_eq!(done.failed[0].name, "too-big");
    assert!(
        done.failed[0].error.contains("data.train"),
        "{:?}",
        done.failed
    );
    assert!(
        done.figure_failures.is_empty(),
        "{:?}",
        done.figure_failures
    );
    for run in RUNS {
        assert!(done.table.contains(run), "{}", done.table);
    }
    assert!(done.into_result().is_err());

    // Every expected file, and nothing left beside the report.
    let mut expected: Vec<PathBuf> = [
        "index.html",
        "report.md",
        "index.ja.html",
        "report.ja.md",
        "summary.json",
        "timing.json",
        "data/metrics.csv",
        "figures/compare/latent.png",
        "figures/compare/latent.svg",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    for run in RUNS {
        // Line charts in both formats; the rest as PNG only (their numbers
        // are in the CSVs).
        for chart in ["curve-ce", "curve-kl", "curve-mse"] {
            for ext in ["png", "svg"] {
                expected.push(format!("figures/{run}/{chart}.{ext}").into());
            }
        }
        for image in [
            "histograms",
            "scatter",
            "reconstructions",
            "latent-grid",
            "interpolation",
        ] {
            expected.push(format!("figures/{run}/{image}.png").into());
        }
        for file in [
            "history.csv",
            "latents.csv",
            "histograms.csv",
            "latent-dims.csv",
            "metrics.json",
        ] {
            expected.push(format!("data/{run}/{file}").into());
        }
        // The scatter's own points only where they are a projection: for
        // d = 2 they are latents.csv's columns.
        let scatter = out.join(format!("data/{run}/scatter.csv"));
        assert_eq!(
            scatter.exists(),
            run == "relu-z20-ce",
            "{}",
            scatter.display()
        );
        expected.push(format!("runs/{run}/model.safetensors").into());
    }
    for file in &expected {
        let path = out.join(file);
        assert!(path.is_file(), "missing {}", path.display());
        assert!(
            std::fs::metadata(&path).unwrap().len() > 0,
            "empty {}",
            path.display()
        );
    }
    assert!(!out.join("figures/too-big").exists());
    let beside: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("report."))
        .collect();
    assert!(beside.is_empty(), "staging left behind: {beside:?}");

    // PNGs decode, have the charts' sizes (plots' defaults) or room for
    // their images, and are not blank.
    for run in RUNS {
        let png = |name: &str| decode_png(&out.join(format!("figures/{run}/{name}.png")));
        for curve in ["curve-ce", "curve-kl", "curve-mse"] {
            let d = png(curve);
            assert_eq!((d.width, d.height), (900, 540), "{run} {curve}");
        }
        let d = png("scatter");
        assert_eq!((d.width, d.height), (760, 640), "{run} scatter");
        // Three positions on both sets: six 480×360 cells, two a row.
        let d = png("histograms");
        assert_eq!(d.width, 2 * 480, "{run} histograms");
        assert!(d.height > 3 * 360, "{run} histograms");
        let d = png("reconstructions");
        assert!(
            d.width >= 6 * 28 && d.height >= 4 * 28,
            "{run} reconstructions"
        );
        let d = png("latent-grid");
        assert!(d.width >= 5 * 28 && d.height >= 5 * 28, "{run} latent grid");
        let d = png("interpolation");
        assert!(
            d.width >= 5 * 28 && d.height >= 2 * 28,
            "{run} interpolation"
        );
        for name in [
            "curve-ce",
            "curve-kl",
            "curve-mse",
            "histograms",
            "scatter",
            "reconstructions",
            "latent-grid",
            "interpolation",
        ] {
            let d = png(name);
            assert!(d.ink > 0.01, "{run} {name} looks blank ({:.4} ink)", d.ink);
            assert!(d.width <= 16_384 && d.height <= 16_384);
        }
    }
    let d = decode_png(&out.join("figures/compare/latent.png"));
    assert!(d.ink > 0.01 && d.width >= 500, "comparison figure");

    // summary.json: every run, every metric, all finite.
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(summary["suite"], "tiny");
    assert_eq!(summary["seeds"], serde_json::json!([0]));
    assert!(summary["vaelab_version"].is_string());
    let runs = summary["runs"].as_array().unwrap();
    let names: Vec<&str> = runs.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["relu-z2-ce", "relu-z20-ce", "too-big"]);
    for run in &runs[..2] {
        assert_eq!(run["status"], "ok");
        let metrics = &run["metrics"];
        for set in ["train", "test"] {
            for loss in ["ce", "sse", "mse", "kl"] {
                assert!(
                    metrics[set][loss].is_number(),
                    "{set}.{loss} of {}",
                    run["name"]
                );
            }
        }
        for key in [
            "test_log_likelihood",
            "knn_accuracy",
            "active_units",
            "mu_variance",
            "kl_per_dim",
        ] {
            assert!(!metrics[key].is_null(), "{key} of {}", run["name"]);
        }
        let d = run["config"]["latent"].as_u64().unwrap() as usize;
        assert_eq!(metrics["kl_per_dim"].as_array().unwrap().len(), d);
        all_finite(metrics, &format!("{}.metrics", run["name"]));
        assert_eq!(run["config"]["iterations"], 30);
    }
    assert_eq!(runs[2]["status"], "failed");
    assert_eq!(summary["failed"][0]["name"], "too-big");
    // Machine-dependent numbers are kept out of summary.json.
    assert!(!text.contains("seconds") && !text.contains("started_at"));
    let timing_text = std::fs::read_to_string(out.join("timing.json")).unwrap();
    let timing: serde_json::Value = serde_json::from_str(&timing_text).unwrap();
    // The data is named by the rule that found it, never by its local path.
    assert_eq!(timing["data_origin"], "--data-dir");
    let data_dir = work.path().join("idx").display().to_string();
    assert!(
        !timing_text.contains(&data_dir),
        "timing.json names {data_dir}"
    );
    assert!(timing["runs"][0]["total_seconds"].as_f64().unwrap() > 0.0);

    // index.html and report.md link only to files that exist.
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html_links = links::html_links(&html);
    let md_links = links::markdown_links(&md);
    for (what, found) in [("index.html", &html_links), ("report.md", &md_links)] {
        for run in RUNS {
            let scatter = format!("figures/{run}/scatter.png");
            assert!(found.contains(&scatter), "{what} does not show {scatter}");
        }
        for link in found.iter().filter(|l| !l.starts_with('#')) {
            let path = out.join(link);
            assert!(path.is_file(), "{what} links to missing {link}");
        }
    }
    assert!(links::broken(&out, &html_links, Some(&html)).is_empty());
    assert!(!html.contains("http://") && !html.contains("https://"));
    // The failed run is marked, the PCA projection is said, the discussion
    // and the appendix are there.
    for text in [&html, &md] {
        assert!(text.contains("too-big") && text.contains("failed"));
        assert!(text.contains("PCA"));
        assert!(text.contains("Discussion") && text.contains("Appendix"));
        assert!(text.contains("Affine(784, 100)"));
    }
}
