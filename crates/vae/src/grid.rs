//! Grids: axes of settings that expand to one named run per combination.
//!
//! ```toml
//! [grid]
//! name = "{activation}-z{latent}"     # optional template
//! activation = ["sigmoid", "relu"]
//! latent = [2, 20]
//! adam.lr = [0.001, 0.01]              # nested settings by dotted key
//! ```
//!
//! Every leaf of a grid table is an axis: a list of the values that setting
//! takes (a one-element list fixes a setting for this grid only). Runs come
//! out in odometer order: the first axis in the file varies slowest, the last
//! fastest. A suite may hold one `[grid]` or several `[[grid]]` tables.
//!
//! Names: with a `name` template, each `{axis}` (the dotted key, e.g.
//! `{adam.lr}`) is replaced by that axis's value; without one, the name joins
//! `axis-value` for every axis with more than one value, with `_`, e.g.
//! `activation-relu_latent-2`. A value is written as follows: a string as is,
//! a number as Rust prints it (`0.01`), a list as its items joined by `x`
//! (`[512, 256]` → `512x256`), a table as its keys and values joined by `-`
//! (`{ gaussian = { std = 0.1 } }` → `gaussian-std-0.1`).
//!
//! `seed` and `seeds` cannot be axes: seeds are repetitions of one
//! configuration, not configurations of their own (see `seeds` in
//! [`crate::suite`]).

use toml::{Table, Value};

/// The most configurations a suite may hold (grid runs included): a few
/// lines of grid must not ask for millions of runs by a slip.
pub const MAX_CONFIGURATIONS: usize = 1000;

/// One axis: a setting's dotted path and the values it takes.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    path: Vec<String>,
    values: Vec<Value>,
}

impl Axis {
    fn key(&self) -> String {
        self.path.join(".")
    }
}

/// A run produced by a grid, before defaults and validation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridRun {
    /// Its name, from the template or the automatic scheme.
    pub name: String,
    /// Its settings: one value of every axis, with `name` set.
    pub table: Table,
}

/// Expands one grid table (`label` names it in errors, e.g. `grid[0]`).
pub(crate) fn expand(grid: &Table, label: &str) -> Result<Vec<GridRun>, String> {
    let template = match grid.get("name") {
        None => None,
        Some(Value::String(t)) => Some(t.as_str()),
        Some(other) => {
            return Err(format!(
                "{label}.name = {other}: the name template must be a string such as \"{{activation}}-z{{latent}}\""
            ));
        }
    };
    let mut axes = Vec::new();
    for (key, value) in grid {
        if key == "name" {
            continue;
        }
        collect_axes(&mut vec![key.clone()], value, label, &mut axes)?;
    }
    if axes.is_empty() {
        return Err(format!("{label}: the grid has no axes"));
    }
    if let Some(t) = template {
        check_template(t, &axes, label)?;
    }
    let count = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
        .filter(|&n| n <= MAX_CONFIGURATIONS);
    let Some(count) = count else {
        let sizes: Vec<String> = axes.iter().map(|a| a.values.len().to_string()).collect();
        return Err(format!(
            "{label}: {} combinations; a suite holds at most {MAX_CONFIGURATIONS} configurations",
            sizes.join(" × ")
        ));
    };
    let mut runs = Vec::with_capacity(count);
    let mut index = vec![0usize; axes.len()];
    loop {
        let mut table = Table::new();
        for (axis, &i) in axes.iter().zip(&index) {
            set_path(&mut table, &axis.path, axis.values[i].clone());
        }
        let name = match template {
            Some(t) => fill_template(t, &axes, &index),
            None => automatic_name(&axes, &index),
        };
        table.insert("name".into(), Value::String(name.clone()));
        runs.push(GridRun { name, table });
        // Odometer step: the last axis turns fastest.
        let mut a = axes.len();
        loop {
            if a == 0 {
                return Ok(runs);
            }
            a -= 1;
            index[a] += 1;
            if index[a] < axes[a].values.len() {
                break;
            }
            index[a] = 0;
        }
    }
}

fn collect_axes(
    path: &mut Vec<String>,
    value: &Value,
    label: &str,
    axes: &mut Vec<Axis>,
) -> Result<(), String> {
    let key = path.join(".");
    if path.len() == 1 && matches!(key.as_str(), "seed" | "seeds") {
        return Err(format!(
            "{label}.{key}: seeds cannot be a grid axis; set `seeds = [0, 1, 2]` in [defaults] \
             so that every configuration is repeated over them"
        ));
    }
    match value {
        Value::Table(table) => {
            for (k, v) in table {
                path.push(k.clone());
                collect_axes(path, v, label, axes)?;
                path.pop();
            }
            Ok(())
        }
        Value::Array(values) if values.is_empty() => Err(format!(
            "{label}.{key} = []: an axis needs at least one value"
        )),
        Value::Array(values) => {
            axes.push(Axis {
                path: path.clone(),
                values: values.clone(),
            });
            Ok(())
        }
        other => Err(format!(
            "{label}.{key} = {other}: an axis is a list of values, e.g. {key} = [{other}]"
        )),
    }
}

