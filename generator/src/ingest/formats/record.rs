//! What every format parser yields: results in regtrack's dotted namespace, and the problems
//! found, each with what it cost.

use crate::model::Status;

/// Cap of [`ResultRecord::log_excerpt`], in bytes; the tail is kept (failures print last).
pub const EXCERPT_MAX: usize = 16 * 1024;

/// Cap of one path segment, in bytes: some TAP descriptions are whole sentences.
pub const SEGMENT_MAX: usize = 120;

/// One test result in regtrack's dotted namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRecord {
    /// e.g. `kunit.example.example_simple_test`, `kselftest.timers.posix_timers`,
    /// `ltp.proc01`, `xfstests.ext4.generic.001`.
    pub path: String,
    pub status: Status,
    /// Diagnostic lines / failure message / system-out, at most [`EXCERPT_MAX`] bytes (tail).
    pub log_excerpt: Option<String>,
    /// RFC 3339, when the format has it.
    pub start_time: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// 1-based line of the input where the result is (for diagnostics).
    pub line: Option<usize>,
}

/// A problem in the input: where and why. `records` = how many results it cost (0 if unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub records: usize,
}

impl FormatError {
    pub(crate) fn new(line: Option<usize>, message: impl Into<String>, records: usize) -> Self {
        FormatError {
            line,
            column: None,
            message: message.into(),
            records,
        }
    }
}

/// What one file yielded.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatOutput {
    /// `ktap`, `junit`, `kirk` or `tuxrun`.
    pub format: &'static str,
    pub results: Vec<ResultRecord>,
    pub errors: Vec<FormatError>,
    /// The number of results the file itself claims (KTAP plans, JUnit root attributes, the
    /// length of kirk's `results` array, TuxRun's test entries), for the accounting check
    /// `results.len() + Σ errors.records == expected`; `None` when the file claims nothing.
    pub expected: Option<usize>,
}

impl FormatOutput {
    /// Each result's (path, status), in order: what conformance checks compare.
    pub fn verdicts(&self) -> Vec<(&str, Status)> {
        self.results
            .iter()
            .map(|r| (r.path.as_str(), r.status))
            .collect()
    }
}
