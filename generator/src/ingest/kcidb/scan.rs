//! The first KCIDB fast path: a document read with [`Cursor`] instead of serde_json.
//!
//! Tests are nearly all of a month's input, so their objects are read field by field straight
//! from the bytes and streamed into rows; the small arrays (version, checkouts, builds, issues,
//! incidents) are checked by the cursor and handed to serde_json as sub-documents. It takes
//! exactly what serde_json's fast path ([`super::serde_path`]) takes and gives the same rows:
//! anything else (an unknown top-level key, a repeated field, a value of another type, or
//! whatever the cursor is not sure of) returns `None`, and that path decides.

use super::fields::{
    FastDoc, FastEnv, FastMisc, FastTest, FastVersion, Log, LogText, StrField, StrValue,
};
use super::rows::{FileResult, Rows, fast_with};
use crate::json::{Cursor, Scan};

/// Reads a whole document; `None` when it is not the fast shape.
/// With `kept`, the text is its file's, byte for byte, and failing runs' excerpts are kept as
/// places in the file.
pub fn parse(file: &str, text: &str, kept: bool) -> Option<FileResult> {
    fast_with(file, text, kept, |rows| {
        document(&mut Cursor::new(text), rows)
    })
}

fn document<'a>(c: &mut Cursor<'a>, rows: &mut Rows) -> Scan<FastDoc<'a>> {
    let mut doc = FastDoc::default();
    let mut seen = 0u8;
    c.object(|c, key| {
        let bit = match key {
            "version" => 1,
            "checkouts" => 2,
            "builds" => 4,
            "tests" => 8,
            "issues" => 16,
            "incidents" => 32,
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match key {
            "tests" => doc.tests = tests(c, rows)?,
            "version" => doc.major = Some(sub::<FastVersion>(c)?.major),
            "checkouts" => doc.checkouts = sub(c)?,
            "builds" => doc.builds = sub(c)?,
            "issues" => doc.issues = sub(c)?,
            _ => doc.incidents = sub(c)?,
        }
        Some(())
    })?;
    c.at_end().then_some(doc)
}

/// A small value checked by the cursor, then read by serde_json.
fn sub<'a, T: serde::Deserialize<'a>>(c: &mut Cursor<'a>) -> Scan<T> {
    serde_json::from_str(c.value_slice()?).ok()
}

/// The `tests` array, each object turned into a row as soon as it is read.
fn tests(c: &mut Cursor, rows: &mut Rows) -> Scan<usize> {
    let mut n = 0;
    // One test object, reused: it is hundreds of bytes, too many to move per test.
    let mut t = FastTest::default();
    c.array(|c| {
        test(c, &mut t)?;
        rows.fast_test(n, &t);
        n += 1;
        Some(())
    })?;
    Some(n)
}

/// Marks field `bit` read; a repeated field is not the fast shape.
fn once(seen: &mut u32, bit: u32) -> Scan<()> {
    let first = *seen & bit == 0;
    *seen |= bit;
    first.then_some(())
}

/// A string field: a string or null.
fn str_or_null<'a>(c: &mut Cursor<'a>) -> Scan<StrField<'a>> {
    if c.null()? {
        return Some(None);
    }
    c.string().map(|s| Some(StrValue(s)))
}

/// A test object into `t`: the fields [`FastTest`] reads, anything else skipped; `id`
/// required.
fn test<'a>(c: &mut Cursor<'a>, t: &mut FastTest<'a>) -> Scan<()> {
    *t = FastTest::default();
    let mut seen = 0u32;
    c.object(|c, key| {
        let (bit, slot) = match key {
            "id" => (1, &mut t.id),
            "build_id" => (2, &mut t.build_id),
            "path" => (4, &mut t.path),
            "status" => (8, &mut t.status),
            "start_time" => (16, &mut t.start_time),
            "environment" => {
                once(&mut seen, 128)?;
                t.environment = optional(c, environment)?;
                return Some(());
            }
            "misc" => {
                once(&mut seen, 256)?;
                t.misc = optional(c, misc)?;
                return Some(());
            }
            "log_url" => {
                once(&mut seen, 32)?;
                t.log_url = log_text(c)?;
                return Some(());
            }
            "log_excerpt" => {
                once(&mut seen, 64)?;
                t.log_excerpt = log_text(c)?;
                return Some(());
            }
            _ => return c.skip_value(),
        };
        once(&mut seen, bit)?;
        *slot = str_or_null(c)?;
        Some(())
    })?;
    t.id.is_some().then_some(())
}

/// A log string or null, as written (decoded only if it is shown).
fn log_text<'a>(c: &mut Cursor<'a>) -> Scan<Log<'a>> {
    if c.null()? {
        return Some(None);
    }
    let (raw, escaped) = c.raw_string()?;
    Some(Some(LogText::Json { raw, escaped }))
}

/// An object or null.
fn optional<'a, T>(c: &mut Cursor<'a>, read: fn(&mut Cursor<'a>) -> Scan<T>) -> Scan<Option<T>> {
    if c.null()? {
        return Some(None);
    }
    read(c).map(Some)
}

fn environment<'a>(c: &mut Cursor<'a>) -> Scan<FastEnv<'a>> {
    let mut e = FastEnv::default();
    let mut seen = 0u32;
    c.object(|c, key| match key {
        "compatible" => {
            once(&mut seen, 1)?;
            e.compatible = first_string(c)?;
            Some(())
        }
        "misc" => {
            once(&mut seen, 2)?;
            e.misc = optional(c, misc)?;
            Some(())
        }
        _ => c.skip_value(),
    })?;
    Some(e)
}

