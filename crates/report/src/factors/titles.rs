//! What the panels of a comparison figure are titled: the settings that
//! tell its groups apart, and only those.
//!
//! In the study every panel differs from the others in the study's factors
//! (activation, latent dimension, objective, head), so a panel is titled by
//! the values of those factors that the suite varies ("sigmoid, d = 2, seed
//! head"). An ablation that keeps the study's model and varies the learning
//! rate, the length or the initialisation would then title every panel
//! alike; its panels are told apart by the other settings in which their
//! groups differ ("seed head, init 0.1, lr = 0.01, 20 000 iterations"), and a
//! study factor that no run varies is left out of the titles (the caption
//! says what all panels share, see [`shared`]).

use vaelab_nn::Init;
use vaelab_vae::RunConfig;

use super::{Factor, NOT_FACTORS, STUDY, settings};
use crate::lang::Lang;
use crate::tr;

/// Settings outside the study in the order panel titles name them (the
/// rest follow in the order they are serialised): model, then optimiser,
/// then schedule.
const ORDER: [&str; 4] = ["init", "adam.lr", "iterations", "kl_warmup"];

impl Factor {
    /// The factor's value in a run as a panel title names it, short and in
    /// `lang`: "lr = 0.01", "init 1.0", "20 000 iterations"; the study's
    /// factors as [`Factor::value_in`] names them.
    pub fn brief_in(&self, config: &RunConfig, lang: Lang) -> String {
        match self.key() {
            "adam.lr" => format!("lr = {}", config.adam.lr),
            "iterations" => tr!(
                lang,
                "{} iterations",
                "反復 {} 回",
                grouped(config.iterations)
            ),
            "init" => match config.init {
                Init::Gaussian { std } => tr!(lang, "init {std:?}", "初期化 {std:?}"),
                Init::Pytorch => lang.pick("PyTorch init", "PyTorch の初期化").into(),
                other => tr!(lang, "init {other}", "初期化 {other}"),
            },
            "kl_warmup" => match config.kl_warmup {
                0 => lang.pick("no KL warm-up", "KL ウォームアップなし").into(),
                n => tr!(lang, "KL warm-up {}", "KL ウォームアップ {} 回", grouped(n)),
            },
            _ => self.value_in(config, lang),
        }
    }
}

/// The settings that title the panels of the groups of `factor` whose first
/// runs are `firsts`, among the runs `configs` of the whole suite: the
/// study's factors the suite varies (other than `factor`), then every other
/// setting that differs between the groups. When none does (one group of a
/// suite that varies no study factor), the study's other factors, which the
/// group's runs then share.
pub(super) fn titled(
    configs: &[&RunConfig],
    factor: &Factor,
    firsts: &[&RunConfig],
) -> Vec<Factor> {
    let study = study_but(factor);
    let mut named: Vec<Factor> = study
        .iter()
        .filter(|f| differs(f, configs))
        .cloned()
        .collect();
    let mut keys: Vec<String> = Vec::new();
    for (key, _) in firsts.iter().flat_map(|c| settings(c)) {
        let skip = NOT_FACTORS.contains(&key.as_str())
            || STUDY.contains(&key.as_str())
            || key == factor.key();
        if !skip && !keys.contains(&key) {
            keys.push(key);
        }
    }
    // A stable sort: the known settings first, in ORDER, the rest as found.
    keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    named.extend(
        keys.into_iter()
            .map(Factor::new)
            .filter(|f| differs(f, firsts)),
    );
    if named.is_empty() { study } else { named }
}

/// The title of a panel whose runs are like `config`, naming `titled`.
pub(super) fn title(config: &RunConfig, titled: &[Factor], lang: Lang) -> String {
    let values: Vec<String> = titled.iter().map(|f| f.brief_in(config, lang)).collect();
    values.join(lang.pick(", ", "、"))
}

/// What every panel of the comparison along `factor` shares but no title
/// names: the study's factors (other than `factor`) that no run of
/// `configs` varies, e.g. "sigmoid, d = 2, CE" in an ablation of the
/// study's Sigmoid model. `None` when the titles name them all (the study).
pub fn shared(configs: &[&RunConfig], factor: &Factor, lang: Lang) -> Option<String> {
    let first = configs.first()?;
    let titles = super::groups(configs, factor);
    let firsts: Vec<&RunConfig> = titles.iter().map(|g| configs[g.members[0].0]).collect();
    let named = titled(configs, factor, &firsts);
    let left: Vec<Factor> = study_but(factor)
        .into_iter()
        .filter(|f| !named.contains(f))
        .collect();
    (!left.is_empty()).then(|| title(first, &left, lang))
}

/// The study's factors other than `factor`, in the study's order.
fn study_but(factor: &Factor) -> Vec<Factor> {
    STUDY
        .iter()
        .map(|&k| Factor::new(k))
        .filter(|f| f != factor)
        .collect()
}

/// Whether `factor` takes more than one value among `configs`.
fn differs(factor: &Factor, configs: &[&RunConfig]) -> bool {
    let first = configs.first().map(|c| factor.value(c));
    configs.iter().any(|c| Some(factor.value(c)) != first)
}

