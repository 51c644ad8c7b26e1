//! The latent explorer in a real browser: headless Chromium opens the page,
//! decodes a latent point in JavaScript, and the test compares every pixel
//! with the Rust decoder of a `vaelab_vae::Vae` for the same z (≤ 1e-5). It
//! also checks that nothing overflows horizontally at 420 px and 1400 px and
//! takes screenshots at both widths.
//!
//! Chromium is `$VAELAB_CHROMIUM` if set, else `/usr/bin/chromium`, else
//! `chromium` on `PATH` (Debian: `apt-get install -y chromium`; `.ci/run` installs it).
//! Without it these tests FAIL, so that CI cannot pass without running them;
//! on a developer machine without a browser, `VAELAB_SKIP_BROWSER_TESTS=1`
//! skips them explicitly, with a note on stderr.
//!
//! Chromium is driven through its own command line: `--dump-dom` prints the
//! DOM once the page's scripts have run, `--screenshot` writes a PNG. Headless
//! Chromium lays pages out at least 500 px wide, so the page is measured
//! inside an iframe of the exact width in a small harness page; the explorer
//! posts what it decoded to the harness, whose DOM carries it out.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use vaelab_nn::{Activation as NnActivation, Init};
use vaelab_report::explorer::{self, ExplorerRun};
use vaelab_vae::{Head, Vae, analysis};

use common::{Site, chromium, run_chromium};

/// Largest difference allowed between the page's pixels and Rust's.
const TOLERANCE: f32 = 1e-5;
/// The two widths the report must read at.
const WIDTHS: [u32; 2] = [420, 1400];

/// A VAE with a random decoder whose biases are random too, so that every
/// layer's weights and biases shape the image.
fn vae(activation: NnActivation, latent: usize, head: Head, seed: u64) -> Vae {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut vae = Vae::build(activation, latent, head, Init::HeNormal, &mut rng);
    for p in vae.parts_mut()[3].params_mut() {
        if p.shape().0 == 1 {
            let cols = p.shape().1;
            *p.value_mut() = DMatrix::from_fn(1, cols, |_, _| rng.random_range(-0.5..0.5));
        }
    }
    vae
}

/// The decoder of `vae` as the explorer's plain data, converted as the
/// report converts it, with `n` random latent points (and their PCA plane).
fn explorer_run(name: &str, vae: &Vae, n: usize, seed: u64) -> ExplorerRun {
    let d = vae.latent();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Digit k sits around k/3 on every axis, so the classes cluster.
    let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
    let mus: Vec<f32> = labels
        .iter()
        .flat_map(|&k| {
            (0..d)
                .map(|_| f32::from(k) / 3.0 - 1.5 + rng.random_range(-0.6..0.6))
                .collect::<Vec<f32>>()
        })
        .collect();
    explorer::from_vae(name, vae, &mus, &labels, None).unwrap()
}

/// The Rust decoder's image of `z`.
fn rust_decode(vae: &Vae, z: &[f32]) -> Vec<f32> {
    let zs = DMatrix::from_row_slice(1, z.len(), z);
    analysis::decode(vae, &zs).iter().copied().collect()
}

/// The two models of the test page: the study's d = 2 ReLU model with the
/// seed head and its d = 20 Sigmoid model with the Gaussian head.
struct Fixture {
    small: Vae,
    large: Vae,
    runs: Vec<ExplorerRun>,
}

fn fixture() -> Fixture {
    let small = vae(NnActivation::Relu, 2, Head::Seed, 1);
    let large = vae(NnActivation::Sigmoid, 20, Head::Gaussian, 2);
    let runs = vec![
        explorer_run("relu-z2", &small, 300, 3),
        explorer_run("sigmoid-z20", &large, 300, 4),
    ];
    Fixture { small, large, runs }
}

