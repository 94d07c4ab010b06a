//! Phase timings on stderr, when `REGTRACK_TIMINGS` is set: where a build's time goes, for
//! anyone tuning a deployment, without a profiler. Off, a mark costs one branch.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("REGTRACK_TIMINGS").is_some_and(|v| v != "0"))
}

/// Times consecutive phases: each [`Timer::mark`] reports the time since the previous one.
pub struct Timer(Instant);

impl Timer {
    pub fn start() -> Self {
        Timer(Instant::now())
    }

    /// Reports the phase that just ended (with resident memory at its end) and starts the
    /// next.
    pub fn mark(&mut self, phase: &str) {
        if enabled() {
            eprintln!(
                "timing: {:>8.3} s  {phase:<44} {}",
                self.0.elapsed().as_secs_f64(),
                resident()
            );
        }
        self.0 = Instant::now();
    }

    /// Reports a part of the phase that just ended, measured by the caller.
    pub fn note(&self, part: &str, took: Duration) {
        if enabled() {
            eprintln!("timing: {:>8.3} s    {part}", took.as_secs_f64());
        }
    }
}

/// Resident memory now and at its peak, in MiB (Linux; empty elsewhere).
fn resident() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (mib("RssAnon:"), mib("RssFile:"), mib("VmHWM:")) {
        (Some(a), Some(f), Some(p)) => format!("[resident {a} MiB + {f} MiB mapped, peak {p}]"),
        _ => String::new(),
    }
}
