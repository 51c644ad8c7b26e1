//! Epochs: every pass over the training set is a fresh seeded shuffle cut
//! into minibatches, the last one partial when the batch size does not
//! divide the set (PyTorch's `DataLoader(shuffle=True, drop_last=False)`).

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// The order in which one epoch visits the training images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochOrder {
    order: Vec<usize>,
    batch: usize,
}

impl EpochOrder {
    /// Images `0..n` in order, in minibatches of `batch` (at least 1).
    pub fn new(n: usize, batch: usize) -> Self {
        EpochOrder {
            order: (0..n).collect(),
            batch: batch.max(1),
        }
    }

    /// Shuffles the images for the next epoch. Every epoch shuffles the
    /// previous order, so epoch `k` depends on the seed alone.
    pub fn shuffle(&mut self, rng: &mut ChaCha8Rng) {
        self.order.shuffle(rng);
    }

    /// Minibatches per epoch: `⌈n / batch⌉`.
    pub fn batches(&self) -> usize {
        self.order.len().div_ceil(self.batch)
    }

    /// The image indices of minibatch `b` of the current epoch; the last one
    /// holds the `n mod batch` images left over (when that is not zero).
    ///
    /// # Panics
    /// If `b` is not below [`EpochOrder::batches`].
    pub fn batch(&self, b: usize) -> &[usize] {
        let start = b * self.batch;
        &self.order[start..(start + self.batch).min(self.order.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    fn epochs(seed: u64, n: usize, batch: usize, count: usize) -> Vec<Vec<Vec<usize>>> {
        let mut rng = stream(seed, Stream::Train);
        let mut order = EpochOrder::new(n, batch);
        (0..count)
            .map(|_| {
                order.shuffle(&mut rng);
                (0..order.batches())
                    .map(|b| order.batch(b).to_vec())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_image_once_per_epoch_and_the_last_batch_partial() {
        // 10 images in batches of 4: 4, 4 and a partial batch of 2.
        for epoch in epochs(0, 10, 4, 3) {
            let sizes: Vec<usize> = epoch.iter().map(Vec::len).collect();
            assert_eq!(sizes, vec![4, 4, 2]);
            let mut seen: Vec<usize> = epoch.concat();
            seen.sort_unstable();
            assert_eq!(seen, (0..10).collect::<Vec<_>>());
        }
        // A batch size that divides the set leaves no partial batch.
        let sizes: Vec<usize> = epochs(0, 12, 4, 1)[0].iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![4, 4, 4]);
    }

    #[test]
    fn shuffles_follow_the_seed_and_differ_between_epochs() {
        let a = epochs(3, 50, 8, 2);
        assert_eq!(a, epochs(3, 50, 8, 2));
        assert_ne!(a, epochs(4, 50, 8, 2));
        assert_ne!(a[0], a[1], "two epochs in the same order");
        assert_ne!(a[0].concat(), (0..50).collect::<Vec<_>>(), "not shuffled");
    }
}
