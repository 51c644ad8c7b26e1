//! Merges runs of same-style shapes of an SVG into one `<path>` each.
//!
//! Plotters writes one element per grid line, per dash of a dashed curve and
//! per histogram bar, each repeating its whole style; a dashed curve of 200
//! points is a hundred `<polyline>` elements. Consecutive elements (one per
//! line, as plotters writes them) with the same attributes become the
//! subpaths of one `<path>`, which draws the same picture as long as no two
//! of them overlap while semi-transparent: an opaque shape painted twice
//! looks like one painted once, a translucent one does not. So shapes with an
//! `opacity` merge only when they cannot overlap — lines all horizontal or
//! all vertical at distinct positions, rectangles with disjoint interiors.
//! Paint order between different styles is kept, since only neighbours
//! merge.

/// One shape of a line of the SVG: its style (the attributes that are not
/// geometry, as written) and its path data.
struct Shape<'a> {
    style: String,
    /// `fill="none"` must be added: a `<line>` has no fill, a path would.
    add_no_fill: bool,
    data: String,
    /// For translucent shapes, what must not overlap within a merged run.
    extent: Extent,
    tag: &'a str,
}

/// Where a shape lies, as far as overlap checks need it.
#[derive(Clone, Copy, PartialEq)]
enum Extent {
    /// Opaque: overlaps do not matter.
    Opaque,
    /// A translucent horizontal line at this y.
    Horizontal(i64),
    /// A translucent vertical line at this x.
    Vertical(i64),
    /// A translucent rectangle (x0, y0, x1, y1).
    Rect(f64, f64, f64, f64),
    /// Translucent and not checkable: never merged.
    Unknown,
}

/// The attributes of a self-closing tag `<name a="v" .../>`, in order.
fn attributes<'a>(tag: &'a str, name: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut rest = tag
        .strip_prefix('<')?
        .strip_prefix(name)?
        .strip_suffix("/>")?;
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(out);
        }
        let eq = rest.find("=\"")?;
        let key = &rest[..eq];
        let value_start = eq + 2;
        let len = rest[value_start..].find('"')?;
        if key.contains(['<', '>', '"', ' ']) {
            return None;
        }
        out.push((key, &rest[value_start..value_start + len]));
        rest = &rest[value_start + len + 1..];
    }
}

/// The attributes other than `geometry`, written back as a style string.
fn style(attrs: &[(&str, &str)], geometry: &[&str]) -> String {
    attrs
        .iter()
        .filter(|(k, _)| !geometry.contains(k))
        .map(|(k, v)| format!(" {k}=\"{v}\""))
        .collect()
}

fn get<'a>(attrs: &[(&'a str, &'a str)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn translucent(attrs: &[(&str, &str)]) -> bool {
    attrs
        .iter()
        .any(|(k, v)| k.ends_with("opacity") && *v != "1")
}

/// The shape a line of the SVG draws, if it is one this module merges.
fn shape(line: &str) -> Option<Shape<'_>> {
    let tag = line.trim_end();
    if let Some(attrs) = attributes(tag, "polyline") {
        let points = get(&attrs, "points")?;
        let mut data = String::from("M");
        for (i, point) in points.split_whitespace().enumerate() {
            let (x, y) = point.split_once(',')?;
            if i > 0 {
                data.push(' ');
            }
            data.push_str(&format!("{x} {y}"));
        }
        let extent = if translucent(&attrs) {
            Extent::Unknown
        } else {
            Extent::Opaque
        };
        return Some(Shape {
            style: style(&attrs, &["points"]),
            add_no_fill: false,
            data,
            extent,
            tag,
        });
    }
    if let Some(attrs) = attributes(tag, "line") {
        let [x1, y1, x2, y2] = ["x1", "y1", "x2", "y2"].map(|k| get(&attrs, k));
        let (x1, y1, x2, y2) = (x1?, y1?, x2?, y2?);
        let extent = if !translucent(&attrs) {
            Extent::Opaque
        } else {
            match [x1, y1, x2, y2].map(|v| v.parse::<i64>().ok()) {
                [_, Some(a), _, Some(b)] if a == b && x1 != x2 => Extent::Horizontal(a),
                [Some(a), _, Some(b), _] if a == b && y1 != y2 => Extent::Vertical(a),
                _ => Extent::Unknown,
            }
        };
        return Some(Shape {
            style: style(&attrs, &["x1", "y1", "x2", "y2"]),
            add_no_fill: get(&attrs, "fill").is_none(),
            data: format!("M{x1} {y1} {x2} {y2}"),
            extent,
            tag,
        });
    }
    if let Some(attrs) = attributes(tag, "rect") {
        // Only filled rectangles: a stroke's corners would join differently.
        if get(&attrs, "stroke") != Some("none") || attrs.iter().any(|(k, _)| k.starts_with("r")) {
            return None;
        }
        let [x, y, w, h] = ["x", "y", "width", "height"].map(|k| get(&attrs, k));
        let (x, y, w, h) = (x?, y?, w?, h?);
        let extent = if !translucent(&attrs) {
            Extent::Opaque
        } else {
            match [x, y, w, h].map(|v| v.parse::<f64>().ok()) {
                [Some(x), Some(y), Some(w), Some(h)] => Extent::Rect(x, y, x + w, y + h),
                _ => Extent::Unknown,
            }
        };
        return Some(Shape {
            style: style(&attrs, &["x", "y", "width", "height"]),
            add_no_fill: false,
            data: format!("M{x} {y}h{w}v{h}h-{w}z"),
            extent,
            tag,
        });
    }
    None
}

