//! Scanning a log: find each report's first line, fold the messages the kernel prints
//! because of an earlier report into that report, and collect the lines that belong to each
//! report (its *region*), which is all that naming it looks at.

use super::console::{ConsoleLine, LineSource, is_questionable};
use super::headers::{ANY_HEADER, Header, ReportFormat, detect};

lazy_re! {
    SYZ_PROGRAM_RE = r"^(?:r\d+ = )?[a-z_][a-z0-9_]*(?:\$[A-Za-z0-9_]+)?\(.*\)\s*$";
    PANIC_CONSEQUENCE_RE = r"Kernel panic - not syncing: (?:.*Fatal exception|panic_on_warn set|panic_on_oops|hung_task: blocked tasks|softlockup: hung tasks|[Hh]ard LOCKUP|RCU Stall)";
}

/// Frames of a report are looked for at most this many lines after its first line.
const REGION_CAP: usize = 3000;

/// A report found in a log, not yet named.
pub(super) struct Report<'a> {
    pub(super) header: Header,
    /// The report's lines (console prefixes removed), its header line first.
    pub(super) region: Vec<&'a str>,
    /// 0-based index of the header line in the log.
    pub(super) line: usize,
}

/// The reports of a log, in order, found as they are asked for: the first crash of a log
/// (what correlation needs) does not scan past its own report.
pub(super) fn reports(log: &str) -> Reports<'_> {
    // Every line's text is a slice of the log, so a log without any header has no report.
    let lines = if ANY_HEADER.is_match(log) {
        log.split('\n').map(ConsoleLine::parse).collect()
    } else {
        Vec::new()
    };
    Reports {
        lines,
        next: 0,
        prev: None,
        running: false,
    }
}

/// The iterator of [`reports`].
pub(super) struct Reports<'a> {
    lines: Vec<ConsoleLine<'a>>,
    /// Index of the next line to look at.
    next: usize,
    /// Line and format of the last report, whose follow-on messages are part of it.
    prev: Option<(usize, ReportFormat)>,
    /// Evidence that a system was already running (kernel output, syzkaller programs): only
    /// then is `Booting the kernel` an unexpected reboot rather than the normal boot.
    running: bool,
}

impl<'a> Iterator for Reports<'a> {
    type Item = Report<'a>;

    fn next(&mut self) -> Option<Report<'a>> {
        let lines = &self.lines;
        while self.next < lines.len() {
            let i = self.next;
            self.next += 1;
            let line = &lines[i];
            let Some(header) = detect(line) else {
                self.running = self.running
                    || line.source.is_kernel()
                    || line.text.contains("executing program")
                    || SYZ_PROGRAM_RE.is_match(line.text);
                continue;
            };
            if header.format == ReportFormat::Reboot && !self.running {
                continue;
            }
            self.running = true;
            if is_follow_on(header, line.text, i, self.prev) {
                continue;
            }
            // Interleaved consoles can print the tail of an oops (`invalid opcode`, `Internal
            // error`) just before its first line; the report proper starts at the latter.
            if is_secondary(header, line.text)
                && lines[i + 1..lines.len().min(i + 6)]
                    .iter()
                    .any(|n| detect(n).is_some_and(|h| !is_secondary(h, n.text)))
            {
                continue;
            }
            self.prev = Some((i, header.format));
            return Some(Report {
                header,
                region: build_region(lines, i, header),
                line: i,
            });
        }
        None
    }
}

/// Lines that the kernel prints as part of (usually after) another report's first line.
fn is_secondary(header: Header, text: &str) -> bool {
    match header.format {
        ReportFormat::InternalError | ReportFormat::InvalidOpcode | ReportFormat::Oops => true,
        ReportFormat::Panic => PANIC_CONSEQUENCE_RE.is_match(text),
        _ => false,
    }
}

/// Messages the kernel prints *because of* an earlier report belong to that report.
fn is_follow_on(
    header: Header,
    text: &str,
    idx: usize,
    prev: Option<(usize, ReportFormat)>,
) -> bool {
    let Some((prev_line, prev_format)) = prev else {
        return false;
    };
    let dist = idx - prev_line;
    // Reports that are always followed by an `Oops:`/`Internal error:`/`invalid opcode:`
    // line, possibly after many lines of other devices' output.
    let oopsing = matches!(
        prev_format,
        ReportFormat::BugPaging
            | ReportFormat::BugNull
            | ReportFormat::BugUnable
            | ReportFormat::UnableToHandle
            | ReportFormat::KernelBug
            | ReportFormat::UnhandledFault
            | ReportFormat::Gpf
            | ReportFormat::StackSegment
            | ReportFormat::BugStackGuard
            | ReportFormat::RustPanic
    );
    match header.format {
        ReportFormat::Panic => dist <= 1000 && PANIC_CONSEQUENCE_RE.is_match(text),
        ReportFormat::InternalError | ReportFormat::InvalidOpcode | ReportFormat::Oops => {
            dist <= if oopsing { 200 } else { 40 }
        }
        ReportFormat::KernelBug => prev_format == ReportFormat::RustPanic && dist <= 10,
        _ => false,
    }
}

/// The lines of the report starting at `start`: lines of the same source (printk context)
/// only, questionable frames dropped, cut at the next unrelated report (unless the caller id
/// tells reports apart) and before the panic_on_warn/lockdep echo that follows a long enough
/// report.
fn build_region<'a>(lines: &[ConsoleLine<'a>], start: usize, header: Header) -> Vec<&'a str> {
    let source = lines[start].source;
    let has_caller = matches!(source, LineSource::Caller(_));
    let min_lines = if header.format == ReportFormat::Kmsan {
        16
    } else {
        22
    };
    let mut out = vec![lines[start].text];
    let mut text_lines = 1;
    let mut cpu_traceback = false;
    for (i, l) in lines.iter().enumerate().skip(start + 1).take(REGION_CAP) {
        // With a printk caller id, reports of other tasks/CPUs are filtered out below, but a
        // new report from the same task ends this one (this also bounds the work per report).
        if has_caller
            && l.source == source
            && detect(l).is_some_and(|h| {
                !h.format.continues_report()
                    && !is_follow_on(h, l.text, i, Some((start, header.format)))
            })
        {
            break;
        }
        if !has_caller {
            // The same header twice is one report echoed by two consoles, not a new one.
            if l.text == lines[start].text {
                continue;
            }
            if detect(l).is_some_and(|h| !h.format.continues_report()) {
                break;
            }
            if [
                "vmalloc: allocation failure:",
                "FAULT_INJECTION: forcing a failure",
                "FAULT_FLAG_ALLOW_RETRY missing",
            ]
            .iter()
            .any(|p| l.text.contains(p))
            {
                break;
            }
        }
        if l.source != source && !(cpu_traceback && l.source.is_cpu()) {
            continue;
        }
        if source.is_kernel() && is_questionable(l.text) {
            continue;
        }
        text_lines += 1;
        if l.text
            .contains("Disabling lock debugging due to kernel taint")
        {
            continue;
        }
        if l.text.contains("Sending NMI from CPU") {
            cpu_traceback = true;
        } else if text_lines > min_lines
            && (l.text.contains("Kernel panic - not syncing")
                || l.text
                    .contains("WARNING: possible circular locking dependency detected"))
        {
            break;
        }
        out.push(l.text);
    }
    out
}
