//! Shrinks the SVG that plotters writes without changing what it shows.
//!
//! Plotters spells out default attributes on every element (`opacity="1"`,
//! a stroke width on shapes without a stroke) and font sizes to 16 decimals;
//! on a scatter plot of a thousand dots that is a third of the file.
//! Coordinates are already whole pixels. Runs of filled, unstroked circles
//! with one opacity (a scatter plot's dots) move their shared attributes onto
//! a group: `fill-opacity` and `stroke` are inherited, and for a shape without
//! a stroke `fill-opacity` and `opacity` draw the same.

/// `svg` with default attributes dropped, font sizes rounded to 0.01 px,
/// text's font family set once on the root, polyline and polygon points
/// that lie within 0.2 px of the line drawn without them dropped, runs of same-style strokes and
/// rectangles merged into paths and runs of dots grouped. Only the inside of
/// tags is touched: text content (where `<` and `>` are escaped) is copied
/// as is.
pub(crate) fn compact(svg: &str) -> String {
    let svg = hoist_font_family(&compact_tags(svg));
    let svg = crate::svg_simplify::simplify_points(&svg);
    group_dots(&crate::svg_paths::merge_shapes(&svg))
}

/// The family plotters writes on every text element.
const FAMILY: &str = " font-family=\"sans-serif\"";

/// Moves `font-family="sans-serif"` from every `<text>` tag onto the root
/// `<svg>` tag, from which text inherits it, and drops `fill="#000000"` from
/// text tags: black is the initial fill, and plotters never nests text in a
/// group that sets another.
fn hoist_font_family(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut hoisted = false;
    for line in svg.split_inclusive('\n') {
        if line.starts_with("<text ") {
            let mut tag = line.to_string();
            if let Some(end) = tag.find('>') {
                let head = tag[..end]
                    .replace(FAMILY, "")
                    .replace(" fill=\"#000000\"", "");
                hoisted |= head.len() != end;
                tag.replace_range(..end, &head);
            }
            out.push_str(&tag);
        } else {
            out.push_str(line);
        }
    }
    if hoisted && let Some(root) = out.find("<svg ") {
        out.insert_str(root + "<svg".len(), FAMILY);
    }
    out
}

/// The shared part of a dot: `(cx cy r, fill, opacity)` of a line holding
/// `<circle cx=".." cy=".." r=".." [opacity=".."] fill="#.." stroke="none"/>`.
fn dot(line: &str) -> Option<(&str, &str, &str)> {
    let rest = line
        .strip_prefix("<circle ")?
        .strip_suffix(" stroke=\"none\"/>")?;
    let (geometry, rest) = rest.split_at(rest.find(" r=\"")? + 4);
    let r_end = rest.find('"')? + 1;
    let geometry = &line["<circle ".len().."<circle ".len() + geometry.len() + r_end];
    let rest = &rest[r_end..];
    let (opacity, fill) = match rest.strip_prefix(" opacity=\"") {
        Some(o) => {
            let end = o.find('"')?;
            (&o[..end], o[end + 1..].strip_prefix(" fill=\"")?)
        }
        None => ("1", rest.strip_prefix(" fill=\"")?),
    };
    let fill = fill.strip_suffix('"')?;
    if fill.contains('"') || geometry.contains('>') {
        return None;
    }
    Some((geometry, fill, opacity))
}

/// Wraps each run of two or more dots of one opacity (one per line, as
/// plotters writes them) in `<g fill-opacity=".." stroke="none">`.
fn group_dots(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut ids = 0;
    let next_id = &mut ids;
    let lines: Vec<&str> = svg.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let opacity = dot(lines[i].trim_end()).map(|d| d.2);
        let run = opacity.map_or(0, |o| {
            lines[i..]
                .iter()
                .take_while(|l| dot(l.trim_end()).is_some_and(|d| d.2 == o))
                .count()
        });
        if run < 2 {
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        let opacity = opacity.unwrap_or("1");
        out.push_str(&format!("<g fill-opacity=\"{opacity}\" stroke=\"none\">\n"));
        // Each distinct dot (radius and colour) is defined once and placed
        // by `<use>`, which inherits the group's opacity like the circle.
        let mut shapes: Vec<(String, String)> = Vec::new();
        let mut uses = String::new();
        for line in &lines[i..i + run] {
            let Some((geometry, fill, _)) = dot(line.trim_end()) else {
                continue;
            };
            match centre_and_radius(geometry) {
                Some((cx, cy, r)) => {
                    let shape = (r.to_string(), fill.to_string());
                    let k = shapes.iter().position(|s| *s == shape).unwrap_or_else(|| {
                        shapes.push(shape);
                        shapes.len() - 1
                    });
                    uses.push_str(&format!(
                        "<use href=\"#{}\" x=\"{cx}\" y=\"{cy}\"/>\n",
                        dot_id(*next_id + k)
                    ));
                }
                None => uses.push_str(&format!("<circle {geometry} fill=\"{fill}\"/>\n")),
            }
        }
        if !shapes.is_empty() {
            out.push_str("<defs>");
            for (k, (r, fill)) in shapes.iter().enumerate() {
                let id = dot_id(*next_id + k);
                out.push_str(&format!("<circle id=\"{id}\" r=\"{r}\" fill=\"{fill}\"/>"));
            }
            out.push_str("</defs>\n");
            *next_id += shapes.len();
        }
        out.push_str(&uses);
        out.push_str("</g>\n");
        i += run;
    }
    out
}

