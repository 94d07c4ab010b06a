//! JUnit / xunit XML: `<testsuites>`/`<testsuite>`/`<testcase classname name time>` with
//! `<failure>`, `<error>`, `<skipped>`, `<system-out>`, `<system-err>`, `<properties>`.
//!
//! Read with a streaming reader and no schema: xfstests' report does not validate against its
//! own xsd, and other producers add their own elements, which are ignored.
//!
//! - Status: `<failure>` → FAIL; `<error>` (the test itself blew up) → ERROR; `<skipped>` →
//!   SKIP; nothing → PASS. Failure beats error beats skipped.
//! - Paths: an xfstests report (a suite named `xfstests`, or `xfstests.*` class names) gives
//!   `xfstests.<config>.<name>` with `/` as separator, where the configuration is the suite's
//!   `SECTION` property (unless `-no-sections-`), else its `FSTYP`: `generic/001` run on btrfs
//!   → `xfstests.btrfs.generic.001`, so runs on ext4 and btrfs are different series; without
//!   either property, `xfstests.<name>`. Anything
//!   else gives `junit.<suites…>.<classname…>.<name>`: suite and class names split on `.` and
//!   `/`, the suites left out when the class name already starts with the innermost suite
//!   name (Maven, pytest), the test name one segment.
//! - Excerpt: failure/error/skipped message and text, then system-out and system-err.
//! - Start time: the test case's `timestamp`, else its suite's `start_timestamp` or
//!   `timestamp`, when it is RFC 3339 with a zone (JUnit often writes local times without
//!   one: those are dropped rather than guessed).
//! - Accounting: `expected` is the root's `tests` (for `<testsuites>` without it, the sum of
//!   its suites'); mismatches of `tests`, `failures`, `errors`, `skipped` against what was
//!   read are reported. A syntax error or truncation keeps the test cases read before it and
//!   counts the rest (from the root's `tests`, else the `<testcase` tags left) as lost.

use super::record::{FormatError, FormatOutput, ResultRecord};
use super::text::{LineIndex, PathSet, TailBuf, prefix_segments, rfc3339, segment};
use crate::model::Status;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Elements nested deeper than this stop the reading (reported): guards against hostile input.
const MAX_DEPTH: usize = 256;

/// Whether `body` (a document's start) has a `<testsuite>` or `<testsuites>` element.
pub(crate) fn looks_like(body: &str) -> bool {
    body.match_indices("<testsuite").any(|(i, _)| {
        let rest = &body[i + "<testsuite".len()..];
        let rest = rest.strip_prefix('s').unwrap_or(rest);
        rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
    })
}

/// Parses a JUnit/xunit document.
pub fn parse(text: &str, suite_prefix: Option<&str>) -> FormatOutput {
    let mut p = JunitParser {
        ix: LineIndex::new(text),
        stack: Vec::new(),
        suites: Vec::new(),
        case: None,
        capture: None,
        cases: Vec::new(),
        root: None,
        suites_sum: Claimed::default(),
        root_is_suites: false,
        xfstests: false,
        errors: Vec::new(),
        broken_at: None,
    };
    p.run(text);
    p.finish(text, suite_prefix)
}

/// Counts a report claims.
#[derive(Debug, Default, Clone, Copy)]
struct Claimed {
    tests: Option<usize>,
    failures: Option<usize>,
    errors: Option<usize>,
    skipped: Option<usize>,
}

impl Claimed {
    fn from(e: &BytesStart<'_>) -> Claimed {
        let n = |k: &str| attr(e, k).and_then(|v| v.trim().parse::<usize>().ok());
        Claimed {
            tests: n("tests"),
            failures: n("failures"),
            errors: n("errors"),
            skipped: n("skipped").or_else(|| n("skip")),
        }
    }

    fn add(&mut self, o: &Claimed) {
        let sum = |a: Option<usize>, b: Option<usize>| Some(a.unwrap_or(0).saturating_add(b?));
        self.tests = sum(self.tests, o.tests);
        self.failures = sum(self.failures, o.failures);
        self.errors = sum(self.errors, o.errors);
        self.skipped = sum(self.skipped, o.skipped);
    }
}

