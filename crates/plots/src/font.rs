//! Registers the embedded DejaVu Sans faces with plotters, once per process.
//!
//! Plotters' `ab_glyph` text backend knows no fonts until one is registered
//! from bytes; embedding the faces means text renders the same on machines
//! without any system fonts (CI, containers).

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use crate::PlotError;

/// The family name every text style of this crate uses.
pub(crate) const FAMILY: &str = "sans-serif";

/// The outcome of the one registration, kept so every later call sees it.
static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers DejaVu Sans (regular and bold) under [`FAMILY`] the first time it
/// is called; later calls return the first outcome.
pub(crate) fn ensure_registered() -> Result<(), PlotError> {
    REGISTERED
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular())
                .map_err(|_| "DejaVu Sans regular is not a valid font".to_string())?;
            register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold())
                .map_err(|_| "DejaVu Sans bold is not a valid font".to_string())
        })
        .clone()
        .map_err(PlotError::Font)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use plotters::style::IntoFont;

    #[test]
    fn registered_font_measures_text() {
        ensure_registered().unwrap();
        // A wider string must measure wider: this fails if no font is found.
        let font = (FAMILY, 20.0).into_font();
        let (narrow, _) = font.box_size("i").unwrap();
        let (wide, height) = font.box_size("WWWW").unwrap();
        assert!(wide > 4 * narrow, "{wide} vs {narrow}");
        assert!(height > 10);
    }

    #[test]
    fn registration_is_idempotent() {
        ensure_registered().unwrap();
        ensure_registered().unwrap();
    }
}
