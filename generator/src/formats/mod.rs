//! Result files that are not KCIDB JSON: KTAP/TAP (KUnit, kselftest), JUnit/xunit XML
//! (xfstests), LTP kirk `results.json` and TuxRun/TuxSuite `results.json`.
//!
//! Every parser turns one file into [`ResultRecord`]s named in regtrack's dotted test
//! namespace (the one KCIDB paths use: `kunit.…`, `kselftest.…`, `ltp.…`, `xfstests.…`), so
//! results from these files line up with what CI systems already submit to KCIDB.
//!
//! Parsers never panic and never give up on the whole file because of one bad spot: what
//! can be read is returned, and every problem is a [`FormatError`] that says where, why and
//! how many results it cost, so `results.len()` plus the errors' `records` accounts for every
//! result the file holds (see [`FormatOutput::expected`]).
//!
//! Paths: each name is cut into segments that keep only `[A-Za-z0-9_-]` (anything else
//! becomes `_`, runs of `_` collapse, at most [`SEGMENT_MAX`] bytes), joined with `.`. A path
//! seen twice in one file gets `_dup2`, `_dup3`… on its last segment (the suffix LAVA's test
//! definitions use), so every record of a file has its own path.

pub mod junit;
pub mod kirk;
pub mod ktap;
pub mod tuxrun;

use crate::model::Status;
use std::collections::{HashMap, HashSet};

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

/// The formats [`parse`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Ktap,
    Junit,
    Kirk,
    Tuxrun,
}

impl Format {
    /// The name used in [`FormatOutput::format`].
    pub fn name(self) -> &'static str {
        match self {
            Format::Ktap => "ktap",
            Format::Junit => "junit",
            Format::Kirk => "kirk",
            Format::Tuxrun => "tuxrun",
        }
    }
}

/// Detects the format from the file name and its first few KiB (`None` = not a results file
/// we know). KCIDB JSON gives `None`: the caller reads it with the KCIDB reader.
///
/// Content decides first: JSON with a `test_fqn` key is kirk, a JSON object of objects with
/// `"result"` strings is TuxRun (unless it looks like KCIDB: a `version` object with `major`,
/// or `checkouts`/`builds`/`tests` arrays), XML with a `<testsuite>`/`<testsuites>` element is
/// JUnit, and a `KTAP version N` / `TAP version N` line is KTAP. A serial console often starts
/// its KTAP far beyond the head, so a `.log`/`.txt` file whose name says `kselftest`, `kunit`
/// or `ktap` is KTAP too, as is any `.tap`/`.ktap` file.
pub fn detect(file_name: &str, head: &str) -> Option<Format> {
    let head = head.trim_start_matches('\u{feff}');
    let body = head.trim_start();
    let lower_name = file_name.to_ascii_lowercase();
    let base = lower_name.trim_end_matches(".gz");
    if body.starts_with('{') {
        if looks_like_kcidb(body) {
            return None;
        }
        if body.contains("\"test_fqn\"") {
            return Some(Format::Kirk);
        }
        if tuxrun::looks_like(body) {
            return Some(Format::Tuxrun);
        }
        return None;
    }
    if body.starts_with('<') && junit::looks_like(body) {
        return Some(Format::Junit);
    }
    if ktap::has_version_line(head) {
        return Some(Format::Ktap);
    }
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if matches!(ext, "tap" | "ktap") {
        return Some(Format::Ktap);
    }
    if matches!(ext, "log" | "txt")
        && ["kselftest", "kunit", "ktap"]
            .iter()
            .any(|w| base.contains(w))
    {
        return Some(Format::Ktap);
    }
    None
}

/// KCIDB documents: a `version` object with `major`, or the top-level object arrays.
fn looks_like_kcidb(body: &str) -> bool {
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    (compact.contains("\"version\":{") && compact.contains("\"major\""))
        || ["checkouts", "builds", "tests", "issues", "incidents"]
            .iter()
            .any(|k| compact.contains(&format!("\"{k}\":[")))
}

