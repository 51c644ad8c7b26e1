//! PNG encoding of rendered figures, as small as the image allows.
//!
//! Charts are drawn in a handful of colours plus the anti-aliased shades of
//! their text and lines: a few hundred colours, of which the 256 most common
//! cover more than 99 % of the pixels. Such images are written as palette
//! images (one byte per pixel instead of three); the rare remaining shades,
//! all on the fringes of anti-aliased edges, take the nearest palette
//! colour. A scatter plot of translucent dots has thousands of blends, but
//! almost all lie within a few levels of a common colour; it too becomes a
//! palette image when at most 1 % of its pixels would move farther than
//! that. Grey images (the image grids) are written as grayscale, anything
//! else (photographs, dense colour gradients) as RGB; always at the best
//! compression level of the `png` crate.

use std::collections::HashMap;

/// The most colours a PNG palette holds.
const PALETTE_MAX: usize = 256;

/// The share of pixels that must keep their colour or move to a palette
/// colour no farther than [`NEAR`] for an image with more than 256 colours
/// to be written as a palette image.
const PALETTE_COVER: f64 = 0.99;

/// Distance in RGB (Euclidean, 0..=441) within which a colour counts as
/// drawn unchanged when it takes its nearest palette colour: the blends of a
/// scatter plot's overlapping translucent dots differ from a common colour
/// by a few levels, invisible in a blend of two dots.
const NEAR: i32 = 12;

/// A palette for `rgb` and each pixel's index in it, or `None` if a palette
/// would change more than 1 % of the pixels. With at most 256 colours the
/// image is kept exactly; otherwise the 256 most common colours form the
/// palette and every other colour is drawn as its nearest (in RGB) entry.
fn palette(rgb: &[u8]) -> Option<(Vec<[u8; 3]>, Vec<u8>)> {
    let mut counts: HashMap<[u8; 3], usize> = HashMap::new();
    for p in rgb.chunks_exact(3) {
        *counts.entry([p[0], p[1], p[2]]).or_default() += 1;
    }
    let mut by_count: Vec<([u8; 3], usize)> = counts.into_iter().collect();
    // Most common first; ties by colour, so the output is deterministic.
    by_count.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let pixels = rgb.len() / 3;
    let colours: Vec<[u8; 3]> = by_count.iter().take(PALETTE_MAX).map(|c| c.0).collect();
    let mut index: HashMap<[u8; 3], u8> = HashMap::with_capacity(by_count.len());
    for (i, &colour) in (0u8..=u8::MAX).zip(&colours) {
        index.insert(colour, i);
    }
    let mut covered: usize = by_count.iter().take(PALETTE_MAX).map(|c| c.1).sum();
    for &(colour, count) in by_count.iter().skip(PALETTE_MAX) {
        let i = nearest(&colours, colour);
        if distance2(colours[usize::from(i)], colour) <= NEAR * NEAR {
            covered += count;
        }
        index.insert(colour, i);
    }
    // Pixel counts are far below 2^52: exact as f64.
    if (covered as f64) < PALETTE_COVER * pixels as f64 {
        return None;
    }
    let indices = rgb
        .chunks_exact(3)
        .map(|p| index.get(&[p[0], p[1], p[2]]).copied().unwrap_or(0))
        .collect();
    Some((colours, indices))
}

/// The squared RGB distance of two colours.
fn distance2(a: [u8; 3], b: [u8; 3]) -> i32 {
    (0..3)
        .map(|c| (i32::from(a[c]) - i32::from(b[c])).pow(2))
        .sum()
}

/// The index of the entry of `palette` (at most 256) closest to `colour`.
fn nearest(palette: &[[u8; 3]], colour: [u8; 3]) -> u8 {
    let distance = |p: &[u8; 3]| -> i32 { distance2(*p, colour) };
    (0u8..=u8::MAX)
        .zip(palette)
        .min_by_key(|(_, p)| distance(p))
        .map_or(0, |(i, _)| i)
}

