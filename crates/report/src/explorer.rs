//! The interactive latent explorer: one self-contained HTML page per report
//! on which a reader drags a point through a run's latent space and watches
//! the decoder draw it.
//!
//! The page opens from disk with no network: the style sheet and the script
//! are inline, and each run's decoder travels inside the page as base64
//! little-endian `float32` (about 0.4 MB a run for the study's decoder). The
//! forward pass runs in plain JavaScript (`explorer/explorer.js`) with the
//! same layer order and activations as [`ExplorerRun::decode`], which mirrors
//! the Rust decoder; a browser test checks the two agree to 1e-5 a pixel.
//!
//! The page takes plain data and knows nothing of training; [`from_vae`]
//! converts a trained model and its latent means into an [`ExplorerRun`].
//!
//! # The page's URL parameters
//! A fragment such as `#run=NAME&z=0.1,-0.3` selects a run and sets the
//! decoded point, so that links (and the browser test) can reproduce a view:
//!
//! | parameter          | effect                                              |
//! |--------------------|-----------------------------------------------------|
//! | `run=NAME`         | show run `NAME` (default: the first)                |
//! | `z=z1,…,zd`        | decode this latent point (all `d` coordinates)      |
//! | `plane=a,b`        | decode the plane point `mean + a·pc1 + b·pc2` (or `(a, b)` when `d = 2` without a plane) |
//! | `from=i&to=j&t=s`  | interpolate between points `i` and `j` at `t = s`   |
//!
//! # Its language
//! The page carries its interface in English and Japanese: static text in
//! the markup with its Japanese beside it (`data-ja`, `data-ja-label` for
//! `aria-label`), text the script writes in a table of both languages in
//! `explorer/explorer.js`. `explorer.html?lang=ja`, `#lang=ja` or `#ja`
//! shows the Japanese form; English is the default. The weights are
//! embedded once, whatever the language.
//!
//! When one of `z`, `plane` or `t` is given, the page writes what it decoded
//! into `<pre id="probe">` as JSON — `{run, z, pixels, scrollWidth,
//! innerWidth}` — and posts the same object to its parent window when it is
//! shown in a frame.

mod embed;
mod from_vae;
mod run;

pub use from_vae::from_vae;
pub use run::{Activation, DenseLayer, ExplorerRun, LatentPoint, Output, PcaPlane};

use thiserror::Error;

/// The side of a decoded image in pixels.
pub const IMAGE_SIDE: usize = 28;
/// Pixels per decoded image: the decoder's last layer has this many outputs.
pub const IMAGE_PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;

const STYLE: &str = include_str!("explorer/explorer.css");
const SCRIPT: &str = include_str!("explorer/explorer.js");

/// Why a page could not be built; each names the run and what is wrong.
#[derive(Debug, Error, PartialEq)]
pub enum ExplorerError {
    /// `page` was given no runs.
    #[error("the latent explorer needs at least one run")]
    NoRuns,
    /// Two runs share a name, so `#run=NAME` would be ambiguous.
    #[error("two runs are named {0:?}; run names must be unique")]
    DuplicateName(String),
    /// A run's data does not describe a decoder and its latent points.
    #[error("run {run:?}: {problem}")]
    Invalid {
        /// The run's name.
        run: String,
        /// What is wrong, in a sentence.
        problem: String,
    },
}

/// The result type of this module.
pub type Result<T> = std::result::Result<T, ExplorerError>;

/// The explorer page for `runs`, titled `title` in English and `title_ja`
/// in its Japanese form: one HTML document with its style, script and data
/// inline.
pub fn page(title: &str, title_ja: &str, runs: &[ExplorerRun]) -> Result<String> {
    if runs.is_empty() {
        return Err(ExplorerError::NoRuns);
    }
    for (i, run) in runs.iter().enumerate() {
        run.validate()?;
        if runs[..i].iter().any(|r| r.name == run.name) {
            return Err(ExplorerError::DuplicateName(run.name.clone()));
        }
    }
    let (title, ja) = (embed::escape_html(title), embed::escape_html(title_ja));
    let data = embed::data_json(runs);
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title data-ja=\"{ja}\">{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1 data-ja=\"{ja}\">{title}</h1>\n{BODY}\
         <script type=\"application/json\" id=\"explorer-data\">{data}</script>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n"
    ))
}

impl ExplorerRun {
    /// The latent means as the page stores and reads them, one vector per
    /// point: each coordinate rounded to one of 65 536 even steps between its
    /// dimension's smallest and largest value (half the bytes of `float32`).
    pub fn embedded_points(&self) -> Vec<Vec<f32>> {
        let d = self.latent_dim.max(1);
        let mus: Vec<f32> = self
            .points
            .iter()
            .flat_map(|p| p.mu.iter().copied())
            .collect();
        embed::Quantized::new(&mus, d)
            .values()
            .chunks(d)
            .map(<[f32]>::to_vec)
            .collect()
    }
}

