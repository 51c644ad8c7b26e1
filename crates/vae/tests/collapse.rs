//! Collapse as a state: a run whose encoder ignores its input is classified
//! as collapsed and gets no kNN figure; a run that learns gets one.
#![allow(clippy::unwrap_used)]

mod common;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use vaelab_metrics::{LatentFigure, LatentState};
use vaelab_vae::{Head, StudyData, Vae, analyse, run_one};

#[test]
fn an_encoder_that_ignores_its_input_is_collapsed_and_has_no_knn_figure() {
    let data = common::data();
    let mut config = common::tiny("collapsed");
    config.head = Head::Gaussian;
    config.latent = 4;
    let mut model = Vae::new(&config, &mut ChaCha8Rng::seed_from_u64(0));
    // All weights and biases zero: μ = 0 and ln σ² = 0 for every image, so
    // every dimension's KL to the prior is exactly 0.
    for p in model.params_mut() {
        p.value_mut().fill(0.0);
    }
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let analysis = analyse(&model, &sets, &config).unwrap();
    let m = &analysis.metrics;
    assert!(m.kl_per_dim.iter().all(|&k| k == 0.0), "{:?}", m.kl_per_dim);
    assert!(
        m.kl_from_aggregate.iter().all(|&k| k == 0.0),
        "{:?}",
        m.kl_from_aggregate
    );
    assert_eq!(m.latent_activity.state, LatentState::Collapsed);
    assert_eq!((m.latent_activity.active, m.latent_activity.dims), (0, 4));
    assert_eq!(m.knn.value(), None);
    assert!(matches!(&m.knn, LatentFigure::NoFigure(reason) if reason.contains("collapsed")));
}

#[test]
fn a_run_that_learns_has_active_dimensions_and_a_knn_figure() {
    let data = common::data();
    let mut config = common::tiny("learns");
    config.head = Head::Gaussian;
    config.latent = 3;
    config.iterations = 60;
    let run = run_one(&config, &data, &mut |_| {}).unwrap();
    let m = &run.analysis.metrics;
    let active = m.kl_from_aggregate.iter().filter(|&&k| k > 0.1).count();
    assert!(active > 0, "no active dimension: {:?}", m.kl_from_aggregate);
    assert_eq!(m.latent_activity.active, active);
    assert_ne!(m.latent_activity.state, LatentState::Collapsed);
    assert_eq!(m.knn.value(), Some(m.knn_accuracy));
}

#[test]
fn a_constant_posterior_away_from_the_prior_is_still_collapsed() {
    let data = common::data();
    let mut config = common::tiny("constant");
    config.head = Head::Gaussian;
    config.latent = 2;
    let mut model = Vae::new(&config, &mut ChaCha8Rng::seed_from_u64(0));
    // Weights zero, biases 0.7: every image gets μ = 0.7, ln σ² = 0.7, a
    // posterior that ignores the image but is not the prior (its KL to
    // N(0, 1) is ½(0.49 + e^0.7 − 0.7 − 1) ≈ 0.40 nats per dimension).
    let names: Vec<String> = model.named_params().into_iter().map(|(n, _)| n).collect();
    for (name, p) in names.iter().zip(model.params_mut()) {
        let value = if name.ends_with("bias") { 0.7 } else { 0.0 };
        p.value_mut().fill(value);
    }
    let sets = StudyData::select(&data, &config.data, config.seed, &config.name).unwrap();
    let m = analyse(&model, &sets, &config).unwrap().metrics;
    let prior_kl = 0.5 * (0.49 + 0.7f64.exp() - 0.7 - 1.0);
    for &k in &m.kl_per_dim {
        assert!((k - prior_kl).abs() < 1e-4, "{k} vs {prior_kl}");
    }
    assert!(
        m.kl_from_aggregate.iter().all(|&k| k < 1e-6),
        "{:?}",
        m.kl_from_aggregate
    );
    assert_eq!(m.latent_activity.state, LatentState::Collapsed);
    assert_eq!(m.knn.value(), None);
}
