//! Loads MNIST from a directory, verifies its four files against the published
//! checksums, prints how many images each digit has, and draws one image in
//! ASCII.
//!
//! Run it with the directory as argument, or in `MNIST_DIR`:
//!
//! ```text
//! cargo run --release -p vaelab-mnist --example inspect -- /path/to/mnist [index]
//! MNIST_DIR=/path/to/mnist cargo run --release -p vaelab-mnist --example inspect
//! ```
//!
//! The directory must hold `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
//! `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each plain or `.gz`.
//! `index` picks the training image to draw (default 0). The example never
//! downloads anything: without a directory, or with a directory that lacks a
//! file or holds a corrupt one, it says what is wrong and exits with status 1.

use std::path::PathBuf;
use std::process::ExitCode;

use vaelab_mnist::{Dataset, NUM_CLASSES};

/// Characters from background to full ink, for drawing a greyscale image.
const SHADES: &[u8] = b" .:-=+*#%@";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("usage: inspect [MNIST-DIRECTORY] [IMAGE-INDEX]  (or set MNIST_DIR)");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args_os().skip(1);
    let dir = match args.next() {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("MNIST_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .ok_or(
                "no MNIST directory: pass it as the first argument or set MNIST_DIR=DIR \
                 (the directory holding train-images-idx3-ubyte[.gz] and the other three files)",
            )?,
    };
    let index = match args.next() {
        None => 0,
        Some(text) => {
            let text = text.to_string_lossy().into_owned();
            text.parse::<usize>()
                .map_err(|_| format!("image index {text:?} is not a whole number"))?
        }
    };

    // `load` reads the four files (plain or gzip) and checks each against the
    // canonical MNIST checksums; any problem comes back as an error naming the file.
    let data = vaelab_mnist::load(&dir).map_err(|e| e.to_string())?;
    println!("read from {}:", dir.display());
    for file in &data.files {
        println!("  {}", file.display());
    }
    println!(
        "checksums verified: {}; images are {}×{} pixels",
        if data.verified { "yes" } else { "no" },
        data.train.rows(),
        data.train.cols()
    );

    println!("\ndigit      train     test");
    let (train, test) = (data.train.class_counts(), data.test.class_counts());
    for digit in 0..NUM_CLASSES {
        println!("{digit:>5} {:>10} {:>8}", train[digit], test[digit]);
    }
    println!("total {:>10} {:>8}", data.train.len(), data.test.len());

    if index >= data.train.len() {
        return Err(format!(
            "image index {index} is out of range: the training set holds {} images",
            data.train.len()
        ));
    }
    println!(
        "\ntraining image {index}, labelled {}:",
        data.train.label(index)
    );
    print!("{}", ascii(&data.train, index));
    Ok(())
}

/// Image `i` of `set` as text, one line per pixel row, two characters per
/// pixel so that the drawing keeps roughly the image's proportions.
fn ascii(set: &Dataset, i: usize) -> String {
    let mut text = String::new();
    for row in set.image(i).chunks(set.cols()) {
        for &pixel in row {
            let shade = SHADES[usize::from(pixel) * SHADES.len() / 256];
            text.push(char::from(shade));
            text.push(char::from(shade));
        }
        text.push('\n');
    }
    text
}