#[derive(Debug)]
struct Suite {
    name: String,
    start: Option<String>,
    /// xfstests' `SECTION` and `FSTYP` properties.
    section: Option<String>,
    fstyp: Option<String>,
    /// The first of its test cases in `cases` (properties may come before or after them).
    first_case: usize,
}

#[derive(Debug, Default)]
struct Case {
    name: String,
    classname: String,
    time: Option<f64>,
    start: Option<String>,
    line: usize,
    failure: bool,
    error: bool,
    skipped: bool,
    log: TailBuf,
    text: String,
    /// Depth (in the element stack) of the test case element.
    depth: usize,
}

struct JunitParser<'a> {
    ix: LineIndex<'a>,
    stack: Vec<String>,
    suites: Vec<Suite>,
    case: Option<Case>,
    /// Depth of the element whose text goes to the open test case's log.
    capture: Option<usize>,
    cases: Vec<Finished>,
    root: Option<Claimed>,
    /// Σ of the top-level suites' claims, for a `<testsuites>` root without its own.
    suites_sum: Claimed,
    root_is_suites: bool,
    xfstests: bool,
    errors: Vec<FormatError>,
    /// Byte offset of a syntax error or truncation, if reading stopped early.
    broken_at: Option<usize>,
}

#[derive(Debug)]
struct Finished {
    /// xfstests configuration (section, else file system type) of its suite.
    config: Option<String>,
    suites: Vec<String>,
    classname: String,
    name: String,
    status: Status,
    excerpt: Option<String>,
    start: Option<String>,
    duration: Option<f64>,
    line: usize,
}

/// An attribute's value (entities resolved when possible), by local name.
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// A general entity reference's text (`&lt;` → `<`); unknown ones stay as written.
fn entity(name: &str) -> String {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        if let Some(c) = n.and_then(char::from_u32) {
            return c.to_string();
        }
    }
    match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return format!("&{name};"),
    }
    .to_string()
}

