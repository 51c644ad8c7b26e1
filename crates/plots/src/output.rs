//! Output formats and atomic file writing shared by every figure.
//!
//! A figure is rendered into a hidden temporary file in the destination's
//! directory and renamed over the destination only once it is complete, so a
//! reader never sees a half-written image.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::DrawFail;
use crate::{PlotError, font};

/// Largest accepted side of an output image, in pixels; a guard against sizes
/// computed from bad input that would allocate gigabytes.
pub(crate) const MAX_SIDE: u32 = 16_384;

/// An output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A raster image (PNG: palette, grayscale or RGB, whichever the image
    /// allows; see `png_out`).
    Png,
    /// A vector image; text stays text (`font-family: sans-serif`).
    Svg,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }
}

/// A figure of this crate, whatever its kind, as a value that can be kept in
/// a list and written out: a report can collect line charts, scatter charts
/// and image grids in one `Vec<Box<dyn Figure>>` and save them alike.
///
/// ```
/// use vaelab_plots::{Figure, Format, ImageGrid, LineChart, Series};
///
/// let mut chart = LineChart::new("loss", "iteration", "CE");
/// chart.series.push(Series::new("train", vec![(0.0, 2.0), (1.0, 1.0)]));
/// let grid = ImageGrid::new("digits", vec![vec![0.5; 4]; 2], 2);
/// let figures: Vec<Box<dyn Figure>> = vec![Box::new(chart), Box::new(grid)];
/// assert_eq!(figures[0].formats(), &[Format::Png, Format::Svg]);
/// assert_eq!(figures[1].formats(), &[Format::Png]);
///
/// let dir = tempfile::tempdir()?;
/// let written = figures[0].write(&dir.path().join("loss"))?;
/// assert_eq!(written.len(), 2);
/// let png_only = figures[0].write_only(&dir.path().join("loss-png"), &[Format::Png])?;
/// assert_eq!(png_only, vec![dir.path().join("loss-png.png")]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Figure: std::fmt::Debug + Send + Sync {
    /// The title, which names the figure in error messages.
    fn title(&self) -> &str;
    /// The formats the figure is written in: PNG and SVG for charts, PNG
    /// only for image grids (as SVG they would be one rectangle per pixel).
    fn formats(&self) -> &'static [Format];
    /// Writes `<stem>.<ext>` for each of [`formats`](Self::formats), in that
    /// order and atomically, and returns the paths written.
    fn write(&self, stem: &Path) -> Result<Vec<PathBuf>, PlotError>;
    /// [`write`](Self::write) in those of `formats` the figure offers only
    /// (a report may want a chart as PNG alone), in the figure's order.
    fn write_only(&self, stem: &Path, formats: &[Format]) -> Result<Vec<PathBuf>, PlotError>;
    /// The narrowest display width in CSS pixels with no text below 10 px
    /// (as the figure types' inherent `min_display_width`), available
    /// through `dyn Figure` too.
    fn min_display_width(&self) -> Result<u32, PlotError>;
}

/// What every figure type provides so that the output functions can draw it
/// onto any plotters backend.
pub(crate) trait Render {
    /// The title, used to name the figure in error messages.
    fn title(&self) -> &str;
    /// The size of the whole image in pixels (width, height).
    fn size(&self) -> Result<(u32, u32), PlotError>;
    /// Checks the data; drawing may assume it passed.
    fn validate(&self) -> Result<(), PlotError>;
    /// Draws the whole figure onto `area`, background included.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawFail>;
    /// The CSS font size in pixels of the smallest text the figure draws.
    fn min_text_css_px(&self) -> f64 {
        crate::style::Sizes::BASE.smallest_css_px()
    }
}

/// Checks a figure and its size before anything is drawn.
fn prepare<F: Render>(figure: &F) -> Result<(u32, u32), PlotError> {
    font::ensure_registered()?;
    figure.validate()?;
    let (width, height) = figure.size()?;
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(PlotError::invalid(
            figure.title(),
            format!("image size {width}x{height} is outside 1..={MAX_SIDE} pixels per side"),
        ));
    }
    Ok((width, height))
}

