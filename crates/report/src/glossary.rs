//! The glossary: every metric of the report with what it measures, its
//! unit and its caveats, one entry per term with its own anchor; the
//! headings of the report's tables link to it ([`link_headers`]).
//!
//! Every metric column ([`crate::columns::COLUMNS`]) must have an entry
//! ([`terms_of`]); a test fails when a new column has none.

use vaelab_metrics::{ACTIVE_UNIT_THRESHOLD, KL_ACTIVE_THRESHOLD};

use crate::columns::COLUMNS;
use crate::discussion::{INACTIVE_DIM_KL, NEAR_CHANCE_KNN};
use crate::document::{Block, Document};
use crate::lang::Lang;
use crate::tr;

/// One entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The anchor, `g-…`.
    pub id: &'static str,
    /// The heading.
    pub name: &'static str,
    /// What it is and its caveats.
    pub text: String,
}

/// Every entry, in the glossary's order, written in `lang`.
pub fn terms(lang: Lang) -> Vec<Term> {
    let term = |id, name: [&'static str; 2], text: String| Term {
        id,
        name: lang.pick(name[0], name[1]),
        text,
    };
    let se = standard_error_method(lang);
    vec![
        term(
            "g-ce",
            ["Cross-entropy (CE)", "交差エントロピー（CE）"],
            tr!(
                lang,
                "−Σ_i [x_i ln y_i + (1 − x_i) ln(1 − y_i)] over the 784 pixels, nats per image; \
                 lower is better. Caveat: with grey pixels (0 < x_i < 1) even a perfect \
                 reconstruction (y = x) does not reach 0 — the floor is the images' own binary \
                 entropy — so CE compares runs on the same data, never across data sets or \
                 binarisations.",
                "784 画素についての −Σ_i [x_i ln y_i + (1 − x_i) ln(1 − y_i)]（画像あたりの nat）\
                 で、小さいほどよい。注意：画素が灰色（0 < x_i < 1）だと、完全な再構成（y = x）\
                 でも 0 にはならない。下限は画像自身の二値エントロピーである。したがって CE は\
                 同じデータ上の実験どうしの比較にだけ使え、データセットや二値化の方法をまたいだ\
                 比較には使えない。"
            ),
        ),
        term(
            "g-sse",
            ["Sum of squares (SSE)", "二乗和誤差（SSE）"],
            tr!(
                lang,
                "½ Σ_i (x_i − y_i)² over the 784 pixels, per image; lower is better. The \
                 training objective of the `sse` runs; SSE = 392 · MSE.",
                "784 画素についての ½ Σ_i (x_i − y_i)²（画像あたり）で、小さいほどよい。\
                 `sse` の実験の学習の目的関数である。SSE = 392 · MSE。"
            ),
        ),
        term(
            "g-mse",
            ["Mean squared error (MSE)", "平均二乗誤差（MSE）"],
            tr!(
                lang,
                "The mean over the 784 pixels of (x_i − y_i)², per pixel, in [0, 1]. It judges CE- \
                 and SSE-trained runs on equal terms, which is why the objective comparison shows \
                 it; it rewards blur over a sharp stroke in the wrong place.",
                "(x_i − y_i)² の 784 画素にわたる平均（画素あたり、[0, 1] の範囲）。CE で学習した\
                 実験と SSE で学習した実験を同じ条件で評価できるので、目的関数の比較にはこれを\
                 示す。位置のずれたくっきりした筆画より、ぼやけた画像のほうを高く評価する。"
            ),
        ),
        term(
            "g-kl",
            [
                "KL divergence (KL, D_KL)",
                "KL ダイバージェンス（KL、D_KL、潜在誤差）",
            ],
            tr!(
                lang,
                "D_KL(q(z|x) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − ln σ_j² − 1), nats per image: how \
                 far each image's posterior lies from the prior, i.e. how much the code says about \
                 the image. Not a quality measure by itself: low is not better. A KL near 0 means \
                 collapse (below); a KL that stays high while μ ignores the image is a fixed \
                 offset, also collapse.",
                "D_KL(q(z|x) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − ln σ_j² − 1)（画像あたりの nat）。\
                 各画像の事後分布が事前分布からどれだけ離れているか、つまり潜在変数が画像について\
                 どれだけの情報を持つかを表す。それ自体は良し悪しの尺度ではなく、小さいほどよい\
                 わけではない。KL がほぼ 0 なら事後分布の崩壊（下記）を意味する。μ が画像に\
                 よらないまま KL が大きいのは一定のずれにすぎず、これも崩壊である。"
            ),
        ),
        term(
            "g-kl-dim",
            ["Per-dimension KL", "次元ごとの KL"],
            tr!(
                lang,
                "The KL split by latent dimension j (the sum over j is the KL). Two forms: to \
                 the prior, ½ (μ_j² + σ_j² − ln σ_j² − 1), where a dimension below {INACTIVE_DIM_KL} \
                 nats is idle; and from the aggregate posterior (every image's posterior pooled), \
                 which measures whether dimension j depends on the image at all — a posterior \
                 that is the same for every image, even far from the prior, scores 0 there.",
                "KL を潜在変数の次元 j ごとに分けたもの（j についての和が KL になる）。二つの形が\
                 ある。一つは事前分布に対する ½ (μ_j² + σ_j² − ln σ_j² − 1) で、{INACTIVE_DIM_KL} \
                 nat 未満の次元は使われていないとみなす。もう一つは集約事後分布（全画像の事後分布を\
                 合わせたもの）からの KL で、次元 j がそもそも画像によって変わるかを測る。\
                 どの画像でも同じ事後分布は、事前分布から遠く離れていても、こちらでは 0 になる。"
            ),
        ),
        term(
            "g-collapse",
            [
                "Collapse states (collapsed, partly active, active; informative dims)",
                "崩壊の状態（崩壊、部分的に活性、活性、情報を持つ次元）",
            ],
            tr!(
                lang,
                "A latent dimension is informative when its mean KL from the aggregate \
                 posterior exceeds {KL_ACTIVE_THRESHOLD} nats. A run with no informative \
                 dimension is collapsed (its encoder ignores the input; the decoder draws \
                 one image), one with some but not all is partly active, one with all is \
                 active. This is the report's one criterion of collapse. Collapsed runs are \
                 left out of every kNN and layout comparison.",
                "集約事後分布からの KL の平均が {KL_ACTIVE_THRESHOLD} nat を超える潜在変数の次元を\
                 「情報を持つ次元」とよぶ。情報を持つ次元が一つもない実験は崩壊している（符号化器が\
                 入力を無視し、復号化器は一つの画像しか描かない）。一部の次元だけが情報を持つ実験は\
                 部分的に活性、すべての次元が情報を持つ実験は活性とする。本報告の崩壊の基準はこれだけである。\
                 崩壊した実験は、kNN と潜在空間の配置の比較からすべて除く。"
            ),
        ),
        term(
            "g-active",
            ["Active units", "活性ユニット"],
            tr!(
                lang,
                "Latent dimensions whose μ varies across images with a variance \
                 var(μ_j) > {ACTIVE_UNIT_THRESHOLD}. Caveat: a dimension's μ can vary a little and \
                 still, next to its posterior σ, pass nothing to the decoder; \"informative \
                 dims\" (above) is the criterion of collapse.",
                "μ の画像間の分散が var(μ_j) > {ACTIVE_UNIT_THRESHOLD} を満たす潜在変数の次元。\
                 注意：μ がわずかに変動しても、事後分布の σ に比べて小さければ復号化器には何も\
                 伝わらない次元もありうる。\
                 崩壊の判定基準は「情報を持つ次元」（上記）である。"
            ),
        ),
        term(
            "g-knn",
            ["kNN accuracy", "kNN 正解率"],
            tr!(
                lang,
                "The share of the classification images whose digit the k nearest training-set \
                 μ predict by majority (k = `knn_k`, 5 by default); chance is about 0.1 for ten \
                 balanced digits, and the discussion calls below {NEAR_CHANCE_KNN} near chance. \
                 Not given (\"–\") for a collapsed run: its μ still vary a little with the image, \
                 enough for kNN to find a faint trace of the digit, but far less than its \
                 posterior σ, so the code z its decoder sees carries nothing. Caveat: \
                 with `data.classify_from = \"train\"` the queries are training images, some \
                 of which are in the labelled reference set itself, so the accuracy also \
                 measures recall of memorised images and is inflated against a disjoint set.",
                "分類テストデータの画像のうち、最も近い k 個の学習データの μ による多数決で\
                 数字が正しく当たる割合（k = `knn_k`、既定値は 5）。10 種の数字が同数なら偶然の\
                 水準は約 0.1 で、考察では {NEAR_CHANCE_KNN} 未満をほぼ偶然の水準とよぶ。\
                 崩壊した実験では示さない（「–」）。その μ はなお画像にわずかに依存し、kNN は数字の\
                 かすかな痕跡を拾うが、その変動は事後分布の σ よりはるかに小さく、復号化器が受け取る \
                 z は何も伝えないからである。注意：`data.classify_from = \"train\"` のときは問い合わせる\
                 画像が学習画像で、その一部はラベル付きの参照集合そのものに含まれる。このため\
                 正解率は記憶した画像の想起も測ることになり、重ならない集合で測るより高く出る。"
            ),
        ),
        term(
            "g-loglik",
            ["Test log-likelihood (log-lik.)", "テスト対数尤度"],
            tr!(
                lang,
                "ln p(x) of the test images, nats per image, higher is better, estimated by \
                 importance sampling with K samples from the encoder: ln (1/K) Σ_k p(x|z_k) p(z_k) \
                 / q(z_k|x). It is a lower bound in expectation (it approaches ln p(x) as K grows), \
                 so a run can only be better than it reads. Its ± is {se}. Caveats: p(x|z) treats each grey pixel value as the probability of a Bernoulli \
                 pixel (the CE above), which is not a proper density of grey images — numbers \
                 compare runs on the same data only, not with published binarised-MNIST figures. \
                 It is applied to SSE-trained runs too: their decoder was fitted for squared error \
                 and is scored with a likelihood it was not trained for, so their log-likelihood \
                 measures them on the CE runs' terms, not under their own model.",
                "テスト画像の ln p(x)（画像あたりの nat）で、大きいほどよい。符号化器から引いた \
                 K 個のサンプルによる重点サンプリング ln (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x) で\
                 推定する。期待値では下界であり（K が大きくなるほど ln p(x) に近づく）、実験の\
                 真の値は表の値より悪いことはない。± は{se}。注意：p(x|z) は灰色の画素値をそれぞれ\
                 ベルヌーイ分布に従う画素の確率とみなしており（上記の CE）、灰色の画像の正しい\
                 確率密度ではない。したがって数値は同じデータ上の実験どうしの比較にだけ使え、\
                 公表されている二値化 MNIST の値とは比べられない。SSE で学習した実験にも適用する\
                 が、その復号化器は二乗誤差に合わせて学習しており、学習に使っていない尤度で評価\
                 されることになる。つまりその対数尤度は、自身のモデルのもとでではなく、CE の実験の\
                 尺度で測った値である。"
            ),
        ),
        term(
            "g-baseline",
            ["Mean-image baseline", "基準線（平均画像）"],
            tr!(
                lang,
                "A decoder that ignores z and always outputs the per-pixel mean of the training \
                 images, scored with the same CE, SSE, MSE (its log-likelihood is exact: −CE). A \
                 run worse than it on a test loss predicts unseen images worse, by that loss, \
                 than a model that ignores them; it can still be better on another loss.",
                "z を無視して常に学習画像の画素ごとの平均を出力する復号化器を、同じ CE、SSE、MSE \
                 で評価したもの（その対数尤度は厳密に −CE である）。テストデータのある損失でこれに\
                 劣る実験は、その損失で測ると、画像を無視するモデルより未知の画像の予測が悪い。\
                 別の損失では良いこともある。"
            ),
        ),
        term(
            "g-overlap",
            ["Overlap of histograms", "度数分布の重なり"],
            tr!(
                lang,
                "At one pixel position, Σ over bins of min(share of input values, share of \
                 reconstructed values), averaged over the chosen positions of the test set: 1 when \
                 the two distributions are the same, 0 when they share no bin. Caveat: it compares \
                 distributions only — a decoder that puts the right values on the wrong images \
                 scores 1.",
                "一つの画素位置で、各区間の min(入力値の割合, 再構成値の割合) を全区間について\
                 足したものを、テストデータの選んだ画素位置について平均した値。二つの分布が同じ\
                 なら 1、共通の区間がなければ 0 になる。注意：比べるのは分布だけなので、正しい値を\
                 間違った画像に出す復号化器でも 1 になる。"
            ),
        ),
        term(
            "g-draws",
            ["S draws, sd, and z = μ", "S 回の抽選、sd、z = μ"],
            tr!(
                lang,
                "The sampled losses decode z = μ + σ·ε and are averaged over S noise draws ε \
                 (`draws`); \"sd\" is their standard deviation over the draws — how much one draw \
                 would move the number, not a spread over seeds. \"At z = μ\" decodes the \
                 encoder's mean with no noise, the deterministic reconstruction; the gap between \
                 the two is what the noise costs.",
                "サンプリングした損失は z = μ + σ·ε を復号し、ノイズ ε の S 回の抽選（`draws`）で\
                 平均する。「sd」はその抽選にわたる標準偏差で、一回の抽選で数値がどれだけ動くかを\
                 表し、シード間のばらつきではない。「z = μ」は符号化器の平均をノイズなしで復号した\
                 決定的な再構成であり、両者の差がノイズによる損失の増分である。"
            ),
        ),
    ]
}

