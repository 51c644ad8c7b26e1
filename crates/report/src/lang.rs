//! The report's two editions: English and Japanese.
//!
//! The study vaelab reproduces was written in Japanese, so every report is
//! written twice: `index.html` / `report.md` in English and
//! `index.ja.html` / `report.ja.md` in Japanese, in the original report's
//! vocabulary (交差エントロピー, KLダイバージェンス, 潜在変数, 事後分布の崩壊 …).
//! Figures are shared: their labels are notation (CE, KL, z1, t) that reads
//! in both.
//!
//! Every sentence is written in both languages where it is made, with
//! [`tr!`](crate::tr): the two texts sit side by side, take the same
//! arguments, and a missing translation is a compile error rather than an
//! English sentence in the Japanese page.
//!
//! ```
//! use vaelab_report::lang::Lang;
//! use vaelab_report::tr;
//!
//! let runs = 12;
//! assert_eq!(tr!(Lang::En, "{runs} runs", "{runs} 件の実験"), "12 runs");
//! assert_eq!(tr!(Lang::Ja, "{runs} runs", "{runs} 件の実験"), "12 件の実験");
//! ```

/// A language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English: `index.html`, `report.md`.
    En,
    /// Japanese: `index.ja.html`, `report.ja.md`.
    Ja,
}

impl Lang {
    /// Both editions, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The BCP 47 code, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The HTML page of this edition.
    pub fn html_file(self) -> &'static str {
        match self {
            Lang::En => "index.html",
            Lang::Ja => "index.ja.html",
        }
    }

    /// The Markdown report of this edition.
    pub fn markdown_file(self) -> &'static str {
        match self {
            Lang::En => "report.md",
            Lang::Ja => "report.ja.md",
        }
    }

    /// The other edition.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Ja,
            Lang::Ja => Lang::En,
        }
    }

    /// The name of this edition, written in its own language.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// Picks the text of this language.
    pub fn pick<T>(self, en: T, ja: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }

    /// Joins a list the way the language does: "a, b and c" / "a、b、c".
    pub fn join(self, items: &[String]) -> String {
        match self {
            Lang::Ja => items.join("、"),
            Lang::En => match items {
                [] => String::new(),
                [one] => one.clone(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            },
        }
    }
}

/// `tr!(lang, "English {x}", "日本語 {x}", args…)`: formats the text of
/// `lang`. Both templates take the same arguments (inline names, or
/// positional ones after the templates), so neither can drift from the
/// numbers the other shows.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $en:literal, $ja:literal $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => format!($en),
            $crate::lang::Lang::Ja => format!($ja),
        }
    };
    ($lang:expr, $en:literal, $ja:literal, $($arg:tt)*) => {
        match $lang {
            $crate::lang::Lang::En => format!($en, $($arg)*),
            $crate::lang::Lang::Ja => format!($ja, $($arg)*),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn each_edition_has_its_own_files() {
        assert_ne!(Lang::En.html_file(), Lang::Ja.html_file());
        assert_ne!(Lang::En.markdown_file(), Lang::Ja.markdown_file());
        assert_eq!(Lang::Ja.other(), Lang::En);
        assert_eq!(Lang::En.other(), Lang::Ja);
    }

    #[test]
    fn positional_arguments_may_change_order() {
        let text = crate::tr!(Lang::Ja, "{} of {}", "{1} 件中 {0} 件", 3, 5);
        assert_eq!(text, "5 件中 3 件");
        assert_eq!(
            crate::tr!(Lang::En, "{} of {}", "{1} 件中 {0} 件", 3, 5),
            "3 of 5"
        );
    }

    #[test]
    fn lists_are_joined_in_each_language() {
        let items: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(Lang::En.join(&items), "a, b and c");
        assert_eq!(Lang::Ja.join(&items), "a、b、c");
        assert_eq!(Lang::En.join(&items[..1]), "a");
        assert_eq!(Lang::En.join(&[]), "");
    }
}
