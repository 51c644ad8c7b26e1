//! Splitting elementwise work over the threads of the current rayon pool.
//!
//! The activations, the fused losses and their derivatives compute every
//! element on its own, so cutting a buffer into contiguous pieces and
//! handing each to a thread gives the same numbers, bit for bit, as one
//! pass: no sum crosses a piece boundary, and Rust never fuses a multiply
//! and an add on its own, so the vectorised body and the scalar tail of a
//! loop round alike. Pieces start at multiples of [`ALIGN`] elements so that
//! each thread's stores stay on its own cache lines.

use rayon::prelude::*;

/// Buffers with fewer elements than this stay on one thread: below it,
/// waking a second thread costs about what it saves. The study's largest
/// elementwise buffers (batch 100 × 784 = 78 400) are above it, but its runs
/// use one thread, so they never split; the pytorch/examples VAE's
/// 128 × 400 and 128 × 784 buffers at two threads do.
pub const PARALLEL_MIN_ELEMENTS: usize = 32_768;

/// Pieces of elementwise work start at multiples of this many elements (a
/// 64-byte line of `f32` holds 16; 64 keeps `f64` lines apart too).
pub(crate) const ALIGN: usize = 64;

/// How many pieces `work` elements of work are cut into on `threads` threads.
fn parts(threads: usize, work: usize) -> usize {
    if work < PARALLEL_MIN_ELEMENTS {
        1
    } else {
        threads.max(1)
    }
}

/// The length of each piece (the last may be shorter): a multiple of `unit`.
fn piece_len(len: usize, parts: usize, unit: usize) -> usize {
    len.div_ceil(parts).next_multiple_of(unit.max(1)).max(1)
}

/// Calls `f(offset, piece)` on contiguous pieces of `out` that together
/// cover it once, each a multiple of `unit` elements long but the last:
/// on up to `threads` threads when the call does at least
/// [`PARALLEL_MIN_ELEMENTS`] elements of `work`, else once on all of `out`.
/// `offset` is where `piece` starts in `out`, for slicing matching inputs.
pub(crate) fn for_pieces<T: Send>(
    threads: usize,
    work: usize,
    unit: usize,
    out: &mut [T],
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    let parts = parts(threads, work);
    if parts == 1 {
        f(0, out);
        return;
    }
    let piece = piece_len(out.len(), parts, unit);
    out.par_chunks_mut(piece)
        .enumerate()
        .for_each(|(i, chunk)| f(i * piece, chunk));
}

/// [`for_pieces`] over two equally long buffers cut at the same places.
pub(crate) fn for_pieces2<T: Send>(
    threads: usize,
    unit: usize,
    a: &mut [T],
    b: &mut [T],
    f: impl Fn(usize, &mut [T], &mut [T]) + Sync,
) {
    assert_eq!(
        a.len(),
        b.len(),
        "for_pieces2: buffers of different lengths"
    );
    let parts = parts(threads, a.len());
    if parts == 1 {
        f(0, a, b);
        return;
    }
    let piece = piece_len(a.len(), parts, unit);
    a.par_chunks_mut(piece)
        .zip(b.par_chunks_mut(piece))
        .enumerate()
        .for_each(|(i, (pa, pb))| f(i * piece, pa, pb));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_buffer_once_with_matching_offsets() {
        for len in [
            0,
            1,
            100,
            PARALLEL_MIN_ELEMENTS - 1,
            PARALLEL_MIN_ELEMENTS,
            100_003,
        ] {
            for (threads, unit) in [(1, ALIGN), (2, ALIGN), (3, ALIGN), (2, 100), (3, 128)] {
                let mut out = vec![0usize; len];
                let mut twin = vec![0usize; len];
                for_pieces(threads, len, unit, &mut out, |at, piece| {
                    assert!(at % unit == 0, "piece at {at} is not a multiple of {unit}");
                    for (i, o) in piece.iter_mut().enumerate() {
                        *o += at + i + 1;
                    }
                });
                for_pieces2(threads, unit, &mut twin, &mut vec![0; len], |at, a, b| {
                    assert!(at % unit == 0, "piece at {at} is not a multiple of {unit}");
                    for (i, (x, y)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
                        *x += at + i + 1;
                        *y += 1;
                    }
                });
                let wrong = out.iter().enumerate().find(|&(i, &o)| o != i + 1);
                assert_eq!(wrong, None, "len {len}, threads {threads}, unit {unit}");
                assert_eq!(out, twin, "len {len}, threads {threads}, unit {unit}");
            }
        }
    }

    #[test]
    fn small_work_stays_in_one_piece() {
        let mut out = vec![0u8; 1000];
        let calls = std::sync::atomic::AtomicUsize::new(0);
        for_pieces(2, PARALLEL_MIN_ELEMENTS - 1, 1, &mut out, |_, _| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        assert_eq!(calls.into_inner(), 1);
    }

    /// One VAE-like step (affine, ReLU, sigmoid, the fused losses and their
    /// gradients) at the sizes of the pytorch/examples model, with the
    /// elementwise work on one thread and split over two.
    fn step(threads: usize) -> (Vec<f32>, Vec<Vec<f32>>) {
        use crate::{Param, Tape};
        use nalgebra::DMatrix;
        // A cheap deterministic spread of values in (−2, 2), some exactly 0.
        let fill = |rows, cols, salt: usize| {
            DMatrix::from_fn(rows, cols, |i, j| {
                (((i * 7919 + j * 104_729 + salt * 31) % 4001) as f32 - 2000.0) / 1000.0
            })
        };
        let pixels = DMatrix::from_fn(128, 784, |i, j| ((i * 13 + j * 7) % 256) as f32 / 255.0);
        let w1 = Param::new(fill(784, 400, 1).scale(0.05));
        let b1 = Param::new(fill(1, 400, 2));
        let w2 = Param::new(fill(400, 784, 3).scale(0.05));
        let b2 = Param::new(fill(1, 784, 4));
        let mut tape = Tape::<f32>::new();
        tape.set_threads(threads);
        let x = tape.constant(&pixels);
        let (w1v, b1v, w2v, b2v) = (
            tape.param(&w1),
            tape.param(&b1),
            tape.param(&w2),
            tape.param(&b2),
        );
        let a1 = tape.affine(x, w1v, b1v);
        let h = tape.relu(a1);
        let logits = tape.affine(h, w2v, b2v);
        let recon = tape.bce_with_logits(logits, x);
        let s = tape.sigmoid(logits);
        let sse = tape.sse_with_logits(s, x);
        let kl = tape.kl_normal_log_var(a1, h);
        let per = tape.add(recon, sse);
        let klsum = tape.sum(kl);
        let loss = tape.mean(per);
        let loss = tape.add(loss, klsum);
        let value = tape.value(s).as_slice().to_vec();
        let grads = tape.backward(loss);
        let g = [&w1, &b1, &w2, &b2].map(|p| grads.get(p).expect("a gradient").as_slice().to_vec());
        (value, g.to_vec())
    }

    #[test]
    fn split_ops_equal_serial_ones_bit_for_bit() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool");
        let (serial, threaded) = pool.install(|| (step(1), step(2)));
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&serial.0), bits(&threaded.0), "sigmoid values differ");
        for (i, (a, b)) in serial.1.iter().zip(&threaded.1).enumerate() {
            let first = bits(a).iter().zip(bits(b)).position(|(x, y)| *x != y);
            assert_eq!(
                first, None,
                "gradient {i} differs first at element {first:?}"
            );
        }
    }
}