/// Encodes the row-major 8-bit RGB image `rgb` (`width` × `height`) as PNG:
/// grayscale if every pixel is grey, a palette image if it has at most 256
/// colours, RGB otherwise.
pub(crate) fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let grey = rgb.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2]);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    let data: Vec<u8> = if grey {
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        rgb.chunks_exact(3).map(|p| p[0]).collect()
    } else if let Some((colours, indices)) = palette(rgb) {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(colours.concat());
        // Row filters predict smooth gradients; palette indices have none.
        encoder.set_filter(png::FilterType::NoFilter);
        indices
    } else {
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        rgb.to_vec()
    };
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Decodes `bytes` to its colour type and RGB pixels.
    fn decode(bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let colour_type = reader.info().color_type;
        let mut buffer = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buffer).unwrap();
        let data = &buffer[..info.buffer_size()];
        let rgb = match info.color_type {
            png::ColorType::Grayscale => data.iter().flat_map(|&v| [v, v, v]).collect(),
            png::ColorType::Rgb => data.to_vec(),
            other => panic!("unexpected decoded colour type {other:?}"),
        };
        (colour_type, rgb)
    }

    fn image(colours: usize, pixels: usize) -> Vec<u8> {
        (0..pixels)
            .flat_map(|i| {
                let c = i % colours;
                [(c % 256) as u8, (c / 256) as u8, 7]
            })
            .collect()
    }

    #[test]
    fn few_colours_make_a_palette_image_that_decodes_to_the_same_pixels() {
        let rgb = image(200, 40 * 30);
        let bytes = encode(&rgb, 40, 30).unwrap();
        assert_eq!(decode(&bytes), (png::ColorType::Indexed, rgb));
    }

    #[test]
    fn many_evenly_used_colours_stay_rgb() {
        // 400 colours, each on 3 pixels: the top 256 cover only 64 %.
        let rgb = image(400, 40 * 30);
        let bytes = encode(&rgb, 40, 30).unwrap();
        assert_eq!(decode(&bytes), (png::ColorType::Rgb, rgb));
    }

    #[test]
    fn rare_extra_colours_take_the_nearest_palette_colour() {
        // 256 common colours (20 pixels each) and 4 pixels of one more
        // colour, close to colour 10: 99.9 % coverage, so a palette image.
        let mut rgb = image(256, 80 * 64);
        let odd = [10, 1, 8];
        for p in rgb.chunks_exact_mut(3).skip(100).step_by(200).take(4) {
            p.copy_from_slice(&odd);
        }
        let bytes = encode(&rgb, 80, 64).unwrap();
        let (colour_type, decoded) = decode(&bytes);
        assert_eq!(colour_type, png::ColorType::Indexed);
        let changed: Vec<usize> = (0..80 * 64)
            .filter(|&i| decoded[3 * i..3 * i + 3] != rgb[3 * i..3 * i + 3])
            .collect();
        assert_eq!(changed.len(), 4, "only the rare colour changes");
        for i in changed {
            assert_eq!(decoded[3 * i..3 * i + 3], [10, 0, 7], "pixel {i}");
        }
    }

    #[test]
    fn many_colours_close_to_common_ones_make_a_palette_image() {
        // 256 common colours (16 pixels each), then 400 rare colours (one
        // pixel each, 9 % of the image) a few levels off a common one.
        let mut rgb = image(256, 256 * 16);
        let common = rgb.clone();
        for (k, p) in rgb.chunks_exact_mut(3).take(400).enumerate() {
            p[2] = 7 + 1 + (k % 5) as u8;
        }
        let bytes = encode(&rgb, 64, 64).unwrap();
        let (colour_type, decoded) = decode(&bytes);
        assert_eq!(colour_type, png::ColorType::Indexed);
        for (i, (d, c)) in decoded.chunks(3).zip(common.chunks(3)).enumerate() {
            assert_eq!(d, c, "pixel {i} takes its common colour back");
        }
        // The same rare pixels far from every common colour: RGB.
        for p in rgb.chunks_exact_mut(3).take(400) {
            p[2] = 200;
        }
        let bytes = encode(&rgb, 64, 64).unwrap();
        assert_eq!(decode(&bytes).0, png::ColorType::Rgb);
    }

    #[test]
    fn grey_images_become_grayscale() {
        let rgb: Vec<u8> = (0..600u32).flat_map(|i| [(i % 256) as u8; 3]).collect();
        let bytes = encode(&rgb, 30, 20).unwrap();
        assert_eq!(decode(&bytes), (png::ColorType::Grayscale, rgb));
    }
}
