//! The corrupt-input battery: bad data files, bad suite files, bad output
//! directories and bad command-line values, each through the real binary.
//!
//! Every case must end with a non-zero exit, no panic, and an error that
//! names the file or the setting at fault. Cases that fail before training
//! must also leave no report (and no staging directory) behind.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{
    SIDE, TEST_IMAGES, TEST_IMAGES_FILE, TEST_LABELS_FILE, TRAIN_IMAGES, TRAIN_IMAGES_FILE,
    TRAIN_LABELS_FILE, images, images_file, labels_file, listing, reproduce_args, run, stderr,
    suite, write_dataset,
};
use vaelab_mnist::Encoding;

/// A valid dataset in `idx/`, a valid one-run suite in `suite.toml`, and the
/// report to go in `report/`, all in a fresh temporary directory.
struct Fixture {
    work: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let work = tempfile::tempdir().unwrap();
        write_dataset(&work.path().join("idx"));
        let fixture = Fixture { work };
        fixture.write_suite(&suite(5, &["name = \"only\""]));
        fixture
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.work.path().join(relative)
    }

    fn data_dir(&self) -> PathBuf {
        self.path("idx")
    }

    /// One of the four files of the dataset.
    fn file(&self, name: &str) -> PathBuf {
        self.data_dir().join(name)
    }

    /// Changes the bytes of a data file in place.
    fn edit(&self, name: &str, change: impl FnOnce(&mut Vec<u8>)) {
        let mut bytes = std::fs::read(self.file(name)).unwrap();
        change(&mut bytes);
        std::fs::write(self.file(name), bytes).unwrap();
    }

    fn write_suite(&self, text: &str) {
        std::fs::write(self.path("suite.toml"), text).unwrap();
    }

    /// `xtask data --data-dir idx --no-verify`, plus `extra`.
    fn data(&self, extra: &[&str]) -> Output {
        let dir = self.data_dir().display().to_string();
        let mut args = vec!["data", "--data-dir", &dir, "--no-verify"];
        args.extend(extra);
        run(&args, self.work.path())
    }

    /// `xtask data --data-dir idx`, with the checksum check.
    fn data_verified(&self) -> Output {
        let dir = self.data_dir().display().to_string();
        run(&["data", "--data-dir", &dir], self.work.path())
    }

    /// `xtask reproduce` of `suite.toml` on `idx/` into `report/`, plus `extra`.
    fn reproduce(&self, extra: &[&str]) -> Output {
        self.reproduce_into(&self.path("report"), extra)
    }

    fn reproduce_into(&self, out: &Path, extra: &[&str]) -> Output {
        let suite = self.path("suite.toml").display().to_string();
        let data = self.data_dir().display().to_string();
        let out = out.display().to_string();
        let mut args = reproduce_args(&suite, &data, &out);
        args.extend(extra);
        run(&args, self.work.path())
    }

    /// Asserts that nothing named `report` or `report.*` was written.
    fn assert_no_report(&self) {
        let written: Vec<String> = listing(self.work.path())
            .into_iter()
            .filter(|n| n == "report" || n.starts_with("report."))
            .collect();
        assert!(written.is_empty(), "left behind: {written:?}");
    }
}

/// Asserts a clean failure: a non-zero exit, no panic, and every one of
/// `needles` in the error output.
#[track_caller]
fn fails_naming(output: &Output, needles: &[&str]) -> String {
    let text = stderr(output);
    assert!(
        !output.status.success(),
        "succeeded; stdout: {}\nstderr: {text}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        matches!(output.status.code(), Some(1 | 2)),
        "exit status {:?} (a signal?): {text}",
        output.status
    );
    assert!(!text.contains("panicked"), "panic: {text}");
    assert!(text.contains("error"), "no error line: {text}");
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} not in: {text}");
    }
    // A cause is not repeated when the line before already says it.
    let lines: Vec<&str> = text.lines().collect();
    for pair in lines.windows(2) {
        if let Some(cause) = pair[1].strip_prefix("  caused by: ") {
            assert!(!pair[0].contains(cause), "said twice: {text}");
        }
    }
    text
}

/// The images of a split as an IDX file with `rows × cols` images.
fn images_of_size(count: usize, rows: usize, cols: usize, encoding: Encoding) -> Vec<u8> {
    let pixels = vec![100u8; count * rows * cols];
    images_file(&pixels, rows, cols, encoding)
}

// --- Data files, through `xtask data` --------------------------------------

#[test]
fn truncated_image_file() {
    let f = Fixture::new();
    f.edit(TRAIN_IMAGES_FILE, |b| b.truncate(b.len() - 100));
    fails_naming(
        &f.data(&[]),
        &[TRAIN_IMAGES_FILE, "expected 60 images, file holds 59"],
    );
}

