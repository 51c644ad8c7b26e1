//! Published digests of the canonical files and the hashing used to check them.
//!
//! Files are checked by the SHA-256 of their *uncompressed* bytes, so a file
//! verifies whether it is stored raw or recompressed with other gzip
//! settings (the mirrors' `.gz` wrappers differ from one another, and Linux
//! distributions recompress). Fashion-MNIST also accepts the MD5 of the
//! published `.gz` files (the table torchvision checks): a file verifies if
//! either digest matches. Its SHA-256 table was taken from the uncompressed
//! files of Debian's `dataset-fashion-mnist` package (upstream git
//! 2020-05-23), whose contents are the canonical 60 000 + 10 000 images,
//! 6 000 and 1 000 per class.

use std::io::{self, Read};

use md5::Md5;
use sha2::{Digest as _, Sha256};

use crate::error::{MnistError, Result};
use crate::files::StandardFile;
use crate::idx::Encoding;
use crate::source::DatasetKind;

/// The expected digest of one file, as lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Digest {
    /// SHA-256 of the IDX bytes after any gzip layer is removed.
    Sha256Uncompressed(String),
    /// MD5 of the file exactly as stored, which must be gzip-compressed.
    Md5Gzip(String),
    /// Either digest: the SHA-256 of the uncompressed bytes, or, for a
    /// gzip-compressed file, the MD5 of the published `.gz`.
    Sha256OrMd5Gzip {
        /// SHA-256 of the uncompressed bytes, lower-case hex.
        sha256: String,
        /// MD5 of the published `.gz` file, lower-case hex.
        md5_gzip: String,
    },
}

impl Digest {
    /// What is hashed, in words, for error messages.
    pub fn algorithm(&self) -> &'static str {
        match self {
            Digest::Sha256Uncompressed(_) => "SHA-256 of the uncompressed bytes",
            Digest::Md5Gzip(_) => "MD5 of the .gz file",
            Digest::Sha256OrMd5Gzip { .. } => {
                "SHA-256 of the uncompressed bytes (or MD5 of the published .gz)"
            }
        }
    }

    /// The expected value, lower-case hex (the SHA-256 of an either-digest).
    pub fn hex(&self) -> &str {
        match self {
            Digest::Sha256Uncompressed(hex) | Digest::Md5Gzip(hex) => hex,
            Digest::Sha256OrMd5Gzip { sha256, .. } => sha256,
        }
    }
}

/// One expected digest per standard file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checksums {
    digests: [Digest; 4],
}

/// SHA-256 of the uncompressed canonical MNIST files, in [`StandardFile::ALL`] order.
const MNIST_SHA256: [&str; 4] = [
    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
];

/// SHA-256 of the uncompressed Fashion-MNIST files (as in Debian's
/// `dataset-fashion-mnist`), in [`StandardFile::ALL`] order.
const FASHION_MNIST_SHA256: [&str; 4] = [
    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
];

/// MD5 of the published Fashion-MNIST `.gz` files (torchvision's table), in
/// [`StandardFile::ALL`] order.
const FASHION_MNIST_GZ_MD5: [&str; 4] = [
    "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "25c81989df183df01b3e8a0aad5dffbe",
    "bef4ecab320f06d8554ea6380940ec79",
    "bb300cfdad3c16e7a12a480ee83cd310",
];

impl Checksums {
    /// A table of digests in [`StandardFile::ALL`] order (train images,
    /// train labels, test images, test labels), e.g. for a custom dataset.
    pub fn new(digests: [Digest; 4]) -> Self {
        Checksums { digests }
    }

    /// The published table for a known dataset.
    pub fn for_kind(kind: DatasetKind) -> Self {
        let digests = match kind {
            DatasetKind::Mnist => MNIST_SHA256.map(|hex| Digest::Sha256Uncompressed(hex.into())),
            DatasetKind::FashionMnist => {
                let mut i = 0;
                FASHION_MNIST_SHA256.map(|sha256| {
                    let md5_gzip = FASHION_MNIST_GZ_MD5[i].into();
                    i += 1;
                    Digest::Sha256OrMd5Gzip {
                        sha256: sha256.into(),
                        md5_gzip,
                    }
                })
            }
        };
        Checksums { digests }
    }

