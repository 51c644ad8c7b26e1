//! The settings of one run, with the study's defaults (`docs/study.md` §2–7).
//!
//! Every field has a default, so a suite file names only what differs. Unknown
//! keys are refused rather than ignored: a misspelt `latnet = 20` would
//! otherwise run the wrong experiment silently.
//!
//! A run is as long as `iterations` updates or `epochs` passes over the
//! training set (exactly one of them). Once read, `iterations` always holds
//! the number of updates, so that everything downstream counts updates; an
//! epoch is `⌈data.train / batch_size⌉` of them, the last batch partial.

use serde::{Deserialize, Serialize};
use vaelab_nn::{Activation, AdamConfig, Init};

use crate::error::{Result, VaeError};

/// How μ and σ are read off the encoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Head {
    /// The seed's head: `μ = σ(Affine(d,d) h)`, `σ = σ(Affine(d,d) h)` from a
    /// `d`-unit encoder output, both bounded to (0, 1).
    Seed,
    /// The standard VAE: `μ = Affine(h,d) h`, `ln σ² = Affine(h,d) h`
    /// from the last hidden layer (`h` units, 100 by default, see
    /// [`RunConfig::hidden`]), both unbounded.
    Gaussian,
}

/// Which data file a set is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The training file.
    Train,
    /// The test file.
    #[default]
    Test,
}

impl Source {
    fn is_test(&self) -> bool {
        *self == Source::Test
    }
}

/// The hidden-layer widths of encoder and decoder, input side first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenLayers {
    /// Encoder: 784 → these → head.
    pub encoder: Vec<usize>,
    /// Decoder: d → these → 784.
    pub decoder: Vec<usize>,
}

/// The study's hidden layers: encoder 784-100-100, decoder d-100-100-100-784.
pub const STUDY_ENCODER_HIDDEN: [usize; 2] = [100, 100];
/// See [`STUDY_ENCODER_HIDDEN`].
pub const STUDY_DECODER_HIDDEN: [usize; 3] = [100, 100, 100];

/// What training minimises besides `β·KL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Cross-entropy of the sigmoid output against the pixels.
    Ce,
    /// Half the sum of squared differences.
    Sse,
}

/// The head's name as the suite file spells it: `seed`, `gaussian`.
impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Head::Seed => "seed",
            Head::Gaussian => "gaussian",
        })
    }
}

/// The loss's abbreviation as text uses it: `CE`, `SSE` (the suite file
/// spells it in lower case).
impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Objective::Ce => "CE",
            Objective::Sse => "SSE",
        })
    }
}

/// How the images of a set are chosen from the data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Selection {
    /// The first images of the file (the study's choice).
    First,
    /// A seeded random sample.
    Random,
    /// A seeded sample with the same number of images of every digit.
    Balanced,
}

/// Whether pixels are turned into 0/1 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Binarize {
    /// Grey levels in [0, 1] (the study's choice).
    None,
    /// Threshold at 0.5, once.
    Static,
    /// A fresh Bernoulli draw of every pixel at every iteration.
    Dynamic,
}

/// Validation images when `data.validation` is not set (the default study's).
pub const DEFAULT_VALIDATION: usize = 100;

/// Which images train, test and probe the latent space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Training images, from the training file. Default 100.
    pub train: usize,
    /// Test images, from the test file. Default 100.
    pub test: usize,
    /// Validation images, from the training file, disjoint from the
    /// training set (and from the classification set when that comes from
    /// the training file too): with `selection = "first"` the images right
    /// after the training images. Evaluated with the training and test sets
    /// at every record; the report's "best iteration" is chosen on them,
    /// never on the test set. Default (unset): [`DEFAULT_VALIDATION`]
    /// images, or as many as the training file has left when fewer (none
    /// when training takes the whole file). A number given is exact: an
    /// error if the file has not that many left; 0 for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<usize>,
    /// Classification-set images (the latent scatter and kNN accuracy use
    /// them). Default 1000, from the test file, disjoint from the test set.
    pub classify: usize,
    /// The file the classification set comes from. Default `test`. With
    /// `train` it is chosen from the whole training file and may share
    /// images with the training set: for runs whose test set takes the
    /// whole test file.
    #[serde(skip_serializing_if = "Source::is_test")]
    pub classify_from: Source,
    /// How each set is chosen. Default `first`.
    pub selection: Selection,
    /// Pixel binarisation. Default `none`.
    pub binarize: Binarize,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            train: 100,
            test: 100,
            validation: None,
            classify: 1000,
            classify_from: Source::Test,
            selection: Selection::First,
            binarize: Binarize::None,
        }
    }
}

