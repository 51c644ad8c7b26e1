//! Training (the study, `docs/study.md` §5): Adam on `recon + β·KL` (β ramped up over the first
//! `kl_warmup` updates when that is set), one seed behind everything,
//! the losses of both sets recorded along the way.
//!
//! Minibatches: the whole set when `batch_size` is the set's size; with
//! `epochs`, a fresh shuffle per epoch cut into batches, the last partial
//! (see [`crate::epoch`]); otherwise (the study's `iterations`) the next
//! `batch_size` images of a shuffle, reshuffled when fewer are left. The
//! objective is the mean over the batch's images, partial batch included.

use std::time::{Duration, Instant};

use nalgebra::DMatrix;
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::{FlushDenormals, Tape};
use vaelab_nn::{Adam, Optimizer};

use crate::config::{Binarize, Objective, RunConfig};
use crate::data::{ImageSet, StudyData};
use crate::epoch::EpochOrder;
use crate::error::{Result, VaeError};
use crate::evaluate::{Losses, evaluate, fill_normal, forward};
use crate::model::Vae;
use crate::rng::{Stream, stream};

/// The losses at one recorded iteration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Updates made so far (0 = the initial model).
    pub iteration: usize,
    /// On the training set.
    pub train: Losses,
    /// On the test set.
    pub test: Losses,
    /// On the validation set (`None` when `data.validation = 0`).
    pub validation: Option<Losses>,
}

/// What the training loop reports as it goes.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Updates made so far.
    pub iteration: usize,
    /// Updates in all.
    pub iterations: usize,
    /// The training objective of the latest batch.
    pub loss: f64,
    /// The newest record, when this iteration made one.
    pub record: Option<Record>,
    /// The epoch that ended, when training counts epochs and one just did.
    pub epoch: Option<EpochEnd>,
}

/// A finished epoch, for the epoch log line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochEnd {
    /// Epochs done (1 = the first).
    pub epoch: usize,
    /// Epochs in all.
    pub epochs: usize,
    /// The training objective averaged over the epoch's images (as the
    /// model stood when each batch was drawn, as PyTorch's example logs it).
    pub train_loss: f64,
    /// Wall time of the epoch's updates.
    pub seconds: f64,
    /// Wall time of the evaluation recorded at the epoch's end (0 if none).
    pub eval_seconds: f64,
}

/// A trained model and how it got there.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model after the last update.
    pub model: Vae,
    /// The recorded losses, oldest first.
    pub history: Vec<Record>,
    /// Wall time of the training loop.
    pub elapsed: Duration,
}

/// The iterations at which losses are recorded: 0, every `eval_every`, and the last.
pub fn recorded_iterations(iterations: usize, eval_every: usize) -> Vec<usize> {
    let mut at: Vec<usize> = (0..=iterations).step_by(eval_every.max(1)).collect();
    if at.last() != Some(&iterations) {
        at.push(iterations);
    }
    at
}

/// Trains the model `config` describes on `data`.
///
/// Runs with denormals flushed to zero: on the calling thread when
/// `config.threads` is 1, else in a pool of that many threads (each
/// flushing denormals) whose large matrix products are split between them.
/// The result is the same bit for bit either way. Stops with
/// [`VaeError::Diverged`] at the first non-finite loss or parameter.
pub fn train(
    config: &RunConfig,
    data: &StudyData,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<Trained> {
    config.validate()?;
    if config.threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.threads)
            // The guard is never dropped: the threads flush denormals for
            // as long as they live, as the training thread does.
            .start_handler(|_| std::mem::forget(FlushDenormals::enable()))
            .build();
        // Without threads to spare, train on this one (same result).
        if let Ok(pool) = pool {
            return pool.install(|| train_here(config, data, config.threads, progress));
        }
    }
    train_here(config, data, 1, progress)
}

