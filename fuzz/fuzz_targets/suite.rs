//! Fuzzes `vaelab_vae::Suite::parse` (TOML, defaults merged into every run,
//! every run's config validated). Non-UTF-8 input is parsed lossily, as
//! U+FFFD stands for the bad bytes. An accepted suite must hold only valid,
//! uniquely identified runs (name and seed), and parsing its own source
//! again must give it back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vaelab_fuzz::{BASE_ALLOWANCE, BudgetAllocator, within_budget};
use vaelab_vae::Suite;

#[global_allocator]
static ALLOCATOR: BudgetAllocator = BudgetAllocator;

/// Parsing builds a tree and a few copies of the text per run (merged
/// tables, re-serialised TOML, error messages), so its allocations scale
/// with the text; no value in the file may size an allocation.
const BYTES_PER_INPUT_BYTE: usize = 64;

/// Grids and seeds multiply: a short file may expand to as many as
/// `MAX_RUNS` runs (10 000), each a few hundred bytes.
const EXPANSION_ALLOWANCE: usize = vaelab_vae::suite::MAX_RUNS * 1024;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let budget = BASE_ALLOWANCE + EXPANSION_ALLOWANCE + BYTES_PER_INPUT_BYTE * text.len();
    let parsed = within_budget(budget, || {
        let result = Suite::parse(&text, "fuzz.toml");
        let _ = result.as_ref().map_err(ToString::to_string);
        result
    });
    if let Ok(suite) = parsed {
        assert!(!suite.runs.is_empty());
        assert!(matches!(suite.dataset.as_str(), "mnist" | "fashion-mnist"));
        for (i, run) in suite.runs.iter().enumerate() {
            run.validate().expect("an accepted run is valid");
            assert!(suite.runs[..i].iter().all(|r| r.id() != run.id()));
        }
        let again = Suite::parse(&suite.source, "again.toml").expect("re-parse");
        assert_eq!(again, suite);
    }
});