/// What the evaluation after training computes for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisConfig {
    /// Images per row of the reconstruction figure. Default 10.
    pub reconstructions: usize,
    /// Pixel positions in the histogram figure. Default 4.
    pub histogram_pixels: usize,
    /// Bins of each histogram over [0, 1]. Default 20.
    pub histogram_bins: usize,
    /// Points per side of the latent grid. Default 15.
    pub grid_size: usize,
    /// The grid spans `[−extent, extent]²`. Default 2.
    pub grid_extent: f64,
    /// Images in an interpolation row, t from 1 to 0. Default 11.
    pub interpolation_steps: usize,
    /// Interpolation rows. Default 4.
    pub interpolation_pairs: usize,
    /// Importance samples per image of the log-likelihood estimate. Default 1000.
    pub loglik_samples: usize,
    /// Neighbours of the kNN accuracy. Default 5.
    pub knn_k: usize,
    /// Noise draws S averaged in the final sampled losses (CE, SSE, MSE; the
    /// z = μ losses are reported beside them). Default 1: the history's last
    /// record, as before this setting existed.
    pub loss_draws: usize,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            reconstructions: 10,
            histogram_pixels: 4,
            histogram_bins: 20,
            grid_size: 15,
            grid_extent: 2.0,
            interpolation_steps: 11,
            interpolation_pairs: 4,
            loglik_samples: 1000,
            knn_k: 5,
            loss_draws: 1,
        }
    }
}

/// Everything that defines one run. `RunConfig::default()` is the study's
/// `sigmoid-z2` model trained on cross-entropy.
///
/// Read through [`RunFile`], which resolves `epochs` into `iterations` and
/// `eval_every_epochs` into `eval_every`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RunFile")]
pub struct RunConfig {
    /// The run's name, used for files, plots and tables.
    pub name: String,
    /// Hidden-layer activation of encoder and decoder. Default `sigmoid`.
    pub activation: Activation,
    /// Latent dimension d. Default 2.
    pub latent: usize,
    /// The μ/σ head. Default `seed`.
    pub head: Head,
    /// Widths of the encoder's hidden layers, e.g. `[400]` (gaussian head
    /// only; the seed head keeps the study's layers and refuses this).
    /// Default: the study's `[100, 100]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Vec<usize>>,
    /// Widths of the decoder's hidden layers from the latent side (gaussian
    /// head only). Default: `hidden` reversed when it is set, else the
    /// study's `[100, 100, 100]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoder_hidden: Option<Vec<usize>>,
    /// The reconstruction term. Default `ce`.
    pub objective: Objective,
    /// Weight of the KL term. Default 1.
    pub beta: f64,
    /// KL warm-up: over the first `kl_warmup` updates the KL term's weight
    /// rises linearly from 0 to `beta` (update `t` uses `beta·t/kl_warmup`),
    /// then stays at `beta`; see [`RunConfig::kl_weight`]. A common cure for
    /// posterior collapse: the decoder learns to use `z` before the KL term
    /// pulls the posterior onto the prior. The recorded losses are never
    /// weighted. Default 0 (off); at most `iterations`.
    #[serde(skip_serializing_if = "is_zero")]
    pub kl_warmup: usize,
    /// Weight initialiser (biases start at 0 except under `pytorch`).
    /// Default 0.1·N(0, 1).
    pub init: Init,
    /// Adam's settings. Default PyTorch's.
    pub adam: AdamConfig,
    /// Parameter updates. Default 2000, or `epochs` × updates per epoch.
    pub iterations: usize,
    /// When set, training makes this many passes over the training set, each
    /// a fresh seeded shuffle cut into minibatches, the last one partial
    /// (PyTorch's `DataLoader(shuffle=True)`). Default: unset (`iterations`
    /// counts updates, minibatches drawn as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<usize>,
    /// Images per update; the whole training set by default (100).
    pub batch_size: usize,
    /// Record the losses every this many iterations (and at 0 and the end).
    /// Default 10, or every epoch when `epochs` is set; a file may give
    /// `eval_every_epochs = k` instead.
    pub eval_every: usize,
    /// The one seed behind every random choice of the run. Default 0.
    pub seed: u64,
    /// Data selection.
    pub data: DataConfig,
    /// Post-training evaluation.
    pub analysis: AnalysisConfig,
    /// Threads one run's large matrix products may use. Not a setting of
    /// the file: the suite runner sets it from `--jobs` when fewer runs than
    /// threads are left. Results do not depend on it. Default 1.
    #[serde(skip)]
    pub threads: usize,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            name: "sigmoid-z2-ce".into(),
            activation: Activation::Sigmoid,
            latent: 2,
            head: Head::Seed,
            hidden: None,
            decoder_hidden: None,
            objective: Objective::Ce,
            beta: 1.0,
            kl_warmup: 0,
            init: Init::default(),
            adam: AdamConfig::default(),
            iterations: 2000,
            epochs: None,
            batch_size: 100,
            eval_every: 10,
            seed: 0,
            data: DataConfig::default(),
            analysis: AnalysisConfig::default(),
            threads: 1,
        }
    }
}

