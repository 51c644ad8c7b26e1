//! Saving and loading parameters as safetensors files.
//!
//! Layout: an `inputs × outputs` weight is stored as the row-major
//! `[out, in]` tensor of `torch.nn.Linear.weight`, a `1 × outputs` bias as
//! `[out]`. nalgebra stores a matrix column by column, so a weight's buffer
//! already *is* the row-major transpose and is written as it stands. In
//! general a `rows × cols` parameter is stored as `[cols, rows]`; a
//! single-row parameter whose name ends in `bias` drops the unit dimension,
//! as PyTorch's biases do.
//!
//! Free-form metadata (the run's configuration, say) goes into the file's
//! `__metadata__`. Values are little-endian `F32`, as the format requires.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use vaelab_autodiff::Param;

use crate::sequential::param_name;
use crate::{NnError, Sequential};

/// The shape a parameter of `rows × cols` has in a file under `name`.
pub fn file_shape(name: &str, (rows, cols): (usize, usize)) -> Vec<usize> {
    if rows == 1 && name.ends_with("bias") {
        vec![cols]
    } else {
        vec![cols, rows]
    }
}

/// Writes `tensors` and `metadata` to `path` as a safetensors file.
///
/// The file appears atomically: it is written to a temporary file in the
/// same directory, flushed, then renamed over `path`.
pub fn save_safetensors(
    path: &Path,
    tensors: &[(String, &Param<f32>)],
    metadata: &BTreeMap<String, String>,
) -> Result<(), NnError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut encoded = Vec::with_capacity(tensors.len());
    for (name, param) in tensors {
        if !seen.insert(name.as_str()) {
            return Err(NnError::DuplicateTensor {
                path: path.to_owned(),
                tensor: name.clone(),
            });
        }
        let bytes: Vec<u8> = param.value().iter().flat_map(|v| v.to_le_bytes()).collect();
        encoded.push((name.as_str(), file_shape(name, param.shape()), bytes));
    }
    let views = encoded
        .iter()
        .map(|(name, shape, bytes)| {
            TensorView::new(Dtype::F32, shape.clone(), bytes).map(|view| (*name, view))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format_error(path, e))?;
    let info: HashMap<String, String> = metadata
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let bytes = safetensors::serialize(views, Some(info)).map_err(|e| format_error(path, e))?;
    let bytes = sorted_header(&bytes).ok_or_else(|| NnError::Format {
        path: path.to_owned(),
        message: "safetensors wrote a header that is not JSON".into(),
    })?;
    write_atomically(path, &bytes)
}

/// `bytes` with the header's JSON keys sorted.
///
/// safetensors takes the metadata as a `HashMap` and writes it in that map's
/// order, which changes from process to process; sorting the keys makes the
/// same parameters and settings give the same file, byte for byte, so that
/// checkpoints of reruns (or of shards trained elsewhere) compare with `cmp`.
fn sorted_header(bytes: &[u8]) -> Option<Vec<u8>> {
    let len = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
    let (header, data) = bytes.get(8..)?.split_at_checked(len)?;
    let mut value: serde_json::Value = serde_json::from_slice(header).ok()?;
    value.sort_all_objects();
    let mut text = serde_json::to_vec(&value).ok()?;
    // The data starts on an 8-byte boundary; safetensors pads with spaces.
    text.resize(text.len().next_multiple_of(8), b' ');
    let mut out = Vec::with_capacity(8 + text.len() + data.len());
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(&text);
    out.extend_from_slice(data);
    Some(out)
}

/// Writes `bytes` to a temporary file next to `path`, then renames it.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), NnError> {
    let io = |source| NnError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

fn format_error(path: &Path, e: safetensors::SafeTensorError) -> NnError {
    NnError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// The tensors and metadata of a safetensors file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checkpoint {
    /// Every tensor: its shape as in the file and its values in row-major order.
    pub tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)>,
    /// The file's `__metadata__`.
    pub metadata: BTreeMap<String, String>,
}

/// Reads a safetensors file whose tensors are all `F32`.
pub fn load_safetensors(path: &Path) -> Result<Checkpoint, NnError> {
    let bytes = std::fs::read(path).map_err(|source| NnError::Io {
        path: path.to_owned(),
        source,
    })?;
    let file = SafeTensors::deserialize(&bytes).map_err(|e| format_error(path, e))?;
    let (_, header) = SafeTensors::read_metadata(&bytes).map_err(|e| format_error(path, e))?;
    let mut tensors = BTreeMap::new();
    for (name, view) in file.iter() {
        if view.dtype() != Dtype::F32 {
            return Err(NnError::Dtype {
                path: PathBuf::from(path),
                tensor: name.to_owned(),
                found: format!("{:?}", view.dtype()),
            });
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        tensors.insert(name.to_owned(), (view.shape().to_vec(), values));
    }
    let metadata = header
        .metadata()
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Checkpoint { tensors, metadata })
}

