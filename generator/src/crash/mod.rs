//! Crash signatures: find the kernel's own crash report in a console log and turn it into a
//! short, stable title, so that the same bug seen on many boards, configs and trees groups
//! into one regression.
//!
//! The approach follows syzkaller's `pkg/report` (the de-facto standard for kernel crash
//! titles, used by syzbot): find the first oops line, collect the report that belongs to it
//! (same printk caller / console context, questionable `? func` frames dropped, trailing
//! `panic_on_warn` noise cut), then name the bug after the first *interesting* stack frame,
//! skipping generic frames (sanitizer runtime, locking primitives, `memcpy`, `panic`, ...).
//! A title therefore looks like `KASAN: slab-use-after-free Read in tls_sw_recvmsg` rather
//! than a raw line full of addresses. When no frame can be found the title ends in
//! `in corrupted`, exactly like syzkaller, so truncated reports do not masquerade as a
//! different bug.
//!
//! Differences from syzkaller, all aimed at CI logs rather than fuzzing VMs:
//! - stricter detection: generic `WARNING:`/`BUG:` lines only count when they come from the
//!   kernel (timestamped console line), and `INFO:` only for known report kinds, so that
//!   test-harness output (`WARNING: Optional imports not found`, LTP `TINFO:`) is not a crash;
//! - user-space faults printed by the kernel (`traps: ... general protection fault ...
//!   error:0 in libc.so`, ARM alignment traps) are not crashes;
//! - `unexpected kernel reboot` needs evidence that a system was already running before
//!   `Booting the kernel`, otherwise every x86 boot log would be a crash;
//! - a few fallbacks replace `corrupted` with a real function when syzkaller's anchors are
//!   missing but the log still names one (header function of a WARNING, arm32 `X from Y`
//!   unwinder lines, self-detected RCU stalls, UBSAN source location);
//! - [`extract_all`] folds follow-on messages (`Kernel panic - not syncing: Fatal exception`
//!   after an oops, `Internal error: Oops` right after `kernel BUG at`) into the crash that
//!   caused them.
//!
//! How the pieces fit, in the order a log goes through them:
//! - `console` strips each line's transport and console prefixes (LAVA records, host and
//!   kernel timestamps, `dmesg -x` levels) and tells who printed it;
//! - `headers` recognises the first line of a report and which format of report it opens;
//! - `scan` walks the log, folds follow-on messages into their report and collects the
//!   lines that belong to each report;
//! - `titles` names a report, mostly after the guilty frame that `frames` finds in its
//!   stack traces (Rust frames demangled by `demangle`);
//! - `normalise` strips addresses and numbers from the title.

/// Declares `static NAME: LazyLock<Regex>` items, compiled on first use.
macro_rules! lazy_re {
    ($($vis:vis $name:ident = $re:expr;)*) => {
        $($vis static $name: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new($re).expect("static regex must compile")
        });)*
    };
}

mod console;
mod demangle;
mod frames;
mod headers;
mod normalise;
mod scan;
mod titles;

pub use normalise::normalise;

/// One crash report found in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    /// Normalised title, e.g. "KASAN: slab-use-after-free Read in tls_sw_recvmsg".
    pub title: String,
    /// Coarse category: "BUG", "WARNING", "KASAN", "KCSAN", "KMSAN", "KFENCE", "UBSAN", "GPF",
    /// "OOPS" (NULL deref/paging/Unable to handle/Internal error/invalid opcode/divide error),
    /// "KERNEL_BUG" (kernel BUG at), "HUNG_TASK", "RCU_STALL", "LOCKUP" (soft/hard/workqueue
    /// lockup), "LOCKDEP", "PANIC", "LEAK", "REBOOT" (unexpected reboot), "OTHER".
    pub kind: &'static str,
    /// 0-based line index in the input where the report starts.
    pub line: usize,
}

/// First crash in the log (the one that matters), or None for a clean log.
pub fn extract(log: &str) -> Option<Crash> {
    scan::reports(log).next().map(crash)
}

/// All crashes in the log, in order (deduplicated by title).
///
/// Follow-on messages of a crash (the `Fatal exception` panic after an oops, the
/// `Internal error`/`invalid opcode` line printed right after `kernel BUG at`) are part of
/// that crash, not crashes of their own.
pub fn extract_all(log: &str) -> Vec<Crash> {
    let mut out: Vec<Crash> = Vec::new();
    for c in scan::reports(log).map(crash) {
        // `X in corrupted` after `X in func` is a truncated repeat (or a `dmesg` echo) of it.
        let repeat = c.title.strip_suffix("corrupted").is_some_and(|stem| {
            stem.ends_with(" in ") && out.iter().any(|o| o.title.starts_with(stem))
        });
        if !repeat && out.iter().all(|o| o.title != c.title) {
            out.push(c);
        }
    }
    out
}

/// The first crash report of a log with its lines (console prefixes removed, its header line
/// first): routing reads the source files and functions a report names from them.
pub fn first_report(log: &str) -> Option<(Crash, Vec<&str>)> {
    let report = scan::reports(log).next()?;
    let lines = report.region.clone();
    Some((crash(report), lines))
}

/// The functions on the stack-trace lines of a report's `lines` (the faulting PC and
/// `func+0x../0x..` frames; `? func` guesses skipped), demangled, syscall prefixes stripped,
/// generic frames dropped, in order, each with the index of its line.
pub fn report_frames(lines: &[&str]) -> Vec<(String, usize)> {
    frames::named_frames(lines)
}

/// Names a report found by the scan.
fn crash(report: scan::Report) -> Crash {
    let (title, kind) = titles::describe(report.header, &report.region);
    Crash {
        title: normalise(&title),
        kind,
        line: report.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use demangle::demangle;

    #[test]
    fn garbage_never_panics() {
        // Tiny deterministic generator: no extra dependencies.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"_RNCMXYIBEsuvTAKLp0123456789abcxyzQDF[]<>()+/. :#\n?";
        for _ in 0..2000 {
            let len = (next() % 60) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                .collect();
            let _ = demangle(&format!("_R{s}"));
            let _ = extract_all(&format!(
                "[ 1.0] BUG: KASAN: x in {s}\n{s}\n[ 1.1] WARNING: {s}"
            ));
            assert_eq!(normalise(&normalise(&s)), normalise(&s));
        }
    }
}
