//! Drops the points of a polyline or polygon that a viewer cannot see.
//!
//! A learning curve has a point per recorded iteration, a few pixels apart,
//! and after the first few hundred iterations most of them lie on a plateau:
//! a straight run of 150 points draws the same line as its two ends. A point
//! is dropped when it lies within [`TOLERANCE`] of the straight segment that
//! replaces it (and of no point before it that was dropped for the same
//! segment), so the drawn line moves by at most that much anywhere. Plotters
//! writes whole-pixel coordinates already, so there is no precision to cut
//! there; this is where the bytes of the comparison figures go.

/// How far (in pixels) a dropped point may lie from the line drawn instead:
/// a fifth of a pixel, below what anti-aliasing at 1× can show.
pub(crate) const TOLERANCE: f64 = 0.2;

/// Every `points="…"` attribute of a `<polyline>` or `<polygon>` tag in
/// `svg` (one tag per line, as plotters writes them) simplified by
/// [`simplify`]. A list that does not parse is left as it is.
pub(crate) fn simplify_points(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    for line in svg.split_inclusive('\n') {
        match simplified_line(line) {
            Some(l) => out.push_str(&l),
            None => out.push_str(line),
        }
    }
    out
}

/// `line` with its points simplified, if it is a polyline or polygon tag
/// whose points parse and lose at least one.
fn simplified_line(line: &str) -> Option<String> {
    if !(line.starts_with("<polyline ") || line.starts_with("<polygon ")) {
        return None;
    }
    let start = line.find(" points=\"")? + " points=\"".len();
    let len = line[start..].find('"')?;
    let text = &line[start..start + len];
    let mut points = Vec::new();
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        let (x, y) = word.split_once(',')?;
        points.push((x.parse::<f64>().ok()?, y.parse::<f64>().ok()?));
        words.push(word);
    }
    let kept = simplify(&points, TOLERANCE);
    if kept.len() == points.len() {
        return None;
    }
    // The kept points as plotters wrote them (a trailing space, as before).
    let list: String = kept.iter().map(|&i| format!("{} ", words[i])).collect();
    Some(format!(
        "{}{}{}",
        &line[..start],
        list,
        &line[start + len..]
    ))
}

/// Indices of the points of `points` to keep: the first, the last, and
/// every point where the line turns by more than `tolerance`. Greedy: from
/// each kept point the segment is extended as far as every point it skips
/// stays within `tolerance` of it (and projects inside it, so a line that
/// doubles back keeps its turning point).
pub(crate) fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<usize> {
    if points.len() <= 2 {
        return (0..points.len()).collect();
    }
    let mut kept = vec![0];
    let mut anchor = 0;
    let mut end = 2;
    while end < points.len() {
        let fits =
            (anchor + 1..end).all(|i| near(points[anchor], points[end], points[i], tolerance));
        if !fits {
            // The point before `end` is the farthest the segment reaches.
            anchor = end - 1;
            kept.push(anchor);
        }
        end += 1;
    }
    kept.push(points.len() - 1);
    kept
}

/// Whether `q` lies within `tolerance` of the segment from `a` to `b`.
fn near(a: (f64, f64), b: (f64, f64), q: (f64, f64), tolerance: f64) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (qx, qy) = (q.0 - a.0, q.1 - a.1);
    let length2 = dx * dx + dy * dy;
    if length2 == 0.0 {
        return qx * qx + qy * qy <= tolerance * tolerance;
    }
    // Position along the segment: outside [0, 1] the point sticks out past
    // an end, which a straight segment would not draw.
    let t = (qx * dx + qy * dy) / length2;
    if !(0.0..=1.0).contains(&t) {
        return false;
    }
    let cross = qx * dy - qy * dx;
    cross * cross <= tolerance * tolerance * length2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_run_collapses_to_its_ends_and_a_corner_survives() {
        let straight: Vec<(f64, f64)> = (0..50).map(|i| (i as f64 * 3.0, 100.0)).collect();
        assert_eq!(simplify(&straight, TOLERANCE), vec![0, 49]);
        // A slanted line on whole pixels: every point within 0.2 px of the
        // line through the ends.
        let slanted: Vec<(f64, f64)> = (0..20).map(|i| (i as f64 * 4.0, i as f64)).collect();
        assert_eq!(simplify(&slanted, TOLERANCE), vec![0, 19]);
        // An L: the corner stays, the points on each leg go.
        let mut corner: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 0.0)).collect();
        corner.extend((1..10).map(|i| (9.0, i as f64)));
        assert_eq!(simplify(&corner, TOLERANCE), vec![0, 9, 18]);
    }

    #[test]
    fn a_one_pixel_step_and_a_reversal_are_kept() {
        // A plateau that steps down by one pixel keeps both ends of the step.
        let step = [(0.0, 5.0), (3.0, 5.0), (6.0, 5.0), (9.0, 6.0), (12.0, 6.0)];
        assert_eq!(simplify(&step, TOLERANCE), vec![0, 2, 3, 4]);
        // A line that goes out and comes back along itself keeps its tip.
        let back = [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (4.0, 0.0)];
        assert_eq!(simplify(&back, TOLERANCE), vec![0, 2, 3]);
    }

    #[test]
    fn a_slow_curve_does_not_drift_past_the_tolerance() {
        // A parabola on a fine grid: each point is near the line through
        // its neighbours, but not all of them near one long chord.
        let curve: Vec<(f64, f64)> = (0..200)
            .map(|i| {
                let x = i as f64;
                (x, x * x / 400.0)
            })
            .collect();
        let kept = simplify(&curve, TOLERANCE);
        assert!(kept.len() > 5 && kept.len() < 100, "{kept:?}");
        for w in kept.windows(2) {
            for i in w[0]..w[1] {
                let (a, b) = (curve[w[0]], curve[w[1]]);
                assert!(near(a, b, curve[i], TOLERANCE + 1e-9), "point {i}");
            }
        }
    }

    #[test]
    fn only_polyline_and_polygon_points_change() {
        let svg = concat!(
            "<polyline fill=\"none\" stroke=\"#0072B2\" points=\"1,2 4,2 7,2 7,9 \"/>\n",
            "<polygon opacity=\"0.18\" fill=\"#0072B2\" points=\"0,0 5,0 10,0 10,4 \"/>\n",
            "<polyline fill=\"none\" points=\"1,2 4,3 \"/>\n",
            "<text x=\"1\">\npoints=\"1,2 4,2 7,2\"\n</text>\n",
        );
        let expected = concat!(
            "<polyline fill=\"none\" stroke=\"#0072B2\" points=\"1,2 7,2 7,9 \"/>\n",
            "<polygon opacity=\"0.18\" fill=\"#0072B2\" points=\"0,0 10,0 10,4 \"/>\n",
            "<polyline fill=\"none\" points=\"1,2 4,3 \"/>\n",
            "<text x=\"1\">\npoints=\"1,2 4,2 7,2\"\n</text>\n",
        );
        assert_eq!(simplify_points(svg), expected);
    }
}