/// The anchors of the glossary entries that explain metric column `key`,
/// most specific first; empty when none does.
pub fn terms_of(key: &str) -> Vec<&'static str> {
    let tokens: Vec<&str> = key.split('_').collect();
    let has = |t: &str| tokens.contains(&t);
    let mut ids = Vec::new();
    if key.contains("mean_image") {
        ids.push("g-baseline");
    }
    if has("sd") || key.contains("at_mean") || key == "loss_draws" {
        ids.push("g-draws");
    }
    if key.contains("log_likelihood") {
        ids.push("g-loglik");
    }
    for (token, id) in [
        ("ce", "g-ce"),
        ("sse", "g-sse"),
        ("mse", "g-mse"),
        ("kl", "g-kl"),
        ("knn", "g-knn"),
    ] {
        if has(token) {
            ids.push(id);
        }
    }
    if key == "active_units" {
        ids.push("g-active");
    }
    if key == "latent_active" {
        ids.push("g-collapse");
    }
    ids
}

/// Appends the glossary as a level-3 section with one level-4 heading per
/// term.
pub fn section(doc: &mut Document, number: &str, lang: Lang) {
    doc.heading(
        3,
        tr!(
            lang,
            "{number} Metrics and terms (glossary)",
            "{number} 指標と用語（用語集）"
        ),
        "glossary",
    );
    doc.paragraph(tr!(
        lang,
        "What each number in the tables measures, in which unit, and where it misleads. The \
         tables' column headings link here.",
        "表の各数値が何をどの単位で測るか、どこで誤解を招くかを示す。表の列見出しからここへ\
         リンクしている。"
    ));
    for term in terms(lang) {
        doc.heading(4, term.name, term.id);
        doc.paragraph(term.text);
    }
}

