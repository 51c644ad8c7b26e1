//! How the runs travel inside the page: a JSON object in a
//! `<script type="application/json">` element, with every float vector as
//! base64 of its little-endian `float32` bytes (a third of the size of
//! decimal text, and exact).

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
/// points, labels, pca: {mean, pc1, pc2} | null}]`, where `points` holds the
/// μ of every point one after another and `labels` one digit character per
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
        "points": floats(&mus),
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
    fn markup_cannot_escape_its_element() {
        assert_eq!(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }
}
