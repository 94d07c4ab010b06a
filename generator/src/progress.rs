//! Progress on a terminal for long builds: the phase, and files read out of files found.
//!
//! One process-wide bar (indicatif), off unless the command line turns it on, which it does
//! only when stderr is a terminal: cron and CI logs get no control characters. Stages report
//! through free functions, so none of them carries a handle around and a build without a
//! terminal pays one atomic load per call.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static ON: AtomicBool = AtomicBool::new(false);
static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Turns progress on when stderr is a terminal (and `wanted`). Returns whether it is on.
pub fn enable(wanted: bool) -> bool {
    use std::io::IsTerminal;
    let on = wanted && std::io::stderr().is_terminal();
    ON.store(on, Ordering::Relaxed);
    on
}

fn with_bar(f: impl FnOnce(&mut Option<ProgressBar>)) {
    if ON.load(Ordering::Relaxed) {
        f(&mut BAR.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

/// A new phase without a count (correlating, rendering, publishing...).
pub fn phase(name: &str) {
    with_bar(|bar| {
        if let Some(b) = bar.take() {
            b.finish_and_clear();
        }
        let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        b.set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("template"));
        b.set_message(name.to_string());
        b.enable_steady_tick(Duration::from_millis(120));
        *bar = Some(b);
    });
}

/// Reading `total` files: a bar the ingest advances with [`file_done`].
pub fn files(total: usize) {
    with_bar(|bar| {
        if let Some(b) = bar.take() {
            b.finish_and_clear();
        }
        let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("reading results [{bar:30}] {pos}/{len} files {elapsed}")
                .expect("template")
                .progress_chars("=> "),
        );
        *bar = Some(b);
    });
}

/// One more file read.
pub fn file_done() {
    with_bar(|bar| {
        if let Some(b) = bar {
            b.inc(1);
        }
    });
}

/// Clears the bar (before the final report lines).
pub fn finish() {
    with_bar(|bar| {
        if let Some(b) = bar.take() {
            b.finish_and_clear();
        }
    });
}
