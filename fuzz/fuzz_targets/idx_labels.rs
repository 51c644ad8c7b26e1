//! Fuzzes `vaelab_mnist::idx::read_labels` with the input as given (raw, or
//! gzip when it starts with `1f 8b`) and gzip-wrapped. Accepted labels must
//! all be digits, read the same both ways and re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vaelab_fuzz::{BudgetAllocator, gzip, idx_budget, within_budget};
use vaelab_mnist::idx::{read_labels, write_labels};
use vaelab_mnist::{Encoding, NUM_CLASSES};

#[global_allocator]
static ALLOCATOR: BudgetAllocator = BudgetAllocator;

fuzz_target!(|data: &[u8]| {
    let as_given = within_budget(idx_budget(data), || {
        let result = read_labels(data, "fuzz-labels");
        let _ = result.as_ref().map_err(ToString::to_string);
        result
    });
    let wrapped = gzip(data);
    let via_gzip = within_budget(idx_budget(data), || {
        read_labels(wrapped.as_slice(), "fuzz-labels.gz")
    });
    if let Ok(labels) = &as_given {
        assert!(labels.iter().all(|&l| usize::from(l) < NUM_CLASSES));
    }
    if !data.starts_with(&[0x1f, 0x8b]) {
        assert_eq!(as_given.as_ref().ok(), via_gzip.as_ref().ok());
        if let Ok(labels) = &as_given {
            let mut out = Vec::new();
            write_labels(&mut out, Encoding::Raw, labels).expect("accepted labels re-encode");
            assert_eq!(out, data, "re-encoding an accepted file changes it");
        }
    }
});
