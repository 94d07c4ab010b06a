//! Reading result directories: find KCIDB files, parse them in parallel, merge by id.
//!
//! Files are parsed independently on all cores (rayon) and merged afterwards in path order, so
//! "first non-null wins" means the same thing on every run and every machine.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, IngestSummary, Location, RejectReason};
use crate::kcidb::{self, ParsedFile};
use crate::model::{Build, Checkout, Incident, Issue, Merge, Test};

/// Files larger than this (after decompression) are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Everything read from the result directories, merged by id.
#[derive(Debug, Default)]
pub struct Dataset {
    pub checkouts: BTreeMap<String, Checkout>,
    pub builds: BTreeMap<String, Build>,
    pub tests: BTreeMap<String, Test>,
    /// Highest version of each issue only.
    pub issues: BTreeMap<String, Issue>,
    pub incidents: BTreeMap<String, Incident>,
    /// The night this report is for.
    pub report_date: Option<NaiveDate>,
    pub summary: IngestSummary,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses an RFC 3339 timestamp, as KCIDB writes them.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Lists the KCIDB files under `roots` (`.json` and `.json.gz`), sorted, deduplicated.
pub fn find_files(roots: &[PathBuf]) -> Vec<(PathBuf, Result<(), Diagnostic>)> {
    let mut files = Vec::new();
    for root in roots {
        for entry in WalkDir::new(root).follow_links(true) {
            match entry {
                Ok(e) if e.file_type().is_file() && is_kcidb_name(e.path()) => {
                    files.push((e.into_path(), Ok(())))
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let d = Diagnostic::new(
                        &path.display().to_string(),
                        Location::File,
                        RejectReason::Unreadable,
                        format!("cannot list: {err}"),
                    );
                    files.push((path, Err(d)));
                }
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

fn is_kcidb_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".json") || name.ends_with(".json.gz")
}

/// Reads a file, gunzipping `.gz`, refusing anything over [`MAX_FILE_BYTES`].
pub fn read_text(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    let limited_read = |r: &mut dyn Read, bytes: &mut Vec<u8>| {
        r.take(MAX_FILE_BYTES + 1)
            .read_to_end(bytes)
            .map_err(|e| format!("cannot read: {e}"))
    };
    if path.extension().is_some_and(|e| e == "gz") {
        limited_read(&mut flate2::read::GzDecoder::new(file), &mut bytes)
            .map_err(|e| format!("{e} (truncated or corrupt gzip?)"))?;
    } else {
        limited_read(&mut std::io::BufReader::new(file), &mut bytes)?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes; refused"));
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

/// Reads and merges every KCIDB file under `roots`. `date` caps the report date: objects
/// dated after it are ignored (and counted) so an old night can be rebuilt exactly.
pub fn load(roots: &[PathBuf], date: Option<NaiveDate>) -> Dataset {
    let files = find_files(roots);
    let parsed: Vec<ParsedFile> = files
        .par_iter()
        .map(|(path, listed)| {
            let name = path.display().to_string();
            let text = match listed {
                Err(d) => Err(d.clone()),
                Ok(()) => read_text(path).map_err(|msg| {
                    Diagnostic::new(&name, Location::File, RejectReason::Unreadable, msg)
                }),
            };
            match text {
                Ok(text) => kcidb::parse_document(&name, &text),
                Err(mut d) => {
                    // Unreadable: its records cannot be counted; the file is.
                    d.records = 0;
                    ParsedFile {
                        diagnostics: vec![d],
                        ..Default::default()
                    }
                }
            }
        })
        .collect();

    let mut ds = Dataset {
        summary: IngestSummary {
            files: files.len(),
            ..Default::default()
        },
        ..Default::default()
    };
    for file in parsed {
        ds.absorb(file);
    }
    ds.settle_report_date(date);
    ds.count_orphans();
    ds
}

fn merge_into<T: Merge>(map: &mut BTreeMap<String, T>, id: String, obj: T) {
    match map.entry(id) {
        std::collections::btree_map::Entry::Vacant(v) => {
            v.insert(obj);
        }
        std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().merge(obj),
    }
}

impl Dataset {
    /// Adds one parsed file's objects and diagnostics.
    fn absorb(&mut self, file: ParsedFile) {
        let s = &mut self.summary;
        let whole_file = file
            .diagnostics
            .iter()
            .any(|d| !matches!(d.location, Location::Object { .. }));
        if whole_file {
            s.files_rejected += 1;
        }
        for (kind, n) in &file.seen {
            *s.seen.entry(kind.to_string()).or_default() += n;
        }
        for d in file.diagnostics.iter().filter(|d| d.records > 0) {
            *s.rejected.entry(d.reason.as_str().to_string()).or_default() += d.records;
        }
        let mut accept = |kind: &str, n: usize| {
            if n > 0 {
                *s.accepted.entry(kind.to_string()).or_default() += n;
            }
        };
        accept("checkouts", file.checkouts.len());
        accept("builds", file.builds.len());
        accept("tests", file.tests.len());
        accept("issues", file.issues.len());
        accept("incidents", file.incidents.len());
        for c in file.checkouts {
            merge_into(&mut self.checkouts, c.id.clone(), c);
        }
        for b in file.builds {
            merge_into(&mut self.builds, b.id.clone(), b);
        }
        for t in file.tests {
            merge_into(&mut self.tests, t.id.clone(), t);
        }
        for i in file.issues {
            self.add_issue(i);
        }
        for i in file.incidents {
            merge_into(&mut self.incidents, i.id.clone(), i);
        }
        self.diagnostics.extend(file.diagnostics);
    }

    /// Keeps only the highest version of an issue; sightings of that version merge.
    fn add_issue(&mut self, issue: Issue) {
        match self.issues.get_mut(&issue.id) {
            None => {
                self.issues.insert(issue.id.clone(), issue);
            }
            Some(have) if issue.version > have.version => *have = issue,
            Some(have) if issue.version == have.version => have.merge(issue),
            Some(_) => {}
        }
    }

    /// Picks the report date (newest day in the data unless given) and drops what is later.
    fn settle_report_date(&mut self, date: Option<NaiveDate>) {
        let day = |t: &Option<String>| t.as_deref().and_then(parse_time).map(|t| t.date_naive());
        let newest = self
            .checkouts
            .values()
            .filter_map(|c| day(&c.start_time))
            .chain(self.builds.values().filter_map(|b| day(&b.start_time)))
            .chain(self.tests.values().filter_map(|t| day(&t.start_time)))
            .max();
        let report = date.or(newest);
        self.report_date = report;
        if let Some(report) = report {
            let before = self.checkouts.len() + self.builds.len() + self.tests.len();
            let keep = |t: &Option<String>| day(t).is_none_or(|d| d <= report);
            self.checkouts.retain(|_, c| keep(&c.start_time));
            self.builds.retain(|_, b| keep(&b.start_time));
            self.tests.retain(|_, t| keep(&t.start_time));
            let after = self.checkouts.len() + self.builds.len() + self.tests.len();
            self.summary.after_report_date = before - after;
        }
        let s = &mut self.summary;
        for (kind, n) in [
            ("checkouts", self.checkouts.len()),
            ("builds", self.builds.len()),
            ("tests", self.tests.len()),
            ("issues", self.issues.len()),
            ("incidents", self.incidents.len()),
        ] {
            if n > 0 {
                s.distinct.insert(kind.to_string(), n);
            }
        }
    }

    /// Counts objects whose parent never arrived; they are kept.
    fn count_orphans(&mut self) {
        self.summary.tests_without_build = self
            .tests
            .values()
            .filter(|t| {
                t.build_id
                    .as_ref()
                    .is_none_or(|b| !self.builds.contains_key(b))
            })
            .count();
        self.summary.builds_without_checkout = self
            .builds
            .values()
            .filter(|b| {
                b.checkout_id
                    .as_ref()
                    .is_none_or(|c| !self.checkouts.contains_key(c))
            })
            .count();
    }
}
