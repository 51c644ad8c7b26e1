//! Shrinks the SVG that plotters writes without changing what it shows.
//!
//! Plotters spells out default attributes on every element (`opacity="1"`,
//! a stroke width on shapes without a stroke) and font sizes to 16 decimals;
//! on a scatter plot of a thousand dots that is a third of the file.
//! Coordinates are already whole pixels.

/// `svg` with default attributes dropped and font sizes rounded to 0.01 px.
/// Only the inside of tags is touched: text content (where `<` and `>` are
/// escaped) is copied as is.
pub(crate) fn compact(svg: &str) -> String {
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
}
