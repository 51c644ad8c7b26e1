//! A labelled set of small greyscale images and ways to take subsets of it.

use std::ops::Range;

use rand::SeedableRng;
use rand::seq::index;
use rand_chacha::ChaCha8Rng;

use crate::error::{MnistError, Result};
use crate::idx::NUM_CLASSES;

/// Images with their labels, stored contiguously: image `i` is
/// `pixels[i·rows·cols .. (i+1)·rows·cols]`, row-major, one byte per pixel
/// (0 = background, 255 = ink), and its label (0–9) is `labels[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pixels: Vec<u8>,
    labels: Vec<u8>,
    rows: usize,
    cols: usize,
}

impl Dataset {
    /// Builds a dataset, checking that `pixels` holds exactly one
    /// `rows × cols` image per label and that every label is 0–9.
    pub fn new(pixels: Vec<u8>, labels: Vec<u8>, rows: usize, cols: usize) -> Result<Self> {
        let invalid = |reason: String| MnistError::InvalidDataset { reason };
        let per_image = rows
            .checked_mul(cols)
            .filter(|&n| n > 0)
            .ok_or_else(|| invalid(format!("image size {rows}x{cols}")))?;
        if Some(pixels.len()) != labels.len().checked_mul(per_image) {
            return Err(invalid(format!(
                "{} pixels for {} labels of {rows}x{cols} images",
                pixels.len(),
                labels.len()
            )));
        }
        if let Some((i, &label)) = labels
            .iter()
            .enumerate()
            .find(|(_, l)| usize::from(**l) >= NUM_CLASSES)
        {
            return Err(invalid(format!("label {i} is {label}, expected 0-9")));
        }
        Ok(Dataset {
            pixels,
            labels,
            rows,
            cols,
        })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Rows per image (28 for MNIST).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns per image (28 for MNIST).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Pixels per image, `rows × cols` (784 for MNIST).
    pub fn pixels_per_image(&self) -> usize {
        self.rows * self.cols
    }

    /// All pixels, image after image.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// All labels, in image order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The pixels of image `i`, row-major.
    ///
    /// # Panics
    /// If `i >= self.len()`, like slice indexing.
    pub fn image(&self, i: usize) -> &[u8] {
        let size = self.pixels_per_image();
        &self.pixels[i * size..(i + 1) * size]
    }

    /// The label of image `i`.
    ///
    /// # Panics
    /// If `i >= self.len()`, like slice indexing.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// The pixels as `f32` in [0, 1] (divided by 255): a row-major
    /// `len × (rows·cols)` matrix with one image per row.
    pub fn to_f32(&self) -> Vec<f32> {
        self.pixels.iter().map(|&p| f32::from(p) / 255.0).collect()
    }

    /// How many images carry each label.
    pub fn class_counts(&self) -> [usize; NUM_CLASSES] {
        let mut counts = [0; NUM_CLASSES];
        for &label in &self.labels {
            // Labels are checked to be < NUM_CLASSES on construction.
            counts[usize::from(label)] += 1;
        }
        counts
    }

    /// The images at `indices`, in the order given (repeats allowed).
    pub fn select_indices(&self, indices: &[usize]) -> Result<Dataset> {
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.len()) {
            return Err(MnistError::InvalidSelection {
                reason: format!("index {bad} but the dataset holds {} images", self.len()),
            });
        }
        let mut pixels = Vec::with_capacity(indices.len() * self.pixels_per_image());
        for &i in indices {
            pixels.extend_from_slice(self.image(i));
        }
        let labels = indices.iter().map(|&i| self.labels[i]).collect();
        Ok(Dataset {
            pixels,
            labels,
            rows: self.rows,
            cols: self.cols,
        })
    }

