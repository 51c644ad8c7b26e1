//! Checkpoints: a trained model's parameters as safetensors, with the run's
//! settings in the metadata so that the file alone rebuilds the model.
//!
//! Tensor names follow PyTorch's `nn.Sequential` convention
//! (`encoder.0.weight`, `mu.0.weight`, `sigma.0.weight` or
//! `logvar.0.weight`, `decoder.6.weight`) and weights are stored `[out, in]`,
//! so the file loads into the equivalent PyTorch model one to one.

use std::collections::BTreeMap;
use std::path::Path;

use vaelab_nn::{load_safetensors, save_safetensors};

use crate::config::RunConfig;
use crate::error::{Result, VaeError};
use crate::model::Vae;
use crate::rng::{Stream, stream};

/// Metadata key holding the run's settings as JSON.
pub const CONFIG_KEY: &str = "vaelab.config";

/// Writes `model`'s parameters and `config` to `path` (atomically).
pub fn save(path: &Path, model: &Vae, config: &RunConfig) -> Result<()> {
    let json = serde_json::to_string(config).map_err(|e| VaeError::Checkpoint {
        path: path.into(),
        message: format!("cannot encode the settings: {e}"),
    })?;
    let metadata = BTreeMap::from([
        (CONFIG_KEY.to_string(), json),
        (
            "vaelab.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
    ]);
    save_safetensors(path, &model.named_params(), &metadata)?;
    Ok(())
}

/// Reads a checkpoint back: the settings and the model they describe, with
/// every parameter checked for name and shape.
pub fn load(path: &Path) -> Result<(RunConfig, Vae)> {
    let checkpoint = load_safetensors(path)?;
    let bad = |message: String| VaeError::Checkpoint {
        path: path.into(),
        message,
    };
    let json = checkpoint.metadata.get(CONFIG_KEY).ok_or_else(|| {
        bad(format!(
            "no `{CONFIG_KEY}` in the metadata: not a vaelab VAE checkpoint"
        ))
    })?;
    let config: RunConfig = serde_json::from_str(json)
        .map_err(|e| bad(format!("bad settings in the metadata: {e}")))?;
    config.validate()?;
    // The initial weights are overwritten; drawing them keeps one code path.
    let mut model = Vae::new(&config, &mut stream(config.seed, Stream::Init));
    for part in model.parts_mut() {
        part.load_from(&checkpoint)?;
    }
    Ok((config, model))
}
