//! One seed, several independent random streams.
//!
//! ChaCha's stream parameter splits one seed into independent sequences, so
//! that drawing more evaluation noise (evaluating more often) never shifts
//! the noise that training sees, and choosing data never shifts the weights.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What a random stream is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Initial weights.
    Init = 0,
    /// Training noise ε, minibatches and dynamic binarisation.
    Train = 1,
    /// Evaluation noise; restarted at every evaluation.
    Eval = 2,
    /// Data selection.
    Data = 3,
    /// Post-training analysis (log-likelihood samples).
    Analysis = 4,
}

/// The generator of `purpose` under `seed`.
pub fn stream(seed: u64, purpose: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(purpose as u64);
    rng
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;

    #[test]
    fn streams_differ_and_repeat() {
        let a: u64 = stream(7, Stream::Train).random();
        assert_eq!(a, stream(7, Stream::Train).random::<u64>());
        assert_ne!(a, stream(7, Stream::Eval).random::<u64>());
        assert_ne!(a, stream(8, Stream::Train).random::<u64>());
    }
}
