//! Inputs found by the fuzz targets in `fuzz/`, replayed so that a fix stays
//! fixed. The fuzzers run under an allocator that fails any allocation larger
//! than what the input's bytes could need; this file installs a counting
//! allocator to check the same thing: a reader must size its buffers by the
//! data that arrives, never by what an untrusted header claims.

#![allow(clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use vaelab_mnist::MnistError;
use vaelab_mnist::idx::{IMAGES_MAGIC, LABELS_MAGIC, read_images, read_labels};

/// What reading a small file may allocate at once whatever its header says:
/// gzip's inflate state and window, the reader's fixed-size buffers. It is
/// the fuzz targets' fixed allowance (`fuzz/src/lib.rs`).
const FIXED_ALLOWANCE: usize = 256 << 10;

/// Records the largest single allocation made by the current thread, so
/// that tests running in parallel do not see each other's allocations.
struct LargestAllocation;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn record(size: usize) {
    // `try_with`: allocations during thread teardown are not recorded.
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
}

// SAFETY: every method forwards to `System` unchanged after recording a size
// in a const-initialised thread-local, which itself never allocates.
unsafe impl GlobalAlloc for LargestAllocation {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: as for `alloc`; `ptr` and `layout` come from this allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` through this allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

/// Runs `f` and returns its result with the largest allocation it made.
fn largest_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|largest| largest.set(0));
    let result = f();
    (result, LARGEST.with(Cell::get))
}

fn header(magic: u32, dims: &[u32]) -> Vec<u8> {
    let mut bytes = magic.to_be_bytes().to_vec();
    for dim in dims {
        bytes.extend_from_slice(&dim.to_be_bytes());
    }
    bytes
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Found by `idx_labels` (minimised to these 8 bytes): a labels header that
/// claims 16 777 215 labels and holds none. It is under the 1 GiB limit, so
/// the reader went on and reserved the claimed 16 MiB before reading.
#[test]
fn labels_header_claiming_16_million_labels_allocates_by_the_data() {
    let input = [0x00, 0x00, 0x08, 0x01, 0x00, 0xff, 0xff, 0xff];
    assert_eq!(input.to_vec(), header(LABELS_MAGIC, &[0x00ff_ffff]));
    for (bytes, name) in [(input.to_vec(), "raw"), (gzip(&input), "gzip")] {
        let (result, largest) = largest_allocation(|| read_labels(bytes.as_slice(), name));
        let error = result.unwrap_err();
        assert!(
            matches!(
                error,
                MnistError::Truncated {
                    expected: 0x00ff_ffff,
                    found: 0,
                    ..
                }
            ),
            "{name}: {error}"
        );
        assert!(
            largest <= FIXED_ALLOWANCE,
            "{name}: an 8-byte header made the reader allocate {largest} bytes at once"
        );
    }
}

/// Found by `idx_images` (minimised to these 17 bytes): a header claiming
/// 2 images of 8×67 108 616 pixels (just under the 1 GiB limit), then one
/// pixel. The reader reserved 16 MiB for it.
#[test]
fn images_header_claiming_a_gibibyte_allocates_by_the_data() {
    let input = [
        0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x03, 0xff, 0xff,
        0x08, 0x31,
    ];
    let mut expected = header(IMAGES_MAGIC, &[2, 8, 0x03ff_ff08]);
    expected.push(0x31);
    assert_eq!(input.to_vec(), expected);
    for (bytes, name) in [(input.to_vec(), "raw"), (gzip(&input), "gzip")] {
        let (result, largest) = largest_allocation(|| read_images(bytes.as_slice(), name));
        let error = result.unwrap_err();
        assert!(
            matches!(
                error,
                MnistError::Truncated {
                    expected: 2,
                    found: 0,
                    ..
                }
            ),
            "{name}: {error}"
        );
        assert!(
            largest <= FIXED_ALLOWANCE,
            "{name}: a 17-byte file made the reader allocate {largest} bytes at once"
        );
    }
}

/// The issue's own example: a header claiming 4 billion images fails before
/// anything the size of a payload is allocated.
#[test]
fn header_claiming_4_billion_images_fails_before_allocating() {
    let input = header(IMAGES_MAGIC, &[4_000_000_000, 28, 28]);
    let (result, largest) = largest_allocation(|| read_images(input.as_slice(), "huge"));
    let error = result.unwrap_err();
    assert!(matches!(error, MnistError::TooLarge { .. }), "{error}");
    assert!(
        largest <= FIXED_ALLOWANCE,
        "allocated {largest} bytes at once"
    );
}

/// A valid file still reads whole: the fix must not cap real payloads.
#[test]
fn a_payload_larger_than_the_first_buffer_still_reads_whole() {
    let labels: Vec<u8> = (0..1_000_000u32).map(|i| (i % 10) as u8).collect();
    let mut input = header(LABELS_MAGIC, &[1_000_000]);
    input.extend_from_slice(&labels);
    let (result, largest) = largest_allocation(|| read_labels(input.as_slice(), "big"));
    assert_eq!(result.unwrap(), labels);
    // Growing by doubling may reach twice the data, never more.
    assert!(largest <= 2 * labels.len() + FIXED_ALLOWANCE, "{largest}");
}