/// `a` and `b` agree to `TOLERANCE` everywhere; names the worst pixel if not.
fn assert_close(what: &str, a: &[f32], b: &[f32]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let (worst, diff) = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .enumerate()
        .fold((0, 0.0f32), |m, (i, d)| if d > m.1 { (i, d) } else { m });
    eprintln!("{what}: largest difference {diff:e}");
    assert!(
        diff <= TOLERANCE,
        "{what}: pixel {worst} differs by {diff:e} (page {}, Rust {})",
        a[worst],
        b[worst]
    );
}

fn numbers(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn joined(z: &[f32]) -> String {
    z.iter()
        .map(|&v| f64::from(v).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn the_converted_decoder_matches_the_rust_decoder_without_a_browser() {
    // The conversion itself, checked with the page's Rust reference, so a
    // browser failure below points at the script.
    let f = fixture();
    for (vae, run) in [(&f.small, &f.runs[0]), (&f.large, &f.runs[1])] {
        let z: Vec<f32> = (0..run.latent_dim).map(|i| 0.4 - 0.15 * i as f32).collect();
        assert_close(&run.name, &run.decode(&z).unwrap(), &rust_decode(vae, &z));
    }
}

#[test]
fn the_page_decodes_what_the_rust_decoder_decodes() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    let site = Site::new(&f.runs);

    // A point of the d = 2 run set directly.
    let z = [0.7f32, -1.3];
    let probe = site.probe(&exe, &format!("run=relu-z2&z={}", joined(&z)), 1400);
    assert_eq!(probe["run"], "relu-z2");
    let expected = rust_decode(&f.small, &z);
    let spread = expected.iter().fold(0.0f32, |m, &v| m.max((v - 0.5).abs()));
    assert!(
        spread > 0.2,
        "a decoder this flat would test little: {spread}"
    );
    assert_close("relu-z2 at z", &numbers(&probe["pixels"]), &expected);

    // All 20 coordinates of the d = 20 run.
    let z: Vec<f32> = (0..20).map(|i| ((i * 7) % 11) as f32 / 5.0 - 1.0).collect();
    let probe = site.probe(&exe, &format!("run=sigmoid-z20&z={}", joined(&z)), 1400);
    assert_eq!(probe["run"], "sigmoid-z20");
    assert_close(
        "sigmoid-z20 at z",
        &numbers(&probe["pixels"]),
        &rust_decode(&f.large, &z),
    );
}

#[test]
fn the_pca_plane_and_the_interpolation_decode_the_expected_codes() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    let site = Site::new(&f.runs);
    let run = &f.runs[1];

    // The plane point (a, b) is mean + a·pc1 + b·pc2.
    let (a, b) = (1.25f32, -0.5f32);
    let pca = run.pca.as_ref().unwrap();
    let z: Vec<f32> = (0..20)
        .map(|i| pca.mean[i] + a * pca.components[0][i] + b * pca.components[1][i])
        .collect();
    let probe = site.probe(&exe, &format!("run=sigmoid-z20&plane={a},{b}"), 1400);
    let page_z = numbers(&probe["z"]);
    for (i, (p, e)) in page_z.iter().zip(&z).enumerate() {
        assert!((p - e).abs() < 1e-6, "plane z[{i}]: page {p}, expected {e}");
    }
    assert_close(
        "plane",
        &numbers(&probe["pixels"]),
        &rust_decode(&f.large, &z),
    );

    // Between points 3 and 17 at t = 0.3 (as the page stores them).
    let (from, to, t) = (3, 17, 0.3f32);
    let stored = run.embedded_points();
    let z: Vec<f32> = stored[from]
        .iter()
        .zip(&stored[to])
        .map(|(x, y)| (1.0 - t) * x + t * y)
        .collect();
    let probe = site.probe(
        &exe,
        &format!("run=sigmoid-z20&from={from}&to={to}&t={t}"),
        1400,
    );
    let page_z = numbers(&probe["z"]);
    assert_close("interpolated z", &page_z, &z);
    assert_close(
        "interpolation",
        &numbers(&probe["pixels"]),
        &rust_decode(&f.large, &z),
    );
}

#[test]
fn nothing_overflows_at_phone_and_laptop_widths() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    let site = Site::new(&f.runs);
    for width in WIDTHS {
        for run in &f.runs {
            let z = joined(&vec![0.5; run.latent_dim]);
            let probe = site.probe(&exe, &format!("run={}&z={z}", run.name), width);
            let (scroll, inner) = (
                probe["scrollWidth"].as_u64().unwrap(),
                probe["innerWidth"].as_u64().unwrap(),
            );
            assert_eq!(inner, u64::from(width), "{}: viewport", run.name);
            let vae = if run.latent_dim == 2 {
                &f.small
            } else {
                &f.large
            };
            let expected = rust_decode(vae, &vec![0.5; run.latent_dim]);
            assert_close(&run.name, &numbers(&probe["pixels"]), &expected);
            assert!(
                scroll <= inner,
                "{} at {width} px: the page is {scroll} px wide",
                run.name
            );
        }
    }
}

