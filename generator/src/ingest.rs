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
use crate::kcidb::ParsedFile;
use crate::kcidb_rows::{self, FileResult};
use crate::model::{Incident, Issue, Merge, Status};
use crate::store::{Clash, NO_TIME, Store, byte_status};

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
    /// Where parsed files are cached between runs (`None`: no cache).
    pub cache: Option<crate::cache::Cache>,
}

impl LoadOptions {
    pub fn new(roots: &[PathBuf], date: Option<NaiveDate>) -> Self {
        LoadOptions {
            roots: roots.to_vec(),
            date,
            context: Context::default(),
            max_file_bytes: MAX_FILE_BYTES,
            cache: None,
        }
    }
}

/// Everything read from the result directories, merged by id.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Checkouts, builds and test runs, compact.
    pub store: Store,
    /// Highest version of each issue only.
    pub issues: BTreeMap<String, Issue>,
    pub incidents: BTreeMap<String, Incident>,
    /// The night this report is for.
    pub report_date: Option<NaiveDate>,
    pub summary: IngestSummary,
    pub diagnostics: Vec<Diagnostic>,
    /// While loading: each absorbed file's name and where its test clashes go among the
    /// diagnostics.
    absorbed: Vec<(String, usize)>,
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
    let mut bytes = Vec::new();
    read_into(path, max, &mut bytes)?;
    Ok(String::from_utf8(bytes).expect("checked by read_into"))
}

/// [`read_text`] into a caller's buffer (cleared first), so one buffer can serve many files.
pub fn read_into<'b>(path: &Path, max: u64, bytes: &'b mut Vec<u8>) -> Result<&'b str, String> {
    bytes.clear();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let limited_read = |r: &mut dyn Read, bytes: &mut Vec<u8>| {
        r.take(max.saturating_add(1))
            .read_to_end(bytes)
            .map_err(|e| format!("cannot read: {e}"))
    };
    if path.extension().is_some_and(|e| e == "gz") {
        limited_read(&mut flate2::read::GzDecoder::new(file), bytes)
            .map_err(|e| format!("{e} (truncated or corrupt gzip?)"))?;
    } else {
        // Sized up front: growing by doubling copies the text and faults in fresh pages. A
        // buffer too small is replaced, not grown (growing would copy its stale bytes), with
        // room to spare: a day's file is often a little larger than the day before's.
        let len = file.metadata().map_or(0, |m| m.len()).min(max) as usize + 1;
        if bytes.capacity() < len {
            *bytes = Vec::with_capacity(len + len / 8);
        }
        limited_read(&mut { file }, bytes)?;
    }
    if bytes.len() as u64 > max {
        return Err(format!("larger than {max} bytes; refused"));
    }
    utf8(bytes)
}

/// The text of `bytes`, or where and why it is not UTF-8. Every input byte goes through this
/// check: simdutf8 does it several times faster than `std`, which is asked again only to say
/// where a bad file goes wrong.
fn utf8(bytes: &[u8]) -> Result<&str, String> {
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
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

/// Hands files' text to the parsers. A plain file is memory-mapped: its text is read straight
/// from the page cache, where `read` would copy it into a buffer first (the copy, and
/// faulting in the buffer, cost about a third of the parse floor). Gzipped files, and files
/// that cannot be mapped (pipes, empty files), are read into buffers handed from file to file,
/// since a fresh buffer per file would fault in and zero new pages every time.
///
/// A mapped file must not be truncated while it is read (the process would get SIGBUS), as
/// for every tool that maps its input (ripgrep, git): result folders are written before the
/// nightly run starts, not during it.
#[derive(Default)]
pub struct Buffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// Hands the text of `path` (at most `max` bytes) to `f`, or why it could not be read,
    /// and whether it is a regular file's own text, byte for byte (mapped, not gunzipped):
    /// strings in it can then be read back later by their place.
    pub fn with_text<R>(
        &self,
        path: &Path,
        max: u64,
        f: impl FnOnce(Result<&str, String>, bool) -> R,
    ) -> R {
        match map_file(path, max) {
            Some(Ok(map)) => return f(utf8(&map), true),
            Some(Err(e)) => return f(Err(e), false),
            None => {}
        }
        // The largest free buffer: soon every buffer fits the largest file.
        let mut buf = self
            .0
            .lock()
            .ok()
            .and_then(|mut v| {
                let i = (0..v.len()).max_by_key(|&i| v[i].capacity())?;
                Some(v.swap_remove(i))
            })
            .unwrap_or_default();
        let r = f(read_into(path, max, &mut buf), false);
        if let Ok(mut pool) = self.0.lock() {
            pool.push(buf);
        }
        r
    }
}