/// [`train`] on the calling thread, its products split `threads` ways.
fn train_here(
    config: &RunConfig,
    data: &StudyData,
    threads: usize,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<Trained> {
    let _flush = FlushDenormals::enable();
    let start = Instant::now();
    let mut model = Vae::new(config, &mut stream(config.seed, Stream::Init));
    let mut adam = Adam::new(config.adam);
    adam.set_threads(threads);
    let mut rng = stream(config.seed, Stream::Train);
    let mut tape = Tape::new();
    tape.set_threads(threads);
    let mut eval_tape = Tape::new();
    eval_tape.set_threads(threads);

    let n = data.train.len();
    let mut batches = Batches::new(config, &data.train);
    let mut history = Vec::new();
    let records = recorded_iterations(config.iterations, config.eval_every);
    let mut next_record = 0;
    let per_epoch = config.iterations_per_epoch();
    let mut epoch_loss = 0.0;
    let mut epoch_start = Instant::now();
    let diverged = |what: &str, iteration| VaeError::Diverged {
        run: config.name.clone(),
        what: what.into(),
        iteration,
    };

    for iteration in 0..=config.iterations {
        let mut epoch = None;
        if let Some(epochs) = config.epochs
            && iteration > 0
            && iteration % per_epoch == 0
        {
            epoch = Some(EpochEnd {
                epoch: iteration / per_epoch,
                epochs,
                train_loss: epoch_loss / n as f64,
                seconds: epoch_start.elapsed().as_secs_f64(),
                eval_seconds: 0.0,
            });
            epoch_loss = 0.0;
        }
        let mut record = None;
        if records.get(next_record) == Some(&iteration) {
            next_record += 1;
            let eval_start = Instant::now();
            if let Some((name, _)) = model
                .named_params()
                .iter()
                .find(|(_, p)| !p.value().iter().all(|v| v.is_finite()))
            {
                return Err(diverged(&format!("parameter {name}"), iteration));
            }
            // Evaluation restarts its own stream every time, so every record
            // sees the same noise and training never sees it.
            let mut eval_rng = stream(config.seed, Stream::Eval);
            let train = evaluate(&model, &mut eval_tape, &data.train, &mut eval_rng);
            let test = evaluate(&model, &mut eval_tape, &data.test, &mut eval_rng);
            // Drawn after the test noise, so train and test see the draws
            // they saw before validation sets existed.
            let validation = (!data.validation.is_empty())
                .then(|| evaluate(&model, &mut eval_tape, &data.validation, &mut eval_rng));
            if !train.is_finite() || !test.is_finite() {
                return Err(diverged("evaluation loss", iteration));
            }
            let r = Record {
                iteration,
                train,
                test,
                validation,
            };
            history.push(r);
            record = Some(r);
            if let Some(e) = epoch.as_mut() {
                e.eval_seconds = eval_start.elapsed().as_secs_f64();
            }
        }
        if iteration == config.iterations {
            progress(&Progress {
                iteration,
                iterations: config.iterations,
                loss: f64::NAN,
                record,
                epoch,
            });
            break;
        }
        if iteration % per_epoch == 0 {
            epoch_start = Instant::now();
        }

        let (xs, eps) = batches.next(iteration, &data.train, &mut rng);
        if config.data.binarize == Binarize::Dynamic {
            for p in xs.iter_mut() {
                *p = if rng.random::<f32>() < *p { 1.0 } else { 0.0 };
            }
        }
        fill_normal(eps, &mut rng);

        tape.reset();
        let x = tape.constant(xs);
        let e = tape.constant(eps);
        let pass = forward(&model, &mut tape, x, e);
        let recon = match config.objective {
            Objective::Ce => tape.bce_with_logits(pass.logits, x),
            Objective::Sse => tape.sse_with_logits(pass.logits, x),
        };
        let kl = tape.kl_normal_log_var(pass.posterior.mu, pass.posterior.log_var);
        // The KL weight follows the warm-up schedule; the recorded losses
        // (`evaluate`) stay unweighted.
        let kl = tape.scale(kl, config.kl_weight(iteration) as f32);
        let per_image = tape.add(recon, kl);
        let loss = tape.mean(per_image);
        let value = f64::from(tape.scalar(loss));
        if !value.is_finite() {
            return Err(diverged("loss", iteration));
        }
        epoch_loss += value * xs.nrows() as f64;
        let grads = tape.backward(loss);
        tape.reset();
        adam.step(&mut model.params_mut(), &grads);
        tape.recycle(grads);
        progress(&Progress {
            iteration,
            iterations: config.iterations,
            loss: value,
            record,
            epoch,
        });
    }
    Ok(Trained {
        model,
        history,
        elapsed: start.elapsed(),
    })
}

/// The minibatch buffers, reused every iteration.
struct Batches {
    /// `Some` when training counts epochs.
    epochs: Option<EpochOrder>,
    /// The study's shuffle and its read position.
    order: Vec<usize>,
    cursor: usize,
    /// Full batches, and the partial last batch of an epoch.
    full: (DMatrix<f32>, DMatrix<f32>),
    partial: (DMatrix<f32>, DMatrix<f32>),
    /// Whether `full.0` already holds the whole training set as floats and
    /// nothing changes it in place (no dynamic binarisation): then a batch of
    /// the whole set is converted from bytes once, not every iteration.
    whole_set_ready: bool,
    keeps_whole_set: bool,
}

impl Batches {
    fn new(config: &RunConfig, train: &ImageSet) -> Self {
        let (n, batch, d) = (train.len(), config.batch_size, config.latent);
        let pixels = crate::model::IMAGE_PIXELS;
        let last = if config.epochs.is_some() {
            n % batch
        } else {
            0
        };
        Batches {
            epochs: config.epochs.map(|_| EpochOrder::new(n, batch)),
            order: (0..n).collect(),
            cursor: n, // forces a shuffle before the first minibatch
            full: (DMatrix::zeros(batch, pixels), DMatrix::zeros(batch, d)),
            partial: (DMatrix::zeros(last, pixels), DMatrix::zeros(last, d)),
            whole_set_ready: false,
            keeps_whole_set: config.data.binarize != Binarize::Dynamic,
        }
    }

    /// The images of update `iteration` and the noise buffer of its size.
    fn next(
        &mut self,
        iteration: usize,
        train: &ImageSet,
        rng: &mut ChaCha8Rng,
    ) -> (&mut DMatrix<f32>, &mut DMatrix<f32>) {
        let n = train.len();
        let batch = self.full.0.nrows();
        // The images stay bytes, row by row, so gathering a minibatch reads
        // each chosen image contiguously (see `ImageSet::fill_batch`).
        let copy = |xs: &mut DMatrix<f32>, rows: &[usize]| train.fill_batch(rows, xs);
        if let Some(order) = self.epochs.as_mut() {
            let b = iteration % order.batches();
            if b == 0 {
                order.shuffle(rng);
            }
            let rows = order.batch(b);
            let (xs, eps) = if rows.len() == batch {
                (&mut self.full.0, &mut self.full.1)
            } else {
                (&mut self.partial.0, &mut self.partial.1)
            };
            copy(xs, rows);
            return (xs, eps);
        }
        let (xs, eps) = (&mut self.full.0, &mut self.full.1);
        if batch == n {
            if !self.whole_set_ready {
                train.fill_rows(0, xs);
                self.whole_set_ready = self.keeps_whole_set;
            }
        } else {
            if self.cursor + batch > n {
                self.order.shuffle(rng);
                self.cursor = 0;
            }
            copy(xs, &self.order[self.cursor..self.cursor + batch]);
            self.cursor += batch;
        }
        (xs, eps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_at_zero_every_step_and_the_end() {
        assert_eq!(recorded_iterations(25, 10), vec![0, 10, 20, 25]);
        assert_eq!(recorded_iterations(20, 10), vec![0, 10, 20]);
        assert_eq!(recorded_iterations(3, 1), vec![0, 1, 2, 3]);
    }
}
