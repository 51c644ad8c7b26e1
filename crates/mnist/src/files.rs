//! The four standard files of an MNIST-format directory: their names, finding
//! them, reading one with its checksum, and writing a split atomically.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::checksum::{Digest, Hashers, HashingReader};
use crate::dataset::Dataset;
use crate::error::{MnistError, Result};
use crate::idx::{self, Encoding, Images};

/// One of the four files every MNIST-format dataset consists of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardFile {
    /// `train-images-idx3-ubyte`.
    TrainImages,
    /// `train-labels-idx1-ubyte`.
    TrainLabels,
    /// `t10k-images-idx3-ubyte`.
    TestImages,
    /// `t10k-labels-idx1-ubyte`.
    TestLabels,
}

/// Which half of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The training set (60 000 images in MNIST).
    Train,
    /// The test set (10 000 images in MNIST).
    Test,
}

impl StandardFile {
    /// All four, in the order used by [`crate::Checksums::new`].
    pub const ALL: [StandardFile; 4] = [
        StandardFile::TrainImages,
        StandardFile::TrainLabels,
        StandardFile::TestImages,
        StandardFile::TestLabels,
    ];

    /// The file's name without `.gz`.
    pub fn stem(self) -> &'static str {
        match self {
            StandardFile::TrainImages => "train-images-idx3-ubyte",
            StandardFile::TrainLabels => "train-labels-idx1-ubyte",
            StandardFile::TestImages => "t10k-images-idx3-ubyte",
            StandardFile::TestLabels => "t10k-labels-idx1-ubyte",
        }
    }

    /// The name of the compressed file, as the mirrors publish it.
    pub fn gz_name(self) -> String {
        format!("{}.gz", self.stem())
    }

    /// Whether this file holds images (else labels).
    pub fn is_images(self) -> bool {
        matches!(self, StandardFile::TrainImages | StandardFile::TestImages)
    }

    /// The images and labels files of a split.
    pub fn of_split(split: Split) -> (StandardFile, StandardFile) {
        match split {
            Split::Train => (StandardFile::TrainImages, StandardFile::TrainLabels),
            Split::Test => (StandardFile::TestImages, StandardFile::TestLabels),
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The path of this file in `dir`, preferring `NAME.gz` over `NAME` when
    /// both exist, or `None` if neither does.
    pub fn find_in(self, dir: &Path) -> Option<PathBuf> {
        [dir.join(self.gz_name()), dir.join(self.stem())]
            .into_iter()
            .find(|p| p.exists())
    }
}

/// The standard files that `dir` lacks (all four if `dir` does not exist).
pub fn missing_files(dir: &Path) -> Vec<StandardFile> {
    StandardFile::ALL
        .into_iter()
        .filter(|f| f.find_in(dir).is_none())
        .collect()
}

/// How a file's decompressed bytes are parsed: `idx::parse_images` or
/// `idx::parse_labels`.
pub(crate) type Parser<T> = fn(&mut dyn Read, &str, Encoding) -> Result<T>;

/// Reads `path` with `parse`, in one pass, checking structure and, if
/// given, the digest. `name` is how errors refer to the file.
pub(crate) fn read_file<T>(
    path: &Path,
    name: &str,
    digest: Option<&Digest>,
    parse: Parser<T>,
) -> Result<T> {
    let handle = File::open(path).map_err(|e| MnistError::io(name, e))?;
    let metadata = handle.metadata().map_err(|e| MnistError::io(name, e))?;
    if !metadata.is_file() {
        return Err(MnistError::NotAFile { path: path.into() });
    }
    let mut hashers = Hashers::for_digest(digest);
    let (contents, encoding) = {
        let stored = HashingReader::new(BufReader::new(handle), hashers.stored.as_mut());
        let (stream, encoding) = idx::decompressed(stored).map_err(|e| MnistError::io(name, e))?;
        let mut stream = HashingReader::new(stream, hashers.uncompressed.as_mut());
        (parse(&mut stream, name, encoding)?, encoding)
    };
    if let Some(digest) = digest {
        hashers.verify(digest, encoding, name)?;
    }
    Ok(contents)
}

/// Checks that `path` is a valid `file` (and matches `digest`), discarding
/// what it holds. Only downloads need this.
#[cfg(feature = "download")]
pub(crate) fn check_file(
    path: &Path,
    name: &str,
    file: StandardFile,
    digest: Option<&Digest>,
) -> Result<()> {
    if file.is_images() {
        read_file(path, name, digest, parse_images).map(drop)
    } else {
        read_file(path, name, digest, parse_labels).map(drop)
    }
}

/// [`idx::parse_images`] as a [`Parser`].
pub(crate) fn parse_images(
    stream: &mut dyn Read,
    name: &str,
    encoding: Encoding,
) -> Result<Images> {
    idx::parse_images(stream, name, encoding)
}

/// [`idx::parse_labels`] as a [`Parser`].
pub(crate) fn parse_labels(
    stream: &mut dyn Read,
    name: &str,
    encoding: Encoding,
) -> Result<Vec<u8>> {
    idx::parse_labels(stream, name, encoding)
}

/// Writes `dataset` as the images and labels files of `split` in `dir`
/// (with `.gz` names when `encoding` is gzip), each atomically: a temporary
/// file in `dir` is renamed over the final name only once complete.
pub fn save_split(
    dir: &Path,
    split: Split,
    dataset: &Dataset,
    encoding: Encoding,
) -> Result<[PathBuf; 2]> {
    let (images_file, labels_file) = StandardFile::of_split(split);
    let name = |f: StandardFile| match encoding {
        Encoding::Raw => f.stem().to_string(),
        Encoding::Gzip => f.gz_name(),
    };
    let images = write_atomically(dir, &name(images_file), |out| {
        idx::write_images(
            out,
            encoding,
            dataset.pixels(),
            dataset.rows(),
            dataset.cols(),
        )
    })?;
    let labels = write_atomically(dir, &name(labels_file), |out| {
        idx::write_labels(out, encoding, dataset.labels())
    })?;
    Ok([images, labels])
}

fn write_atomically(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<PathBuf> {
    let target = dir.join(name);
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let shown = target.display().to_string();
    let result = (|| {
        let mut out = BufWriter::new(File::create(&temp).map_err(|e| MnistError::io(&shown, e))?);
        write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| MnistError::io(&shown, e.into_error()))?;
        file.sync_all().map_err(|e| MnistError::io(&shown, e))?;
        fs::rename(&temp, &target).map_err(|e| MnistError::io(&shown, e))
    })();
    if result.is_err() {
        // Best effort: the temporary file is useless once writing failed.
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| target)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_canonical_ones() {
        let names: Vec<String> = StandardFile::ALL.iter().map(|f| f.gz_name()).collect();
        assert_eq!(
            names,
            [
                "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz"
            ]
        );
        assert!(StandardFile::TestImages.is_images() && !StandardFile::TestLabels.is_images());
    }

    #[test]
    fn missing_files_of_a_missing_directory_are_all_four() {
        assert_eq!(missing_files(Path::new("/nonexistent/vaelab")).len(), 4);
    }
}
