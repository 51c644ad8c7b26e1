//! Epoch training, configurable architectures and threaded products on
//! synthetic data.
#![allow(clippy::unwrap_used)]

mod common;

use vaelab_nn::Init;
use vaelab_vae::{EpochEnd, Head, RunConfig, StudyData, Trained, train};

/// A gaussian-head run of 40 images in batches of 16 (16, 16, then 8) for
/// `epochs` epochs, evaluated after every epoch.
fn epoch_run(epochs: usize) -> RunConfig {
    let text = format!(
        "name = \"epochs\"\nactivation = \"relu\"\nlatent = 4\nhead = \"gaussian\"\n\
         hidden = [64]\ninit = \"pytorch\"\nepochs = {epochs}\nbatch_size = 16\n\
         adam = {{ lr = 0.003 }}\ndata = {{ train = 40, test = 30, classify = 100 }}"
    );
    toml::from_str(&text).unwrap()
}

fn run(config: &RunConfig) -> (Trained, Vec<EpochEnd>, Vec<usize>) {
    let data = common::data();
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let (mut ends, mut updates) = (Vec::new(), Vec::new());
    let trained = train(config, &sets, &mut |p| {
        ends.extend(p.epoch);
        if p.loss.is_finite() {
            updates.push(p.iteration);
        }
    })
    .unwrap();
    (trained, ends, updates)
}

#[test]
fn epochs_keep_the_partial_batch_and_log_every_epoch() {
    let config = epoch_run(4);
    // ⌈40 / 16⌉ = 3 updates per epoch, the third of 8 images.
    assert_eq!((config.iterations, config.eval_every), (12, 3));
    let (trained, ends, updates) = run(&config);
    assert_eq!(updates, (0..12).collect::<Vec<_>>());
    let recorded: Vec<usize> = trained.history.iter().map(|r| r.iteration).collect();
    assert_eq!(recorded, vec![0, 3, 6, 9, 12]);
    let epochs: Vec<(usize, usize)> = ends.iter().map(|e| (e.epoch, e.epochs)).collect();
    assert_eq!(epochs, vec![(1, 4), (2, 4), (3, 4), (4, 4)]);
    assert!(
        ends.iter()
            .all(|e| e.train_loss.is_finite() && e.seconds >= 0.0)
    );
    // The mean training objective falls from the first epoch to the last.
    assert!(ends[3].train_loss < ends[0].train_loss, "{ends:?}");
}

#[test]
fn epoch_training_follows_the_seed() {
    let config = epoch_run(2);
    let (a, _, _) = run(&config);
    let (b, _, _) = run(&config);
    assert_eq!(a.history, b.history);
    let other = RunConfig {
        seed: 1,
        ..config.clone()
    };
    assert_ne!(run(&other).0.history, a.history);
}

#[test]
fn threads_do_not_change_a_single_bit() {
    // 40 × 784 × 600 multiply-adds: the outer layers' products are split.
    let mut config = epoch_run(2);
    config.hidden = Some(vec![600]);
    config.batch_size = 40;
    config.iterations = 2 * config.iterations_per_epoch();
    config.eval_every = config.iterations_per_epoch();
    const { assert!(40 * 784 * 600 >= vaelab_autodiff::PARALLEL_MIN_WORK) };
    let (one, _, _) = run(&config);
    for threads in [2, 3] {
        let (many, _, _) = run(&RunConfig {
            threads,
            ..config.clone()
        });
        assert_eq!(one.history, many.history, "{threads} threads");
        for ((name, a), (_, b)) in one
            .model
            .named_params()
            .iter()
            .zip(many.model.named_params())
        {
            let same = a
                .value()
                .iter()
                .zip(b.value().iter())
                .all(|(x, y)| x.to_bits() == y.to_bits());
            assert!(same, "{name} differs with {threads} threads");
        }
    }
}

#[test]
fn pytorch_init_bounds_every_layer_by_its_fan_in() {
    let config = RunConfig {
        head: Head::Gaussian,
        hidden: Some(vec![400]),
        latent: 20,
        init: Init::Pytorch,
        ..RunConfig::default()
    };
    config.validate().unwrap();
    let model = vaelab_vae::Vae::new(
        &config,
        &mut vaelab_vae::rng::stream(0, vaelab_vae::rng::Stream::Init),
    );
    for (name, p) in model.named_params() {
        // Weights are stored inputs × outputs; a bias row belongs to the
        // weight before it, whose fan-in is its row count.
        let fan_in = if name.ends_with("weight") {
            p.value().nrows()
        } else {
            let weight = name.replace("bias", "weight");
            let (_, w) = model
                .named_params()
                .into_iter()
                .find(|(n, _)| *n == weight)
                .unwrap();
            w.value().nrows()
        };
        let bound = 1.0 / (fan_in as f32).sqrt();
        let max = p.value().iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(
            max <= bound && max > 0.5 * bound,
            "{name}: max {max}, bound {bound}"
        );
    }
}
