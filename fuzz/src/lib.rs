//! `vaelab-fuzz`: what the fuzz targets share. It depends on `vaelab-mnist`
//! (the IDX reader under test and its writer, for seeds and round trips),
//! `vaelab-vae` (the suite parser) and `flate2` (to gzip-wrap inputs).
//!
//! The main piece is [`BudgetAllocator`], a global allocator that aborts the
//! process when one allocation is larger than the budget of the input being
//! parsed. libFuzzer reports the abort as a crash, so a reader that sizes a
//! buffer from a header instead of from the bytes that actually arrived is a
//! finding, not a slow test. The budget is what the input could honestly
//! need: a small fixed allowance for decoder state, plus twice the largest
//! payload the input can hold (twice because a growing `Vec` doubles).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::Compression;
use flate2::write::GzEncoder;

/// Allowance for allocations whose size does not depend on the input:
/// flate2's inflate state and window (about 50 KiB), error messages, the
/// reader's boxes. Generous, yet far below any header-driven buffer.
pub const BASE_ALLOWANCE: usize = 256 << 10;

/// The most bytes one byte of deflate data can expand to (DEFLATE's limit is
/// 258 bytes per 2 bits, about 1032:1).
pub const MAX_INFLATE_RATIO: usize = 1032;

/// Environment variable adding bytes to every budget. Zero by default; set
/// it only to tolerate a known finding while its fix is pending, so that the
/// fuzzer can explore past it (see README.md).
pub const ALLOWANCE_VAR: &str = "VAELAB_FUZZ_EXTRA_ALLOWANCE";

/// No budget: allocations of any size pass.
const UNLIMITED: usize = usize::MAX;

static BUDGET: AtomicUsize = AtomicUsize::new(UNLIMITED);

/// A global allocator that forwards to the system allocator but aborts on a
/// single allocation above the current budget (see [`within_budget`]).
#[derive(Debug)]
pub struct BudgetAllocator;

// SAFETY: every method forwards to `System` with the caller's arguments,
// after a check that only reads an atomic (or aborts).
unsafe impl GlobalAlloc for BudgetAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        // SAFETY: as for `alloc`; `ptr` and `layout` come from this allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` through this allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn check(size: usize) {
    let budget = BUDGET.load(Ordering::Relaxed);
    if size > budget {
        over_budget(size, budget);
    }
}

#[cold]
fn over_budget(size: usize, budget: usize) -> ! {
    // Lift the budget first: formatting the message may allocate.
    BUDGET.store(UNLIMITED, Ordering::Relaxed);
    let _ = writeln!(
        std::io::stderr(),
        "vaelab-fuzz: allocation of {size} bytes exceeds this input's budget of {budget} bytes \
         (a size taken from the input's header, not from its data?)"
    );
    std::process::abort();
}

/// The extra allowance from [`ALLOWANCE_VAR`], read once (before any budget
/// is in force, because reading the environment allocates).
fn extra_allowance() -> usize {
    static EXTRA: OnceLock<usize> = OnceLock::new();
    *EXTRA.get_or_init(|| {
        std::env::var(ALLOWANCE_VAR)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    })
}

/// Runs `f` with every single allocation limited to `budget` bytes (plus
/// the extra allowance), then lifts the limit.
pub fn within_budget<T>(budget: usize, f: impl FnOnce() -> T) -> T {
    struct Lift;
    impl Drop for Lift {
        fn drop(&mut self) {
            BUDGET.store(UNLIMITED, Ordering::Relaxed);
        }
    }
    let limit = budget.saturating_add(extra_allowance());
    BUDGET.store(limit, Ordering::Relaxed);
    let _lift = Lift;
    f()
}

/// The budget for reading `input` as an IDX file: its payload is at most
/// the input itself, or, when it starts with the gzip magic, what its bytes
/// can inflate to.
pub fn idx_budget(input: &[u8]) -> usize {
    let most = if input.starts_with(&[0x1f, 0x8b]) {
        input.len().saturating_mul(MAX_INFLATE_RATIO)
    } else {
        input.len()
    };
    BASE_ALLOWANCE.saturating_add(most.saturating_mul(2))
}

/// `bytes` inside a gzip stream (allocates; call it outside a budget).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    // Writing to a `Vec` cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}