#[test]
fn truncated_label_file() {
    let f = Fixture::new();
    f.edit(TEST_LABELS_FILE, |b| b.truncate(b.len() - 5));
    fails_naming(
        &f.data(&[]),
        &[TEST_LABELS_FILE, "expected 80 labels, file holds 75"],
    );
}

#[test]
fn truncated_header() {
    let f = Fixture::new();
    f.edit(TEST_IMAGES_FILE, |b| b.truncate(10));
    fails_naming(
        &f.data(&[]),
        &[TEST_IMAGES_FILE, "header is 16 bytes", "only 10"],
    );
}

#[test]
fn trailing_bytes() {
    let f = Fixture::new();
    f.edit(TRAIN_LABELS_FILE, |b| b.extend([1, 2, 3]));
    fails_naming(
        &f.data(&[]),
        &[TRAIN_LABELS_FILE, "3 unexpected bytes after the 60 labels"],
    );
}

#[test]
fn wrong_magic() {
    let f = Fixture::new();
    // A labels file where the images file should be.
    std::fs::copy(f.file(TRAIN_LABELS_FILE), f.file(TRAIN_IMAGES_FILE)).unwrap();
    fails_naming(
        &f.data(&[]),
        &[TRAIN_IMAGES_FILE, "magic number is 2049, expected 2051"],
    );
}

#[test]
fn images_and_labels_count_mismatch() {
    let f = Fixture::new();
    let (_, labels) = images(TRAIN_IMAGES - 1, 1);
    std::fs::write(
        f.file(TRAIN_LABELS_FILE),
        labels_file(&labels, Encoding::Raw),
    )
    .unwrap();
    fails_naming(
        &f.data(&[]),
        &[
            TRAIN_IMAGES_FILE,
            TRAIN_LABELS_FILE,
            "60 images",
            "59 labels",
        ],
    );
}

#[test]
fn label_ten() {
    let f = Fixture::new();
    // The header is 8 bytes; label 3 is byte 11.
    f.edit(TEST_LABELS_FILE, |b| b[8 + 3] = 10);
    fails_naming(
        &f.data(&[]),
        &[TEST_LABELS_FILE, "label 3 is 10, expected 0-9"],
    );
}

#[test]
fn header_claiming_four_billion_images_fails_before_allocating() {
    let f = Fixture::new();
    f.edit(TRAIN_IMAGES_FILE, |b| b[4..8].copy_from_slice(&[0xff; 4]));
    fails_naming(&f.data(&[]), &[TRAIN_IMAGES_FILE, "more than the limit"]);
}

#[test]
fn zero_image_dimension() {
    let f = Fixture::new();
    f.edit(TEST_IMAGES_FILE, |b| b[8..12].copy_from_slice(&[0; 4]));
    fails_naming(
        &f.data(&[]),
        &[TEST_IMAGES_FILE, "0x28 has a zero dimension"],
    );
}

#[test]
fn training_and_test_images_of_different_sizes() {
    let f = Fixture::new();
    let test = images_of_size(TEST_IMAGES, 14, 14, Encoding::Raw);
    std::fs::write(f.file(TEST_IMAGES_FILE), test).unwrap();
    fails_naming(
        &f.data(&[]),
        &[TRAIN_IMAGES_FILE, TEST_IMAGES_FILE, "28x28", "14x14"],
    );
}

#[test]
fn gzip_with_a_corrupted_body() {
    let f = Fixture::new();
    let (pixels, _) = images(TRAIN_IMAGES, 1);
    let mut gz = images_file(&pixels, SIDE, SIDE, Encoding::Gzip);
    let middle = gz.len() / 2;
    for byte in &mut gz[middle..middle + 16] {
        *byte ^= 0x5a;
    }
    std::fs::remove_file(f.file(TRAIN_IMAGES_FILE)).unwrap();
    let gz_name = format!("{TRAIN_IMAGES_FILE}.gz");
    std::fs::write(f.file(&gz_name), gz).unwrap();
    fails_naming(&f.data(&[]), &[&gz_name, "gzip"]);
}

#[test]
fn gzip_cut_short() {
    let f = Fixture::new();
    let (_, labels) = images(TEST_IMAGES, 2);
    let mut gz = labels_file(&labels, Encoding::Gzip);
    gz.truncate(gz.len() - 12);
    std::fs::remove_file(f.file(TEST_LABELS_FILE)).unwrap();
    let gz_name = format!("{TEST_LABELS_FILE}.gz");
    std::fs::write(f.file(&gz_name), gz).unwrap();
    fails_naming(&f.data(&[]), &[&gz_name]);
}

#[test]
fn empty_file() {
    let f = Fixture::new();
    std::fs::write(f.file(TEST_IMAGES_FILE), b"").unwrap();
    fails_naming(&f.data(&[]), &[TEST_IMAGES_FILE, "file is empty"]);
}

