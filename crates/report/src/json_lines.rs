//! JSON written one entry per line: the top-level keys each on a line, and
//! the elements of a top-level array (`summary.json`'s runs and
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

/// `value` as JSON with a line break before every entry of the outermost
/// [`LINE_DEPTH`] levels of objects and arrays, and a final newline.
pub fn to_lines(value: &impl Serialize) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut serializer = Serializer::with_formatter(&mut out, Lines::default());
    value.serialize(&mut serializer)?;
    out.push(b'\n');
    // serde_json writes valid UTF-8 only.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Levels of nesting whose entries start a line: the document's own keys
/// (1) and the elements of the arrays and objects they hold (2).
pub const LINE_DEPTH: usize = 2;

/// A [`CompactFormatter`] that breaks lines in the outer levels.
#[derive(Default)]
struct Lines {
    depth: usize,
    /// Whether the current container has had an entry yet (one flag a level).
    empty: Vec<bool>,
}

impl Lines {
    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.empty.push(true);
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        let had_entries = !self.empty.pop().unwrap_or(true);
        if self.depth <= LINE_DEPTH && had_entries {
            writer.write_all(b"\n")?;
        }
        self.depth -= 1;
        writer.write_all(bracket)
    }

    fn entry<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if let Some(empty) = self.empty.last_mut() {
            *empty = false;
        }
        if !first {
            writer.write_all(b",")?;
        }
        if self.depth <= LINE_DEPTH {
            writer.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Formatter for Lines {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
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
        self.open(writer, b"{")
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
        // A space after the colon only where lines break, for the eye.
        if self.depth <= LINE_DEPTH {
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
        runs: Vec<Run>,
        empty: Vec<Run>,
    }

    #[test]
    fn one_line_per_top_level_entry_and_per_run_in_field_order() {
        let doc = Doc {
            suite: "default",
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
        };
        let text = to_lines(&doc).unwrap();
        let expected = concat!(
            "{\n",
            "\"suite\": \"default\",\n",
            "\"runs\": [\n",
            "{\"name\":\"b\",\"metrics\":[1.5,-2.0]},\n",
            "{\"name\":\"a\",\"metrics\":[]}\n",
            "],\n",
            "\"empty\": []\n",
            "}\n",
        );
        assert_eq!(text, expected);
        // It is JSON, and the same value as the pretty form.
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, serde_json::to_value(&doc).unwrap());
    }
}
