//! Training, determinism, divergence and checkpoints on synthetic data.
#![allow(clippy::unwrap_used)]

mod common;

use vaelab_autodiff::Tape;
use vaelab_vae::evaluate::evaluate;
use vaelab_vae::rng::{Stream, stream};
use vaelab_vae::{Head, Objective, StudyData, VaeError, checkpoint, run_one, train};

#[test]
fn a_tiny_run_learns_for_both_objectives_and_heads() {
    let data = common::data();
    for (objective, head) in [
        (Objective::Ce, Head::Seed),
        (Objective::Sse, Head::Seed),
        (Objective::Ce, Head::Gaussian),
    ] {
        let mut config = common::tiny("learns");
        config.objective = objective;
        config.head = head;
        config.iterations = 60;
        let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
        let mut losses = Vec::new();
        let trained = train(&config, &sets, &mut |p| {
            if p.loss.is_finite() {
                losses.push(p.loss)
            }
        })
        .unwrap();
        let (first, last) = (
            trained.history.first().unwrap().train,
            trained.history.last().unwrap().train,
        );
        let recon = |l: vaelab_vae::Losses| {
            if objective == Objective::Ce {
                l.ce
            } else {
                l.sse
            }
        };
        assert!(
            recon(last) < 0.8 * recon(first),
            "{objective:?}/{head:?}: {first:?} → {last:?}"
        );
        assert_eq!(losses.len(), config.iterations);
    }
}

#[test]
fn the_same_seed_gives_the_same_history_and_another_seed_does_not() {
    let data = common::data();
    let config = common::tiny("seeded");
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let a = train(&config, &sets, &mut |_| {}).unwrap();
    let b = train(&config, &sets, &mut |_| {}).unwrap();
    assert_eq!(a.history, b.history);
    let mut other = config.clone();
    other.seed = 1;
    let c = train(&other, &sets, &mut |_| {}).unwrap();
    assert_ne!(a.history.last(), c.history.last());
}

#[test]
fn evaluating_more_often_does_not_change_the_trajectory() {
    let data = common::data();
    let mut config = common::tiny("eval-every");
    config.batch_size = 20; // minibatches and dynamic binarisation use the training stream too
    config.data.binarize = vaelab_vae::Binarize::Dynamic;
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let sparse = train(&config, &sets, &mut |_| {}).unwrap();
    config.eval_every = 1;
    let dense = train(&config, &sets, &mut |_| {}).unwrap();
    assert_eq!(dense.history.len(), config.iterations + 1);
    for record in &sparse.history {
        let same = dense
            .history
            .iter()
            .find(|r| r.iteration == record.iteration)
            .unwrap();
        assert_eq!(record, same, "iteration {}", record.iteration);
    }
    let params = |t: &vaelab_vae::Trained| -> Vec<Vec<f32>> {
        t.model
            .named_params()
            .iter()
            .map(|(_, p)| p.value().as_slice().to_vec())
            .collect()
    };
    assert_eq!(params(&sparse), params(&dense));
}

#[test]
fn a_divergent_run_names_the_run_and_the_iteration() {
    let data = common::data();
    let mut config = common::tiny("explodes");
    config.adam.lr = 1e6;
    config.objective = Objective::Sse;
    config.head = Head::Gaussian;
    config.iterations = 200;
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    match train(&config, &sets, &mut |_| {}) {
        Err(e @ VaeError::Diverged { .. }) => {
            let message = e.to_string();
            assert!(
                message.contains("explodes") && message.contains("iteration"),
                "{message}"
            );
        }
        other => panic!(
            "expected divergence, got {:?}",
            other.map(|t| t.history.last().copied())
        ),
    }
}

#[test]
fn a_checkpoint_reproduces_the_logged_metrics_exactly() {
    let data = common::data();
    let config = common::tiny("checkpoint");
    let run = run_one(&config, &data, &mut |_| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    checkpoint::save(&path, &run.model, &run.config).unwrap();
    let (loaded_config, model) = checkpoint::load(&path).unwrap();
    assert_eq!(loaded_config, config);
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    // The same evaluation stream, in the same order as the training loop.
    let mut rng = stream(config.seed, Stream::Eval);
    let mut tape = Tape::new();
    let train_losses = evaluate(&model, &mut tape, &sets.train, &mut rng);
    let test_losses = evaluate(&model, &mut tape, &sets.test, &mut rng);
    let last = run.history.last().unwrap();
    assert_eq!((train_losses, test_losses), (last.train, last.test));
}

#[test]
fn a_checkpoint_with_a_wrong_shape_is_refused_by_name() {
    let data = common::data();
    let config = common::tiny("shape");
    let run = run_one(&config, &data, &mut |_| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    // Save a d = 2 model but claim d = 3 in the metadata.
    let mut claimed = config.clone();
    claimed.latent = 3;
    checkpoint::save(&path, &run.model, &claimed).unwrap();
    let err = checkpoint::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("encoder.4.weight") || err.contains("shape"),
        "{err}"
    );
}

#[test]
fn kl_warmup_zero_is_bit_identical_and_a_warmup_weights_only_the_objective() {
    let data = common::data();
    let config = common::tiny("warmup");
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let run = |c: &vaelab_vae::RunConfig| {
        let mut losses = Vec::new();
        let trained = train(c, &sets, &mut |p| {
            if p.loss.is_finite() {
                losses.push(p.loss)
            }
        })
        .unwrap();
        let params: Vec<Vec<f32>> = trained
            .model
            .named_params()
            .iter()
            .map(|(_, p)| p.value().iter().copied().collect())
            .collect();
        (trained.history, losses, params)
    };
    // The same settings read back with `kl_warmup = 0` written out.
    let mut value = serde_json::to_value(&config).unwrap();
    value["kl_warmup"] = serde_json::json!(0);
    let explicit: vaelab_vae::RunConfig = serde_json::from_value(value).unwrap();
    assert_eq!(explicit.kl_warmup, 0);
    let plain = run(&config);
    assert_eq!(run(&explicit), plain);

    let mut warm = config.clone();
    warm.kl_warmup = 10;
    let warmed = run(&warm);
    // Record 0 is the same initial model, recorded unweighted either way.
    assert_eq!(warmed.0[0], plain.0[0]);
    // Update 0 sees the same model, batch and noise but a KL weight of 0:
    // its objective is the reconstruction alone, below recon + KL.
    assert!(
        warmed.1[0] < plain.1[0],
        "{} vs {}",
        warmed.1[0],
        plain.1[0]
    );
    assert_ne!(warmed.2, plain.2);
}
