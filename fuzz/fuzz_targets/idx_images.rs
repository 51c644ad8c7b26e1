//! Fuzzes `vaelab_mnist::idx::read_images` with the input as given (raw, or
//! gzip when it starts with `1f 8b`) and gzip-wrapped. Beyond "no panic, no
//! hang, no header-sized allocation", an accepted file must be consistent
//! and must read the same both ways and re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vaelab_fuzz::{BudgetAllocator, gzip, idx_budget, within_budget};
use vaelab_mnist::Encoding;
use vaelab_mnist::idx::{read_images, write_images};

#[global_allocator]
static ALLOCATOR: BudgetAllocator = BudgetAllocator;

fuzz_target!(|data: &[u8]| {
    let as_given = within_budget(idx_budget(data), || {
        let result = read_images(data, "fuzz-images");
        // Formatting the error is part of reporting it; it must not panic.
        let _ = result.as_ref().map_err(ToString::to_string);
        result
    });
    let wrapped = gzip(data);
    let via_gzip = within_budget(idx_budget(data), || {
        read_images(wrapped.as_slice(), "fuzz-images.gz")
    });
    if let Ok(images) = &as_given {
        assert!(images.rows > 0 && images.cols > 0);
        assert_eq!(
            images.pixels.len(),
            images.count * images.rows * images.cols
        );
    }
    // Input that is itself gzip is read decompressed as given but is
    // gzip-in-gzip when wrapped, so the two agree only on non-gzip input.
    if !data.starts_with(&[0x1f, 0x8b]) {
        assert_eq!(as_given.as_ref().ok(), via_gzip.as_ref().ok());
        if let Ok(images) = &as_given {
            let mut out = Vec::new();
            write_images(
                &mut out,
                Encoding::Raw,
                &images.pixels,
                images.rows,
                images.cols,
            )
            .expect("accepted images re-encode");
            assert_eq!(out, data, "re-encoding an accepted file changes it");
        }
    }
});
