//! The settings of one run, with the study's defaults (spec §2–7).
//!
//! Every field has a default, so a suite file names only what differs. Unknown
//! keys are refused rather than ignored: a misspelt `latnet = 20` would
//! otherwise run the wrong experiment silently.

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
    /// The standard VAE: `μ = Affine(100,d) h`, `ln σ² = Affine(100,d) h`
    /// from the last hidden layer, both unbounded.
    Gaussian,
}

/// What training minimises besides `β·KL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Cross-entropy of the sigmoid output against the pixels.
    Ce,
    /// Half the sum of squared differences.
    Sse,
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

/// Which images train, test and probe the latent space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Training images, from the training file. Default 100.
    pub train: usize,
    /// Test images, from the test file. Default 100.
    pub test: usize,
    /// Classification-set images, from the test file, disjoint from the test
    /// set (the latent scatter and kNN accuracy use them). Default 1000.
    pub classify: usize,
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
            classify: 1000,
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
        }
    }
}

/// Everything that defines one run. `RunConfig::default()` is the study's
/// `sigmoid-z2` model trained on cross-entropy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// The run's name, used for files, plots and tables.
    pub name: String,
    /// Hidden-layer activation of encoder and decoder. Default `sigmoid`.
    pub activation: Activation,
    /// Latent dimension d. Default 2.
    pub latent: usize,
    /// The μ/σ head. Default `seed`.
    pub head: Head,
    /// The reconstruction term. Default `ce`.
    pub objective: Objective,
    /// Weight of the KL term. Default 1.
    pub beta: f64,
    /// Weight initialiser (biases start at 0). Default 0.1·N(0, 1).
    pub init: Init,
    /// Adam's settings. Default PyTorch's.
    pub adam: AdamConfig,
    /// Parameter updates. Default 2000.
    pub iterations: usize,
    /// Images per update; the whole training set by default (100).
    pub batch_size: usize,
    /// Record the losses every this many iterations (and at 0 and the end). Default 10.
    pub eval_every: usize,
    /// The one seed behind every random choice of the run. Default 0.
    pub seed: u64,
    /// Data selection.
    pub data: DataConfig,
    /// Post-training evaluation.
    pub analysis: AnalysisConfig,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            name: "sigmoid-z2-ce".into(),
            activation: Activation::Sigmoid,
            latent: 2,
            head: Head::Seed,
            objective: Objective::Ce,
            beta: 1.0,
            init: Init::default(),
            adam: AdamConfig::default(),
            iterations: 2000,
            batch_size: 100,
            eval_every: 10,
            seed: 0,
            data: DataConfig::default(),
            analysis: AnalysisConfig::default(),
        }
    }
}

impl RunConfig {
    /// The model's name in the study's terms, e.g. `relu-z20`.
    pub fn model_name(&self) -> String {
        format!("{}-z{}", self.activation, self.latent)
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
        let counts: [(&'static str, usize, usize, usize); 12] = [
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
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<RunConfig>("latnet = 20").expect_err("unknown key");
        assert!(err.to_string().contains("latnet"), "{err}");
    }
}
