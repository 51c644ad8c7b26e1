//! Sections 1 and 2 of the report: the purpose of the study and its method
//! (data, models, losses, training settings, analyses), in both editions.

use vaelab_vae::{Binarize, DataConfig, Head, RunConfig, Selection, Source, Vae};

use crate::ReportInput;
use crate::document::{Block, Document, Table};
use crate::lang::Lang;
use crate::tr;

/// The data set's name as printed.
pub fn dataset_name(dataset: &str) -> &str {
    match dataset {
        "fashion-mnist" => "Fashion-MNIST",
        _ => "MNIST",
    }
}

/// Section 1 (its mapping to the original study, 1.1, is [`crate::mapping`]).
pub fn purpose(doc: &mut Document, input: &ReportInput<'_>, lang: Lang) {
    doc.heading(2, tr!(lang, "1 Purpose", "1 実験目的"), "purpose");
    doc.paragraph(tr!(
        lang,
        "A variational autoencoder (VAE) encodes an image x into a distribution N(μ, σ²) over a \
         low-dimensional latent code z, whose prior is N(0, I), and decodes z back into an \
         image. This study characterises such a model on very little data. How do the \
         activation function (Sigmoid vs ReLU) and the latent dimension (d = 2 vs 20) change \
         what it learns from 100 training images? Which reconstruction loss, cross-entropy (CE) \
         or the sum of squares (SSE), reconstructs better? How are the digits laid out in the \
         latent space, and what does the decoder produce between and around them?",
        "変分自己符号化器（VAE）は、画像 x を低次元の潜在変数 z 上の分布 N(μ, σ²) に符号化し\
         （z の事前分布は N(0, I)）、z から画像へ復号する。本実験では、ごく少ないデータで学習した \
         VAE の特性を調べる。活性化関数（Sigmoid と ReLU）と潜在変数の次元（d = 2 と 20）は、\
         100 枚の学習データから学ぶ内容をどう変えるか。再構成誤差として交差エントロピー（CE）と\
         二乗和誤差（SSE）のどちらがよく再構成するか。各数字は潜在空間にどう配置され、復号化器は\
         その間や周りで何を出力するか。"
    ));
    // The suite file's own words: in Japanese when it gives them.
    let description = match lang {
        Lang::Ja if !input.suite.description_ja.is_empty() => &input.suite.description_ja,
        _ => &input.suite.description,
    };
    if !description.is_empty() {
        doc.paragraph(tr!(
            lang,
            "Suite `{}`: {description}",
            "スイート `{}`：{description}",
            input.suite.name
        ));
    }
}

/// Section 2 up to 2.5 (the glossary, 2.6, is [`crate::glossary`]).
pub fn method(doc: &mut Document, input: &ReportInput<'_>, lang: Lang) {
    doc.heading(2, tr!(lang, "2 Method", "2 実験方法"), "method");
    doc.heading(3, tr!(lang, "2.1 Data", "2.1 データ"), "data");
    let configs: Vec<&RunConfig> = input.runs.iter().map(|r| r.config).collect();
    let verified = match input.data.verified {
        true => lang.pick(
            "verified against the published checksums",
            "ファイルは公開されているチェックサムで検証済みである",
        ),
        false => lang.pick(
            "not verified against checksums (`--no-verify`)",
            "ファイルはチェックサムで検証していない（`--no-verify`）",
        ),
    };
    // Where the files came from: a flag, an environment variable or the
    // download cache (`vaelab_mnist::Origin`); names stay as they are.
    let origin = origin_text(&input.data.origin, lang);
    // The directory itself is a local path; it stays out of the text
    // (summary.json keeps it) so that a report reads the same anywhere.
    doc.paragraph(tr!(
        lang,
        "{} IDX files, read {origin}, {verified}. Pixels are byte / 255, in [0, 1].",
        "{} の IDX ファイル（{origin}読んだもの）を用いる。{verified}。画素値はバイト値 / 255 \
         で、[0, 1] の範囲にある。",
        dataset_name(&input.suite.dataset)
    ));
    let mut data_configs: Vec<&DataConfig> = Vec::new();
    for c in &configs {
        if !data_configs.contains(&&c.data) {
            data_configs.push(&c.data);
        }
    }
    for data in data_configs {
        let users: Vec<&str> = configs
            .iter()
            .filter(|c| c.data == *data)
            .map(|c| c.name.as_str())
            .collect();
        let description = describe_data(data, lang);
        doc.paragraph(if users.len() == configs.len() {
            tr!(
                lang,
                "Every run uses {description}",
                "すべての実験で共通：{description}"
            )
        } else {
            let users = users.join(lang.pick(", ", "、"));
            tr!(
                lang,
                "Runs {users} use {description}",
                "実験 {users} で共通：{description}"
            )
        });
    }
    models(doc, input, &configs, lang);
    losses(doc, lang);
    settings(doc, &configs, lang);
    analyses(doc, &configs, lang);
}

