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
mod raw_json;
pub mod record;
pub mod text;
pub mod tuxrun;

pub use record::{EXCERPT_MAX, FormatError, FormatOutput, ResultRecord, SEGMENT_MAX};

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

#[cfg(test)]
mod tests {
    use super::text::*;
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
