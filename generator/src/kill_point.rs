//! A test hook: `REGTRACK_TEST_ABORT_AT=<point>` kills the process with SIGKILL at a named
//! point of a build, exactly as `kill -9` would, so the crash tests can stop a real build at
//! every phase boundary (and the random-time kills cover the moments in between).
//!
//! The points, in build order: `locked`, `ingested`, `rendered`, `staging` (half the site's
//! files staged), `staged`, `ledger-written`, `switched` (new site in place, old one not yet
//! removed), `cleaned`; and `switch-between-renames`, reached only where the file system
//! cannot swap folders in one step. Unset (the normal case) it costs one environment lookup per build.

use std::sync::OnceLock;

/// The environment variable naming the point to die at.
pub const VAR: &str = "REGTRACK_TEST_ABORT_AT";

/// Every point, in the order a build passes them.
pub const POINTS: [&str; 9] = [
    "locked",
    "ingested",
    "rendered",
    "staging",
    "staged",
    "ledger-written",
    "switched",
    "cleaned",
    "switch-between-renames",
];

/// Dies here (SIGKILL, no cleanup, no buffers flushed) when the hook names `point`.
pub fn reached(point: &str) {
    static AT: OnceLock<Option<String>> = OnceLock::new();
    let at = AT.get_or_init(|| std::env::var(VAR).ok().filter(|v| !v.is_empty()));
    if at.as_deref() == Some(point) {
        debug_assert!(POINTS.contains(&point), "unknown kill point {point}");
        // SAFETY: getpid and kill take plain integers; SIGKILL ends the process here.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}