/// Where the data was read from, by the rule that found it
/// (`vaelab_mnist::Origin`: `--data-dir`, an environment variable such as
/// `MNIST_DIR`, or the download cache), said so that a reader who never ran
/// the command knows what the name is.
pub(crate) fn origin_text(origin: &str, lang: Lang) -> String {
    match origin {
        "download cache" => tr!(
            lang,
            "from the download cache",
            "ダウンロードしたキャッシュから"
        ),
        "--data-dir" => tr!(
            lang,
            "from the directory given by `--data-dir`",
            "`--data-dir` で指定したディレクトリから"
        ),
        var => tr!(
            lang,
            "from the directory named by the environment variable `{var}`",
            "環境変数 `{var}` が指すディレクトリから"
        ),
    }
}

/// Section 2.2: one table of layers per distinct model.
fn models(doc: &mut Document, input: &ReportInput<'_>, configs: &[&RunConfig], lang: Lang) {
    doc.heading(3, tr!(lang, "2.2 Models", "2.2 モデル"), "models");
    doc.paragraph(tr!(
        lang,
        "Affine(a, b) is y = xW + b. The encoder maps an image to h; the μ and σ heads read \
         μ and σ (or ln σ²) off h; z = μ + σ ⊙ ε with ε ~ N(0, I); the decoder maps z to the \
         logits of the 784 pixels, and the image is y = sigmoid(logits) (kept as logits so that \
         CE is computed stably). The seed head bounds μ and σ to (0, 1) with a sigmoid; the \
         gaussian head is the standard VAE's: μ and ln σ² are linear in the last hidden layer. \
         The tables are generated from the models themselves.",
        "Affine(a, b) は全結合層 y = xW + b である。符号化器（エンコーダー）は画像を h に写し、\
         μ と σ の出力部（ヘッド）が h から μ と σ（または ln σ²）を求める。z = μ + σ ⊙ ε、\
         ε ~ N(0, I) である（再パラメータ化）。復号化器（デコーダー）は z を 784 画素のロジットに\
         写し、画像は y = sigmoid(ロジット) となる（CE を数値的に安定に計算するため、ロジットの\
         まま保持する）。元の実験のヘッド（seed ヘッド）は Sigmoid で μ と σ を (0, 1) に制限する。\
         gaussian ヘッドは標準的な VAE のもので、μ と ln σ² は最後の隠れ層の線形関数である。\
         以下の表はモデル自身から生成している。"
    ));
    let mut seen: Vec<(String, Head, vaelab_vae::HiddenLayers)> = Vec::new();
    for run in &input.runs {
        let c = run.config;
        let key = (c.model_name(), c.head, c.hidden_layers());
        if seen.contains(&key) {
            continue;
        }
        let shape = shape_of(c);
        seen.push(key);
        let (layers, parameters) = match &run.outcome {
            Ok(outcome) => (outcome.model.describe(), outcome.model.parameter_count()),
            Err(_) => Vae::architecture(c),
        };
        let users: Vec<String> = configs
            .iter()
            .filter(|o| {
                o.model_name() == c.model_name()
                    && o.head == c.head
                    && o.hidden_layers() == c.hidden_layers()
            })
            .map(|o| format!("`{}`", o.name))
            .collect();
        let (model, head) = (c.model_name(), c.head);
        doc.heading(
            4,
            tr!(
                lang,
                "{model}, {head} head, {shape}",
                "{model}、{head} ヘッド、{shape}"
            ),
            &format!("model-{model}-{head}-{shape}"),
        );
        let rows = layers
            .into_iter()
            .map(|(part, layers)| vec![part_name(&part, lang).to_string(), layers])
            .collect();
        doc.push(Block::Table(Table {
            header: vec![tr!(lang, "part", "部分"), tr!(lang, "layers", "層")],
            rows,
        }));
        let users = users.join(lang.pick(", ", "、"));
        doc.paragraph(tr!(
            lang,
            "{parameters} parameters; used by {users}.",
            "パラメータ数 {parameters}。使用する実験：{users}。"
        ));
    }
}