impl<'a> JunitParser<'a> {
    fn run(&mut self, text: &'a str) {
        let mut reader = Reader::from_str(text);
        reader.config_mut().allow_dangling_amp = true;
        loop {
            let before = reader.buffer_position() as usize;
            match reader.read_event() {
                Err(e) => {
                    let at = reader.error_position() as usize;
                    self.stop(at, format!("malformed XML: {e}"));
                    return;
                }
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) => {
                    if self.stack.len() >= MAX_DEPTH {
                        self.stop(before, format!("elements nested deeper than {MAX_DEPTH}"));
                        return;
                    }
                    let name = e.local_name().as_ref().to_string();
                    self.open(&name, &e, before);
                    self.stack.push(name);
                }
                Ok(Event::Empty(e)) => {
                    let name = e.local_name().as_ref().to_string();
                    self.open(&name, &e, before);
                    self.stack.push(name.clone());
                    self.close(&name);
                    self.stack.pop();
                }
                Ok(Event::End(e)) => {
                    let name = e.local_name().as_ref().to_string();
                    self.close(&name);
                    self.stack.pop();
                }
                Ok(Event::Text(t)) => self.text(&t.xml10_content()),
                Ok(Event::CData(c)) => self.text(&c.xml10_content()),
                Ok(Event::GeneralRef(r)) => self.text(&entity(&r)),
                Ok(_) => {}
            }
        }
        if let Some(open) = self.stack.last().cloned() {
            self.stop(text.len(), format!("input ends inside <{open}>: truncated"));
        }
    }

    /// Reading stopped at byte `at`: the open test case (if any) is lost.
    fn stop(&mut self, at: usize, message: String) {
        let (line, column) = self.ix.line_col(at);
        self.broken_at = Some(at);
        self.errors.push(FormatError {
            line: Some(line),
            column: Some(column),
            message,
            records: 0,
        });
    }

    fn open(&mut self, name: &str, e: &BytesStart<'_>, at: usize) {
        let depth = self.stack.len();
        if let Some(case) = self.case.as_mut() {
            let label = match name {
                "failure" => {
                    case.failure = true;
                    Some("failure")
                }
                "error" => {
                    case.error = true;
                    Some("error")
                }
                "skipped" => {
                    case.skipped = true;
                    Some("skipped")
                }
                _ => None,
            };
            match (label, name) {
                (Some(label), _) => {
                    let mut head = label.to_string();
                    if let Some(m) = attr(e, "message").filter(|m| !m.trim().is_empty()) {
                        head.push_str(": ");
                        head.push_str(m.trim());
                    }
                    if let Some(t) = attr(e, "type").filter(|t| !t.trim().is_empty()) {
                        head.push_str(&format!(" [{}]", t.trim()));
                    }
                    case.log.push_line(&head);
                    self.capture = Some(depth);
                }
                (None, "system-out" | "system-err") => {
                    case.log.push_line(&format!("--- {name} ---"));
                    self.capture = Some(depth);
                }
                (None, "rerunFailure" | "flakyFailure" | "rerunError" | "flakyError") => {
                    case.log.push_line(&format!("--- {name} ---"));
                    self.capture = Some(depth);
                }
                _ => {}
            }
            return;
        }
        match name {
            "testsuites" if depth == 0 => {
                self.root_is_suites = true;
                self.root = Some(Claimed::from(e));
            }
            "testsuite" => {
                let claimed = Claimed::from(e);
                if depth == 0 {
                    self.root = Some(claimed);
                    self.root_is_suites = false;
                } else if depth == 1 && self.root_is_suites {
                    self.suites_sum.add(&claimed);
                }
                let suite_name = attr(e, "name").unwrap_or_default();
                if suite_name.trim() == "xfstests" {
                    self.xfstests = true;
                }
                let start = attr(e, "start_timestamp")
                    .and_then(|t| rfc3339(&t))
                    .or_else(|| attr(e, "timestamp").and_then(|t| rfc3339(&t)));
                self.suites.push(Suite {
                    name: suite_name,
                    start,
                    section: None,
                    fstyp: None,
                    first_case: self.cases.len(),
                });
            }
            "property" => {
                let value = attr(e, "value").map(|v| v.trim().to_string());
                let value = value.filter(|v| !v.is_empty() && v != "-no-sections-");
                if let (Some(suite), Some(value)) = (self.suites.last_mut(), value) {
                    match attr(e, "name").as_deref().map(str::trim) {
                        Some("SECTION") => suite.section = Some(value),
                        Some("FSTYP") => suite.fstyp = Some(value),
                        _ => {}
                    }
                }
            }
            "testcase" => {
                let classname = attr(e, "classname").unwrap_or_default();
                if classname.starts_with("xfstests.") || classname == "xfstests" {
                    self.xfstests = true;
                }
                let time = attr(e, "time")
                    .and_then(|t| t.replace(',', "").trim().parse::<f64>().ok())
                    .filter(|t| t.is_finite() && *t >= 0.0);
                let start = attr(e, "timestamp")
                    .and_then(|t| rfc3339(&t))
                    .or_else(|| self.suites.iter().rev().find_map(|s| s.start.clone()));
                self.case = Some(Case {
                    name: attr(e, "name").unwrap_or_default(),
                    classname,
                    time,
                    start,
                    line: self.ix.line(at),
                    depth,
                    ..Default::default()
                });
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        let Some(depth) = self.stack.len().checked_sub(1) else {
            return;
        };
        if self.capture == Some(depth) {
            self.capture = None;
            if let Some(case) = self.case.as_mut() {
                let text = std::mem::take(&mut case.text);
                for line in text.trim_matches(['\n', '\r']).lines() {
                    case.log.push_line(line);
                }
            }
        }
        if name == "testcase" && self.case.as_ref().is_some_and(|c| c.depth == depth) {
            let case = self.case.take().expect("checked");
            self.finish_case(case);
        } else if name == "testsuite" && self.case.is_none() {
            self.close_suite();
        }
    }

    /// Ends the innermost suite: its cases not configured by an inner suite take its
    /// configuration.
    fn close_suite(&mut self) {
        if let Some(s) = self.suites.pop() {
            let config = s.section.or(s.fstyp);
            let first = s.first_case.min(self.cases.len());
            for c in &mut self.cases[first..] {
                if c.config.is_none() {
                    c.config.clone_from(&config);
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        if self.capture.is_some()
            && let Some(case) = self.case.as_mut()
        {
            case.text.push_str(t);
            if case.text.len() > 4 * super::record::EXCERPT_MAX {
                let mut cut = case.text.len() - 2 * super::record::EXCERPT_MAX;
                while !case.text.is_char_boundary(cut) {
                    cut += 1;
                }
                case.text.drain(..cut);
            }
        }
    }

    fn finish_case(&mut self, case: Case) {
        let status = if case.failure {
            Status::Fail
        } else if case.error {
            Status::Error
        } else if case.skipped {
            Status::Skip
        } else {
            Status::Pass
        };
        self.cases.push(Finished {
            config: None,
            suites: self
                .suites
                .iter()
                .map(|s| s.name.clone())
                .filter(|s| !s.trim().is_empty())
                .collect(),
            classname: case.classname,
            name: case.name,
            status,
            excerpt: case.log.excerpt(),
            start: case.start,
            duration: case.time,
            line: case.line,
        });
    }

    fn finish(mut self, text: &str, suite_prefix: Option<&str>) -> FormatOutput {
        // A truncated report leaves suites open.
        while !self.suites.is_empty() {
            self.close_suite();
        }
        let claimed = self.root.map(|mut c| {
            if self.root_is_suites {
                let s = self.suites_sum;
                c.tests = c.tests.or(s.tests);
                c.failures = c.failures.or(s.failures);
                c.errors = c.errors.or(s.errors);
                c.skipped = c.skipped.or(s.skipped);
            }
            c
        });
        let expected = claimed.and_then(|c| c.tests);
        let read = self.cases.len();
        if let Some(at) = self.broken_at {
            let lost = match expected {
                Some(n) => n.saturating_sub(read),
                None => {
                    text.get(at..)
                        .map_or(0, |rest| rest.matches("<testcase").count())
                        + usize::from(self.case.is_some())
                }
            };
            if let Some(e) = self.errors.last_mut() {
                e.records = lost;
            }
        } else if let Some(c) = claimed {
            self.check_counts(&c);
        }
        let results = self.records(suite_prefix);
        FormatOutput {
            format: "junit",
            results,
            errors: self.errors,
            expected,
        }
    }

    /// Compares the root's claims with what was read.
    fn check_counts(&mut self, c: &Claimed) {
        let count = |s: Status| self.cases.iter().filter(|x| x.status == s).count();
        let read = [
            ("tests", c.tests, self.cases.len()),
            ("failures", c.failures, count(Status::Fail)),
            ("errors", c.errors, count(Status::Error)),
            ("skipped", c.skipped, count(Status::Skip)),
        ];
        for (key, claim, got) in read {
            let Some(claim) = claim else { continue };
            if claim != got {
                let records = if key == "tests" {
                    claim.saturating_sub(got)
                } else {
                    0
                };
                self.errors.push(FormatError::new(
                    Some(1),
                    format!("the report says {key}=\"{claim}\" but {got} were read"),
                    records,
                ));
            }
        }
    }

    fn records(&self, suite_prefix: Option<&str>) -> Vec<ResultRecord> {
        let mut used = PathSet::default();
        let base = match suite_prefix {
            Some(p) => prefix_segments(p),
            None => vec![if self.xfstests { "xfstests" } else { "junit" }.to_string()],
        };
        let split = |s: &str| -> Vec<String> {
            s.split(['.', '/'])
                .map(segment)
                .filter(|x| !x.is_empty())
                .collect()
        };
        self.cases
            .iter()
            .map(|c| {
                let mut segs = base.clone();
                if self.xfstests {
                    segs.extend(c.config.as_deref().map(segment));
                    segs.extend(split(&c.name));
                } else {
                    let class = c.classname.trim();
                    let inner = c.suites.last().map(|s| s.trim()).unwrap_or("");
                    let class_has_suite = !inner.is_empty()
                        && (class == inner
                            || class.starts_with(&format!("{inner}."))
                            || class.starts_with(&format!("{inner}/")));
                    if !class_has_suite {
                        for s in &c.suites {
                            segs.extend(split(s));
                        }
                    }
                    segs.extend(split(class));
                    segs.push(segment(&c.name));
                }
                if segs.len() == base.len() || segs.last().is_some_and(String::is_empty) {
                    segs.push(format!("testcase_line_{}", c.line));
                }
                ResultRecord {
                    path: used.unique(&segs),
                    status: c.status,
                    log_excerpt: c.excerpt.clone(),
                    start_time: c.start.clone(),
                    duration: c.duration,
                    line: Some(c.line),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_junit_paths_and_statuses() {
        let xml = r#"<?xml version="1.0"?>
<testsuites tests="4" failures="1" errors="1">
  <testsuite name="pytest" timestamp="2024-05-01T10:00:00+02:00">
    <testcase classname="tests.test_mod.TestA" name="test_ok[1]" time="0.5"/>
    <testcase classname="tests.test_mod.TestA" name="test_bad" time="1,000.5"><failure message="assert 1 == 2">trace &amp; more</failure></testcase>
    <testcase classname="tests.test_mod" name="test_err"><error message="boom"/><system-out><![CDATA[out <here>]]></system-out></testcase>
    <testcase classname="tests.test_mod" name="test_skip"><skipped/></testcase>
  </testsuite>
</testsuites>"#;
        let out = parse(xml, None);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.expected, Some(4));
        let got: Vec<_> = out.verdicts();
        assert_eq!(
            got,
            vec![
                ("junit.pytest.tests.test_mod.TestA.test_ok_1", Status::Pass),
                ("junit.pytest.tests.test_mod.TestA.test_bad", Status::Fail),
                ("junit.pytest.tests.test_mod.test_err", Status::Error),
                ("junit.pytest.tests.test_mod.test_skip", Status::Skip),
            ]
        );
        assert_eq!(out.results[1].duration, Some(1000.5));
        assert_eq!(
            out.results[1].log_excerpt.as_deref(),
            Some("failure: assert 1 == 2\ntrace & more")
        );
        assert!(
            out.results[2]
                .log_excerpt
                .as_deref()
                .unwrap()
                .contains("out <here>")
        );
        assert_eq!(
            out.results[0].start_time.as_deref(),
            Some("2024-05-01T10:00:00+02:00")
        );
        assert_eq!(out.results[0].line, Some(4));
    }

    #[test]
    fn truncated_report_keeps_what_was_read() {
        let xml = "<testsuite name=\"xfstests\" tests=\"3\">\n<testcase name=\"btrfs/001\"/>\n<testcase name=\"generic/002\"><failure message=\"x\"/>";
        let out = parse(xml, None);
        assert_eq!(out.results.len(), 1);
        assert_eq!(out.results[0].path, "xfstests.btrfs.001");
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].records, 2);
        assert_eq!(out.errors[0].line, Some(3));
    }

    #[test]
    fn xfstests_configurations_are_part_of_the_path() {
        let report = |props: &str| {
            format!(
                "<testsuite name=\"xfstests\" tests=\"1\">{props}\
                 <testcase classname=\"xfstests.global\" name=\"generic/001\"/></testsuite>"
            )
        };
        let path = |props: &str| parse(&report(props), None).results[0].path.clone();
        let fstyp = |fs: &str| {
            format!("<properties><property name=\"FSTYP\" value=\"{fs}\"/></properties>")
        };
        assert_eq!(path(&fstyp("ext4")), "xfstests.ext4.generic.001");
        assert_eq!(path(&fstyp("btrfs")), "xfstests.btrfs.generic.001");
        // A named section (kdevops' ext4_1k, xfs_reflink...) is more precise than the type.
        let both = "<properties><property name=\"SECTION\" value=\"xfs_reflink\"/>\
                    <property name=\"FSTYP\" value=\"xfs\"/></properties>";
        assert_eq!(path(both), "xfstests.xfs_reflink.generic.001");
        let none = "<properties><property name=\"SECTION\" value=\"-no-sections-\"/></properties>";
        assert_eq!(path(none), "xfstests.generic.001");
        // Properties written after the test cases still apply.
        let late = "<testsuite name=\"xfstests\"><testcase name=\"generic/001\"/>\
                    <properties><property name=\"FSTYP\" value=\"ext4\"/></properties></testsuite>";
        assert_eq!(
            parse(late, None).results[0].path,
            "xfstests.ext4.generic.001"
        );
    }

    #[test]
    fn mismatched_tags_are_located() {
        let out = parse("<testsuite>\n<testcase name=\"a\"></testsuite>\n", None);
        assert!(out.results.is_empty());
        assert_eq!(out.errors[0].line, Some(2));
        assert!(out.errors[0].column.is_some());
    }
}
