//! TuxRun / TuxSuite `results.json`: `{"<suite>": {"<test>": {"result": "pass", "duration":
//! "9.95", "extra": {…}, …}}}` — LAVA's per-job results flattened by suite.
//!
//! Paths: LAVA's `<N>_` order prefix is dropped from the suite name, then
//!
//! | suite                  | path                                                       |
//! |------------------------|------------------------------------------------------------|
//! | `lava`, `boot`         | `lava.<test>`, `boot.<test>` (as is)                       |
//! | `ltp`, `ltp-*`         | `ltp.<test>` (LTP names are unique across its suites)      |
//! | `kselftest-<coll>`     | `kselftest.<coll>.<test>`, LAVA's `<coll>_` test prefix cut, so `exec_execveat` lines up with KTAP's `kselftest.exec.execveat` |
//! | `kselftest`, `kunit`   | `kselftest.<test>`, `kunit.<test>`                         |
//! | anything else          | `<suite>.<test>`                                           |
//!
//! A caller's prefix gives `<prefix>.<suite>.<test>` instead.
//!
//! Status: pass → PASS, fail → FAIL, skip → SKIP, unknown → DONE (ran, no verdict); a `fail`
//! whose `extra.error_type` is one of LAVA's infrastructure kinds (Infrastructure,
//! Configuration, Bug, Job, LAVATimeout) → MISS, `Test` → ERROR; anything else → DONE with an
//! error. `expected` is the number of test entries; a truncated file keeps the tests before the
//! break and counts the `"result"` keys after it as lost.
//!
//! LAVA's job-log YAML (`- {dt, lvl, msg}` records) is out of scope: it is a log, not results,
//! and [`super::detect`] does not claim it.

use super::kirk::count_keys;
use super::record::{FormatError, FormatOutput, ResultRecord};
use super::text::{LineIndex, PathSet, prefix_segments, segment};
use crate::model::Status;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::fmt;

/// Whether `body` (a JSON document's start) looks like TuxRun results.
pub(crate) fn looks_like(body: &str) -> bool {
    body.match_indices("\"result\"").any(|(i, k)| {
        let rest = body[i + k.len()..].trim_start();
        rest.strip_prefix(':')
            .is_some_and(|r| r.trim_start().starts_with('"'))
    })
}

/// One suite as read: its tests in file order, or what was there instead of an object.
struct SuiteRead<'a> {
    name: String,
    tests: Vec<(String, &'a RawValue)>,
    not_object: Option<&'static str>,
}

/// Parses a TuxRun `results.json`.
pub fn parse(text: &str, suite_prefix: Option<&str>) -> FormatOutput {
    let ix = LineIndex::new(text);
    let mut suites: Vec<SuiteRead<'_>> = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let outcome = Top(&mut suites)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    let mut errors = Vec::new();
    let broken = outcome.is_err();
    if let Err(e) = outcome {
        let parsed_end = suites
            .iter()
            .flat_map(|s| s.tests.last())
            .filter_map(|(_, r)| ix.offset_of(r.get()).map(|o| o + r.get().len()))
            .max()
            .unwrap_or(0);
        errors.push(FormatError {
            line: Some(e.line().max(1)),
            column: Some(e.column().max(1)),
            message: format!("malformed TuxRun JSON: {e}"),
            records: count_keys(&text[parsed_end.min(text.len())..], "result"),
        });
    }

    let mut used = PathSet::default();
    let mut results = Vec::new();
    let mut entries = 0usize;
    for suite in &suites {
        if let Some(kind) = suite.not_object {
            errors.push(FormatError::new(
                None,
                format!("suite {:?} is {kind}, not an object of tests", suite.name),
                0,
            ));
            continue;
        }
        let (base, cut) = namespace(&suite.name, suite_prefix);
        for (test, raw) in &suite.tests {
            entries += 1;
            let line = ix.offset_of(raw.get()).map(|o| ix.line(o));
            let v: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
            let Some(result) = v.get("result").and_then(Value::as_str) else {
                errors.push(FormatError::new(
                    line,
                    format!("{}/{test}: no \"result\" string", suite.name),
                    1,
                ));
                continue;
            };
            let (status, known) = status(result, v.get("extra"));
            if !known {
                errors.push(FormatError::new(
                    line,
                    format!(
                        "{}/{test}: unknown result {result:?} read as DONE",
                        suite.name
                    ),
                    0,
                ));
            }
            let name = cut
                .as_deref()
                .and_then(|c| test.strip_prefix(c))
                .filter(|rest| !segment(rest).is_empty())
                .unwrap_or(test);
            let mut segs = base.clone();
            segs.push(segment(name));
            if segs.last().is_some_and(String::is_empty) {
                segs.pop();
                segs.push(format!("test_line_{}", line.unwrap_or(0)));
            }
            results.push(ResultRecord {
                path: used.unique(&segs),
                status,
                log_excerpt: error_excerpt(v.get("extra")),
                start_time: None,
                duration: v.get("duration").and_then(|d| {
                    d.as_f64()
                        .or_else(|| d.as_str().and_then(|s| s.trim().parse().ok()))
                        .filter(|d: &f64| d.is_finite() && *d >= 0.0)
                }),
                line,
            });
        }
    }
    FormatOutput {
        format: "tuxrun",
        results,
        errors,
        expected: (!broken).then_some(entries),
    }
}