/// Section 2.3.
fn losses(doc: &mut Document, lang: Lang) {
    doc.heading(3, tr!(lang, "2.3 Losses", "2.3 損失関数"), "losses");
    doc.push(Block::List(vec![
        tr!(
            lang,
            "KL divergence to the prior: D_KL = ½ Σ_j (μ_j² + σ_j² − ln σ_j² − 1).",
            "事前分布に対する KL ダイバージェンス（潜在誤差）：\
             D_KL = ½ Σ_j (μ_j² + σ_j² − ln σ_j² − 1)。"
        ),
        tr!(
            lang,
            "Cross-entropy: CE = −Σ_i [x_i ln y_i + (1 − x_i) ln(1 − y_i)] over the 784 pixels, \
             computed from the logits.",
            "交差エントロピー：CE = −Σ_i [x_i ln y_i + (1 − x_i) ln(1 − y_i)]（784 画素の和、\
             ロジットから計算する）。"
        ),
        tr!(
            lang,
            "Sum of squares: SSE = ½ Σ_i (x_i − y_i)²; for the plots, MSE = the mean over pixels of \
             (x_i − y_i)².",
            "二乗和誤差：SSE = ½ Σ_i (x_i − y_i)²。グラフには平均二乗誤差 MSE（(x_i − y_i)² の\
             画素平均）も用いる。"
        ),
        tr!(
            lang,
            "Training minimises, per image and averaged over the batch, CE + β·D_KL (objective \
             `ce`) or SSE + β·D_KL (objective `sse`).",
            "学習では、画像ごとの CE + β·D_KL（目的関数 `ce`）または SSE + β·D_KL（目的関数 \
             `sse`）のバッチ平均を最小化する。"
        ),
        tr!(
            lang,
            "All four losses are recorded on both sets at iteration 0, every `eval_every` \
             iterations and at the last, whatever the objective; evaluation draws its noise from \
             its own random stream, so it never changes training.",
            "目的関数によらず、4 つの損失すべてを学習データとテストデータの両方について、\
             反復 0、`eval_every` 回ごと、最終反復で記録する。評価は専用の乱数列からノイズを\
             引くので、学習には影響しない。"
        ),
    ]));
}

/// Section 2.4.
fn settings(doc: &mut Document, configs: &[&RunConfig], lang: Lang) {
    doc.heading(
        3,
        tr!(lang, "2.4 Training settings", "2.4 学習条件"),
        "settings",
    );
    let rows = configs.iter().map(|c| settings_row(c)).collect();
    let header = lang.pick(
        [
            "run",
            "activation",
            "d",
            "head",
            "objective",
            "β",
            "iterations",
            "batch",
            "eval every",
            "Adam lr, β1, β2, ε",
            "init",
            "seed",
        ],
        [
            "実験",
            "活性化関数",
            "d",
            "ヘッド",
            "目的関数",
            "β",
            "学習回数",
            "バッチ",
            "評価間隔",
            "Adam lr, β1, β2, ε",
            "初期化",
            "シード",
        ],
    );
    doc.push(Block::Table(Table {
        header: header.map(String::from).to_vec(),
        rows,
    }));
    doc.paragraph(tr!(
        lang,
        "Adam uses PyTorch's update with bias correction; biases start at 0. One seed drives \
         every random choice of a run (initial weights, noise, data selection, analysis), each \
         from its own stream.",
        "Adam は PyTorch と同じ更新式（バイアス補正あり）を用い、バイアスの初期値は 0 である。\
         一つのシードが実験のすべての乱数（初期重み、ノイズ、データの選択、解析）を決め、\
         それぞれ専用の乱数列を使う。"
    ));
}

