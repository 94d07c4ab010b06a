//! One file to rows: KCIDB through [`super::kcidb`], every other format through
//! [`super::formats`] and its [`super::run_context`], the cache in front of both.

use super::cache::Cache;
use super::discover::Found;
use super::formats;
use super::kcidb::{self, FileResult, ParsedFile};
use super::read::Buffers;
use super::run_context::{self, RunContext};
use crate::diag::{Diagnostic, Location, RejectReason};

/// What one file yielded, and its format; `None` for a file that is not results (a README,
/// a build log...): looked at, not counted.
pub(super) type Parsed = Option<(FileResult, &'static str)>;

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
    ctx: &Result<RunContext, String>,
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
            let (c, b, tests) = run_context::to_kcidb(ctx, name, &out);
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
pub(super) const CACHED: &str = "kcidb (cached)";

/// [`parse_file`] through the cache: KCIDB files whose fingerprint is known are not read.
pub(super) fn parse_cached(
    f: &Found,
    ctx: &Result<RunContext, String>,
    cache: Option<&Cache>,
    max_file_bytes: u64,
    buffers: &Buffers,
) -> Parsed {
    let name = f.path.display().to_string();
    let kcidb_name = f
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.trim_end_matches(".gz").ends_with(".json"));
    let cache = cache.filter(|_| kcidb_name && f.listed.is_ok());
    let fp = cache.and_then(|_| super::cache::Fingerprint::of(&f.path));
    if let (Some(cache), Some(fp)) = (cache, &fp) {
        match cache.get(&f.path, &name, fp) {
            Ok(Some(mut hit)) => {
                // Excerpts read from a plain file point into it.
                hit.source = Some(f.path.clone());
                return Some((hit, CACHED));
            }
            Ok(None) => {}
            Err(bad) => eprintln!(
                "warning: cache entry {} for {name} is corrupt ({}); not trusted, {name} is parsed again and the entry rewritten",
                bad.entry.display(),
                bad.reason
            ),
        }
    }
    let parsed = parse_file(f, ctx, max_file_bytes, buffers);
    if let (Some(cache), Some(fp), Some((r, "kcidb"))) = (cache, fp, &parsed) {
        cache.put(&f.path, fp, r);
    }
    parsed
}

/// Reads and parses one file (KCIDB or another format).
fn parse_file(
    f: &Found,
    ctx: &Result<RunContext, String>,
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
    ctx: &Result<RunContext, String>,
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
            Some((kcidb::from_parsed(pf), format.name()))
        }
        None if file_name.trim_end_matches(".gz").ends_with(".json") => {
            let mut r = match plain {
                true => kcidb::parse_kept(&name, text),
                false => kcidb::parse(&name, text),
            };
            r.source = plain.then(|| f.path.clone());
            Some((r, "kcidb"))
        }
        None => None,
    }
}