/// Whether `next` may join a run of `run`'s shapes without overlapping a
/// translucent one.
fn may_join(run: &[Shape<'_>], next: &Shape<'_>) -> bool {
    let Some(first) = run.first() else {
        return true;
    };
    if first.style != next.style || first.add_no_fill != next.add_no_fill {
        return false;
    }
    run.iter().all(|s| match (s.extent, next.extent) {
        (Extent::Opaque, Extent::Opaque) => true,
        (Extent::Horizontal(a), Extent::Horizontal(b)) => a != b,
        (Extent::Vertical(a), Extent::Vertical(b)) => a != b,
        (Extent::Rect(a0, b0, a1, b1), Extent::Rect(c0, d0, c1, d1)) => {
            a1 <= c0 || c1 <= a0 || b1 <= d0 || d1 <= b0
        }
        _ => false,
    })
}

/// Longest run checked for overlaps (the check is quadratic).
const MAX_RUN: usize = 512;

/// `svg` with each run of two or more mergeable shapes written as one path.
pub(crate) fn merge_shapes(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut run: Vec<Shape<'_>> = Vec::new();
    for line in svg.split_inclusive('\n') {
        match shape(line) {
            Some(next) if run.len() < MAX_RUN && may_join(&run, &next) => run.push(next),
            next => {
                flush(&mut out, &mut run);
                match next {
                    Some(next) => run.push(next),
                    None => out.push_str(line),
                }
            }
        }
    }
    flush(&mut out, &mut run);
    out
}

fn flush(out: &mut String, run: &mut Vec<Shape<'_>>) {
    match run.as_slice() {
        [] => {}
        [only] => {
            out.push_str(only.tag);
            out.push('\n');
        }
        [first, ..] => {
            let fill = if first.add_no_fill {
                " fill=\"none\""
            } else {
                ""
            };
            let data: Vec<&str> = run.iter().map(|s| s.data.as_str()).collect();
            out.push_str(&format!(
                "<path{fill}{} d=\"{}\"/>\n",
                first.style,
                data.join("")
            ));
        }
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_style_polylines_become_one_path_and_others_stay() {
        let svg = concat!(
            "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"3\" points=\"1,2 3,4 \"/>\n",
            "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"3\" points=\"5,6 7,8 9,10 \"/>\n",
            "<polyline fill=\"none\" stroke=\"#D55E00\" stroke-width=\"3\" points=\"1,1 2,2 \"/>\n",
            "<text x=\"1\">\nt\n</text>\n",
        );
        let expected = concat!(
            "<path fill=\"none\" stroke=\"#0072B2\" stroke-width=\"3\" d=\"M1 2 3 4M5 6 7 8 9 10\"/>\n",
            "<polyline fill=\"none\" stroke=\"#D55E00\" stroke-width=\"3\" points=\"1,1 2,2 \"/>\n",
            "<text x=\"1\">\nt\n</text>\n",
        );
        assert_eq!(merge_shapes(svg), expected);
    }

    #[test]
    fn translucent_grid_lines_merge_by_direction_only() {
        let line = |x1, y1, x2, y2| {
            format!(
                "<line opacity=\"0.15\" stroke=\"#000000\" stroke-width=\"1\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"/>\n"
            )
        };
        let svg = [
            line(1, 9, 1, 0),
            line(5, 9, 5, 0),
            line(0, 3, 9, 3),
            line(0, 7, 9, 7),
            line(0, 7, 9, 7),
        ]
        .concat();
        let style = "opacity=\"0.15\" stroke=\"#000000\" stroke-width=\"1\"";
        let expected = format!(
            "<path fill=\"none\" {style} d=\"M1 9 1 0M5 9 5 0\"/>\n\
             <path fill=\"none\" {style} d=\"M0 3 9 3M0 7 9 7\"/>\n{}",
            line(0, 7, 9, 7)
        );
        assert_eq!(merge_shapes(&svg), expected);
    }

    #[test]
    fn translucent_bars_merge_unless_they_overlap() {
        let bar = |x, w| {
            format!(
                "<rect x=\"{x}\" y=\"10\" width=\"{w}\" height=\"5\" opacity=\"0.3\" fill=\"#0072B2\" stroke=\"none\"/>\n"
            )
        };
        let svg = [bar(0, 4), bar(4, 4), bar(6, 4)].concat();
        let expected = format!(
            "<path opacity=\"0.3\" fill=\"#0072B2\" stroke=\"none\" d=\"M0 10h4v5h-4zM4 10h4v5h-4z\"/>\n{}",
            bar(6, 4)
        );
        assert_eq!(merge_shapes(&svg), expected);
        // A stroked rectangle is left alone.
        let framed = "<rect x=\"0\" y=\"0\" width=\"4\" height=\"4\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>\n";
        assert_eq!(
            merge_shapes(&[framed, framed].concat()),
            [framed, framed].concat()
        );
    }
}