    /// The images in `range`, e.g. `0..10_000` for the first ten thousand.
    pub fn select_range(&self, range: Range<usize>) -> Result<Dataset> {
        if range.start > range.end || range.end > self.len() {
            return Err(MnistError::InvalidSelection {
                reason: format!(
                    "range {range:?} but the dataset holds {} images",
                    self.len()
                ),
            });
        }
        let size = self.pixels_per_image();
        Ok(Dataset {
            pixels: self.pixels[range.start * size..range.end * size].to_vec(),
            labels: self.labels[range].to_vec(),
            rows: self.rows,
            cols: self.cols,
        })
    }

    /// `k` distinct images drawn uniformly at random, kept in their original
    /// order. The same `seed` always gives the same images.
    pub fn select_random(&self, k: usize, seed: u64) -> Result<Dataset> {
        if k > self.len() {
            return Err(MnistError::InvalidSelection {
                reason: format!("{k} random images but the dataset holds {}", self.len()),
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut chosen = index::sample(&mut rng, self.len(), k).into_vec();
        chosen.sort_unstable();
        self.select_indices(&chosen)
    }

    /// `k_per_class` distinct images of every label 0–9, drawn at random
    /// within each class and kept in their original order. Fails if a class
    /// has fewer than `k_per_class` images.
    pub fn select_balanced(&self, k_per_class: usize, seed: u64) -> Result<Dataset> {
        let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); NUM_CLASSES];
        for (i, &label) in self.labels.iter().enumerate() {
            by_class[usize::from(label)].push(i);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut chosen = Vec::with_capacity(k_per_class.saturating_mul(NUM_CLASSES));
        for (class, members) in by_class.iter().enumerate() {
            if members.len() < k_per_class {
                return Err(MnistError::InvalidSelection {
                    reason: format!(
                        "{k_per_class} images of class {class} but the dataset holds {}",
                        members.len()
                    ),
                });
            }
            chosen.extend(
                index::sample(&mut rng, members.len(), k_per_class)
                    .iter()
                    .map(|j| members[j]),
            );
        }
        chosen.sort_unstable();
        self.select_indices(&chosen)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// 20 one-pixel images; image i has pixel value i and label i % 10.
    fn twenty() -> Dataset {
        let pixels: Vec<u8> = (0..20).collect();
        let labels = pixels.iter().map(|p| p % 10).collect();
        Dataset::new(pixels, labels, 1, 1).unwrap()
    }

    #[test]
    fn to_f32_divides_by_255_one_image_per_row() {
        let data = Dataset::new(vec![0, 51, 255, 102], vec![3, 4], 1, 2).unwrap();
        assert_eq!(data.to_f32(), [0.0, 0.2, 1.0, 0.4]);
        assert_eq!(data.image(1), [255, 102]);
        assert_eq!(data.label(1), 4);
    }

    #[test]
    fn new_rejects_inconsistent_parts() {
        assert!(Dataset::new(vec![0; 5], vec![0, 1], 1, 2).is_err());
        assert!(Dataset::new(vec![0; 2], vec![10], 1, 2).is_err());
        assert!(Dataset::new(vec![], vec![], 0, 2).is_err());
    }

    #[test]
    fn select_range_keeps_pixels_and_labels_together() {
        let part = twenty().select_range(12..15).unwrap();
        assert_eq!(part.pixels(), [12, 13, 14]);
        assert_eq!(part.labels(), [2, 3, 4]);
        assert!(twenty().select_range(15..21).is_err());
    }

    #[test]
    fn select_random_draws_distinct_images_in_order() {
        let part = twenty().select_random(7, 3).unwrap();
        assert_eq!(part.len(), 7);
        // Pixel i identifies image i: distinct and increasing means no repeats.
        assert!(part.pixels().windows(2).all(|w| w[0] < w[1]));
        assert!(
            part.labels()
                .iter()
                .zip(part.pixels())
                .all(|(l, p)| *l == p % 10)
        );
    }

    #[test]
    fn class_counts_tally_labels() {
        let data = Dataset::new(vec![0; 4], vec![1, 1, 9, 0], 1, 1).unwrap();
        assert_eq!(data.class_counts(), [1, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
    }
}
