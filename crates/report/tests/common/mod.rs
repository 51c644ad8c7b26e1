//! Headless Chromium, driven through its own command line, for the
//! explorer's browser tests (see `explorer_browser.rs` for how it is found
//! and how to opt out).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use vaelab_report::explorer::{self, ExplorerRun};

/// One browser at a time: the machine has two cores and other users.
static BROWSER: Mutex<()> = Mutex::new(());

/// The browser to use, or `None` when the developer opted out.
pub fn chromium() -> Option<PathBuf> {
    if std::env::var_os("VAELAB_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("VAELAB_SKIP_BROWSER_TESTS=1: the explorer's browser tests are skipped");
        return None;
    }
    // An explicit choice is used as it is, never replaced by a fallback.
    if let Some(path) = std::env::var_os("VAELAB_CHROMIUM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "VAELAB_CHROMIUM={} is not a file",
            path.display()
        );
        return Some(path);
    }
    let on_path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("chromium"))
                .collect()
        })
        .unwrap_or_default();
    for path in std::iter::once(PathBuf::from("/usr/bin/chromium")).chain(on_path) {
        if path.is_file() {
            return Some(path);
        }
    }
    panic!(
        "no Chromium found ($VAELAB_CHROMIUM, /usr/bin/chromium, chromium on PATH): \
         install it (`apt-get install -y chromium`) or set VAELAB_SKIP_BROWSER_TESTS=1 \
         to skip the explorer's browser tests on this machine"
    );
}

/// Runs headless Chromium on `url` with `extra` arguments and a fresh
/// profile, and returns its standard output; fails after 90 s.
pub fn run_chromium(exe: &Path, extra: &[String], url: &str) -> String {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read the output while waiting: a DOM larger than the pipe's buffer
    // would otherwise block the browser for ever.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(90) {
            child.kill().unwrap();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "chromium failed on {url}: {status:?}");
    reader.join().unwrap().unwrap()
}

/// The page written to a temporary directory with a harness that shows it
/// in an iframe `width` pixels wide and collects what it posts.
pub struct Site {
    /// Where the pages are.
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new(runs: &[ExplorerRun]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let html = explorer::page(
            "Latent explorer (test)",
            "潜在空間エクスプローラー（試験）",
            runs,
        )
        .unwrap();
        std::fs::write(dir.path().join("explorer.html"), html).unwrap();
        Site { dir }
    }

    pub fn url(&self, file: &str, fragment: &str) -> String {
        format!("file://{}#{fragment}", self.dir.path().join(file).display())
    }

    /// What the page reports for `fragment` when shown `width` pixels wide.
    pub fn probe(&self, exe: &Path, fragment: &str, width: u32) -> Value {
        let harness = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
             <style>body {{ margin: 0 }} iframe {{ border: 0; width: {width}px; height: 900px }}</style>\
             </head><body><iframe src=\"explorer.html#{fragment}\"></iframe><pre id=\"result\"></pre>\
             <script>addEventListener('message', (e) => {{\
             document.getElementById('result').textContent = JSON.stringify(e.data); }});</script>\
             </body></html>"
        );
        let file = format!("harness-{width}.html");
        std::fs::write(self.dir.path().join(&file), harness).unwrap();
        let window = format!("--window-size={},1000", width + 100);
        let dom = run_chromium(exe, &["--dump-dom".into(), window], &self.url(&file, ""));
        let start = dom
            .find("<pre id=\"result\">")
            .unwrap_or_else(|| panic!("no result element in:\n{dom}"))
            + 17;
        let end = start + dom[start..].find("</pre>").unwrap();
        let text = dom[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert!(
            !text.is_empty(),
            "the page posted nothing for #{fragment} at {width} px"
        );
        serde_json::from_str(&text).unwrap()
    }
}
