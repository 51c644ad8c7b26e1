//! Bounded memory changes no number: evaluation and the log-likelihood in
//! small chunks equal one pass over the whole set for the same draws, the
//! S-draw losses are the mean of S evaluations, and the likelihood's
//! standard error matches a hand computation.
#![allow(clippy::unwrap_used)]

mod common;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use vaelab_autodiff::Tape;
use vaelab_vae::analysis::{decode, encode_means};
use vaelab_vae::evaluate::{Losses, evaluate_at_mean, evaluate_chunked, evaluate_draws};
use vaelab_vae::likelihood::{
    ERROR_BATCHES, ImageEstimate, decay, effective_samples, error_batches, estimates, log_mean_exp,
    log_mean_exp_se, summarise,
};
use vaelab_vae::{Head, StudyData, Vae, run_one};

fn trained() -> (Vae, StudyData) {
    let data = common::data();
    let mut config = common::tiny("chunks");
    config.head = Head::Gaussian;
    config.latent = 3;
    let run = run_one(&config, &data, &mut |_| {}).unwrap();
    (
        run.model,
        StudyData::select(&data, &config.data, config.seed, &config.name).unwrap(),
    )
}

fn close(a: f64, b: f64, what: &str) {
    close_to(a, b, 1e-6, what);
}

fn close_to(a: f64, b: f64, relative: f64, what: &str) {
    let tolerance = relative * a.abs().max(b.abs()).max(1e-12);
    assert!((a - b).abs() <= tolerance, "{what}: {a} vs {b}");
}

fn close_losses(a: &Losses, b: &Losses, what: &str) {
    close(a.ce, b.ce, &format!("{what} CE"));
    close(a.sse, b.sse, &format!("{what} SSE"));
    close(a.mse, b.mse, &format!("{what} MSE"));
    close(a.kl, b.kl, &format!("{what} KL"));
}

#[test]
fn chunked_evaluation_equals_one_pass_for_the_same_draws() {
    let (model, sets) = trained();
    let set = &sets.test; // 30 images
    let mut tape = Tape::new();
    let whole = evaluate_chunked(
        &model,
        &mut tape,
        set,
        &mut ChaCha8Rng::seed_from_u64(3),
        1000,
    );
    for chunk in [1, 7, 29] {
        let parts = evaluate_chunked(
            &model,
            &mut tape,
            set,
            &mut ChaCha8Rng::seed_from_u64(3),
            chunk,
        );
        close_losses(&whole, &parts, &format!("chunk {chunk}"));
    }
    // A different draw changes the sampled losses: the comparison above
    // is between equal draws, not between numbers that never move.
    let other = evaluate_chunked(
        &model,
        &mut tape,
        set,
        &mut ChaCha8Rng::seed_from_u64(4),
        1000,
    );
    assert_ne!(whole.ce, other.ce);

    let at_mean = evaluate_at_mean(&model, &mut tape, set, 1000);
    close_losses(
        &at_mean,
        &evaluate_at_mean(&model, &mut tape, set, 4),
        "z = μ",
    );
    assert_eq!(at_mean.kl, whole.kl, "KL does not depend on the noise");
}

#[test]
fn losses_at_the_mean_decode_mu() {
    let (model, sets) = trained();
    let set = &sets.test;
    let (mu, _) = encode_means(&model, set);
    let ys = decode(&model, &mu);
    let mut squares = 0.0;
    for i in 0..set.len() {
        for p in 0..784 {
            squares += (f64::from(set.pixel(i, p)) - f64::from(ys[(i, p)])).powi(2);
        }
    }
    let n = set.len() as f64;
    let losses = evaluate_at_mean(&model, &mut Tape::new(), set, 8);
    close(losses.sse, 0.5 * squares / n, "SSE at z = μ");
    close(losses.mse, squares / (n * 784.0), "MSE at z = μ");
}

