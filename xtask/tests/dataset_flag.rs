//! `--dataset` overrides the suite's `dataset` on `reproduce`, `train` and
//! `report`: the files are then looked for where that data set's flag or
//! variable says ($FASHION_MNIST_DIR here), and the report names it.

#![allow(clippy::unwrap_used)]

mod common;

use common::{run, stderr, two_run_suite, write_dataset, xtask};

#[test]
fn dataset_overrides_the_suite_on_reproduce_train_and_report() {
    let work = tempfile::tempdir().unwrap();
    let fashion = write_dataset(&work.path().join("fashion"));
    let no_mnist = work.path().join("no-mnist");
    std::fs::create_dir(&no_mnist).unwrap();
    let suite = work.path().join("suite.toml");
    // The fixture suite says `dataset = "mnist"`.
    let text = two_run_suite(5);
    assert!(text.contains("dataset = \"mnist\""));
    std::fs::write(&suite, text).unwrap();
    let suite = suite.display().to_string();
    let path = |name: &str| work.path().join(name).display().to_string();
    let with_env = |args: &[&str]| {
        xtask(args, work.path())
            .env("FASHION_MNIST_DIR", &fashion)
            .env("MNIST_DIR", &no_mnist)
            .output()
            .unwrap()
    };

    // Without the flag the suite's MNIST is looked for, in the empty MNIST_DIR.
    let (out, runs) = (path("out"), path("runs"));
    let common = ["--suite", suite.as_str(), "--no-verify", "--jobs", "1"];
    let mut args = vec!["reproduce", "--out", &out, "--runs-dir", &runs];
    args.extend(common);
    let refused = with_env(&args);
    assert!(!refused.status.success());
    let error = stderr(&refused);
    assert!(
        error.contains("mnist") && error.contains("no-mnist"),
        "{error}"
    );

    // With it, Fashion-MNIST comes from FASHION_MNIST_DIR and the report says so.
    args.extend(["--dataset", "fashion-mnist"]);
    let done = with_env(&args);
    assert!(done.status.success(), "{}", stderr(&done));
    let summary = std::fs::read_to_string(work.path().join("out/summary.json")).unwrap();
    assert!(
        summary.contains("\"dataset\": \"fashion-mnist\""),
        "{summary}"
    );
    let report = std::fs::read_to_string(work.path().join("out/report.md")).unwrap();
    assert!(
        report.contains("Fashion-MNIST"),
        "report.md names no Fashion-MNIST"
    );
    assert!(
        report.contains("--dataset fashion-mnist"),
        "the command is not echoed"
    );

    // `train` and `report` take it too.
    let (out2, runs2) = (path("out2"), path("runs2"));
    let mut train = vec!["train", "--runs-dir", &runs2, "--dataset", "fashion-mnist"];
    train.extend(common);
    let trained = with_env(&train);
    assert!(trained.status.success(), "{}", stderr(&trained));
    let mut report = vec!["report", "--runs-dir", &runs2, "--out", &out2];
    report.extend(common);
    let wrong = with_env(&report);
    assert!(
        !wrong.status.success(),
        "report read MNIST without --dataset"
    );
    report.extend(["--dataset", "fashion-mnist"]);
    let reported = with_env(&report);
    assert!(reported.status.success(), "{}", stderr(&reported));

    // An unknown name is refused, naming the choices.
    let bad = run(&["reproduce", "--dataset", "cifar"], work.path());
    assert!(!bad.status.success());
    let error = stderr(&bad);
    assert!(
        error.contains("cifar") && error.contains("fashion-mnist"),
        "{error}"
    );
}