/// One sentence on the training, test, validation and classification sets.
pub(crate) fn describe_data(d: &DataConfig, lang: Lang) -> String {
    let how = |n: usize, train_file: bool| {
        let file = match train_file {
            true => lang.pick("training", "学習用"),
            false => lang.pick("test", "テスト用"),
        };
        match d.selection {
            Selection::First => tr!(
                lang,
                "the first {n} images of the {file} file",
                "{file}ファイルの先頭 {n} 枚"
            ),
            Selection::Random => tr!(
                lang,
                "a seeded random sample of {n} images of the {file} file",
                "{file}ファイルからシードで無作為に選んだ {n} 枚"
            ),
            Selection::Balanced => tr!(
                lang,
                "a seeded sample of {n} images of the {file} file, equally many per class",
                "{file}ファイルからシードで選んだ {n} 枚（各クラス同数）"
            ),
        }
    };
    let classify = match (d.classify_from, d.selection) {
        (Source::Train, _) => tr!(
            lang,
            "{} (data.classify_from = \"train\"), which can share images with the training set: the kNN \
             accuracy then also measures how well training images are recalled, and is \
             inflated against a disjoint set",
            "{}（`data.classify_from = \"train\"`。学習データと画像が重なりうるので、kNN 正解率は\
             学習画像をどれだけ想起できるかも測ることになり、重ならない集合で測るより高く出る）",
            how(d.classify, true)
        ),
        (_, Selection::First) => tr!(
            lang,
            "images {} to {} of the test file ({} images, counted from 0, disjoint from the \
             test set)",
            "テスト用ファイルの {} 番から {} 番の画像（0 から数えて {} 枚、テストデータとは\
             重ならない）",
            d.test,
            (d.test + d.classify).saturating_sub(1),
            d.classify
        ),
        _ => tr!(
            lang,
            "{}, disjoint from the test set",
            "{}（テストデータとは重ならない）",
            how(d.classify, false)
        ),
    };
    let binarize = match d.binarize {
        Binarize::None => lang.pick(
            "grey levels are kept (no binarisation)",
            "濃淡はそのまま保つ（二値化しない）",
        ),
        Binarize::Static => lang.pick(
            "pixels are thresholded at 0.5 once",
            "画素は一度だけ 0.5 を閾値に二値化する",
        ),
        Binarize::Dynamic => lang.pick(
            "training pixels are redrawn as Bernoulli samples every iteration",
            "学習データの画素を反復ごとにベルヌーイ分布から引き直す",
        ),
    };
    let default_validation = vaelab_vae::config::DEFAULT_VALIDATION;
    let validation = match (d.validation, d.selection) {
        (Some(0), _) => tr!(
            lang,
            "none (data.validation = 0)",
            "なし（data.validation = 0）"
        ),
        (None, _) if d.classify_from == Source::Train => tr!(
            lang,
            "up to {default_validation} images of the training file outside the training and \
             classification sets (none when they take the whole file)",
            "学習用ファイルのうち学習データにも分類テストデータにも含まれない画像から最大 \
             {default_validation} 枚（両者がファイル全体を占めるときはなし）"
        ),
        (n, Selection::First) if d.classify_from == Source::Test => {
            let n = n.unwrap_or(default_validation);
            tr!(
                lang,
                "images {} to {} of the training file ({n} images, counted from 0, disjoint \
                 from the training set)",
                "学習用ファイルの {} 番から {} 番の画像（0 から数えて {n} 枚、学習データとは\
                 重ならない）",
                d.train,
                (d.train + n).saturating_sub(1)
            )
        }
        (n, _) => {
            let chosen = how(n.unwrap_or(default_validation), true);
            match lang {
                Lang::En => format!(
                    "{}, disjoint from the training and classification sets",
                    chosen.replacen("the first ", "the first free ", 1)
                ),
                Lang::Ja => format!(
                    "{}（学習データとも分類テストデータとも重ならない）",
                    chosen.replacen("の先頭 ", "の未使用の画像の先頭 ", 1)
                ),
            }
        }
    };
    tr!(
        lang,
        "as training set {}; as test set {}; as validation set (evaluated with them at every \
         record; the best iteration is chosen on it) {validation}; as classification set \
         (latent scatter, kNN accuracy, active units) {classify}; {binarize}.",
        "学習データは{}、テストデータは{}、検証データ（記録のたびに両者とともに評価し、\
         最良の反復はこれで選ぶ）は{validation}、分類テストデータ（潜在変数の散布図、\
         kNN 正解率、活性ユニット）は{classify}とする。{binarize}。",
        how(d.train, true),
        how(d.test, false)
    )
}

