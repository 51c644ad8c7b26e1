//! The measured quantities against closed forms.
#![allow(clippy::unwrap_used)]

mod common;

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use vaelab_autodiff::Tape;
use vaelab_vae::analysis::{decode, encode_means};
use vaelab_vae::evaluate::{evaluate, fill_normal};
use vaelab_vae::likelihood::log_likelihoods;
use vaelab_vae::{Head, StudyData, Vae, run_one};

fn trained(head: Head) -> (Vae, StudyData) {
    let data = common::data();
    let mut config = common::tiny("eval");
    config.head = head;
    config.latent = 3;
    let run = run_one(&config, &data, &mut |_| {}).unwrap();
    (
        run.model,
        StudyData::select(&data, &config.data, config.seed, &config.name).unwrap(),
    )
}

/// ln N(v; m, s²), written out.
fn log_normal(v: f64, m: f64, s: f64) -> f64 {
    -0.5 * ((v - m) / s).powi(2) - s.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
}

#[test]
fn evaluated_losses_match_their_closed_forms() {
    let (model, sets) = trained(Head::Gaussian);
    let set = &sets.test;
    // Recompute with the same noise: the first draws of the same stream.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let losses = evaluate(&model, &mut Tape::new(), set, &mut rng);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut eps = DMatrix::zeros(set.len(), 3);
    fill_normal(&mut eps, &mut rng);
    let (mu, log_var) = encode_means(&model, set);
    let zs = DMatrix::from_fn(set.len(), 3, |i, j| {
        mu[(i, j)] + (0.5 * log_var[(i, j)]).exp() * eps[(i, j)]
    });
    let ys = decode(&model, &zs);
    let n = set.len() as f64;
    let (mut ce, mut sse, mut kl) = (0.0, 0.0, 0.0);
    for i in 0..set.len() {
        for p in 0..784 {
            let (x, y) = (
                f64::from(set.pixel(i, p)),
                f64::from(ys[(i, p)]).clamp(1e-7, 1.0 - 1e-7),
            );
            ce -= x * y.ln() + (1.0 - x) * (1.0 - y).ln();
            sse += 0.5 * (x - y).powi(2);
        }
        for j in 0..3 {
            let (m, v) = (f64::from(mu[(i, j)]), f64::from(log_var[(i, j)]));
            kl += 0.5 * (m * m + v.exp() - v - 1.0);
        }
    }
    let close = |a: f64, b: f64, what: &str| {
        assert!(
            (a - b).abs() <= 1e-3 * b.abs().max(1.0),
            "{what}: {a} vs {b}"
        )
    };
    close(losses.ce, ce / n, "CE");
    close(losses.sse, sse / n, "SSE");
    close(losses.mse, 2.0 * sse / (n * 784.0), "MSE");
    close(losses.kl, kl / n, "KL");
}

#[test]
fn with_one_sample_the_estimate_is_the_single_sample_elbo() {
    let (model, sets) = trained(Head::Seed);
    let set = &sets.test;
    let estimate = log_likelihoods(&model, set, 1, &mut ChaCha8Rng::seed_from_u64(4));
    // The ELBO of one draw: ln p(x|z) + ln p(z) − ln q(z|x), with the same draws.
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let (mu, log_var) = encode_means(&model, set);
    for i in 0..set.len() {
        let mut eps = DMatrix::zeros(1, 3);
        fill_normal(&mut eps, &mut rng);
        let mut z = DMatrix::zeros(1, 3);
        let mut log_prior_over_q = 0.0;
        for j in 0..3 {
            let (m, s) = (
                f64::from(mu[(i, j)]),
                (0.5 * f64::from(log_var[(i, j)])).exp(),
            );
            let v = m + s * f64::from(eps[(0, j)]);
            z[(0, j)] = v as f32;
            log_prior_over_q += log_normal(v, 0.0, 1.0) - log_normal(v, m, s);
        }
        let y = decode(&model, &z);
        let log_px: f64 = (0..784)
            .map(|p| {
                let (x, y) = (
                    f64::from(set.pixel(i, p)),
                    f64::from(y[(0, p)]).clamp(1e-7, 1.0 - 1e-7),
                );
                x * y.ln() + (1.0 - x) * (1.0 - y).ln()
            })
            .sum();
        let elbo = log_px + log_prior_over_q;
        assert!(
            (estimate[i] - elbo).abs() < 1e-3 * elbo.abs(),
            "image {i}: {} vs {elbo}",
            estimate[i]
        );
    }
}

#[test]
fn more_samples_give_a_higher_estimate_on_average() {
    let (model, sets) = trained(Head::Gaussian);
    let set = &sets.test;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let single: f64 = (0..20)
        .map(|_| mean(&log_likelihoods(&model, set, 1, &mut rng)))
        .sum::<f64>()
        / 20.0;
    let many = mean(&log_likelihoods(&model, set, 200, &mut rng));
    assert!(
        many >= single,
        "K = 200 gives {many}, K = 1 gives {single} on average"
    );
}
