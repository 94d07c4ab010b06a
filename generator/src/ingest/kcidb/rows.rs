//! Rows from KCIDB objects, for every reader: what one file yielded ([`FileResult`]), the row
//! builders ([`Rows`]) that intern a file's strings into its own table, and the checks every
//! path applies alike (ids, times, statuses). The fast readers hand borrowed
//! [`super::fields`] to [`fast_with`]; the lenient path and the other formats hand typed
//! objects to [`from_parsed`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::fields::{FastDoc, FastTest, Log, LogText, StrField};
use super::lenient::ParsedFile;
use super::schema::SUPPORTED_MAJOR;
use crate::diag::{Diagnostic, Location, RejectReason};
use crate::model::{Build, Checkout, Incident, Issue, Status, Test};
use crate::store::{
    BuildRow, CheckoutRow, FileRows, NO_ID, NO_TIME, NONE, Sym, TestRow, Text, id_hash,
    keeps_detail, status_byte,
};

/// Everything one file yielded.
#[derive(Debug, Default)]
pub struct FileResult {
    pub file: String,
    /// The file the rows' [`Text::InFile`] strings are read back from.
    pub source: Option<crate::store::Source>,
    pub rows: FileRows,
    pub issues: Vec<Issue>,
    pub incidents: Vec<Incident>,
    pub diagnostics: Vec<Diagnostic>,
    /// Objects seen per kind, accepted or not.
    pub seen: BTreeMap<&'static str, usize>,
    /// Objects accepted per kind.
    pub accepted: BTreeMap<&'static str, usize>,
}

impl FileResult {
    /// The first part in which two readings of one file differ (rows byte for byte,
    /// diagnostics, counts, issues, incidents), or `None`: how the parse paths are held to
    /// one another in tests.
    pub fn mismatch(&self, other: &FileResult) -> Option<&'static str> {
        let bytes = |r: &FileRows| postcard::to_stdvec(r).ok();
        if bytes(&self.rows) != bytes(&other.rows) {
            return Some("rows");
        }
        if self.diagnostics != other.diagnostics {
            return Some("diagnostics");
        }
        if (&self.seen, &self.accepted) != (&other.seen, &other.accepted) {
            return Some("counts");
        }
        if self.issues.len() != other.issues.len() || self.incidents.len() != other.incidents.len()
        {
            return Some("issues or incidents");
        }
        None
    }
}

/// The same checks as the lenient path's `Validate`, on borrowed fields.
fn check(
    times: &mut TimeMemo,
    id: &str,
    start: Option<&str>,
    status: Option<&str>,
) -> Result<(i64, u8), (RejectReason, String)> {
    if id.is_empty() {
        return Err((RejectReason::Malformed, "empty `id`".into()));
    }
    let t = match start {
        None => NO_TIME,
        Some(s) => times.parse(s).ok_or_else(|| {
            (
                RejectReason::Malformed,
                format!("start_time {s:?} is not an RFC 3339 date-time"),
            )
        })?,
    };
    let st = match status {
        None => 0,
        Some(s) => status_byte(Some(Status::parse(s).ok_or_else(|| {
            (
                RejectReason::UnknownStatus,
                format!(
                    "unknown status value {s:?} (expected FAIL, ERROR, MISS, PASS, DONE or SKIP)"
                ),
            )
        })?)),
    };
    Ok((t, st))
}

/// Parsed timestamps of one file: jobs stamp many tests with the same time, and RFC 3339
/// parsing is a visible share of ingest.
#[derive(Default)]
struct TimeMemo {
    text: String,
    value: Option<Option<i64>>,
}

impl TimeMemo {
    fn parse(&mut self, s: &str) -> Option<i64> {
        match self.value {
            Some(v) if self.text == s => v,
            _ => {
                let v = crate::time::parse_micros(s);
                // The buffer is reused: most tests have a time of their own.
                self.text.clear();
                self.text.push_str(s);
                self.value = Some(v);
                v
            }
        }
    }
}

/// The hash of the last build id seen: a job's tests come together and name one build.
#[derive(Default)]
struct IdMemo {
    text: String,
    hash: u64,
}

impl IdMemo {
    fn hash(&mut self, id: Option<&str>) -> u64 {
        let Some(id) = id else { return NO_ID };
        if self.hash == NO_ID || self.text != id {
            self.text.clear();
            self.text.push_str(id);
            self.hash = id_hash(id);
        }
        self.hash
    }
}

/// The symbol of the last string interned through it: the tests of one job come together
/// and name the same board and lab, so most lookups end at one string comparison.
#[derive(Default)]
struct SymMemo {
    last: Option<(String, Sym)>,
}