    /// The expected digest of `file`.
    pub fn get(&self, file: StandardFile) -> &Digest {
        &self.digests[file.index()]
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The two hashes that may be needed while a file is read once.
#[derive(Debug, Default)]
pub(crate) struct Hashers {
    /// Over the stored bytes (before decompression).
    pub stored: Option<Md5>,
    /// Over the IDX bytes (after decompression).
    pub uncompressed: Option<Sha256>,
}

impl Hashers {
    /// Prepares only the hasher that `digest` needs.
    pub fn for_digest(digest: Option<&Digest>) -> Self {
        match digest {
            None => Hashers::default(),
            Some(Digest::Sha256Uncompressed(_)) => Hashers {
                uncompressed: Some(Sha256::new()),
                ..Hashers::default()
            },
            Some(Digest::Md5Gzip(_)) => Hashers {
                stored: Some(Md5::new()),
                ..Hashers::default()
            },
            Some(Digest::Sha256OrMd5Gzip { .. }) => Hashers {
                stored: Some(Md5::new()),
                uncompressed: Some(Sha256::new()),
            },
        }
    }

    /// Compares what was hashed with `expected`. `encoding` is how the file
    /// was stored; `file` names it in errors.
    pub fn verify(self, expected: &Digest, encoding: Encoding, file: &str) -> Result<()> {
        let actual = match (expected, encoding) {
            (Digest::Sha256OrMd5Gzip { sha256, md5_gzip }, _) => {
                let sha = self.uncompressed.map(|h| hex(&h.finalize()));
                let md5 = self.stored.map(|h| hex(&h.finalize()));
                let gz_ok = encoding == Encoding::Gzip && md5.as_deref() == Some(md5_gzip);
                if sha.as_deref() == Some(sha256) || gz_ok {
                    return Ok(());
                }
                // A mismatch is reported against the SHA-256, which every
                // file has, whether raw or recompressed.
                return Err(MnistError::ChecksumMismatch {
                    file: file.into(),
                    algorithm: "SHA-256 of the uncompressed bytes",
                    expected: sha256.clone(),
                    actual: sha.unwrap_or_default(),
                });
            }
            (Digest::Sha256Uncompressed(_), _) => self.uncompressed.map(|h| hex(&h.finalize())),
            (Digest::Md5Gzip(_), Encoding::Gzip) => self.stored.map(|h| hex(&h.finalize())),
            (Digest::Md5Gzip(_), Encoding::Raw) => {
                return Err(MnistError::Unverifiable {
                    file: file.into(),
                    reason: "only the MD5 of the published .gz file is known and this file is not gzip-compressed; \
                             use the original .gz file or opt out of verification"
                        .into(),
                });
            }
        };
        // The hasher was chosen from the same digest, so `actual` is present;
        // an empty string would still fail the comparison safely.
        let actual = actual.unwrap_or_default();
        if actual != expected.hex() {
            return Err(MnistError::ChecksumMismatch {
                file: file.into(),
                algorithm: expected.algorithm(),
                expected: expected.hex().into(),
                actual,
            });
        }
        Ok(())
    }
}

/// A reader that feeds every byte it passes through into a hasher.
#[derive(Debug)]
pub(crate) struct HashingReader<'h, R, H> {
    inner: R,
    hasher: Option<&'h mut H>,
}

impl<'h, R, H> HashingReader<'h, R, H> {
    /// Wraps `inner`; with `hasher == None` it only passes bytes through.
    pub fn new(inner: R, hasher: Option<&'h mut H>) -> Self {
        HashingReader { inner, hasher }
    }
}

impl<R: Read, H: sha2::Digest> Read for HashingReader<'_, R, H> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hasher) = self.hasher.as_deref_mut() {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_published_test_vectors() {
        // FIPS 180-2 and RFC 1321 test vectors for "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn hashing_reader_sees_every_byte() {
        let mut hasher = Sha256::new();
        let mut out = Vec::new();
        HashingReader::new(&b"abc"[..], Some(&mut hasher))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"abc");
        assert_eq!(hex(&hasher.finalize()), sha256_hex(b"abc"));
    }

    #[test]
    fn tables_are_well_formed_hex() {
        for kind in [DatasetKind::Mnist, DatasetKind::FashionMnist] {
            let table = Checksums::for_kind(kind);
            for file in StandardFile::ALL {
                let digest = table.get(file);
                let hexes = match digest {
                    Digest::Sha256Uncompressed(h) => vec![(h, 64)],
                    Digest::Md5Gzip(h) => vec![(h, 32)],
                    Digest::Sha256OrMd5Gzip { sha256, md5_gzip } => {
                        vec![(sha256, 64), (md5_gzip, 32)]
                    }
                };
                for (hex, len) in hexes {
                    assert_eq!(hex.len(), len);
                    assert!(
                        hex.bytes()
                            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                    );
                }
            }
        }
    }

    #[test]
    fn md5_of_a_raw_file_is_unverifiable() {
        let digest = Digest::Md5Gzip(md5_hex(b""));
        let hashers = Hashers::for_digest(Some(&digest));
        let error = hashers.verify(&digest, Encoding::Raw, "f").unwrap_err();
        assert!(matches!(error, MnistError::Unverifiable { .. }));
    }

    fn either(sha_of: &[u8], md5_of: &[u8]) -> Digest {
        Digest::Sha256OrMd5Gzip {
            sha256: sha256_hex(sha_of),
            md5_gzip: md5_hex(md5_of),
        }
    }

    fn check(digest: &Digest, stored: &[u8], idx: &[u8], encoding: Encoding) -> Result<()> {
        let mut hashers = Hashers::for_digest(Some(digest));
        if let Some(h) = hashers.stored.as_mut() {
            h.update(stored);
        }
        if let Some(h) = hashers.uncompressed.as_mut() {
            h.update(idx);
        }
        hashers.verify(digest, encoding, "t10k-images-idx3-ubyte.gz")
    }

    #[test]
    fn either_digest_accepts_the_uncompressed_sha_or_the_published_gz_md5() {
        // A recompressed .gz: other stored bytes, the same contents.
        let digest = either(b"idx", b"published gz");
        check(&digest, b"recompressed gz", b"idx", Encoding::Gzip).unwrap();
        // A raw file with the right contents.
        check(&digest, b"idx", b"idx", Encoding::Raw).unwrap();
        // The published .gz, even if the SHA table were wrong.
        let wrong_sha = either(b"other", b"published gz");
        check(&wrong_sha, b"published gz", b"idx", Encoding::Gzip).unwrap();
        // A raw file whose bytes happen to hash to the .gz MD5 is not the .gz.
        let err = check(&wrong_sha, b"published gz", b"idx", Encoding::Raw).unwrap_err();
        assert!(matches!(err, MnistError::ChecksumMismatch { .. }), "{err}");
        // Neither matches: the error gives the SHA-256 and names the file.
        let err = check(&digest, b"x", b"changed idx", Encoding::Gzip).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t10k-images-idx3-ubyte.gz: SHA-256 of the uncompressed bytes"),
            "{err}"
        );
    }

    #[test]
    fn wrong_digest_names_the_file() {
        let digest = Digest::Sha256Uncompressed(sha256_hex(b"abc"));
        let mut hashers = Hashers::for_digest(Some(&digest));
        if let Some(h) = hashers.uncompressed.as_mut() {
            h.update(b"abd");
        }
        let error = hashers
            .verify(&digest, Encoding::Raw, "labels.gz")
            .unwrap_err();
        assert!(
            error.to_string().starts_with("labels.gz: SHA-256"),
            "{error}"
        );
    }
}