/// Turns the headings of every table that name a metric column (in the
/// edition's language, `lang`) into a link to that column's glossary entry.
pub fn link_headers(blocks: &mut [Block], lang: Lang) {
    for block in blocks {
        if let Block::Table(table) = block {
            for heading in &mut table.header {
                // A heading is a column's title, or its shorter form in a
                // table that does not show the column's per-run error.
                let names = |c: &crate::columns::Column| {
                    [(true, 1), (false, 1), (false, 2)]
                        .map(|(seeds, draws)| crate::columns::table_title(c, seeds, draws, lang))
                };
                let Some(column) = COLUMNS
                    .iter()
                    .find(|c| names(c).iter().any(|n| n == heading.as_str()))
                else {
                    continue;
                };
                if let Some(id) = terms_of(column.key).first() {
                    *heading = format!("[{heading}](#{id})");
                }
            }
        }
    }
}

/// How the log-likelihood's Monte-Carlo standard error is computed
/// ([`vaelab_vae::likelihood::LogLikelihood::standard_error`]), in the words
/// the glossary and section 2.5 both use, so that they describe one method.
pub fn standard_error_method(lang: Lang) -> String {
    use vaelab_vae::likelihood::{ERROR_BATCHES, FINE_FACTOR, LOW_ESS};
    let fine = ERROR_BATCHES * FINE_FACTOR;
    tr!(
        lang,
        "its Monte-Carlo standard error: each image's K importance weights are cut into \
         {ERROR_BATCHES} batches (and {fine} smaller ones); the spread over the batches of the \
         estimate from one batch is scaled down to K samples at the rate it shrinks between the \
         two batch sizes (at most by √{ERROR_BATCHES}), and not scaled down when the median ESS \
         is below {LOW_ESS} — how far an independent repeat would move the estimate, not a \
         spread over seeds",
        "モンテカルロ標準誤差である。各画像の K 個の重点重みを {ERROR_BATCHES} 個のバッチ（と\
         より小さい {fine} 個のバッチ）に分け、1 つのバッチだけから求めた推定値のバッチ間の\
         ばらつきを、2 つのバッチの大きさの間で縮む割合で K サンプルに換算する（縮小は最大で \
         √{ERROR_BATCHES} 分の 1）。ESS 中央値が {LOW_ESS} 未満のときは縮小しない。推定を独立に\
         やり直したときに値がどれだけ動くかであり、シード間のばらつきではない"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Table;

    #[test]
    fn every_metric_column_has_a_glossary_entry() {
        let ids: Vec<&str> = terms(Lang::En).iter().map(|t| t.id).collect();
        for column in COLUMNS {
            let found = terms_of(column.key);
            assert!(
                !found.is_empty(),
                "column {} has no glossary entry",
                column.key
            );
            for id in found {
                assert!(
                    ids.contains(&id),
                    "{} points at a missing entry {id}",
                    column.key
                );
            }
        }
        // Unknown metrics are not explained by accident.
        assert!(terms_of("fid_score").is_empty());
    }

    #[test]
    fn the_caveats_are_in_the_entries() {
        let text = |id: &str| {
            terms(Lang::En)
                .into_iter()
                .find(|t| t.id == id)
                .unwrap()
                .text
        };
        assert!(text("g-knn").contains("inflated"));
        let loglik = text("g-loglik");
        assert!(loglik.contains("lower bound") && loglik.contains("SSE-trained"));
        assert!(loglik.contains("Bernoulli"));
        assert!(text("g-collapse").contains(&KL_ACTIVE_THRESHOLD.to_string()));
        assert!(text("g-collapse").contains("one with some but not all is partly active"));
        assert!(
            text("g-active").contains("with a variance var(μ_j) >"),
            "{}",
            text("g-active")
        );
        // Worse on one loss is not "learnt nothing": a run can be worse on
        // test CE and better on test MSE.
        let baseline = text("g-baseline");
        assert!(baseline.contains("worse, by that loss,"), "{baseline}");
        assert!(!baseline.contains("learnt nothing"), "{baseline}");
        // A collapsed run's μ keep a faint trace of the digit (kNN ~0.2):
        // its kNN is left out because the decoder cannot use it.
        let knn = text("g-knn");
        assert!(
            knn.contains("faint trace") && knn.contains("the code z"),
            "{knn}"
        );
        assert!(!knn.contains("carry nothing"), "{knn}");
    }

    #[test]
    fn both_editions_have_every_entry_with_the_same_numbers() {
        let (en, ja) = (terms(Lang::En), terms(Lang::Ja));
        assert_eq!(en.len(), ja.len());
        for (e, j) in en.iter().zip(&ja) {
            assert_eq!(e.id, j.id);
            assert_ne!(e.name, j.name, "{} has no Japanese name", e.id);
            assert_ne!(e.text, j.text, "{} has no Japanese text", e.id);
            // Every number of the English entry is in the Japanese one.
            let numbers = |t: &str| -> Vec<String> {
                let mut found: Vec<String> = t
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map(|n| n.trim_matches('.').to_string())
                    .filter(|n| !n.is_empty())
                    .collect();
                found.sort();
                found.dedup();
                found
            };
            for n in numbers(&e.text) {
                assert!(
                    j.text.contains(&n),
                    "{}: {n} is missing in {}",
                    e.id,
                    j.text
                );
            }
            assert!(
                !crate::method::tests::has_english_prose(&j.text),
                "{}: English in {}",
                e.id,
                j.text
            );
        }
        let collapse = ja.iter().find(|t| t.id == "g-collapse").unwrap();
        assert!(collapse.text.contains(&KL_ACTIVE_THRESHOLD.to_string()));
        assert!(!collapse.text.contains("活性ユニット"), "{}", collapse.text);
    }

    #[test]
    fn metric_headings_link_to_their_entry() {
        let mut blocks = vec![Block::Table(Table {
            header: vec![
                "run".into(),
                "test KL".into(),
                "informative dims".into(),
                "test log-lik.".into(),
                "test CE".into(),
            ],
            rows: vec![],
        })];
        link_headers(&mut blocks, Lang::En);
        let Block::Table(table) = &blocks[0] else {
            panic!("not a table")
        };
        // The short headings of the table over seeds link too.
        assert_eq!(
            table.header,
            [
                "run",
                "[test KL](#g-kl)",
                "[informative dims](#g-collapse)",
                "[test log-lik.](#g-loglik)",
                "[test CE](#g-ce)"
            ]
        );
    }
}