impl SymMemo {
    fn sym(&mut self, rows: &mut FileRows, s: Option<&str>) -> Sym {
        let Some(s) = s.filter(|s| !s.is_empty()) else {
            return NONE;
        };
        match &self.last {
            Some((last, sym)) if last == s => *sym,
            _ => {
                let sym = rows.sym(Some(s));
                self.last = Some((s.to_string(), sym));
                sym
            }
        }
    }
}

/// Row builders shared by both paths: they take plain field values.
pub(crate) struct Rows<'f> {
    out: &'f mut FileResult,
    times: TimeMemo,
    builds: IdMemo,
    platforms: SymMemo,
    labs: SymMemo,
    /// Tests accepted so far (added to the counts once, by [`Rows::done`]).
    accepted_tests: usize,
    /// Where the document's text starts and how long it is, when it is its file's text byte
    /// for byte: excerpts in it are then kept as places in the file.
    kept_text: Option<(usize, usize)>,
}

impl<'f> Rows<'f> {
    fn new(out: &'f mut FileResult, kept_text: Option<&str>) -> Self {
        Rows {
            out,
            times: TimeMemo::default(),
            builds: IdMemo::default(),
            platforms: SymMemo::default(),
            labs: SymMemo::default(),
            accepted_tests: 0,
            kept_text: kept_text.map(|t| (t.as_ptr() as usize, t.len())),
        }
    }

    /// A log excerpt to keep: by its place in the document when the document is kept and the
    /// string is written in it, else decoded.
    fn keep(&self, log: &LogText) -> Text {
        if let (&LogText::Json { raw, escaped }, Some((base, len))) = (log, self.kept_text) {
            let at = (raw.as_ptr() as usize).wrapping_sub(base);
            if at + raw.len() <= len && len <= u32::MAX as usize {
                return Text::InFile {
                    start: at as u32,
                    len: raw.len() as u32,
                    escaped,
                };
            }
        }
        owned(log)
    }

    /// One test object of the fast path.
    pub(crate) fn fast_test(&mut self, index: usize, t: &FastTest) {
        let env = t.environment.as_ref();
        let platform = env
            .and_then(|e| e.misc.as_ref())
            .and_then(|m| nonempty(&m.platform))
            .or_else(|| env.and_then(|e| nonempty(&e.compatible)));
        let lab = t
            .misc
            .as_ref()
            .and_then(|m| nonempty(&m.lab).or(nonempty(&m.runtime)));
        self.test(
            index,
            // Present: FastTest::check.
            raw(&t.id).unwrap_or_default(),
            nonempty(&t.build_id),
            nonempty(&t.path),
            raw(&t.status),
            raw(&t.start_time),
            platform,
            lab,
            nonempty_log(&t.log_url),
            nonempty_log(&t.log_excerpt),
        );
    }

    /// Adds the accepted tests to the file's counts.
    fn done(self) {
        if self.accepted_tests > 0 {
            *self.out.accepted.entry("tests").or_default() += self.accepted_tests;
        }
    }

    fn reject(&mut self, kind: &'static str, index: usize, id: &str, e: (RejectReason, String)) {
        let id = Some(id.to_string()).filter(|s| !s.is_empty());
        let file = self.out.file.clone();
        self.out.diagnostics.push(Diagnostic::new(
            &file,
            Location::Object { kind, index, id },
            e.0,
            e.1,
        ));
    }