impl Checkpoint {
    /// The values of tensor `name` if it is present with the shape that a
    /// parameter of `shape` has in a file.
    fn checked(&self, name: &str, shape: (usize, usize)) -> Result<&[f32], NnError> {
        let (found, values) = self
            .tensors
            .get(name)
            .ok_or_else(|| NnError::MissingTensor {
                tensor: name.to_owned(),
                available: self.tensors.keys().cloned().collect::<Vec<_>>().join(", "),
            })?;
        let expected = file_shape(name, shape);
        if *found != expected || values.len() != shape.0 * shape.1 {
            return Err(NnError::Shape {
                tensor: name.to_owned(),
                expected,
                found: found.clone(),
            });
        }
        Ok(values)
    }

    /// Copies tensor `name` into `param`, after checking that it is present
    /// and has the parameter's shape (dtype was checked on loading).
    pub fn assign(&self, name: &str, param: &mut Param<f32>) -> Result<(), NnError> {
        let values = self.checked(name, param.shape())?;
        // Row-major [cols, rows] is column-major rows × cols: a plain copy.
        param.value_mut().as_mut_slice().copy_from_slice(values);
        Ok(())
    }
}

impl Sequential<f32> {
    /// Sets every parameter from the checkpoint tensor of its name. Either
    /// all parameters are set or, if any tensor is missing or misshapen,
    /// none is.
    pub fn load_from(&mut self, ckpt: &Checkpoint) -> Result<(), NnError> {
        for (name, param) in self.named_params() {
            ckpt.checked(&name, param.shape())?;
        }
        let prefix = self.name().to_owned();
        for (index, affine) in self.affines_mut() {
            ckpt.assign(&param_name(&prefix, index, "weight"), &mut affine.weight)?;
            ckpt.assign(&param_name(&prefix, index, "bias"), &mut affine.bias)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{Activation, Init, LayerSpec};
    use nalgebra::DMatrix;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn net(seed: u64, hidden: usize) -> Sequential<f32> {
        let specs = [
            LayerSpec::Affine {
                inputs: 5,
                outputs: hidden,
            },
            LayerSpec::Act(Activation::Relu),
            LayerSpec::Affine {
                inputs: hidden,
                outputs: 2,
            },
        ];
        let mut net = Sequential::new(
            "encoder",
            &specs,
            Init::default(),
            &mut ChaCha8Rng::seed_from_u64(seed),
        );
        // Biases with values, so that a round trip of zeros cannot pass by luck.
        for p in net.params_mut() {
            if p.shape().0 == 1 {
                let n = p.shape().1;
                *p.value_mut() = DMatrix::from_fn(1, n, |_, j| j as f32 * 0.37 - 1.0);
            }
        }
        net
    }

    fn save(dir: &Path, net: &Sequential<f32>, meta: &BTreeMap<String, String>) -> PathBuf {
        let path = dir.join("model.safetensors");
        save_safetensors(&path, &net.named_params(), meta).unwrap();
        path
    }

    #[test]
    fn round_trip_is_bit_exact_and_keeps_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let original = net(1, 4);
        let meta = BTreeMap::from([("config".to_owned(), "act = \"relu\"\nz = 20".to_owned())]);
        let path = save(dir.path(), &original, &meta);
        let ckpt = load_safetensors(&path).unwrap();
        assert_eq!(ckpt.metadata, meta);

        let mut restored = net(2, 4);
        assert_ne!(restored.params()[0].value(), original.params()[0].value());
        restored.load_from(&ckpt).unwrap();
        for (a, b) in original.params().iter().zip(restored.params()) {
            let bits = |p: &Param<f32>| p.value().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(a), bits(b));
        }
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_same_parameters_and_metadata_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let model = net(1, 4);
        // Many keys: a hash map's order would differ between two maps with
        // near certainty.
        let metadata: BTreeMap<String, String> = (0..12)
            .map(|i| (format!("key.{i}"), format!("value {i}")))
            .collect();
        let (a, b) = (
            dir.path().join("a.safetensors"),
            dir.path().join("b.safetensors"),
        );
        save_safetensors(&a, &model.named_params(), &metadata).unwrap();
        save_safetensors(&b, &model.named_params(), &metadata).unwrap();
        let (a_bytes, b_bytes) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert!(a_bytes == b_bytes, "two saves of one model differ");
        let text = String::from_utf8_lossy(&a_bytes[8..200]);
        let (k2, k10) = (text.find("key.2").unwrap(), text.find("key.10").unwrap());
        assert!(k10 < k2, "metadata keys are not sorted: {text}");
        let loaded = load_safetensors(&a).unwrap();
        assert_eq!(loaded.metadata, metadata);
    }

