//! Reading and writing IDX files, raw or gzip-compressed.
//!
//! The IDX format is a big-endian header (magic number, then one `u32` per
//! dimension) followed by the items as unsigned bytes. MNIST uses two kinds:
//! images (magic 2051, dimensions n × rows × cols) and labels (magic 2049,
//! dimension n). Readers detect gzip by its magic bytes `1f 8b`, never by the
//! file name, and check that the data is exactly as long as the header says.

use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

use crate::error::{MnistError, Result};

/// Magic number of an IDX file of unsigned-byte images (type 0x08, 3 dimensions).
pub const IMAGES_MAGIC: u32 = 2051;
/// Magic number of an IDX file of unsigned-byte labels (type 0x08, 1 dimension).
pub const LABELS_MAGIC: u32 = 2049;
/// The largest payload a reader accepts: 1 GiB, twenty times MNIST's training
/// images. A header claiming more is rejected before anything is allocated.
pub const MAX_PAYLOAD_BYTES: u64 = 1 << 30;
/// Labels must be digits; MNIST and Fashion-MNIST both have ten classes.
pub const NUM_CLASSES: usize = 10;

/// The first allocation for a payload. Buffers grow (doubling) only as data
/// actually arrives, so a header that lies about its size costs at most this
/// much: fuzzing found that 16 MiB let a 17-byte file reserve 16 MiB.
const INITIAL_CAPACITY: u64 = 64 << 10;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How the bytes of an IDX file are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Plain IDX bytes.
    Raw,
    /// IDX bytes inside a gzip stream.
    Gzip,
}

/// The images of one IDX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Images {
    /// Number of images.
    pub count: usize,
    /// Rows per image.
    pub rows: usize,
    /// Columns per image.
    pub cols: usize,
    /// `count × rows × cols` bytes, image after image, each row-major.
    pub pixels: Vec<u8>,
}

/// Reads an images file (raw or gzip) from `reader`. `file` names it in errors.
pub fn read_images<R: Read>(reader: R, file: &str) -> Result<Images> {
    let (stream, encoding) = decompressed(reader).map_err(|e| MnistError::io(file, e))?;
    parse_images(stream, file, encoding)
}

/// Reads a labels file (raw or gzip) from `reader`. `file` names it in errors.
pub fn read_labels<R: Read>(reader: R, file: &str) -> Result<Vec<u8>> {
    let (stream, encoding) = decompressed(reader).map_err(|e| MnistError::io(file, e))?;
    parse_labels(stream, file, encoding)
}

/// Returns a reader of the IDX bytes behind `reader`, decompressing when the
/// stream starts with the gzip magic bytes, and which encoding was found.
pub fn decompressed<'a, R: Read + 'a>(mut reader: R) -> io::Result<(Box<dyn Read + 'a>, Encoding)> {
    let mut head = [0u8; 2];
    let got = read_up_to(&mut reader, &mut head)?;
    let prefix = io::Cursor::new(head).take(got as u64);
    let whole = prefix.chain(reader);
    if got == 2 && head == GZIP_MAGIC {
        // Multi-member decoding also rejects garbage after the first member,
        // which a single-member decoder would silently ignore.
        Ok((Box::new(MultiGzDecoder::new(whole)), Encoding::Gzip))
    } else {
        Ok((Box::new(whole), Encoding::Raw))
    }
}

/// Parses the decompressed bytes of an images file.
pub(crate) fn parse_images(
    mut stream: impl Read,
    file: &str,
    encoding: Encoding,
) -> Result<Images> {
    let mut header = [0u8; 16];
    read_header(
        &mut stream,
        &mut header,
        file,
        encoding,
        IMAGES_MAGIC,
        "images",
    )?;
    let [count, rows, cols] = [4, 8, 12].map(|at| be_u32(&header, at));
    if rows == 0 || cols == 0 {
        return Err(MnistError::BadDimensions {
            file: file.into(),
            rows,
            cols,
        });
    }
    let per_image = u64::from(rows) * u64::from(cols);
    let claimed = u64::from(count).saturating_mul(per_image);
    let pixels = read_payload(&mut stream, claimed, file, encoding)?;
    if (pixels.len() as u64) < claimed {
        return Err(MnistError::Truncated {
            file: file.into(),
            kind: "images",
            expected: u64::from(count),
            found: pixels.len() as u64 / per_image,
        });
    }
    expect_end(&mut stream, file, encoding, "images", u64::from(count))?;
    Ok(Images {
        count: count as usize,
        rows: rows as usize,
        cols: cols as usize,
        pixels,
    })
}

