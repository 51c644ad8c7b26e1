//! The three image sets of a run (the study, `docs/study.md` §2), chosen from a loaded data set.
//!
//! Training images come from the training file; the test set and the
//! classification set both come from the test file and never share an image,
//! unless `data.classify_from = "train"` takes the classification set from
//! the training file (where it may share images with the training set). The
//! validation set comes from the training file and shares no image with the
//! training set, nor with a classification set from the training file; it is
//! chosen last, so adding it moves no other set's images.

use nalgebra::DMatrix;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use vaelab_mnist::{Dataset, Mnist};

use crate::config::{Binarize, DEFAULT_VALIDATION, DataConfig, Selection, Source};
use crate::error::{Result, VaeError};
use crate::model::IMAGE_PIXELS;
use crate::rng::{Stream, stream};

/// Images kept as bytes (one row of 784 grey levels per image) with their
/// digit labels.
///
/// A set of 60 000 images takes 47 MB as bytes but 188 MB as `f32`, so the
/// pixels are converted to [0, 1] only per batch or chunk, by
/// [`ImageSet::fill_rows`] and [`ImageSet::fill_batch`] (the same `p / 255`
/// as [`Dataset::to_f32`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSet {
    /// Row-major `n × 784` grey levels.
    pixels: Vec<u8>,
    /// One label per row.
    pub labels: Vec<u8>,
}

/// `p / 255` for every byte `p`: the conversion of [`Dataset::to_f32`].
fn unit_table() -> [f32; 256] {
    let mut table = [0.0f32; 256];
    for (p, value) in table.iter_mut().enumerate() {
        *value = f32::from(p as u8) / 255.0;
    }
    table
}

impl ImageSet {
    /// A set from row-major `labels.len() × 784` bytes; `None` if the
    /// lengths do not match.
    pub fn from_bytes(pixels: Vec<u8>, labels: Vec<u8>) -> Option<Self> {
        (pixels.len() == labels.len() * IMAGE_PIXELS).then_some(ImageSet { pixels, labels })
    }

    /// How many images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The grey levels of image `i`.
    pub fn bytes(&self, i: usize) -> &[u8] {
        &self.pixels[i * IMAGE_PIXELS..(i + 1) * IMAGE_PIXELS]
    }

    /// Every image's grey levels, row-major.
    pub fn all_bytes(&self) -> &[u8] {
        &self.pixels
    }

    /// Pixel `p` of image `i`, in [0, 1].
    pub fn pixel(&self, i: usize, p: usize) -> f32 {
        f32::from(self.pixels[i * IMAGE_PIXELS + p]) / 255.0
    }

    /// Image `i` as a row-major vector of 784 pixels in [0, 1].
    pub fn image(&self, i: usize) -> Vec<f32> {
        let table = unit_table();
        self.bytes(i)
            .iter()
            .map(|&p| table[usize::from(p)])
            .collect()
    }

    /// Writes images `start..start + out.nrows()` into the rows of `out`.
    pub fn fill_rows(&self, start: usize, out: &mut DMatrix<f32>) {
        let table = unit_table();
        let rows = out.nrows();
        // Column by column: `out` is column-major, the bytes row-major.
        for (p, column) in out.as_mut_slice().chunks_exact_mut(rows).enumerate() {
            for (r, value) in column.iter_mut().enumerate() {
                *value = table[usize::from(self.pixels[(start + r) * IMAGE_PIXELS + p])];
            }
        }
    }

    /// Images `start..end` as an `(end − start) × 784` matrix.
    pub fn rows(&self, start: usize, end: usize) -> DMatrix<f32> {
        let mut out = DMatrix::zeros(end - start, IMAGE_PIXELS);
        self.fill_rows(start, &mut out);
        out
    }

    /// Writes the images `indices` into the rows of `out` (one per row).
    pub fn fill_batch(&self, indices: &[usize], out: &mut DMatrix<f32>) {
        let table = unit_table();
        let rows = out.nrows();
        for (p, column) in out.as_mut_slice().chunks_exact_mut(rows).enumerate() {
            for (value, &i) in column.iter_mut().zip(indices) {
                *value = table[usize::from(self.pixels[i * IMAGE_PIXELS + p])];
            }
        }
    }

