//! Progress of a suite: on a terminal, one bar for the suite and one per
//! running run (indicatif); otherwise one plain line per event, so that logs
//! of CI runs stay readable.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use vaelab_vae::{Progress, RunConfig, RunOutcome};

/// Reports the progress of the runs of a suite; shared by the worker threads.
#[derive(Debug)]
pub struct SuiteProgress {
    names: Vec<String>,
    iterations: Vec<usize>,
    started: Vec<OnceLock<Instant>>,
    trained: AtomicUsize,
    bars: Option<Bars>,
    /// Serialises plain lines from several threads.
    lines: Mutex<()>,
}

#[derive(Debug)]
struct Bars {
    multi: MultiProgress,
    suite: ProgressBar,
    runs: Vec<OnceLock<ProgressBar>>,
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl SuiteProgress {
    /// Progress of `runs`, drawn as bars when `terminal`, else as lines.
    pub fn new(runs: &[RunConfig], terminal: bool) -> Self {
        let iterations: Vec<usize> = runs.iter().map(|r| r.iterations).collect();
        let bars = terminal.then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let total: usize = iterations.iter().sum();
            let suite = multi.add(ProgressBar::new(total as u64));
            suite.set_style(style(
                "{prefix:>24} [{bar:40}] {percent:>3}% {msg} {elapsed_precise} eta {eta}",
            ));
            suite.set_prefix("suite");
            suite.set_message(format!("0/{} runs trained", runs.len()));
            Bars {
                multi,
                suite,
                runs: runs.iter().map(|_| OnceLock::new()).collect(),
            }
        });
        SuiteProgress {
            names: runs.iter().map(|r| r.name.clone()).collect(),
            iterations,
            started: runs.iter().map(|_| OnceLock::new()).collect(),
            trained: AtomicUsize::new(0),
            bars,
            lines: Mutex::new(()),
        }
    }

    /// Hears one training step of run `index`.
    pub fn update(&self, index: usize, p: &Progress) {
        let started = *self.started[index].get_or_init(Instant::now);
        let done = p.iteration == p.iterations;
        if let Some(bars) = &self.bars {
            let bar = bars.runs[index].get_or_init(|| {
                let bar = bars.multi.add(ProgressBar::new(p.iterations as u64));
                bar.set_style(style("{prefix:>24} [{bar:40}] {pos}/{len} eta {eta} {msg}"));
                bar.set_prefix(self.names[index].clone());
                bar
            });
            bar.set_position((p.iteration + 1).min(p.iterations) as u64);
            if let Some(record) = p.record {
                bar.set_message(format!("test CE {:.2}", record.test.ce));
            }
            if p.iteration > 0 {
                bars.suite.inc(1);
            }
            if let Some(line) = epoch_line(&self.names[index], p) {
                bars.multi.suspend(|| eprintln!("{line}"));
            }
            if done {
                bar.finish_and_clear();
                bars.multi.remove(bar);
            }
        }
        if self.bars.is_none()
            && let Some(line) = epoch_line(&self.names[index], p)
        {
            self.line(&line);
        }
        if done {
            let n = self.trained.fetch_add(1, Ordering::Relaxed) + 1;
            let ce = p.record.map_or(f64::NAN, |r| r.test.ce);
            let line = format!(
                "[{n:>2}/{}] {} trained: {} iterations in {:.1} s, test CE {ce:.2}",
                self.names.len(),
                self.names[index],
                self.iterations[index],
                started.elapsed().as_secs_f64()
            );
            match &self.bars {
                Some(bars) => {
                    let total = self.names.len();
                    bars.suite.set_message(if n == total {
                        format!("{n}/{total} runs trained, finishing their analyses")
                    } else {
                        format!("{n}/{total} runs trained")
                    });
                    bars.multi.suspend(|| eprintln!("{line}"));
                }
                None => self.line(&line),
            }
        }
    }

    /// Ends the display once the suite is done, naming the failed runs.
    pub fn finish(&self, results: &[vaelab_vae::Result<RunOutcome>]) {
        self.clear();
        for (name, result) in self.names.iter().zip(results) {
            if let Err(error) = result {
                self.line(&format!("FAILED {name}: {error}"));
            }
        }
    }

    /// Removes the bars (on a terminal).
    pub fn clear(&self) {
        if let Some(bars) = &self.bars {
            for bar in bars.runs.iter().filter_map(OnceLock::get) {
                bar.finish_and_clear();
            }
            bars.suite.finish_and_clear();
            let _ = bars.multi.clear();
        }
    }

    /// Prints a line to stderr, whole, even from several threads.
    pub fn line(&self, text: &str) {
        let _guard = self.lines.lock();
        eprintln!("{text}");
    }
}

/// The log line of an epoch that just ended: train loss (the epoch's mean
/// objective), test loss (CE + KL per image, when evaluated) and seconds.
fn epoch_line(name: &str, p: &Progress) -> Option<String> {
    let e = p.epoch?;
    let test = p.record.map_or_else(
        || "-".to_string(),
        |r| format!("{:.2}", r.test.ce + r.test.kl),
    );
    Some(format!(
        "{name}: epoch {}/{}: train loss {:.2}, test loss {test}, {:.2} s (+{:.2} s evaluation)",
        e.epoch, e.epochs, e.train_loss, e.seconds, e.eval_seconds
    ))
}
