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

    /// Reports the phase that just ended and starts the next.
    pub fn mark(&mut self, phase: &str) {
        if enabled() {
            eprintln!("timing: {:>8.3} s  {phase}", self.0.elapsed().as_secs_f64());
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
