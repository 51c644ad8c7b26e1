//! Training (spec §5): Adam on `recon + β·KL`, one seed behind everything,
//! the losses of both sets recorded along the way.

use std::time::{Duration, Instant};

use nalgebra::DMatrix;
use rand::Rng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::{FlushDenormals, Tape};
use vaelab_nn::{Adam, Optimizer};

use crate::config::{Binarize, Objective, RunConfig};
use crate::data::StudyData;
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
/// Runs on the calling thread with denormals flushed to zero. Stops with
/// [`VaeError::Diverged`] at the first non-finite loss or parameter.
pub fn train(
    config: &RunConfig,
    data: &StudyData,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Trained> {
    config.validate()?;
    let _flush = FlushDenormals::enable();
    let start = Instant::now();
    let mut model = Vae::new(config, &mut stream(config.seed, Stream::Init));
    let mut adam = Adam::new(config.adam);
    let mut rng = stream(config.seed, Stream::Train);
    let mut tape = Tape::new();
    let mut eval_tape = Tape::new();

    let n = data.train.len();
    let batch = config.batch_size;
    let mut order: Vec<usize> = (0..n).collect();
    let mut cursor = n; // forces a shuffle before the first minibatch
    let mut xs = DMatrix::<f32>::zeros(batch, crate::model::IMAGE_PIXELS);
    let mut eps = DMatrix::<f32>::zeros(batch, config.latent);
    let mut history = Vec::new();
    let records = recorded_iterations(config.iterations, config.eval_every);
    let mut next_record = 0;
    let diverged = |what: &str, iteration| VaeError::Diverged {
        run: config.name.clone(),
        what: what.into(),
        iteration,
    };

    for iteration in 0..=config.iterations {
        let mut record = None;
        if records.get(next_record) == Some(&iteration) {
            next_record += 1;
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
            if !train.is_finite() || !test.is_finite() {
                return Err(diverged("evaluation loss", iteration));
            }
            let r = Record {
                iteration,
                train,
                test,
            };
            history.push(r);
            record = Some(r);
        }
        if iteration == config.iterations {
            progress(&Progress {
                iteration,
                iterations: config.iterations,
                loss: f64::NAN,
                record,
            });
            break;
        }

        // The batch: the whole set in order, or the next slice of a shuffle.
        if batch == n {
            data.train.fill_rows(0, &mut xs);
        } else {
            if cursor + batch > n {
                order.shuffle(&mut rng);
                cursor = 0;
            }
            data.train
                .fill_batch(&order[cursor..cursor + batch], &mut xs);
            cursor += batch;
        }
        if config.data.binarize == Binarize::Dynamic {
            for p in xs.iter_mut() {
                *p = if rng.random::<f32>() < *p { 1.0 } else { 0.0 };
            }
        }
        fill_normal(&mut eps, &mut rng);

        tape.reset();
        let x = tape.constant(&xs);
        let e = tape.constant(&eps);
        let pass = forward(&model, &mut tape, x, e);
        let recon = match config.objective {
            Objective::Ce => tape.bce_with_logits(pass.logits, x),
            Objective::Sse => tape.sse_with_logits(pass.logits, x),
        };
        let kl = tape.kl_normal_log_var(pass.posterior.mu, pass.posterior.log_var);
        let kl = tape.scale(kl, config.beta as f32);
        let per_image = tape.add(recon, kl);
        let loss = tape.mean(per_image);
        let value = f64::from(tape.scalar(loss));
        if !value.is_finite() {
            return Err(diverged("loss", iteration));
        }
        let grads = tape.backward(loss);
        tape.reset();
        adam.step(&mut model.params_mut(), &grads);
        tape.recycle(grads);
        progress(&Progress {
            iteration,
            iterations: config.iterations,
            loss: value,
            record,
        });
    }
    Ok(Trained {
        model,
        history,
        elapsed: start.elapsed(),
    })
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
