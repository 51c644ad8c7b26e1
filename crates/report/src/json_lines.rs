//! JSON written one entry per line: the top-level keys each on a line, and
//! the objects in a top-level array (`summary.json`'s runs and
//! configurations) each on a line of their own, compact inside.
//!
//! Pretty-printed, `summary.json` of the 60-run study was 416 KB, two fifths
//! of it indentation and line breaks inside each run's settings and
//! metrics; fully compact it is 246 KB but one line, which no one can read
//! or diff. One run per line keeps nearly all of the saving while a diff of
//! two reports still shows which runs changed. Key order is that of the
//! serialised structs (unlike a detour through `serde_json::Value`, which
//! sorts keys).

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, Serializer};

/// `value` as JSON with every key of the outermost object on a line, and
/// every object or array inside a top-level array (a run, a configuration)
/// on a line of its own; everything else compact, and a final newline.
pub fn to_lines(value: &impl Serialize) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut serializer = Serializer::with_formatter(&mut out, Lines::default());
    value.serialize(&mut serializer)?;
    out.push(b'\n');
    // serde_json writes valid UTF-8 only.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Writes `value` to `path` as [`to_lines`] lays it out, atomically.
pub fn write(path: &std::path::Path, value: &impl Serialize) -> crate::Result<()> {
    let text = to_lines(value).map_err(|source| crate::ReportError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    vaelab_vae::output::write_atomic(path, text.as_bytes())?;
    Ok(())
}

/// One open object or array.
struct Level {
    array: bool,
    /// Whether it has had an entry yet.
    empty: bool,
    /// Whether a line was broken inside it.
    broke: bool,
}

/// A compact formatter that breaks lines in the two outer levels.
#[derive(Default)]
struct Lines {
    levels: Vec<Level>,
    /// An element of a top-level array has begun: if it is an object or an
    /// array it starts a line (a scalar, like a seed, does not).
    pending: bool,
}

impl Lines {
    fn open<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
        array: bool,
    ) -> io::Result<()> {
        if std::mem::take(&mut self.pending) {
            writer.write_all(b"\n")?;
            if let Some(parent) = self.levels.last_mut() {
                parent.broke = true;
            }
        }
        self.levels.push(Level {
            array,
            empty: true,
            broke: false,
        });
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.pending = false;
        if let Some(level) = self.levels.pop()
            && (level.broke || (self.levels.is_empty() && !level.empty))
        {
            writer.write_all(b"\n")?;
        }
        writer.write_all(bracket)
    }

    fn entry<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.pending = false;
        if !first {
            writer.write_all(b",")?;
        }
        let depth = self.levels.len();
        let Some(level) = self.levels.last_mut() else {
            return Ok(());
        };
        level.empty = false;
        if depth == 1 {
            writer.write_all(b"\n")?;
        } else if depth == 2 && level.array {
            self.pending = true;
        }
        Ok(())
    }
}

impl Formatter for Lines {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[", true)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.entry(writer, first)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{", false)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.entry(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        // A space after the colon only on the outer lines, for the eye.
        if self.levels.len() == 1 {
            writer.write_all(b": ")
        } else {
            CompactFormatter.begin_object_value(writer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Run {
        name: &'static str,
        metrics: Vec<f64>,
    }

    #[derive(Serialize)]
    struct Doc {
        suite: &'static str,
        seeds: Vec<u64>,
        runs: Vec<Run>,
        empty: Vec<Run>,
        overrides: Run,
    }

    #[test]
    fn one_line_per_top_level_entry_and_per_run_in_field_order() {
        let doc = Doc {
            suite: "default",
            seeds: vec![0, 1],
            runs: vec![
                Run {
                    name: "b",
                    metrics: vec![1.5, -2.0],
                },
                Run {
                    name: "a",
                    metrics: vec![],
                },
            ],
            empty: vec![],
            overrides: Run {
                name: "o",
                metrics: vec![3.0],
            },
        };
        let text = to_lines(&doc).unwrap();
        let expected = concat!(
            "{\n",
            "\"suite\": \"default\",\n",
            "\"seeds\": [0,1],\n",
            "\"runs\": [\n",
            "{\"name\":\"b\",\"metrics\":[1.5,-2.0]},\n",
            "{\"name\":\"a\",\"metrics\":[]}\n",
            "],\n",
            "\"empty\": [],\n",
            "\"overrides\": {\"name\":\"o\",\"metrics\":[3.0]}\n",
            "}\n",
        );
        assert_eq!(text, expected);
        // It is JSON, and the same value as the pretty form.
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, serde_json::to_value(&doc).unwrap());
    }
}