/// Parses the decompressed bytes of a labels file, checking every label is 0–9.
pub(crate) fn parse_labels(
    mut stream: impl Read,
    file: &str,
    encoding: Encoding,
) -> Result<Vec<u8>> {
    let mut header = [0u8; 8];
    read_header(
        &mut stream,
        &mut header,
        file,
        encoding,
        LABELS_MAGIC,
        "labels",
    )?;
    let count = u64::from(be_u32(&header, 4));
    let labels = read_payload(&mut stream, count, file, encoding)?;
    if (labels.len() as u64) < count {
        return Err(MnistError::Truncated {
            file: file.into(),
            kind: "labels",
            expected: count,
            found: labels.len() as u64,
        });
    }
    expect_end(&mut stream, file, encoding, "labels", count)?;
    if let Some((index, &value)) = labels
        .iter()
        .enumerate()
        .find(|(_, v)| usize::from(**v) >= NUM_CLASSES)
    {
        return Err(MnistError::LabelOutOfRange {
            file: file.into(),
            index,
            value,
        });
    }
    Ok(labels)
}

/// Writes `pixels` (images of `rows × cols`, one after another) as an IDX
/// images file. Fails if the pixel count is not a whole number of images or
/// a dimension does not fit the format's `u32`.
pub fn write_images<W: Write>(
    writer: W,
    encoding: Encoding,
    pixels: &[u8],
    rows: usize,
    cols: usize,
) -> Result<()> {
    let per_image = rows
        .checked_mul(cols)
        .filter(|&n| n > 0)
        .ok_or_else(|| invalid(format!("image size {rows}x{cols}")))?;
    if !pixels.len().is_multiple_of(per_image) {
        return Err(invalid(format!(
            "{} pixels are not a whole number of {rows}x{cols} images",
            pixels.len()
        )));
    }
    let dims = [pixels.len() / per_image, rows, cols];
    write_idx(writer, encoding, IMAGES_MAGIC, &dims, pixels)
}

/// Writes `labels` as an IDX labels file. Values are written as given, so
/// that tests can build files a reader must reject.
pub fn write_labels<W: Write>(writer: W, encoding: Encoding, labels: &[u8]) -> Result<()> {
    write_idx(writer, encoding, LABELS_MAGIC, &[labels.len()], labels)
}

fn write_idx<W: Write>(
    writer: W,
    encoding: Encoding,
    magic: u32,
    dims: &[usize],
    data: &[u8],
) -> Result<()> {
    let mut header = magic.to_be_bytes().to_vec();
    for &dim in dims {
        let dim = u32::try_from(dim)
            .map_err(|_| invalid(format!("dimension {dim} does not fit the IDX format's u32")))?;
        header.extend_from_slice(&dim.to_be_bytes());
    }
    let write = |mut out: Box<dyn Write + '_>| -> io::Result<()> {
        out.write_all(&header)?;
        out.write_all(data)?;
        out.flush()
    };
    let result = match encoding {
        Encoding::Raw => write(Box::new(writer)),
        Encoding::Gzip => {
            let mut encoder = GzEncoder::new(writer, Compression::default());
            write(Box::new(&mut encoder)).and_then(|()| encoder.try_finish())
        }
    };
    result.map_err(|e| MnistError::io("IDX output", e))
}

fn invalid(reason: String) -> MnistError {
    MnistError::InvalidDataset { reason }
}

fn be_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

/// Fills `header`, checking that the file is not empty, that the magic number
/// is `magic` and that the whole header is there, in that order, so that a
/// wrong kind of file is reported as such even when it is short.
fn read_header(
    stream: &mut impl Read,
    header: &mut [u8],
    file: &str,
    encoding: Encoding,
    magic: u32,
    kind: &'static str,
) -> Result<()> {
    let got = read_up_to(stream, header).map_err(|e| read_error(file, encoding, e))?;
    if got == 0 {
        return Err(MnistError::EmptyFile { file: file.into() });
    }
    let truncated = MnistError::TruncatedHeader {
        file: file.into(),
        expected: header.len(),
        found: got,
    };
    if got < 4 {
        return Err(truncated);
    }
    let found = be_u32(header, 0);
    if found != magic {
        return Err(MnistError::WrongMagic {
            file: file.into(),
            expected: magic,
            found,
            kind,
        });
    }
    if got < header.len() {
        return Err(truncated);
    }
    Ok(())
}