impl RunConfig {
    /// The model's name in the study's terms, e.g. `relu-z20`.
    pub fn model_name(&self) -> String {
        format!("{}-z{}", self.activation, self.latent)
    }

    /// The KL term's weight in update `iteration` (0-based): `beta` scaled
    /// by `iteration / kl_warmup` during the warm-up, `beta` itself after it
    /// and always when `kl_warmup` is 0.
    pub fn kl_weight(&self, iteration: usize) -> f64 {
        if iteration >= self.kl_warmup {
            self.beta
        } else {
            self.beta * iteration as f64 / self.kl_warmup as f64
        }
    }

    /// Updates per epoch: `⌈data.train / batch_size⌉`, the last batch partial.
    pub fn iterations_per_epoch(&self) -> usize {
        self.data.train.div_ceil(self.batch_size.max(1))
    }

    /// The hidden-layer widths this run's model is built with.
    pub fn hidden_layers(&self) -> HiddenLayers {
        let encoder = self
            .hidden
            .clone()
            .unwrap_or_else(|| STUDY_ENCODER_HIDDEN.to_vec());
        let decoder = match (&self.decoder_hidden, &self.hidden) {
            (Some(d), _) => d.clone(),
            (None, Some(h)) => h.iter().rev().copied().collect(),
            (None, None) => STUDY_DECODER_HIDDEN.to_vec(),
        };
        HiddenLayers { encoder, decoder }
    }

    /// The run's identity within a suite: its configuration's name and its
    /// seed, e.g. `relu-z20-ce/seed-3`. Runs of one configuration share the
    /// name and differ only in the seed.
    pub fn id(&self) -> String {
        format!("{}/seed-{}", self.name, self.seed)
    }