/// The page's fixed markup in English, each text with its Japanese in
/// `data-ja` (or `data-ja-label` for an `aria-label`), which the script
/// puts in place in the Japanese form; the script fills in the run's data.
const BODY: &str = r#"<p class="intro" data-ja="点はそれぞれ分類テストデータの画像 1 枚の符号化器の平均 μ で、数字ごとに色を分けている。図の上をドラッグ（またはタップ）すると十字が動き、その潜在空間の点を復号化器が描いた画像を「復号した点」に示す。点をタップするとその画像を選び、下の補間の端 A または B にできる。d &gt; 2 では、図は μ の第 1・第 2 主成分が張る平面で、他の方向はすべて平均値にとどまる。">Each dot is the encoder's mean μ of one classification
image, coloured by its digit. Drag on the plot (or tap it) to move the cross: the decoder
draws that latent point under “Decoded point”. Tap a dot to select its image, then use it as end A or
B of the interpolation below. For d &gt; 2 the plot is the plane of the first two principal
components of the means, and every other direction stays at its mean.</p>
<noscript><p class="note" lang="en">This page decodes latent points with JavaScript; please enable it.</p>
<p class="note" lang="ja">このページは JavaScript で潜在空間の点を復号する。JavaScript を有効にしてほしい。</p></noscript>
<p class="controls"><label for="run" data-ja="実験">Run</label> <select id="run"></select>
<span id="run-info"></span></p>
<div class="explorer">
<section class="plane">
<canvas id="scatter" width="480" height="480" aria-label="latent scatter plot" data-ja-label="潜在変数の散布図"></canvas>
<div id="legend" class="legend"></div>
</section>
<section class="decoded">
<h2 data-ja="復号した点">Decoded point</h2>
<div class="row">
<canvas id="digit" class="digit" width="28" height="28" aria-label="decoded image" data-ja-label="復号した画像"></canvas>
<div>
<p id="readout" class="z"></p>
<details id="full-z" hidden><summary data-ja="全座標">All coordinates</summary><p id="full-z-values" class="z"></p></details>
<p><span data-ja="選んだ画像：">Selected image: </span><span id="picked"></span></p>
<p><button id="set-a" type="button" data-ja="A にする">Use as A</button> <button id="set-b" type="button" data-ja="B にする">Use as B</button></p>
</div>
</div>
</section>
<section class="interp">
<h2 data-ja="補間 A → B">Interpolation A → B</h2>
<div class="row">
<canvas id="interp" class="digit" width="28" height="28" aria-label="interpolated image" data-ja-label="補間した画像"></canvas>
<div>
<p><label for="t">t</label> <input id="t" type="range" min="0" max="1" step="0.01" value="0.5"></p>
<p id="interp-note" class="z"></p>
</div>
</div>
</section>
</div>
<pre id="probe" hidden></pre>
"#;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::run::tests::tiny;
    use super::*;

    #[test]
    fn pages_need_runs_with_unique_names() {
        assert_eq!(page("x", "x", &[]), Err(ExplorerError::NoRuns));
        assert_eq!(
            page("x", "x", &[tiny("a"), tiny("b"), tiny("a")]),
            Err(ExplorerError::DuplicateName("a".into()))
        );
    }

    #[test]
    fn the_page_is_self_contained_and_escapes_names() {
        let html = page("<Explorer>", "<探索>", &[tiny("</script><b>")]).unwrap();
        assert!(html.contains("<title data-ja=\"&lt;探索&gt;\">&lt;Explorer&gt;</title>"));
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the two elements end"
        );
        assert!(!html.contains("<b>"));
        for external in ["src=", "href=", "http:", "https:", "@import"] {
            assert!(!html.contains(external), "{external} in the page");
        }
        // The data parses back, with the run's shape and labels.
        let start = html.find("id=\"explorer-data\">").unwrap() + 19;
        let end = start + html[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(data[0]["name"], "</script><b>");
        assert_eq!(data[0]["d"], 2);
        assert_eq!(data[0]["labels"], "3");
        assert_eq!(data[0]["layers"][1]["out"], 784);
        assert_eq!(data[0]["layers"][0]["act"], "relu");
        // 4 weights = 16 bytes = 24 base64 characters.
        assert_eq!(data[0]["layers"][0]["w"].as_str().unwrap().len(), 24);
    }

    #[test]
    fn every_text_of_the_markup_has_its_japanese_beside_it() {
        // Each element with English text of its own (outside the noscript
        // note, which carries both) says it in Japanese too, and each
        // aria-label has a Japanese label.
        let body = BODY.split("</noscript>").nth(1).unwrap();
        for tag in body.split('<').skip(1) {
            let Some((open, text)) = tag.split_once('>') else {
                continue;
            };
            let text = text.trim();
            let english = text.chars().filter(char::is_ascii_alphabetic).count() > 1;
            if english && !open.starts_with('/') {
                assert!(open.contains("data-ja="), "<{open}> {text}: no data-ja");
            }
            if open.contains("aria-label=") {
                assert!(
                    open.contains("data-ja-label="),
                    "<{open}>: no data-ja-label"
                );
            }
        }
        assert!(BODY.contains("data-ja=\"復号した点\">Decoded point<"));
    }
}