/// Reads up to `claimed` bytes, refusing absurd claims before allocating.
fn read_payload(
    stream: &mut impl Read,
    claimed: u64,
    file: &str,
    encoding: Encoding,
) -> Result<Vec<u8>> {
    if claimed > MAX_PAYLOAD_BYTES {
        return Err(MnistError::TooLarge {
            file: file.into(),
            claimed,
            limit: MAX_PAYLOAD_BYTES,
        });
    }
    let mut buffer = Vec::with_capacity(claimed.min(INITIAL_CAPACITY) as usize);
    stream
        .take(claimed)
        .read_to_end(&mut buffer)
        .map_err(|e| read_error(file, encoding, e))?;
    Ok(buffer)
}

/// Fails if anything follows the announced items.
fn expect_end(
    stream: &mut impl Read,
    file: &str,
    encoding: Encoding,
    kind: &'static str,
    count: u64,
) -> Result<()> {
    let extra = io::copy(stream, &mut io::sink()).map_err(|e| read_error(file, encoding, e))?;
    if extra > 0 {
        return Err(MnistError::TrailingBytes {
            file: file.into(),
            kind,
            count,
            extra,
        });
    }
    Ok(())
}

/// A read error inside a gzip stream almost always means a corrupt body.
fn read_error(file: &str, encoding: Encoding, source: io::Error) -> MnistError {
    match encoding {
        Encoding::Gzip => MnistError::BadGzip {
            file: file.into(),
            source,
        },
        Encoding::Raw => MnistError::io(file, source),
    }
}

/// Reads until `buffer` is full or the stream ends; returns the bytes read.
fn read_up_to(stream: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match stream.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn encode_images(encoding: Encoding, pixels: &[u8], rows: usize, cols: usize) -> Vec<u8> {
        let mut out = Vec::new();
        write_images(&mut out, encoding, pixels, rows, cols).unwrap();
        out
    }

    #[test]
    fn raw_images_have_the_documented_header() {
        let bytes = encode_images(Encoding::Raw, &[1, 2, 3, 4, 5, 6], 1, 3);
        // magic 2051 = 0x0803, then count 2, rows 1, cols 3, then the pixels.
        assert_eq!(
            bytes,
            [
                0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6
            ]
        );
    }

    #[test]
    fn gzip_round_trip_is_detected_by_magic_bytes() {
        let bytes = encode_images(Encoding::Gzip, &[9, 8, 7, 6], 2, 2);
        assert_eq!(bytes[..2], GZIP_MAGIC);
        let images = read_images(bytes.as_slice(), "x").unwrap();
        assert_eq!((images.count, images.rows, images.cols), (1, 2, 2));
        assert_eq!(images.pixels, [9, 8, 7, 6]);
    }

    #[test]
    fn labels_round_trip_raw() {
        let mut out = Vec::new();
        write_labels(&mut out, Encoding::Raw, &[0, 9, 3]).unwrap();
        assert_eq!(out[..8], [0, 0, 8, 1, 0, 0, 0, 3]);
        assert_eq!(read_labels(out.as_slice(), "x").unwrap(), [0, 9, 3]);
    }

    #[test]
    fn huge_header_is_refused_before_allocating() {
        // Every dimension at u32::MAX, about 2^96 bytes: must not try to
        // allocate, and the size saturates instead of overflowing.
        let mut bytes = IMAGES_MAGIC.to_be_bytes().to_vec();
        for dim in [u32::MAX; 3] {
            bytes.extend_from_slice(&dim.to_be_bytes());
        }
        let error = read_images(bytes.as_slice(), "huge").unwrap_err();
        assert!(
            matches!(
                error,
                MnistError::TooLarge {
                    claimed: u64::MAX,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn short_wrong_file_reports_its_magic_first() {
        let error = read_labels([0u8, 0, 8, 3, 0].as_slice(), "x").unwrap_err();
        assert!(
            matches!(
                error,
                MnistError::WrongMagic {
                    found: 2051,
                    expected: 2049,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn ragged_pixels_cannot_be_written() {
        let error = write_images(Vec::new(), Encoding::Raw, &[1, 2, 3], 2, 2).unwrap_err();
        assert!(matches!(error, MnistError::InvalidDataset { .. }));
    }
}
