//! Reading result directories: find result files, parse them in parallel, merge by id.
//!
//! KCIDB JSON is the native format; KTAP, JUnit, kirk and TuxRun files are parsed by
//! [`crate::formats`] and given their tree/build/board from [`crate::context`]. Files are
//! parsed independently on all cores (rayon) and merged afterwards in path order, so "first
//! non-null wins" means the same thing on every run and every machine.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::context::{self, Context, Resolver};
use crate::diag::{Diagnostic, IngestSummary, Location, RejectReason};
use crate::formats;
use crate::kcidb::{self, ParsedFile};
use crate::model::{Build, Checkout, Incident, Issue, Merge, Test};

/// Default cap on one file's size (after decompression): larger files are refused, not read.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// What to read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub roots: Vec<PathBuf>,
    /// Report date: objects dated later are ignored (and counted).
    pub date: Option<NaiveDate>,
    /// Context given on the command line for non-KCIDB results.
    pub context: Context,
    pub max_file_bytes: u64,
}

impl LoadOptions {
    pub fn new(roots: &[PathBuf], date: Option<NaiveDate>) -> Self {
        LoadOptions {
            roots: roots.to_vec(),
            date,
            context: Context::default(),
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

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

/// A file found under a root (or why it could not be listed).
pub struct Found {
    pub root: PathBuf,
    pub path: PathBuf,
    pub listed: Result<(), Diagnostic>,
}

/// File names that may hold results; anything else under the roots is not looked at.
fn is_result_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    [".json", ".xml", ".tap", ".ktap", ".log", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Lists the candidate result files under `roots`, sorted by path, deduplicated.
pub fn find_files(roots: &[PathBuf]) -> Vec<Found> {
    let mut files = Vec::new();
    for root in roots {
        for entry in WalkDir::new(root).follow_links(true) {
            match entry {
                Ok(e) if e.file_type().is_file() && is_result_name(e.path()) => files.push(Found {
                    root: root.clone(),
                    path: e.into_path(),
                    listed: Ok(()),
                }),
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let mut d = Diagnostic::new(
                        &path.display().to_string(),
                        Location::File,
                        RejectReason::Unreadable,
                        format!("cannot list: {err}"),
                    );
                    d.records = 0;
                    files.push(Found {
                        root: root.clone(),
                        path,
                        listed: Err(d),
                    });
                }
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}

/// Reads a file, gunzipping `.gz`, refusing anything over `max` bytes.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    let limited_read = |r: &mut dyn Read, bytes: &mut Vec<u8>| {
        r.take(max + 1)
            .read_to_end(bytes)
            .map_err(|e| format!("cannot read: {e}"))
    };
    if path.extension().is_some_and(|e| e == "gz") {
        limited_read(&mut flate2::read::GzDecoder::new(file), &mut bytes)
            .map_err(|e| format!("{e} (truncated or corrupt gzip?)"))?;
    } else {
        limited_read(&mut std::io::BufReader::new(file), &mut bytes)?;
    }
    if bytes.len() as u64 > max {
        return Err(format!("larger than {max} bytes; refused"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        format!("not valid UTF-8 at line {line}, column {column} (byte {at})")
    })
}

/// What one file yielded, and its format; `None` for a file that is not results (a README,
/// a build log...): looked at, not counted.
type Parsed = Option<(ParsedFile, &'static str)>;

fn unreadable(mut d: Diagnostic) -> Parsed {
    // Its records cannot be counted; the file is (in files_rejected).
    d.records = 0;
    Some((
        ParsedFile {
            file: d.file.clone(),
            diagnostics: vec![d],
            ..Default::default()
        },
        "unreadable",
    ))
}

/// Parses one file of another format into KCIDB objects using its context.
fn parse_other(
    name: &str,
    text: &str,
    format: formats::Format,
    ctx: &Result<Context, String>,
) -> ParsedFile {
    let suite = ctx.as_ref().ok().and_then(|c| c.suite.clone());
    let out = formats::parse(format, text, suite.as_deref());
    let mut pf = ParsedFile {
        file: name.to_string(),
        ..Default::default()
    };
    let error_records: usize = out.errors.iter().map(|e| e.records).sum();
    pf.seen.insert("tests", out.results.len() + error_records);
    for e in &out.errors {
        let location = match (e.line, e.column) {
            (Some(l), c) => Location::LineCol(l, c.unwrap_or(1)),
            (None, _) => Location::File,
        };
        let mut d = Diagnostic::new(name, location, RejectReason::Malformed, &e.message);
        d.records = e.records;
        if matches!(d.location, Location::File) && d.records > 0 {
            // A whole-file location would count the file as refused; it is not.
            d.location = Location::Key(out.format.to_string());
        }
        pf.diagnostics.push(d);
    }
    match ctx {
        Ok(ctx) => {
            let (c, b, tests) = context::to_kcidb(ctx, name, &out);
            pf.checkouts.push(c);
            pf.builds.push(b);
            pf.tests = tests;
        }
        Err(msg) => {
            let mut d = Diagnostic::new(name, Location::File, RejectReason::NoContext, msg);
            d.records = out.results.len();
            pf.diagnostics.push(d);
        }
    }
    pf
}

/// Reads and merges every result file under `roots`.
pub fn load(roots: &[PathBuf], date: Option<NaiveDate>) -> Dataset {
    load_with(&LoadOptions::new(roots, date))
}

/// Reads and merges every result file under the options' roots.
pub fn load_with(opts: &LoadOptions) -> Dataset {
    let files = find_files(&opts.roots);
    let mut resolver = Resolver::new(opts.context.clone());
    let contexts: Vec<Result<Context, String>> = files
        .iter()
        .map(|f| resolver.resolve(&f.root, &f.path))
        .collect();
    let parsed: Vec<Parsed> = files
        .par_iter()
        .zip(contexts.par_iter())
        .map(|(f, ctx)| {
            let name = f.path.display().to_string();
            if let Err(d) = &f.listed {
                return unreadable(d.clone());
            }
            let text = match read_text(&f.path, opts.max_file_bytes) {
                Ok(t) => t,
                Err(msg) => {
                    return unreadable(Diagnostic::new(
                        &name,
                        Location::File,
                        RejectReason::Unreadable,
                        msg,
                    ));
                }
            };
            let file_name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let head = &text[..text.floor_char_boundary(8192)];
            match formats::detect(file_name, head) {
                Some(format) => {
                    let pf = parse_other(&name, &text, format, ctx);
                    Some((pf, format_name(format)))
                }
                None if file_name.trim_end_matches(".gz").ends_with(".json") => {
                    Some((kcidb::parse_document(&name, &text), "kcidb"))
                }
                None => None,
            }
        })
        .collect();

    let mut ds = Dataset::default();
    for p in parsed {
        match p {
            Some((file, format)) => {
                ds.summary.files += 1;
                *ds.summary.formats.entry(format.to_string()).or_default() += 1;
                ds.absorb(file);
            }
            None => ds.summary.files_skipped += 1,
        }
    }
    ds.settle_report_date(opts.date);
    ds.count_orphans();
    ds
}

fn format_name(f: formats::Format) -> &'static str {
    match f {
        formats::Format::Ktap => "ktap",
        formats::Format::Junit => "junit",
        formats::Format::Kirk => "kirk",
        formats::Format::Tuxrun => "tuxrun",
    }
}

impl Dataset {
    /// Merges a sighting; a clash on identifying fields is reported (first sighting kept).
    fn merge_into<T: Merge>(
        map: &mut BTreeMap<String, T>,
        diagnostics: &mut Vec<Diagnostic>,
        file: &str,
        kind: &'static str,
        id: String,
        obj: T,
    ) {
        match map.entry(id) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(obj);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let clashes = o.get_mut().merge(obj);
                if !clashes.is_empty() {
                    let mut d = Diagnostic::new(
                        file,
                        Location::Id {
                            kind,
                            id: o.key().clone(),
                        },
                        RejectReason::Conflict,
                        format!(
                            "id seen before with a different {}; the first sighting was kept",
                            clashes.join(", ")
                        ),
                    );
                    // The object still lands (merged): a warning, not a rejection.
                    d.records = 0;
                    diagnostics.push(d);
                }
            }
        }
    }

    /// Adds one parsed file's objects and diagnostics.
    fn absorb(&mut self, file: ParsedFile) {
        let s = &mut self.summary;
        let yielded = file.checkouts.len()
            + file.builds.len()
            + file.tests.len()
            + file.issues.len()
            + file.incidents.len();
        let whole_file = yielded == 0
            && file
                .diagnostics
                .iter()
                .any(|d| !matches!(d.location, Location::Object { .. } | Location::Id { .. }));
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
        let f = file.file.as_str();
        let mut clashes = Vec::new();
        for c in file.checkouts {
            Self::merge_into(
                &mut self.checkouts,
                &mut clashes,
                f,
                "checkouts",
                c.id.clone(),
                c,
            );
        }
        for b in file.builds {
            Self::merge_into(&mut self.builds, &mut clashes, f, "builds", b.id.clone(), b);
        }
        for t in file.tests {
            Self::merge_into(&mut self.tests, &mut clashes, f, "tests", t.id.clone(), t);
        }
        for i in file.issues {
            self.add_issue(i);
        }
        for i in file.incidents {
            Self::merge_into(
                &mut self.incidents,
                &mut clashes,
                f,
                "incidents",
                i.id.clone(),
                i,
            );
        }
        self.summary.conflicts += clashes.len();
        self.diagnostics.extend(file.diagnostics);
        self.diagnostics.extend(clashes);
    }

    /// Keeps only the highest version of an issue; sightings of that version merge.
    fn add_issue(&mut self, issue: Issue) {
        match self.issues.get_mut(&issue.id) {
            None => {
                self.issues.insert(issue.id.clone(), issue);
            }
            Some(have) if issue.version > have.version => *have = issue,
            Some(have) if issue.version == have.version => {
                have.merge(issue);
            }
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