    #[test]
    fn weights_are_stored_out_by_in_like_torch_linear() {
        let dir = tempfile::tempdir().unwrap();
        let original = net(3, 4);
        let path = save(dir.path(), &original, &BTreeMap::new());
        let ckpt = load_safetensors(&path).unwrap();
        let (shape, values) = &ckpt.tensors["encoder.0.weight"];
        assert_eq!(shape, &[4, 5]);
        let w = original.params()[0].value();
        for i in 0..5 {
            for o in 0..4 {
                assert_eq!(w[(i, o)], values[o * 5 + i], "W[({i}, {o})]");
            }
        }
        let (shape, values) = &ckpt.tensors["encoder.2.bias"];
        assert_eq!(shape, &[2]);
        assert_eq!(values.as_slice(), original.params()[3].value().as_slice());
    }

    #[test]
    fn a_wrong_shape_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), &net(1, 4), &BTreeMap::new());
        let ckpt = load_safetensors(&path).unwrap();
        let mut wider = net(1, 6);
        let before = wider.params()[0].value().clone();
        let err = wider.load_from(&ckpt).unwrap_err().to_string();
        assert_eq!(
            err,
            "encoder.0.weight: expected shape [6, 5], file has [4, 5]"
        );
        assert_eq!(wider.params()[0].value(), &before, "nothing was assigned");
    }

    #[test]
    fn a_missing_tensor_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let original = net(1, 4);
        let mut named = original.named_params();
        named.remove(1);
        let path = dir.path().join("partial.safetensors");
        save_safetensors(&path, &named, &BTreeMap::new()).unwrap();
        let ckpt = load_safetensors(&path).unwrap();
        let err = net(2, 4).load_from(&ckpt).unwrap_err().to_string();
        assert!(err.starts_with("encoder.0.bias: missing"), "{err}");
        assert!(
            err.contains("encoder.2.weight"),
            "lists what is there: {err}"
        );
    }

    #[test]
    fn a_wrong_dtype_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f64.safetensors");
        let data: Vec<u8> = [1.0f64, 2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let view = TensorView::new(Dtype::F64, vec![2], &data).unwrap();
        let bytes = safetensors::serialize([("encoder.0.bias", view)], None).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let err = load_safetensors(&path).unwrap_err().to_string();
        assert!(
            err.contains("f64.safetensors")
                && err.contains("encoder.0.bias: expected dtype F32, file has F64"),
            "{err}"
        );
    }

    #[test]
    fn corrupt_and_absent_files_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), &net(1, 4), &BTreeMap::new());
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 7);
        let corrupt = dir.path().join("corrupt.safetensors");
        std::fs::write(&corrupt, &bytes).unwrap();
        let err = load_safetensors(&corrupt).unwrap_err();
        assert!(matches!(err, NnError::Format { .. }), "{err:?}");
        assert!(err.to_string().contains("corrupt.safetensors"), "{err}");

        let absent = dir.path().join("absent.safetensors");
        let err = load_safetensors(&absent).unwrap_err();
        assert!(matches!(err, NnError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("absent.safetensors"), "{err}");
    }

    #[test]
    fn duplicate_names_and_unwritable_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let n = net(1, 4);
        let p = n.params()[1];
        let twice = [("b".to_owned(), p), ("b".to_owned(), p)];
        let err = save_safetensors(&dir.path().join("x.safetensors"), &twice, &BTreeMap::new())
            .unwrap_err();
        assert!(err.to_string().contains("\"b\" appears twice"), "{err}");
        let nowhere = dir.path().join("no/such/dir/x.safetensors");
        let err = save_safetensors(&nowhere, &twice[..1], &BTreeMap::new()).unwrap_err();
        assert!(err.to_string().contains("no/such/dir"), "{err}");
    }
}