#[test]
fn screenshots_at_phone_and_laptop_widths_show_the_page() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    let site = Site::new(&f.runs);
    // Kept under target/ for a person to look at.
    let keep = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("explorer-screenshots");
    std::fs::create_dir_all(&keep).unwrap();
    for width in WIDTHS {
        for run in ["relu-z2", "sigmoid-z20"] {
            let shot = keep.join(format!("{run}-{width}.png"));
            let _ = std::fs::remove_file(&shot);
            run_chromium(
                &exe,
                &[
                    format!("--screenshot={}", shot.display()),
                    format!("--window-size={width},1400"),
                ],
                &site.url("explorer.html", &format!("run={run}")),
            );
            let decoder =
                png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
            let mut reader = decoder.read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert_eq!(info.width, width, "{}", shot.display());
            // A drawn page has many colours (the digits' and the greys of
            // the decoded image); a blank or failed one has few.
            let mut colours: Vec<&[u8]> = buf[..info.buffer_size()]
                .chunks(info.color_type.samples())
                .collect();
            colours.sort_unstable();
            colours.dedup();
            assert!(
                colours.len() > 50,
                "{}: only {} colours",
                shot.display(),
                colours.len()
            );
        }
    }
    eprintln!("screenshots in {}", keep.display());
}

