//! How the runs travel inside the page: a JSON object in a
//! `<script type="application/json">` element, with every float vector as
//! base64 of its little-endian `float32` bytes (a third of the size of
//! decimal text, and exact) — except the latent points, which are half of
//! that: each coordinate as a 16-bit step between its dimension's minimum
//! and maximum ([`Quantized`]), within 1/131 070 of the range of the exact
//! mean, far below what a scatter plot or a decoded digit shows.

use serde_json::{Value, json};

use super::ExplorerRun;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with padding), as the browser's `atob` reads it.
pub(super) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // A chunk of k bytes gives k + 1 characters, then padding to 4.
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `values` as base64 of little-endian `float32`.
pub(super) fn floats(values: &[f32]) -> String {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    base64(&bytes)
}

/// The latent points as the page stores them: per dimension `j`, the
/// smallest coordinate `lo[j]` and the step `step[j]` = range / 65 535, and
/// each coordinate as `q` in 0..=65 535 with value `lo[j] + q · step[j]`.
pub struct Quantized {
    /// Per dimension, the smallest coordinate.
    pub lo: Vec<f32>,
    /// Per dimension, the value of one step (0 when all points agree).
    pub step: Vec<f32>,
    /// Point after point, `d` steps each.
    pub q: Vec<u16>,
}

impl Quantized {
    /// Quantizes `points` (`d` coordinates each, one after another).
    pub fn new(points: &[f32], d: usize) -> Self {
        let mut lo = vec![f32::INFINITY; d];
        let mut hi = vec![f32::NEG_INFINITY; d];
        for p in points.chunks_exact(d) {
            for j in 0..d {
                lo[j] = lo[j].min(p[j]);
                hi[j] = hi[j].max(p[j]);
            }
        }
        let step: Vec<f32> = lo
            .iter()
            .zip(&hi)
            .map(|(&l, &h)| {
                if h > l {
                    (h - l) / f32::from(u16::MAX)
                } else {
                    0.0
                }
            })
            .collect();
        let q = points
            .chunks_exact(d)
            .flat_map(|p| {
                (0..d).map(|j| {
                    if step[j] > 0.0 {
                        // Within 0..=65535 by construction; `as` saturates.
                        ((p[j] - lo[j]) / step[j]).round() as u16
                    } else {
                        0
                    }
                })
            })
            .collect::<Vec<u16>>();
        let lo = lo
            .into_iter()
            .map(|l| if l.is_finite() { l } else { 0.0 })
            .collect();
        Self { lo, step, q }
    }

    /// The coordinates the page reads back, computed as the page does
    /// (in `f64`, then stored as `f32`).
    pub fn values(&self) -> Vec<f32> {
        let d = self.lo.len().max(1);
        self.q
            .iter()
            .enumerate()
            .map(|(i, &q)| {
                let j = i % d;
                (f64::from(self.lo[j]) + f64::from(q) * f64::from(self.step[j])) as f32
            })
            .collect()
    }
}

/// Escapes text for HTML content and attribute values.
pub(super) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's data: `[{name, note, d, output, layers: [{in, out, act, w, b}],
/// points: {lo, step, q}, labels, pca: {mean, pc1, pc2} | null}]`, where
/// `points` holds the μ of every point one after another ([`Quantized`], `q`
/// as base64 of little-endian `uint16`) and `labels` one digit character per
/// point.
pub(super) fn data_json(runs: &[ExplorerRun]) -> String {
    let runs: Vec<Value> = runs.iter().map(run_json).collect();
    // `<` only occurs inside JSON strings, where `\u003c` means the same;
    // escaping it keeps a run named `</script>` from ending the element.
    Value::Array(runs).to_string().replace('<', "\\u003c")
}

fn run_json(run: &ExplorerRun) -> Value {
    let layers: Vec<Value> = run
        .decoder
        .iter()
        .map(|l| {
            json!({
                "in": l.inputs,
                "out": l.outputs,
                "act": l.activation.name(),
                "w": floats(&l.weights),
                "b": floats(&l.bias),
            })
        })
        .collect();
    let mus: Vec<f32> = run
        .points
        .iter()
        .flat_map(|p| p.mu.iter().copied())
        .collect();
    let points = Quantized::new(&mus, run.latent_dim);
    let labels: String = run
        .points
        .iter()
        .map(|p| char::from(b'0' + p.label.min(9)))
        .collect();
    let pca = run.pca.as_ref().map(|p| {
        json!({
            "mean": floats(&p.mean),
            "pc1": floats(&p.components[0]),
            "pc2": floats(&p.components[1]),
        })
    });
    json!({
        "name": run.name,
        "note": run.note,
        "d": run.latent_dim,
        "output": match run.output {
            super::Output::Sigmoid => "sigmoid",
            super::Output::Identity => "identity",
        },
        "layers": layers,
        "points": {
            "lo": floats(&points.lo),
            "step": floats(&points.step),
            "q": base64(&points.q.iter().flat_map(|q| q.to_le_bytes()).collect::<Vec<u8>>()),
        },
        "labels": labels,
        "pca": pca,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        // The high bits and the last two characters of the alphabet.
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn floats_are_little_endian_float32() {
        // 1.0f32 is 0x3f800000: bytes 00 00 80 3f.
        assert_eq!(floats(&[1.0]), base64(&[0, 0, 0x80, 0x3f]));
        assert_eq!(floats(&[1.0, -2.0]).len(), 12);
    }

    #[test]
    fn quantized_points_stay_within_half_a_step_and_keep_the_extremes() {
        let points = [0.5, -3.0, 0.25, -3.0, -1.0, -3.0, 0.123_456, -3.0];
        let q = Quantized::new(&points, 2);
        assert_eq!(q.lo, vec![-1.0, -3.0]);
        assert_eq!(q.step, vec![1.5 / 65_535.0, 0.0]);
        let back = q.values();
        for (i, (b, p)) in back.iter().zip(&points).enumerate() {
            assert!((b - p).abs() <= 0.75 / 65_535.0 + 1e-7, "{i}: {b} vs {p}");
        }
        assert_eq!((back[0], back[4], back[1]), (0.5, -1.0, -3.0));
    }

    #[test]
    fn markup_cannot_escape_its_element() {
        assert_eq!(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }
}
