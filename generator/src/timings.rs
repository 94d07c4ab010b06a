//! Phase timings on stderr, when `REGTRACK_TIMINGS` is set: where a build's time goes, for
//! anyone tuning a deployment, without a profiler. Off, a mark costs one branch.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("REGTRACK_TIMINGS").is_some_and(|v| v != "0"))
}

/// Times consecutive phases: each [`Timer::mark`] reports the time since the previous one.
pub struct Timer {
    wall: Instant,
    cpu: f64,
}

impl Timer {
    pub fn start() -> Self {
        Timer {
            wall: Instant::now(),
            cpu: if enabled() { cpu_secs() } else { 0.0 },
        }
    }

    /// Reports the phase that just ended (its CPU time over every thread, which beside the
    /// wall time shows how well it keeps the cores busy, and resident memory at its end) and
    /// starts the next.
    pub fn mark(&mut self, phase: &str) {
        if enabled() {
            let cpu = cpu_secs();
            eprintln!(
                "timing: {:>8.3} s  {phase:<44} cpu {:>7.3} s {}",
                self.wall.elapsed().as_secs_f64(),
                cpu - self.cpu,
                resident()
            );
            self.cpu = cpu;
        }
        self.wall = Instant::now();
    }

    /// Reports a part of the phase that just ended, measured by the caller.
    pub fn note(&self, part: &str, took: Duration) {
        if enabled() {
            eprintln!("timing: {:>8.3} s    {part}", took.as_secs_f64());
        }
    }
}

/// CPU time of the whole process so far (user + system, every thread), in seconds.
pub fn cpu_secs() -> f64 {
    // SAFETY: `rusage` is plain integers, for which all-zero bytes are a valid value.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct it is given.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
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