#[test]
fn s_draw_losses_are_the_mean_of_s_evaluations() {
    let (model, sets) = trained();
    let set = &sets.train;
    let mut tape = Tape::new();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let each: Vec<Losses> = (0..3)
        .map(|_| evaluate_chunked(&model, &mut tape, set, &mut rng, 16))
        .collect();
    let drawn = evaluate_draws(
        &model,
        &mut tape,
        set,
        &mut ChaCha8Rng::seed_from_u64(5),
        3,
        16,
    );
    assert_eq!(drawn.draws, 3);
    let ces: Vec<f64> = each.iter().map(|l| l.ce).collect();
    let mean = ces.iter().sum::<f64>() / 3.0;
    let sd = (ces.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    close(drawn.sampled.ce, mean, "mean CE over 3 draws");
    close(drawn.sampled_sd.ce, sd, "sd of CE over 3 draws");
    assert!(drawn.sampled_sd.ce > 0.0);
    // One draw is exactly the plain evaluation (the history's numbers).
    let one = evaluate_draws(
        &model,
        &mut tape,
        set,
        &mut ChaCha8Rng::seed_from_u64(5),
        1,
        16,
    );
    assert_eq!(one.sampled, each[0]);
    assert_eq!(one.sampled_sd, Losses::default());
}

#[test]
fn chunked_log_likelihood_equals_one_pass_for_the_same_draws() {
    let (model, sets) = trained();
    let set = &sets.test;
    let samples = 600; // more than one block of 250 draws
    let run = |images: usize, samples_at_once: usize| {
        estimates(
            &model,
            set,
            samples,
            &mut ChaCha8Rng::seed_from_u64(8),
            images,
            samples_at_once,
        )
    };
    let whole = run(set.len(), samples);
    assert_eq!(whole.len(), set.len());
    for (images, at_once) in [(1, 7), (4, 250), (29, 599), (1000, 1)] {
        let parts = run(images, at_once);
        for (i, (a, b)) in whole.iter().zip(&parts).enumerate() {
            close(
                a.estimate,
                b.estimate,
                &format!("image {i}, chunks {images}×{at_once}"),
            );
            // The error is a spread of weights e^(ln w), so the f32
            // decoder's last-bit differences between matrix shapes (about
            // 1e-5 nats in ln w) move it more than the estimate: 1e-4.
            close_to(
                a.standard_error.unwrap(),
                b.standard_error.unwrap(),
                1e-4,
                &format!("standard error of image {i}"),
            );
        }
    }
    let other = estimates(
        &model,
        set,
        samples,
        &mut ChaCha8Rng::seed_from_u64(9),
        1000,
        250,
    );
    assert_ne!(whole[0].estimate, other[0].estimate);
}

#[test]
fn the_standard_error_matches_a_hand_computation() {
    // Weights 1, 2, 3, 4: mean 2.5, sample variance 5/3, so the delta-method
    // error of ln(mean) is √(5/3) / (√4 · 2.5) = 0.258198…
    let log_w: Vec<f64> = [1.0f64, 2.0, 3.0, 4.0].iter().map(|w| w.ln()).collect();
    let (estimate, se) = log_mean_exp_se(&log_w);
    assert!((estimate - 2.5f64.ln()).abs() < 1e-12, "{estimate}");
    let expected = (5.0f64 / 3.0).sqrt() / (2.0 * 2.5);
    assert!(
        (se.unwrap() - expected).abs() < 1e-12,
        "{se:?} vs {expected}"
    );
    // Shifting every log-weight by −1000 (weights that would underflow)
    // moves the estimate by −1000 and leaves the relative error alone.
    let shifted: Vec<f64> = log_w.iter().map(|x| x - 1000.0).collect();
    let (low, low_se) = log_mean_exp_se(&shifted);
    assert!((low - (2.5f64.ln() - 1000.0)).abs() < 1e-9, "{low}");
    assert!((low_se.unwrap() - expected).abs() < 1e-12);
    // Equal weights: no spread; one weight: no error at all.
    assert_eq!(log_mean_exp_se(&[0.5, 0.5, 0.5]).1, Some(0.0));
    assert_eq!(log_mean_exp_se(&[0.5]).1, None);

    // The set's delta-method error: √(Σ seᵢ²) / n over independent images.
    let image = |estimate: f64, se: f64| ImageEstimate {
        estimate,
        standard_error: Some(se),
        batches: vec![],
        fine_batches: vec![],
        effective_samples: 1.0,
    };
    let set = summarise(&[image(-100.0, 0.3), image(-102.0, 0.4)], 4);
    assert_eq!((set.mean, set.samples, set.images), (-101.0, 4, 2));
    assert!((set.delta_standard_error.unwrap() - 0.25).abs() < 1e-12);
    // No batches, no batch-means error.
    assert_eq!(set.standard_error, None);
}

#[test]
fn the_batch_means_error_and_the_ess_match_a_hand_computation() {
    // K = 4 < 10: four batches of one weight each. Image 1 has weights
    // 1, 2, 3, 4, image 2 the same in reverse, so the batches' set means are
    // L = (ln 1 + ln 4)/2, (ln 2 + ln 3)/2, (ln 3 + ln 2)/2, (ln 4 + ln 1)/2
    //   = ln 2, ln 6 / 2, ln 6 / 2, ln 2,
    // whose sample sd is 0.1170476946… (computed by hand in f64). With a
    // median ESS of 10/3 < 10 no averaging is credited (a = 0), so that sd
    // is the error itself, not sd / √4 = 0.0585… of plain batch means.
    let ln = |ws: [f64; 4]| ws.map(f64::ln);
    let a = ImageEstimate::from_log_weights(&ln([1.0, 2.0, 3.0, 4.0]));
    let b = ImageEstimate::from_log_weights(&ln([4.0, 3.0, 2.0, 1.0]));
    assert_eq!(a.batches.len(), 4);
    assert!((a.batches[3] - 4f64.ln()).abs() < 1e-12);
    // ESS = (Σw)² / Σw² = 100 / 30 for both.
    assert!((a.effective_samples - 10.0 / 3.0).abs() < 1e-12);
    let set = summarise(&[a, b], 4);
    assert!((set.mean - 2.5f64.ln()).abs() < 1e-12);
    let se = set.standard_error.unwrap();
    assert!((se - 0.117_047_694_656_624_7).abs() < 1e-12, "{se}");
    assert!((set.effective_samples - 10.0 / 3.0).abs() < 1e-12);
    assert!(set.few_effective());

    // K = 25: ten batches split at ⌊i·25/10⌋ = 0, 2, 5, 7, 10, …: sizes 2, 3, 2, 3, ….
    let log_w: Vec<f64> = (0..25).map(f64::from).collect();
    let e = ImageEstimate::from_log_weights(&log_w);
    assert_eq!(e.batches.len(), ERROR_BATCHES);
    assert!((e.batches[0] - log_mean_exp(&[0.0, 1.0])).abs() < 1e-12);
    assert!((e.batches[1] - log_mean_exp(&[2.0, 3.0, 4.0])).abs() < 1e-12);
    assert!((e.batches[9] - log_mean_exp(&[22.0, 23.0, 24.0])).abs() < 1e-12);
    assert_eq!((error_batches(1000), error_batches(1)), (10, 0));
    // Forty finer batches need K ≥ 40: none here, ten of size 1 … at K = 40.
    assert!(e.fine_batches.is_empty());
    let e40 = ImageEstimate::from_log_weights(&[0.0; 40]);
    assert_eq!((e40.batches.len(), e40.fine_batches.len()), (10, 40));
    // The decay exponent: sd halves when batches get 4× larger (a = 1:
    // ordinary batch means); stays put (a = 0: nothing averages out); is
    // clamped to [0, 1]; and is 1 without fine batches.
    assert!((decay(Some((10, 1.0)), Some((40, 2.0))) - 1.0).abs() < 1e-12);
    assert!(decay(Some((10, 1.0)), Some((40, 1.0))).abs() < 1e-12);
    assert!((decay(Some((10, 1.0)), Some((40, 2f64.sqrt()))) - 0.5).abs() < 1e-12);
    assert_eq!(decay(Some((10, 1.0)), Some((40, 0.5))), 0.0);
    assert_eq!(decay(Some((10, 1.0)), Some((40, 9.0))), 1.0);
    assert_eq!(decay(Some((10, 1.0)), None), 1.0);

    // Through `summarise`, one image: coarse batches 0, 2 (sd √2). Fine
    // batches 0, 4, 0, 4 (sd 4/√3, faster than m^(−1/2): a clamped to 1)
    // give √2 / √2 = 1; fine 0, 2, 0, 2 (sd 2/√3 < √2: no decay, a = 0)
    // give √2 itself.
    let with = |fine: Vec<f64>| ImageEstimate {
        estimate: 1.0,
        standard_error: Some(0.1),
        batches: vec![0.0, 2.0],
        fine_batches: fine,
        effective_samples: 50.0,
    };
    let se = |fine| summarise(&[with(fine)], 80).standard_error.unwrap();
    assert!((se(vec![0.0, 4.0, 0.0, 4.0]) - 1.0).abs() < 1e-12);
    assert!((se(vec![0.0, 2.0, 0.0, 2.0]) - 2f64.sqrt()).abs() < 1e-12);
    // The same batches with few effective samples: a = 0 whatever the decay.
    let few = ImageEstimate {
        effective_samples: 2.0,
        ..with(vec![0.0, 4.0, 0.0, 4.0])
    };
    let set = summarise(&[few], 80);
    assert!(set.few_effective());
    assert!((set.standard_error.unwrap() - 2f64.sqrt()).abs() < 1e-12);
    // One weight dominating: ESS near 1; equal weights: ESS = K.
    assert!((effective_samples(&[0.0, -50.0, -50.0]) - 1.0).abs() < 1e-12);
    assert!((effective_samples(&[-3.0; 8]) - 8.0).abs() < 1e-12);
}