/// The widths of the run's encoder and decoder, e.g. "784-400-20 / 20-400-784".
pub(crate) fn shape_of(c: &RunConfig) -> String {
    let h = c.hidden_layers();
    let chain = |from: usize, mid: &[usize], to: usize| {
        std::iter::once(from)
            .chain(mid.iter().copied())
            .chain(std::iter::once(to))
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("-")
    };
    format!(
        "{} / {}",
        chain(784, &h.encoder, c.latent),
        chain(c.latent, &h.decoder, 784)
    )
}

fn part_name(part: &str, lang: Lang) -> &str {
    match (part, lang) {
        ("mu", Lang::En) => "μ head",
        ("sigma", Lang::En) => "σ head",
        ("logvar", Lang::En) => "ln σ² head",
        ("mu", Lang::Ja) => "μ ヘッド",
        ("sigma", Lang::Ja) => "σ ヘッド",
        ("logvar", Lang::Ja) => "ln σ² ヘッド",
        ("encoder", Lang::Ja) => "符号化器",
        ("decoder", Lang::Ja) => "復号化器",
        (other, _) => other,
    }
}

fn settings_row(c: &RunConfig) -> Vec<String> {
    vec![
        format!("`{}`", c.name),
        c.activation.to_string(),
        c.latent.to_string(),
        c.head.to_string(),
        c.objective.to_string(),
        c.beta.to_string(),
        c.iterations.to_string(),
        c.batch_size.to_string(),
        c.eval_every.to_string(),
        format!(
            "{}, {}, {}, {:e}",
            c.adam.lr, c.adam.beta1, c.adam.beta2, c.adam.eps
        ),
        c.init.to_string(),
        c.seed.to_string(),
    ]
}