fn set_path(table: &mut Table, path: &[String], value: Value) {
    match path {
        [] => {}
        [last] => {
            table.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = table
                .entry(first.clone())
                .or_insert_with(|| Value::Table(Table::new()));
            if let Value::Table(inner) = entry {
                set_path(inner, rest, value);
            }
        }
    }
}

/// Checks that every `{…}` of the template names an axis.
fn check_template(template: &str, axes: &[Axis], label: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("{label}.name = {template:?}: a '{{' is not closed"));
        };
        let key = &after[..close];
        if !axes.iter().any(|a| a.key() == key) {
            let known: Vec<String> = axes.iter().map(Axis::key).collect();
            return Err(format!(
                "{label}.name = {template:?}: {{{key}}} is not an axis of the grid (axes: {})",
                known.join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("{label}.name = {template:?}: a '}}' is not opened"));
    }
    Ok(())
}

fn fill_template(template: &str, axes: &[Axis], index: &[usize]) -> String {
    let mut name = template.to_string();
    for (axis, &i) in axes.iter().zip(index) {
        name = name.replace(&format!("{{{}}}", axis.key()), &value_text(&axis.values[i]));
    }
    name
}

fn automatic_name(axes: &[Axis], index: &[usize]) -> String {
    let parts: Vec<String> = axes
        .iter()
        .zip(index)
        .filter(|(axis, _)| axis.values.len() > 1)
        .map(|(axis, &i)| format!("{}-{}", axis.key(), value_text(&axis.values[i])))
        .collect();
    if parts.is_empty() {
        "grid".into()
    } else {
        parts.join("_")
    }
}

/// A value as it appears in a run's name.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join("x"),
        Value::Table(table) => table
            .iter()
            .map(|(k, v)| format!("{k}-{}", value_text(v)))
            .collect::<Vec<_>>()
            .join("-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(text: &str) -> Table {
        toml::from_str(text).expect("valid TOML")
    }

    fn names(runs: &[GridRun]) -> Vec<&str> {
        runs.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn the_first_axis_varies_slowest_and_the_template_names_runs() {
        let runs = expand(
            &grid(
                "name = \"{activation}-z{latent}\"\nactivation = [\"sigmoid\", \"relu\"]\nlatent = [2, 20]",
            ),
            "grid",
        )
        .expect("valid grid");
        assert_eq!(
            names(&runs),
            ["sigmoid-z2", "sigmoid-z20", "relu-z2", "relu-z20"]
        );
        assert_eq!(runs[2].table["activation"].as_str(), Some("relu"));
        assert_eq!(runs[2].table["latent"].as_integer(), Some(2));
        assert_eq!(runs[2].table["name"].as_str(), Some("relu-z2"));
    }

    #[test]
    fn automatic_names_list_the_axes_that_vary_and_nested_keys_work() {
        let runs = expand(
            &grid("head = [\"gaussian\"]\nadam.lr = [0.001, 0.01]\ninit = [\"default\", { gaussian = { std = 0.1 } }]"),
            "grid",
        )
        .expect("valid grid");
        assert_eq!(
            names(&runs),
            [
                "adam.lr-0.001_init-default",
                "adam.lr-0.001_init-gaussian-std-0.1",
                "adam.lr-0.01_init-default",
                "adam.lr-0.01_init-gaussian-std-0.1",
            ]
        );
        let adam = runs[3].table["adam"].as_table().expect("nested table");
        assert_eq!(adam["lr"].as_float(), Some(0.01));
        assert_eq!(runs[3].table["head"].as_str(), Some("gaussian"));
    }

    #[test]
    fn bad_grids_are_refused_by_name() {
        let cases = [
            ("latent = 2", "grid.latent = 2: an axis is a list"),
            ("latent = []", "grid.latent = []"),
            (
                "name = \"z{latnet}\"\nlatent = [2]",
                "{latnet} is not an axis",
            ),
            ("name = \"z{latent\"\nlatent = [2]", "not closed"),
            ("name = 3\nlatent = [2]", "grid.name = 3"),
            ("seeds = [0, 1]", "grid.seeds: seeds cannot be a grid axis"),
            ("name = \"x\"", "no axes"),
            (
                "a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nc = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nd = [1, 2]",
                "10 × 10 × 10 × 2 combinations; a suite holds at most 1000",
            ),
        ];
        for (text, needle) in cases {
            let err = expand(&grid(text), "grid").expect_err(text);
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
