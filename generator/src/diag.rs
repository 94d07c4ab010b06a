//! Diagnostics for bad input: which file, where in it, and why.
//!
//! Every rejected record becomes one [`Diagnostic`]; [`IngestSummary`] adds them up next to
//! the accepted counts so a run can prove nothing was dropped silently.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Why a record (or a whole file) was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectReason {
    /// Not valid JSON, or not the shape the schema describes.
    Malformed,
    /// The file could not be read or decompressed.
    Unreadable,
    /// A `version.major` this parser does not know.
    UnsupportedVersion,
    /// A status outside FAIL/ERROR/MISS/PASS/DONE/SKIP.
    UnknownStatus,
    /// Results in a format without tree/build/board, and no context given for them.
    NoContext,
    /// An id seen again with different identifying fields (a warning: the first is kept).
    Conflict,
}

impl RejectReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::Malformed => "malformed",
            RejectReason::Unreadable => "unreadable",
            RejectReason::UnsupportedVersion => "unsupported-version",
            RejectReason::UnknownStatus => "unknown-status",
            RejectReason::NoContext => "no-context",
            RejectReason::Conflict => "conflict",
        }
    }
}

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The whole file.
    File,
    /// A line and column (1-based).
    LineCol(usize, usize),
    /// A top-level key.
    Key(String),
    /// An object known by its id (when its position in the file does not matter).
    Id { kind: &'static str, id: String },
    /// The `index`-th object of a kind, with its id when it had one.
    Object {
        kind: &'static str,
        index: usize,
        id: Option<String>,
    },
}

/// One problem with the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub location: Location,
    pub reason: RejectReason,
    pub message: String,
    /// How many input records this rejects (a file refused whole rejects all it held).
    pub records: usize,
}

impl Diagnostic {
    pub fn new(
        file: &str,
        location: Location,
        reason: RejectReason,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            location,
            reason,
            message: message.into(),
            records: 1,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match &self.location {
            Location::File => {}
            Location::LineCol(l, c) => write!(f, ": line {l}, column {c}")?,
            Location::Key(k) => write!(f, ": key `{k}`")?,
            Location::Id { kind, id } => write!(f, ": {kind} id {id:?}")?,
            Location::Object { kind, index, id } => {
                write!(f, ": {kind}[{index}]")?;
                if let Some(id) = id {
                    write!(f, " (id {id:?})")?;
                }
            }
        }
        write!(f, ": {}", self.message)?;
        if self.records > 1 {
            write!(f, " ({} records rejected)", self.records)?;
        }
        Ok(())
    }
}

/// What an ingest run read, took and refused.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    /// Result files read (including rejected ones).
    pub files: usize,
    /// Result files per format (kcidb, ktap, junit, kirk, tuxrun, unreadable).
    pub formats: BTreeMap<String, usize>,
    /// Files taken from the ingest cache instead of being parsed again.
    pub files_cached: usize,
    /// Files under the roots that turned out not to be results (not counted as records).
    pub files_skipped: usize,
    /// Ids seen again with different identifying fields (first sighting kept).
    pub conflicts: usize,
    /// Files refused whole (unreadable, not JSON, wrong version...): their records, when they
    /// could be counted, are in `rejected`.
    pub files_rejected: usize,
    /// Objects seen per kind, accepted or not.
    pub seen: BTreeMap<String, usize>,
    /// Objects accepted per kind (before merging sightings of the same id).
    pub accepted: BTreeMap<String, usize>,
    /// Rejected records per reason (a file refused whole counts every record it held).
    pub rejected: BTreeMap<String, usize>,
    /// Distinct objects per kind after merging by id.
    pub distinct: BTreeMap<String, usize>,
    /// Accepted objects ignored because they are dated after the report date.
    pub after_report_date: usize,
    /// Files not read: dated before the `--history-days` window.
    pub files_aged_out: usize,
    /// Tests whose build is unknown (kept, counted).
    pub tests_without_build: usize,
    /// Builds whose checkout is unknown (kept, counted).
    pub builds_without_checkout: usize,
}

impl fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |m: &BTreeMap<String, usize>| {
            if m.is_empty() {
                return "none".to_string();
            }
            m.iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            f,
            "read {} result files ({}; {} from the cache; {} rejected whole; {} other files skipped)",
            self.files,
            join(&self.formats),
            self.files_cached,
            self.files_rejected,
            self.files_skipped
        )?;
        writeln!(f, "  accepted: {}", join(&self.accepted))?;
        writeln!(f, "  distinct after merge: {}", join(&self.distinct))?;
        writeln!(f, "  rejected: {}", join(&self.rejected))?;
        if self.conflicts > 0 {
            writeln!(
                f,
                "  conflicting re-sightings (first kept): {}",
                self.conflicts
            )?;
        }
        if self.files_aged_out > 0 {
            writeln!(
                f,
                "  files not read (older than the history window): {}",
                self.files_aged_out
            )?;
        }
        if self.after_report_date > 0 {
            writeln!(
                f,
                "  ignored (after the report date): {}",
                self.after_report_date
            )?;
        }
        write!(
            f,
            "  tests without a known build: {}, builds without a known checkout: {}",
            self.tests_without_build, self.builds_without_checkout
        )
    }
}