/// Path segments for a suite, and the test-name prefix to cut (see the module table).
fn namespace(suite: &str, prefix: Option<&str>) -> (Vec<String>, Option<String>) {
    let digits = suite.bytes().take_while(u8::is_ascii_digit).count();
    let bare = match suite[digits..].strip_prefix('_') {
        Some(rest) if digits > 0 && !rest.is_empty() => rest,
        _ => suite,
    };
    if let Some(p) = prefix {
        let mut segs = prefix_segments(p);
        segs.push(segment(bare));
        return (segs, None);
    }
    let one = |s: &str| vec![s.to_string()];
    match bare {
        "lava" | "boot" | "kunit" | "kselftest" | "ltp" => (one(bare), None),
        _ if bare.starts_with("ltp-") => (one("ltp"), None),
        _ if bare.starts_with("kselftest-") => {
            let coll = &bare["kselftest-".len()..];
            let cut = format!("{}_", coll.replace('-', "_"));
            (vec!["kselftest".to_string(), segment(coll)], Some(cut))
        }
        _ => (vec![segment(bare)], None),
    }
}

/// LAVA's `error_type`s that blame the lab or the job, not the kernel or the test.
const INFRA_ERRORS: [&str; 5] = [
    "Infrastructure",
    "Configuration",
    "Bug",
    "Job",
    "LAVATimeout",
];

/// The status of a result word, and whether the word was known.
fn status(result: &str, extra: Option<&Value>) -> (Status, bool) {
    let error_type = extra
        .and_then(|e| e.get("error_type"))
        .and_then(Value::as_str)
        .unwrap_or("");
    match result.trim().to_ascii_lowercase().as_str() {
        "pass" | "passed" => (Status::Pass, true),
        "fail" | "failed" | "failure" => {
            if INFRA_ERRORS.contains(&error_type) {
                (Status::Miss, true)
            } else if error_type == "Test" {
                (Status::Error, true)
            } else {
                (Status::Fail, true)
            }
        }
        "skip" | "skipped" => (Status::Skip, true),
        "unknown" => (Status::Done, true),
        _ => (Status::Done, false),
    }
}

/// LAVA's `error_type: error_msg`, when the entry has them.
fn error_excerpt(extra: Option<&Value>) -> Option<String> {
    let extra = extra?;
    let ty = extra.get("error_type").and_then(Value::as_str);
    let msg = extra.get("error_msg").and_then(Value::as_str);
    let text = match (ty, msg) {
        (Some(t), Some(m)) => format!("{t}: {m}"),
        (None, Some(m)) => m.to_string(),
        (Some(t), None) => t.to_string(),
        (None, None) => return None,
    };
    super::text::excerpt(&text)
}

/// The top-level object of suites; each suite's tests are collected as they are read.
struct Top<'o, 'a>(&'o mut Vec<SuiteRead<'a>>);

impl<'de> DeserializeSeed<'de> for Top<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of suites")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            self.0.push(SuiteRead {
                name,
                tests: Vec::new(),
                not_object: None,
            });
            let last = self.0.last_mut().expect("just pushed");
            map.next_value_seed(SuiteSeed(last))?;
        }
        Ok(())
    }
}

/// One suite: an object of tests (anything else is noted, not fatal).
struct SuiteSeed<'o, 'a>(&'o mut SuiteRead<'a>);

impl<'de> DeserializeSeed<'de> for SuiteSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> SuiteSeed<'_, 'de> {
    fn other<E>(self, kind: &'static str) -> Result<(), E> {
        self.0.not_object = Some(kind);
        Ok(())
    }
}

impl<'de> Visitor<'de> for SuiteSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of tests")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(test) = map.next_key::<String>()? {
            let v: &'de RawValue = map.next_value()?;
            self.0.tests.push((test, v));
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.other("an array")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.other("a boolean")
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.other("a number")
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.other("a number")
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.other("a number")
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.other("a string")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.other("null")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suite_mapping() {
        let text = r#"{
 "lava": {"job": {"result": "fail", "extra": {"error_type": "Infrastructure", "error_msg": "dispatcher down"}}},
 "1_kselftest-exec": {"exec_execveat": {"result": "fail"}, "shardfile-exec": {"result": "pass"}},
 "2_ltp-syscalls": {"fork01": {"result": "pass", "duration": "0.5"}},
 "3_kunit": {"example_simple": {"result": "skip"}},
 "4_rt-tests": {"cyclictest": {"result": "unknown"}},
 "5_odd": 7
}"#;
        let out = parse(text, None);
        let got: Vec<_> = out.verdicts();
        assert_eq!(
            got,
            vec![
                ("lava.job", Status::Miss),
                ("kselftest.exec.execveat", Status::Fail),
                ("kselftest.exec.shardfile-exec", Status::Pass),
                ("ltp.fork01", Status::Pass),
                ("kunit.example_simple", Status::Skip),
                ("rt-tests.cyclictest", Status::Done),
            ]
        );
        assert_eq!(
            out.results[0].log_excerpt.as_deref(),
            Some("Infrastructure: dispatcher down")
        );
        assert_eq!(out.results[3].duration, Some(0.5));
        assert_eq!(out.results[1].line, Some(3));
        assert_eq!(out.expected, Some(6));
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    }

    #[test]
    fn truncated_file_keeps_tests_read() {
        let text =
            r#"{"0_ltp-smoke": {"a": {"result": "pass"}, "b": {"result": "fail"}, "c": {"res"#;
        let out = parse(text, Some("lkft"));
        let paths: Vec<_> = out.results.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, vec!["lkft.ltp-smoke.a", "lkft.ltp-smoke.b"]);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.expected, None);
    }
}