/// Section 2.5: how each figure and number is made.
fn analyses(doc: &mut Document, configs: &[&RunConfig], lang: Lang) {
    doc.heading(3, tr!(lang, "2.5 Analyses", "2.5 解析方法"), "analyses");
    let Some(first) = configs.first() else {
        return;
    };
    let a = &first.analysis;
    let (n, e) = (a.grid_size, a.grid_extent);
    let threshold = vaelab_metrics::KL_ACTIVE_THRESHOLD;
    // The one description of the standard error, shared with the glossary.
    let se = crate::glossary::standard_error_method(lang);
    doc.push(Block::List(vec![
        tr!(
            lang,
            "Reconstructions: the first {} training and test images, above their decoded μ \
             (no sampling noise, so a figure shows what the model learnt rather than one draw).",
            "再構成画像：学習データとテストデータの先頭 {} 枚と、その下に μ を復号した画像を並べる\
             （サンプリングのノイズを含まないので、一回の抽選ではなくモデルが学んだものを示す）。",
            a.reconstructions
        ),
        tr!(
            lang,
            "Pixel histograms: at the {} pixel positions of highest variance over the training \
             images, at least 4 pixels apart (so they sample different strokes), the values of \
             the inputs against those of their reconstructions, in {} bins over [0, 1], for \
             the training and the test set.",
            "画素の度数分布図：学習画像での分散が最も大きい {} 箇所の画素位置（異なる筆画を\
             拾うよう互いに 4 画素以上離す）で、入力の値と再構成の値の分布を、[0, 1] を {} \
             区間に分けて、学習データとテストデータのそれぞれについて比べる。",
            a.histogram_pixels,
            a.histogram_bins
        ),
        tr!(
            lang,
            "Latent scatter: μ of the classification set, coloured by digit. For d = 2 the axes \
             are z1 and z2; for larger d, the projection onto the first two principal components \
             of μ (PCA), with the share of variance each explains on its axis.",
            "潜在変数の散布図：分類テストデータの μ を数字ごとに色分けして描く。d = 2 では軸は \
             z1 と z2 である。それより大きい d では μ の第 1・第 2 主成分（PCA）への射影を描き、\
             各軸にその成分が説明する分散の割合を記す。"
        ),
        tr!(
            lang,
            "Latent grid: {n} × {n} codes from (−{e}, −{e}) to ({e}, {e}), each decoded image \
             placed at its code. For d > 2 the grid spans the plane of the first two principal \
             directions of the classification set's μ, through its mean (the other coordinates \
             at their mean).",
            "潜在空間の格子：(−{e}, −{e}) から ({e}, {e}) までの {n} × {n} 点を復号し、各画像を\
             その点の位置に並べる。d > 2 では、分類テストデータの μ の平均を通り、第 1・第 2 \
             主成分の方向が張る平面上に格子をとる（他の座標は平均値とする）。"
        ),
        tr!(
            lang,
            "Interpolation: {} pairs of training images of different digits (the first image \
             of each digit), z = t·z1 + (1 − t)·z2 with t from 1 to 0 in {} steps, decoded in \
             a row.",
            "補間：異なる数字の学習画像の組 {} 組（各数字の最初の画像）について、\
             z = t·z1 + (1 − t)·z2 の t を 1 から 0 まで {} 段階で変え、復号して一列に並べる。",
            a.interpolation_pairs,
            a.interpolation_steps
        ),
        tr!(
            lang,
            "kNN accuracy: the share of the classification set whose digit is predicted right \
             by the {} nearest training-set μ; not reported for a collapsed run. Collapse: a \
             latent dimension is informative when the mean KL of each image's posterior from \
             the aggregate posterior (all images' posteriors pooled) exceeds {threshold} nats; a run \
             with no informative dimension is collapsed, one with some but not all is partly \
             active. Test log-likelihood: importance-sampled with K = {} samples per image, nats \
             per image: a stochastic lower bound on ln p(x) (below it in expectation, by less as \
             K grows), ± {se}. Final losses: averaged over S noise \
             draws (with their sd) and at z = μ (no noise). Baseline: the mean image, the \
             per-pixel mean of the training images, scored as a decoder on both sets.",
            "kNN 正解率：分類テストデータのうち、最も近い {} 個の学習データの μ による多数決で\
             数字が正しく当たる割合。崩壊した実験では示さない。事後分布の崩壊：各画像の事後分布の、\
             集約事後分布（全画像の事後分布を合わせたもの）からの KL の平均が {threshold} nat を\
             超える潜在変数の次元を「情報を持つ次元」とし、情報を持つ次元が一つもない実験を崩壊、\
             一部だけの実験を部分的に活性とする。テスト対数尤度：画像あたり K = {} サンプルの\
             重点サンプリングによる推定値（nat / 画像）。ln p(x) の確率的な下界であり（期待値では \
             ln p(x) を下回り、その差は K が大きいほど小さい）、± は{se}。最終損失：S 回のノイズ抽選の平均（その標準偏差つき）と、\
             z = μ（ノイズなし）での値。基準線：学習画像の画素ごとの平均（平均画像）を\
             復号化器の出力とみなし、両データで評価したもの。",
            a.knn_k,
            a.loglik_samples
        ),
    ]));
    if !configs.iter().all(|c| c.analysis == *a) {
        doc.paragraph(tr!(
            lang,
            "Analysis settings (settings of the first run; see summary.json for the others).",
            "解析の設定は最初の実験のものである（他の実験の設定は summary.json を参照）。"
        ));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use vaelab_vae::{DataConfig, RunConfig, Selection, Source};

    use super::{Lang, describe_data, shape_of};

    #[test]
    fn the_architecture_follows_the_hidden_layers() {
        let mut c = RunConfig {
            latent: 20,
            ..RunConfig::default()
        };
        assert_eq!(shape_of(&c), "784-100-100-20 / 20-100-100-100-784");
        c.hidden = Some(vec![400]);
        assert_eq!(shape_of(&c), "784-400-20 / 20-400-784");
    }

    #[test]
    fn a_classification_set_from_the_training_file_is_flagged() {
        let test = describe_data(&DataConfig::default(), Lang::En);
        assert!(test.contains("disjoint from the test set"), "{test}");
        assert!(!test.contains("inflated"), "{test}");
        assert!(
            test.contains(
                "images 100 to 199 of the training file (100 images, counted from 0, disjoint \
                 from the training set)"
            ),
            "{test}"
        );
        let train = describe_data(
            &DataConfig {
                classify_from: Source::Train,
                ..DataConfig::default()
            },
            Lang::En,
        );
        assert!(
            train.contains("classify_from = \"train\"") && train.contains("inflated"),
            "{train}"
        );
    }

    /// Whether `text` holds English prose: four or more lower-case ASCII
    /// words in a row outside `code` and (parentheses), the rule the
    /// Japanese edition is checked by. Japanese text holds notation and
    /// names only.
    pub(crate) fn has_english_prose(text: &str) -> bool {
        let mut text = text.to_string();
        for (open, close) in [('`', '`'), ('(', ')')] {
            while let Some(start) = text.find(open) {
                let Some(len) = text[start + 1..].find(close) else {
                    break;
                };
                text.replace_range(start..start + len + 2, " ");
            }
        }
        let mut run = 0;
        for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if word.is_empty() {
                continue;
            }
            if word.len() >= 2 && word.chars().all(|c| c.is_ascii_lowercase()) {
                run += 1;
                if run >= 4 {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        false
    }

    #[test]
    fn the_data_sets_are_described_in_japanese_with_the_same_numbers() {
        let default = describe_data(&DataConfig::default(), Lang::Ja);
        assert!(
            default.contains("学習用ファイルの 100 番から 199 番の画像（0 から数えて 100 枚、"),
            "{default}"
        );
        assert!(default.contains("テストデータとは重ならない"), "{default}");
        let from_train = DataConfig {
            classify_from: Source::Train,
            ..DataConfig::default()
        };
        let ja = describe_data(&from_train, Lang::Ja);
        assert!(ja.contains("高く出る") && ja.contains("最大 "), "{ja}");
        // A random selection with an explicit validation size: the "first
        // free" wording has its own Japanese form.
        let random = DataConfig {
            selection: Selection::Random,
            validation: Some(7),
            classify_from: Source::Train,
            ..DataConfig::default()
        };
        let ja = describe_data(&random, Lang::Ja);
        assert!(ja.contains("無作為に選んだ 7 枚"), "{ja}");
        let first = DataConfig {
            validation: Some(7),
            classify_from: Source::Train,
            ..DataConfig::default()
        };
        let ja = describe_data(&first, Lang::Ja);
        assert!(ja.contains("未使用の画像の先頭 7 枚"), "{ja}");
        let en = describe_data(&first, Lang::En);
        assert!(en.contains("the first free 7 images"), "{en}");
        for config in [DataConfig::default(), from_train, random, first] {
            let ja = describe_data(&config, Lang::Ja);
            assert!(!has_english_prose(&ja), "{ja}");
            assert!(has_english_prose(&describe_data(&config, Lang::En)));
        }
    }

    #[test]
    fn the_data_origin_is_explained_and_ranges_name_both_ends() {
        let en = super::origin_text("MNIST_DIR", Lang::En);
        assert_eq!(
            en,
            "from the directory named by the environment variable `MNIST_DIR`"
        );
        let ja = super::origin_text("MNIST_DIR", Lang::Ja);
        assert!(ja.contains("環境変数 `MNIST_DIR`"), "{ja}");
        assert!(super::origin_text("--data-dir", Lang::En).contains("given by `--data-dir`"));
        let test = describe_data(&DataConfig::default(), Lang::En);
        assert!(
            test.contains("images 100 to 1099 of the test file (1000 images"),
            "{test}"
        );
        assert!(!test.contains(".."), "{test}");
    }

    #[test]
    fn the_standard_error_is_described_as_the_glossary_describes_it() {
        for lang in [Lang::En, Lang::Ja] {
            let se = crate::glossary::standard_error_method(lang);
            let mut doc = crate::document::Document::default();
            let config = RunConfig::default();
            super::analyses(&mut doc, &[&config], lang);
            let items: Vec<&String> = doc
                .blocks
                .iter()
                .flat_map(|b| match b {
                    crate::document::Block::List(items) => items.iter().collect(),
                    _ => Vec::new(),
                })
                .collect();
            assert!(items.iter().any(|i| i.contains(&se)), "{items:?}");
            let glossary = crate::glossary::terms(lang);
            let loglik = glossary.iter().find(|t| t.id == "g-loglik").unwrap();
            assert!(loglik.text.contains(&se), "{}", loglik.text);
            // One method only: the delta method is not the error shown.
            assert!(!loglik.text.contains("delta") && !loglik.text.contains("デルタ"));
        }
        let mut doc = crate::document::Document::default();
        super::analyses(&mut doc, &[&RunConfig::default()], Lang::En);
        let text = format!("{:?}", doc.blocks);
        assert!(
            text.contains("one with some but not all is partly active"),
            "{text}"
        );
    }
}