#[test]
fn directory_in_place_of_a_file() {
    let f = Fixture::new();
    std::fs::remove_file(f.file(TRAIN_LABELS_FILE)).unwrap();
    std::fs::create_dir(f.file(TRAIN_LABELS_FILE)).unwrap();
    fails_naming(&f.data(&[]), &[TRAIN_LABELS_FILE, "is not a regular file"]);
}

#[test]
fn missing_file() {
    let f = Fixture::new();
    std::fs::remove_file(f.file(TEST_LABELS_FILE)).unwrap();
    fails_naming(
        &f.data(&[]),
        &[
            "no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz",
            "--data-dir",
        ],
    );
}

#[test]
fn missing_data_directory() {
    let f = Fixture::new();
    let nowhere = f.path("nowhere").display().to_string();
    let output = run(
        &["data", "--data-dir", &nowhere, "--no-verify"],
        f.work.path(),
    );
    fails_naming(&output, &[&nowhere, TRAIN_IMAGES_FILE]);
}

#[test]
fn checksum_mismatch() {
    let f = Fixture::new();
    // The fixture is well formed, and the same command passes without the
    // checksum check, so the failure is the checksum's alone.
    assert!(f.data(&[]).status.success());
    fails_naming(
        &f.data_verified(),
        &[TRAIN_IMAGES_FILE, "SHA-256", "--no-verify"],
    );
}

// --- Data files, through `xtask reproduce` ---------------------------------

#[test]
fn images_that_are_not_28_by_28_are_refused_by_reproduce() {
    let f = Fixture::new();
    for (name, count) in [
        (TRAIN_IMAGES_FILE, TRAIN_IMAGES),
        (TEST_IMAGES_FILE, TEST_IMAGES),
    ] {
        let bytes = images_of_size(count, 14, 14, Encoding::Raw);
        std::fs::write(f.file(name), bytes).unwrap();
    }
    // A dataset of another size is valid in itself...
    let data = f.data(&[]);
    assert!(data.status.success(), "{}", stderr(&data));
    // ...but not for the models, which read 784 pixels.
    let text = fails_naming(
        &f.reproduce(&[]),
        &[TRAIN_IMAGES_FILE, "14×14", "28×28", "784"],
    );
    assert!(!text.contains("trained"), "trained anyway: {text}");
    f.assert_no_report();
}

#[test]
fn a_corrupt_file_stops_reproduce_before_training() {
    let f = Fixture::new();
    f.edit(TRAIN_IMAGES_FILE, |b| b.truncate(b.len() - 1));
    fails_naming(
        &f.reproduce(&[]),
        &[TRAIN_IMAGES_FILE, "expected 60 images"],
    );
    f.assert_no_report();
}

// --- Suite files ------------------------------------------------------------

/// Runs the fixture's reproduce on a one-run suite whose run has `body`, and
/// checks that it fails before training, naming the suite file or the run
/// and every one of `needles`.
#[track_caller]
fn suite_fails(body: &str, needles: &[&str]) {
    let f = Fixture::new();
    f.write_suite(&suite(5, &[&format!("name = \"bad\"\n{body}")]));
    let text = fails_naming(&f.reproduce(&[]), needles);
    assert!(
        text.contains("suite.toml") || text.contains("bad"),
        "names neither the file nor the run: {text}"
    );
    assert!(!text.contains("trained"), "trained anyway: {text}");
    f.assert_no_report();
}

#[test]
fn suite_with_an_unknown_key() {
    suite_fails("latnet = 20", &["suite.toml", "latnet"]);
}

#[test]
fn suite_with_a_wrong_type() {
    suite_fails("latent = \"two\"", &["suite.toml", "latent"]);
}

#[test]
fn suite_with_latent_zero() {
    suite_fails("latent = 0", &["`latent` = 0"]);
}

#[test]
fn suite_with_zero_learning_rate() {
    suite_fails("adam = { lr = 0.0 }", &["adam.lr", "must be positive"]);
}

#[test]
fn suite_with_negative_learning_rate() {
    suite_fails("adam = { lr = -0.5 }", &["adam.lr", "-0.5"]);
}

#[test]
fn suite_with_zero_iterations() {
    suite_fails("iterations = 0", &["`iterations` = 0"]);
}

#[test]
fn suite_with_a_batch_larger_than_the_training_set() {
    suite_fails(
        "batch_size = 60",
        &[
            "`batch_size` = 60",
            "larger than the training set (data.train = 50)",
        ],
    );
}

#[test]
fn suite_with_a_negative_beta() {
    suite_fails("beta = -1.0", &["`beta` = -1"]);
}

