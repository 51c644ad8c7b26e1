//! Weight initialisers.
//!
//! All draw from a seeded [`ChaCha8Rng`], so one seed gives the same weights
//! on every machine. Biases start at zero, except under `Pytorch`. Weights are
//! drawn in the order of their storage, which is the row-major order of the
//! `[out, in]` PyTorch layout: draw `k` lands in `weight.flatten()[k]` of the
//! matching `torch.nn.Linear`; a layer's bias is drawn after its weights.
//!
//! | initialiser     | distribution of each weight                         |
//! |-----------------|-----------------------------------------------------|
//! | `Gaussian{std}` | `std · N(0, 1)` (the study's "Gaussian × 0.1")      |
//! | `XavierUniform` | `U(−a, a)`, `a = √(6 / (in + out))` (Glorot)        |
//! | `XavierNormal`  | `N(0, 2 / (in + out))`                              |
//! | `HeNormal`      | `N(0, 2 / in)` (Kaiming, fan-in, ReLU gain)         |
//! | `Pytorch`       | `U(−a, a)`, `a = 1/√in`, biases too (`nn.Linear`)   |
//!
//! `Pytorch` is what `torch.nn.Linear.reset_parameters` does: Kaiming-uniform
//! weights with gain `√(1/3)`, which works out to `U(−1/√in, 1/√in)`, and
//! biases from the same `U(−1/√in, 1/√in)`. It draws the same distribution,
//! not PyTorch's numbers (the generators differ).

use std::fmt;
use std::str::FromStr;

use nalgebra::DMatrix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};
use vaelab_autodiff::Float;

use crate::NnError;

/// The study's weight scale: `0.1 · N(0, 1)`.
pub const DEFAULT_GAUSSIAN_STD: f64 = 0.1;

/// How an affine layer's weights (and, for `Pytorch`, its bias) are drawn.
///
/// In configuration files it is a name (`"gaussian"`, `"xavier-uniform"`,
/// `"xavier-normal"`, `"he-normal"`, `"pytorch"`, or `"gaussian:0.05"` for
/// another scale) or the table `{ gaussian = { std = 0.05 } }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "Repr")]
pub enum Init {
    /// `std · N(0, 1)`; the default is the study's `std = 0.1`.
    Gaussian {
        /// The standard deviation.
        std: f64,
    },
    /// Glorot's uniform initialiser, `U(−a, a)` with `a = √(6 / (in + out))`.
    XavierUniform,
    /// Glorot's normal initialiser, `N(0, 2 / (in + out))`.
    XavierNormal,
    /// He's (Kaiming's) normal initialiser for ReLU networks, `N(0, 2 / in)`.
    HeNormal,
    /// `torch.nn.Linear`'s default: weights and biases `U(−1/√in, 1/√in)`.
    Pytorch,
}

impl Default for Init {
    /// The study's `Gaussian { std: 0.1 }`.
    fn default() -> Self {
        Init::Gaussian {
            std: DEFAULT_GAUSSIAN_STD,
        }
    }
}

impl Init {
    /// Checks that a Gaussian's standard deviation is finite and positive.
    pub fn validate(self) -> Result<(), NnError> {
        match self {
            Init::Gaussian { std } if !(std.is_finite() && std > 0.0) => Err(NnError::config(
                "init.gaussian.std",
                format!("must be positive and finite, got {std}"),
            )),
            _ => Ok(()),
        }
    }

    /// An `inputs × outputs` weight matrix drawn from this initialiser.
    pub fn weights<T: Float>(
        self,
        inputs: usize,
        outputs: usize,
        rng: &mut ChaCha8Rng,
    ) -> DMatrix<T> {
        let fan_sum = (inputs + outputs) as f64;
        // Each weight is `scale · u` with `u` from N(0, 1) or U(−1, 1).
        let (uniform, scale) = match self {
            Init::Gaussian { std } => (false, std),
            Init::XavierUniform => (true, (6.0 / fan_sum).sqrt()),
            Init::XavierNormal => (false, (2.0 / fan_sum).sqrt()),
            Init::HeNormal => (false, (2.0 / inputs as f64).sqrt()),
            Init::Pytorch => (true, 1.0 / (inputs as f64).sqrt()),
        };
        // Column-major storage of inputs × outputs is row-major [out, in].
        let values = (0..inputs * outputs)
            .map(|_| {
                let u: f64 = if uniform {
                    2.0 * rng.random::<f64>() - 1.0
                } else {
                    rng.sample(StandardNormal)
                };
                T::of_f64(scale * u)
            })
            .collect();
        DMatrix::from_vec(inputs, outputs, values)
    }