/// Maps a plain, non-empty regular file (`None`: read it instead).
fn map_file(path: &Path, max: u64) -> Option<Result<memmap2::Mmap, String>> {
    if path.extension().is_some_and(|e| e == "gz") {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let meta = file
        .metadata()
        .ok()
        .filter(|m| m.is_file() && m.len() > 0)?;
    if meta.len() > max {
        return Some(Err(format!("larger than {max} bytes; refused")));
    }
    // SAFETY: the map is only read, and result files are not changed while regtrack runs
    // (see `Buffers`).
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Ok(map))
}

/// What one file yielded, and its format; `None` for a file that is not results (a README,
/// a build log...): looked at, not counted.
type Parsed = Option<(FileResult, &'static str)>;

fn unreadable(mut d: Diagnostic) -> Parsed {
    // Its records cannot be counted; the file is (in files_rejected).
    d.records = 0;
    Some((
        FileResult {
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
            // The checkout and build come from the context: seen once each, like a submission.
            pf.seen.insert("checkouts", 1);
            pf.seen.insert("builds", 1);
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

/// Marks a KCIDB file taken from the cache (counted as `kcidb` too).
const CACHED: &str = "kcidb (cached)";

/// [`parse_file`] through the cache: KCIDB files whose fingerprint is known are not read.
fn parse_cached(
    f: &Found,
    ctx: &Result<Context, String>,
    opts: &LoadOptions,
    buffers: &Buffers,
) -> Parsed {
    let name = f.path.display().to_string();
    let kcidb_name = f
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.trim_end_matches(".gz").ends_with(".json"));
    let cache = opts
        .cache
        .as_ref()
        .filter(|_| kcidb_name && f.listed.is_ok());
    let fp = cache.and_then(|_| crate::cache::Fingerprint::of(&f.path));
    if let (Some(cache), Some(fp)) = (cache, &fp)
        && let Some(mut hit) = cache.get(&f.path, &name, fp)
    {
        // Excerpts read from a plain file point into it.
        hit.source = Some(f.path.clone());
        return Some((hit, CACHED));
    }
    let parsed = parse_file(f, ctx, opts.max_file_bytes, buffers);
    if let (Some(cache), Some(fp), Some((r, "kcidb"))) = (cache, fp, &parsed) {
        cache.put(&f.path, fp, r);
    }
    parsed
}

/// Reads and parses one file (KCIDB or another format).
fn parse_file(
    f: &Found,
    ctx: &Result<Context, String>,
    max_file_bytes: u64,
    buffers: &Buffers,
) -> Parsed {
    if let Err(d) = &f.listed {
        return unreadable(d.clone());
    }
    buffers.with_text(&f.path, max_file_bytes, |text, plain| {
        parse_text(f, ctx, text, plain)
    })
}

/// Parses one file's text (or reports why it could not be read).
fn parse_text(
    f: &Found,
    ctx: &Result<Context, String>,
    text: Result<&str, String>,
    plain: bool,
) -> Parsed {
    let name = f.path.display().to_string();
    let text = match text {
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
            let pf = parse_other(&name, text, format, ctx);
            Some((kcidb_rows::from_parsed(pf), format.name()))
        }
        None if file_name.trim_end_matches(".gz").ends_with(".json") => {
            let mut r = match plain {
                true => kcidb_rows::parse_rows_kept(&name, text),
                false => kcidb_rows::parse_rows(&name, text),
            };
            r.source = plain.then(|| f.path.clone());
            Some((r, "kcidb"))
        }
        None => None,
    }
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
    let mut ds = Dataset::default();
    let work: Vec<(&Found, &Result<Context, String>)> = files.iter().zip(&contexts).collect();
    let buffers = Buffers::default();
    let parse =
        |(f, ctx): &(&Found, &Result<Context, String>)| parse_cached(f, ctx, opts, &buffers);
    let mut tm = crate::timings::Timer::start();
    let mut absorbing = std::time::Duration::ZERO;
    pipeline(&work, parse, |parsed| {
        let t = std::time::Instant::now();
        ds.absorb_one(parsed);
        absorbing += t.elapsed();
    });
    tm.mark("read and parse files");
    tm.note("of which absorbing them, on the main thread", absorbing);
    ds.finish_tests();
    tm.mark("merge tests seen twice");
    ds.settle_report_date(opts.date);
    tm.mark("report date");
    ds.count_orphans();
    tm.mark("count orphans");
    ds
}

/// Runs `parse` over `items` on every core and hands the results to `absorb` in item order,
/// on the calling thread, while later items are still being parsed. Workers take items in
/// order and stay at most a few items ahead of `absorb`, so only that many parsed files wait
/// in memory. (Batches with a barrier each would leave a core idle at the end of every batch
/// while the other finishes its last, large, file.)
pub(crate) fn pipeline<T: Sync, R: Send>(
    items: &[T],
    parse: impl Fn(&T) -> R + Sync,
    mut absorb: impl FnMut(R),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, mpsc};
    let workers = rayon::current_num_threads().clamp(1, items.len().max(1));
    let window = workers * 2;
    let next = AtomicUsize::new(0);
    // How many items were absorbed, and a signal when that grows.
    let absorbed = (Mutex::new(0usize), Condvar::new());
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, R)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, absorbed, parse) = (&next, &absorbed, &parse);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let (lock, cv) = absorbed;
                    let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + window {
                        done = cv.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(done);
                    if tx.send((i, parse(&items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: std::collections::BTreeMap<usize, R> = Default::default();
        let mut expect = 0;
        for (i, r) in rx {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&expect) {
                absorb(r);
                expect += 1;
                let (lock, cv) = &absorbed;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = expect;
                cv.notify_all();
            }
        }
    });
}

impl Dataset {
    /// Number of distinct test runs.
    pub fn test_count(&self) -> usize {
        self.store.tests.len()
    }

    /// The status of a test run by KCIDB id (`None` when unknown or still running).
    pub fn test_status(&self, id: &str) -> Option<Status> {
        self.store.test(id).and_then(|t| byte_status(t.status))
    }

    /// Absorbs the next parsed file, counting it.
    fn absorb_one(&mut self, parsed: Parsed) {
        match parsed {
            Some((file, format)) => {
                self.summary.files += 1;
                if format == CACHED {
                    self.summary.files_cached += 1;
                }
                let format = if format == CACHED { "kcidb" } else { format };
                *self.summary.formats.entry(format.to_string()).or_default() += 1;
                self.absorb(file);
            }
            None => self.summary.files_skipped += 1,
        }
    }

    /// Adds one file's objects and diagnostics.
    fn absorb(&mut self, file: FileResult) {
        let s = &mut self.summary;
        let yielded = file.rows.checkouts.len()
            + file.rows.builds.len()
            + file.rows.tests.len()
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
        for (kind, n) in &file.accepted {
            *s.accepted.entry(kind.to_string()).or_default() += n;
        }
        for d in file.diagnostics.iter().filter(|d| d.records > 0) {
            *s.rejected.entry(d.reason.as_str().to_string()).or_default() += d.records;
        }
        let name = file.file;
        let file_no = self.absorbed.len() as u32;
        for clash in self.store.absorb(file.rows, file_no, file.source) {
            let d = self.clash(&name, clash);
            self.diagnostics.push(d);
        }
        // Test clashes are found once every file is in (`finish_tests`) and go here.
        self.absorbed.push((name, self.diagnostics.len()));
        for i in file.issues {
            self.add_issue(i);
        }
        for i in file.incidents {
            match self.incidents.entry(i.id.clone()) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(i);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    o.get_mut().merge(i);
                }
            }
        }
        self.diagnostics.extend(file.diagnostics);
    }

    /// A warning for an id seen before with different identifying fields.
    fn clash(&mut self, file: &str, (kind, index, fields): Clash) -> Diagnostic {
        let mut d = Diagnostic::new(
            file,
            Location::Object {
                kind,
                index: index as usize,
                id: None,
            },
            RejectReason::Conflict,
            format!(
                "id seen before with a different {}; the first sighting was kept",
                fields.join(", ")
            ),
        );
        // The object still lands (merged): a warning, not a rejection.
        d.records = 0;
        self.summary.conflicts += 1;
        d
    }

    /// Merges tests seen in several files and files their clashes with the rest of each
    /// file's diagnostics, in file order.
    fn finish_tests(&mut self) {
        let clashes = self.store.finish();
        let absorbed = std::mem::take(&mut self.absorbed);
        if clashes.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.diagnostics);
        let mut old = old.into_iter();
        let mut at = 0;
        for (file_no, clash) in clashes {
            let (name, slot) = &absorbed[file_no as usize];
            self.diagnostics.extend(old.by_ref().take(slot - at));
            at = *slot;
            let d = self.clash(name, clash);
            self.diagnostics.push(d);
        }
        self.diagnostics.extend(old);
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
        let st = &self.store;
        let newest = st
            .checkouts
            .iter()
            .map(|c| c.start)
            .chain(st.builds.iter().map(|b| b.start))
            .chain(st.tests.par_iter().map(|t| t.start).max())
            .filter(|&t| t != NO_TIME)
            .max()
            .and_then(DateTime::from_timestamp_micros)
            .map(|t| t.date_naive());
        let report = date.or(newest);
        self.report_date = report;
        // Without a date asked for, nothing is later than the newest day: no pass to drop any.
        if let Some(report) = date.and(report) {
            let end = report
                .succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp_micros() - 1)
                .unwrap_or(i64::MAX);
            self.summary.after_report_date = self.store.drop_after(end);
        }
        let s = &mut self.summary;
        for (kind, n) in [
            ("checkouts", self.store.checkouts.len()),
            ("builds", self.store.builds.len()),
            ("tests", self.store.tests.len()),
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
        let st = &self.store;
        // A build's tests come together: its lookup is reused while they go by.
        self.summary.tests_without_build = st
            .tests
            .par_iter()
            .fold(
                || (0, None),
                |(n, last), t| {
                    let known = match last {
                        Some((build, known)) if build == t.build => known,
                        _ => st.build(t.build).is_some(),
                    };
                    (n + usize::from(!known), Some((t.build, known)))
                },
            )
            .map(|(n, _)| n)
            .sum();
        self.summary.builds_without_checkout = st
            .builds
            .iter()
            .filter(|b| st.checkout(b.checkout).is_none())
            .count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_hands_results_over_in_order() {
        let items: Vec<u64> = (0..64).collect();
        let mut got = Vec::new();
        // Early items are the slowest, so later ones finish first and must wait their turn.
        pipeline(
            &items,
            |&i| {
                std::thread::sleep(std::time::Duration::from_micros((64 - i) * 40));
                i * 10
            },
            |r| got.push(r),
        );
        assert_eq!(got, items.iter().map(|i| i * 10).collect::<Vec<_>>());
        let mut none = Vec::new();
        pipeline(&[] as &[u64], |&i| i, |r| none.push(r));
        assert!(none.is_empty());
    }
}