    /// Checks every range; the error names the run, the setting and the value.
    pub fn validate(&self) -> Result<()> {
        let bad = |setting: &'static str, value: String, reason: &str| {
            Err(VaeError::Config {
                run: self.name.clone(),
                setting,
                value,
                reason: reason.into(),
            })
        };
        let name_ok = !self.name.is_empty()
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        if !name_ok {
            return bad(
                "name",
                format!("{:?}", self.name),
                "use letters, digits, '-', '_' or '.' (it names files)",
            );
        }
        let counts: [(&'static str, usize, usize, usize); 13] = [
            ("latent", self.latent, 1, 4096),
            ("iterations", self.iterations, 1, 100_000_000),
            ("batch_size", self.batch_size, 1, usize::MAX),
            ("eval_every", self.eval_every, 1, usize::MAX),
            ("data.train", self.data.train, 1, usize::MAX),
            ("data.test", self.data.test, 1, usize::MAX),
            ("data.classify", self.data.classify, 1, usize::MAX),
            (
                "analysis.histogram_bins",
                self.analysis.histogram_bins,
                1,
                10_000,
            ),
            ("analysis.grid_size", self.analysis.grid_size, 2, 100),
            (
                "analysis.interpolation_steps",
                self.analysis.interpolation_steps,
                2,
                1000,
            ),
            (
                "analysis.loglik_samples",
                self.analysis.loglik_samples,
                1,
                1_000_000,
            ),
            ("analysis.knn_k", self.analysis.knn_k, 1, 1000),
            ("analysis.loss_draws", self.analysis.loss_draws, 1, 10_000),
        ];
        for (setting, value, lo, hi) in counts {
            if value < lo || value > hi {
                let range = if hi == usize::MAX {
                    format!("must be at least {lo}")
                } else {
                    format!("must be in {lo}..={hi}")
                };
                return bad(setting, value.to_string(), &range);
            }
        }
        if let Some(epochs) = self.epochs {
            if !(1..=1_000_000).contains(&epochs) {
                return bad("epochs", epochs.to_string(), "must be in 1..=1000000");
            }
            if self.iterations != epochs * self.iterations_per_epoch() {
                return bad(
                    "iterations",
                    self.iterations.to_string(),
                    &format!(
                        "disagrees with epochs = {epochs} ({} updates each); set one of them",
                        self.iterations_per_epoch()
                    ),
                );
            }
        }
        for (setting, sizes) in [
            ("hidden", &self.hidden),
            ("decoder_hidden", &self.decoder_hidden),
        ] {
            let Some(sizes) = sizes else { continue };
            if self.head == Head::Seed {
                return bad(
                    setting,
                    format!("{sizes:?}"),
                    "applies to head = \"gaussian\" only: the seed head keeps the \
                     study's 784-100-100-d encoder and d-100-100-100-784 decoder",
                );
            }
            if sizes.is_empty() || sizes.iter().any(|&w| !(1..=65_536).contains(&w)) {
                return bad(
                    setting,
                    format!("{sizes:?}"),
                    "must list one or more layer widths, each in 1..=65536",
                );
            }
        }
        if self.threads == 0 {
            return bad("threads", "0".into(), "must be at least 1");
        }
        if self.batch_size > self.data.train {
            return bad(
                "batch_size",
                self.batch_size.to_string(),
                &format!(
                    "is larger than the training set (data.train = {})",
                    self.data.train
                ),
            );
        }
        if !(self.beta.is_finite() && self.beta >= 0.0) {
            return bad("beta", self.beta.to_string(), "must be a finite number ≥ 0");
        }
        if self.kl_warmup > self.iterations {
            return bad(
                "kl_warmup",
                self.kl_warmup.to_string(),
                &format!(
                    "is longer than the run (iterations = {}); β would never reach its value",
                    self.iterations
                ),
            );
        }
        if !(self.analysis.grid_extent.is_finite() && self.analysis.grid_extent > 0.0) {
            return bad(
                "analysis.grid_extent",
                self.analysis.grid_extent.to_string(),
                "must be a finite number > 0",
            );
        }
        self.init.validate().map_err(|e| VaeError::Config {
            run: self.name.clone(),
            setting: "init",
            value: format!("{:?}", self.init),
            reason: e.to_string(),
        })?;
        self.adam.validate().map_err(|e| VaeError::Config {
            run: self.name.clone(),
            setting: "adam",
            value: format!("{:?}", self.adam),
            reason: e.to_string(),
        })?;
        Ok(())
    }
}

/// Serde's test for settings left out of the written configuration at their
/// default, so that runs stored before the setting existed keep their hash.
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A run as a file writes it: [`RunConfig`]'s settings, with `iterations`,
/// `epochs`, `eval_every` and `eval_every_epochs` as given (or not).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunFile {
    name: String,
    activation: Activation,
    latent: usize,
    head: Head,
    hidden: Option<Vec<usize>>,
    decoder_hidden: Option<Vec<usize>>,
    objective: Objective,
    beta: f64,
    kl_warmup: usize,
    init: Init,
    adam: AdamConfig,
    iterations: Option<usize>,
    epochs: Option<usize>,
    batch_size: usize,
    eval_every: Option<usize>,
    eval_every_epochs: Option<usize>,
    seed: u64,
    data: DataConfig,
    analysis: AnalysisConfig,
}

impl Default for RunFile {
    fn default() -> Self {
        let c = RunConfig::default();
        RunFile {
            name: c.name,
            activation: c.activation,
            latent: c.latent,
            head: c.head,
            hidden: c.hidden,
            decoder_hidden: c.decoder_hidden,
            objective: c.objective,
            beta: c.beta,
            kl_warmup: c.kl_warmup,
            init: c.init,
            adam: c.adam,
            iterations: None,
            epochs: None,
            batch_size: c.batch_size,
            eval_every: None,
            eval_every_epochs: None,
            seed: c.seed,
            data: c.data,
            analysis: c.analysis,
        }
    }
}