    /// The `1 × outputs` bias row of a layer with `inputs` inputs: zero, except
    /// `U(−1/√in, 1/√in)` under `Pytorch`. Zero biases draw nothing from
    /// `rng`, so adding this call changed no existing initialisation.
    pub fn bias<T: Float>(self, inputs: usize, outputs: usize, rng: &mut ChaCha8Rng) -> DMatrix<T> {
        match self {
            Init::Pytorch => {
                let bound = 1.0 / (inputs as f64).sqrt();
                DMatrix::from_fn(1, outputs, |_, _| {
                    T::of_f64(bound * (2.0 * rng.random::<f64>() - 1.0))
                })
            }
            _ => DMatrix::zeros(1, outputs),
        }
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Init::Gaussian { std } => write!(f, "gaussian:{std}"),
            Init::XavierUniform => f.write_str("xavier-uniform"),
            Init::XavierNormal => f.write_str("xavier-normal"),
            Init::HeNormal => f.write_str("he-normal"),
            Init::Pytorch => f.write_str("pytorch"),
        }
    }
}

impl FromStr for Init {
    type Err = NnError;

    /// Parses `gaussian`, `gaussian:<std>`, `xavier-uniform`,
    /// `xavier-normal`, `he-normal` or `pytorch` (case-insensitive, `_` for `-`
    /// allowed).
    fn from_str(s: &str) -> Result<Self, NnError> {
        let name = s.trim().to_ascii_lowercase().replace('_', "-");
        let init = match name.split_once(':') {
            Some(("gaussian", std)) => Init::Gaussian {
                std: std.trim().parse().map_err(|_| {
                    NnError::config(
                        "init.gaussian.std",
                        format!("{std:?} in {s:?} is not a number"),
                    )
                })?,
            },
            Some(_) => return Err(unknown(s)),
            None => match name.as_str() {
                "gaussian" => Init::default(),
                "xavier-uniform" => Init::XavierUniform,
                "xavier-normal" => Init::XavierNormal,
                "he-normal" => Init::HeNormal,
                "pytorch" => Init::Pytorch,
                _ => return Err(unknown(s)),
            },
        };
        init.validate()?;
        Ok(init)
    }
}

fn unknown(s: &str) -> NnError {
    NnError::Parse {
        what: "initialiser",
        input: s.to_owned(),
        expected: "gaussian, gaussian:<std>, xavier-uniform, xavier-normal, he-normal, pytorch",
    }
}

/// What configuration files may hold: a name or the tagged table.
#[derive(Deserialize)]
#[serde(untagged)]
enum Repr {
    Name(String),
    Tagged(Tagged),
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum Tagged {
    Gaussian {
        #[serde(default = "default_std")]
        std: f64,
    },
    XavierUniform,
    XavierNormal,
    HeNormal,
    Pytorch,
}

fn default_std() -> f64 {
    DEFAULT_GAUSSIAN_STD
}

impl TryFrom<Repr> for Init {
    type Error = NnError;

    fn try_from(repr: Repr) -> Result<Self, NnError> {
        let init = match repr {
            Repr::Name(name) => return name.parse(),
            Repr::Tagged(Tagged::Gaussian { std }) => Init::Gaussian { std },
            Repr::Tagged(Tagged::XavierUniform) => Init::XavierUniform,
            Repr::Tagged(Tagged::XavierNormal) => Init::XavierNormal,
            Repr::Tagged(Tagged::HeNormal) => Init::HeNormal,
            Repr::Tagged(Tagged::Pytorch) => Init::Pytorch,
        };
        init.validate()?;
        Ok(init)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn sample(init: Init, inputs: usize, outputs: usize, seed: u64) -> DMatrix<f64> {
        init.weights(inputs, outputs, &mut ChaCha8Rng::seed_from_u64(seed))
    }

    /// Sample mean and standard deviation.
    fn moments(m: &DMatrix<f64>) -> (f64, f64) {
        let n = m.len() as f64;
        let mean = m.sum() / n;
        let var = m.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var.sqrt())
    }

    #[test]
    fn gaussian_has_the_requested_spread_and_follows_the_seed() {
        let w = sample(Init::default(), 784, 100, 1);
        assert_eq!(w.shape(), (784, 100));
        let (mean, std) = moments(&w);
        // 78 400 draws: the standard errors are 3.6e-4 (mean) and 2.5e-4 (std).
        assert!(mean.abs() < 2e-3, "mean {mean}");
        assert!((std - 0.1).abs() < 2e-3, "std {std}");
        assert_eq!(w, sample(Init::default(), 784, 100, 1));
        assert_ne!(w, sample(Init::default(), 784, 100, 2));
        let wide = sample(Init::Gaussian { std: 0.5 }, 784, 100, 1);
        assert!((moments(&wide).1 - 0.5).abs() < 1e-2);
    }