/// Writes `figure` as a PNG at `path`, atomically, in the smallest of the
/// encodings [`crate::png_out::encode`] chooses from.
pub(crate) fn save_png<F: Render>(figure: &F, path: &Path) -> Result<(), PlotError> {
    let (width, height) = prepare(figure)?;
    // Both sides are at most MAX_SIDE, so the buffer size fits in usize.
    let mut rgb = vec![0u8; 3 * width as usize * height as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        figure.draw(&root).map_err(|e| draw_error(path, e))?;
        root.present()
            .map_err(|e| draw_error(path, DrawFail::from(e)))?;
    }
    let bytes = crate::png_out::encode(&rgb, width, height).map_err(|e| PlotError::Draw {
        path: path.to_path_buf(),
        message: format!("PNG encoding failed: {e}"),
    })?;
    write_atomically(path, "png", |tmp| {
        fs::write(tmp, &bytes).map_err(|source| PlotError::Io {
            path: tmp.to_path_buf(),
            source,
        })
    })
}

/// The narrowest display width (CSS px) at which `figure` shows no text
/// smaller than 10 px.
pub(crate) fn min_display_width<F: Render>(figure: &F) -> Result<u32, PlotError> {
    let (width, _) = prepare(figure)?;
    Ok(crate::style::min_display_width(
        width,
        figure.min_text_css_px(),
    ))
}

/// Renders `figure` as an SVG document in memory (compacted, see
/// [`crate::svg_out::compact`]).
pub(crate) fn svg_string<F: Render>(figure: &F) -> Result<String, PlotError> {
    let size = prepare(figure)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        figure
            .draw(&root)
            .map_err(|e| draw_error(Path::new(""), e))?;
        root.present()
            .map_err(|e| draw_error(Path::new(""), DrawFail::from(e)))?;
    }
    Ok(crate::svg_out::compact(&svg))
}

/// Writes `figure` as an SVG file at `path`, atomically.
pub(crate) fn save_svg<F: Render>(figure: &F, path: &Path) -> Result<(), PlotError> {
    let svg = svg_string(figure)?;
    write_atomically(path, "svg", |tmp| {
        fs::write(tmp, svg.as_bytes()).map_err(|source| PlotError::Io {
            path: tmp.to_path_buf(),
            source,
        })
    })
}

/// Writes `stem.<ext>` for every format in `formats` and returns the paths.
pub(crate) fn save_formats<F: Render>(
    figure: &F,
    stem: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::with_capacity(formats.len());
    for &format in formats {
        let path = with_extension(stem, format);
        match format {
            Format::Png => save_png(figure, &path)?,
            Format::Svg => save_svg(figure, &path)?,
        }
        written.push(path);
    }
    Ok(written)
}

/// Appends `.png`/`.svg` to `stem` (keeping dots already in its file name,
/// such as `fig.v2`).
fn with_extension(stem: &Path, format: Format) -> PathBuf {
    let mut name = stem.as_os_str().to_owned();
    name.push(".");
    name.push(format.extension());
    PathBuf::from(name)
}

fn draw_error(path: &Path, fail: DrawFail) -> PlotError {
    PlotError::Draw {
        path: path.to_path_buf(),
        message: fail.0,
    }
}

/// Distinguishes temporary files of concurrent writes within one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Removes the temporary file unless the write completed.
struct TempGuard(PathBuf);

impl Drop for TempGuard {
    fn drop(&mut self) {
        // Best effort: the file may never have been created.
        let _ = fs::remove_file(&self.0);
    }
}

/// Calls `write` with a temporary path in the directory of `path` (created if
/// missing) whose extension is `ext` — plotters' PNG encoder picks the format
/// from it — then renames the result onto `path`.
fn write_atomically(
    path: &Path,
    ext: &str,
    write: impl FnOnce(&Path) -> Result<(), PlotError>,
) -> Result<(), PlotError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PlotError::Io { path, source }
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = path.file_name() else {
        return Err(PlotError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"),
        });
    };
    fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp.{ext}",
        name.to_string_lossy(),
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed),
    ));
    let guard = TempGuard(tmp);
    write(&guard.0)?;
    fs::rename(&guard.0, path).map_err(io_error(path))?;
    // The temporary file is now `path`; nothing left to clean up.
    std::mem::forget(guard);
    Ok(())
}

