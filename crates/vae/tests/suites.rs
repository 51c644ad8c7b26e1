//! Suites with seeds and grids: how configurations expand to runs, how
//! they are named and identified, and how bad ones are refused.
#![allow(clippy::unwrap_used)]

use vaelab_vae::suite::{MAX_RUNS, first_seeds};
use vaelab_vae::{RunConfig, Suite};

const SUITE: &str = r#"
name = "t"
[defaults]
iterations = 5
adam = { lr = 0.01 }
[[runs]]
name = "a"
[[runs]]
name = "b"
latent = 20
adam = { beta1 = 0.5 }
"#;

#[test]
fn seeds_expand_each_configuration_and_runs_override_defaults() {
    let text = SUITE
        .replace("iterations = 5", "iterations = 5\nseeds = [3, 1]")
        .replace("latent = 20", "latent = 20\nseed = 7");
    let suite = Suite::parse(&text, "t.toml").expect("valid");
    let ids: Vec<String> = suite.runs.iter().map(RunConfig::id).collect();
    assert_eq!(ids, ["a/seed-3", "a/seed-1", "b/seed-7"]);
    assert_eq!(suite.configurations[0].seeds, [3, 1]);
    assert_eq!(suite.configurations[0].config.seed, 3);
    // Seeds differ only in `seed`.
    assert_eq!(
        RunConfig {
            seed: 3,
            ..suite.runs[1].clone()
        },
        suite.runs[0]
    );
    let labels: Vec<String> = suite.labelled_runs().into_iter().map(|r| r.name).collect();
    assert_eq!(labels, ["a-seed-3", "a-seed-1", "b"]);
    assert!(suite.is_multi_seed());
}

#[test]
fn one_seed_keeps_the_plain_names() {
    let suite = Suite::parse(SUITE, "t.toml").expect("valid");
    assert_eq!(suite.labelled_runs(), suite.runs);
    assert!(!suite.is_multi_seed());
    assert_eq!(suite.runs[1].id(), "b/seed-0");
}

#[test]
fn seeds_from_the_command_line_replace_the_files() {
    let mut suite = Suite::parse(SUITE, "t.toml").expect("valid");
    suite.set_seeds(&first_seeds(3)).expect("three seeds");
    let ids: Vec<String> = suite.runs.iter().map(RunConfig::id).collect();
    assert_eq!(
        ids,
        [
            "a/seed-0", "a/seed-1", "a/seed-2", "b/seed-0", "b/seed-1", "b/seed-2"
        ]
    );
    suite.select("b").expect("b matches");
    assert_eq!(suite.runs.len(), 3);
    suite.override_all(Some(9), Some(4)).expect("one seed");
    assert_eq!(suite.runs.len(), 1);
    assert_eq!((suite.runs[0].seed, suite.runs[0].iterations), (4, 9));
    assert!(suite.set_seeds(&[]).is_err());
    let err = suite
        .set_seeds(&first_seeds(MAX_RUNS + 1))
        .expect_err("too many")
        .to_string();
    assert!(err.contains("10001 runs"), "{err}");
    let err = suite.set_seeds(&[1, 2, 1]).expect_err("twice").to_string();
    assert!(err.contains("seed 1 is given twice"), "{err}");
}

#[test]
fn bad_seeds_are_refused_by_name() {
    let cases = [
        ("iterations = 5\nseeds = []", "[defaults]: seeds = []"),
        ("iterations = 5\nseeds = [1, 1]", "1 is given twice"),
        ("iterations = 5\nseeds = [-1]", "-1 is not an integer"),
        ("iterations = 5\nseeds = 3", "expected a list"),
        (
            "iterations = 5\nseeds = [1]\nseed = 2",
            "either `seed` or `seeds`",
        ),
    ];
    for (replacement, needle) in cases {
        let text = SUITE.replace("iterations = 5", replacement);
        let err = Suite::parse(&text, "t.toml").expect_err(needle).to_string();
        assert!(
            err.contains("t.toml") && err.contains(needle),
            "{needle}: {err}"
        );
    }
    // A configuration whose name is another's seed label is refused.
    let text = SUITE
        .replace("name = \"b\"", "name = \"a-seed-1\"\nseed = 0")
        .replace("iterations = 5", "iterations = 5\nseeds = [0, 1]");
    let err = Suite::parse(&text, "t.toml")
        .expect_err("clash")
        .to_string();
    assert!(err.contains("\"a-seed-1\""), "{err}");
}

const GRID: &str = r#"
name = "g"
[defaults]
iterations = 5
[[runs]]
name = "study"
[grid]
name = "{activation}-z{latent}-lr{adam.lr}"
activation = ["sigmoid", "relu"]
latent = [2, 20]
adam.lr = [0.01]
"#;

#[test]
fn grids_expand_after_the_listed_runs() {
    let suite = Suite::parse(GRID, "g.toml").expect("valid");
    let names: Vec<&str> = suite.runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "study",
            "sigmoid-z2-lr0.01",
            "sigmoid-z20-lr0.01",
            "relu-z2-lr0.01",
            "relu-z20-lr0.01"
        ]
    );
    let relu20 = &suite.runs[4];
    assert_eq!(relu20.activation, vaelab_nn::Activation::Relu);
    assert_eq!(
        (relu20.latent, relu20.adam.lr, relu20.iterations),
        (20, 0.01, 5)
    );
    assert_eq!(suite.runs[0].adam.lr, 1e-3);
}

#[test]
fn several_grids_and_bad_grids_are_refused_by_name() {
    let two = "name = \"g\"\n[[grid]]\nlatent = [2, 20]\n[[grid]]\nname = \"relu-{latent}\"\nactivation = [\"relu\"]\nlatent = [3]\n";
    let suite = Suite::parse(two, "g.toml").expect("valid");
    let names: Vec<&str> = suite.runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["latent-2", "latent-20", "relu-3"]);
    let cases = [
        (
            GRID.replace("latent = [2, 20]", "latnet = [2, 20]"),
            "latnet",
        ),
        (
            GRID.replace("latent = [2, 20]", "latent = [2, 0]"),
            "latent",
        ),
        (
            GRID.replace("name = \"study\"", "name = \"relu-z2-lr0.01\""),
            "\"relu-z2-lr0.01\" is used twice",
        ),
        (
            GRID.replace("-lr{adam.lr}", "")
                .replace("[0.01]", "[0.01, 0.1]"),
            "\"sigmoid-z2\" is used twice",
        ),
        (
            GRID.replace("latent = [2, 20]", "latent = 2"),
            "grid.latent = 2",
        ),
        (
            GRID.replace("{latent}", "{latnet}"),
            "{latnet} is not an axis",
        ),
    ];
    for (text, needle) in cases {
        let err = Suite::parse(&text, "g.toml").expect_err(needle).to_string();
        assert!(
            err.contains("g.toml") && err.contains(needle),
            "{needle}: {err}"
        );
    }
}