    #[test]
    fn glorot_and_he_follow_their_formulas() {
        let (inputs, outputs) = (300, 200);
        let a = (6.0f64 / 500.0).sqrt();
        let w = sample(Init::XavierUniform, inputs, outputs, 3);
        let max = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(max <= a && max > 0.99 * a, "max |w| {max}, bound {a}");
        assert!((moments(&w).1 - a / 3f64.sqrt()).abs() < 0.01 * a);

        let w = sample(Init::XavierNormal, inputs, outputs, 4);
        let expected = (2.0f64 / 500.0).sqrt();
        assert!((moments(&w).1 - expected).abs() < 0.02 * expected);

        let w = sample(Init::HeNormal, inputs, outputs, 5);
        let expected = (2.0f64 / 300.0).sqrt();
        assert!((moments(&w).1 - expected).abs() < 0.02 * expected);
    }

    #[test]
    fn pytorch_draws_weights_and_biases_within_one_over_root_fan_in() {
        let (inputs, outputs) = (400, 20);
        let bound = 1.0 / (inputs as f64).sqrt();
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let w: DMatrix<f64> = Init::Pytorch.weights(inputs, outputs, &mut rng);
        let b: DMatrix<f64> = Init::Pytorch.bias(inputs, outputs, &mut rng);
        assert_eq!((w.shape(), b.shape()), ((inputs, outputs), (1, outputs)));
        let max = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        // 8000 uniform draws: the largest lies within 0.1% of the bound.
        assert!(
            max <= bound && max > 0.999 * bound,
            "max |w| {max}, bound {bound}"
        );
        // U(−a, a) has standard deviation a/√3.
        assert!((moments(&w).1 - bound / 3f64.sqrt()).abs() < 0.03 * bound);
        assert!(b.iter().all(|v| v.abs() <= bound), "{b}");
        assert!(b.iter().any(|&v| v != 0.0), "biases were not drawn");
        // A single input: the bound is 1.
        let wide: DMatrix<f64> = Init::Pytorch.bias(1, 1000, &mut rng);
        let max = wide.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(max <= 1.0 && max > 0.99, "max |b| {max}");
    }

    #[test]
    fn zero_biases_draw_nothing() {
        for init in [Init::default(), Init::XavierUniform, Init::HeNormal] {
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let b: DMatrix<f32> = init.bias(10, 4, &mut rng);
            assert!(b.iter().all(|&v| v == 0.0));
            let next: u64 = rng.random();
            assert_eq!(next, ChaCha8Rng::seed_from_u64(3).random::<u64>(), "{init}");
        }
    }

    #[test]
    fn f32_weights_are_the_rounded_f64_draws() {
        let w64 = sample(Init::default(), 5, 3, 9);
        let w32: DMatrix<f32> = Init::default().weights(5, 3, &mut ChaCha8Rng::seed_from_u64(9));
        assert_eq!(w32, w64.map(|v| v as f32));
    }

    #[test]
    fn names_parse_and_serde_round_trips() {
        assert_eq!("gaussian".parse::<Init>().unwrap(), Init::default());
        assert_eq!(
            "Gaussian:0.05".parse::<Init>().unwrap(),
            Init::Gaussian { std: 0.05 }
        );
        assert_eq!("he_normal".parse::<Init>().unwrap(), Init::HeNormal);
        for init in [
            Init::default(),
            Init::XavierUniform,
            Init::XavierNormal,
            Init::HeNormal,
            Init::Pytorch,
        ] {
            assert_eq!(init.to_string().parse::<Init>().unwrap(), init);
            let json = serde_json::to_string(&init).unwrap();
            assert_eq!(serde_json::from_str::<Init>(&json).unwrap(), init);
        }
        assert_eq!(
            serde_json::to_string(&Init::XavierUniform).unwrap(),
            "\"xavier-uniform\""
        );
        #[derive(Debug, Deserialize)]
        struct Cfg {
            init: Init,
        }
        let t: Cfg = toml::from_str("init = { gaussian = { std = 0.2 } }").unwrap();
        assert_eq!(t.init, Init::Gaussian { std: 0.2 });
        let t: Cfg = toml::from_str("init = \"gaussian\"").unwrap();
        assert_eq!(t.init, Init::default());

        let err = "lecun".parse::<Init>().unwrap_err().to_string();
        assert!(
            err.contains("\"lecun\"") && err.contains("xavier-uniform"),
            "{err}"
        );
        let err = "gaussian:-1".parse::<Init>().unwrap_err().to_string();
        assert!(
            err.contains("init.gaussian.std") && err.contains("-1"),
            "{err}"
        );
        let err = toml::from_str::<Cfg>("init = { gaussian = { std = 0.0 } }").unwrap_err();
        assert!(err.to_string().contains("init.gaussian.std"), "{err}");
    }
}