/// Gives a figure type [`Figure`] and `save_png`, and (when `svg` is given)
/// `save_svg`, `to_svg_string` and `save`, all delegating to this module.
macro_rules! figure_outputs {
    (@svg $figure:ty) => {
        impl $figure {
            /// Writes the figure as an SVG file at `path` (atomically).
            pub fn save_svg(
                &self,
                path: impl AsRef<std::path::Path>,
            ) -> Result<(), $crate::PlotError> {
                $crate::output::save_svg(self, path.as_ref())
            }

            /// Renders the figure as an SVG document in memory.
            pub fn to_svg_string(&self) -> Result<String, $crate::PlotError> {
                $crate::output::svg_string(self)
            }

            /// Writes `<stem>.png` and/or `<stem>.svg`, one per entry of
            /// `formats`, and returns the paths written.
            pub fn save(
                &self,
                stem: impl AsRef<std::path::Path>,
                formats: &[$crate::Format],
            ) -> Result<Vec<std::path::PathBuf>, $crate::PlotError> {
                $crate::output::save_formats(self, stem.as_ref(), formats)
            }
        }
    };
    ($figure:ty) => {
        $crate::output::figure_outputs!($figure, [$crate::Format::Png]);
    };
    ($figure:ty, svg) => {
        $crate::output::figure_outputs!($figure, [$crate::Format::Png, $crate::Format::Svg]);
        $crate::output::figure_outputs!(@svg $figure);
    };
    ($figure:ty, [$($format:expr),*]) => {
        impl $crate::Figure for $figure {
            fn title(&self) -> &str {
                $crate::output::Render::title(self)
            }

            fn formats(&self) -> &'static [$crate::Format] {
                &[$($format),*]
            }

            fn write(
                &self,
                stem: &std::path::Path,
            ) -> Result<Vec<std::path::PathBuf>, $crate::PlotError> {
                $crate::output::save_formats(self, stem, $crate::Figure::formats(self))
            }

            fn write_only(
                &self,
                stem: &std::path::Path,
                formats: &[$crate::Format],
            ) -> Result<Vec<std::path::PathBuf>, $crate::PlotError> {
                let wanted: Vec<$crate::Format> = $crate::Figure::formats(self)
                    .iter()
                    .copied()
                    .filter(|f| formats.contains(f))
                    .collect();
                $crate::output::save_formats(self, stem, &wanted)
            }

            fn min_display_width(&self) -> Result<u32, $crate::PlotError> {
                $crate::output::min_display_width(self)
            }
        }

        impl $figure {
            /// Writes the figure as a PNG file at `path` (atomically; missing
            /// parent directories are created).
            pub fn save_png(
                &self,
                path: impl AsRef<std::path::Path>,
            ) -> Result<(), $crate::PlotError> {
                $crate::output::save_png(self, path.as_ref())
            }

            /// The narrowest width, in CSS pixels, at which the image can be
            /// displayed with no text smaller than 10 px: show it at least
            /// this wide (or link to it from a smaller thumbnail). Fails like
            /// `save_png` on invalid data.
            pub fn min_display_width(&self) -> Result<u32, $crate::PlotError> {
                $crate::output::min_display_width(self)
            }
        }
    };
}
pub(crate) use figure_outputs;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn extension_is_appended_not_replaced() {
        let path = with_extension(Path::new("out/fig.v2"), Format::Svg);
        assert_eq!(path, PathBuf::from("out/fig.v2.svg"));
    }

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.png");
        let result = write_atomically(&target, "png", |tmp| {
            fs::write(tmp, b"partial").unwrap();
            Err(PlotError::invalid("t", "stop"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn successful_write_renames_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/x.svg");
        write_atomically(&target, "svg", |tmp| {
            fs::write(tmp, b"<svg/>").map_err(|source| PlotError::Io {
                path: tmp.to_path_buf(),
                source,
            })
        })
        .unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"<svg/>");
        assert_eq!(fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }
}