/// Drives the page as a reader would, by events: drag on the plot, tap two
/// dots and make them A and B, move the slider, switch runs.
const READER: &str = r#"<script>
(function () {
  const $ = (id) => document.getElementById(id);
  const api = window.latentExplorer, scatter = $('scatter');
  const out = {};
  function at([cx, cy], type) {
    const r = scatter.getBoundingClientRect(), k = r.width / scatter.width;
    scatter.dispatchEvent(new PointerEvent(type,
      { clientX: r.left + cx * k, clientY: r.top + cy * k, pointerId: 1, bubbles: true }));
  }
  const grey = (id) => Array.from($(id).getContext('2d').getImageData(0, 0, 28, 28).data)
    .filter((_, i) => i % 4 === 0);
  const tap = (i) => { const c = api.toCanvas(api.state.m.points[i].xy); at(c, 'pointerdown'); at(c, 'pointerup'); };
  out.readout0 = $('readout').textContent;
  out.digit0 = grey('digit');
  at([100, 100], 'pointerdown');
  at([300, 350], 'pointermove');
  at([300, 350], 'pointerup');
  out.readout1 = $('readout').textContent;
  out.xy1 = api.state.xy;
  out.corner = api.toCanvas(api.state.xy);
  out.digit1 = grey('digit');
  // The canvas shows the decoded intensities of the cross.
  out.expected1 = Array.from(api.decode(api.state.m, api.lift(api.state.m, api.state.xy)),
    (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  tap(7);
  out.picked = $('picked').textContent;
  $('set-a').click();
  tap(12);
  $('set-b').click();
  out.interp0 = grey('interp');
  $('t').value = '0.25';
  $('t').dispatchEvent(new Event('input'));
  out.note = $('interp-note').textContent;
  out.interp1 = grey('interp');
  $('run').value = 'sigmoid-z20';
  $('run').dispatchEvent(new Event('change'));
  out.info = $('run-info').textContent;
  out.hash = location.hash;
  const pre = document.createElement('pre');
  pre.id = 'reader';
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
})();
</script>
</body>"#;

#[test]
fn a_reader_can_drag_pick_interpolate_and_switch_runs() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    let site = Site::new(&f.runs);
    let page = std::fs::read_to_string(site.dir.path().join("explorer.html")).unwrap();
    let page = page.replacen("</body>", READER, 1);
    std::fs::write(site.dir.path().join("reader.html"), page).unwrap();
    let dom = run_chromium(
        &exe,
        &["--dump-dom".into(), "--window-size=1400,1000".into()],
        &site.url("reader.html", "run=relu-z2"),
    );
    let start = dom
        .find("<pre id=\"reader\">")
        .unwrap_or_else(|| panic!("the reader script did not finish:\n{dom}"))
        + 17;
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    let out: Value = serde_json::from_str(&text).unwrap();

    // Dragging moved the cross to where the pointer was released and
    // redrew the decoded image.
    assert_ne!(out["readout0"], out["readout1"]);
    let corner = numbers(&out["corner"]);
    assert!(
        (corner[0] - 300.0).abs() < 0.01 && (corner[1] - 350.0).abs() < 0.01,
        "{corner:?}"
    );
    assert_ne!(out["digit0"], out["digit1"]);
    assert_eq!(out["digit1"], out["expected1"]);
    // The drawn image is the Rust decoder's image of that point.
    let z = numbers(&out["xy1"]);
    let rust: Vec<f32> = rust_decode(&f.small, &z)
        .iter()
        .map(|v| (255.0 * v).round())
        .collect();
    let drawn = numbers(&out["digit1"]);
    let off = drawn.iter().zip(&rust).filter(|(a, b)| a != b).count();
    // Rounding to 8 bits may flip a value lying within 1e-5 of a half step.
    assert!(off <= 2, "{off} of 784 grey levels differ from Rust's");

    // Tapping dot 7 selected it; dots 7 and 12 became A and B.
    assert_eq!(out["picked"], "#7, digit 7");
    assert_eq!(
        out["note"],
        "t = 0.25 from A (#7, digit 7) to B (#12, digit 2)"
    );
    assert_ne!(out["interp0"], out["interp1"], "the slider redrew");

    // Switching runs shows the other run and records it in the URL.
    assert_eq!(out["info"], "d = 20, 300 points, shown on the PCA plane");
    assert_eq!(out["hash"], "#run=sigmoid-z20");
}

/// The text of the element `<tag …>` whose opening tag contains `attr`, in
/// the DOM Chromium dumped.
fn element_text<'d>(dom: &'d str, tag: &str, attr: &str) -> &'d str {
    let open = dom
        .match_indices(&format!("<{tag}"))
        .map(|(i, _)| i)
        .find(|&i| dom[i..].split('>').next().unwrap().contains(attr))
        .unwrap_or_else(|| panic!("no <{tag} {attr}> in:\n{dom}"));
    let start = open + dom[open..].find('>').unwrap() + 1;
    let end = start + dom[start..].find(&format!("</{tag}>")).unwrap();
    &dom[start..end]
}