/// `(cx, cy, r)` of a dot's `cx=".." cy=".." r=".."`.
fn centre_and_radius(geometry: &str) -> Option<(&str, &str, &str)> {
    let value = |name: &str| {
        let start = geometry.find(name)? + name.len();
        let len = geometry[start..].find('"')?;
        Some(&geometry[start..start + len])
    };
    Some((value("cx=\"")?, value("cy=\"")?, value(" r=\"")?))
}

/// The id of the `k`-th dot shape of a document.
fn dot_id(k: usize) -> String {
    format!("d{k}")
}

/// [`compact_tag`] applied to every tag of `svg`.
fn compact_tags(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        out.push_str(&compact_tag(&rest[start..=start + len]));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// One tag, `<` to `>`, compacted.
fn compact_tag(tag: &str) -> String {
    let mut tag = tag
        .replace(" opacity=\"1\"", "")
        .replace(" stroke=\"none\" stroke-width=\"1\"", " stroke=\"none\"");
    if let Some(start) = tag.find("font-size=\"").map(|i| i + "font-size=\"".len())
        && let Some(len) = tag[start..].find('"')
        && let Ok(size) = tag[start..start + len].parse::<f64>()
    {
        let rounded = format!("{:.2}", size);
        let rounded = rounded.trim_end_matches('0').trim_end_matches('.');
        tag.replace_range(start..start + len, rounded);
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_defaults_and_rounds_font_sizes_in_tags_only() {
        let svg = concat!(
            "<svg width=\"10\">\n",
            "<circle cx=\"1\" cy=\"2\" r=\"3\" opacity=\"1\" fill=\"#000000\" stroke=\"none\" stroke-width=\"1\"/>\n",
            "<rect opacity=\"0.5\" fill-opacity=\"1\" stroke=\"#FF0000\" stroke-width=\"1\"/>\n",
            "<text x=\"1\" font-size=\"17.741935483870968\" opacity=\"1\">\n",
            "a opacity=\"1\" &lt;b&gt;\n",
            "</text>\n</svg>\n",
        );
        let expected = concat!(
            "<svg width=\"10\">\n",
            "<circle cx=\"1\" cy=\"2\" r=\"3\" fill=\"#000000\" stroke=\"none\"/>\n",
            "<rect opacity=\"0.5\" fill-opacity=\"1\" stroke=\"#FF0000\" stroke-width=\"1\"/>\n",
            "<text x=\"1\" font-size=\"17.74\">\n",
            "a opacity=\"1\" &lt;b&gt;\n",
            "</text>\n</svg>\n",
        );
        assert_eq!(compact(svg), expected);
    }

    #[test]
    fn text_takes_its_family_from_the_root() {
        let svg = concat!(
            "<svg width=\"10\">\n",
            "<text x=\"1\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#000000\">\n",
            "a fill=\"#000000\"\n</text>\n",
            "<text x=\"2\" font-family=\"serif\" fill=\"#FF0000\">\nb\n</text>\n</svg>\n",
        );
        let expected = concat!(
            "<svg font-family=\"sans-serif\" width=\"10\">\n",
            "<text x=\"1\" font-size=\"15\">\n",
            "a fill=\"#000000\"\n</text>\n",
            "<text x=\"2\" font-family=\"serif\" fill=\"#FF0000\">\nb\n</text>\n</svg>\n",
        );
        assert_eq!(compact(svg), expected);
    }

    #[test]
    fn runs_of_dots_share_a_group() {
        let svg = concat!(
            "<svg>\n",
            "<circle cx=\"1\" cy=\"2\" r=\"3\" fill=\"#000000\" stroke=\"none\"/>\n",
            "<circle cx=\"4\" cy=\"5\" r=\"3\" opacity=\"0.8\" fill=\"#112233\" stroke=\"none\" stroke-width=\"1\"/>\n",
            "<circle cx=\"6\" cy=\"7\" r=\"3\" opacity=\"0.8\" fill=\"#445566\" stroke=\"none\" stroke-width=\"1\"/>\n",
            "<circle cx=\"8\" cy=\"9\" r=\"3\" opacity=\"0.8\" fill=\"#112233\" stroke=\"#000000\" stroke-width=\"1\"/>\n",
            "</svg>\n",
        );
        let expected = concat!(
            "<svg>\n",
            "<circle cx=\"1\" cy=\"2\" r=\"3\" fill=\"#000000\" stroke=\"none\"/>\n",
            "<g fill-opacity=\"0.8\" stroke=\"none\">\n",
            "<defs><circle id=\"d0\" r=\"3\" fill=\"#112233\"/>",
            "<circle id=\"d1\" r=\"3\" fill=\"#445566\"/></defs>\n",
            "<use href=\"#d0\" x=\"4\" y=\"5\"/>\n",
            "<use href=\"#d1\" x=\"6\" y=\"7\"/>\n",
            "</g>\n",
            "<circle cx=\"8\" cy=\"9\" r=\"3\" opacity=\"0.8\" fill=\"#112233\" stroke=\"#000000\" stroke-width=\"1\"/>\n",
            "</svg>\n",
        );
        assert_eq!(compact(svg), expected);
    }
}