#[test]
fn suite_with_a_run_name_that_is_not_a_file_name() {
    let f = Fixture::new();
    f.write_suite(&suite(5, &["name = \"a/b\""]));
    fails_naming(&f.reproduce(&[]), &["`name`", "a/b"]);
    f.assert_no_report();
}

#[test]
fn suite_with_an_unknown_dataset() {
    let f = Fixture::new();
    let text = suite(5, &["name = \"only\""]).replace("\"mnist\"", "\"cifar\"");
    f.write_suite(&text);
    fails_naming(&f.reproduce(&[]), &["suite.toml", "dataset", "cifar"]);
    f.assert_no_report();
}

#[test]
fn suite_file_that_is_not_toml() {
    let f = Fixture::new();
    std::fs::write(f.path("suite.toml"), [0xff, 0x00, 0x9c, b'[', b'[']).unwrap();
    fails_naming(&f.reproduce(&[]), &["suite.toml"]);
    f.assert_no_report();
}

#[test]
fn missing_suite_file() {
    let f = Fixture::new();
    std::fs::remove_file(f.path("suite.toml")).unwrap();
    fails_naming(&f.reproduce(&[]), &["suite.toml", "No such file"]);
    f.assert_no_report();
}

/// A selection larger than the data fails its run at run time (other runs
/// could still succeed), so a report is written that marks the run; the
/// exit status still says that something failed.
#[test]
fn selection_larger_than_the_dataset() {
    let f = Fixture::new();
    f.write_suite(&suite(5, &["name = \"greedy\"\ndata = { train = 100 }"]));
    fails_naming(
        &f.reproduce(&[]),
        &["greedy", "data.train = 100", "holds 60 images"],
    );
    let summary = std::fs::read_to_string(f.path("report/summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(summary["runs"][0]["status"], "failed");
    assert!(
        summary["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("data.train = 100"),
        "{summary}"
    );
}

#[test]
fn test_and_classification_sets_larger_than_the_test_file() {
    let f = Fixture::new();
    f.write_suite(&suite(
        5,
        &["name = \"greedy\"\ndata = { test = 50, classify = 40 }"],
    ));
    fails_naming(
        &f.reproduce(&[]),
        &[
            "greedy",
            "data.test + data.classify = 90",
            "holds 80 images",
        ],
    );
}

// --- Output directories and the command line --------------------------------

#[test]
fn output_under_a_regular_file() {
    let f = Fixture::new();
    std::fs::write(f.path("plain-file"), "not a directory").unwrap();
    let out = f.path("plain-file/report");
    let text = fails_naming(
        &f.reproduce_into(&out, &[]),
        &["plain-file", "not a directory", "--out"],
    );
    assert!(!text.contains("trained"), "trained anyway: {text}");
}

#[test]
fn output_in_a_directory_that_cannot_be_written() {
    // /proc refuses new directories even to root, whom permissions do not stop.
    let f = Fixture::new();
    let out = Path::new("/proc/vaelab-no-such-dir/report");
    let text = fails_naming(&f.reproduce_into(out, &[]), &["/proc", "--out"]);
    assert!(!text.contains("trained"), "trained anyway: {text}");
}

#[test]
fn output_that_is_a_file() {
    let f = Fixture::new();
    std::fs::write(f.path("report"), "mine").unwrap();
    fails_naming(&f.reproduce(&[]), &["report", "is not a directory"]);
    assert_eq!(std::fs::read(f.path("report")).unwrap(), b"mine");
}

#[test]
fn output_that_is_a_directory_of_other_things() {
    let f = Fixture::new();
    std::fs::create_dir(f.path("report")).unwrap();
    std::fs::write(f.path("report/thesis.tex"), "mine").unwrap();
    fails_naming(&f.reproduce(&[]), &["refusing to replace", "report"]);
    assert_eq!(listing(&f.path("report")), vec!["thesis.tex"]);
}

#[test]
fn zero_jobs() {
    let f = Fixture::new();
    fails_naming(&f.reproduce(&["--jobs", "0"]), &["--jobs", "'0'"]);
    f.assert_no_report();
}

#[test]
fn zero_iterations_on_the_command_line() {
    let f = Fixture::new();
    fails_naming(&f.reproduce(&["--iterations", "0"]), &["`iterations` = 0"]);
    f.assert_no_report();
}

#[test]
fn a_run_pattern_that_matches_nothing() {
    let f = Fixture::new();
    fails_naming(
        &f.reproduce(&["--runs", "nothing-*"]),
        &["no run matches", "nothing-*"],
    );
    f.assert_no_report();
}

#[test]
fn an_unknown_dataset_name_on_the_command_line() {
    let f = Fixture::new();
    fails_naming(&f.data(&["--dataset", "cifar"]), &["--dataset", "cifar"]);
}