    /// The index ranges of consecutive chunks of at most `chunk` images.
    pub fn chunks(&self, chunk: usize) -> impl Iterator<Item = std::ops::Range<usize>> + use<> {
        let (n, chunk) = (self.len(), chunk.max(1));
        (0..n.div_ceil(chunk)).map(move |c| c * chunk..((c + 1) * chunk).min(n))
    }

    fn from_dataset(data: &Dataset) -> Self {
        ImageSet {
            pixels: data.pixels().to_vec(),
            labels: data.labels().to_vec(),
        }
    }
}

/// A matrix's elements row by row.
pub fn row_major(m: &DMatrix<f32>) -> Vec<f32> {
    m.transpose().as_slice().to_vec()
}

/// The training, test and classification sets of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyData {
    /// Trains the model.
    pub train: ImageSet,
    /// Measures generalisation.
    pub test: ImageSet,
    /// Chooses the best iteration (`data.validation` images; may be empty).
    pub validation: ImageSet,
    /// Probes the latent space (scatter, kNN accuracy, active units).
    pub classify: ImageSet,
    /// For each classification image, its position in `train` when it is a
    /// training image too (only with `classify_from = "train"`): the kNN
    /// accuracy leaves it out of its own neighbours.
    pub classify_in_train: Vec<Option<usize>>,
    /// (rows, columns) of every image, from the data files.
    pub image_shape: (usize, usize),
}

impl StudyData {
    /// Chooses the sets `config` asks for; random choices follow `seed`.
    pub fn select(data: &Mnist, config: &DataConfig, seed: u64, run: &str) -> Result<Self> {
        let fail = |message: String| VaeError::Data {
            run: run.to_string(),
            message,
        };
        for (name, set) in [("training", &data.train), ("test", &data.test)] {
            if set.pixels_per_image() != IMAGE_PIXELS {
                return Err(fail(format!(
                    "the {name} images are {}×{} pixels, the model needs {IMAGE_PIXELS}",
                    set.rows(),
                    set.cols()
                )));
            }
        }
        if config.train > data.train.len() {
            return Err(fail(format!(
                "data.train = {} but the training file holds {} images",
                config.train,
                data.train.len()
            )));
        }
        let from_test = config.classify_from == Source::Test;
        let wanted = config.test + if from_test { config.classify } else { 0 };
        if !from_test && config.classify > data.train.len() {
            return Err(fail(format!(
                "data.classify = {} (classify_from = \"train\") but the training file holds {} images",
                config.classify,
                data.train.len()
            )));
        }
        if wanted > data.test.len() {
            let what = if from_test {
                "data.test + data.classify"
            } else {
                "data.test"
            };
            return Err(fail(format!(
                "{what} = {wanted} but the test file holds {} images",
                data.test.len()
            )));
        }
        let mut rng = stream(seed, Stream::Data);
        let train_idx = choose(
            data.train.labels(),
            config.train,
            config.selection,
            &mut rng,
            &[],
        )
        .map_err(fail)?;
        let test_idx = choose(
            data.test.labels(),
            config.test,
            config.selection,
            &mut rng,
            &[],
        )
        .map_err(fail)?;
        let (classify_file, taken) = match config.classify_from {
            Source::Test => (&data.test, &test_idx[..]),
            Source::Train => (&data.train, &[][..]),
        };
        let classify_idx = choose(
            classify_file.labels(),
            config.classify,
            config.selection,
            &mut rng,
            taken,
        )
        .map_err(fail)?;
        // Chosen last, from the same stream, so that the other sets are the
        // ones they were before validation sets existed.
        let mut not_validation = train_idx.clone();
        if !from_test {
            not_validation.extend(&classify_idx);
        }
        let left = data.train.len() - {
            let mut all = not_validation.clone();
            all.sort_unstable();
            all.dedup();
            all.len()
        };
        let wanted = config.validation.unwrap_or(DEFAULT_VALIDATION.min(left));
        let validation_idx = choose(
            data.train.labels(),
            wanted,
            config.selection,
            &mut rng,
            &not_validation,
        )
        .map_err(|e| {
            let others = if from_test {
                "data.train"
            } else {
                "data.train and data.classify"
            };
            fail(format!(
                "data.validation = {wanted}: {e} in the training file outside {others} \
                 (set data.validation = 0 when training takes the whole file)"
            ))
        })?;
        let pick = |set: &Dataset, idx: &[usize]| -> Result<ImageSet> {
            let mut images = ImageSet::from_dataset(&set.select_indices(idx)?);
            if config.binarize == Binarize::Static {
                // p / 255 ≥ 0.5 exactly when p ≥ 128; 255 reads back as 1.0.
                let table = unit_table();
                for p in &mut images.pixels {
                    *p = if table[usize::from(*p)] >= 0.5 {
                        255
                    } else {
                        0
                    };
                }
            }
            Ok(images)
        };
        let classify_in_train = if from_test {
            vec![None; classify_idx.len()]
        } else {
            let mut position = vec![None; data.train.len()];
            for (at, &i) in train_idx.iter().enumerate() {
                position[i] = Some(at);
            }
            classify_idx.iter().map(|&i| position[i]).collect()
        };
        Ok(StudyData {
            train: pick(&data.train, &train_idx)?,
            test: pick(&data.test, &test_idx)?,
            validation: pick(&data.train, &validation_idx)?,
            classify: pick(classify_file, &classify_idx)?,
            classify_in_train,
            image_shape: (data.train.rows(), data.train.cols()),
        })
    }
}

