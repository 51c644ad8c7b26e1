//! Shrinks the SVG that plotters writes without changing what it shows.
//!
//! Plotters spells out default attributes on every element (`opacity="1"`,
//! a stroke width on shapes without a stroke) and font sizes to 16 decimals;
//! on a scatter plot of a thousand dots that is a third of the file.
//! Coordinates are already whole pixels. Runs of filled, unstroked circles
//! with one opacity (a scatter plot's dots) move their shared attributes onto
//! a group: `fill-opacity` and `stroke` are inherited, and for a shape without
//! a stroke `fill-opacity` and `opacity` draw the same.

/// `svg` with default attributes dropped, font sizes rounded to 0.01 px and
/// runs of dots grouped. Only the inside of tags is touched: text content
/// (where `<` and `>` are escaped) is copied as is.
pub(crate) fn compact(svg: &str) -> String {
    group_dots(&compact_tags(svg))
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
        for line in &lines[i..i + run] {
            if let Some((geometry, fill, _)) = dot(line.trim_end()) {
                out.push_str(&format!("<circle {geometry} fill=\"{fill}\"/>\n"));
            }
        }
        out.push_str("</g>\n");
        i += run;
    }
    out
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
            "<circle cx=\"4\" cy=\"5\" r=\"3\" fill=\"#112233\"/>\n",
            "<circle cx=\"6\" cy=\"7\" r=\"3\" fill=\"#445566\"/>\n",
            "</g>\n",
            "<circle cx=\"8\" cy=\"9\" r=\"3\" opacity=\"0.8\" fill=\"#112233\" stroke=\"#000000\" stroke-width=\"1\"/>\n",
            "</svg>\n",
        );
        assert_eq!(compact(svg), expected);
    }
}
