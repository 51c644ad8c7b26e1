//! `vaelab-nn`: layers, optimisers and checkpoints for small networks.
//!
//! This layer sits on [`vaelab_autodiff`] (tensors and the tape) and knows
//! nothing of VAEs or data sets. It provides:
//!
//! - [`Affine`] (`y = x·W + b`) and the [`Activation`]s, chained in a
//!   [`Sequential`] built from a [`LayerSpec`] list; parameters are named as
//!   PyTorch's `nn.Sequential` names them (`encoder.0.weight`, …);
//! - weight initialisers ([`Init`]) drawing from a seeded `ChaCha8Rng`;
//! - the [`Optimizer`]s [`Adam`] and [`Sgd`], computing exactly what
//!   PyTorch's do;
//! - safetensors checkpoints in `torch.nn.Linear`'s layout
//!   ([`save_safetensors`], [`load_safetensors`]).
//!
//! ```
//! use rand::SeedableRng;
//! use rand_chacha::ChaCha8Rng;
//! use vaelab_autodiff::{Matrix, Tape};
//! use vaelab_nn::{Activation, Adam, AdamConfig, Init, LayerSpec, Optimizer, Sequential};
//!
//! let specs = [
//!     LayerSpec::Affine { inputs: 2, outputs: 3 },
//!     LayerSpec::Act(Activation::Relu),
//!     LayerSpec::Affine { inputs: 3, outputs: 1 },
//! ];
//! let mut rng = ChaCha8Rng::seed_from_u64(0);
//! let mut net = Sequential::<f32>::new("net", &specs, Init::default(), &mut rng);
//! let mut adam = Adam::new(AdamConfig::default());
//! let mut tape = Tape::new();
//!
//! let xs = tape.constant(&Matrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0]));
//! let ys = net.forward(&mut tape, xs);
//! let loss = tape.mean(ys);
//! let grads = tape.backward(loss);
//! tape.reset(); // releases the parameters so that Adam updates them in place
//! adam.step(&mut net.params_mut(), &grads);
//! tape.recycle(grads);
//! assert_eq!(net.named_params()[2].0, "net.2.weight");
//! ```
//!
//! The `two_moons` example trains a classifier with [`Sequential`] and
//! [`Adam`], saves it as a safetensors checkpoint and reloads it:
//! `cargo run --release -p vaelab-nn --example two_moons`.

mod activation;
mod affine;
mod checkpoint;
mod error;
mod init;
pub mod optim;
mod sequential;

pub use activation::Activation;
pub use affine::Affine;
pub use checkpoint::{Checkpoint, file_shape, load_safetensors, save_safetensors};
pub use error::NnError;
pub use init::{DEFAULT_GAUSSIAN_STD, Init};
pub use optim::{Adam, AdamConfig, Optimizer, Sgd, SgdConfig};
pub use sequential::{Layer, LayerSpec, Sequential, check_specs};
