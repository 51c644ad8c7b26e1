//! Activation functions as layers.
//!
//! An [`Activation`] has no parameters; applying it records the matching
//! elementwise operation on the tape. Its names in configuration files and on
//! the command line are lowercase (`sigmoid`, `relu`, `tanh`, `identity`);
//! [`Activation::torch_name`] gives PyTorch's spelling for reports.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use vaelab_autodiff::{Float, Tape, Var};

use crate::NnError;

/// An elementwise nonlinearity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// The logistic function `1 / (1 + e^−x)`.
    Sigmoid,
    /// The rectifier `max(x, 0)`.
    Relu,
    /// The hyperbolic tangent.
    Tanh,
    /// `x` unchanged.
    Identity,
}

impl Activation {
    /// Every activation, in declaration order.
    pub const ALL: [Activation; 4] = [
        Activation::Sigmoid,
        Activation::Relu,
        Activation::Tanh,
        Activation::Identity,
    ];

    /// Records the activation of `xs` on the tape. `Identity` records
    /// nothing and returns `xs` itself.
    pub fn apply<T: Float>(self, tape: &mut Tape<T>, xs: Var) -> Var {
        match self {
            Activation::Sigmoid => tape.sigmoid(xs),
            Activation::Relu => tape.relu(xs),
            Activation::Tanh => tape.tanh(xs),
            Activation::Identity => xs,
        }
    }

    /// The lowercase name used in configuration files.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Identity => "identity",
        }
    }

    /// The name of PyTorch's module for it (`ReLU`, `Sigmoid`, …), as used in
    /// architecture tables.
    pub fn torch_name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "Sigmoid",
            Activation::Relu => "ReLU",
            Activation::Tanh => "Tanh",
            Activation::Identity => "Identity",
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Activation {
    type Err = NnError;

    /// Parses a name, ignoring case (`relu`, `ReLU` and `RELU` all work).
    fn from_str(s: &str) -> Result<Self, NnError> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| NnError::Parse {
                what: "activation",
                input: s.to_owned(),
                expected: "sigmoid, relu, tanh, identity",
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for a in Activation::ALL {
            assert_eq!(a.to_string().parse::<Activation>().unwrap(), a);
            assert_eq!(a.torch_name().parse::<Activation>().unwrap(), a);
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.name()));
            assert_eq!(serde_json::from_str::<Activation>(&json).unwrap(), a);
        }
        let err = "gelu".parse::<Activation>().unwrap_err().to_string();
        assert!(err.contains("\"gelu\"") && err.contains("relu"), "{err}");
    }

    #[test]
    fn values_by_hand() {
        let mut tape = Tape::<f64>::new();
        let xs = tape.constant(&DMatrix::from_row_slice(1, 3, &[-1.0, 0.0, 2.0]));
        let out = |tape: &mut Tape<f64>, a: Activation| {
            let y = a.apply(tape, xs);
            tape.value(y).as_slice().to_vec()
        };
        assert_eq!(out(&mut tape, Activation::Relu), [0.0, 0.0, 2.0]);
        assert_eq!(out(&mut tape, Activation::Identity), [-1.0, 0.0, 2.0]);
        let s = out(&mut tape, Activation::Sigmoid);
        assert!((s[0] - 1.0 / (1.0 + 1f64.exp())).abs() < 1e-15);
        assert_eq!(s[1], 0.5);
        let t = out(&mut tape, Activation::Tanh);
        assert!((t[2] - 2f64.tanh()).abs() < 1e-15);
        let before = tape.len();
        let y = Activation::Identity.apply(&mut tape, xs);
        assert_eq!((y, tape.len()), (xs, before), "identity records nothing");
    }
}