impl TryFrom<RunFile> for RunConfig {
    type Error = VaeError;

    /// Resolves the schedule: `epochs` into `iterations` (a file may give
    /// both only if they agree, as a written-out configuration does) and
    /// `eval_every_epochs` into `eval_every`.
    fn try_from(f: RunFile) -> Result<Self> {
        let per_epoch = f.data.train.div_ceil(f.batch_size.max(1));
        let bad = |setting: &'static str, value: String, reason: String| VaeError::Config {
            run: f.name.clone(),
            setting,
            value,
            reason,
        };
        let iterations = match (f.iterations, f.epochs) {
            (None, None) => RunConfig::default().iterations,
            (Some(n), None) => n,
            (None, Some(e)) => e.saturating_mul(per_epoch),
            (Some(n), Some(e)) if n == e.saturating_mul(per_epoch) => n,
            (Some(n), Some(e)) => {
                return Err(bad(
                    "iterations",
                    n.to_string(),
                    format!("set either iterations or epochs (epochs = {e} is given too)"),
                ));
            }
        };
        let eval_every = match (f.eval_every, f.eval_every_epochs, f.epochs) {
            (Some(n), None, _) => n,
            (None, Some(k), Some(_)) => k.saturating_mul(per_epoch),
            (None, Some(k), None) => {
                return Err(bad(
                    "eval_every_epochs",
                    k.to_string(),
                    "needs epochs = N (the run counts iterations; use eval_every)".into(),
                ));
            }
            (Some(n), Some(_), _) => {
                return Err(bad(
                    "eval_every",
                    n.to_string(),
                    "set either eval_every or eval_every_epochs".into(),
                ));
            }
            (None, None, Some(_)) => per_epoch,
            (None, None, None) => RunConfig::default().eval_every,
        };
        Ok(RunConfig {
            name: f.name,
            activation: f.activation,
            latent: f.latent,
            head: f.head,
            hidden: f.hidden,
            decoder_hidden: f.decoder_hidden,
            objective: f.objective,
            beta: f.beta,
            kl_warmup: f.kl_warmup,
            init: f.init,
            adam: f.adam,
            iterations,
            epochs: f.epochs,
            batch_size: f.batch_size,
            eval_every,
            seed: f.seed,
            data: f.data,
            analysis: f.analysis,
            threads: 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_study_setting_and_valid() {
        let c = RunConfig::default();
        assert_eq!(
            (c.latent, c.iterations, c.batch_size, c.eval_every),
            (2, 2000, 100, 10)
        );
        assert_eq!(
            (c.data.train, c.data.test, c.data.classify),
            (100, 100, 1000)
        );
        assert_eq!(c.adam.lr, 1e-3);
        assert_eq!(c.model_name(), "sigmoid-z2");
        assert_eq!(c.id(), "sigmoid-z2-ce/seed-0");
        c.validate().expect("default config is valid");
    }

    #[test]
    fn out_of_range_values_are_refused_by_name() {
        type Change = Box<dyn Fn(&mut RunConfig)>;
        let cases: Vec<(&str, Change)> = vec![
            ("latent", Box::new(|c| c.latent = 0)),
            ("iterations", Box::new(|c| c.iterations = 0)),
            ("batch_size", Box::new(|c| c.batch_size = 101)),
            ("beta", Box::new(|c| c.beta = f64::NAN)),
            ("adam", Box::new(|c| c.adam.lr = 0.0)),
            ("adam", Box::new(|c| c.adam.lr = -1.0)),
            ("name", Box::new(|c| c.name = "a/b".into())),
        ];
        for (setting, change) in cases {
            let mut c = RunConfig::default();
            change(&mut c);
            let err = c.validate().expect_err(setting).to_string();
            let names_run = err.contains("sigmoid-z2-ce") || setting == "name";
            assert!(err.contains(setting) && names_run, "{setting}: {err}");
        }
    }

    #[test]
    fn epochs_resolve_into_iterations_and_evaluation_every_epoch() {
        let text = "epochs = 3\nbatch_size = 32\ndata = { train = 100 }";
        let c: RunConfig = toml::from_str(text).expect("valid");
        // ⌈100 / 32⌉ = 4 updates per epoch, the last one of 4 images.
        assert_eq!((c.iterations_per_epoch(), c.iterations), (4, 12));
        assert_eq!((c.epochs, c.eval_every), (Some(3), 4));
        c.validate().expect("valid");
        let c: RunConfig = toml::from_str(&format!("{text}\neval_every_epochs = 2")).expect("ok");
        assert_eq!(c.eval_every, 8);
        // A written-out configuration reads back as it was.
        let json = serde_json::to_string(&c).expect("encodes");
        assert_eq!(
            serde_json::from_str::<RunConfig>(&json).expect("decodes"),
            c
        );
        // Without epochs, the defaults are the study's.
        let c: RunConfig = toml::from_str("").expect("valid");
        assert_eq!(c, RunConfig::default());
    }

    #[test]
    fn iterations_and_epochs_are_exclusive() {
        for (text, setting) in [
            ("epochs = 2\niterations = 5", "iterations"),
            ("eval_every_epochs = 2", "eval_every_epochs"),
            (
                "epochs = 2\neval_every = 3\neval_every_epochs = 1",
                "eval_every",
            ),
        ] {
            let err = toml::from_str::<RunConfig>(text)
                .expect_err(text)
                .to_string();
            assert!(err.contains(setting), "{text}: {err}");
        }
        let mut c: RunConfig = toml::from_str("epochs = 2").expect("valid");
        c.iterations += 1;
        let err = c.validate().expect_err("disagrees").to_string();
        assert!(err.contains("epochs = 2"), "{err}");
    }

    #[test]
    fn hidden_layers_mirror_and_the_seed_head_refuses_them() {
        let c = RunConfig::default();
        assert_eq!(c.hidden_layers().encoder, vec![100, 100]);
        assert_eq!(c.hidden_layers().decoder, vec![100, 100, 100]);
        let c: RunConfig =
            toml::from_str("head = \"gaussian\"\nhidden = [400, 50]").expect("valid");
        c.validate().expect("valid");
        assert_eq!(c.hidden_layers().decoder, vec![50, 400]);
        let c: RunConfig =
            toml::from_str("head = \"gaussian\"\nhidden = [400]\ndecoder_hidden = [10, 20]")
                .expect("valid");
        assert_eq!(c.hidden_layers().decoder, vec![10, 20]);
        for text in [
            "hidden = [400]",
            "decoder_hidden = [400]",
            "head = \"gaussian\"\nhidden = []",
            "head = \"gaussian\"\nhidden = [0]",
        ] {
            let c: RunConfig = toml::from_str(text).expect("parses");
            let err = c.validate().expect_err(text).to_string();
            assert!(err.contains("hidden"), "{text}: {err}");
        }
        let c: RunConfig = toml::from_str("hidden = [400]").expect("parses");
        let err = c.validate().expect_err("seed head").to_string();
        assert!(err.contains("gaussian"), "{err}");
    }

    #[test]
    fn kl_warmup_raises_beta_linearly_then_holds_it() {
        let c: RunConfig = toml::from_str("beta = 2.0\nkl_warmup = 4").expect("valid");
        c.validate().expect("valid");
        // By hand: 2·0/4, 2·1/4, 2·2/4, 2·3/4, then 2 from update 4 on.
        let weights: Vec<f64> = (0..7).map(|t| c.kl_weight(t)).collect();
        assert_eq!(weights, vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.0, 2.0]);
        // Off by default: every update has weight β exactly.
        let c: RunConfig = toml::from_str("beta = 0.7").expect("valid");
        assert_eq!(c.kl_warmup, 0);
        assert!((0..5).all(|t| c.kl_weight(t) == 0.7));
        // Off, it is not written out, so stored runs keep their hash.
        let json = serde_json::to_string(&RunConfig::default()).expect("encodes");
        assert!(!json.contains("kl_warmup"), "{json}");
        let c: RunConfig = toml::from_str("kl_warmup = 10").expect("valid");
        let json = serde_json::to_string(&c).expect("encodes");
        assert_eq!(
            serde_json::from_str::<RunConfig>(&json).expect("decodes"),
            c
        );
        // Longer than the run is refused by name.
        let c: RunConfig = toml::from_str("iterations = 5\nkl_warmup = 6").expect("parses");
        let err = c.validate().expect_err("too long").to_string();
        assert!(
            err.contains("kl_warmup") && err.contains("iterations = 5"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<RunConfig>("latnet = 20").expect_err("unknown key");
        assert!(err.to_string().contains("latnet"), "{err}");
    }
}