#[test]
fn the_japanese_form_shows_japanese_text_and_the_same_decoder() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    let site = Site::new(&f.runs);
    let page = site.dir.path().join("explorer.html");
    let dump = |url: &str| {
        run_chromium(
            &exe,
            &["--dump-dom".into(), "--window-size=1400,1000".into()],
            url,
        )
    };
    // English by default.
    let en = dump(&format!("file://{}#run=relu-z2", page.display()));
    assert!(en.contains("<html lang=\"en\""), "not English");
    assert_eq!(
        element_text(&en, "h2", "data-ja=\"復号した点\""),
        "Decoded point"
    );
    assert_eq!(
        element_text(&en, "span", "id=\"picked\""),
        "none (tap a dot)"
    );
    // ?lang=ja and #ja give the Japanese form: headings, buttons, what the
    // script writes, the title.
    for url in [
        format!("file://{}?lang=ja#run=relu-z2", page.display()),
        format!("file://{}#ja", page.display()),
    ] {
        let ja = dump(&url);
        assert!(ja.contains("<html lang=\"ja\""), "{url}: not Japanese");
        for (tag, attr, text) in [
            ("h2", "data-ja=\"復号した点\"", "復号した点"),
            ("h2", "data-ja=\"補間 A → B\"", "補間 A → B"),
            ("button", "id=\"set-a\"", "A にする"),
            ("label", "for=\"run\"", "実験"),
            ("span", "id=\"picked\"", "なし（点をタップ）"),
            ("span", "id=\"run-info\"", "d = 2、300 点"),
            ("title", "data-ja=", "潜在空間エクスプローラー（試験）"),
        ] {
            assert_eq!(element_text(&ja, tag, attr), text, "{url}: <{tag} {attr}>");
        }
        let note = element_text(&ja, "p", "id=\"interp-note\"");
        assert!(
            note.contains("（A：#0、数字 0 → B：#1、数字 1）"),
            "{url}: {note}"
        );
    }
    // The Japanese form decodes with the same weights, and fits a phone.
    let z = vec![0.5f32; 20];
    let probe = site.probe(
        &exe,
        &format!("lang=ja&run=sigmoid-z20&z={}", joined(&z)),
        420,
    );
    assert_close(
        "Japanese form",
        &numbers(&probe["pixels"]),
        &rust_decode(&f.large, &z),
    );
    let (scroll, inner) = (probe["scrollWidth"].as_u64(), probe["innerWidth"].as_u64());
    assert!(
        scroll <= inner,
        "Japanese form at 420 px: {scroll:?} > {inner:?}"
    );
}

#[test]
fn a_collapsed_run_is_shown_on_a_readable_range() {
    let Some(exe) = chromium() else { return };
    let f = fixture();
    // Every μ the same up to float rounding, as in a collapsed run.
    let labels: Vec<u8> = (0..50).map(|i| (i % 10) as u8).collect();
    let mus: Vec<f32> = (0..100).map(|i| 0.3 + (i % 3) as f32 * 1e-7).collect();
    let flat = explorer::from_vae("flat", &f.small, &mus, &labels, None).unwrap();
    let site = Site::new(&[flat]);
    let page = std::fs::read_to_string(site.dir.path().join("explorer.html")).unwrap();
    let probe = r#"<script>
const pre = document.createElement('pre');
pre.id = 'box';
pre.textContent = JSON.stringify(window.latentExplorer.state.m.box);
document.body.append(pre);
</script>
</body>"#;
    std::fs::write(
        site.dir.path().join("box.html"),
        page.replacen("</body>", probe, 1),
    )
    .unwrap();
    let dom = run_chromium(
        &exe,
        &["--dump-dom".into(), "--window-size=1400,1000".into()],
        &site.url("box.html", "run=flat"),
    );
    let start = dom.find("<pre id=\"box\">").unwrap() + 14;
    let end = start + dom[start..].find("</pre>").unwrap();
    let box_: Vec<f32> = numbers(&serde_json::from_str(&dom[start..end]).unwrap());
    // Each axis spans 2 around the points, so its end labels (two decimals)
    // differ, and the points sit in the middle.
    for (lo, hi) in [(box_[0], box_[1]), (box_[2], box_[3])] {
        assert!((hi - lo - 2.0).abs() < 1e-3, "{box_:?}");
        assert!(((lo + hi) / 2.0 - 0.3).abs() < 1e-3, "{box_:?}");
    }
}