/// Parses `text` as `format`. `suite_prefix` replaces the format's first path segment
/// (`kunit`/`kselftest`, `junit`/`xfstests`, `ltp`, or TuxRun's suite mapping).
pub fn parse(format: Format, text: &str, suite_prefix: Option<&str>) -> FormatOutput {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let prefix = suite_prefix.map(str::trim).filter(|p| !p.is_empty());
    match format {
        Format::Ktap => ktap::parse(text, prefix),
        Format::Junit => junit::parse(text, prefix),
        Format::Kirk => kirk::parse(text, prefix),
        Format::Tuxrun => tuxrun::parse(text, prefix),
    }
}

/// One path segment: `[A-Za-z0-9_-]` kept, anything else `_`, runs collapsed, ends trimmed.
pub(crate) fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(SEGMENT_MAX));
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '_'
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        if out.len() >= SEGMENT_MAX {
            break;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// A dotted prefix given by the caller (`a.b`), each part sanitised.
pub(crate) fn prefix_segments(prefix: &str) -> Vec<String> {
    prefix
        .split('.')
        .map(segment)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Hands out unique paths: the second `a.b` becomes `a.b_dup2`.
#[derive(Default)]
pub(crate) struct PathSet {
    used: HashSet<String>,
    /// Next suffix to try per path, so a file of identical names stays linear.
    next: HashMap<String, usize>,
}

impl PathSet {
    /// `segments` joined with `.`, empty segments dropped, made unique in this file.
    pub(crate) fn unique(&mut self, segments: &[String]) -> String {
        let path = segments
            .iter()
            .filter(|s| !s.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(".");
        let path = if path.is_empty() {
            "unnamed".to_string()
        } else {
            path
        };
        if self.used.insert(path.clone()) {
            return path;
        }
        let n = self.next.entry(path.clone()).or_insert(2);
        loop {
            let candidate = format!("{path}_dup{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The last [`EXCERPT_MAX`] bytes of `text`, cut at a line start when one is near; `None`
/// when there is nothing but whitespace.
pub(crate) fn excerpt(text: &str) -> Option<String> {
    let text = text.trim_matches(|c: char| c == '\n' || c == '\r');
    if text.trim().is_empty() {
        return None;
    }
    if text.len() <= EXCERPT_MAX {
        return Some(text.to_string());
    }
    const MARK: &str = "[…]\n";
    let mut start = text.len() - (EXCERPT_MAX - MARK.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let tail = &text[start..];
    let near = &tail.as_bytes()[..tail.len().min(1024)];
    let tail = match near.iter().position(|&b| b == b'\n') {
        Some(nl) => &tail[nl + 1..],
        None => tail,
    };
    Some(format!("{MARK}{tail}"))
}

/// A growing text that keeps only about its last `2 × max` bytes, so a noisy console cannot
/// make a parser hold more than a bounded amount per test.
#[derive(Debug, Clone, Default)]
pub(crate) struct TailBuf {
    text: String,
}

impl TailBuf {
    pub(crate) fn push_line(&mut self, line: &str) {
        let line = if line.len() > EXCERPT_MAX {
            let mut s = line.len() - EXCERPT_MAX;
            while !line.is_char_boundary(s) {
                s += 1;
            }
            &line[s..]
        } else {
            line
        };
        self.text.push_str(line);
        self.text.push('\n');
        if self.text.len() > 2 * EXCERPT_MAX {
            let mut cut = self.text.len() - EXCERPT_MAX;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            self.text.drain(..cut);
        }
    }

    pub(crate) fn append(&mut self, other: TailBuf) {
        for line in other.text.lines() {
            self.push_line(line);
        }
    }

    pub(crate) fn take(&mut self) -> TailBuf {
        std::mem::take(self)
    }

    pub(crate) fn excerpt(&self) -> Option<String> {
        excerpt(&self.text)
    }
}

/// Maps byte offsets of one text to 1-based line and column (column in characters).
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// Line of byte `offset` (clamped to the text).
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
    }

    /// Line and column of byte `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// Byte offset of a 1-based line and column (as serde_json reports them).
    pub(crate) fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let col = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        start + col
    }

    /// Byte offset of `inner` if it is a slice of this text.
    pub(crate) fn offset_of(&self, inner: &str) -> Option<usize> {
        let base = self.text.as_ptr() as usize;
        let p = inner.as_ptr() as usize;
        (p >= base && p + inner.len() <= base + self.text.len()).then(|| p - base)
    }
}

/// `s` when it is an RFC 3339 date-time (`2024-01-31T10:00:00[.123](Z|±hh:mm)`, a space for
/// the `T` accepted and normalised); `None` otherwise, notably for times without a zone.
pub(crate) fn rfc3339(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let ok_date = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !ok_date {
        return None;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let zone = &b[i..];
    let zone_ok = matches!(zone, [b'Z'] | [b'z'])
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[1..3].iter().all(u8::is_ascii_digit)
            && zone[3] == b':'
            && zone[4..6].iter().all(u8::is_ascii_digit));
    zone_ok.then(|| {
        let mut out = s.to_string();
        out.replace_range(10..11, "T");
        out
    })
}

/// JSON helpers: keep what was read before a syntax error (truncated uploads are common), as
/// raw slices of the input, so every value's position is known.
pub(crate) mod json {
    use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
    use serde_json::value::RawValue;
    use std::fmt;

    /// Collects the raw elements of a JSON array into `out`, keeping them on error.
    pub(crate) struct SeqInto<'o, 'a>(pub &'o mut Vec<&'a RawValue>);

    impl<'de, 'o> DeserializeSeed<'de> for SeqInto<'o, 'de> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de, 'o> Visitor<'de> for SeqInto<'o, 'de> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(v) = seq.next_element::<&'de RawValue>()? {
                self.0.push(v);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_unique_paths() {
        assert_eq!(
            segment("file.S_IFLNK.exec_errno"),
            "file_S_IFLNK_exec_errno"
        );
        assert_eq!(segment("  a  b:c  "), "a_b_c");
        assert_eq!(segment("..."), "");
        let mut p = PathSet::default();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(p.unique(&s(&["a", "b"])), "a.b");
        assert_eq!(p.unique(&s(&["a", "b"])), "a.b_dup2");
        assert_eq!(p.unique(&s(&["a", "", "b"])), "a.b_dup3");
    }

    #[test]
    fn excerpt_keeps_the_tail() {
        let long = "x\n".repeat(EXCERPT_MAX);
        let e = excerpt(&format!("first\n{long}last")).unwrap();
        assert!(e.len() <= EXCERPT_MAX && e.ends_with("last") && !e.contains("first"));
        let wide = "é".repeat(EXCERPT_MAX);
        assert!(excerpt(&wide).unwrap().len() <= EXCERPT_MAX);
        assert_eq!(excerpt(" \n "), None);
    }

    #[test]
    fn rfc3339_only_with_zone() {
        assert_eq!(
            rfc3339("2026-08-05 03:28:30+00:00").as_deref(),
            Some("2026-08-05T03:28:30+00:00")
        );
        assert!(rfc3339("2026-08-05T03:28:30.5Z").is_some());
        assert_eq!(rfc3339("2026-08-05T03:28:30"), None);
        assert_eq!(rfc3339("garbage"), None);
    }

    #[test]
    fn line_index() {
        let t = "ab\ncd\n\né";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(0), (1, 1));
        assert_eq!(ix.line_col(4), (2, 2));
        assert_eq!(ix.line_col(7), (4, 1));
        assert_eq!(ix.offset(2, 2), 4);
    }

    #[test]
    fn detect_by_content_and_name() {
        assert_eq!(
            detect("x.json", r#"{"version":{"major":5},"tests":[]}"#),
            None
        );
        assert_eq!(
            detect("results.json", r#"{"results":[{"test_fqn":"a"}]}"#),
            Some(Format::Kirk)
        );
        assert_eq!(
            detect("results.json", r#"{"lava":{"job":{"result":"pass"}}}"#),
            Some(Format::Tuxrun)
        );
        assert_eq!(
            detect("r.xml", "<?xml version=\"1.0\"?>\n<testsuite name=\"x\">"),
            Some(Format::Junit)
        );
        assert_eq!(
            detect("a.xsd", "<?xml version=\"1.0\"?>\n<xs:schema>"),
            None
        );
        assert_eq!(
            detect("boot.log", "[    0.1] TAP version 14\n"),
            Some(Format::Ktap)
        );
        assert_eq!(
            detect("lava-kselftest-exec.log", "Booting Linux"),
            Some(Format::Ktap)
        );
        assert_eq!(detect("boot.log", "Booting Linux"), None);
        assert_eq!(
            detect("dmesg", "<6>[    0.1] KTAP version 1\n"),
            Some(Format::Ktap)
        );
    }
}