/// `count` indices into a file with `labels`, none of them in `taken`.
fn choose(
    labels: &[u8],
    count: usize,
    selection: Selection,
    rng: &mut ChaCha8Rng,
    taken: &[usize],
) -> std::result::Result<Vec<usize>, String> {
    // A mask, not `taken.contains`: both can be the 60 000 training images.
    let mut is_taken = vec![false; labels.len()];
    for &i in taken {
        if let Some(t) = is_taken.get_mut(i) {
            *t = true;
        }
    }
    let mut free: Vec<usize> = (0..labels.len()).filter(|&i| !is_taken[i]).collect();
    if count > free.len() {
        return Err(format!("{count} images wanted, {} available", free.len()));
    }
    let mut chosen = match selection {
        Selection::First => free[..count].to_vec(),
        Selection::Random => {
            free.shuffle(rng);
            free[..count].to_vec()
        }
        Selection::Balanced => {
            if !count.is_multiple_of(10) {
                return Err(format!(
                    "a balanced selection needs a multiple of 10 images, not {count}"
                ));
            }
            free.shuffle(rng);
            let per_class = count / 10;
            let mut chosen = Vec::with_capacity(count);
            for digit in 0..10u8 {
                let of_digit: Vec<usize> = free
                    .iter()
                    .copied()
                    .filter(|&i| labels[i] == digit)
                    .take(per_class)
                    .collect();
                if of_digit.len() < per_class {
                    return Err(format!(
                        "{per_class} images of digit {digit} wanted, {} available",
                        of_digit.len()
                    ));
                }
                chosen.extend(of_digit);
            }
            chosen
        }
    };
    chosen.sort_unstable();
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i % 10) as u8).collect()
    }

    #[test]
    fn first_takes_the_head_and_skips_taken_indices() {
        let mut rng = stream(0, Stream::Data);
        assert_eq!(
            choose(&labels(20), 3, Selection::First, &mut rng, &[]),
            Ok(vec![0, 1, 2])
        );
        assert_eq!(
            choose(&labels(20), 3, Selection::First, &mut rng, &[0, 1, 2]),
            Ok(vec![3, 4, 5])
        );
    }

    #[test]
    fn random_and_balanced_are_seeded_disjoint_and_balanced() {
        let ls = labels(200);
        let a = choose(
            &ls,
            30,
            Selection::Balanced,
            &mut stream(1, Stream::Data),
            &[],
        )
        .expect("enough");
        let b = choose(
            &ls,
            30,
            Selection::Balanced,
            &mut stream(1, Stream::Data),
            &[],
        )
        .expect("enough");
        assert_eq!(a, b);
        for digit in 0..10u8 {
            assert_eq!(a.iter().filter(|&&i| ls[i] == digit).count(), 3);
        }
        let c =
            choose(&ls, 50, Selection::Random, &mut stream(1, Stream::Data), &a).expect("enough");
        assert!(c.iter().all(|i| !a.contains(i)));
        assert!(
            choose(
                &ls,
                15,
                Selection::Balanced,
                &mut stream(1, Stream::Data),
                &[]
            )
            .is_err()
        );
        assert!(
            choose(
                &ls,
                201,
                Selection::First,
                &mut stream(1, Stream::Data),
                &[]
            )
            .is_err()
        );
    }
}