/// The first element of an array of strings (every element must be a string), or null.
fn first_string<'a>(c: &mut Cursor<'a>) -> Scan<StrField<'a>> {
    if c.null()? {
        return Some(None);
    }
    let mut first = None;
    c.array(|c| {
        let s = c.string()?;
        if first.is_none() {
            first = Some(StrValue(s));
        }
        Some(())
    })?;
    Some(first)
}

fn misc<'a>(c: &mut Cursor<'a>) -> Scan<FastMisc<'a>> {
    let mut m = FastMisc::default();
    let mut seen = 0u32;
    c.object(|c, key| {
        let (bit, slot) = match key {
            "platform" => (1, &mut m.platform),
            "lab" => (2, &mut m.lab),
            "runtime" => (4, &mut m.runtime),
            _ => return c.skip_value(),
        };
        once(&mut seen, bit)?;
        *slot = lenient(c)?;
        Some(())
    })?;
    Some(m)
}

/// A free-form `misc` value: strings are kept, anything else is "unknown". Numbers serde_json
/// would have to convert (and could find out of range) are left to it.
fn lenient<'a>(c: &mut Cursor<'a>) -> Scan<StrField<'a>> {
    match c.peek()? {
        b'"' => c.string().map(|s| Some(StrValue(s))),
        b'-' | b'0'..=b'9' => c.skip_small_integer().map(|()| None),
        _ => c.skip_value().map(|()| None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::kcidb::parse_without_scanner;

    /// The scanner, when it takes a document, gives the bytes serde_json's paths give.
    fn same(doc: &str) -> bool {
        let Some(ours) = parse("f.json", doc, false) else {
            return false;
        };
        let theirs = parse_without_scanner("f.json", doc);
        assert_eq!(ours.mismatch(&theirs), None, "{doc}");
        true
    }

    fn doc(test: &str) -> String {
        format!(r#"{{"version": {{"major": 5, "minor": 3}}, "tests": [{test}]}}"#)
    }

    #[test]
    fn the_usual_shapes_are_taken_and_read_alike() {
        let usual = r#"{"id": "o:t1", "build_id": "o:b1", "origin": "o", "path": "a/b",
            "status": "FAIL", "start_time": "2026-11-20T03:34:45.661525+00:00",
            "environment": {"compatible": ["x", "y"], "misc": {"platform": "rk3399",
            "board_rev": 2}}, "misc": {"runtime": 3, "lab": "l"}, "number": {"value": -1.5e3},
            "log_url": "https://l/1", "log_excerpt": "BUG: \"x\"\n\tat \u00e9\/", "waived": false,
            "output_files": [{"name": "a", "url": "u"}], "extra": null}"#;
        assert!(same(&doc(usual)));
        assert!(same(&doc(&[usual; 3].join(","))));
        assert!(same(&doc(
            r#"{"id": "o:t", "environment": null, "misc": null,
            "path": null}"#
        )));
        assert!(same(&doc(
            r#"{"id": "o:t", "environment": {"compatible": null,
            "misc": {"platform": ["a"], "lab": {"x": 1}, "runtime": true}}}"#
        )));
        assert!(same(&doc(
            r#"{"id": "o:t", "environment": {"compatible": []}}"#
        )));
        assert!(same(&doc(
            r#"{"id": "", "status": "SOMETIMES", "start_time": "soon"}"#
        )));
        assert!(same(
            r#"{"version": {"major": 4}, "checkouts": [{"id": "o:c",
            "git_commit_hash": "abc", "start_time": "2026-11-20T00:00:00Z"}],
            "builds": [{"id": "o:b", "checkout_id": "o:c", "valid": true}], "tests": [],
            "issues": [{"id": "o:i", "version": 1}],
            "incidents": [{"id": "o:n", "issue_id": "o:i", "present": true}]}"#
        ));
        assert!(same(" {\"tests\":[],\"version\":{\"major\":5}} \n"));
    }

    #[test]
    fn anything_else_is_left_to_serde_json() {
        for odd in crate::ingest::kcidb::tests::ODD_TESTS.iter().chain(&[
            r#"{"id": "o:t1", "environment": {"compatible": "x"}}"#,
            r#"{"id": "o:t1", "environment": {"compatible": ["x", null]}}"#,
            r#"{"id": "o:t1", "misc": {"lab": 1e999}}"#,
            r#"{"id": "o:t1", "misc": {"lab": 18446744073709551616}}"#,
            r#"{"id": "o:t1", "p\u0061th": "x"}"#,
            r#"{"id": "o:t1", "path": "\ud83d\ude00"}"#,
            r#"{"id": "o:t1", "x": 01}"#,
            r#"{"id": "o:t1",}"#,
        ]) {
            assert!(parse("f.json", &doc(odd), false).is_none(), "{odd}");
        }
        for odd in [
            r#"{"version": {"major": 3}, "tests": []}"#,
            r#"{"version": {"major": 5}, "tests": [], "tests": []}"#,
            r#"{"version": {"major": 5}, "issue": []}"#,
            r#"{"version": {"major": 5}, "tests": null}"#,
            r#"{"version": {"major": 5}, "checkouts": null}"#,
            r#"{"version": {"major": 5}} x"#,
            r#"{"tests": []}"#,
        ] {
            assert!(parse("f.json", odd, false).is_none(), "{odd}");
        }
    }
}