    #[allow(clippy::too_many_arguments)]
    fn checkout(
        &mut self,
        index: usize,
        id: &str,
        origin: Option<&str>,
        tree_name: Option<&str>,
        repo: Option<&str>,
        branch: Option<&str>,
        commit: Option<&str>,
        describe: Option<&str>,
        start_time: Option<&str>,
    ) {
        match check(&mut self.times, id, start_time, None) {
            Err(e) => self.reject("checkouts", index, id, e),
            Ok((start, _)) => {
                let r = &mut self.out.rows;
                let row = CheckoutRow {
                    id: id_hash(id),
                    origin: r.sym(origin),
                    tree_name: r.sym(tree_name),
                    repository_url: r.sym(repo),
                    branch: r.sym(branch),
                    commit: r.sym(commit),
                    describe: r.sym(describe),
                    start,
                    start_text: r.sym(start_time),
                };
                r.checkouts.push(row);
                r.checkout_index.push(index as u32);
                *self.out.accepted.entry("checkouts").or_default() += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        index: usize,
        id: &str,
        checkout: Option<&str>,
        arch: Option<&str>,
        config: Option<&str>,
        compiler: Option<&str>,
        start_time: Option<&str>,
        status: Option<&str>,
        valid: Option<bool>,
    ) {
        match check(&mut self.times, id, start_time, status) {
            Err(e) => self.reject("builds", index, id, e),
            Ok((start, mut st)) => {
                if st == 0 {
                    st = status_byte(valid.map(|v| if v { Status::Pass } else { Status::Fail }));
                }
                let r = &mut self.out.rows;
                let row = BuildRow {
                    id: id_hash(id),
                    checkout: checkout.map_or(NO_ID, id_hash),
                    arch: r.sym(arch),
                    config: r.sym(config),
                    compiler: r.sym(compiler),
                    start,
                    status: st,
                };
                r.builds.push(row);
                r.build_index.push(index as u32);
                *self.out.accepted.entry("builds").or_default() += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn test(
        &mut self,
        index: usize,
        id: &str,
        build: Option<&str>,
        path: Option<&str>,
        status: Option<&str>,
        start_time: Option<&str>,
        platform: Option<&str>,
        lab: Option<&str>,
        log_url: Option<&LogText>,
        excerpt: Option<&LogText>,
    ) {
        match check(&mut self.times, id, start_time, status) {
            Err(e) => self.reject("tests", index, id, e),
            Ok((start, st)) => {
                // URLs are short and shown for every run of a history strip: decoded now.
                // A failing run's id is kept whole for KCIDB's incidents (`api/v1/kcidb.json`).
                let (url, excerpt, kcidb_id) = match keeps_detail(st) {
                    true => (
                        log_url.map(owned),
                        excerpt.map(|l| self.keep(l)),
                        (st == 1).then(|| id.into()),
                    ),
                    false => (None, None, None),
                };
                let r = &mut self.out.rows;
                let row = TestRow {
                    id: id_hash(id),
                    build: self.builds.hash(build),
                    path: r.sym(path),
                    status: st,
                    start,
                    platform: self.platforms.sym(r, platform),
                    lab: self.labs.sym(r, lab),
                    detail: r.detail(url, excerpt, kcidb_id),
                };
                // Rows are numbered like their objects until one is refused; from then on
                // each row records its object's index (see `FileRows::test_index`).
                if !r.test_index.is_empty() || r.tests.len() != index {
                    if r.test_index.is_empty() {
                        r.test_index = (0..r.tests.len() as u32).collect();
                    }
                    r.test_index.push(index as u32);
                }
                r.tests.push(row);
                self.accepted_tests += 1;
            }
        }
    }
}

fn raw<'a>(s: &'a StrField<'_>) -> Option<&'a str> {
    s.as_ref().map(|s| &*s.0)
}

fn nonempty<'a>(s: &'a StrField<'_>) -> Option<&'a str> {
    raw(s).filter(|s| !s.is_empty())
}

/// A log string decoded.
fn owned(log: &LogText) -> Text {
    match *log {
        LogText::Text(ref s) => Text::Owned((**s).into()),
        LogText::Json {
            raw,
            escaped: false,
        } => Text::Owned(raw.into()),
        LogText::Json { raw, escaped: true } => Text::Owned(
            crate::json::unescape(raw)
                .unwrap_or_default()
                .into_boxed_str(),
        ),
    }
}

fn nonempty_log<'a, 'b>(l: &'b Log<'a>) -> Option<&'b LogText<'a>> {
    l.as_ref().filter(|l| match l {
        LogText::Text(s) => !s.is_empty(),
        LogText::Json { raw, .. } => !raw.is_empty(),
    })
}

/// A fast path: `read` streams the document's tests into the rows and returns the rest of it,
/// or `None` when the document does not fit its shape (then no rows are kept).
pub(crate) fn fast_with<'t>(
    file: &str,
    text: &'t str,
    kept: bool,
    read: impl FnOnce(&mut Rows) -> Option<FastDoc<'t>>,
) -> Option<FileResult> {
    let mut out = FileResult {
        file: file.to_string(),
        ..Default::default()
    };
    out.rows.reserve_for_text(text.len());
    let mut rows = Rows::new(&mut out, kept.then_some(text));
    let doc =
        read(&mut rows).filter(|doc| doc.major.is_some_and(|m| SUPPORTED_MAJOR.contains(&m)))?;
    for (i, c) in doc.checkouts.iter().enumerate() {
        rows.checkout(
            i,
            &c.id,
            nonempty(&c.origin),
            nonempty(&c.tree_name),
            nonempty(&c.git_repository_url),
            nonempty(&c.git_repository_branch),
            nonempty(&c.git_commit_hash),
            nonempty(&c.git_commit_name),
            raw(&c.start_time),
        );
    }
    for (i, b) in doc.builds.iter().enumerate() {
        rows.build(
            i,
            &b.id,
            nonempty(&b.checkout_id),
            nonempty(&b.architecture),
            nonempty(&b.config_name),
            nonempty(&b.compiler),
            raw(&b.start_time),
            raw(&b.status),
            b.valid,
        );
    }
    rows.done();
    out.seen.insert("checkouts", doc.checkouts.len());
    out.seen.insert("builds", doc.builds.len());
    out.seen.insert("tests", doc.tests);
    out.seen.insert("issues", doc.issues.len());
    out.seen.insert("incidents", doc.incidents.len());
    out.seen.retain(|_, n| *n > 0);
    accept_small(&mut out, doc.issues, doc.incidents);
    out.rows.canonicalize();
    sort_diagnostics(&mut out.diagnostics);
    Some(out)
}

/// Whole-document problems first (in the order found), then bad objects by kind and index,
/// whatever order the document wrote its arrays in.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| match &d.location {
        Location::Object { kind, index, .. } => {
            let rank = ["checkouts", "builds", "tests", "issues", "incidents"]
                .iter()
                .position(|k| k == kind)
                .unwrap_or(5);
            (1, rank, *index)
        }
        _ => (0, 0, 0),
    });
}

/// Issues and incidents are few: they stay full objects. One without an id is refused, as
/// the lenient path refuses it.
fn accept_small(out: &mut FileResult, issues: Vec<Issue>, incidents: Vec<Incident>) {
    fn refuse(out: &mut FileResult, kind: &'static str, index: usize) {
        let d = Diagnostic::new(
            &out.file,
            Location::Object {
                kind,
                index,
                id: None,
            },
            RejectReason::Malformed,
            "empty `id`",
        );
        out.diagnostics.push(d);
    }
    for (index, i) in issues.into_iter().enumerate() {
        if i.id.is_empty() {
            refuse(out, "issues", index);
            continue;
        }
        *out.accepted.entry("issues").or_default() += 1;
        out.issues.push(i);
    }
    for (index, i) in incidents.into_iter().enumerate() {
        if i.id.is_empty() {
            refuse(out, "incidents", index);
            continue;
        }
        *out.accepted.entry("incidents").or_default() += 1;
        out.incidents.push(i);
    }
}

/// Rows from objects already parsed (the lenient path, and other formats via their context).
pub fn from_parsed(pf: ParsedFile) -> FileResult {
    let mut out = FileResult {
        file: pf.file.clone(),
        diagnostics: pf.diagnostics,
        seen: pf.seen,
        ..Default::default()
    };
    out.seen.retain(|_, n| *n > 0);
    let mut rows = Rows::new(&mut out, None);
    fn s(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|s| !s.is_empty())
    }
    for (i, c) in pf.checkouts.iter().enumerate() {
        let Checkout {
            id,
            origin,
            tree_name,
            git_repository_url,
            git_repository_branch,
            git_commit_hash,
            git_commit_name,
            start_time,
        } = c;
        rows.checkout(
            i,
            id,
            s(origin),
            s(tree_name),
            s(git_repository_url),
            s(git_repository_branch),
            s(git_commit_hash),
            s(git_commit_name),
            start_time.as_deref(),
        );
    }
    for (i, b) in pf.builds.iter().enumerate() {
        let Build {
            id,
            checkout_id,
            architecture,
            config_name,
            compiler,
            start_time,
            status,
            valid,
            ..
        } = b;
        rows.build(
            i,
            id,
            s(checkout_id),
            s(architecture),
            s(config_name),
            s(compiler),
            start_time.as_deref(),
            status.as_deref(),
            *valid,
        );
    }
    for (i, t) in pf.tests.iter().enumerate() {
        let Test {
            id,
            build_id,
            path,
            status,
            start_time,
            log_url,
            log_excerpt,
            ..
        } = t;
        let platform = t.platform();
        let lab = t.lab();
        rows.test(
            i,
            id,
            s(build_id),
            s(path),
            status.as_deref(),
            start_time.as_deref(),
            platform.as_deref(),
            lab.as_deref(),
            s(log_url).map(|s| LogText::Text(Cow::Borrowed(s))).as_ref(),
            s(log_excerpt)
                .map(|s| LogText::Text(Cow::Borrowed(s)))
                .as_ref(),
        );
    }
    rows.done();
    accept_small(&mut out, pf.issues, pf.incidents);
    out.rows.canonicalize();
    sort_diagnostics(&mut out.diagnostics);
    out
}