/// A count with its thousands set apart by a space from 10 000 on
/// ("2000", "20 000"), as the documentation writes them.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::groups;

    fn run(name: &str, edit: impl Fn(&mut RunConfig)) -> RunConfig {
        let mut config = RunConfig {
            name: name.into(),
            ..RunConfig::default()
        };
        edit(&mut config);
        config
    }

    #[test]
    fn counts_are_grouped_from_five_digits() {
        assert_eq!(grouped(2000), "2000");
        assert_eq!(grouped(20_000), "20 000");
        assert_eq!(grouped(1_234_567), "1 234 567");
        assert_eq!(grouped(7), "7");
    }

    #[test]
    fn groups_differing_only_in_lr_are_titled_by_lr() {
        // Two groups along the init scale, one at each learning rate; every
        // other setting (the study's model among them) is the same.
        let runs = [
            run("a", |_| {}),
            run("b", |c| c.init = "gaussian:1.0".parse().unwrap()),
            run("c", |c| c.adam.lr = 0.01),
            run("d", |c| {
                c.adam.lr = 0.01;
                c.init = "gaussian:1.0".parse().unwrap();
            }),
        ];
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let init = Factor::new("init");
        let g = groups(&refs, &init);
        let labels: Vec<(&str, &str)> = g
            .iter()
            .map(|g| (g.label.as_str(), g.label_ja.as_str()))
            .collect();
        assert_eq!(
            labels,
            [("lr = 0.001", "lr = 0.001"), ("lr = 0.01", "lr = 0.01")]
        );
        // The legend keeps the value as the suite writes it.
        assert_eq!(g[0].members[1].1, "init = gaussian:1");
        // The study's model is shared by every panel, named by the caption.
        assert_eq!(
            shared(&refs, &init, Lang::En).as_deref(),
            Some("sigmoid, d = 2, CE, seed head")
        );
        assert_eq!(
            shared(&refs, &init, Lang::Ja).as_deref(),
            Some("sigmoid、d = 2、CE、seed ヘッド")
        );
    }

    #[test]
    fn every_differing_setting_is_named_in_order_and_nothing_else() {
        // Along lr: the study's setting, a longer run with warm-up, and the
        // gaussian head at PyTorch's init (the ablation's shape).
        let runs = [
            run("a", |_| {}),
            run("b", |c| c.adam.lr = 0.01),
            run("c", |c| {
                c.iterations = 20_000;
                c.kl_warmup = 1000;
            }),
            run("d", |c| {
                c.iterations = 20_000;
                c.kl_warmup = 1000;
                c.adam.lr = 0.01;
            }),
            run("e", |c| {
                c.head = vaelab_vae::Head::Gaussian;
                c.init = Init::Pytorch;
            }),
            run("f", |c| {
                c.head = vaelab_vae::Head::Gaussian;
                c.init = Init::Pytorch;
                c.adam.lr = 0.01;
            }),
        ];
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let lr = Factor::new("adam.lr");
        let labels = |lang| -> Vec<String> {
            groups(&refs, &lr)
                .iter()
                .map(|g| lang_label(g, lang))
                .collect()
        };
        assert_eq!(
            labels(Lang::En),
            [
                "seed head, init 0.1, 2000 iterations, no KL warm-up",
                "seed head, init 0.1, 20 000 iterations, KL warm-up 1000",
                "gaussian head, PyTorch init, 2000 iterations, no KL warm-up",
            ]
        );
        assert_eq!(
            labels(Lang::Ja)[1],
            "seed ヘッド、初期化 0.1、反復 20 000 回、KL ウォームアップ 1000 回"
        );
        // The head varies in the suite: only the other three are shared.
        assert_eq!(
            shared(&refs, &lr, Lang::En).as_deref(),
            Some("sigmoid, d = 2, CE")
        );
    }

    fn lang_label(g: &crate::factors::Group, lang: Lang) -> String {
        lang.pick(&g.label, &g.label_ja).clone()
    }

    #[test]
    fn the_study_names_its_factors_and_shares_nothing_unnamed() {
        let runs = crate::factors::tests::study();
        let refs: Vec<&RunConfig> = runs.iter().collect();
        for factor in STUDY.map(Factor::new) {
            assert_eq!(shared(&refs, &factor, Lang::En), None, "{factor:?}");
            for g in groups(&refs, &factor) {
                assert_eq!(g.label.matches(", ").count(), 2, "{}", g.label);
            }
        }
        // Even where the groups share a value (every objective pair has the
        // seed head), the study's titles keep naming it, as they always did.
        let g = groups(&refs, &Factor::objective());
        let labels: Vec<&str> = g.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "sigmoid, d = 2, seed head",
                "sigmoid, d = 20, seed head",
                "relu, d = 2, seed head",
                "relu, d = 20, seed head"
            ]
        );
    }

    #[test]
    fn one_group_of_a_suite_without_study_factors_names_the_model() {
        let runs = [run("a", |_| {}), run("b", |c| c.beta = 0.5)];
        let refs: Vec<&RunConfig> = runs.iter().collect();
        let g = groups(&refs, &Factor::new("beta"));
        assert_eq!(g[0].label, "sigmoid, d = 2, CE, seed head");
        assert_eq!(shared(&refs, &Factor::new("beta"), Lang::En), None);
    }

    #[test]
    fn brief_values_read_as_the_documentation_writes_them() {
        let c = run("x", |c| {
            c.init = Init::Gaussian { std: 0.01 };
            c.kl_warmup = 20_000;
            c.iterations = 20_000;
        });
        let brief = |key: &str, lang| Factor::new(key).brief_in(&c, lang);
        assert_eq!(brief("init", Lang::En), "init 0.01");
        assert_eq!(brief("kl_warmup", Lang::Ja), "KL ウォームアップ 20 000 回");
        assert_eq!(brief("iterations", Lang::Ja), "反復 20 000 回");
        assert_eq!(brief("head", Lang::Ja), "seed ヘッド");
        assert_eq!(brief("beta", Lang::En), "beta = 1.0");
        let he = run("y", |c| c.init = Init::HeNormal);
        assert_eq!(
            Factor::new("init").brief_in(&he, Lang::En),
            "init he-normal"
        );
    }
}
